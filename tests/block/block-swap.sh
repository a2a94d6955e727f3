#!/bin/bash
# block-swap.sh: check, then open. An unprivileged user owns the directory
# of the path root gives --block:, and swaps that path, as fast as it can,
# between a regular file and symbolic links to a character device and to a
# block device (a loop device) while root starts the monitor again and
# again. Whatever the path names when the monitor checks it is what it
# opens: a character device is never opened at all, and the block device
# is opened read-write only in the runs where the monitor took the path
# for that block device (it then refuses its size: 4608 bytes is not a
# multiple of the 4096-byte sectors asked for). inotify on the two device
# nodes counts every open; an O_PATH descriptor is not an open.
# Usage: block-swap.sh SWAPRACE (the helper built from swaprace.c).
. "$(dirname "$0")/../lib.sh"
need_kvm
SWAPRACE=$1
B=$BINDIR/tests/block
RUNS=400

cannot() {
    if [ "${REQUIRE_KVM:-0}" = 1 ]; then
        echo "FAIL: $1, and REQUIRE_KVM=1"
        exit 1
    fi
    echo "SKIP: $1"
    exit 77
}
[ "$(id -u)" = 0 ] || cannot "not root (the test makes device nodes and a loop device)"
command -v setpriv >/dev/null || cannot "no setpriv (util-linux)"
command -v losetup >/dev/null || cannot "no losetup (mount; scripts/install-deps)"

LOOP=
SWAPPER=
cleanup() {
    [ -n "$SWAPPER" ] && kill "$SWAPPER" 2>/dev/null && wait "$SWAPPER" 2>/dev/null
    [ -n "$LOOP" ] && losetup -d "$LOOP"
    rm -rf "$WORK"
}
trap cleanup EXIT

# The devices, under names of their own, so that no other process's opens
# are counted: a character device (the null device) and a loop device on a
# 4608-byte file.
mkdir "$WORK/nodes"
CHR=$WORK/nodes/chr
BLK=$WORK/nodes/blk
mknod -m 0666 "$CHR" c 1 3
: <"$CHR" 2>/dev/null || cannot "device nodes cannot be opened in $WORK (nodev?)"
head -c 4608 /dev/zero >"$WORK/loop.img"
LOOP=$(losetup -f --show "$WORK/loop.img" 2>"$WORK/losetup.err") ||
    { LOOP=; cannot "losetup: $(cat "$WORK/losetup.err")"; }
mknod -m 0600 "$BLK" b "$(stat -c %t "$LOOP" | xargs printf '%d')" \
    "$(stat -c %T "$LOOP" | xargs printf '%d')"
[ -b "$BLK" ] || cannot "cannot make a block device node"

# The attacker's directory and its file (8 KiB: two 4096-byte sectors).
chmod 0755 "$WORK"
ATT=$WORK/attacker
mkdir "$ATT"
chown 65534:65534 "$ATT"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
as_nobody sh -c "head -c 8192 /dev/zero >'$ATT/file'" ||
    cannot "user 65534 cannot write in $ATT"
DISK=$ATT/disk

# mon: root starts blkguest2's monitor on DISK, watching both nodes; only
# the first device is bound, so a monitor that attaches it stops at
# "declared but not attached" before the guest is loaded. Sets $status and
# fills $WORK/err and $WORK/report.
mon() {
    status=0
    "$SWAPRACE" watch "$WORK/report" "$CHR" "$BLK" -- timeout 30 \
        "$(monitor_of "$B/blkguest2")" --block-sector-size:storage=4096 \
        --block:storage="$DISK" "$B/blkguest2.hvt" --solo5:quiet rw 1 99 \
        >"$WORK/out" 2>"$WORK/err" || status=$?
}
said() { grep -qF -- "$1" "$WORK/err"; }
counts() { # NODE: "OPENED WRITTEN" for NODE in the report
    awk -v n="$1" '$1 == n { print $3, $5 }' "$WORK/report"
}
A_FILE="device 'backup' of type block declared but not attached"
A_CHR="$DISK is a character device; a block device needs a regular file or a block device"
A_BLK="Backing storage size must be block aligned ($DISK is 4608 bytes"
HOLE="$DISK changed while it was being opened"

# Each target on its own, no race: the outcomes the race may give, and the
# watch seeing a read-write open of each node.
as_nobody ln -f "$ATT/file" "$DISK"
mon
check "the file: attached (then: backup not bound)" said "$A_FILE"
check "the file: no device opened" [ "$(counts "$CHR")/$(counts "$BLK")" = "0 0/0 0" ]
as_nobody ln -sfn "$CHR" "$DISK"
mon
check "link to a character device: refused" said "$A_CHR"
check "link to a character device: not opened" [ "$(counts "$CHR")" = "0 0" ]
as_nobody ln -sfn "$BLK" "$DISK"
mon
check "link to the block device: taken, and its size refused" said "$A_BLK"
check "link to the block device: opened read-write once" [ "$(counts "$BLK")" = "1 1" ]
"$SWAPRACE" watch "$WORK/report" "$CHR" -- sh -c ": >'$CHR'"
check "the watch sees a write open of the character device" [ "$(counts "$CHR")" = "1 1" ]

# The race. The attacker swaps for at most 300 s; it is stopped at the end.
setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$SWAPRACE" swap "$DISK" "$ATT/file" 300 "$CHR" "$BLK" &
SWAPPER=$!
n_file=0 n_chr=0 n_blk=0 n_hole=0 bad=0
for ((i = 0; i < RUNS; i++)); do
    mon
    c=$(counts "$CHR")
    b=$(counts "$BLK")
    said "$HOLE" && n_hole=$((n_hole + 1))
    if said "$A_FILE" && [ "$c/$b" = "0 0/0 0" ]; then
        n_file=$((n_file + 1))
    elif said "$A_CHR" && [ "$c/$b" = "0 0/0 0" ]; then
        n_chr=$((n_chr + 1))
    elif said "$A_BLK" && [ "$c" = "0 0" ]; then
        n_blk=$((n_blk + 1))
    else
        bad=$((bad + 1))
        [ "$bad" -le 5 ] && echo "run $i: exit $status; character device" \
            "opened/written $c, block device $b: $(head -c 400 "$WORK/err")"
    fi
done
kill "$SWAPPER" 2>/dev/null
wait "$SWAPPER" 2>/dev/null
SWAPPER=
echo "$RUNS runs: $n_file took the file, $n_chr refused the character device," \
    "$n_blk took the block device, $bad opened what they did not check"
check "race: no run opened a device it had not checked" [ "$bad" -eq 0 ]
check "race: no run found the file changed while it was opened ($n_hole)" \
    [ "$n_hole" -eq 0 ]
check "race: the swaps were seen (file and links both met)" \
    [ "$n_file" -gt 0 -a $((n_chr + n_blk)) -gt 0 ]
check "the loop device's file never changed" \
    cmp -s "$WORK/loop.img" <(head -c 4608 /dev/zero)
finish
