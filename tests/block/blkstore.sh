#!/bin/bash
# blkstore.sh: examples/blkstore, the key-value store, under KVM: it
# survives reboots, and a torn write, a corrupted or foreign image, a record
# from another store and a device of another geometry are all refused, never
# served. Image damage is made from the host with dd. With TG_TARGET=spt
# (blkstore-spt), blkstore.spt on its process monitor, /dev/kvm hidden.
. "$(dirname "$0")/../lib.sh"
need_target
E=$BINDIR/examples/blkstore
IMG=$WORK/kv

# kv [MONITOR-OPTIONS...] -- COMMANDS...: one boot of blkstore on $IMG.
kv() {
    local opts=()
    while [ "$1" != -- ]; do opts+=("$1"); shift; done
    shift
    run_capture "$WORK/out" "$WORK/err" "$(monitor_of "$E/blkstore")" \
        --block:storage="$IMG" "${opts[@]}" "$(guest_of "$E/blkstore")" --solo5:quiet "$@"
}
expect() { # DESCRIPTION STATUS SUBSTRING [FILE]
    local what=$1 st=$2 text=$3 file=${4:-$WORK/out}
    if [ "$status" -eq "$st" ] && grep -qF -- "$text" "$file"; then
        pass "$what"
    else
        fail "$what: exit $status (want $st), want '$text'; got: $(head -c 800 "$WORK/out" "$WORK/err")"
    fi
}
# poke OFFSET BYTES: overwrites the image at OFFSET, as a failing disk would.
poke() { printf %s "$2" | dd of="$IMG" bs=1 seek="$1" conv=notrunc status=none; }
# slot_of KEY: the slot the last put of KEY reported.
slot_of() { sed -n "s/^blkstore: put $1 (slot \([0-9]*\))$/\1/p" "$WORK/out"; }
long() { head -c "$1" /dev/zero | tr '\0' "$2"; }

truncate -s 65536 "$IMG"
kv -- list
expect "unformatted image refused" 3 "not formatted; refusing it"
kv -- format
expect "format" 0 "formatted: 127 slots"
kv -- put alpha one put beta two put gamma three get beta
expect "put and get in one boot" 0 "get: beta=two"
kv -- get alpha get gamma
expect "survives a reboot" 0 "get: gamma=three"
kv -- put alpha uno delete beta list
expect "update and delete" 0 "list: alpha=uno"
check "deleted key not listed" bash -c "! grep -q '^list: beta' '$WORK/out'"
kv -- get beta
expect "deleted key stays deleted after a reboot" 2 "get beta: not found"
kv -- put big "$(long 600 x)"
expect "value longer than a block refused" 1 "put big: key or value too long"
kv -- put "$(long 65 k)" v
expect "key longer than 64 bytes refused" 1 "key or value too long"
kv -- frobnicate
expect "unknown command" 1 "unknown command 'frobnicate'"

# A torn write: a record cut short (its block's tail never written).
kv -- put torn "$(long 400 t)"
slot=$(slot_of torn)
dd if=/dev/zero of="$IMG" bs=1 seek=$(((slot + 1) * 512 + 200)) count=312 \
    conv=notrunc status=none
kv -- get alpha
expect "torn record: image refused, other keys not served" 3 \
    "slot $slot (block $((slot + 1))) damaged: checksum mismatch"
check "torn record: nothing served" bash -c "! grep -q '^get:' '$WORK/out'"
kv -- scrub get alpha
expect "scrub drops the damaged record, the rest is served" 0 "get: alpha=uno"
expect "scrub says what it did" 0 "scrubbed 1 damaged slot(s)"
kv -- get torn
expect "the torn record is gone" 2 "get torn: not found"

# One flipped byte in a value, in the superblock, in a free slot.
kv -- put flip abcdef
slot=$(slot_of flip)
poke $(((slot + 1) * 512 + 24 + 4 + 2)) Z
kv -- get alpha
expect "flipped byte in a record refused" 3 "damaged: checksum mismatch"
kv -- scrub
poke $((100 * 512 + 7)) Z
kv -- get alpha
expect "a byte in a free slot's block refused" 3 \
    "slot 99 (block 100) damaged: not a record"
kv -- scrub
poke 20 Z
kv -- get alpha
expect "corrupted superblock refused" 3 "superblock damaged"

# A foreign image; format will not overwrite it without force.
head -c 65536 /dev/urandom >"$IMG"
kv -- list
expect "foreign image refused" 3 "not a blkstore image"
kv -- format
expect "format refuses to overwrite a foreign image" 3 \
    "holds something else; 'format force' overwrites it"
kv -- format force put k v get k
expect "format force" 0 "get: k=v"

# A record copied from another store is not served.
cp "$IMG" "$WORK/first"
kv -- format put k other
cp "$IMG" "$WORK/second"
dd if="$WORK/first" of="$IMG" bs=512 skip=1 seek=1 count=1 conv=notrunc \
    status=none
kv -- get k
expect "record of another store refused" 3 "record of another store"

# Another geometry: made for 512-byte blocks, opened with 4096.
cp "$WORK/second" "$IMG"
kv --block-sector-size:storage=4096 -- get k
expect "store opened with another block size refused" 3 \
    "does not fit this device"

# 4 KiB blocks: a torn update keeps only its first 512-byte sector.
truncate -s 0 "$IMG"
truncate -s 65536 "$IMG"
kv --block-sector-size:storage=4096 -- format put doc "$(long 3000 a)"
expect "4 KiB blocks: format and put" 0 "put doc (slot 0)"
dd if="$IMG" of="$WORK/old" bs=4096 skip=1 count=1 status=none
kv --block-sector-size:storage=4096 -- put doc "$(long 3000 b)" get doc
expect "4 KiB blocks: update" 0 "get: doc=bbbb"
dd if="$WORK/old" of="$IMG" bs=512 skip=1 seek=9 count=7 conv=notrunc \
    status=none
kv --block-sector-size:storage=4096 -- get doc
expect "4 KiB blocks: half-old, half-new record refused" 3 \
    "slot 0 (block 1) damaged: checksum mismatch"

# Full: a 4-block image holds 3 records.
truncate -s 0 "$IMG"
truncate -s 2048 "$IMG"
kv -- format put a 1 put b 2 put c 3 put d 4
expect "store full" 5 "formatted: 3 slots"
check "store full: the first three puts took slots 0, 1 and 2" \
    test "$(slot_of a)$(slot_of b)$(slot_of c)" = 012
check "store full: the fourth put is the one refused" \
    bash -c "! grep -q '^blkstore: put d' '$WORK/out'"
kv -- get c get d
expect "store full: after a reboot the three keys are served" 2 "get: c=3"
expect "store full: ... and the refused one is not" 2 "get d: not found"

# A host I/O error (a full file system) ends the run with a message naming
# the device, from the guest and from the monitor.
mkdir "$WORK/mnt"
if unshare -m true 2>/dev/null; then
    status=0
    timeout 60 unshare -m bash -c "mount -t tmpfs -o size=16k tmpfs '$WORK/mnt' &&
        truncate -s 1M '$WORK/mnt/kv' &&
        exec '$(monitor_of "$E/blkstore")' --block:storage='$WORK/mnt/kv' \
            '$(guest_of "$E/blkstore")' --solo5:quiet format" \
        >"$WORK/out" 2>"$WORK/err" || status=$?
    if on_spt; then
        # On spt the guest writes the file itself: the error is its own
        # (SOLO5_R_EUNSPEC), and blkstore ends with its I/O error status.
        expect "I/O error: the guest stops, naming the device and block" 4 \
            "blkstore: storage: I/O error writing block 32 (result 3)"
    else
        expect "I/O error: the monitor ends the guest, naming the device" 1 \
            "block device 'storage' ($WORK/mnt/kv): write at offset" "$WORK/err"
        expect "I/O error: ... and the error" 1 "No space left on device" "$WORK/err"
    fi
else
    lacking "cannot make a mount namespace here (unshare -m): disk-full check not run"
fi
finish
