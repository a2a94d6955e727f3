#!/bin/bash
# block-io.sh: the block module's I/O under KVM, checked from the host side
# too: after each run the image file must hold exactly the guest's blocks
# and, everywhere else, the bytes it held before (blkfile computes both).
# With TG_TARGET=spt (block-io-spt), the same on spt with /dev/kvm hidden;
# there the guest does its own I/O, so a host I/O error is the guest's
# SOLO5_R_EUNSPEC rather than the monitor's end of it, and the raw hvt
# hypercall checks are hvt's.
# Usage: block-io.sh BLKFILE (the host tool built from blkfile.c).
. "$(dirname "$0")/../lib.sh"
need_target
BLKFILE=$1
B=$BINDIR/tests/block
# tender GUEST: GUEST's monitor (or its ASan+UBSan build).
tender() { monitor_of "$B/$1"; }
LOOPS=()
cleanup() {
    for l in "${LOOPS[@]}"; do losetup -d "$l" 2>/dev/null; done
    rm -rf "$WORK"
}
trap cleanup EXIT

# guest TENDER-SUFFIX MONITOR-OPTIONS... -- GUEST-ARGS...: runs blkguest
# (or blkguest2, the two-device build) with the guest's Solo5 lines off.
guest() {
    local g=$1 opts=()
    shift
    while [ "$1" != -- ]; do opts+=("$1"); shift; done
    shift
    run_capture "$WORK/out" "$WORK/err" "$(tender $g)" "${opts[@]}" \
        "$(guest_of "$B/$g")" --solo5:quiet "$@"
}
expect() { # DESCRIPTION STATUS SUBSTRING [FILE]
    local what=$1 st=$2 text=$3 file=${4:-$WORK/out}
    if [ "$status" -eq "$st" ] && grep -qF -- "$text" "$file"; then
        pass "$what"
    else
        fail "$what: exit $status (want $st), want '$text'; got: $(head -c 800 "$WORK/out" "$WORK/err")"
    fi
}
# same DESCRIPTION FILE EXPECTED: the image holds exactly the expected bytes.
same() {
    local diff
    if diff=$(cmp "$2" "$3" 2>&1); then pass "$1"; else fail "$1: $diff"; fi
}
# chosen SIZE BS STRIDE: the blocks blkguest's rw writes.
chosen() {
    local n=$(($1 / $2)) b
    for ((b = 0; b < n; b++)); do
        if ((b % $3 == 0 || b == n - 1)); then echo $b; fi
    done
}
# wait_for FILE TEXT: until FILE holds TEXT (30 s at most).
wait_for() {
    for _ in $(seq 300); do
        grep -qF -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

IMG=$WORK/img
EXP=$WORK/expected

# Write, read back and verify several blocks including the last, and bad
# requests get EINVAL and change nothing: for each block size, then the
# host finds exactly the guest's bytes and, elsewhere, its own.
for spec in 512:65536:3 4096:65536:3 32768:131072:2; do
    IFS=: read -r bs size stride <<<"$spec"
    "$BLKFILE" "$IMG" "$size" 11
    guest blkguest --block-sector-size:storage="$bs" --block:storage="$IMG" \
        -- rw "$stride" 77
    expect "rw, $bs-byte blocks: guest verifies, EINVAL checks pass" 0 \
        "blkguest: SUCCESS"
    check "rw, $bs-byte blocks: no FAIL line" \
        bash -c "! grep -q FAIL '$WORK/out'"
    "$BLKFILE" "$EXP" "$size" 11 "$bs" 77 $(chosen "$size" "$bs" "$stride")
    same "rw, $bs-byte blocks: the file holds the guest's blocks, the rest unchanged" \
        "$IMG" "$EXP"
done

# The data is still there on the next boot (a guest that writes and exits
# finds it again), and the sector size option may follow --block:.
"$BLKFILE" "$IMG" 65536 3
guest blkguest --block:storage="$IMG" --block-sector-size:storage=4096 \
    -- rw 4 9
expect "first boot writes (sector size after --block:)" 0 "blkguest: SUCCESS"
guest blkguest --block:storage="$IMG" --block-sector-size:storage=4096 \
    -- verify 4 9
expect "next boot reads the same data back" 0 "blkguest: verified 5 blocks"
guest blkguest --block:storage="$IMG" -- verify 4 10
expect "and a different pattern does not verify" 1 "reads back wrong"

# Two devices, each its own handle, file and block size.
"$BLKFILE" "$WORK/a" 8192 1
"$BLKFILE" "$WORK/b" 65536 2
guest blkguest2 --block:storage="$WORK/a" --block:backup="$WORK/b" \
    --block-sector-size:backup=4096 -- rw 1 5
expect "two devices: both verify" 0 "blkguest: SUCCESS"
expect "two devices: second one has handle 2 and 4 KiB blocks" 0 \
    "backup: handle 2, capacity 65536, block size 4096"
"$BLKFILE" "$EXP" 8192 1 512 5 $(chosen 8192 512 1)
same "two devices: storage's file holds storage's blocks" "$WORK/a" "$EXP"
"$BLKFILE" "$EXP" 65536 2 4096 6 $(chosen 65536 4096 1)
same "two devices: backup's file holds backup's blocks" "$WORK/b" "$EXP"

# A buffer or argument outside guest memory stops the guest; nothing is
# written. (hvt's hypercalls; an spt guest's block calls are its own system
# calls, which tests/spt/block.sh checks against the monitor's filter.)
on_spt || for what in write read wrap struct; do
    "$BLKFILE" "$IMG" 65536 11
    guest blkguest --block:storage="$IMG" -- badbuf "$what"
    expect "bad guest pointer ($what) stops the guest" 1 \
        "invalid guest access in BLOCK_" "$WORK/err"
    "$BLKFILE" "$EXP" 65536 11
    same "bad guest pointer ($what): file unchanged" "$IMG" "$EXP"
done

# A host block device (a loop device over an image) works the same way,
# its capacity from BLKGETSIZE64; a read-only one is refused.
"$BLKFILE" "$IMG" 65536 11
if loop=$(losetup -f --show "$IMG" 2>/dev/null); then
    LOOPS+=("$loop")
    guest blkguest --block-sector-size:storage=4096 --block:storage="$loop" \
        -- rw 3 77
    expect "loop device: rw with 4 KiB blocks" 0 "blkguest: SUCCESS"
    losetup -d "$loop"
    "$BLKFILE" "$EXP" 65536 11 4096 77 $(chosen 65536 4096 3)
    same "loop device: the backing file holds the guest's blocks" "$IMG" "$EXP"
    loop=$(losetup -f --show -r "$IMG")
    LOOPS+=("$loop")
    guest blkguest --block:storage="$loop" -- rw 3 78
    expect "read-only loop device refused" 1 "read-only block device" \
        "$WORK/err"
    losetup -d "$loop"
    same "read-only loop device: file unchanged" "$IMG" "$EXP"
else
    lacking "no loop device here (losetup -f): block-device checks not run"
fi

# Two monitors on one image: the second is refused before it touches the
# file; the first keeps its data. The first waits for "GO" in block 1.
"$BLKFILE" "$IMG" 65536 11
"$(tender blkguest)" --block:storage="$IMG" "$(guest_of "$B/blkguest")" \
    --solo5:quiet hold 21 >"$WORK/out1" 2>"$WORK/err1" &
first=$!
if wait_for "$WORK/out1" "blkguest: holding"; then
    guest blkguest --block:storage="$IMG" -- rw 1 99
    expect "second monitor on a locked image is refused" 1 \
        "is in use (locked by another process)" "$WORK/err"
else
    fail "first monitor did not start holding: $(cat "$WORK/out1" "$WORK/err1")"
fi
printf GO | dd of="$IMG" bs=1 seek=512 conv=notrunc status=none
status=0
wait $first || status=$?
cp "$WORK/out1" "$WORK/out"
expect "first monitor ran on, its block 0 intact" 0 \
    "blkguest: released, block 0 intact"
"$BLKFILE" "$EXP" 65536 11 512 21 0
printf GO | dd of="$EXP" bs=1 seek=512 conv=notrunc status=none
same "locked image: only the first guest's data" "$IMG" "$EXP"

# Host I/O errors end the guest (exit 1) with one line naming the device,
# the file and the error; never a silent success. A file that shrinks under
# the guest:
"$BLKFILE" "$IMG" 65536 11
"$(tender blkguest)" --block:storage="$IMG" "$(guest_of "$B/blkguest")" \
    --solo5:quiet shrink >"$WORK/out1" 2>"$WORK/err1" &
first=$!
wait_for "$WORK/out1" "waiting for the file to shrink"
truncate -s 32768 "$IMG"
status=0
wait $first || status=$?
cp "$WORK/out1" "$WORK/out"
cp "$WORK/err1" "$WORK/err"
if on_spt; then
    # On spt the guest reads the file itself: the short read is its
    # SOLO5_R_EUNSPEC (3), and it goes on (blkguest exits 0 on it).
    expect "file shrank: the guest's read fails with EUNSPEC" 0 \
        "blkguest: read of the last block: result 3"
else
    check "file shrank: the guest never saw a result for the read" \
        bash -c "! grep -q 'read of the last block: result' '$WORK/out'"
    expect "file shrank: the monitor ends the guest, naming the device" 1 \
        "block device 'storage' ($IMG): read at offset 65024 failed: end of file" \
        "$WORK/err"
fi

# ... and a full file system (a sparse image on a 16 KiB tmpfs).
mkdir "$WORK/mnt"
if unshare -m true 2>/dev/null; then
    status=0
    timeout 60 unshare -m bash -c "mount -t tmpfs -o size=16k tmpfs '$WORK/mnt' &&
        truncate -s 1M '$WORK/mnt/img' &&
        exec '$(tender blkguest)' --block:storage='$WORK/mnt/img' \
            '$(guest_of "$B/blkguest")' --solo5:quiet fill" \
        >"$WORK/out" 2>"$WORK/err" || status=$?
    if on_spt; then
        # The guest's own write fails: SOLO5_R_EUNSPEC, after the 32
        # blocks (16 KiB) the file system holds.
        expect "disk full: the guest's write fails with EUNSPEC" 0 \
            "blkguest: 33 writes, last result 3"
    else
        expect "disk full: the monitor ends the guest, naming the device" 1 \
            "block device 'storage' ($WORK/mnt/img): write at offset" "$WORK/err"
        expect "disk full: ... No space left on device" 1 \
            "No space left on device" "$WORK/err"
    fi
else
    lacking "cannot make a mount namespace here (unshare -m): disk-full check not run"
fi
finish
