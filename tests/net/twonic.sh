#!/bin/bash
# twonic.sh: a guest with two net devices (examples/ping built with
# twonic.yml) on two taps: each device has its own handle and MAC, and
# traffic on each tap reaches the guest, and is answered, through the
# device bound to that tap only.
. "$(dirname "$0")/netlib.sh"
need_target
need_netns twonic

MAC0=02:00:00:00:01:00
MAC1=02:00:00:00:01:01
N0=200
N1=100

tap tap0 10.0.0.1/24
tap tap1 10.1.0.1/24
start_guest "$WORK/guest" "$WORK/guest.err" "$PING2_MON" \
    --net:service0=tap0 --net:service1=tap1 \
    --net-mac:service0=$MAC0 --net-mac:service1=$MAC1 \
    "$PING2_GUEST" --service0-ipv4=10.0.0.2/24 \
    --service1-ipv4=10.1.0.2/24 --limit=$((N0 + N1 + 2))
check "guest is ready" wait_for "$WORK/guest" "ping: ready"
check "service0 is handle 1 with its own MAC" \
    grep -qF "service0: handle 1, 10.0.0.2/24, mac $MAC0" "$WORK/guest"
check "service1 is handle 2 with its own MAC" \
    grep -qF "service1: handle 2, 10.1.0.2/24, mac $MAC1" "$WORK/guest"

# The addresses are in different subnets, so each ping leaves by its own
# tap; a reply sent through the wrong device would never arrive.
run_ns "$WORK/p0" "$WORK/p0.err" ping -f -c $N0 -w 60 10.0.0.2
run_ns "$WORK/p1" "$WORK/p1.err" ping -f -c $N1 -w 60 10.1.0.2
check "$N0 pings through tap0 answered" test "$(received "$WORK/p0")" = $N0
check "$N1 pings through tap1 answered" test "$(received "$WORK/p1")" = $N1
check "tap0's neighbour is service0's MAC" \
    grep -qF "lladdr $MAC0" <(ip -n "$NS" neigh show 10.0.0.2 dev tap0)
check "tap1's neighbour is service1's MAC" \
    grep -qF "lladdr $MAC1" <(ip -n "$NS" neigh show 10.1.0.2 dev tap1)
# One more on each (the guest is still running: a tap forgets its
# neighbours once the guest is gone), to reach the guest's --limit.
run_ns "$WORK/p0" "$WORK/p0.err" ping -c 1 -w 10 10.0.0.2
run_ns "$WORK/p1" "$WORK/p1.err" ping -c 1 -w 10 10.1.0.2

wait_guest
check "guest exits 0" test "$status" -eq 0
check "service0 answered exactly the pings from tap0" \
    grep -qF "service0: frames $((N0 + 2)), arp answered 1, arp ignored 0, echo answered $((N0 + 1))," "$WORK/guest"
check "service1 answered exactly the pings from tap1" \
    grep -qF "service1: frames $((N1 + 2)), arp answered 1, arp ignored 0, echo answered $((N1 + 1))," "$WORK/guest"
[ "$failed" -eq 0 ] || cat "$WORK/guest" "$WORK/guest.err"
finish
