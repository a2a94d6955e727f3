#!/bin/bash
# faults.sh: a guest that breaks the rules is stopped with one line that
# says why (with RIP where it has one) and exit status 1, as the compatibility table
# of docs/design.md words it.
. "$(dirname "$0")/../lib.sh"
need_kvm
MON=$(monitor_of "$BINDIR/tests/rawops")
GUEST=$BINDIR/tests/rawops.hvt

while IFS='|' read -r op what expect; do
    [ -n "$op" ] || continue
    run_capture "$WORK/out" "$WORK/err" "$MON" "$GUEST" "$op"
    if [ "$status" -eq 1 ] && grep -q -- "$expect" "$WORK/err"; then
        pass "$what: exit 1, '$expect'"
    else
        fail "$what: exit $status, expected 1 and '$expect'; got: $(cat "$WORK/err")"
    fi
done <<'TABLE'
w|write to text|host/guest translation fault: rip=0x1
r|write to rodata|host/guest translation fault: rip=0x1
p|OUT to a foreign port|invalid guest port access: port=0x1234
n|hypercall not served|invalid guest hypercall: num=4
b|PUTS beyond memory|invalid guest access in PUTS: gpa=0x400000
t|triple fault|guest triple fault: rip=0x1\|KVM: internal error exit
i|hlt with interrupts off|guest halted the CPU with interrupts off
TABLE

run_capture "$WORK/out" "$WORK/err" "$MON" "$GUEST" ok
check "well-behaved run exits 0" [ "$status" -eq 0 ]

# SIGTERM and SIGINT end a spinning guest: "Exiting on signal N", exit 1.
for sig in TERM INT; do
    "$MON" "$GUEST" s 2>"$WORK/sig.err" &
    pid=$!
    sleep 0.3
    kill -s "$sig" "$pid"
    st=0
    wait "$pid" || st=$?
    num=$(kill -l "$sig")
    check "SIG$sig: exit 1" [ "$st" -eq 1 ]
    check "SIG$sig: 'Exiting on signal $num'" grep -qx "Exiting on signal $num" "$WORK/sig.err"
done
finish
