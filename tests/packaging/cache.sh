#!/bin/bash
# cache.sh: the cache against what another user can put in it. The usual
# way in is a restored cache: user 65534 prepares an archive (as CI caches
# are saved and restored) and root unpacks it over its own cache. Such an
# archive may hold a symbolic link out of the cache to a monitor of the
# right shape that 65534 built from a planted template, FIFOs and links to
# endless files where tender-gen reads, files too large or writable by
# others, and directories that keep 65534 as their owner. Each is refused
# with a message naming the file and why, nothing planted runs, no lookup
# hangs, batch mode never hands out a planted monitor, and a build puts
# files of our own in their place. A cache directory another user owns or
# may write is refused outright.
. "$(dirname "$0")/../lib.sh"
need_kvm
[ "$(id -u)" = 0 ] || skip_test "not root: root unpacks another user's archive"
need_tool setpriv "another user's archive" || skip_test "no setpriv"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
chmod 0755 "$WORK"
HELLO=$BINDIR/examples/hello/hello.hvt

# Root's cache, filled by batch mode, kept aside to start each case from.
GOOD=$WORK/good
"$TENDER_GEN" --cache "$GOOD" --out-dir "$WORK/o" "$HELLO" >/dev/null
KEY=$(ls "$GOOD/monitors")
ID=$(ls "$GOOD/compilers")
C=$WORK/cache
fresh() { rm -rf "$C" && cp -a "$GOOD" "$C"; }

# batch: a batch run over hello with cache C; sets $st, stderr in
# $WORK/err. ran_hello: the monitor it handed out runs hello.
batch() {
    st=0
    rm -rf "$WORK/b"
    timeout 120 "$TENDER_GEN" --cache "$C" --out-dir "$WORK/b" "$HELLO" \
        >"$WORK/out" 2>"$WORK/err" || st=$?
}
ran_hello() {
    timeout 30 "$WORK/b/hello-tender" "$HELLO" 2>/dev/null |
        grep -q "Hello from tender-gen!"
}
said() { grep -qxF -- "$1" "$WORK/err"; }
E="tender-gen: error:"

fresh
batch
check "an intact cache: batch mode reuses its entry" \
    [ "$st" -eq 0 ] && grep -q "reused" "$WORK/out"
check "... and the monitor it hands out runs hello" ran_hello

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
    as_nobody sh -c "mkdir -p '$t/monitors' '$t/locks' '$t/compilers' &&
        cd '$t' && $3 && tar -cSf '$t.tar' \$(cat '$t.list')"
    fresh
    if [ "$2" = owners ]; then
        tar -xf "$t.tar" -C "$C"
    else
        tar -xf "$t.tar" -C "$C" --no-same-owner
    fi
}

# The entry itself a link out of the cache, and a link to an endless file.
archive entry own "ln -s '$EV/trojan' monitors/$KEY && echo monitors/$KEY >'$EV/entry.list'"
batch
check "monitors/ link out of the cache to a monitor of the shape: refused" \
    said "$E $C/monitors/$KEY: refused: a symbolic link, not a file of the cache"
check "... a build compiles the entry again, as a file of ours" \
    [ "$st" -eq 0 -a -f "$C/monitors/$KEY" -a ! -L "$C/monitors/$KEY" ]
check "... the monitor handed out runs hello" ran_hello
check "... and the planted monitor did not run" [ ! -e "$WORK/planted-ran" ]
archive zero own "ln -s /dev/zero monitors/$KEY && echo monitors/$KEY >'$EV/zero.list'"
batch
check "monitors/ link to /dev/zero: no hang (exit $st)" [ "$st" -ne 124 ]
check "... refused" said "$E $C/monitors/$KEY: refused: a symbolic link, not a file of the cache"
check "... a build compiles the entry again, as a file of ours" \
    [ "$st" -eq 0 -a -f "$C/monitors/$KEY" -a ! -L "$C/monitors/$KEY" ]

# FIFOs where tender-gen reads: the entry, the compiler identity, the lock.
archive fifo own "mkfifo monitors/$KEY compilers/$ID locks/$KEY && printf '%s\n' monitors/$KEY compilers/$ID locks/$KEY >'$EV/fifo.list'"
batch
check "monitors/, compilers/ and locks/ FIFOs: the build does not hang, exit 0 ($st)" [ "$st" -eq 0 ]
check "... the entry FIFO refused" said "$E $C/monitors/$KEY: refused: not a regular file"
check "... the identity FIFO refused" said "$E $C/compilers/$ID: refused: not a regular file"
check "... the lock FIFO refused" said "$E $C/locks/$KEY: refused: not a regular file"
check "... entry and identity files of ours again" \
    [ -f "$C/compilers/$ID" -a -f "$C/monitors/$KEY" ]

# A lock that is a link (O_CREAT must not create its target).
archive lock own "ln -s '$EV/made-by-root' locks/$KEY && echo locks/$KEY >'$EV/lock.list'"
batch
check "locks/ link: refused" said "$E $C/locks/$KEY: refused: a symbolic link, not a lock file"
check "... the build goes on, exit 0" [ "$st" -eq 0 ]
check "... its target not created" [ ! -e "$EV/made-by-root" ]

# Too large, and writable by others.
archive big own "truncate -s 40M monitors/$KEY && echo monitors/$KEY >'$EV/big.list'"
batch
check "a 40 MiB entry: refused unread" \
    said "$E $C/monitors/$KEY: refused: larger than 33554432 bytes"
archive open own "cp '$GOOD/monitors/$KEY' monitors/ && chmod 0666 monitors/$KEY && echo monitors/$KEY >'$EV/open.list'"
batch
check "an entry writable by others: refused" \
    said "$E $C/monitors/$KEY: refused: the cache file is writable by others (mode 0666)"
check "... a build replaces it (mode 0755)" \
    [ "$st" -eq 0 -a "$(stat -c %a "$C/monitors/$KEY")" = 755 ]

# An archive unpacked with its owners: an entry, then a directory of the
# cache, is 65534's.
archive ownfile owners "cp '$GOOD/monitors/$KEY' monitors/ && echo monitors/$KEY >'$EV/ownfile.list'"
batch
check "an entry owned by 65534, with the right bytes: refused" \
    said "$E $C/monitors/$KEY: refused: the cache file belongs to another user (uid 65534)"
check "... a build replaces it with a file of ours" \
    [ "$st" -eq 0 -a "$(stat -c %u "$C/monitors/$KEY")" = 0 ]

archive owners owners "cp '$GOOD/monitors/$KEY' monitors/ && printf '%s\n' monitors monitors/$KEY >'$EV/owners.list'"
OWNED="refused: the directory belongs to another user (uid 65534), who could replace what is written there"
batch
check "monitors/ owned by 65534: batch mode refuses the cache" said "$E $C/monitors: $OWNED"
check "... exit 1" [ "$st" -eq 1 ]

# The cache directory itself another user's, or writable by all.
rm -rf "$C"
mkdir "$C"
chown 65534:65534 "$C"
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
