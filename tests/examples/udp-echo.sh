#!/bin/bash
# udp-echo.sh: examples/udp-echo echoes UDP datagrams to its port exactly,
# payloads of many sizes up to the MTU, with correct IPv4 and UDP checksums
# (checked by udpsend from a raw socket, so a wrong checksum is seen, not
# dropped by the host); datagrams without a checksum are echoed with one;
# datagrams to another port, or with a bad checksum, are not echoed; the
# guest's counts agree. usage: udp-echo.sh UDPSEND
. "$(dirname "$0")/exlib.sh"
need_target
need_netns udpecho

PORT=5000
IP=10.0.0.2
MON=$(ex_monitor "$EX_DIR/udp-echo/udp-echo-tender")
SIZES="0 1 2 3 100 1000 1471 1472"
RANDOM_N=40
WINDOW_N=100 # 50 each of 64 and 1472 bytes, 16 in flight
ZERO_N=9     # 4 listed + 5 random sizes without a checksum
TOTAL=$((8 + RANDOM_N + WINDOW_N + ZERO_N + 1))

# udpsend ARGS...: runs udpsend in $NS; output in $WORK/send, sets $status.
# Each echo may take up to 5 s (a loaded host that emulates guest code).
udpsend() {
    run_ns "$WORK/send" "$WORK/send.err" "$UDPSEND" --timeout=5000 "$@"
    cat "$WORK/send.err" >>"$WORK/send"
}

tap tap0 10.0.0.1/24
start_guest "$WORK/guest" "$WORK/guest.err" "$MON" --net:service=tap0 \
    "$(guest_of "$EX_DIR/udp-echo/udp-echo")" --ipv4=$IP/24 --port=$PORT --limit=$TOTAL
check "guest is ready" wait_for "$WORK/guest" "udp-echo: ready, port $PORT"
check "tap0 has carrier" tap_up tap0

udpsend --random=$RANDOM_N $IP $PORT $SIZES
check "sizes $SIZES and $RANDOM_N random sizes up to 1472 echoed intact" \
    test "$status" -eq 0
[ "$status" -eq 0 ] || cat "$WORK/send"
udpsend --count=50 --window=16 $IP $PORT 64 1472
check "$WINDOW_N datagrams, 16 in flight, echoed intact and in order" \
    test "$status" -eq 0
[ "$status" -eq 0 ] || cat "$WORK/send"
udpsend --checksum=zero --random=5 $IP $PORT 1 2 100 1472
check "datagrams without a checksum echoed with a correct one" \
    test "$status" -eq 0
[ "$status" -eq 0 ] || cat "$WORK/send"
udpsend --expect=none --timeout=1000 $IP $((PORT + 1)) 10 1472
check "datagrams to another port are not echoed" test "$status" -eq 0
udpsend --checksum=bad --expect=none --timeout=1000 $IP $PORT 1 100 1472
check "datagrams with a bad UDP checksum are not echoed" test "$status" -eq 0
[ "$status" -eq 0 ] || cat "$WORK/send"
# Last, so the guest is known to be alive after the drops above.
udpsend $IP $PORT 1472
check "the guest still echoes afterwards" test "$status" -eq 0

wait_guest
check "guest exits 0 after --limit=$TOTAL datagrams" test "$status" -eq 0
check "guest counted $TOTAL echoed, 2 to another port, 3 bad checksums" \
    grep -qF "udp-echo: echoed $TOTAL, other port 2, bad checksum 3, malformed 0" \
    "$WORK/guest"
counts=$(grep "udp-echo: service: frames" "$WORK/guest")
check "every UDP datagram reached the echo service" \
    test "$(count_of "$counts" delivered)" = $((TOTAL + 5))
check "no malformed frames" test "$(count_of "$counts" malformed)" = 0
check "monitor printed nothing" test ! -s "$WORK/guest.err"
[ "$failed" -eq 0 ] || cat "$WORK/guest" "$WORK/guest.err"
finish
