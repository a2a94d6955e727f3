#!/bin/bash
# hostile.sh: a guest attacking the monitor through the hypercall interface
# (tests/guests/rawops.S, plain assembly, so no library check stands in the
# way) is stopped with a one-line reason and exit status 1, the monitor
# never crashes, and no file it was not given as a device is touched, even
# one it inherits open on its devices' descriptor numbers. The net and block
# modules' own hostile cases are in tests/net/probe.sh and
# tests/block/block-io.sh.
# Usage: hostile.sh SLOWREADER (the host tool built from tools/slowreader.c).
. "$(dirname "$0")/../lib.sh"
need_kvm
SLOWREADER=$1
MON=$(monitor_of "$BINDIR/tests/rawops")
GUEST=$BINDIR/tests/rawops.hvt

# A file the monitor is never given as a device: it must come out of every
# run as it went in. Every run inherits it open for reading and writing (as
# from a careless caller) on the numbers the monitor moves its devices'
# descriptors to: 65, the first tap's; 129 and 191, the first and the last
# block device's. The block runs below give the monitor an image next to
# it, through a symlinked name.
FILES=$WORK/files
mkdir "$FILES"
CANARY=$FILES/canary
head -c 65536 /dev/urandom >"$CANARY"
before=$(sha256sum <"$CANARY")
touch -d '2001-01-01' "$CANARY"
# mon OUT ERR MONITOR ARGS...: run_capture with the canary inherited.
mon() {
    run_capture "$@" 65<>"$CANARY" 129<>"$CANARY" 191<>"$CANARY"
}

while IFS='|' read -r op what expect; do
    [ -n "$op" ] || continue
    mon "$WORK/out" "$WORK/err" "$MON" --mem=8 "$GUEST" "$op"
    lines=$(wc -l <"$WORK/err")
    if [ "$status" -eq 1 ] && grep -q -- "$expect" "$WORK/err" && [ "$lines" -eq 1 ]; then
        pass "$what: exit 1, one line: $expect"
    else
        fail "$what: exit $status, $lines lines, expected 1 and '$expect'; got: $(head -c 400 "$WORK/err")"
    fi
done <<'TABLE'
W|PUTS buffer wrapping around|invalid guest access in PUTS: gpa=0xfffffffffffff000, size=8192
L|PUTS of 2^63 bytes|invalid guest access in PUTS: gpa=0x100000, size=9223372036854775808
S|argument struct straddling the top|invalid guest access in PUTS: gpa=0x7ffff8, size=16
E|buffer ending exactly at the top|invalid guest access in PUTS: gpa=0x7ffff0, size=16
H|HALT cookie in the last 512 bytes|invalid guest access in HALT cookie
k|ring kick with no ring offered|invalid guest port access: port=0x600
I|IN from a hypercall port|invalid guest port access: port=0x502
2|2-byte OUT to a hypercall port|invalid guest port access: port=0x502
n|hypercall of a device type not in the monitor|invalid guest hypercall: num=4
p|OUT to a foreign port|invalid guest port access: port=0x1234
b|PUTS beyond guest memory|invalid guest access in PUTS
TABLE

# A console write of 61 MiB in one hypercall: written in full, not a crash.
mon "$WORK/big" "$WORK/err" "$MON" --mem=64 "$GUEST" M
check "61 MiB console write: exit 0" [ "$status" -eq 0 ]
check "61 MiB console write: every byte written" \
    [ "$(stat -c %s "$WORK/big")" -eq $((61 * 1024 * 1024)) ]
# The same write to a one-page pipe read in small pieces, the monitor
# stopped and continued whenever the pipe is full: its write(2)s come back
# short, and every byte must still arrive, in order.
mon "$WORK/piped" "$WORK/err" "$SLOWREADER" "$MON" --mem=64 "$GUEST" M
check "61 MiB console write to a slow pipe: exit 0" [ "$status" -eq 0 ]
check "61 MiB console write to a slow pipe: the writes were interrupted" \
    grep -Eq "^slowreader: [0-9]+ bytes, [1-9][0-9]* stops with the pipe full$" "$WORK/err"
check "61 MiB console write to a slow pipe: the same bytes as to a file" \
    cmp -s "$WORK/big" "$WORK/piped"

# A block device next to the canary, named through a symlink: the guest
# writes and reads its blocks, sends requests for other handles (63 among
# them, whose descriptor would be 191) and past the end, and buffers
# outside its memory.
BLK=$BINDIR/tests/block/blkguest
truncate -s 65536 "$FILES/disk.img"
ln -s disk.img "$FILES/disk"
mon "$WORK/out" "$WORK/err" "$(monitor_of "$BLK")" --block:storage="$FILES/disk" \
    "$BLK.hvt" --solo5:quiet rw 1 5
check "block device by a symlinked name: rw and bad requests, exit 0" \
    bash -c "[ $status -eq 0 ] && grep -q 'blkguest: SUCCESS' '$WORK/out'"
check "block device by a symlinked name: the image holds the guest's blocks" \
    bash -c "[ \"\$(head -c 65536 /dev/zero | sha256sum)\" != \"\$(sha256sum <'$FILES/disk.img')\" ]"
for what in write wrap; do
    mon "$WORK/out" "$WORK/err" "$(monitor_of "$BLK")" --block:storage="$FILES/disk" \
        "$BLK.hvt" --solo5:quiet badbuf "$what"
    check "block buffer outside guest memory ($what): exit 1" \
        bash -c "[ $status -eq 1 ] && grep -q 'invalid guest access in BLOCK_' '$WORK/err'"
done
check "the symlink is still a symlink to the image" \
    test "$(readlink "$FILES/disk")" = disk.img
check "nothing new beside the canary" \
    test "$(ls -A "$FILES" | tr '\n' ' ')" = "canary disk disk.img "

check "canary file untouched (content)" [ "$(sha256sum <"$CANARY")" = "$before" ]
check "canary file untouched (mtime)" [ "$(stat -c %Y "$CANARY")" = "$(date -d 2001-01-01 +%s)" ]
finish
