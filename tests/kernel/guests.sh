#!/bin/bash
# guests.sh: unikernels built with kernel/ boot on their generated monitors
# under KVM: exit statuses pass through, faults are caught by the guest's
# own trap handlers (or, for writes to text and rodata, by the monitor),
# clocks and TLS work, and the command line arrives intact. With
# TG_TARGET=spt (kernel-guests-spt) the same guests built for spt run on
# their process monitors with /dev/kvm hidden; there a fault is the host's
# SIGSEGV (status 139, no trap report), and the MSR checks are hvt's only.
. "$(dirname "$0")/../lib.sh"
need_target
G=$BINDIR/tests

# run GUEST [MONITOR OPTIONS --] ARGS...: runs G/GUEST.hvt (G/GUEST.spt) on
# its monitor.
run() {
    local g=$1
    shift
    run_capture "$WORK/out" "$WORK/err" "$(monitor_of "$G/$g")" "$(guest_of "$G/$g")" "$@"
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
run_capture "$WORK/out" "$WORK/err" "$(monitor_of "$G/exit_status")" --mem=8 "$(guest_of "$G/exit_status")" 0
check "--mem overrides it" grep -q "Memory map: 8 MB addressable" "$WORK/out"
run exit_status 300
expect "exit_status 300 -> 44" 44 "exiting with 300"
run exit_status abort
expect "solo5_abort() -> 255" 255 "Solo5: solo5_abort() called"

# faulted DESCRIPTION TEXT: on spt a fault is the host's SIGSEGV, which
# ends the process (status 139) with no trap report: the guest got as far
# as TEXT (its line before the faulting access), and no "Solo5: trap:" line.
faulted() {
    if [ "$status" -eq 139 ] && grep -qF -- "$2" "$WORK/out" &&
        ! grep -q "Solo5: trap:" "$WORK/out"; then
        pass "$1"
    else
        fail "$1: exit $status (want 139, SIGSEGV), want '$2' and no trap line; got: $(head -c 600 "$WORK/out" "$WORK/err")"
    fi
}

run fault_null
if on_spt; then
    faulted "null dereference: SIGSEGV" "fault_null: writing to address 0x0"
else
    expect "null dereference: #PF reported" 255 "Solo5: trap: type=#PF ec=0x2"
    expect "null dereference: cr2=0x0" 255 "Solo5: trap: cr2=0x0"
    expect "null dereference: aborts" 255 ": Fatal trap"
fi
run fault_text
if on_spt; then
    faulted "write to .text: SIGSEGV" "fault_text: writing to text at 0x"
else
    expect "write to .text stopped by the monitor" 1 "host/guest translation fault: rip=0x" "$WORK/err"
fi
run fault_rodata
if on_spt; then
    faulted "write to .rodata: SIGSEGV" "fault_rodata: writing to rodata at 0x"
else
    expect "write to .rodata stopped by the monitor" 1 "host/guest translation fault: rip=0x" "$WORK/err"
fi
run fault_above
if on_spt; then
    faulted "access above guest memory: SIGSEGV" "fault_above: reading 0x400000"
else
    expect "access above guest memory: #PF at mem_size" 255 "Solo5: trap: cr2=0x400000"
fi
run fault_ssp
expect "stack smash caught by the canary" 255 "Solo5: ABORT: Stack corruption detected"
run fault_stack
if on_spt; then
    faulted "stack overflow: SIGSEGV" "fault_stack: recursing without bound"
else
    expect "stack overflow caught" 255 "Solo5: trap: stack overflow"
fi

# The MSR filter (hvt only: an spt guest is a process, with no MSRs of its
# own): segment bases and a TSC read pass, anything else is #GP.
if ! on_spt; then
    run msr read-tsc
    expect "rdmsr IA32_TSC allowed" 0 "msr: tsc ok"
    run msr write-gsbase
    expect "wrmsr GS_BASE allowed" 0 "msr: gs_base ok"
    for op in read-apic write-star write-tsc; do
        run msr $op
        expect "$op: #GP in the guest" 255 "Solo5: trap: type=#GP"
    done
fi

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
    "$(guest_of "$BINDIR/examples/hello/hello")" one two
expect "hello greets" 0 "Hello from tender-gen!"
expect "hello prints its command line" 0 "cmdline: one two"
finish
