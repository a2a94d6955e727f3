#!/bin/bash
# runner-test.sh MKELF: run-fuzzer.sh fails unless the fuzzer ran and
# executed inputs. Stand-in fuzzers (named fuzz_yaml, so that the runner
# seeds them from the manifest fixtures) that run nothing must fail it; one
# that prints libFuzzer's final statistics for real runs passes.
set -u
here=$(cd "$(dirname "$0")" && pwd)
mkelf=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/tg-fuzz-runner.XXXXXX")
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

# runner WANT WHAT BODY: a stand-in fuzzer running BODY (or none, for an
# empty BODY) under run-fuzzer.sh must exit WANT (0, or 1 with FAIL: TEXT).
runner() {
    local want=$1 what=$2 body=$3 text=${4:-} rc=0
    rm -rf "$work/bin" && mkdir "$work/bin"
    if [ -n "$body" ]; then
        printf '#!/bin/bash\n%s\n' "$body" >"$work/bin/fuzz_yaml"
        chmod +x "$work/bin/fuzz_yaml"
    fi
    bash "$here/run-fuzzer.sh" "$work/bin/fuzz_yaml" 1 "$mkelf" "$work/bindir" \
        >"$work/out" 2>&1 || rc=$?
    if [ "$rc" -eq "$want" ] && { [ -z "$text" ] || grep -qF -- "FAIL: $text" "$work/out"; }; then
        echo "PASS: $what: exit $want"
        passed=$((passed + 1))
    else
        echo "FAIL: $what: exit $rc, want $want${text:+ and 'FAIL: $text'}; got:"
        sed 's/^/    /' "$work/out"
        failed=$((failed + 1))
    fi
}

DONE='echo "#42 DONE cov: 10 ft: 20 corp: 3/99b"; echo "Done 42 runs in 1 second(s)"
echo "stat::number_of_executed_units: 42"; echo "stat::average_exec_per_sec: 42"'
runner 1 "missing fuzzer binary" "" "$work/bin/fuzz_yaml is not an executable fuzzer"
runner 1 "fuzzer that exits 0 at once" "exit 0" "fuzz_yaml executed no inputs"
runner 1 "fuzzer that reports 0 runs" \
    'echo "Done 0 runs in 0 second(s)"; echo "stat::number_of_executed_units: 0"' \
    "fuzz_yaml executed no inputs"
runner 1 "fuzzer without final statistics" 'echo "Done 42 runs in 1 second(s)"' \
    "fuzz_yaml executed no inputs"
runner 1 "fuzzer that fails without an artifact" "$DONE; exit 1" \
    "fuzz_yaml exited with status 1"
runner 1 "fuzzer that leaves a crashing input" \
    'for a; do case $a in -artifact_prefix=*) touch "${a#*=}crash-1";; esac; done
exit 1' "fuzz_yaml found a crashing input"
runner 0 "fuzzer that ran 42 inputs" "$DONE"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
