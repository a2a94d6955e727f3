#!/bin/bash
# spt-net: a net device on a process (spt) monitor: the guest writes a
# frame to its tap itself, with the MAC address the monitor gave it, and
# the frame arrives; a second device's descriptor, which a one-net shape
# does not have, is ended by the filter (SIGSYS, status 159); a tap that
# does not exist is refused before the guest runs. The tap lives in a
# network namespace of the test's own, removed on exit; monitors run with
# /dev/kvm hidden, as root (attaching a tap needs /dev/net/tun, which is
# root's only on some hosts).
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/spt/spt-lib.sh"
need_root
need_tool cc "building the spt test guest" || { finish; exit; }
need_tool ip "the tap's namespace" || { finish; exit; }
chmod 755 "$WORK"
manifest "$WORK/net.yml" net:service0
spt_guest net "$WORK/net.yml" || skip_test "the spt test guest did not build"

NS=tgspt$$
TAP=tgspt$$
trap 'ip netns del "$NS" 2>/dev/null; rm -rf "$WORK"' EXIT
ip netns add "$NS" || skip_test "cannot create a network namespace"
ip -n "$NS" tuntap add dev "$TAP" mode tap &&
    ip -n "$NS" link set "$TAP" up || skip_test "cannot create a tap"

# run_net OPTIONS... -- GUEST-ARGS...
run_net() {
    local opts=()
    while [ "$1" != -- ]; do opts+=("$1"); shift; done
    shift
    run_capture "$WORK/o" "$WORK/e" ip netns exec "$NS" "${NOKVM[@]}" \
        "$WORK/net-tender" "${opts[@]}" "$WORK/net.spt" "$@"
}
rx() {
    ip netns exec "$NS" cat "/sys/class/net/$TAP/statistics/rx_packets"
}

before=$(rx)
run_net --net:service0="$TAP" --net-mac:service0=02:00:5e:10:20:30 -- netwrite
check "a frame written to the tap: the guest goes on (its own exit, 3)" [ "$status" -eq 3 ]
check "... sent, with the MAC address given" grep -qx "sent 60, mac 02005e102030" "$WORK/o"
check "... and the tap received it" [ "$(rx)" -gt "$before" ]
run_net --net:service0="$TAP" -- netwrite
check "without --net-mac: a locally administered unicast address" grep -qE "^sent 60, mac [0-9a-f][26ae][0-9a-f]{10}$" "$WORK/o"
run_net --net:service0="$TAP" -- fd 66
check "a second net device's descriptor (66) in a one-net shape: ended (status $status)" [ "$status" -eq 159 ]
run_net --net:service0="$TAP" -- fd 129
check "a block device's descriptor (129) in a net shape: ended" [ "$status" -eq 159 ]
run_net --net:service0=nosuchtap -- netwrite
check "a tap that does not exist: refused (exit 1)" [ "$status" -eq 1 ]
check "... saying so" grep -qx "net-tender: net device 'service0': interface 'nosuchtap' does not exist in this network namespace" "$WORK/e"
check "... before the guest ran" [ ! -s "$WORK/o" ]
finish
