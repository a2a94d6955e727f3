#!/bin/bash
# run-fuzzer.sh FUZZER SECONDS MKELF BINDIR: replays every kept crash input
# (fuzz/regressions/NAME/), then fuzzes for SECONDS from a seed corpus of
# the project's own fixtures. Any crash, leak or sanitizer report fails, and
# so does a run that fuzzed nothing: the fuzzer must exit 0 and its final
# statistics must show it executed inputs (libFuzzer's "Done N runs" and
# "stat::number_of_executed_units: N", N > 0).
set -eu
fuzzer=$1 seconds=$2 mkelf=$3 bindir=$4
name=$(basename "$fuzzer")
if [ ! -x "$fuzzer" ]; then
    echo "FAIL: $fuzzer is not an executable fuzzer"
    exit 1
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/tg-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/artifacts"

case $name in
fuzz_yaml)
    for f in "$SRCDIR"/tests/manifests/good/*.yml "$SRCDIR"/tests/manifests/good/*.json \
        "$SRCDIR"/tests/manifests/bad/*.yml; do
        [ -f "$f" ] || continue # bad/ also holds a directory named .yml
        cp "$f" "$work/corpus/$(basename "$(dirname "$f")")-$(basename "$f")"
    done ;;
*)
    for v in $("$mkelf" --list-variants); do
        "$mkelf" "$work/corpus/$v.hvt" --variant="$v" >/dev/null
    done
    "$mkelf" "$work/corpus/devices.hvt" net:service block:storage >/dev/null
    find "$bindir/tests" "$bindir/examples" -maxdepth 2 -name '*.hvt' \
        -size -2M -exec cp {} "$work/corpus/" \; ;;
esac

regressions=$SRCDIR/fuzz/regressions/$name
if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
    echo "replaying $(ls "$regressions" | wc -l) kept inputs"
    if ! "$fuzzer" -close_fd_mask=2 "$regressions"/* >"$work/replay.log" 2>&1; then
        tail -n 40 "$work/replay.log"
        echo "FAIL: $name crashes on a kept input"
        exit 1
    fi
fi

status=0
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -close_fd_mask=2 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$work/corpus" >"$work/log" 2>&1 ||
    status=$?
grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec|ERROR|SUMMARY|Done' \
    "$work/log" || true

if [ -n "$(ls -A "$work/artifacts")" ]; then
    echo "FAIL: $name found a crashing input:"
    ls "$work/artifacts"
    mkdir -p "$bindir/fuzz-artifacts"
    cp "$work/artifacts"/* "$bindir/fuzz-artifacts/"
    exit 1
fi
if [ "$status" -ne 0 ]; then
    tail -n 40 "$work/log"
    echo "FAIL: $name exited with status $status"
    exit 1
fi
runs=$(sed -n 's/^Done \([0-9][0-9]*\) runs in .*/\1/p' "$work/log")
units=$(sed -n 's/^stat::number_of_executed_units: *\([0-9][0-9]*\)$/\1/p' "$work/log")
if [ -z "$runs" ] || [ -z "$units" ] || [ "$runs" -eq 0 ] || [ "$units" -eq 0 ]; then
    tail -n 20 "$work/log"
    echo "FAIL: $name executed no inputs (want 'Done N runs' and" \
        "'stat::number_of_executed_units: N' with N > 0)"
    exit 1
fi
echo "1 passed, 0 failed"
