#!/bin/bash
# blkbench.sh: the guest bench/block measures with does what it claims:
# "write read" over a whole image at 512- and 4096-byte blocks leaves every
# block stamped with its number and filled with 0x5a (checked from the
# host), reads find every stamp, and a block whose stamp is wrong is
# reported.
. "$(dirname "$0")/../lib.sh"
need_kvm

GUEST=$BINDIR/tests/examples/blkbench.hvt
if [ "${TG_MONITOR_ASAN:-0}" = 1 ]; then
    MON=$BINDIR/tests/examples/exmulti-tender-asan
    # That monitor's shape is multi's: bind the guest's one disk only.
else
    MON=$BINDIR/tests/examples/blkbench-tender
fi
FILL=6510615555426900570 # eight 0x5a bytes as a little-endian u64

# stamped IMAGE BS: block i of IMAGE starts with i and is 0x5a elsewhere.
stamped() {
    od -An -v -tu8 -w"$2" "$1" | awk -v fill=$FILL '
        { if ($1 != NR - 1) bad++
          for (i = 2; i <= NF; i++) if ($i != fill) bad++ }
        END { exit bad > 0 || NR == 0 }'
}

for bs in 512 4096; do
    img=$WORK/img$bs
    blocks=$((262144 / bs))
    truncate -s 256K "$img"
    run_capture "$WORK/out" "$WORK/err" "$MON" --block:storage="$img" \
        --block-sector-size:storage=$bs "$GUEST" write read
    check "$bs-byte blocks: write read exits 0" test "$status" -eq 0
    check "$bs-byte blocks: both passes report $blocks blocks" \
        test "$(grep -c "blkbench: [a-z]*: $blocks blocks of $bs bytes in [0-9]* ns" "$WORK/out")" = 2
    check "$bs-byte blocks: host finds every block stamped" stamped "$img" $bs
    [ "$failed" -eq 0 ] || cat "$WORK/out" "$WORK/err"
done

# A wrong stamp in block 5 (4096-byte blocks): the read pass stops there.
printf '\x07' | dd of="$WORK/img4096" bs=1 seek=$((5 * 4096)) conv=notrunc \
    status=none
run_capture "$WORK/out" "$WORK/err" "$MON" --block:storage="$WORK/img4096" \
    --block-sector-size:storage=4096 "$GUEST" read
check "a wrong stamp ends the read pass with exit 1" test "$status" -eq 1
check "and is reported" grep -qF "blkbench: block 5 holds the stamp 7" "$WORK/out"
finish
