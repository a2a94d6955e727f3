#!/bin/bash
# guests.sh: unikernels built with kernel/ boot on their generated monitors
# under KVM: exit statuses pass through, faults are caught by the guest's
# own trap handlers (or, for writes to text and rodata, by the monitor),
# clocks and TLS work, and the command line arrives intact.
. "$(dirname "$0")/../lib.sh"
need_kvm
G=$BINDIR/tests

# run GUEST [MONITOR OPTIONS --] ARGS...: runs G/GUEST.hvt on its monitor.
run() {
    local g=$1
    shift
    run_capture "$WORK/out" "$WORK/err" "$(monitor_of "$G/$g")" "$G/$g.hvt" "$@"
}
expect() { # DESCRIPTION STATUS SUBSTRING [FILE]
    local what=$1 st=$2 text=$3 file=${4:-$WORK/out}
    if [ "$status" -eq "$st" ] && grep -qF -- "$text" "$file"; then
        pass "$what"
    else
        fail "$what: exit $status (want $st), want '$text'; got: $(head -c 600 "$WORK/out" "$WORK/err")"
    fi
}

for st in 0 1 42 255; do
    run exit_status "$st"
    expect "exit_status $st" "$st" "Solo5: solo5_exit($st) called"
done
check "add_unikernel(MEMORY 6M) is the default memory" \
    grep -q "Memory map: 6 MB addressable" "$WORK/out"
run_capture "$WORK/out" "$WORK/err" "$(monitor_of "$G/exit_status")" --mem=8 "$G/exit_status.hvt" 0
check "--mem overrides it" grep -q "Memory map: 8 MB addressable" "$WORK/out"
run exit_status 300
expect "exit_status 300 -> 44" 44 "exiting with 300"
run exit_status abort
expect "solo5_abort() -> 255" 255 "Solo5: solo5_abort() called"

run fault_null
expect "null dereference: #PF reported" 255 "Solo5: trap: type=#PF ec=0x2"
expect "null dereference: cr2=0x0" 255 "Solo5: trap: cr2=0x0"
expect "null dereference: aborts" 255 ": Fatal trap"
run fault_text
expect "write to .text stopped by the monitor" 1 "host/guest translation fault: rip=0x" "$WORK/err"
run fault_rodata
expect "write to .rodata stopped by the monitor" 1 "host/guest translation fault: rip=0x" "$WORK/err"
run fault_above
expect "access above guest memory: #PF at mem_size" 255 "Solo5: trap: cr2=0x400000"
run fault_ssp
expect "stack smash caught by the canary" 255 "Solo5: ABORT: Stack corruption detected"
run fault_stack
expect "stack overflow caught" 255 "Solo5: trap: stack overflow"

# The MSR filter: segment bases and a TSC read pass, anything else is #GP.
run msr read-tsc
expect "rdmsr IA32_TSC allowed" 0 "msr: tsc ok"
run msr write-gsbase
expect "wrmsr GS_BASE allowed" 0 "msr: gs_base ok"
for op in read-apic write-star write-tsc; do
    run msr $op
    expect "$op: #GP in the guest" 255 "Solo5: trap: type=#GP"
done

run clocks
expect "clocks: all checks pass" 0 "clocks: SUCCESS"
check "clocks: no FAILURE line" bash -c "! grep -q FAILURE '$WORK/out'"
run tls
expect "TLS blocks switch" 0 "tls: SUCCESS"

for arg in "" "hello world" "$(head -c 8191 /dev/zero | tr '\0' x)"; do
    run cmdline "$arg"
    want=$(printf %s "$arg" | cksum)
    expect "command line of ${#arg} characters arrives intact" 0 "cmdline: cksum $want"
done

run exit_status --solo5:quiet 7
check "--solo5:quiet drops the Solo5: lines" bash -c "[ $status -eq 7 ] && ! grep -q '^Solo5:' '$WORK/out'"

# hello, the README's example.
run_capture "$WORK/out" "$WORK/err" "$(monitor_of "$BINDIR/examples/hello/hello")" \
    "$BINDIR/examples/hello/hello.hvt" one two
expect "hello greets" 0 "Hello from tender-gen!"
expect "hello prints its command line" 0 "cmdline: one two"
finish
