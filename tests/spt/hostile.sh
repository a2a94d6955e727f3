#!/bin/bash
# spt-hostile: a guest of a process (spt) monitor that makes a system call
# its filter does not allow, uses a descriptor it was not given, asks for
# executable memory or runs its stack is ended by the filter (the process
# is killed by SIGSYS: its parent sees it die of signal 31, status 159 in
# a shell) or by the kernel (SIGSEGV, 139), never allowed: nothing it
# planted runs and it never reaches the line after the call. Bad pointers
# to a call it may make come back as EFAULT, to the guest. Monitors run as
# nobody, with /dev/kvm hidden.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/spt/spt-lib.sh"
need_root
need_tool cc "building the spt test guest" || { finish; exit; }
chmod 755 "$WORK"
mkdir -m 777 "$WORK/pub"
printf '#!/bin/sh\ntouch %s\n' "$WORK/pub/ran" >"$WORK/pub/plant.sh"
chmod 755 "$WORK/pub/plant.sh"

spt_guest ops "$SRCDIR/tests/guests/nodevices.yml" ||
    skip_test "the spt test guest did not build"

# attempt WHAT EXPECTED-STATUS GUEST-ARGS...
attempt() {
    local what=$1 want=$2
    shift 2
    run_capture "$WORK/o" "$WORK/e" "${NOKVM[@]}" "${NOBODY[@]}" \
        "$WORK/ops-tender" "$WORK/ops.spt" "$@"
    check "$what: ended (status $status, expected $want)" [ "$status" -eq "$want" ]
    check "$what: the guest never went on" sh -c "! grep -q 'still running' '$WORK/o'"
    check "$what: nothing written where it was not given" [ ! -s "$WORK/e" ]
}

attempt "getpid (not allowed)" 159 getpid
attempt "openat creating a file" 159 openat "$WORK/pub/planted"
check "... the file does not exist" [ ! -e "$WORK/pub/planted" ]
attempt "execve of a planted script" 159 execve "$WORK/pub/plant.sh"
check "... the script did not run" [ ! -e "$WORK/pub/ran" ]
attempt "an x32 system call (write)" 159 x32
attempt "clock_gettime of another clock" 159 clock
attempt "write to descriptor 2 (not given)" 159 stderr
attempt "write to descriptor 0" 159 fd 0
attempt "write to a net device's descriptor (65) in a shape without one" 159 fd 65
attempt "write to a block device's descriptor (129) in a shape without one" 159 fd 129
attempt "write to the epoll descriptor (55)" 159 fd 55
attempt "mmap of executable memory" 159 mmapx
attempt "mprotect to make data executable" 159 mprotectx
attempt "a jump into the stack" 139 runstack

run_capture "$WORK/o" "$WORK/e" "${NOKVM[@]}" "${NOBODY[@]}" \
    "$WORK/ops-tender" "$WORK/ops.spt" efault
check "bad pointers to write(1): the guest goes on (exit 0)" [ "$status" -eq 0 ]
check "... and sees EFAULT for each" grep -qx "efault: returned" "$WORK/o"
finish
