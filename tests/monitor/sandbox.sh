#!/bin/bash
# sandbox.sh: the seccomp filter tender-gen generates lets through what the
# shape's modules declared and kills the process on anything else; a
# running monitor is filtered, keeps only its fixed descriptors, and runs
# under an orchestrator's filter without trying to install its own.
. "$(dirname "$0")/../lib.sh"
OUTER=$1

# probe MONITOR_C CALL: 0 when the call went through, 159 (SIGSYS) when the
# filter killed the process.
build_probe() { # MONITOR_C OUT
    sed -n '/^static const struct sock_filter mon_seccomp_filter\[\] = {/,/^};/p' \
        "$1" >"$WORK/filter.inc"
    clang -I"$WORK" -x c "$SRCDIR/tests/tools/filter-probe.c.in" -o "$2"
}
probe() {
    local st=0
    "$1" "$2" 2>/dev/null || st=$?
    echo "$st"
}

printf 'version: 1\n' >"$WORK/none.yml"
"$TENDER_GEN" --emit-c "$WORK/none.c" "$WORK/none.yml"
build_probe "$WORK/none.c" "$WORK/probe-none"
for call in write1 write2 kvm_run; do
    check "console-only filter allows $call" [ "$(probe "$WORK/probe-none" $call)" -eq 0 ]
done
for call in write5 kvm_run_other_fd kvm_set_regs getpid openat read_net pread_block; do
    check "console-only filter kills $call" [ "$(probe "$WORK/probe-none" $call)" -eq 159 ]
done

# The running monitor: filtered, no new privileges, only fds 0-2, 60 (the
# vCPU), 55 and 63 (POLL's epoll set and timer).
need_kvm
MON=$BINDIR/tests/rawops-tender
GUEST=$BINDIR/tests/rawops.hvt
"$MON" "$GUEST" s 2>"$WORK/err" &
pid=$!
for _ in $(seq 50); do
    grep -q "^Seccomp:.2" "/proc/$pid/status" 2>/dev/null && break
    sleep 0.05
done
check "running monitor: Seccomp 2" grep -q "^Seccomp:.2" "/proc/$pid/status"
check "running monitor: NoNewPrivs 1" grep -q "^NoNewPrivs:.1" "/proc/$pid/status"
fds=$(ls "/proc/$pid/fd" | sort -n | tr '\n' ' ')
check "running monitor keeps only fds 0 1 2 55 60 63 (has: $fds)" [ "$fds" = "0 1 2 55 60 63 " ]
kill "$pid"
wait "$pid" 2>/dev/null || true

# Under an orchestrator's filter that forbids seccomp() and prctl(): the
# monitor says so in one line and runs the guest.
run_capture "$WORK/out" "$WORK/err" "$OUTER" "$MON" "$GUEST" ok
check "under an outer filter: the guest runs (exit 0)" [ "$status" -eq 0 ]
check "under an outer filter: one line says so" \
    grep -q "running under the caller's seccomp filter" "$WORK/err"
# Under exactly urunc's list (43 system calls, kill on anything else): the
# monitor must start, run, sleep (POLL) and exit with what that list allows.
run_capture "$WORK/out" "$WORK/err" "$OUTER" --urunc \
    "$BINDIR/tests/clocks-tender" "$BINDIR/tests/clocks.hvt"
check "under urunc's filter: clocks (POLL) exits 0" [ "$status" -eq 0 ]
check "under urunc's filter: clocks' checks pass" grep -q "clocks: SUCCESS" "$WORK/out"
run_capture "$WORK/out" "$WORK/err" "$OUTER" --urunc \
    "$BINDIR/tests/exit_status-tender" "$BINDIR/tests/exit_status.hvt" 42
check "under urunc's filter: exit status 42 passes through" [ "$status" -eq 42 ]
# What needs no guest, under the same list: every answer is written with
# write(2), never through a stdio stream, whose writev urunc's list lacks.
HELLO_MON=$BINDIR/examples/hello/hello-tender
for ask in --version --help --describe; do
    run_capture "$WORK/out" "$WORK/err" "$OUTER" --urunc "$HELLO_MON" "$ask"
    check "under urunc's filter: $ask answers (exit 0)" \
        bash -c "[ $status -eq 0 ] && cat '$WORK/out' '$WORK/err' | grep -q ."
done
run_capture "$WORK/out" "$WORK/err" "$OUTER" --urunc "$HELLO_MON" --frobnicate \
    "$BINDIR/examples/hello/hello.hvt"
check "under urunc's filter: a bad option gets its line (exit 1)" \
    bash -c "[ $status -eq 1 ] && grep -q 'invalid option' '$WORK/err'"
# A block device there: flock is not in urunc's list, so the file is not
# locked, the line says so, and the data is still written.
truncate -s 64K "$WORK/kv.img"
run_capture "$WORK/out" "$WORK/err" "$OUTER" --urunc \
    "$BINDIR/examples/blkstore/blkstore-tender" --block:storage="$WORK/kv.img" \
    "$BINDIR/examples/blkstore/blkstore.hvt" --solo5:quiet format put k under-urunc
check "under urunc's filter: blkstore formats and stores (exit 0)" [ "$status" -eq 0 ]
check "under urunc's filter: the line names block file locking as off" \
    grep -q "turned off: .*block file locking" "$WORK/err"
run_capture "$WORK/out" "$WORK/err" "$BINDIR/examples/blkstore/blkstore-tender" \
    --block:storage="$WORK/kv.img" "$BINDIR/examples/blkstore/blkstore.hvt" \
    --solo5:quiet get k
check "... and the value is there on the next boot" grep -qx "get: k=under-urunc" "$WORK/out"
finish
