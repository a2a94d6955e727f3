#!/bin/bash
# guestmem.sh: a guest that points hypercall structs and buffers at memory
# it may read but not write (its own text and rodata) is stopped with one
# line naming the hypercall, the guest address and why, exit status 1:
# never a signal, never a write there, and its block file is left as it
# was. The same on the ASan+UBSan monitors (TG_MONITOR_ASAN=1).
. "$(dirname "$0")/../lib.sh"
need_kvm
GUEST=$BINDIR/tests/guestmem.hvt
if [ "${TG_MONITOR_ASAN:-0}" = 1 ]; then
    MON=$BINDIR/tests/guestmem-tender-asan
    NETMON=$BINDIR/tests/netblock-tender-asan
else
    MON=$BINDIR/tests/guestmem-tender
    NETMON=$WORK/netblock-tender
    "$TENDER_GEN" -o "$NETMON" "$SRCDIR/tests/hostile/netblock.yml"
fi

DISK=$WORK/disk.img
printf 'block zero says hi' >"$DISK"
truncate -s 64K "$DISK"
before=$(sha256sum <"$DISK")

# The well-behaved case first: the same path works into writable memory.
run_capture "$WORK/out" "$WORK/err" "$MON" --block:disk="$DISK" "$GUEST" o
check "BLOCK_READ into the guest's data: exit 0" [ "$status" -eq 0 ]
check "BLOCK_READ into the guest's data: the block arrived" \
    grep -q "^block zero says " "$WORK/out"

while IFS='|' read -r op mon what expect; do
    [ -n "$op" ] || continue
    [ "$mon" = net ] && m=$NETMON || m=$MON
    run_capture "$WORK/out" "$WORK/err" "$m" --block:disk="$DISK" "$GUEST" "$op"
    lines=$(wc -l <"$WORK/err")
    if [ "$status" -eq 1 ] && [ "$lines" -eq 1 ] &&
        grep -q -- "$expect.*: read-only guest memory$" "$WORK/err"; then
        pass "$what: exit 1, one line: $(cat "$WORK/err")"
    else
        fail "$what: exit $status, $lines lines, expected 1 and '$expect ...: read-only guest memory'; got: $(head -c 400 "$WORK/err")"
    fi
done <<'TABLE'
T|own|WALLTIME result into rodata|invalid guest access in WALLTIME: gpa=0x10
P|own|POLL results into rodata|invalid guest access in POLL: gpa=0x10
N|net|NET_WRITE result into rodata|invalid guest access in NET_WRITE: gpa=0x10
Q|net|NET_READ results into rodata|invalid guest access in NET_READ: gpa=0x10
W|own|BLOCK_WRITE result into text|invalid guest access in BLOCK_WRITE: gpa=0x100000, size=40
R|own|BLOCK_READ data into rodata|invalid guest access in BLOCK_READ: gpa=0x10.*size=512
r|own|BLOCK_READ data into text|invalid guest access in BLOCK_READ: gpa=0x100000, size=512
U|own|TG_BLOCK_READ data into rodata|invalid guest access in TG_BLOCK_READ: gpa=0x10.*size=1024
TABLE

check "the block file is as it was" [ "$(sha256sum <"$DISK")" = "$before" ]
finish
