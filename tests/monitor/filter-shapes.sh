#!/bin/bash
# filter-shapes.sh: the generated filter of each shape the product makes
# (console only, block, net with its ring, gdb, dumpcore), probed call by
# call in a process of its own (tests/tools/filter-probe.c.in): every
# rule's call goes through with the argument its module pins (descriptor,
# ioctl request, open flags, clock), and the same call with a neighbouring
# descriptor, another request, other flags or another clock kills the
# process. Then one
# pin broken on purpose in a copy of the data directory: the probe must
# see the call it should have killed go through.
. "$(dirname "$0")/../lib.sh"
need_tool clang "the filter probes" || skip_test "no clang"

# x86_64 system call numbers.
READ=0 WRITE=1 IOCTL=16 PREAD=17 PWRITE=18 RECVFROM=45 CLOCK_GETTIME=228
OPENAT=257 EPOLL_PWAIT=281 TIMERFD_SETTIME=286
# Clock ids: CLOCK_REALTIME 0, CLOCK_MONOTONIC 1, CLOCK_PROCESS_CPUTIME_ID 2,
# CLOCK_BOOTTIME 7.

manifest_of() { # NAME BODY: a manifest of that body
    printf 'version: 1\n%s\n' "$2" >"$WORK/$1.yml"
}
build() { # NAME [TENDER-GEN OPTIONS]: probe-NAME, with NAME's filter
    local name=$1
    shift
    "$TENDER_GEN" "$@" --emit-c "$WORK/$name.c" "$WORK/$name.yml" &&
        sed -n '/^static const struct sock_filter mon_seccomp_filter\[\] = {/,/^};/p' \
            "$WORK/$name.c" >"$WORK/filter.inc" &&
        clang -I"$WORK" -x c "$SRCDIR/tests/tools/filter-probe.c.in" \
            -o "$WORK/probe-$name"
}
st_of() { # NAME NR A0 A1 A2 A3: exit status of that call under NAME's filter
    local st=0
    "$WORK/probe-$1" sys "${@:2}" 2>/dev/null || st=$?
    echo "$st"
}
allows() { # NAME WHAT NR A0 A1 A2 A3
    check "$1: allows $2" [ "$(st_of "$1" "${@:3}")" -eq 0 ]
}
kills() {
    check "$1: kills $2" [ "$(st_of "$1" "${@:3}")" -eq 159 ]
}

manifest_of console ""
manifest_of block 'devices: [{name: disk, type: block}]'
manifest_of net 'devices: [{name: service, type: net}]'
manifest_of gdb 'modules: [gdb]'
manifest_of dumpcore 'modules: [dumpcore]'
for s in console block net gdb dumpcore; do
    check "probe for the $s shape built" build $s
done
K() { "$WORK/probe-console" const "$1"; }
KVM_RUN=$(K KVM_RUN) GET_REGS=$(K KVM_GET_REGS) SET_REGS=$(K KVM_SET_REGS)
GET_SREGS=$(K KVM_GET_SREGS) SET_DEBUG=$(K KVM_SET_GUEST_DEBUG)
CORE_FLAGS=$(($(K O_WRONLY) | $(K O_CREAT) | $(K O_EXCL) | $(K O_NOFOLLOW) | $(K O_CLOEXEC)))
TRUNC_FLAGS=$((CORE_FLAGS & ~$(K O_EXCL) | $(K O_TRUNC)))

# The core, in every shape.
allows console "KVM_RUN on the vCPU (60)" $IOCTL 60 "$KVM_RUN" 0 0
kills console "KVM_RUN on 61" $IOCTL 61 "$KVM_RUN" 0 0
allows console "KVM_GET_REGS on 60" $IOCTL 60 "$GET_REGS" buf 0
kills console "KVM_SET_REGS on 60 (gdb's)" $IOCTL 60 "$SET_REGS" buf 0
kills console "KVM_GET_SREGS on 60 (gdb's and dumpcore's)" $IOCTL 60 "$GET_SREGS" buf 0
allows console "write on stderr" $WRITE 2 buf 0 0
allows console "write on stdout (console)" $WRITE 1 buf 0 0
kills console "write on 3" $WRITE 3 buf 0 0
kills console "read on stdin" $READ 0 buf 1 0
allows console "epoll_pwait on POLL's set (55)" $EPOLL_PWAIT 55 buf 1 0
kills console "epoll_pwait on 54" $EPOLL_PWAIT 54 buf 1 0
allows console "timerfd_settime on POLL's timer (63)" $TIMERFD_SETTIME 63 0 buf 0
kills console "timerfd_settime on 62" $TIMERFD_SETTIME 62 0 buf 0
kills console "openat" $OPENAT -100 buf 0 0
allows console "clock_gettime of CLOCK_REALTIME" $CLOCK_GETTIME 0 buf 0 0
allows console "clock_gettime of CLOCK_MONOTONIC" $CLOCK_GETTIME 1 buf 0 0
kills console "clock_gettime of CLOCK_PROCESS_CPUTIME_ID" $CLOCK_GETTIME 2 buf 0 0
kills console "clock_gettime of CLOCK_BOOTTIME" $CLOCK_GETTIME 7 buf 0 0
kills console "pread64 on a block descriptor (129)" $PREAD 129 buf 1 0
kills console "read on a tap descriptor (65)" $READ 65 buf 1 0

# block=1: its one descriptor, 129.
allows block "pread64 on 129" $PREAD 129 buf 1 0
allows block "pwrite64 on 129" $PWRITE 129 buf 0 0
kills block "pread64 on 130" $PREAD 130 buf 1 0
kills block "pwrite64 on 128" $PWRITE 128 buf 0 0
kills block "read on 129" $READ 129 buf 1 0

# net=1 and its ring: the tap at 65, the ring's kick (61) and done (62).
allows net "read on the tap (65)" $READ 65 buf 1 0
allows net "write on the tap (65)" $WRITE 65 buf 0 0
kills net "read on 66" $READ 66 buf 1 0
kills net "write on 64" $WRITE 64 buf 0 0
allows net "read on the ring's kick (61)" $READ 61 buf 8 0
allows net "write on the ring's done (62)" $WRITE 62 buf 0 0
kills net "read on the vCPU (60)" $READ 60 buf 1 0
kills net "pread64 on the tap" $PREAD 65 buf 1 0

# gdb: its connection (56), /proc/self/mem (57), the vCPU's debug ioctls.
allows gdb "recvfrom on the connection (56)" $RECVFROM 56 buf 1 0
kills gdb "recvfrom on 57" $RECVFROM 57 buf 1 0
allows gdb "write on the connection" $WRITE 56 buf 0 0
allows gdb "pread64 on guest memory (57)" $PREAD 57 buf 1 0
kills gdb "pread64 on 58" $PREAD 58 buf 1 0
allows gdb "KVM_SET_REGS on 60" $IOCTL 60 "$SET_REGS" buf 0
allows gdb "KVM_SET_GUEST_DEBUG on 60" $IOCTL 60 "$SET_DEBUG" buf 0
kills gdb "KVM_SET_REGS on 61" $IOCTL 61 "$SET_REGS" buf 0

# dumpcore: openat in its directory (58) with exactly its flags.
allows dumpcore "openat in DIR (58) with the core's flags" $OPENAT 58 buf "$CORE_FLAGS" 0600
kills dumpcore "openat in DIR with O_TRUNC for O_EXCL" $OPENAT 58 buf "$TRUNC_FLAGS" 0600
kills dumpcore "openat elsewhere (AT_FDCWD) with the core's flags" $OPENAT -100 buf "$CORE_FLAGS" 0600
allows dumpcore "pread64 on guest memory (59)" $PREAD 59 buf 1 0
kills dumpcore "pread64 on 58" $PREAD 58 buf 1 0
allows dumpcore "pwrite64 on the core (3)" $PWRITE 3 buf 0 0
kills dumpcore "pwrite64 on 4" $PWRITE 4 buf 0 0
allows dumpcore "KVM_GET_SREGS on 60" $IOCTL 60 "$GET_SREGS" buf 0

# One pin broken on purpose: the block module's pread64 without its
# descriptor, in a copy of the data directory. The probe must see it.
D=$WORK/data
mkdir "$D"
cp -r "$SRCDIR/templates" "$SRCDIR/modules" "$SRCDIR/include" "$D/"
sed -i '/- name: pread64/{n;/fd: devices/d}' "$D/modules/block/module.yml"
check "the pin is gone from the copy" \
    bash -c "! grep -A1 'name: pread64' '$D/modules/block/module.yml' | grep -q 'fd: devices'"
cp "$WORK/block.yml" "$WORK/broken.yml"
check "probe for the broken copy built" build broken --datadir "$D"
check "broken pin: pread64 on 130 now goes through, so the probe above would fail" \
    [ "$(st_of broken $PREAD 130 buf 1 0)" -eq 0 ]
finish
