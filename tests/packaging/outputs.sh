#!/bin/bash
# outputs.sh: every file tender-gen writes is ours. Builds are
# reproducible, so another user can make a file with a monitor's exact
# bytes before we build it: in a shared sticky directory, root's -o
# replaces that user's file (or link, or FIFO) with a fresh one of its own,
# and an ordinary user's build is refused by the kernel rather than keeping
# a file someone else owns. A directory another user owns, or that others
# may write without the sticky bit, is refused for --out-dir, --cache and
# every output file, with one line naming it and why, exit 1, and nothing
# written anywhere.
. "$(dirname "$0")/../lib.sh"

if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
    if [ "${REQUIRE_KVM:-0}" = 1 ]; then
        echo "FAIL: needs root and setpriv (other users' files), and REQUIRE_KVM=1"
        exit 1
    fi
    echo "SKIP: needs root and setpriv (other users' files)"
    exit 77
fi
# as UID COMMAND...: COMMAND as the unprivileged user UID.
as() {
    local uid=$1
    shift
    setpriv --reuid="$uid" --regid="$uid" --clear-groups "$@"
}
chmod 0755 "$WORK"
IN=$WORK/alpha.yml
printf 'version: 1\nname: alpha\n' >"$IN"
# tg ARGS...: tender-gen as root; sets $st, output in $WORK/err.
tg() {
    st=0
    timeout 120 "$TENDER_GEN" "$@" >"$WORK/out" 2>"$WORK/err" || st=$?
}
refused() { # DESCRIPTION LINE: exit 1 and exactly LINE on stderr
    if [ "$st" -eq 1 ] && grep -qxF -- "$2" "$WORK/err"; then
        pass "$1"
    else
        fail "$1: exit $st, want 1 and '$2'; got: $(head -c 600 "$WORK/err")"
    fi
}
owner() { stat -c %u "$1"; }
ino() { stat -c %i "$1"; }

tg -o "$WORK/reference" "$IN"
check "reference monitor built" [ "$st" -eq 0 ]

# A shared sticky directory, like /tmp.
SHARED=$WORK/shared
mkdir -m 1777 "$SHARED"
# User 65534 builds the same monitor there first: the same bytes.
TMPDIR=$SHARED as 65534 "$TENDER_GEN" -o "$SHARED/mon" "$IN"
check "the other user's copy has our exact bytes" cmp -s "$SHARED/mon" "$WORK/reference"
planted=$(ino "$SHARED/mon")
tg -o "$SHARED/mon" "$IN"
check "same bytes, another owner: exit 0" [ "$st" -eq 0 ]
check "same bytes, another owner: the file is now ours" [ "$(owner "$SHARED/mon")" = 0 ]
check "same bytes, another owner: a new file, not theirs kept" [ "$(ino "$SHARED/mon")" != "$planted" ]
check "same bytes, another owner: mode 0755" [ "$(stat -c %a "$SHARED/mon")" = 755 ]
check "same bytes, another owner: the content is the monitor" cmp -s "$SHARED/mon" "$WORK/reference"
check "the other user cannot change it now" \
    bash -c "! setpriv --reuid=65534 --regid=65534 --clear-groups sh -c ': >>$SHARED/mon' 2>/dev/null"
# Our own file, unchanged: kept as it is (incremental builds).
ours=$(ino "$SHARED/mon")
tg -o "$SHARED/mon" "$IN"
check "our own identical file: kept" [ "$st" -eq 0 -a "$(ino "$SHARED/mon")" = "$ours" ]
# Ours but writable by the group: replaced by a fresh file.
chmod 0775 "$SHARED/mon"
tg -o "$SHARED/mon" "$IN"
check "our file writable by the group: replaced" \
    [ "$st" -eq 0 -a "$(ino "$SHARED/mon")" != "$ours" -a "$(stat -c %a "$SHARED/mon")" = 755 ]
# A link to our own identical file: the link is replaced, not followed.
as 65534 ln -s "$WORK/reference" "$SHARED/linked"
tg -o "$SHARED/linked" "$IN"
check "a link to an identical file: replaced by a file of ours" \
    [ "$st" -eq 0 -a ! -L "$SHARED/linked" -a "$(owner "$SHARED/linked")" = 0 ]
# A FIFO: no hang on reading it.
as 65534 mkfifo "$SHARED/fifo"
tg -o "$SHARED/fifo" "$IN"
check "a FIFO: replaced, no hang" [ "$st" -eq 0 -a -f "$SHARED/fifo" ]
# An ordinary user over a third user's file: the sticky directory forbids
# the rename, and the other's file stays as it was, not taken for ours.
TMPDIR=$SHARED as 65533 "$TENDER_GEN" -o "$SHARED/third" "$IN"
st=0
TMPDIR=$SHARED as 65534 "$TENDER_GEN" -o "$SHARED/third" "$IN" \
    >"$WORK/out" 2>"$WORK/err" || st=$?
refused "ordinary user over another's identical file: refused" \
    "tender-gen: error: $SHARED/third: cannot write: Operation not permitted"
check "... the other's file left as it was" [ "$(owner "$SHARED/third")" = 65533 ]
check "... and no temporary file left" bash -c "[ -z \"\$(ls '$SHARED' | grep tmp)\" ]"

# Directories another user can change. Each refused before anything is
# written: the other outputs of the run are not written either.
THEIRS=$WORK/theirs
mkdir "$THEIRS"
chown 65534:65534 "$THEIRS"
OWNED="refused: the directory belongs to another user (uid 65534), who could replace what is written there"
tg --out-dir "$THEIRS" "$IN"
refused "--out-dir owned by another user" "tender-gen: error: $THEIRS: $OWNED"
check "... nothing written in it" [ -z "$(ls -A "$THEIRS")" ]
tg --out-dir "$WORK/o1" --cache "$THEIRS" "$IN"
refused "--cache owned by another user" "tender-gen: error: $THEIRS: $OWNED"
check "... nothing written: no output directory, cache empty" \
    [ ! -e "$WORK/o1" -a -z "$(ls -A "$THEIRS")" ]
tg --emit-c "$WORK/m.c" --emit-note "$WORK/n.c" --depfile "$WORK/m.d" \
    -o "$THEIRS/mon" "$IN"
refused "-o in another user's directory" "tender-gen: error: $THEIRS: $OWNED"
check "... and its other outputs not written" \
    [ ! -e "$WORK/m.c" -a ! -e "$WORK/n.c" -a ! -e "$WORK/m.d" -a -z "$(ls -A "$THEIRS")" ]
for opt in --emit-c --emit-note --depfile; do
    tg -o "$WORK/m1" "$opt" "$THEIRS/f" "$IN"
    refused "$opt in another user's directory" "tender-gen: error: $THEIRS: $OWNED"
    check "... and -o not written" [ ! -e "$WORK/m1" ]
done
ln -s "$THEIRS" "$WORK/link-to-theirs"
tg --out-dir "$WORK/link-to-theirs" "$IN"
refused "--out-dir: a link to another user's directory" \
    "tender-gen: error: $WORK/link-to-theirs: $OWNED"
cd "$THEIRS" && tg "$IN"
cd "$WORK" || exit 1
refused "the default output (NAME-tender) in another user's directory" \
    "tender-gen: error: .: $OWNED"

# Writable by others without the sticky bit, though root's.
mkdir -m 0777 "$WORK/open"
chmod 0777 "$WORK/open"
tg --out-dir "$WORK/open" "$IN"
refused "--out-dir mode 0777" "tender-gen: error: $WORK/open: refused: the directory is writable by group and others (mode 0777) without the sticky bit"
check "... nothing written" [ -z "$(ls -A "$WORK/open")" ]
mkdir "$WORK/group"
chmod 0775 "$WORK/group"
tg --out-dir "$WORK/o2" --cache "$WORK/group" "$IN"
refused "--cache mode 0775" "tender-gen: error: $WORK/group: refused: the directory is writable by group (mode 0775) without the sticky bit"
check "... nothing written" [ ! -e "$WORK/o2" -a -z "$(ls -A "$WORK/group")" ]
tg -o "$WORK/open/mon" "$IN"
refused "-o in a directory writable by all" "tender-gen: error: $WORK/open: refused: the directory is writable by group and others (mode 0777) without the sticky bit"

# Sticky and root's, as /tmp: accepted, and what is written is ours.
tg --out-dir "$SHARED/batch" "$IN"
check "--out-dir inside a sticky directory: exit 0" [ "$st" -eq 0 ]
tg --out-dir "$SHARED" "$IN"
check "--out-dir a sticky directory itself: exit 0, monitor ours" \
    [ "$st" -eq 0 -a "$(owner "$SHARED/alpha-tender")" = 0 ]
# Devices and pipes are written through, never replaced: a file of ours in
# place of /dev/null would take the host's device away. (Nodes of our own
# in $WORK stand in for /dev's, so a bug here breaks nothing else.)
DEV=$WORK/dev
mkdir "$DEV"
mknod "$DEV/null" c 1 3
tg --emit-c "$DEV/null" "$IN"
check "--emit-c to a character device: exit 0, still the device" \
    [ "$st" -eq 0 -a -c "$DEV/null" ]
tg -o "$DEV/null" "$IN"
check "-o to a character device: exit 0, still the device" \
    [ "$st" -eq 0 -a -c "$DEV/null" ]
ln -s /proc/self/fd/1 "$DEV/stdout"
"$TENDER_GEN" --emit-c "$DEV/stdout" "$IN" | cat >"$WORK/piped"
check "--emit-c through a link to our stdout (a pipe): the C arrives" \
    grep -q "monitor.c: a KVM monitor" "$WORK/piped"
check "... and the link is still a link" [ -L "$DEV/stdout" ]
mkfifo "$DEV/fifo"
cat "$DEV/fifo" >"$WORK/fromfifo" &
tg --emit-c "$DEV/fifo" "$IN"
wait
check "--emit-c to a FIFO of ours: written through, still a FIFO" \
    bash -c "[ $st -eq 0 -a -p '$DEV/fifo' ] && grep -q 'monitor.c: a KVM monitor' '$WORK/fromfifo'"
finish
