#!/bin/bash
# blkbench.sh: the guest bench/block measures with does what it claims:
# "write read" over a whole image at 512- and 4096-byte blocks leaves every
# block stamped with its number and filled with 0x5a (checked from the
# host), reads find every stamp, and a block whose stamp is wrong is
# reported. The timed words: a random write pass stamps exactly the blocks
# of the xorshift64 sequence (computed here too) and leaves the rest zero,
# timed reads of either order check their stamps, and a read of a block
# never written fails. A pass of 0 seconds is one batch of 64 requests,
# which keeps these runs short and their block sets exact.
. "$(dirname "$0")/../lib.sh"
need_target

GUEST=$(guest_of "$BINDIR/tests/examples/blkbench")
if [ "${TG_MONITOR_ASAN:-0}" = 1 ]; then
    MON=$BINDIR/tests/examples/exmulti-tender-asan
    # That monitor's shape is multi's: bind the guest's one disk only.
else
    MON=$(monitor_of "$BINDIR/tests/examples/blkbench")
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

# xorshift64 SEED BLOCKS N: the first N block indices of the guest's random
# order over BLOCKS blocks (a power of two here, so the unsigned modulo is a
# mask; bash's >> is arithmetic, so the logical shift is masked too).
xorshift_blocks() {
    local x=$1 k
    for ((k = 0; k < $3; k++)); do
        x=$((x ^ (x << 13)))
        x=$((x ^ ((x >> 7) & ((1 << 57) - 1))))
        x=$((x ^ (x << 17)))
        echo $((x & ($2 - 1)))
    done
}

# random_image IMAGE BS WRITTEN: the blocks listed in WRITTEN are stamped
# and 0x5a-filled, every other block is zero.
random_image() {
    od -An -v -tu8 -w"$2" "$1" | awk -v fill=$FILL -v list="$3" '
        BEGIN { n = split(list, w, " "); for (k = 1; k <= n; k++) set[w[k]] = 1 }
        { b = NR - 1
          if (b in set) { if ($1 != b) bad++
                          for (i = 2; i <= NF; i++) if ($i != fill) bad++ }
          else for (i = 1; i <= NF; i++) if ($i != 0) bad++ }
        END { exit bad > 0 || NR == 0 }'
}

img=$WORK/rand
truncate -s 1M "$img" # 256 blocks of 4096 bytes
written=$(xorshift_blocks 88172645463325252 256 64 | sort -un | tr '\n' ' ')
run_capture "$WORK/out" "$WORK/err" "$MON" --block:storage="$img" \
    --block-sector-size:storage=4096 "$GUEST" randwrite:0
check "randwrite:0 exits 0 after one batch of 64 requests" \
    grep -qx "blkbench: randwrite: 64 blocks of 4096 bytes in [0-9]* ns" "$WORK/out"
check "host finds exactly the xorshift64 blocks stamped ($(wc -w <<<"$written") of 256)" \
    random_image "$img" 4096 "$written"
run_capture "$WORK/out" "$WORK/err" "$MON" --block:storage="$WORK/img512" \
    --block-sector-size:storage=512 "$GUEST" randread:0
check "randread:0 on a stamped image reads and checks 64 blocks" \
    grep -qx "blkbench: randread: 64 blocks of 512 bytes in [0-9]* ns" "$WORK/out"
truncate -s 1M "$WORK/zero"
first=$(xorshift_blocks 88172645463325252 256 1)
run_capture "$WORK/out" "$WORK/err" "$MON" --block:storage="$WORK/zero" \
    --block-sector-size:storage=4096 "$GUEST" randread:0
check "randread:0 of a block never written fails (exit 1)" test "$status" -eq 1
check "at the first random block, $first" \
    grep -qF "blkbench: block $first holds the stamp 0" "$WORK/out"
run_capture "$WORK/out" "$WORK/err" "$MON" --block:storage="$img" \
    --block-sector-size:storage=4096 "$GUEST" seqwrite:0 seqwrite:1 seqread:1 \
    randread:1
check "timed passes of 1 s, reads checked, exit 0" test "$status" -eq 0
check "and each reports its line" test "$(grep -c \
    "blkbench: [a-z]*: [0-9]* blocks of 4096 bytes in [0-9]* ns" "$WORK/out")" = 4
check "a 1 s pass lasts at least 1 s" awk '
    $2 == "seqread:" { ok = $9 >= 1000000000 } END { exit !ok }' "$WORK/out"
check "after a wrapping seqwrite the host finds every block stamped" \
    stamped "$img" 4096
run_capture "$WORK/out" "$WORK/err" "$MON" --block:storage="$img" \
    --block-sector-size:storage=4096 "$GUEST" randread:x
check "a bad SECS is refused (exit 1)" test "$status" -eq 1
[ "$failed" -eq 0 ] || cat "$WORK/out" "$WORK/err"
finish
