#!/bin/bash
# errors.sh: the net module refuses, before the guest runs, every binding
# that cannot work, with a message naming the device and the interface:
# a tap that does not exist, is down, is in use by another monitor, or is
# not a tap; one tap for two devices; one device bound twice; a bad MAC;
# a name the manifest lacks; a device left unbound.
. "$(dirname "$0")/netlib.sh"
need_kvm
need_netns errors

PING=("$PING_MON")
HVT=("$PING_DIR/ping.hvt" --ipv4=10.0.0.2/24)
PING2=("$PING2_MON")
HVT2=("$NET_DIR/ping2.hvt" --service0-ipv4=10.0.0.2/24 --service1-ipv4=10.1.0.2/24)

tap tap0 10.0.0.1/24
tap tap1 10.1.0.1/24
tap tapdown 10.2.0.1/24 1500 down
ip -n "$NS" tuntap add dev tun0 mode tun

expect_fail "nonexistent tap" \
    "net device 'service': interface 'nosuch' does not exist" \
    "${PING[@]}" --net:service=nosuch "${HVT[@]}"
check "a nonexistent tap is not created by the attempt" \
    bash -c "! ip -n '$NS' link show nosuch 2>/dev/null"
expect_fail "tap that is down" \
    "net device 'service': interface 'tapdown' is down" \
    "${PING[@]}" --net:service=tapdown "${HVT[@]}"
expect_fail "tun device, not a tap" \
    "net device 'service': interface 'tun0' is not a single-queue tap" \
    "${PING[@]}" --net:service=tun0 "${HVT[@]}"
expect_fail "loopback, not a tap" \
    "net device 'service': interface 'lo' is not a single-queue tap" \
    "${PING[@]}" --net:service=lo "${HVT[@]}"
expect_fail "interface name too long" \
    "interface name 'abcdefghijklmnop' is longer than 15 characters" \
    "${PING[@]}" --net:service=abcdefghijklmnop "${HVT[@]}"

# A tap in use by another monitor.
start_guest "$WORK/first" "$WORK/first.err" "${PING[@]}" \
    --net:service=tap0 "${HVT[@]}"
check "first monitor on tap0 is ready" wait_for "$WORK/first" "ping: ready"
expect_fail "tap already in use by another monitor" \
    "net device 'service': tap 'tap0' is already in use (by another monitor?)" \
    "${PING[@]}" --net:service=tap0 "${HVT[@]}"
kill "$GUEST_PID"
wait_guest
check "first monitor stopped by SIGTERM" \
    grep -qF "Exiting on signal 15" "$WORK/first.err"

expect_fail "one tap for two devices" \
    "net devices 'service0' and 'service1' are both bound to tap 'tap0'" \
    "${PING2[@]}" --net:service0=tap0 --net:service1=tap0 "${HVT2[@]}"
expect_fail "one device bound twice" \
    "--net:service=tap1: net device 'service' is already bound to 'tap0'" \
    "${PING[@]}" --net:service=tap0 --net:service=tap1 "${HVT[@]}"
expect_fail "one device bound twice, the same tap" \
    "--net:service=tap0: net device 'service' is already bound to 'tap0'" \
    "${PING[@]}" --net:service=tap0 --net:service=tap0 "${HVT[@]}"
expect_fail "a device the manifest lacks" \
    "--net:nosuch=tap0: resource not declared in manifest: 'nosuch'" \
    "${PING[@]}" --net:service=tap0 --net:nosuch=tap0 "${HVT[@]}"
expect_fail "a MAC for a device the manifest lacks" \
    "resource not declared in manifest: 'nosuch'" \
    "${PING[@]}" --net:service=tap0 --net-mac:nosuch=02:00:00:00:00:01 "${HVT[@]}"
expect_fail "a device left unbound" \
    "device 'service1' of type net declared but not attached" \
    "${PING2[@]}" --net:service0=tap0 "${HVT2[@]}"
expect_fail "an empty binding" "expected --net:NAME=VALUE" \
    "${PING[@]}" --net:service= "${HVT[@]}"

for mac in 02:00:00:00:00 02:00:00:00:00:01:02 02:00:00:00:00:0g \
    2:0:0:0:0:1 02-00-00-00-00-01 " 02:00:00:00:00:01" 02:00:00:00:00:01x; do
    expect_fail "MAC '$mac' refused" "'$mac' is not a MAC address" \
        "${PING[@]}" --net:service=tap0 "--net-mac:service=$mac" "${HVT[@]}"
done
expect_fail "multicast MAC refused" "01:00:5e:00:00:01 is a multicast address" \
    "${PING[@]}" --net:service=tap0 --net-mac:service=01:00:5e:00:00:01 "${HVT[@]}"
expect_fail "all-zero MAC refused" "the all-zero address is not a device address" \
    "${PING[@]}" --net:service=tap0 --net-mac:service=00:00:00:00:00:00 "${HVT[@]}"
expect_fail "MAC given twice" "net device 'service' already has a MAC address" \
    "${PING[@]}" --net:service=tap0 --net-mac:service=02:00:00:00:00:01 \
    --net-mac:service=02:00:00:00:00:02 "${HVT[@]}"

# Upper-case hex is a MAC too; with --limit=1 and one ping, the guest
# exits 0 at once.
start_guest "$WORK/mac" "$WORK/mac.err" "${PING[@]}" --net:service=tap0 \
    --net-mac:service=0A:BC:DE:F0:12:34 "${HVT[@]}" --limit=1
check "upper-case MAC accepted" wait_for "$WORK/mac" "mac 0a:bc:de:f0:12:34"
run_ns "$WORK/p" "$WORK/p.err" ping -c 1 -w 10 10.0.0.2
wait_guest
check "guest with that MAC answers and exits 0" test "$status" -eq 0
finish
