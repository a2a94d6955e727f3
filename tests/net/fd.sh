#!/bin/bash
# fd.sh: --net:NAME=@FD, a tap the caller opened (solo5-hvt 0.12 advertises
# it but always fails): the guest gets the tap's MTU and traffic flows, even
# though the descriptor was handed over blocking; descriptors that are not
# open, not taps, or taps with a header on every frame are refused; a tap
# given by descriptor and by name to two devices is refused; all of it also
# under urunc's exact seccomp list.
. "$(dirname "$0")/netlib.sh"
need_kvm
need_netns fd

TAPFD=$NET_DIR/tapfd
HVT=("$PING_DIR/ping.hvt" --ipv4=10.0.0.2/24)

tap tap0 10.0.0.1/24 1400
tap tap1 10.1.0.1/24
ip -n "$NS" tuntap add dev tun0 mode tun
ip -n "$NS" link set dev tun0 up

# The descriptor at 70, inside the range the monitor pins taps to (65 for
# this device): the monitor must move it without losing it.
start_guest "$WORK/guest" "$WORK/guest.err" "$TAPFD" tap0 70 \
    "$PING_MON" --net:service=@70 "${HVT[@]}" --limit=20
check "guest is ready on @70" wait_for "$WORK/guest" "ping: ready"
check "guest sees the tap's MTU (1400)" grep -qF ", mtu 1400" "$WORK/guest"
run_ns "$WORK/p" "$WORK/p.err" ping -f -c 20 -w 30 10.0.0.2
check "20 pings through @70 answered" test "$(received "$WORK/p")" = 20
wait_guest
check "guest exits 0" test "$status" -eq 0

start_guest "$WORK/guest" "$WORK/guest.err" "$TAPFD" tap0 3 \
    "$PING_MON" --net:service=@3 "${HVT[@]}" --limit=1
check "guest is ready on @3" wait_for "$WORK/guest" "ping: ready"
run_ns "$WORK/p" "$WORK/p.err" ping -c 1 -w 10 10.0.0.2
wait_guest
check "a ping through @3 answered, guest exits 0" test "$status" -eq 0

# Under exactly urunc's seccomp list (no fcntl, no dup3): the descriptor
# is checked through /proc/self/fdinfo and made non-blocking by ioctl. Not
# with the ASan build, whose runtime needs calls that list lacks.
OUTER=$BINDIR/tests/outer-filter
if [ "${TG_MONITOR_ASAN:-0}" != 1 ]; then
    start_guest "$WORK/guest" "$WORK/guest.err" "$TAPFD" tap0 70 \
        "$OUTER" --urunc "$PING_MON" --net:service=@70 "${HVT[@]}" --limit=20
    check "under urunc's filter: guest is ready on @70" \
        wait_for "$WORK/guest" "ping: ready"
    run_ns "$WORK/p" "$WORK/p.err" ping -f -c 20 -w 30 10.0.0.2
    check "under urunc's filter: 20 pings through @70 answered" \
        test "$(received "$WORK/p")" = 20
    wait_guest
    check "under urunc's filter: guest exits 0" test "$status" -eq 0
    expect_fail "under urunc's filter: @FD not open" \
        "net device 'service': descriptor 77 is not open" \
        "$OUTER" --urunc "$PING_MON" --net:service=@77 "${HVT[@]}"
    expect_fail "under urunc's filter: @FD opened read-only" \
        "descriptor 5 is not open for reading and writing" \
        bash -c "exec 5</dev/net/tun; exec \"\$@\"" _ \
        "$OUTER" --urunc "$PING_MON" --net:service=@5 "${HVT[@]}"
fi

expect_fail "@FD not a number" "'@7x' is not a descriptor" \
    "$PING_MON" --net:service=@7x "${HVT[@]}"
expect_fail "@FD with no number" "'@' is not a descriptor" \
    "$PING_MON" --net:service=@ "${HVT[@]}"
expect_fail "@FD not open" "net device 'service': descriptor 77 is not open" \
    "$PING_MON" --net:service=@77 "${HVT[@]}"
expect_fail "@FD not a tap" \
    "net device 'service': descriptor 5 is not an attached tap" \
    bash -c "exec 5<>'$WORK/file'; exec \"\$@\"" _ \
    "$PING_MON" --net:service=@5 "${HVT[@]}"
expect_fail "@FD opened read-only" \
    "descriptor 5 is not open for reading and writing" \
    bash -c "exec 5</dev/net/tun; exec \"\$@\"" _ \
    "$PING_MON" --net:service=@5 "${HVT[@]}"
expect_fail "@FD of a tun (IP) device" \
    "descriptor 5 is attached to 'tun0', a tun (IP) device, not a tap" \
    "$TAPFD" --tun tun0 5 "$PING_MON" --net:service=@5 "${HVT[@]}"
# New taps (tapfd makes them): an existing one keeps its header settings.
expect_fail "@FD of a tap without IFF_NO_PI" \
    "descriptor 5 is attached to 'tappi', set up without IFF_NO_PI" \
    "$TAPFD" --pi tappi 5 "$PING_MON" --net:service=@5 "${HVT[@]}"
expect_fail "@FD of a tap with IFF_VNET_HDR" \
    "descriptor 5 is attached to 'tapvnet', set up with IFF_VNET_HDR" \
    "$TAPFD" --vnet tapvnet 5 "$PING_MON" --net:service=@5 "${HVT[@]}"
expect_fail "one tap by descriptor and by name" \
    "net devices 'service0' and 'service1' are both bound to tap 'tap1'" \
    "$TAPFD" tap1 5 "$PING2_MON" --net:service0=@5 \
    --net:service1=tap1 "$NET_DIR/ping2.hvt"
finish
