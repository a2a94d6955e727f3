# netlib.sh: network namespaces for the net tests, on top of lib.sh. A test
# calls need_netns once; it gets its own namespace $NS (a unique name, as
# tests run in parallel) in which it makes taps and runs monitors. On exit,
# failure or signal, every guest it started is stopped and the namespace
# deleted. The tests over examples/ping (ping.sh, twonic.sh) run on spt
# too (net-NAME-spt, TG_TARGET=spt, /dev/kvm hidden) with the same checks;
# the namespace is then made inside the test's private mount namespace.
. "$(dirname "$0")/../lib.sh"

NS=
GUEST_PIDS=()
PING_DIR=$BINDIR/examples/ping
NET_DIR=$BINDIR/tests/net

net_cleanup() {
    local pid
    for pid in "${GUEST_PIDS[@]}"; do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    [ -n "$NS" ] && ip netns del "$NS" 2>/dev/null
    rm -rf "$WORK"
}
trap net_cleanup EXIT
trap 'exit 1' INT TERM HUP

# need_netns TAG: skip the test when taps or namespaces cannot be made here,
# unless REQUIRE_KVM=1 or under CI, where that is a failure (as a missing
# /dev/kvm is; lib.sh's skip_test).
need_netns() {
    local why=
    if [ ! -c /dev/net/tun ]; then
        why="/dev/net/tun is missing"
    elif ! command -v ip >/dev/null || ! command -v ping >/dev/null; then
        why="ip (iproute2) or ping is missing"
    elif ! ip netns add "tg-$$-$1" 2>"$WORK/netns.err"; then
        why="cannot make a network namespace: $(cat "$WORK/netns.err")"
    else
        NS=tg-$$-$1
        # No IPv6: its router and neighbour solicitations would be traffic
        # the tests did not send. (Without IPv6 in the kernel, nothing to do.)
        in_ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
            net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
        return 0
    fi
    if [ "${REQUIRE_KVM:-0}" = 1 ]; then
        echo "FAIL: $why, and REQUIRE_KVM=1"
        exit 1
    fi
    skip_test "$why"
}

# net_monitor DIR/NAME-tender: that monitor (on spt, DIR/NAME-spt-tender),
# or, when TG_MONITOR_ASAN=1, the ASan+UBSan build of a two-NIC monitor
# (tests/net/nettwo-tender-asan), which serves every guest here (none has
# more than two net devices).
net_monitor() {
    if on_spt; then
        echo "${1%-tender}-spt-tender"
    elif [ "${TG_MONITOR_ASAN:-0}" = 1 ]; then
        echo "$NET_DIR/nettwo-tender-asan"
    else
        echo "$1"
    fi
}

PING_MON=$(net_monitor "$PING_DIR/ping-tender")
PING2_MON=$(net_monitor "$NET_DIR/ping2-tender")
PROBE_MON=$(net_monitor "$NET_DIR/netprobe-tender")
# The guests of the tests that also run on spt, for TG_TARGET.
PING_GUEST=$(guest_of "$PING_DIR/ping")
PING2_GUEST=$(guest_of "$NET_DIR/ping2")

in_ns() {
    ip netns exec "$NS" "$@"
}

# tap NAME ADDR/PREFIX [MTU [down]]: a tap in $NS with the host's address.
tap() {
    local name=$1 addr=$2 mtu=${3:-1500} state=${4:-up}
    ip -n "$NS" tuntap add dev "$name" mode tap &&
        ip -n "$NS" addr add "$addr" dev "$name" &&
        ip -n "$NS" link set dev "$name" mtu "$mtu" &&
        ip -n "$NS" link set dev "$name" "$state" ||
        {
            echo "FAIL: cannot make tap $name in $NS"
            exit 1
        }
}

# start_guest OUT ERR COMMAND...: runs COMMAND (a monitor and its guest) in
# $NS in the background, with a time limit; sets $GUEST_PID. OUT and ERR
# are emptied before it starts.
start_guest() {
    local out=$1 err=$2
    shift 2
    # Emptied here, not only by the background job's redirection: a
    # wait_for on OUT must never see the last guest's lines.
    : >"$out"
    : >"$err"
    ip netns exec "$NS" timeout 120 "$@" >"$out" 2>"$err" &
    GUEST_PID=$!
    GUEST_PIDS+=("$GUEST_PID")
}

# wait_guest: waits for the last guest started; sets $status.
wait_guest() {
    status=0
    wait "$GUEST_PID" || status=$?
}

# wait_for FILE TEXT: waits (at most 20 s) until FILE contains TEXT.
wait_for() {
    local i
    for ((i = 0; i < 200; i++)); do
        grep -qF -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# run_ns OUT ERR COMMAND...: run_capture inside $NS.
run_ns() {
    local out=$1 err=$2
    shift 2
    run_capture "$out" "$err" ip netns exec "$NS" "$@"
}

# expect_fail WHAT TEXT COMMAND...: COMMAND (a monitor) run in $NS must exit
# 1 with TEXT on stderr, before the guest runs: nothing on stdout (every
# guest here prints, on its console, before anything else it does).
expect_fail() {
    local what=$1 text=$2
    shift 2
    run_ns "$WORK/out" "$WORK/err" "$@"
    if [ "$status" -eq 1 ] && grep -qF -- "$text" "$WORK/err" &&
        ! [ -s "$WORK/out" ]; then
        pass "$what"
    else
        fail "$what: exit $status (want 1), want '$text' and no guest output; got: $(head -c 600 "$WORK/out" "$WORK/err")"
    fi
}

# received OUTPUT: the number of replies in ping's summary.
received() {
    sed -n 's/.* \([0-9]*\) received.*/\1/p' "$1"
}
