#!/bin/bash
# lib-test.sh: lib.sh's skips. A missing tool or capability is a failure
# under CI (CI=true or REQUIRE_ALL=1) and a skip (exit 77) elsewhere; a
# missing /dev/kvm fails under REQUIRE_KVM=1; a skip never hides a check
# that already failed; a skipped part makes the whole test a skip.
. "$(dirname "$0")/lib.sh"
LIB=$SRCDIR/tests/lib.sh

# case WANT DESCRIPTION ENV... -- BODY: BODY, run by bash after sourcing
# lib.sh with only ENV of the CI variables set, must exit WANT.
case_() {
    local want=$1 what=$2 st=0
    shift 2
    local envs=()
    while [ "$1" != -- ]; do envs+=("$1"); shift; done
    shift
    env -u CI -u REQUIRE_ALL -u REQUIRE_KVM "${envs[@]}" \
        bash -c ". '$LIB'; $1" >"$WORK/out" 2>&1 || st=$?
    if [ "$st" -eq "$want" ]; then
        pass "$what: exit $want"
    else
        fail "$what: exit $st, want $want; got: $(head -c 400 "$WORK/out")"
    fi
}
NOTOOL=tg-no-such-tool
NOKVM=TG_KVM_DEVICE=$WORK/no-kvm

case_ 0 "need_tool, tool present" -- "need_tool sh x || exit 9; finish"
case_ 77 "need_tool, tool missing" -- "need_tool $NOTOOL x && exit 9; pass y; finish"
case_ 1 "need_tool, tool missing, REQUIRE_ALL=1" REQUIRE_ALL=1 -- \
    "need_tool $NOTOOL x && exit 9; pass y; finish"
case_ 1 "need_tool, tool missing, CI=true" CI=true -- \
    "need_tool $NOTOOL x && exit 9; pass y; finish"
check "need_tool names the tool and what is not run" \
    grep -qx "FAIL: $NOTOOL is not installed (scripts/install-deps installs it): x not run (required under CI)" "$WORK/out"
case_ 1 "a skipped part and a failed check" -- "lacking x; fail y; finish"
case_ 77 "need_kvm, no KVM" "$NOKVM" -- "pass x; need_kvm; exit 9"
case_ 1 "need_kvm, no KVM, after a failed check" "$NOKVM" -- \
    "fail x; need_kvm; exit 9"
check "need_kvm after a failed check: the summary line" \
    grep -qx "0 passed, 1 failed" "$WORK/out"
case_ 1 "need_kvm, no KVM, REQUIRE_KVM=1" "$NOKVM" REQUIRE_KVM=1 -- "need_kvm; exit 9"
case_ 1 "need_kvm, no KVM, REQUIRE_ALL=1" "$NOKVM" REQUIRE_ALL=1 -- "need_kvm; exit 9"
case_ 0 "need_kvm, this device" TG_KVM_DEVICE=/dev/null -- "need_kvm; pass x; finish"

# The target a guest test runs on (TG_TARGET): its files, and on spt the
# whole script run again with /dev/kvm hidden, its arguments kept.
case_ 1 "TG_TARGET=bogus" TG_TARGET=bogus -- "exit 9"
check "...named" grep -qx "FAIL: TG_TARGET=bogus: the targets are hvt and spt" "$WORK/out"
case_ 0 "hvt's files" -- '[ "$(guest_of d/x) $(monitor_of d/x)" = "d/x.hvt d/x-tender" ]'
case_ 0 "spt's files, no sanitizer build" TG_TARGET=spt TG_MONITOR_ASAN=1 -- \
    '[ "$(guest_of d/x) $(monitor_of d/x)" = "d/x.spt d/x-spt-tender" ]'
cat >"$WORK/target.sh" <<EOF
. "$LIB"
need_target
check "the arguments kept: \$*" [ "\$*" = "a b c" ]
[ -n "\${TG_KVM_HIDDEN:-}" ] && : >"$WORK/inside"
finish
EOF
chmod 755 "$WORK"
if [ ! -e /dev/kvm ]; then
    lacking "no /dev/kvm here: its hiding not checked"
elif [ "$(id -u)" = 0 ]; then
    st=0
    TG_TARGET=spt bash "$WORK/target.sh" a "b c" >"$WORK/out" 2>&1 || st=$?
    check "need_target on spt: the script runs again, passes" [ "$st" -eq 0 ]
    check "...with /dev/kvm hidden" grep -qx "spt: /dev/kvm hidden (/dev/null mounted over it)" "$WORK/out"
    check "...in its own mount namespace" [ -e "$WORK/inside" ]
    check "...leaving the host's /dev/kvm as it was" [ "$(stat -c %t:%T /dev/kvm)" != 1:3 ]
    st=0
    env -u CI -u REQUIRE_ALL -u REQUIRE_KVM TG_TARGET=spt setpriv --reuid=65534 \
        --regid=65534 --clear-groups bash "$WORK/target.sh" a "b c" >"$WORK/out" 2>&1 || st=$?
    check "need_target on spt, not root: a skip (77)" [ "$st" -eq 77 ]
    st=0
    env -u CI -u REQUIRE_ALL REQUIRE_KVM=1 TG_TARGET=spt setpriv --reuid=65534 \
        --regid=65534 --clear-groups bash "$WORK/target.sh" a "b c" >"$WORK/out" 2>&1 || st=$?
    check "...a failure under REQUIRE_KVM=1" [ "$st" -eq 1 ]
else
    lacking "not root: need_target's spt run not checked"
fi
finish
