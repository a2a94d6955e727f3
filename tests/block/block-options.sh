#!/bin/bash
# block-options.sh: what the block module refuses before the guest runs,
# each with exit status 1 and a message naming the device or option, and
# never a change to the image: bad sector sizes, files it cannot or must
# not use, and the binding rules (unknown name, one device twice, one file
# for two devices, a declared device left unbound).
# Usage: block-options.sh BLKFILE (the host tool built from blkfile.c).
. "$(dirname "$0")/../lib.sh"
need_kvm
BLKFILE=$1
B=$BINDIR/tests/block
# tender GUEST: GUEST's monitor (or its ASan+UBSan build).
tender() { monitor_of "$B/$1"; }
IMMUTABLE=()
cleanup() {
    for f in "${IMMUTABLE[@]}"; do chattr -i "$f" 2>/dev/null; done
    rm -rf "$WORK"
}
trap cleanup EXIT

# mon GUEST OPTIONS...: runs GUEST's monitor with OPTIONS on a guest that
# would write if it ran.
mon() {
    local g=$1
    shift
    run_capture "$WORK/out" "$WORK/err" "$(tender $g)" "$@" "$B/$g.hvt" \
        --solo5:quiet rw 1 99
}
refused() { # DESCRIPTION SUBSTRING: exit 1 with SUBSTRING on stderr
    if [ "$status" -eq 1 ] && grep -qF -- "$2" "$WORK/err" &&
        ! grep -q blkguest: "$WORK/out"; then
        pass "$1"
    else
        fail "$1: exit $status, want 1 and '$2'; got: $(head -c 800 "$WORK/out" "$WORK/err")"
    fi
}
unchanged() { # DESCRIPTION FILE SIZE SEED
    "$BLKFILE" "$WORK/expected" "$3" "$4"
    check "$1: file unchanged" cmp -s "$2" "$WORK/expected"
}

IMG=$WORK/img
"$BLKFILE" "$IMG" 65536 11

# Sector sizes: a power of two from 512 to 32768, decimal digits only.
# 65536 does not fit the manifest's 16-bit field (solo5-hvt wraps it, and
# takes 66048 as 512).
for n in 521 256 65536 66048 0 abc 1000 -512 +512 512x 99999999999999999999; do
    mon blkguest --block:storage="$IMG" --block-sector-size:storage="$n"
    refused "sector size $n refused" \
        "Block size must be a multiple of 2 greater than or equal 512"
done
mon blkguest --block-sector-size:storage=521 --block:storage="$IMG"
refused "sector size checked before --block: too" \
    "--block-sector-size:storage=521: Block size must be"
mon blkguest --block:storage="$IMG" --block-sector-size:storage=512 \
    --block-sector-size:storage=4096
refused "sector size given twice" "the sector size of device 'storage' is already set"
unchanged "bad sector sizes" "$IMG" 65536 11

# Sizes: a multiple of the block size, and not empty.
head -c 6144 "$IMG" >"$WORK/six"
mon blkguest --block-sector-size:storage=4096 --block:storage="$WORK/six"
refused "6 KiB file with 4 KiB sectors" \
    "Backing storage size must be block aligned"
head -c 1000 "$IMG" >"$WORK/odd"
mon blkguest --block:storage="$WORK/odd"
refused "1000-byte file with 512-byte sectors" \
    "Backing storage size must be block aligned (${WORK}/odd is 1000 bytes"
: >"$WORK/empty"
mon blkguest --block:storage="$WORK/empty"
refused "empty file" "is empty: Backing storage must be at least 1 block"

# Files it cannot use.
mon blkguest --block:storage="$WORK/missing"
refused "missing file" "--block:storage=$WORK/missing: cannot open $WORK/missing: No such file or directory"
mkdir "$WORK/dir"
mon blkguest --block:storage="$WORK/dir"
refused "directory" "$WORK/dir is a directory"
mkfifo "$WORK/fifo"
mon blkguest --block:storage="$WORK/fifo"
refused "FIFO (not opened, so no hang)" "$WORK/fifo is a FIFO"
mon blkguest --block:storage=/dev/null
refused "character device" "/dev/null is a character device"

# Read-only files. As root, open(O_RDWR) succeeds on a mode 0444 file, so
# the module refuses a regular file with no write bit for anyone; a file
# the kernel will not open read-write (immutable, or not ours) is refused
# by open().
cp "$IMG" "$WORK/ro"
chmod 0444 "$WORK/ro"
mon blkguest --block:storage="$WORK/ro"
refused "mode 0444 file" "$WORK/ro is read-only (mode 444)"
unchanged "mode 0444 file" "$WORK/ro" 65536 11
cp "$IMG" "$WORK/immutable"
if chattr +i "$WORK/immutable" 2>/dev/null; then
    IMMUTABLE+=("$WORK/immutable")
    mon blkguest --block:storage="$WORK/immutable"
    refused "immutable file" "cannot open $WORK/immutable for reading and writing: Operation not permitted"
    chattr -i "$WORK/immutable"
    unchanged "immutable file" "$WORK/immutable" 65536 11
else
    lacking "chattr +i not supported here: immutable-file check not run"
fi
# Another user's file, as an unprivileged user (before KVM is opened).
chmod 0755 "$WORK"
cp "$IMG" "$WORK/root-owned"
chmod 0644 "$WORK/root-owned"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
    setpriv --reuid=65534 --regid=65534 --clear-groups \
        test -r "$B/blkguest.hvt" -a -x "$(tender blkguest)" 2>/dev/null; then
    status=0
    timeout 60 setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$(tender blkguest)" --block:storage="$WORK/root-owned" \
        "$B/blkguest.hvt" rw 1 99 >"$WORK/out" 2>"$WORK/err" || status=$?
    refused "file not writable by the user" "cannot open $WORK/root-owned for reading and writing: Permission denied"
    unchanged "file not writable by the user" "$WORK/root-owned" 65536 11
else
    lacking "not root, or setpriv cannot run the monitor as nobody: other-user check not run"
fi

# Binding rules.
mon blkguest --block:nosuch="$IMG"
refused "unknown device name" "resource not declared in manifest: 'nosuch'"
mon blkguest --block-sector-size:nosuch=512 --block:storage="$IMG"
refused "unknown device name in --block-sector-size" \
    "resource not declared in manifest: 'nosuch'"
cp "$IMG" "$WORK/other"
mon blkguest --block:storage="$IMG" --block:storage="$WORK/other"
refused "one device bound twice, both options named" \
    "--block:storage=$WORK/other: device 'storage' is already bound by --block:storage=$IMG"
mon blkguest2 --block:storage="$IMG" --block:backup="$IMG"
refused "one file for two devices, both named" \
    "--block:backup=$IMG: $IMG is the same file as --block:storage=$IMG (device 'storage')"
ln "$IMG" "$WORK/hardlink"
mon blkguest2 --block:storage="$IMG" --block:backup="$WORK/hardlink"
refused "one file under two names (hard link)" "is the same file as --block:storage=$IMG"
ln -s "$IMG" "$WORK/symlink"
mon blkguest2 --block:backup="$WORK/symlink" --block:storage="$IMG"
refused "one file under two names (symlink)" "is the same file as"
mon blkguest2 --block:storage="$IMG"
refused "declared device not attached" \
    "device 'backup' of type block declared but not attached"
mon blkguest2 --block:storage="$IMG" --block-sector-size:backup=4096
refused "a sector size alone does not attach" \
    "device 'backup' of type block declared but not attached"
mon blkguest2 --block:storage="$IMG" --block:backup="$WORK/missing"
refused "several errors: the bad device is named" \
    "--block:backup=$WORK/missing: cannot open"
unchanged "binding errors" "$IMG" 65536 11

# --help lists the module's options.
run_capture "$WORK/out" "$WORK/err" "$(tender blkguest)" --help
check "--help lists --block:NAME=PATH" grep -qF -- "--block:NAME=PATH" "$WORK/out"
check "--help lists --block-sector-size" \
    grep -qF -- "--block-sector-size:NAME=N" "$WORK/out"
finish
