# spt-lib.sh: what the process-monitor (spt) tests share: building the
# sptops test guest for a manifest, with its monitor, and running a
# monitor with /dev/kvm hidden, which proves it never needs it.
# Source it after tests/lib.sh.

# "${NOKVM[@]}" COMMAND...: runs COMMAND in a private mount namespace where
# /dev/null is mounted over /dev/kvm (when the host has one).
NOKVM=()
if [ -e /dev/kvm ]; then
    NOKVM=(unshare -m sh -c 'mount --bind /dev/null /dev/kvm && exec "$@"' sh)
fi

# spt_guest NAME MANIFEST: builds $WORK/NAME.spt, the sptops guest with
# MANIFEST's notes for the spt target, and its monitor $WORK/NAME-tender.
spt_guest() {
    local name=$1 manifest=$2 cc=${CC:-cc}
    "$TENDER_GEN" --target spt --emit-note "$WORK/$name-note.c" "$manifest" &&
        "$cc" -c -O1 -ffreestanding -fno-builtin -fno-stack-protector \
            -fno-pic -fcf-protection=none -fno-asynchronous-unwind-tables \
            -o "$WORK/$name-note.o" "$WORK/$name-note.c" &&
        "$cc" -c -O1 -ffreestanding -fno-builtin -fno-stack-protector \
            -fno-pic -fcf-protection=none -fno-asynchronous-unwind-tables \
            -fno-tree-loop-distribute-patterns -Wall -Wextra -Werror \
            -o "$WORK/$name-ops.o" "$SRCDIR/tests/spt/sptops.c" &&
        ld -static -nostdlib -T "$SRCDIR/tests/guests/raw.ld" \
            -o "$WORK/$name.spt" "$WORK/$name-ops.o" "$WORK/$name-note.o" &&
        "$TENDER_GEN" -o "$WORK/$name-tender" "$WORK/$name.spt"
}

# The tests need root for the namespaces; the guest's monitor then runs as
# nobody, as a monitor should.
need_root() {
    [ "$(id -u)" = 0 ] || skip_test "not root: cannot hide /dev/kvm (unshare -m)"
}

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
