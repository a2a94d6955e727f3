#!/bin/bash
# probe.sh: the NET_WRITE and NET_READ hypercalls as the ABI and our
# compatibility rules say, seen from a guest issuing them raw (netprobe.c):
# bad handles (64-bit, never truncated) and frames longer than MTU + 14 are
# EINVAL, nothing queued is AGAIN, a frame longer than the guest's buffer is
# refused with EINVAL (never cut short) and reported once on stderr, a tap
# taken down makes writes EUNSPEC until it is up again; a tap with MTU 9000
# gives the guest MTU 9000, and examples/ping answers 9000-byte packets.
. "$(dirname "$0")/netlib.sh"
need_kvm
need_netns probe

probe_ok() { # WHAT: the last probe exited 0 with no FAILED check
    if [ "$status" -eq 0 ] && grep -q "netprobe: SUCCESS" "$WORK/guest" &&
        ! grep -q FAILED "$WORK/guest"; then
        pass "$1"
    else
        fail "$1: exit $status; $(grep -E 'FAILED|SUCCESS' "$WORK/guest" | head -5)"
        cat "$WORK/guest" "$WORK/guest.err"
    fi
}

tap tap0 10.0.0.1/24
start_guest "$WORK/guest" "$WORK/guest.err" "$PROBE_MON" \
    --net:service=tap0 "$NET_DIR/netprobe.hvt" small down
check "probe sees MTU 1500" wait_for "$WORK/guest" ", mtu 1500, mac "
# Broadcast pings: frames of 98 bytes, the first into a 20-byte buffer.
check "probe waits for frames" wait_for "$WORK/guest" "waiting for frames"
run_ns "$WORK/bc" "$WORK/bc.err" ping -b -c 3 -i 0.2 -w 2 10.0.0.255
check "probe read the next 98-byte frame whole" \
    wait_for "$WORK/guest" "netprobe: read a 98-byte frame"
check "the frame too big for its buffer was reported on stderr" \
    grep -qF "net device 'service': dropped a 98-byte frame, larger than the guest's 20-byte buffer" "$WORK/guest.err"
# The tap goes down under the writing guest, then up again.
check "probe writes" wait_for "$WORK/guest" "netprobe: write returns 0"
ip -n "$NS" link set dev tap0 down
check "writes to a tap that is down are EUNSPEC" \
    wait_for "$WORK/guest" "netprobe: write returns 3"
ip -n "$NS" link set dev tap0 up
wait_guest
probe_ok "probe: every hypercall check passed"
check "the tap going down was reported on stderr, once" \
    test "$(grep -c "net device 'service': tap 'tap0' is down" "$WORK/guest.err")" = 1

# MTU 9000.
tap tap9 10.9.0.1/24 9000
run_ns "$WORK/guest" "$WORK/guest.err" "$PROBE_MON" \
    --net:service=tap9 "$NET_DIR/netprobe.hvt"
check "probe sees MTU 9000" grep -qF ", mtu 9000, mac " "$WORK/guest"
probe_ok "probe at MTU 9000: writes of 9014 bytes OK, 9015 EINVAL"
start_guest "$WORK/guest" "$WORK/guest.err" "$PING_MON" \
    --net:service=tap9 "$PING_DIR/ping.hvt" --ipv4=10.9.0.2/24 --limit=3
check "ping is ready" wait_for "$WORK/guest" "ping: ready"
run_ns "$WORK/jumbo" "$WORK/jumbo.err" \
    ping -c 3 -i 0.05 -w 20 -s 8972 -M do -p 5a 10.9.0.2
check "9000-byte pings answered, unfragmented and intact" \
    test "$(received "$WORK/jumbo")" = 3
check "no wrong data in the jumbo replies" \
    bash -c "! grep -qi 'wrong data' '$WORK/jumbo'"
wait_guest
check "ping exits 0 after 3 jumbo replies" test "$status" -eq 0
finish
