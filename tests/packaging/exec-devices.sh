#!/bin/bash
# exec-devices.sh: a drop-in carrying hello's shape and a net+block shape
# runs a guest with a net and a block device (devguest), started exactly
# as urunc starts solo5-hvt (with -- and one-word arguments, and the older
# form without; plain and under urunc's seccomp filter) and as albatross
# does; the guest sees the MAC it was given and its block writes reach the
# file; hello runs through the same drop-in. The tap lives in a network
# namespace of this test's own.
. "$(dirname "$0")/../lib.sh"
need_kvm

NS=
cleanup() {
    [ -n "$NS" ] && ip netns del "$NS" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
if [ -c /dev/net/tun ] && command -v ip >/dev/null &&
    ip netns add "tg-$$-exec" 2>"$WORK/netns.err"; then
    NS=tg-$$-exec
elif [ "${REQUIRE_KVM:-0}" = 1 ]; then
    echo "FAIL: cannot make a tap in a network namespace, and REQUIRE_KVM=1"
    exit 1
else
    skip_test "cannot make a tap in a network namespace"
fi
ip -n "$NS" tuntap add dev tap0 mode tap && ip -n "$NS" link set dev tap0 up ||
    { echo "FAIL: cannot make tap0 in $NS"; exit 1; }

BIN=$WORK/bin
mkdir -p "$BIN"
G=$BINDIR/tests/packaging/devguest.hvt
HELLO=$BINDIR/examples/hello/hello.hvt
OUTER=$BINDIR/tests/outer-filter
NETBLK='block=1 net=1 modules=core,console,block,net'
"$TENDER_GEN" --drop-in "$BIN/solo5-hvt" "$HELLO" "$G" >/dev/null
cp "$BIN/solo5-hvt" "$BIN/solo5-hvt.2"
"$TENDER_GEN" --emit-c "$WORK/dev-monitor.c" "$G"
digest=$(sed -n 's/^ \* digest: //p' "$WORK/dev-monitor.c")
MAC=02:00:5e:10:00:01
truncate -s 1M "$WORK/disk"

# ns_run OUT ERR COMMAND...: run_capture inside the namespace.
ns_run() {
    local out=$1 err=$2
    shift 2
    run_capture "$out" "$err" ip netns exec "$NS" "$@"
}
# block1: the text at the start of block 1 of the disk image.
block1() {
    dd if="$WORK/disk" bs=512 skip=1 count=1 status=none | tr -d '\0'
}

# urunc: solo5-hvt --mem=256 --net:service=TAP --net-mac:service=MAC
#        --block:storage=FILE -- KERNEL 'ARGS'
ns_run "$WORK/out" "$WORK/err" "$BIN/solo5-hvt" --mem=256 --net:service=tap0 \
    --net-mac:service=$MAC --block:storage="$WORK/disk" -- "$G" 'urunc says hi'
check "urunc form with devices: exit 0" [ "$status" -eq 0 ]
check "urunc form: the guest has the MAC it was given" \
    grep -q "devguest: service mac=$MAC mtu=" "$WORK/out"
check "urunc form: the guest sees its disk" \
    grep -q "devguest: storage capacity=1048576 block=512" "$WORK/out"
check "urunc form: its block write reached the file" [ "$(block1)" = "urunc says hi" ]
check "urunc form: the audit line names the net+block monitor" grep -qxF \
    "solo5-hvt: running $G (shape '$NETBLK') on monitor $digest" "$WORK/err"
# ... under urunc's exact seccomp list.
ns_run "$WORK/out" "$WORK/err" "$OUTER" --urunc "$BIN/solo5-hvt" --mem=256 \
    --net:service=tap0 --net-mac:service=$MAC --block:storage="$WORK/disk" \
    -- "$G" 'under the filter'
check "urunc form under urunc's filter: exit 0" [ "$status" -eq 0 ]
check "under urunc's filter: the guest has its MAC" \
    grep -q "devguest: service mac=$MAC mtu=" "$WORK/out"
check "under urunc's filter: its block write reached the file" \
    [ "$(block1)" = "under the filter" ]
check "under urunc's filter: one line says whose filter" \
    grep -q "running under the caller's seccomp filter" "$WORK/err"
# hello, through the same drop-in, under the same filter.
ns_run "$WORK/out" "$WORK/err" "$OUTER" --urunc "$BIN/solo5-hvt" --mem=32 -- "$HELLO" same
check "hello through the same drop-in: exit 0" [ "$status" -eq 0 ]
check "hello through the same drop-in: it ran" grep -qx "cmdline: same" "$WORK/out"
# urunc, older form: no --, arguments split on spaces.
ns_run "$WORK/out" "$WORK/err" "$BIN/solo5-hvt" --mem=256 --net:service=tap0 \
    --net-mac:service=$MAC --block:storage="$WORK/disk" "$G" older urunc form
check "older urunc form with devices: exit 0" [ "$status" -eq 0 ]
check "older urunc form: words joined" [ "$(block1)" = "older urunc form" ]

# albatross: solo5-hvt.2 --mem=MB --net:N=TAP --net-mac:N=MAC
#            --block:N=PATH -- IMAGE ARGS
ns_run "$WORK/out" "$WORK/err" "$BIN/solo5-hvt.2" --mem=64 --net:service=tap0 \
    --net-mac:service=$MAC --block:storage="$WORK/disk" -- "$G" albatross
check "albatross form with devices: exit 0" [ "$status" -eq 0 ]
check "albatross form: block write reached the file" [ "$(block1)" = albatross ]

# A device left unbound, or a tap that is not there: the monitor's own
# errors, exit 1 (albatross: do not restart).
ns_run "$WORK/out" "$WORK/err" "$BIN/solo5-hvt.2" --mem=64 \
    --block:storage="$WORK/disk" -- "$G" x
check "net device not attached: exit 1" [ "$status" -eq 1 ]
check "net device not attached: said" grep -q "declared but not attached" "$WORK/err"
ns_run "$WORK/out" "$WORK/err" "$BIN/solo5-hvt.2" --mem=64 --net:service=nosuchtap \
    --block:storage="$WORK/disk" -- "$G" x
check "missing tap: exit 1" [ "$status" -eq 1 ]

finish
