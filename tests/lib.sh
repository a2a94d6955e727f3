# lib.sh: helpers shared by the shell tests. Each test prints one line per
# check and ends with "N passed, N failed"; exit 0 all passed, 1 a check
# failed, 77 skipped (ctest's SKIP_RETURN_CODE).
set -u
: "${TENDER_GEN:?TENDER_GEN must name the tender-gen binary}"
: "${SRCDIR:?SRCDIR must name the source tree}"

passed=0
failed=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tg-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# check DESCRIPTION COMMAND...: passes when COMMAND succeeds.
check() {
    local what=$1
    shift
    if "$@"; then pass "$what"; else fail "$what"; fi
}

# need_kvm: skip the test without a usable /dev/kvm, unless REQUIRE_KVM=1,
# where a missing /dev/kvm is a failure (a green CI must have booted guests).
need_kvm() {
    if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
        return 0
    fi
    if [ "${REQUIRE_KVM:-0}" = 1 ]; then
        echo "FAIL: /dev/kvm is not usable and REQUIRE_KVM=1"
        exit 1
    fi
    echo "SKIP: /dev/kvm is not usable"
    exit 77
}

# run_capture OUT ERR COMMAND...: runs COMMAND with a time limit, output to
# files; sets $status.
run_capture() {
    local out=$1 err=$2
    shift 2
    status=0
    timeout 60 "$@" >"$out" 2>"$err" || status=$?
}

# monitor_of DIR/NAME: the monitor to run guest DIR/NAME.hvt on: its own
# DIR/NAME-tender, or, when TG_MONITOR_ASAN=1, the ASan+UBSan build of the
# same shape: DIR/NAME-tender-asan where the test built one, else that of
# the device-less shape, tests/nodevices-tender-asan.
monitor_of() {
    if [ "${TG_MONITOR_ASAN:-0}" != 1 ]; then
        echo "$1-tender"
    elif [ -x "$1-tender-asan" ]; then
        echo "$1-tender-asan"
    else
        echo "$BINDIR/tests/nodevices-tender-asan"
    fi
}

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
