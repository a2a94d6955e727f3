#!/bin/bash
# batch.sh: batch mode and the monitor cache. One monitor per service,
# named after it; a second run reuses every one; two runs sharing one cache
# at the same time both end with complete, identical monitors; a damaged
# entry is rebuilt; a bad input costs only its own monitor; a new compiler
# identity gives new entries.
. "$(dirname "$0")/../lib.sh"

# Services of several shapes: manifests, a Solo5 manifest.json and guest
# ELFs (their notes are read).
mkdir -p "$WORK/in"
printf 'version: 1\nname: alpha\n' >"$WORK/in/alpha.yml"
printf 'version: 1\nname: beta\nmemory: 8M\n' >"$WORK/in/beta.yml"
inputs=("$WORK/in/alpha.yml" "$WORK/in/beta.yml"
        "$SRCDIR/examples/hello/manifest.yml" "$BINDIR/tests/clocks.hvt")
names=(alpha beta hello clocks)
nshapes=1
if [ -f "$SRCDIR/modules/block/block.c" ]; then
    printf 'version: 1\nname: disk\ndevices:\n  - name: storage\n    type: block\n' \
        >"$WORK/in/disk.yml"
    inputs+=("$WORK/in/disk.yml"); names+=(disk); nshapes=$((nshapes + 1))
fi
if [ -f "$SRCDIR/modules/net/net.c" ]; then
    printf '{"type": "solo5.manifest", "version": 1, "devices": [{"name": "service", "type": "NET_BASIC"}]}\n' \
        >"$WORK/in/web.json"
    inputs+=("$WORK/in/web.json"); names+=(web); nshapes=$((nshapes + 1))
fi
n=${#inputs[@]}

# batch OUTDIR REPORT [OPTIONS...]: one batch run over every input.
batch() {
    local out=$1 report=$2
    shift 2
    st=0
    timeout 120 "$TENDER_GEN" --out-dir "$out" "$@" "${inputs[@]}" \
        >"$report" 2>"$report.err" || st=$?
}

# First run, fresh cache: every service gets its monitor.
batch "$WORK/out1" "$WORK/r1" --cache "$WORK/cache"
check "first run exits 0" [ "$st" -eq 0 ]
for s in "${names[@]}"; do
    check "$s: monitor $s-tender written" [ -x "$WORK/out1/$s-tender" ]
    check "$s: reported" grep -Eq "^(built|reused) +$s $WORK/out1/$s-tender \(block=" "$WORK/r1"
done
check "alpha (first of its shape) was built" grep -q "^built  alpha " "$WORK/r1"
check "beta, hello and clocks share alpha's shape: reused" \
    bash -c "[ \$(grep -Ec '^reused (beta|hello|clocks) ' '$WORK/r1') -eq 3 ]"
check "summary line counts every service" \
    grep -Eq "^$n monitors: [0-9]+ built, [0-9]+ reused, 0 failed$" "$WORK/r1"
check "same shape, same bytes" cmp -s "$WORK/out1/alpha-tender" "$WORK/out1/clocks-tender"
check "cache holds complete entries only" \
    bash -c "[ -z \"\$(find '$WORK/cache' -name '*tmp*')\" ]"

# Second run: everything comes from the cache, byte for byte.
batch "$WORK/out2" "$WORK/r2" --cache "$WORK/cache" --json
check "second run exits 0" [ "$st" -eq 0 ]
check "second run reuses all ($n)" grep -q "\"reused\": $n," "$WORK/r2"
check "second run builds none" grep -q '"built": 0,' "$WORK/r2"
check "JSON names each monitor" \
    bash -c "[ \$(grep -c '\"status\": \"reused\", \"name\": ' '$WORK/r2') -eq $n ]"
for s in "${names[@]}"; do
    check "$s: reused monitor identical" cmp -s "$WORK/out1/$s-tender" "$WORK/out2/$s-tender"
    sum=$(sha256sum "$WORK/out2/$s-tender" | cut -d' ' -f1)
    check "$s: JSON gives its sha256" grep -q "\"monitor\": \"$WORK/out2/$s-tender\".*\"sha256\": \"$sum\"" "$WORK/r2"
done
if need_tool jq "the JSON parse check"; then
    check "JSON parses" bash -c "jq -e '.monitors | length == $n' '$WORK/r2' >/dev/null"
fi

# Two runs on one fresh cache at the same time.
timeout 120 "$TENDER_GEN" --out-dir "$WORK/c1" --cache "$WORK/shared" --json \
    "${inputs[@]}" >"$WORK/c1.json" 2>"$WORK/c1.err" & p1=$!
timeout 120 "$TENDER_GEN" --out-dir "$WORK/c2" --cache "$WORK/shared" --json \
    "${inputs[@]}" >"$WORK/c2.json" 2>"$WORK/c2.err" & p2=$!
st1=0; st2=0
wait $p1 || st1=$?
wait $p2 || st2=$?
check "concurrent run 1 exits 0" [ "$st1" -eq 0 ]
check "concurrent run 2 exits 0" [ "$st2" -eq 0 ]
for s in "${names[@]}"; do
    check "$s: both concurrent runs give the first run's bytes" \
        bash -c "cmp -s '$WORK/c1/$s-tender' '$WORK/out1/$s-tender' && cmp -s '$WORK/c2/$s-tender' '$WORK/out1/$s-tender'"
done
built=0
for f in "$WORK/c1.json" "$WORK/c2.json"; do
    built=$((built + $(sed -n 's/^  "built": \([0-9]*\),$/\1/p' "$f")))
done
check "concurrent runs compiled each of the $nshapes shapes once ($built)" [ "$built" = "$nshapes" ]
check "shared cache: no temporary file left" \
    bash -c "[ -z \"\$(find '$WORK/shared' -name '*tmp*')\" ]"
for e in "$WORK"/shared/monitors/*; do
    check "shared cache entry $(basename "$e" | cut -c1-12) verifies" \
        bash -c "'$TENDER_GEN' --verify '$e' >/dev/null"
done
batch "$WORK/c3" "$WORK/c3.json" --cache "$WORK/shared" --json
check "after the race, a third run reuses all" grep -q "\"reused\": $n," "$WORK/c3.json"

# A damaged entry (cut short, as by a full disk outside our rename) is
# noticed and built again.
entry=$(ls "$WORK"/cache/monitors/* | head -1)
truncate -s 1000 "$entry"
batch "$WORK/out3" "$WORK/r3" --cache "$WORK/cache"
check "damaged entry: run exits 0" [ "$st" -eq 0 ]
check "damaged entry: rebuilt" grep -q "^built " "$WORK/r3"
check "damaged entry: monitor whole again" cmp -s "$WORK/out3/alpha-tender" "$WORK/out1/alpha-tender"

# Another compiler identity (here: other flags) gives other entries.
TG_EXTRA_CFLAGS="-Werror" batch "$WORK/out4" "$WORK/r4" --cache "$WORK/cache"
check "new compiler identity: built again" grep -q "^built  alpha " "$WORK/r4"

# The identity is remembered under the toolchain files' stat data: a
# touched file is hashed again (same content: entries reused), and a
# toolchain elsewhere is another identity.
cp -r "${TG_MUSL_LIB:-/usr/lib/x86_64-linux-musl}" "$WORK/musl"
TG_MUSL_LIB=$WORK/musl batch "$WORK/out8" "$WORK/r8" --cache "$WORK/cache"
check "toolchain moved: a new identity, built again" grep -q "^built  alpha " "$WORK/r8"
n_ids=$(ls "$WORK/cache/compilers" | wc -l)
touch "$WORK/musl/crti.o"
TG_MUSL_LIB=$WORK/musl batch "$WORK/out9" "$WORK/r9" --cache "$WORK/cache"
check "toolchain file touched: identity hashed again" \
    [ "$(ls "$WORK/cache/compilers" | wc -l)" -eq $((n_ids + 1)) ]
check "toolchain file touched, same content: all reused" \
    grep -q "^$n monitors: 0 built, $n reused, 0 failed$" "$WORK/r9"
check "remembered identities are whole" \
    bash -c "! grep -vxE '[0-9a-f]{64}' '$WORK'/cache/compilers/*"

# Without a cache: services of one shape are compiled once per run.
batch "$WORK/out5" "$WORK/r5"
check "no cache: exits 0" [ "$st" -eq 0 ]
check "no cache: alpha built, beta reused from it" \
    bash -c "grep -q '^built  alpha ' '$WORK/r5' && grep -q '^reused beta ' '$WORK/r5'"
check "no cache: same bytes" cmp -s "$WORK/out5/beta-tender" "$WORK/out1/beta-tender"

# A service whose shape changed gets another monitor: built, even when
# that shape's monitor comes from the cache or a service of the same run;
# reused only when its monitor already was that shape's.
printf 'version: 1\nname: moving\n' >"$WORK/in/moving.yml"
printf 'version: 1\nname: tracer\nmodules: [trace]\n' >"$WORK/in/tracer.yml"
shape_run() {
    st=0
    "$TENDER_GEN" --out-dir "$WORK/out8" "$@" "$WORK/in/tracer.yml" \
        "$WORK/in/moving.yml" >"$WORK/r8s" 2>&1 || st=$?
}
shape_run --cache "$WORK/cache8"
check "shape change: first run built both" \
    grep -q "^2 monitors: 2 built, 0 reused, 0 failed$" "$WORK/r8s"
printf 'version: 1\nname: moving\nmodules: [trace]\n' >"$WORK/in/moving.yml"
shape_run --cache "$WORK/cache8"
check "shape change, monitor from the cache: built" \
    grep -q "^built  moving $WORK/out8/moving-tender (block=0 net=0 modules=core,console,trace)$" "$WORK/r8s"
check "shape change: the unchanged service reused" grep -q "^reused tracer " "$WORK/r8s"
check "shape change: the new monitor is the shape's" \
    cmp -s "$WORK/out8/moving-tender" "$WORK/out8/tracer-tender"
shape_run --cache "$WORK/cache8"
check "same shape again: both reused" \
    grep -q "^2 monitors: 0 built, 2 reused, 0 failed$" "$WORK/r8s"
printf 'version: 1\nname: moving\n' >"$WORK/in/moving.yml"
shape_run --cache "$WORK/cache8"
check "shape changed back, from the cache: built" grep -q "^built  moving " "$WORK/r8s"
printf 'version: 1\nname: moving\nmodules: [trace]\n' >"$WORK/in/moving.yml"
shape_run
check "shape change, monitor from a service of the same run: built" \
    grep -q "^built  moving " "$WORK/r8s"
shape_run
check "no cache, same shape again: reused from the same run" \
    grep -q "^reused moving " "$WORK/r8s"

# One input -o FILE --cache DIR: the cache serves the single mode too.
"$TENDER_GEN" --cache "$WORK/cache" -o "$WORK/single" "$WORK/in/alpha.yml"
check "single input through the cache" cmp -s "$WORK/single" "$WORK/out1/alpha-tender"

# A bad input fails alone; the others still get their monitors.
printf 'version: 1\nname: bad\ndevices:\n  - name: my-net\n    type: net\n' >"$WORK/in/bad.yml"
st=0
"$TENDER_GEN" --out-dir "$WORK/out6" --json "$WORK/in/alpha.yml" "$WORK/in/bad.yml" \
    "$WORK/in/beta.yml" >"$WORK/r6" 2>"$WORK/r6.err" || st=$?
check "bad input: exit 1" [ "$st" -eq 1 ]
check "bad input: its error is reported with its position" \
    grep -q "bad.yml:4:11: error: " "$WORK/r6.err"
check "bad input: reported failed" grep -q "\"input\": \"$WORK/in/bad.yml\", \"status\": \"failed\"}" "$WORK/r6"
check "bad input: the others built" \
    bash -c "[ -x '$WORK/out6/alpha-tender' ] && [ -x '$WORK/out6/beta-tender' ] && [ ! -e '$WORK/out6/bad-tender' ]"
check "bad input: counted" grep -q '"failed": 1' "$WORK/r6"

# Two inputs naming one service would overwrite each other: refused.
cp "$WORK/in/alpha.yml" "$WORK/in/alpha2.yml"
st=0
"$TENDER_GEN" --out-dir "$WORK/out7" "$WORK/in/alpha.yml" "$WORK/in/alpha2.yml" \
    >"$WORK/r7" 2>&1 || st=$?
check "duplicate service name: exit 1" [ "$st" -eq 1 ]
check "duplicate service name: said" grep -q 'alpha2.yml: error: service "alpha" is named by an earlier input too' "$WORK/r7"

# Usage errors exit 2.
for args in "--out-dir $WORK/o -o x $WORK/in/alpha.yml" \
            "$WORK/in/alpha.yml $WORK/in/beta.yml" \
            "--out-dir $WORK/o --explain $WORK/in/alpha.yml" \
            "--out-dir $WORK/o" \
            "--cache $WORK/c --print $WORK/in/alpha.yml"; do
    st=0
    # shellcheck disable=SC2086
    "$TENDER_GEN" $args >/dev/null 2>&1 || st=$?
    check "usage error exits 2: $args" [ "$st" -eq 2 ]
done

finish
