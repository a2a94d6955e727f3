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
finish
