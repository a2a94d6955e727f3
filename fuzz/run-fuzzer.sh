#!/bin/bash
# run-fuzzer.sh FUZZER SECONDS MKELF BINDIR: replays every kept crash input
# (fuzz/regressions/NAME/), then fuzzes for SECONDS from a seed corpus of
# the project's own fixtures. Any crash, leak or sanitizer report fails.
set -eu
fuzzer=$1 seconds=$2 mkelf=$3 bindir=$4
name=$(basename "$fuzzer")
work=$(mktemp -d "${TMPDIR:-/tmp}/tg-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/artifacts"

case $name in
fuzz_yaml)
    for f in "$SRCDIR"/tests/manifests/good/* "$SRCDIR"/tests/manifests/bad/*.yml; do
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
    "$fuzzer" -close_fd_mask=2 "$regressions"/*
fi
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -close_fd_mask=2 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$work/corpus" 2>&1 |
    grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec|ERROR|SUMMARY|Done' || true
# libFuzzer exits non-zero on a crash; pipefail is off for the grep, so
# check for an artifact instead.
if [ -n "$(ls -A "$work/artifacts")" ]; then
    echo "FAIL: $name found a crashing input:"
    ls "$work/artifacts"
    mkdir -p "$bindir/fuzz-artifacts"
    cp "$work/artifacts"/* "$bindir/fuzz-artifacts/"
    exit 1
fi
echo "1 passed, 0 failed"
