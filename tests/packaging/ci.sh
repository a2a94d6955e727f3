#!/bin/bash
# ci.sh: examples/ci/pipeline.sh over every example service, as CI runs it:
# one published monitor per service with its sha256 and --explain report,
# each verified against a fresh build; the second run (warm cache) compiles
# nothing. The GitHub workflow names only services the build makes.
. "$(dirname "$0")/../lib.sh"

PIPE=$SRCDIR/examples/ci/pipeline.sh
WF=$SRCDIR/examples/ci/tender-monitors.yml
mapfile -t services < <(ls "$BINDIR"/examples/*/*.hvt)
n=${#services[@]}
check "the build made example services ($n)" [ "$n" -ge 1 ]
export TENDER_GEN_CACHE=$WORK/cache

st=0
timeout 240 "$PIPE" "$WORK/pub" "${services[@]}" >"$WORK/run1" 2>&1 || st=$?
check "pipeline: exit 0" [ "$st" -eq 0 ]
[ "$st" -eq 0 ] || tail -20 "$WORK/run1"
for s in "${services[@]}"; do
    name=$(basename "$s" .hvt)
    m=$WORK/pub/$name-tender
    check "$name: monitor published" [ -x "$m" ]
    check "$name: verified against a fresh build" grep -q "^$m: matches" "$WORK/run1"
    check "$name: sha256 file matches the monitor" \
        bash -c "cd '$WORK/pub' && sha256sum -c --quiet '$name-tender.sha256'"
    check "$name: explain report has its sizes" \
        grep -Eq '"file_size": [1-9][0-9]*,' "$m.explain.json"
    check "$name: explain report has its shape" grep -q '"shape": "block=' "$m.explain.json"
done
check "SHA256SUMS lists every monitor" \
    bash -c "[ \$(wc -l <'$WORK/pub/SHA256SUMS') -eq $n ] && cd '$WORK/pub' && sha256sum -c --quiet SHA256SUMS"

# Second run, warm cache: everything reused, nothing compiled.
st=0
timeout 240 "$PIPE" --no-verify "$WORK/pub2" "${services[@]}" >"$WORK/run2" 2>&1 || st=$?
check "second pipeline run: exit 0" [ "$st" -eq 0 ]
check "second pipeline run: all $n reused" \
    grep -q "^$n monitors: 0 built, $n reused, 0 failed$" "$WORK/run2"
check "second run publishes the same bytes" \
    cmp -s "$WORK/pub/SHA256SUMS" "$WORK/pub2/SHA256SUMS"

# A bad service fails the pipeline.
st=0
"$PIPE" "$WORK/pub3" "$SRCDIR/tests/manifests/does-not-exist.yml" >"$WORK/run3" 2>&1 || st=$?
check "a bad service fails the pipeline" [ "$st" -ne 0 ]

# The workflow runs the pipeline on services this build makes.
check "workflow runs pipeline.sh" grep -q "examples/ci/pipeline.sh" "$WF"
for p in $(grep -o 'build/examples/[a-z]*/[a-z]*\.hvt' "$WF"); do
    check "workflow's $p is built" [ -f "$BINDIR/${p#build/}" ]
done

finish
