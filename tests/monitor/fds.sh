#!/bin/bash
# fds.sh: descriptors under the sandbox. The filter allows I/O only on the
# device descriptors the shape uses, not on their neighbours; a monitor
# started with descriptors 3..1023 and a high one open on a host file keeps
# none of them, with its own filter and under an orchestrator's (urunc's
# exact list, which has close but not close_range, getdents64 or fcntl),
# and its guest still runs and reaches its block devices; descriptors the
# caller left open never make the monitor lose one of its own to a pin.
. "$(dirname "$0")/../lib.sh"
OUTER=$1

# probe_for MANIFEST: a filter-probe with the filter of MANIFEST's monitor.
probe_for() {
    local name
    name=$(basename "$1" .yml)
    "$TENDER_GEN" --emit-c "$WORK/$name.c" "$1"
    sed -n '/^static const struct sock_filter mon_seccomp_filter\[\] = {/,/^};/p' \
        "$WORK/$name.c" >"$WORK/filter.inc"
    clang -I"$WORK" -x c "$SRCDIR/tests/tools/filter-probe.c.in" \
        -o "$WORK/probe-$name"
}
# probe NAME CALL FD: the exit status of probe NAME making CALL on FD: 0
# when the call went through, 159 (SIGSYS) when the filter killed it.
probe() {
    local st=0
    "$WORK/probe-$1" "$2" "$3" 2>/dev/null || st=$?
    echo "$st"
}
# allows/kills NAME CALL FD: checks that the call goes through, or kills.
allows() { check "$1: filter allows $2 on fd $3" [ "$(probe "$@")" -eq 0 ]; }
kills() { check "$1: filter kills $2 on fd $3" [ "$(probe "$@")" -eq 159 ]; }

# Shapes block=1 and block=1 net=2: each device type's descriptors from
# its base + 1, as many as the shape counts.
manifest "$WORK/blk1.yml" block:disk
manifest "$WORK/net2blk1.yml" block:disk net:a net:b
probe_for "$WORK/blk1.yml"
probe_for "$WORK/net2blk1.yml"
for call in pread pwrite; do
    allows blk1 $call 129
    kills blk1 $call 130
    kills blk1 $call 128
    kills blk1 $call 191
done
kills blk1 read 129
kills blk1 read 65
allows net2blk1 pread 129
kills net2blk1 pread 130
for call in read write; do
    allows net2blk1 $call 65
    allows net2blk1 $call 66
    kills net2blk1 $call 67
    kills net2blk1 $call 64
    kills net2blk1 $call 127
done
# The largest shape: 32 block and 31 net devices, one rule each.
devs=()
for i in $(seq 1 63); do
    if [ $((i % 2)) -eq 0 ]; then devs+=("net:n$i"); else devs+=("block:b$i"); fi
done
manifest "$WORK/all63.yml" "${devs[@]}"
probe_for "$WORK/all63.yml"
allows all63 pread 160
kills all63 pread 161
allows all63 write 95
kills all63 write 96
allows all63 write 2
kills all63 write 3
check "blk1: monitor.c names fd 129 alone for pread64" \
    grep -q "^ \*   pread64 .*: fd 129$" "$WORK/blk1.c"
check "net2blk1: monitor.c names fds 65..66 for read" \
    grep -q "^ \*   read .*taps' descriptors: fds 65..66$" "$WORK/net2blk1.c"

need_kvm
MON=$BINDIR/tests/rawops-tender
GUEST=$BINDIR/tests/rawops.hvt
BMON=$BINDIR/tests/blockwaiter-tender
BGUEST=$BINDIR/tests/blockwaiter.hvt
HOSTF=$WORK/host-file
echo "a host file the monitor must not keep" >"$HOSTF"
truncate -s 64K "$WORK/d0.img" "$WORK/d1.img"
ulimit -n 4096 2>/dev/null || ulimit -n "$(ulimit -Hn)"
HIGH=$(($(ulimit -n) - 96))

# "${WITH_FDS[@]}" COMMAND...: execs COMMAND (so that $! is its process)
# with 3..1023 and $HIGH open on $HOSTF.
export HOSTF HIGH
WITH_FDS=(bash -c 'for ((n = 3; n < 1024; n++)); do eval "exec $n<\"\$HOSTF\""; done
    eval "exec $HIGH<\"\$HOSTF\""
    exec "$@"' with-fds)
# fds_of PID: its open descriptors, in order, on one line.
fds_of() { ls "/proc/$1/fd" | sort -n | tr '\n' ' '; }
# brief FDS: at most the first 12 of them, for a message.
brief() {
    local n
    n=$(wc -w <<<"$1")
    if [ "$n" -le 12 ]; then echo "$1"; else echo "$(cut -d' ' -f1-12 <<<"$1")... ($n)"; fi
}
# host_fds PID: how many of its descriptors are open on $HOSTF.
host_fds() {
    local n=0 f
    for f in /proc/"$1"/fd/*; do
        [ "$(readlink "$f")" = "$HOSTF" ] && n=$((n + 1))
    done
    echo "$n"
}
# sandboxed PID ERR own|caller [OUT]: waits until the monitor has closed
# its sandbox: its own filter is on; or, under the caller's, the guest has
# written to OUT (the monitor says it runs under the caller's filter before
# it closes descriptors, and the guest runs only after).
sandboxed() {
    local done=(grep -q "^Seccomp:.2" "/proc/$1/status")
    [ "$3" = caller ] && done=(grep -q "waiter: ready" "$4")
    for _ in $(seq 200); do
        if "${done[@]}" 2>/dev/null; then
            [ "$3" != caller ] ||
                grep -q "running under the caller's seccomp filter" "$2"
            return
        fi
        sleep 0.05
    done
    return 1
}

# The monitor's own filter: only stdio, POLL's, the vCPU, and the block
# files (129, 130) remain.
"${WITH_FDS[@]}" "$MON" "$GUEST" s 2>"$WORK/err" &
pid=$!
check "own filter: sandbox closed" sandboxed "$pid" "$WORK/err" own
fds=$(fds_of "$pid")
check "own filter: keeps only 0 1 2 55 60 63 of 3..1023 and $HIGH (has: $(brief "$fds"))" \
    [ "$fds" = "0 1 2 55 60 63 " ]
kill "$pid"
wait "$pid" 2>/dev/null || true

"${WITH_FDS[@]}" "$BMON" --block:disk0="$WORK/d0.img" --block:disk1="$WORK/d1.img" \
    "$BGUEST" 30 >"$WORK/out" 2>"$WORK/err" &
pid=$!
check "own filter, two block devices: sandbox closed" sandboxed "$pid" "$WORK/err" own
fds=$(fds_of "$pid")
check "own filter, two block devices: keeps only 0 1 2 55 60 63 129 130 (has: $(brief "$fds"))" \
    [ "$fds" = "0 1 2 55 60 63 129 130 " ]
kill "$pid"
wait "$pid" 2>/dev/null || true

# A caller that leaves 3..N open pushes what the monitor opens (the VM,
# the ELF file, the CPUID thread's /dev/kvm) up to the fixed numbers: none
# of it may be lost to a later pin there.
bad=
for n in $(seq 50 64); do
    bash -c 'for ((n = 3; n <= $0; n++)); do eval "exec $n<\"\$HOSTF\""; done
        exec "$@"' "$n" "$MON" "$GUEST" ok >/dev/null 2>"$WORK/err" ||
        bad+=" 3..$n: $(head -1 "$WORK/err")"
done
for n in $(seq 125 131); do
    bash -c 'for ((n = 3; n <= $0; n++)); do eval "exec $n<\"\$HOSTF\""; done
        exec "$@"' "$n" "$BMON" --block:disk0="$WORK/d0.img" \
        --block:disk1="$WORK/d1.img" "$BGUEST" 0 >/dev/null 2>"$WORK/err" ||
        bad+=" 3..$n: $(head -1 "$WORK/err")"
done
check "3..N open, N = 50..64 and 125..131: the guest runs${bad:+ (failed:$bad)}" [ -z "$bad" ]

# Under an orchestrator's filter nothing moves to the fixed numbers (dup2 may
# be forbidden): what the monitor keeps sits where it was opened, above
# the caller's descriptors, and every one of the caller's is closed.
for how in "" --urunc; do
    label="under outer-filter${how:+ $how}"
    "${WITH_FDS[@]}" "$OUTER" $how "$BMON" --block:disk0="$WORK/d0.img" \
        --block:disk1="$WORK/d1.img" "$BGUEST" 30 >"$WORK/out" 2>"$WORK/err" &
    pid=$!
    check "$label: sandbox closed" sandboxed "$pid" "$WORK/err" caller "$WORK/out"
    fds=$(fds_of "$pid")
    check "$label: none of the caller's descriptors left (has: $(brief "$fds"))" \
        [ "$(host_fds "$pid")" -eq 0 ]
    kept=$(ls -l "/proc/$pid/fd" | grep -c "d[01].img$")
    check "$label: both block files kept" [ "$kept" -eq 2 ]
    low=$(for f in $fds; do [ "$f" -ge 3 ] && [ "$f" -lt 1024 ] && echo "$f"; done)
    check "$label: 0 1 2 and 5 above 1023: vCPU, POLL's two, two block files (has: $(brief "$fds"))" \
        [ -z "$low" ] && [ "$(wc -w <<<"$fds")" -eq 8 ]
    check "$label: the guest runs" grep -q "waiter: ready" "$WORK/out"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
done

# The guest still reaches its block devices when the caller left
# descriptors open, with either filter.
for how in own urunc; do
    pre=()
    [ "$how" = urunc ] && pre=("$OUTER" --urunc)
    status=0
    "${WITH_FDS[@]}" timeout 60 "${pre[@]}" "$BINDIR/examples/blkstore/blkstore-tender" \
        --block:storage="$WORK/d0.img" "$BINDIR/examples/blkstore/blkstore.hvt" \
        --solo5:quiet format put k "$how" >"$WORK/out" 2>"$WORK/err" || status=$?
    check "$how filter, 3..1023 open: blkstore stores (exit 0)" [ "$status" -eq 0 ]
    run_capture "$WORK/out" "$WORK/err" "$BINDIR/examples/blkstore/blkstore-tender" \
        --block:storage="$WORK/d0.img" "$BINDIR/examples/blkstore/blkstore.hvt" \
        --solo5:quiet get k
    check "... and the value is there on the next boot" grep -qx "get: k=$how" "$WORK/out"
done
finish
