#!/bin/bash
# spt-block: a block device on a process (spt) monitor: the guest reads and
# writes its file itself, one block at a time inside the device, as the
# filter allows; a transfer of another size, past the last block, or at an
# offset whose high half is set is ended by the filter (SIGSYS, status 159)
# and the file does not grow. The monitor's refusals before the guest
# runs: a misaligned file, a file another monitor holds, a device left
# unbound. Monitors run as nobody, with /dev/kvm hidden.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/spt/spt-lib.sh"
need_root
need_tool cc "building the spt test guest" || { finish; exit; }
chmod 755 "$WORK"
manifest "$WORK/blk.yml" block:storage
spt_guest blk "$WORK/blk.yml" || skip_test "the spt test guest did not build"

IMG=$WORK/disk.img
fresh() {
    head -c "${1:-1048576}" /dev/zero >"$IMG"
    [ "${1:-1048576}" -gt 8192 ] && printf 'block-one-marker' | dd of="$IMG" bs=1 seek=512 conv=notrunc status=none
    [ "${1:-1048576}" -gt 8192 ] && printf 'block-big-marker' | dd of="$IMG" bs=1 seek=4096 conv=notrunc status=none
    chown 65534:65534 "$IMG"
}
# run_blk GUEST-ARGS...: the guest with $IMG as its device, as nobody.
run_blk() {
    run_capture "$WORK/o" "$WORK/e" "${NOKVM[@]}" "${NOBODY[@]}" \
        "$WORK/blk-tender" $OPTS "--block:storage=$IMG" "$WORK/blk.spt" "$@"
}

OPTS=
fresh
run_blk blkread
check "a read of block 1: the guest goes on (its own exit, 3)" [ "$status" -eq 3 ]
check "... the block's bytes" grep -qx "read: block-one-marker" "$WORK/o"
run_blk blkwrite
check "a write of the last block, read back" grep -qx "written" "$WORK/o"
check "... and in the file" [ "$(tail -c 512 "$IMG" | head -c 10)" = "spt-block-" ]
for bad in blkbig blkpast blkodd; do
    run_blk "$bad"
    check "$bad: ended by the filter (status $status)" [ "$status" -eq 159 ]
    check "$bad: the guest never went on" sh -c "! grep -q 'still running' '$WORK/o'"
done
check "the file did not grow" [ "$(stat -c %s "$IMG")" = 1048576 ]
run_blk fd 65
check "a net device's descriptor (65) in a block shape: ended (status $status)" [ "$status" -eq 159 ]
run_blk fd 130
check "a second block device's descriptor (130) in a one-block shape: ended" [ "$status" -eq 159 ]

OPTS=--block-sector-size:storage=4096
run_blk blkread
check "4096-byte blocks: block 1 read" grep -qx "read: block-big-marker" "$WORK/o"
run_blk blkpast
check "4096-byte blocks: past the last one: ended" [ "$status" -eq 159 ]
OPTS=

fresh 3000
run_blk blkread
check "a misaligned file: refused (exit 1)" [ "$status" -eq 1 ]
check "... saying why" grep -qx "blk-tender: --block:storage=$IMG: Backing storage size must be block aligned ($IMG is 3000 bytes, not a multiple of the block size 512)" "$WORK/e"
check "... before the guest ran" [ ! -s "$WORK/o" ]

fresh
flock "$IMG" sleep 5 &
locker=$!
sleep 0.3
run_blk blkread
check "a file another process holds: refused (exit 1)" [ "$status" -eq 1 ]
check "... saying so" grep -qx "blk-tender: --block:storage=$IMG: $IMG is in use (locked by another process)" "$WORK/e"
kill "$locker" 2>/dev/null
wait "$locker" 2>/dev/null

run_capture "$WORK/o" "$WORK/e" "${NOKVM[@]}" "$WORK/blk-tender" "$WORK/blk.spt" blkread
check "the device left unbound: refused (exit 1)" [ "$status" -eq 1 ]
check "... naming it" grep -qx "blk-tender: device 'storage' declared but not attached" "$WORK/e"
finish
