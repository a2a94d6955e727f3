#!/bin/bash
# ring-blkmulti.sh: multi-block requests (HVT_FEATURE_TG_BLOCK_MULTI,
# kernel/include/solo5_ext.h) at 512- and 4096-byte blocks: the whole
# device in one request, checked byte for byte from the host; the capacity
# edge; every malformed request EINVAL (through the API and raw); a buffer
# outside guest memory stopped with one line; single-block and multi-block
# requests agree on the data. With SOLO5_HVT naming solo5-hvt, the same
# guest there, where the API falls back to one block per request.
. "$(dirname "$0")/../lib.sh"
need_kvm

DIR=$BINDIR/tests/ring
if [ "${TG_MONITOR_ASAN:-0}" = 1 ]; then
    MON=$DIR/ringblk-tender-asan
else
    MON=$DIR/blkmulti-tender
fi
G=$DIR/blkmulti.hvt

# expected FILE BS BLOCKS: the image blkmulti's "fill" writes.
expected() {
    local i
    : >"$1"
    for ((i = 0; i < $3; i++)); do
        head -c "$2" /dev/zero | tr '\0' "\\$(printf %03o $(((i * 7 + 1) & 255)))" >>"$1"
    done
}

for bs in 512 4096; do
    blocks=$((65536 / bs))
    truncate -s 0 "$WORK/disk.img"
    truncate -s 65536 "$WORK/disk.img"
    run_capture "$WORK/out" "$WORK/err" "$MON" --block:storage="$WORK/disk.img" \
        --block-sector-size:storage=$bs "$G" fill
    if [ "$status" -eq 0 ] && grep -q "blkmulti: SUCCESS" "$WORK/out" &&
        ! grep -q FAILED "$WORK/out"; then
        pass "$bs-byte blocks: every multi-block check passed"
    else
        fail "$bs-byte blocks: exit $status; $(grep -E 'FAILED|SUCCESS' "$WORK/out" | head -5)"
        cat "$WORK/out" "$WORK/err"
    fi
    check "$bs-byte blocks: the monitor offered multi-block requests" \
        grep -q "multi-block offered" "$WORK/out"
    expected "$WORK/want.img" $bs $blocks
    check "$bs-byte blocks: the image holds exactly what was written" \
        cmp -s "$WORK/disk.img" "$WORK/want.img"
    check "$bs-byte blocks: nothing on stderr" test ! -s "$WORK/err"
done

# Single-block and 64 KiB requests over the same device (the bench mode
# reads and writes back what it read, so the image must not change).
cp "$WORK/disk.img" "$WORK/before.img"
run_capture "$WORK/out" "$WORK/err" "$MON" --block:storage="$WORK/disk.img" \
    --block-sector-size:storage=4096 "$G" bench 2
check "bench: both request sizes ran" grep -q "per request: [0-9]* MB/s" "$WORK/out"
check "bench: the image is unchanged" cmp -s "$WORK/disk.img" "$WORK/before.img"

# The same guest on solo5-hvt, which does not offer multi-block requests:
# the API does them one block at a time.
if [ -n "${SOLO5_HVT:-}" ] && [ -x "$SOLO5_HVT" ]; then
    truncate -s 0 "$WORK/disk.img"
    truncate -s 65536 "$WORK/disk.img"
    run_capture "$WORK/out" "$WORK/err" "$SOLO5_HVT" --mem=8 \
        --block:storage="$WORK/disk.img" "$G" api
    check "solo5-hvt: multi-block requests not offered" \
        grep -q "multi-block not offered" "$WORK/out"
    check "solo5-hvt: every API check passed (exit $status)" \
        grep -q "blkmulti: SUCCESS" "$WORK/out"
    expected "$WORK/want.img" 512 128
    check "solo5-hvt: the image holds exactly what was written" \
        cmp -s "$WORK/disk.img" "$WORK/want.img"
else
    echo "NOTE: SOLO5_HVT does not name solo5-hvt; the one-block fallback not run"
fi

run_capture "$WORK/out" "$WORK/err" "$MON" --block:storage="$WORK/disk.img" "$G" badbuf
check "a buffer past guest memory: exit 1" test "$status" -eq 1
check "a buffer past guest memory: one line naming it" \
    test "$(grep -c "invalid guest access in TG_BLOCK_READ: gpa=0x7ffe00, size=1024" "$WORK/err")" = 1 -a \
    "$(wc -l <"$WORK/err")" = 1
finish
