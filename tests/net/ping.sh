#!/bin/bash
# ping.sh: examples/ping behaves as a host on its link. From a namespace
# whose neighbour table is empty, a flood of pings gets every reply; the
# MAC given with --net-mac is the one the host learns; payloads come back
# intact; a ping to another address in the subnet, or to another address
# sent to the guest's MAC, gets no reply; the guest counts all of it.
. "$(dirname "$0")/netlib.sh"
need_target
need_netns ping

MAC=02:00:00:00:00:2a
FLOOD=500
PATTERN=20
FULL=5 # 1472-byte payloads: full 1514-byte frames at MTU 1500
TOTAL=$((FLOOD + PATTERN + FULL))

tap tap0 10.0.0.1/24
start_guest "$WORK/guest" "$WORK/guest.err" "$PING_MON" \
    --net:service=tap0 --net-mac:service=$MAC \
    "$PING_GUEST" --ipv4=10.0.0.2/24 --limit=$TOTAL
check "guest is ready" wait_for "$WORK/guest" "ping: ready"
check "guest sees the MAC given with --net-mac and MTU 1500" \
    grep -qF "mac $MAC, mtu 1500" "$WORK/guest"

check "neighbour table starts empty" \
    test -z "$(ip -n "$NS" neigh show dev tap0)"
run_ns "$WORK/flood" "$WORK/flood.err" ping -f -c $FLOOD -w 60 10.0.0.2
check "flood of $FLOOD pings: every one answered" \
    test "$(received "$WORK/flood")" = $FLOOD
check "host learnt the guest's MAC by ARP" \
    grep -qF "lladdr $MAC" <(ip -n "$NS" neigh show 10.0.0.2 dev tap0)

run_ns "$WORK/pat" "$WORK/pat.err" \
    ping -c $PATTERN -i 0.01 -w 20 -s 1000 -p deadbeef 10.0.0.2
check "$PATTERN pings with pattern deadbeef answered" \
    test "$(received "$WORK/pat")" = $PATTERN
check "pattern came back intact" \
    bash -c "! grep -qi 'wrong data' '$WORK/pat'"

# Another address in the subnet: the guest must not answer its ARP.
run_ns "$WORK/other" "$WORK/other.err" ping -c 2 -i 0.2 -w 3 10.0.0.3
check "ping to another address in the subnet: no reply" \
    test "$(received "$WORK/other")" = 0
# Another address, but sent to the guest's MAC: not for the guest either.
ip -n "$NS" neigh replace 10.0.0.4 lladdr $MAC dev tap0 nud permanent
run_ns "$WORK/other2" "$WORK/other2.err" ping -c 3 -i 0.2 -w 2 10.0.0.4
check "ping to another address via the guest's MAC: no reply" \
    test "$(received "$WORK/other2")" = 0

# Last, so that the guest is known to be alive during the checks above.
run_ns "$WORK/full" "$WORK/full.err" \
    ping -c $FULL -i 0.01 -w 20 -s 1472 -M do 10.0.0.2
check "$FULL full-size (1514-byte frame) pings answered" \
    test "$(received "$WORK/full")" = $FULL

wait_guest
check "guest exits 0 after --limit=$TOTAL replies" test "$status" -eq 0
check "guest counted $TOTAL echo replies" \
    grep -qF "ping: SUCCESS: $TOTAL echo replies" "$WORK/guest"
counts=$(grep "ping: service: frames" "$WORK/guest")
count() { sed -n "s/.*[ ,]$1 \([0-9]*\).*/\1/p" <<<"$counts"; }
check "guest answered ARP once (the host cached it)" test "$(count 'arp answered')" = 1
check "guest ignored the ARP requests for 10.0.0.3" test "$(count 'arp ignored')" -ge 1
check "guest ignored the pings to 10.0.0.4" test "$(count 'ignored')" -ge 3
check "no malformed frames" test "$(count malformed)" = 0
check "monitor printed nothing" test ! -s "$WORK/guest.err"
[ "$failed" -eq 0 ] || cat "$WORK/guest" "$WORK/guest.err"
finish
