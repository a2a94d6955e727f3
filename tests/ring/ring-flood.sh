#!/bin/bash
# ring-flood.sh: data integrity over the ring under long floods. The same
# guest (examples/ping, built with kernel/, as tests/ring/ringping, which
# can force the way frames go) answers floods of echo requests of every
# size up to a full frame, each with its own payload, and icmpcheck
# (icmpcheck.c) compares every byte of every reply: over the ring with batched reads,
# over Solo5's ring operations only (--no-net-batch, what a Solo5 guest
# does), over hypercalls (--no-net-ring), and with kernel/'s own measured
# choice. Each run must lose nothing, corrupt nothing, and show in the
# monitor's ring counters (the trace module's) that it took the path it
# was meant to. With SOLO5_HVT naming solo5-hvt, the same guest runs on its
# ring; with SOLO5_TESTS naming a built Solo5 tests/ directory, Solo5's own
# test_net_ring runs on ours, with and without the ring.
. "$(dirname "$0")/../net/netlib.sh"
need_kvm
need_netns rflood

RING_DIR=$BINDIR/tests/ring
# The ring's counters come from the trace module: a monitor with it.
if [ "${TG_MONITOR_ASAN:-0}" = 1 ]; then
    MON=$RING_DIR/ringtrace-tender-asan
else
    MON=$WORK/ringping-trace
    "$TENDER_GEN" --with trace -o "$MON" "$RING_DIR/ringping.hvt"
fi
POLICY=--net=ring
ICMPCHECK=$RING_DIR/icmpcheck
tap tap0 10.0.0.1/24
GUEST_MAC=02:00:00:00:0f:02

# flood NAME COUNT PRELOAD [MONITOR OPTIONS]: COUNT echo requests of 0 to
# 1472 bytes (PRELOAD of them in flight at once) answered intact, byte for
# byte, then the guest exits on its --limit; sets $entries from the
# monitor's ring counters.
flood() {
    local name=$1 count=$2 preload=$3
    shift 3
    # The guest's MAC is fixed and known to the namespace beforehand: an
    # ARP exchange with a guest slowed by a loaded host could otherwise
    # outlast the kernel's resolution and drop the first requests.
    in_ns ip neigh replace 10.0.0.2 lladdr "$GUEST_MAC" dev tap0 nud permanent
    start_guest "$WORK/guest" "$WORK/guest.err" \
        "$MON" "$@" --net:service=tap0 --net-mac:service="$GUEST_MAC" \
        "$RING_DIR/ringping.hvt" $POLICY --ipv4=10.0.0.2/24 --limit="$count"
    check "$name: guest is ready" wait_for "$WORK/guest" "ping: ready"
    run_ns "$WORK/flood" "$WORK/flood.err" "$ICMPCHECK" --count="$count" \
        --window="$preload" --size=0-1472 --timeout=5000 10.0.0.2
    if [ "$status" -eq 0 ] && grep -q "^icmpcheck: $count sent, $count intact, 0 corrupted, 0 duplicated, 0 lost" "$WORK/flood"; then
        pass "$name: $count echo requests, every reply intact byte for byte"
    else
        fail "$name: $count echo requests: exit $status; got: $(head -c 600 "$WORK/flood" "$WORK/flood.err")"
    fi
    wait_guest
    check "$name: guest exits 0 after $count replies" test "$status" -eq 0
    check "$name: guest counted $count echo replies" \
        grep -qF "ping: SUCCESS: $count echo replies" "$WORK/guest"
    entries=$(sed -n 's/^tender-stat: net-ring-entries \([0-9]*\)$/\1/p' "$WORK/guest.err")
    check "$name: the monitor printed only its trace and counters" \
        test "$(grep -vc '^tender-\(trace\|stat\): ' "$WORK/guest.err")" -eq 0
}

# Batched reads: fewer entries than frames, as reads take several frames.
flood "ring, batched reads" 10000 1
check "ring, batched reads: the ring carried the frames ($entries entries)" \
    test "${entries:-0}" -ge 10000
flood "ring, batched reads, 16 in flight" 3000 16
check "ring, batched reads, 16 in flight: fewer entries than frames ($entries < 6000)" \
    test "${entries:-0}" -gt 0 -a "${entries:-0}" -lt 6000
# Solo5's operations only: a read entry per frame, and a write entry.
flood "ring, Solo5's operations" 3000 1 --no-net-batch
check "ring, Solo5's operations: a read and a write entry per ping ($entries)" \
    test "${entries:-0}" -ge 6000
flood "ring, Solo5's operations, 16 in flight" 3000 16 --no-net-batch
flood "hypercalls" 2000 1 --no-net-ring
check "hypercalls: no ring" test -z "$entries"
# kernel/'s choice, request by request: whatever it takes, nothing lost.
POLICY=--net=auto
flood "measured choice" 3000 4

# The same guest on solo5-hvt's ring (Solo5's operations only).
if [ -n "${SOLO5_HVT:-}" ] && [ -x "$SOLO5_HVT" ]; then
    OURS=$MON
    MON=$SOLO5_HVT
    flood "solo5-hvt's ring" 3000 4 --mem=8
    MON=$OURS
else
    echo "NOTE: SOLO5_HVT does not name solo5-hvt; ping.hvt on its ring not run"
fi

# Solo5's own ring test, when a Solo5 build is at hand.
T=${SOLO5_TESTS:-}/test_net_ring/test_net_ring.hvt
if [ -n "${SOLO5_TESTS:-}" ] && [ -f "$T" ]; then
    if [ "${TG_MONITOR_ASAN:-0}" = 1 ]; then
        SMON=$MON
    else
        SMON=$WORK/test_net_ring-tender
        "$TENDER_GEN" -o "$SMON" "$T"
    fi
    for opts in "" --no-net-ring; do
        start_guest "$WORK/guest" "$WORK/guest.err" "$SMON" $opts \
            --net:service0=tap0 -- "$T"
        sleep 1
        run_ns "$WORK/flood" "$WORK/flood.err" \
            ping -fq -c 10000 -p deadbeef -w 100 10.0.0.2
        wait_guest
        check "Solo5's test_net_ring ${opts:-on the ring}: SUCCESS" \
            grep -q "^SUCCESS" "$WORK/guest"
        check "Solo5's test_net_ring ${opts:-on the ring}: no corruption" \
            grep -q "Verified 10000 packets, 0 corrupted" "$WORK/guest"
    done
else
    echo "NOTE: SOLO5_TESTS does not name a Solo5 tests/ build; Solo5's test_net_ring not run"
fi
finish
