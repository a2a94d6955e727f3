# lib.sh: helpers shared by the shell tests. Each test prints one line per
# check and ends with "N passed, N failed"; exit 0 all passed, 1 a check
# failed, 77 skipped (ctest's SKIP_RETURN_CODE): the test, or a part of it,
# could not run here, and no check failed.
#
# Under CI (CI=true, or REQUIRE_ALL=1, which .ci/run sets) nothing is
# skipped: a missing tool or capability is a failure, since
# scripts/install-deps installs every tool and CI has every capability.
# REQUIRE_KVM=1 alone makes the guest's needs (/dev/kvm, taps, gdb) failures.
set -u
: "${TENDER_GEN:?TENDER_GEN must name the tender-gen binary}"
: "${SRCDIR:?SRCDIR must name the source tree}"

passed=0
failed=0
skipped=0
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

# strict: true under CI, where nothing a test needs may be missing.
strict() {
    [ "${REQUIRE_ALL:-0}" = 1 ] || [ "${CI:-}" = true ]
}

# lacking WHY: a part of the test cannot run here (WHY says what is missing
# and what is not run). Under CI that is a failure; elsewhere a skip, which
# finish turns into exit 77 when no check failed.
lacking() {
    if strict; then
        fail "$1 (required under CI)"
    else
        skipped=$((skipped + 1))
        echo "SKIP: $1"
    fi
}

# need_tool NAME WHAT: succeeds when the command NAME is installed; else
# reports it with lacking (WHAT is the part of the test not run) and fails.
need_tool() {
    command -v "$1" >/dev/null 2>&1 && return 0
    lacking "$1 is not installed (scripts/install-deps installs it): $2 not run"
    return 1
}

# skip_test WHY: the rest of the test cannot run here: exit 77, or exit 1
# under CI, or under REQUIRE_KVM=1 for what a guest needs (need_kvm,
# need_netns). A check that already failed is never hidden by a skip: then
# the test fails.
skip_test() {
    if strict; then
        echo "FAIL: $1, and CI requires it"
        exit 1
    fi
    if [ "$failed" -gt 0 ]; then
        echo "SKIP: $1: the rest of the test not run"
        finish
        exit 1
    fi
    echo "SKIP: $1"
    exit 77
}

# need_kvm: skip the test without a usable /dev/kvm, unless REQUIRE_KVM=1
# or under CI, where a missing /dev/kvm is a failure (a green CI must have
# booted guests).
# (TG_KVM_DEVICE names another device, for lib-test.sh.)
need_kvm() {
    local kvm=${TG_KVM_DEVICE:-/dev/kvm}
    if [ -r "$kvm" ] && [ -w "$kvm" ]; then
        return 0
    fi
    if [ "${REQUIRE_KVM:-0}" = 1 ]; then
        echo "FAIL: $kvm is not usable and REQUIRE_KVM=1"
        exit 1
    fi
    skip_test "$kvm is not usable"
}

# run_capture OUT ERR COMMAND...: runs COMMAND with a time limit, output to
# files; sets $status.
run_capture() {
    local out=$1 err=$2
    shift 2
    status=0
    timeout 60 "$@" >"$out" 2>"$err" || status=$?
}

# TG_TARGET: the target a guest test runs its guests on, hvt (the default)
# or spt (ctest's NAME-spt tests, tests/CMakeLists.txt's tg_spt_test).
TG_TARGET=${TG_TARGET:-hvt}
case $TG_TARGET in
hvt | spt) ;;
*)
    echo "FAIL: TG_TARGET=$TG_TARGET: the targets are hvt and spt"
    exit 1
    ;;
esac
# The script's own command line, for need_target's re-run.
TG_SCRIPT_ARGS=("$@")

# "${HIDE_KVM[@]}" COMMAND...: runs COMMAND (as root) in a private mount
# namespace where /dev/null is mounted over /dev/kvm (when the host has
# one): what runs there, an spt monitor, proves it needs no KVM.
HIDE_KVM=(unshare -m sh -c
    '{ [ ! -e /dev/kvm ] || mount --bind /dev/null /dev/kvm; } && exec "$@"' sh)

# on_spt: true when the test runs on the spt target.
on_spt() { [ "$TG_TARGET" = spt ]; }

# need_target: what the target needs. hvt: a usable /dev/kvm (need_kvm).
# spt: that the test can prove it does without: the whole script runs
# again in a private mount namespace where /dev/null is mounted over
# /dev/kvm (which needs root), so neither a monitor nor anything else the
# test starts can use KVM. (Mounts made there, such as ip netns's, stay
# there and end with it.)
need_target() {
    if ! on_spt; then
        need_kvm
        return
    fi
    if [ -n "${TG_KVM_HIDDEN:-}" ]; then
        [ "$(stat -Lc %t:%T /dev/kvm)" = 1:3 ] ||
            { echo "FAIL: /dev/kvm is not hidden"; exit 1; }
        echo "spt: /dev/kvm hidden (/dev/null mounted over it)"
        return 0
    fi
    [ -e /dev/kvm ] || return 0
    if [ "$(id -u)" != 0 ]; then
        # As need_kvm: what the guest's run needs fails under REQUIRE_KVM=1.
        if [ "${REQUIRE_KVM:-0}" = 1 ]; then
            echo "FAIL: not root: cannot hide /dev/kvm for the spt run, and REQUIRE_KVM=1"
            exit 1
        fi
        skip_test "not root: cannot hide /dev/kvm (unshare -m) for the spt run"
    fi
    rm -rf "$WORK"
    exec "${HIDE_KVM[@]}" env TG_KVM_HIDDEN=1 bash "$0" "${TG_SCRIPT_ARGS[@]}"
}

# guest_of DIR/NAME: the guest DIR/NAME.hvt, or DIR/NAME.spt on spt.
guest_of() {
    echo "$1.$TG_TARGET"
}

# monitor_of DIR/NAME: the monitor to run guest_of DIR/NAME on: on spt its
# DIR/NAME-spt-tender (spt has no sanitizer build); on hvt its own
# DIR/NAME-tender, or, when TG_MONITOR_ASAN=1, the ASan+UBSan build of the
# same shape: DIR/NAME-tender-asan where the test built one, else that of
# the device-less shape, tests/nodevices-tender-asan.
monitor_of() {
    if on_spt; then
        echo "$1-spt-tender"
    elif [ "${TG_MONITOR_ASAN:-0}" != 1 ]; then
        echo "$1-tender"
    elif [ -x "$1-tender-asan" ]; then
        echo "$1-tender-asan"
    else
        echo "$BINDIR/tests/nodevices-tender-asan"
    fi
}

# finish: the summary line; returns 1 when a check failed, else 77 when a
# part of the test was skipped, else 0.
# manifest FILE DEVICE...: writes a manifest, devices as type:name.
manifest() {
    local f=$1
    shift
    { echo "version: 1"; echo "devices:"
      for d in "$@"; do
          echo "  - name: ${d#*:}"
          echo "    type: ${d%%:*}"
      done; } >"$f"
}

# waiter_through_dropin DROPIN: runs $WAITER (a guest that says "waiter:
# ready", then waits) through DROPIN under timeout(1), then sends SIGTERM
# to the process timeout started. Sets $exe (what that process runs),
# $grandchildren (its children: none when it neither forked nor left one)
# and $st (the exit status); stderr is in $WORK/werr.
waiter_through_dropin() {
    local pid child i
    timeout 60 "$1" --mem=32 -- "$WAITER" 30 >"$WORK/wout" 2>"$WORK/werr" &
    pid=$!
    for ((i = 0; i < 100; i++)); do
        grep -q "waiter: ready" "$WORK/wout" 2>/dev/null && break
        sleep 0.1
    done
    child=$(cat /proc/$pid/task/*/children 2>/dev/null | tr -d ' ')
    exe=$(readlink "/proc/$child/exe")
    grandchildren=$(cat /proc/"$child"/task/*/children 2>/dev/null)
    kill -TERM "$child" 2>/dev/null
    st=0
    wait "$pid" || st=$?
}

finish() {
    if [ "$skipped" -gt 0 ]; then
        echo "$passed passed, $failed failed, $skipped parts skipped"
    else
        echo "$passed passed, $failed failed"
    fi
    [ "$failed" -eq 0 ] || return 1
    [ "$skipped" -eq 0 ] || return 77
}
