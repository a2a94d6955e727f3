#!/bin/bash
# cache.sh: the cache against what another user can put in it. The usual
# way in is a restored cache: user 65534 prepares an archive (as CI caches
# are saved and restored) and root unpacks it over its own cache. Such an
# archive may hold a symbolic link out of the cache to a monitor of the
# right shape that 65534 built from a planted template, FIFOs and links to
# endless files where tender-gen reads, files too large or writable by
# others, and directories that keep 65534 as their owner. Each is refused
# with a message naming the file and why, nothing planted runs, no lookup
# hangs, and a build puts files of our own in their place. A cache
# directory another user owns or may write is refused outright.
. "$(dirname "$0")/../lib.sh"
need_kvm
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
    if [ "${REQUIRE_KVM:-0}" = 1 ]; then
        echo "FAIL: needs root and setpriv (another user's archive), and REQUIRE_KVM=1"
        exit 1
    fi
    echo "SKIP: needs root and setpriv (another user's archive)"
    exit 77
fi
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
chmod 0755 "$WORK"
HELLO=$BINDIR/examples/hello/hello.hvt
BIN=$WORK/bin
mkdir "$BIN"
ln -s "$TENDER_GEN" "$BIN/solo5-hvt"
unset TENDER_EXEC_BUILD

# Root's cache, filled by batch mode, kept aside to start each case from.
GOOD=$WORK/good
"$TENDER_GEN" --cache "$GOOD" --out-dir "$WORK/o" "$HELLO" >/dev/null
SHAPE=$(ls "$GOOD/shapes")
KEY=$(ls "$GOOD/monitors")
ID=$(ls "$GOOD/compilers")
C=$WORK/cache
fresh() { rm -rf "$C" && cp -a "$GOOD" "$C"; }

# drop: the drop-in (solo5-hvt) on hello, with cache C. batch: a batch run
# over hello with cache C. Both set $st; stderr in $WORK/err.
drop() {
    st=0
    TENDER_GEN_CACHE=$C timeout 30 "$BIN/solo5-hvt" -- "$HELLO" \
        >"$WORK/out" 2>"$WORK/err" || st=$?
}
batch() {
    st=0
    timeout 120 "$TENDER_GEN" --cache "$C" --out-dir "$WORK/b" "$HELLO" \
        >"$WORK/out" 2>"$WORK/err" || st=$?
}
said() { grep -qxF -- "$1" "$WORK/err"; }
E="tender-gen: error:"

fresh
drop
check "an intact cache: the drop-in runs hello" grep -q "Hello from tender-gen!" "$WORK/out"

# 65534's monitor for hello's shape: the real template with a constructor
# that leaves a mark when it runs.
EV=$WORK/evil
mkdir "$EV"
chown 65534:65534 "$EV"
as_nobody sh -c "mkdir '$EV/data' && cp -r '$SRCDIR/templates' '$SRCDIR/modules' '$SRCDIR/include' '$EV/data/'"
cat <<EOF | as_nobody sh -c "cat >>'$EV/data/templates/monitor.c.in'"
__attribute__((constructor)) static void planted(void)
{
    close(open("$WORK/planted-ran", O_CREAT | O_WRONLY, 0644));
}
EOF
TMPDIR=$EV TENDER_GEN_DATADIR=$EV/data as_nobody "$TENDER_GEN" -o "$EV/trojan" "$HELLO"
check "65534's monitor leaves its mark when run" \
    bash -c "'$EV/trojan' --help >/dev/null 2>&1; [ -e '$WORK/planted-ran' ]"
rm -f "$WORK/planted-ran"

# archive NAME OWNERS SETUP: 65534 makes, in an empty tree of the cache's
# layout, what the shell command SETUP makes (run there as 65534), and
# archives the names it lists in $EV/NAME.list; root unpacks the archive
# over a fresh copy of its cache, with 65534 kept as owner when OWNERS is
# "owners" (tar's default for root), as its own files otherwise.
archive() {
    local t=$EV/$1
    as_nobody sh -c "mkdir -p '$t/shapes' '$t/monitors' '$t/locks' '$t/compilers' &&
        cd '$t' && $3 && tar -cSf '$t.tar' \$(cat '$t.list')"
    fresh
    if [ "$2" = owners ]; then
        tar -xf "$t.tar" -C "$C"
    else
        tar -xf "$t.tar" -C "$C" --no-same-owner
    fi
}

# A link out of the cache to 65534's monitor.
archive link own "ln -s '$EV/trojan' shapes/$SHAPE && echo shapes/$SHAPE >'$EV/link.list'"
drop
check "shapes/ link out of the cache: the drop-in refuses it" \
    said "$E $C/shapes/$SHAPE: refused: a symbolic link, not a file of the cache"
check "... exit non-zero, the guest not run" \
    [ "$st" -ne 0 -a ! -s "$WORK/out" ]
check "... the planted monitor did not run" [ ! -e "$WORK/planted-ran" ]
batch
check "... a build replaces the link with a file of ours" \
    [ "$st" -eq 0 -a -f "$C/shapes/$SHAPE" -a ! -L "$C/shapes/$SHAPE" ]
drop
check "... after which the drop-in runs hello again" grep -q "Hello from tender-gen!" "$WORK/out"
check "... and the planted monitor never ran" [ ! -e "$WORK/planted-ran" ]

# The entry itself a link out of the cache, and a link to an endless file.
archive entry own "ln -s '$EV/trojan' monitors/$KEY && echo monitors/$KEY >'$EV/entry.list'"
drop
check "monitors/ link out of the cache: refused" \
    said "$E $C/monitors/$KEY: refused: a symbolic link, not a file of the cache"
check "... the planted monitor did not run" [ ! -e "$WORK/planted-ran" ]
archive zero own "ln -s /dev/zero monitors/$KEY && echo monitors/$KEY >'$EV/zero.list'"
drop
check "monitors/ link to /dev/zero: no hang (exit $st)" [ "$st" -ne 124 ]
check "... refused" said "$E $C/monitors/$KEY: refused: a symbolic link, not a file of the cache"
batch
check "... a build compiles the entry again, as a file of ours" \
    [ "$st" -eq 0 -a -f "$C/monitors/$KEY" -a ! -L "$C/monitors/$KEY" ]
check "... and said why" said "$E $C/monitors/$KEY: refused: a symbolic link, not a file of the cache"

# FIFOs where tender-gen reads: the shape's index, the compiler identity,
# the lock.
archive fifo own "mkfifo shapes/$SHAPE compilers/$ID locks/$KEY && printf '%s\n' shapes/$SHAPE compilers/$ID locks/$KEY >'$EV/fifo.list'"
drop
check "shapes/ FIFO: the lookup does not hang (exit $st)" [ "$st" -ne 124 ]
check "... and refuses it" said "$E $C/shapes/$SHAPE: refused: not a regular file"
batch
check "compilers/ and locks/ FIFOs: the build does not hang, exit 0 ($st)" [ "$st" -eq 0 ]
check "... the identity FIFO refused" said "$E $C/compilers/$ID: refused: not a regular file"
check "... the lock FIFO refused" said "$E $C/locks/$KEY: refused: not a regular file"
check "... identity and index files of ours again" \
    [ -f "$C/compilers/$ID" -a -f "$C/shapes/$SHAPE" ]

# A lock that is a link (O_CREAT must not create its target).
archive lock own "ln -s '$EV/made-by-root' locks/$KEY && echo locks/$KEY >'$EV/lock.list'"
batch
check "locks/ link: refused" said "$E $C/locks/$KEY: refused: a symbolic link, not a lock file"
check "... the build goes on, exit 0" [ "$st" -eq 0 ]
check "... its target not created" [ ! -e "$EV/made-by-root" ]

# Too large, and writable by others.
archive big own "truncate -s 40M monitors/$KEY && echo monitors/$KEY >'$EV/big.list'"
drop
check "a 40 MiB entry: refused unread" \
    said "$E $C/monitors/$KEY: refused: larger than 33554432 bytes"
archive open own "cp '$GOOD/monitors/$KEY' monitors/ && chmod 0666 monitors/$KEY && echo monitors/$KEY >'$EV/open.list'"
drop
check "an entry writable by others: refused" \
    said "$E $C/monitors/$KEY: refused: the cache file is writable by others (mode 0666)"
batch
check "... a build replaces it (mode 0755)" \
    [ "$st" -eq 0 -a "$(stat -c %a "$C/monitors/$KEY")" = 755 ]

# An archive unpacked with its owners: an entry, then a directory of the
# cache, is 65534's.
archive ownfile owners "cp '$GOOD/monitors/$KEY' monitors/ && echo monitors/$KEY >'$EV/ownfile.list'"
drop
check "an entry owned by 65534: refused" \
    said "$E $C/monitors/$KEY: refused: the cache file belongs to another user (uid 65534)"
check "... the guest not run" [ ! -s "$WORK/out" ]
batch
check "... a build replaces it with a file of ours" \
    [ "$st" -eq 0 -a "$(stat -c %u "$C/monitors/$KEY")" = 0 ]

archive owners owners "cp '$GOOD/monitors/$KEY' monitors/ && printf '%s\n' monitors monitors/$KEY >'$EV/owners.list'"
OWNED="refused: the directory belongs to another user (uid 65534), who could replace what is written there"
drop
check "monitors/ owned by 65534: the drop-in refuses the cache" said "$E $C/monitors: $OWNED"
check "... the guest not run" [ ! -s "$WORK/out" ]
batch
check "... batch mode refuses it" said "$E $C/monitors: $OWNED"
check "... exit 1" [ "$st" -eq 1 ]

# The cache directory itself another user's, or writable by all.
rm -rf "$C"
mkdir "$C"
chown 65534:65534 "$C"
drop
check "cache owned by 65534: the drop-in refuses it" said "$E $C: $OWNED"
batch
check "cache owned by 65534: batch mode refuses it" said "$E $C: $OWNED"
check "... exit 1" [ "$st" -eq 1 ]
check "... nothing written in it" [ -z "$(ls -A "$C")" ]
chown 0:0 "$C"
chmod 0777 "$C"
batch
check "cache mode 0777: refused" \
    said "$E $C: refused: the directory is writable by group and others (mode 0777) without the sticky bit"
check "... exit 1" [ "$st" -eq 1 ]
check "the planted monitor never ran" [ ! -e "$WORK/planted-ran" ]
finish
