#!/bin/bash
# ring-probe.sh: the ring as the ABI says (docs/hvt-abi.md §6), seen
# from a guest that drives it by hand (ringprobe.c): where it is and that it
# starts zeroed; AGAIN, EINVAL, skipped entries, completions in submission
# order; tender-gen's READV only when offered; a ring of writes reaching the
# tap; no ring with --no-net-ring or under a caller's seccomp filter; both
# threads under the monitor's own filter; and every hostile act (corrupted
# indices, entries outside guest memory, wrong kicks) stopped with exit
# status 1 and one line.
. "$(dirname "$0")/../net/netlib.sh"
need_kvm
need_netns rprobe

RING_DIR=$BINDIR/tests/ring
if [ "${TG_MONITOR_ASAN:-0}" = 1 ]; then
    MON=$RING_DIR/ringnet-tender-asan
else
    MON=$RING_DIR/ringprobe-tender
fi
G=$RING_DIR/ringprobe.hvt
tap tap0 10.0.0.1/24

probe_ok() { # WHAT: the last run exited 0 with no FAILED check
    if [ "$status" -eq 0 ] && grep -q "ringprobe: SUCCESS" "$WORK/out" &&
        ! grep -q FAILED "$WORK/out"; then
        pass "$1"
    else
        fail "$1: exit $status; $(grep -E 'FAILED|SUCCESS' "$WORK/out" | head -5)"
        cat "$WORK/out" "$WORK/err"
    fi
}
tap_rx() {
    in_ns cat /sys/class/net/tap0/statistics/rx_packets
}

run_ns "$WORK/out" "$WORK/err" "$MON" --net:service=tap0 "$G" info
probe_ok "ring offered at mem_size, zeroed"
check "features: the ring and tender-gen's batched reads (0x10001)" \
    grep -q "features 0x10001 ring 0x400000 mem 0x400000" "$WORK/out"
run_ns "$WORK/out" "$WORK/err" "$MON" --net:service=tap0 --no-net-batch "$G" info
check "--no-net-batch: Solo5's ring only (0x1)" \
    grep -q "features 0x1 ring 0x400000" "$WORK/out"
run_ns "$WORK/out" "$WORK/err" "$MON" --no-net-ring --net:service=tap0 "$G" noring
probe_ok "--no-net-ring: no ring offered"
run_ns "$WORK/out" "$WORK/err" "$MON" --mem=4096 --net:service=tap0 "$G" info
probe_ok "--mem=4096: ring offered"
check "--mem=4096: the guest gets 4 GiB - 2 MiB, the ring the top 2 MiB" \
    grep -q "ring 0xffe00000 mem 0xffe00000" "$WORK/out"

for opts in "" "--no-net-batch"; do
    before=$(tap_rx)
    run_ns "$WORK/out" "$WORK/err" "$MON" --net:service=tap0 $opts "$G" ops
    probe_ok "protocol checks ${opts:-(batched reads offered)}"
    check "${opts:-default}: 1000 ring writes reached the tap, nothing else" \
        test "$(($(tap_rx) - before))" -eq 1000
    check "${opts:-default}: the oversized frame reported once" \
        test "$(grep -c "dropped a 1515-byte frame from the ring" "$WORK/err")" = 1
done

while IFS='|' read -r op what expect opts; do
    [ -n "$op" ] || continue
    run_ns "$WORK/out" "$WORK/err" "$MON" --net:service=tap0 $opts "$G" "$op"
    lines=$(wc -l <"$WORK/err")
    if [ "$status" -eq 1 ] && grep -q -- "$expect" "$WORK/err" && [ "$lines" -eq 1 ]; then
        pass "$what: exit 1, one line: $expect"
    else
        fail "$what: exit $status, $lines lines, expected 1 and '$expect'; got: $(head -c 400 "$WORK/err")"
    fi
done <<'TABLE'
tail|ent_tail 2000 entries ahead|corrupted the ring (ent_tail 2000, ent_head 0: more than 1024 entries outstanding)
tailback|ent_tail moved backwards|corrupted the ring (ent_tail 4294967295, ent_head 1
comhead|com_head moved past com_tail|corrupted the ring (com_head 5000, com_tail 0
wbuf|write entry straddling the top of memory|invalid guest access in net ring NET_WRITE entry: gpa=0x3fffe2, size=60
wring|write entry naming the ring itself|invalid guest access in net ring NET_WRITE entry: gpa=0x400000, size=60
rbuf|read entry beyond memory|invalid guest access in net ring NET_READ entry: gpa=0xfffff000, size=2048
rvarr|READV array straddling the top|invalid guest access in net ring READV entry: gpa=0x3ffff8, size=64
rvbuf|READV buffer beyond memory|invalid guest access in net ring READV frame buffer: gpa=0x400000
rro|read entry into rodata|invalid guest access in net ring NET_READ entry: gpa=0x1.*size=2048: read-only guest memory
rvro|READV array in rodata|invalid guest access in net ring READV entry: gpa=0x1.*size=64: read-only guest memory
rvbro|READV buffer in rodata|invalid guest access in net ring READV frame buffer: gpa=0x1.*size=2048: read-only guest memory
hro|NET_READ hypercall into rodata|invalid guest access in NET_READ: gpa=0x1.*size=2048: read-only guest memory
kickb|1-byte kick|invalid guest port access: port=0x600
kickin|IN from the kick port|invalid guest port access: port=0x600
kick|kick with no ring offered|invalid guest port access: port=0x600|--no-net-ring
TABLE

if [ "${TG_MONITOR_ASAN:-0}" != 1 ]; then
    # The I/O thread runs under the filter too (TSYNC), and the monitor
    # keeps the ring's descriptors (61 kick, 62 done) besides its own.
    start_guest "$WORK/guest" "$WORK/guest.err" \
        "$PING_DIR/ping-tender" --net:service=tap0 \
        "$PING_DIR/ping.hvt" --ipv4=10.0.0.2/24
    check "ping is ready" wait_for "$WORK/guest" "ping: ready"
    pid=$(pgrep -P "$(pgrep -P "$GUEST_PID")" || pgrep -P "$GUEST_PID")
    # (KVM's own kvm-nx-lpage-recovery task, where there is one, is not
    # ours: only the tasks that run the monitor's code count.)
    ours=$(grep -lx ping-tender /proc/"$pid"/task/*/comm | sed 's|/comm$||')
    check "two threads: the vCPU and the ring's I/O thread" \
        test "$(wc -w <<<"$ours")" -eq 2
    filtered=$(for t in $ours; do grep "^Seccomp:.2" "$t/status"; done | wc -l)
    check "both threads are filtered" test "$filtered" -eq 2
    fds=$(ls "/proc/$pid/fd" | sort -n | tr '\n' ' ')
    check "descriptors: stdio, POLL's, the vCPU, the ring's, the tap (has: $fds)" \
        [ "$fds" = "0 1 2 55 60 61 62 63 65 " ]
    run_ns "$WORK/p" "$WORK/p.err" ping -c 3 -i 0.2 -w 5 10.0.0.2
    check "and it answers" test "$(received "$WORK/p")" = 3
    kill "$GUEST_PID"
    wait "$GUEST_PID" 2>/dev/null

    # Under exactly urunc's list (which lacks clone and eventfd2): no ring,
    # the monitor's one line says so, and frames go by hypercalls.
    OUTER=$BINDIR/tests/outer-filter
    run_ns "$WORK/out" "$WORK/err" "$OUTER" --urunc "$MON" \
        --net:service=tap0 "$G" noring
    probe_ok "under urunc's filter: no ring offered"
    check "under urunc's filter: one line says the ring is off" \
        grep -q "running under the caller's seccomp filter; not installing this monitor's own; turned off: net ring I/O" "$WORK/err"
    start_guest "$WORK/guest" "$WORK/guest.err" "$OUTER" --urunc \
        "$PING_DIR/ping-tender" --net:service=tap0 \
        "$PING_DIR/ping.hvt" --ipv4=10.0.0.2/24 --limit=20
    check "under urunc's filter: ping is ready" wait_for "$WORK/guest" "ping: ready"
    run_ns "$WORK/p" "$WORK/p.err" ping -c 20 -i 0.05 -w 10 10.0.0.2
    check "under urunc's filter: 20 pings answered" test "$(received "$WORK/p")" = 20
    wait_guest
    check "under urunc's filter: the guest exits 0" test "$status" -eq 0
fi
finish
