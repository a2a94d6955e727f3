#!/bin/bash
# first-unikernel.sh: README's "Your first unikernel", run as written: its
# shell blocks, with three places a reader's machine differs from the
# test's made explicit (the build tree is BINDIR, the prefix is under the
# test's directory, the network namespace has a name of its own). The
# guest must boot twice, counting 1 then 2 on its disk image.
. "$(dirname "$0")/../lib.sh"
: "${BINDIR:?BINDIR must name the build tree}"
need_kvm
need_tool ip "the guest's tap" || {
    finish
    exit
}
if [ ! -c /dev/net/tun ]; then
    [ "${REQUIRE_KVM:-0}" = 1 ] && {
        echo "FAIL: /dev/net/tun is missing, and REQUIRE_KVM=1"
        exit 1
    }
    skip_test "/dev/net/tun is missing"
fi

NS=tg-$$-readme
trap 'ip netns del "$NS" 2>/dev/null; rm -rf "$WORK"' EXIT

awk '/^## Your first unikernel/ { s = 1; next } /^## / { s = 0 } s' \
    "$SRCDIR/README.md" | awk '/^```sh$/ { f = 1; next } /^```/ { f = 0; next } f' \
    >"$WORK/readme.sh"
for form in 'cmake --install build ' '/opt/tender-gen' 'ip netns add counter' \
    'ip netns exec counter' 'ip netns del counter'; do
    check "README's commands hold \"$form\"" grep -qF -- "$form" "$WORK/readme.sh"
done
sed -e "s|cmake --install build |cmake --install \"$BINDIR\" |" \
    -e "s|/opt/tender-gen|$WORK/prefix|g" \
    -e "s/ip netns \(add\|exec\|del\) counter/ip netns \1 $NS/" \
    "$WORK/readme.sh" >"$WORK/run.sh"

mkdir "$WORK/home"
st=0
(cd "$WORK/home" && timeout 240 bash -e "$WORK/run.sh") >"$WORK/out" 2>&1 || st=$?
check "README's first unikernel builds and runs (exit $st)" [ $st -eq 0 ]
[ $st -eq 0 ] || tail -20 "$WORK/out"
check "the guest sees its tap" grep -qE '^service: mac ([0-9a-f]{2}:){5}[0-9a-f]{2}, mtu 1500$' "$WORK/out"
check "first boot: boot 1, as README says" grep -qx 'storage: 1048576 bytes, boot 1' "$WORK/out"
check "second boot: boot 2, as README says" grep -qx 'storage: 1048576 bytes, boot 2' "$WORK/out"
check "README's comments show the same lines" bash -c \
    "grep -qF '# ... storage: 1048576 bytes, boot 1' '$WORK/readme.sh' &&
     grep -qF '# ... boot 2' '$WORK/readme.sh'"
check "the namespace is gone afterwards" bash -c "! ip netns list | grep -qw '$NS'"
finish
