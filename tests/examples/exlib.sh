# exlib.sh: what the example tests share, on top of tests/net/netlib.sh
# (which brings tests/lib.sh, the namespace and the guest helpers). Each
# test runs on spt too (example-NAME-spt: TG_TARGET=spt, the .spt guest on
# its -spt-tender monitor, /dev/kvm hidden) with the same checks: nothing
# they check differs between the targets.
. "$(dirname "$0")/../net/netlib.sh"

UDPSEND=${1:?usage: $0 UDPSEND}
EX_DIR=$BINDIR/examples
TEST_DIR=$BINDIR/tests/examples

# ex_monitor DIR/NAME-tender: that monitor (on spt, DIR/NAME-spt-tender),
# or, when TG_MONITOR_ASAN=1, the ASan+UBSan build of multi's shape (two
# NICs, two disks), which runs every guest here.
ex_monitor() {
    if on_spt; then
        echo "${1%-tender}-spt-tender"
    elif [ "${TG_MONITOR_ASAN:-0}" = 1 ]; then
        echo "$TEST_DIR/exmulti-tender-asan"
    else
        echo "$1"
    fi
}

# count_of LINE NAME: the number after NAME in a line of counts.
count_of() {
    sed -n "s/.*[:,] $2 \([0-9]*\).*/\1/p" <<<"$1"
}

# tap_up NAME: waits (at most 5 s) until the kernel has taken tap NAME's
# carrier up, which it does a little after a monitor attaches; until then
# it drops what it would send there (an ARP request, then one retry a
# second later).
tap_up() {
    local i
    for ((i = 0; i < 500; i++)); do
        ip -n "$NS" -o link show dev "$1" | grep -q "state UP" && return 0
        sleep 0.01
    done
    return 1
}
