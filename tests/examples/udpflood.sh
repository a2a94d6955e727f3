#!/bin/bash
# udpflood.sh: the guest bench/net's sink rows run sends real frames that
# the host takes: through a tap in the test's own namespace, every frame
# udpflood says it sent reaches the host (the tap's rx_packets, and its
# rx_bytes at the frame size) as a well-formed UDP datagram to the host's
# address (the namespace's UDP "no port" count: the IPv4 header checksum,
# lengths and addresses were right); a timed run lasts the time asked for;
# bad usage and a payload over the MTU exit 1. usage: udpflood.sh UDPSEND
# (exlib.sh's argument; not used here).
. "$(dirname "$0")/exlib.sh"
need_target
need_netns udpflood

MON=$(ex_monitor "$TEST_DIR/udpflood-tender")
GUEST=$(guest_of "$TEST_DIR/udpflood")

tap tap0 10.0.0.1/24
HOST_MAC=$(in_ns cat /sys/class/net/tap0/address)

# counters: "rx_packets rx_bytes udp_noports ip_inhdrerrors" in $NS.
counters() {
    local s=/sys/class/net/tap0/statistics
    in_ns sh -c "cat $s/rx_packets $s/rx_bytes" | tr '\n' ' '
    in_ns awk '/^Udp: [0-9]/ { u = $3 } /^Ip: [0-9]/ { h = $5 }
        END { print u, h }' /proc/net/snmp
}

# flood WHAT ARGS...: runs udpflood with ARGS and checks that the host got
# every frame it reports; sets $frames, $size and $ns from its report.
flood() {
    local what=$1 before after
    shift
    read -ra before < <(counters)
    run_ns "$WORK/out" "$WORK/err" "$MON" --mem=4 --net:service=tap0 \
        "$GUEST" --solo5:quiet --ipv4=10.0.0.2/24 --dst=10.0.0.1 \
        --dst-mac="$HOST_MAC" "$@"
    read -ra after < <(counters)
    check "$what: exits 0" test "$status" -eq 0
    read -r frames size ns < <(sed -n \
        's/^udpflood: \([0-9]*\) frames of \([0-9]*\) bytes in \([0-9]*\) ns$/\1 \2 \3/p' \
        "$WORK/out")
    check "$what: reports frames sent" test -n "${ns:-}"
    frames=${frames:-0} size=${size:-0} ns=${ns:-0}
    check "$what: the tap received all $frames frames" \
        test $((after[0] - before[0])) -eq "$frames"
    check "$what: of $size bytes each" \
        test $((after[1] - before[1])) -eq $((frames * size))
    check "$what: the host took each as a UDP datagram to 10.0.0.1" \
        test $((after[2] - before[2])) -eq "$frames"
    check "$what: no IPv4 header errors" test "${after[3]}" -eq "${before[3]}"
    [ "$failed" -eq 0 ] || cat "$WORK/out" "$WORK/err"
}

flood "64-byte frames for 1 s" --len=22 --seconds=1
check "  some were sent" test "$frames" -gt 0
check "  of 64 bytes" test "$size" -eq 64
check "  over at least 1 s of guest time" test "$ns" -ge 1000000000
check "  and not much more" test "$ns" -lt 3000000000

flood "500 full-size frames" --len=1472 --count=500 --port=5001
check "  exactly 500 of 1514 bytes" test "$frames.$size" = 500.1514

run_ns "$WORK/out" "$WORK/err" "$MON" --mem=4 --net:service=tap0 "$GUEST" \
    --solo5:quiet --ipv4=10.0.0.2/24 --dst=10.0.0.1
check "no --dst-mac: exit 1" test "$status" -eq 1
check "  with the usage" grep -qF "udpflood: --dst and --dst-mac are required" \
    "$WORK/out"
run_ns "$WORK/out" "$WORK/err" "$MON" --mem=4 --net:service=tap0 "$GUEST" \
    --solo5:quiet --ipv4=10.0.0.2/24 --dst=10.0.0.1 --dst-mac="$HOST_MAC" \
    --len=1473
check "a payload over the MTU: exit 1" test "$status" -eq 1
check "  saying so" grep -qF "udpflood: --len=1473 does not fit the MTU 1500" \
    "$WORK/out"
run_ns "$WORK/out" "$WORK/err" "$MON" --mem=4 --net:service=tap0 "$GUEST" \
    --solo5:quiet --ipv4=10.0.0.2/24 --dst=10.0.0.1 --dst-mac=02:00:00:00:0b
check "a short MAC: exit 1" test "$status" -eq 1
check "  naming it" grep -qF "bad argument: --dst-mac=02:00:00:00:0b" "$WORK/out"
finish
