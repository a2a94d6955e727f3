#!/bin/bash
# bench.sh: bench/generation runs and reports its three figures, and a warm
# cache is faster than compiling (by a wide margin: a few ms against a few
# hundred; the check asks only for 5x, to hold on a loaded machine).
. "$(dirname "$0")/../lib.sh"

st=0
TENDER_GEN=$TENDER_GEN timeout 120 "$SRCDIR/bench/generation" -n 5 \
    "$SRCDIR/examples/hello/manifest.yml" >"$WORK/out" 2>&1 || st=$?
check "bench/generation exits 0" [ "$st" -eq 0 ]
for what in "monitor.c only" "cold (compile)" "warm cache"; do
    check "reports: $what" grep -q "^$what *over 5 runs: median *[0-9]* us" "$WORK/out"
done
median() { sed -n "s/^$1 *over [0-9]* runs: median *\([0-9]*\) us.*/\1/p" "$WORK/out"; }
cold=$(median "cold (compile)")
warm=$(median "warm cache")
check "warm cache ($warm us) at least 5x faster than cold ($cold us)" \
    [ $((warm * 5)) -lt "$cold" ]

finish
