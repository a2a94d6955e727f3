#!/bin/bash
# dropin-files-attacks.sh: the drop-in that runs monitor files (tender-gen
# --drop-in FILE --monitors DIR) runs a file only when the content it read
# through the descriptor it executes has the digest it holds. Each attack
# uses code that leaves a marker if it ever runs (planted, with a real
# monitor's provenance section copied in: the right shape on paper):
#   - the monitor file replaced by the forged one: refused, one line
#     naming the file, the digest found and the one approved;
#   - a symbolic link (to a good monitor, to /dev/zero), a FIFO, a device
#     node, an oversized or missing file at the monitor's name: refused,
#     nothing hangs;
#   - a monitor file, the monitor directory or a directory above it that
#     another user owns or may write: refused by tender-gen at build time
#     and by the drop-in at launch; the directory turned into a link too;
#   - with those owner checks taken out of a test copy of the drop-in (its
#     data directory patched), so that another user owns the directory:
#     the file renamed to a forged one between the hash and the exec (the
#     drop-in stopped there under gdb), and that user swapping a good and a
#     forged monitor in a loop while root launches 150 guests. The hashed
#     descriptor is what runs: the forged monitor never does.
. "$(dirname "$0")/../lib.sh"
need_kvm
[ "$(id -u)" = 0 ] || skip_test "not root: chown and mknod need it"
need_tool setpriv "the unprivileged attacker" || skip_test "no setpriv"

chmod 755 "$WORK" # the unprivileged attacker works below it
WORK=$(realpath "$WORK")
HELLO=$BINDIR/examples/hello/hello.hvt
PLANTED=$BINDIR/tests/packaging/planted
NODEV='block=0 net=0 modules=core,console'
MARK=$WORK/marker
export TG_PLANTED_MARKER=$MARK
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

# The operator's drop-in, hello's shape, monitors in MON.
MON=$WORK/monitors
DROPIN=$WORK/bin/solo5-hvt
mkdir -p "$WORK/bin"
"$TENDER_GEN" --drop-in "$DROPIN" --monitors "$MON" "$HELLO" >/dev/null
HFILE=$(find "$MON" -type f)
NAME=${HFILE##*/}
good=$(sha256sum "$HFILE" | cut -c1-64)
"$TENDER_GEN" --emit-c "$WORK/hello-monitor.c" "$HELLO"
digest=$(sed -n 's/^ \* digest: //p' "$WORK/hello-monitor.c")
AUDIT="solo5-hvt: running $HELLO (shape '$NODEV') on monitor $digest"
cp "$HFILE" "$WORK/good-copy"

# launch: runs the drop-in ($1, default $DROPIN) on hello as root, as
# albatross would, within a time limit.
launch() {
    run_capture "$WORK/out" "$WORK/err" timeout 20 "${1:-$DROPIN}" --mem=32 -- "$HELLO" x
}
# refused WHAT LINE: the last launch was refused with exactly LINE, ran no
# guest and no planted code.
refused() {
    check "$1: exit 1" [ "$status" -eq 1 ]
    check "$1: one line, the refusal" \
        bash -c "[ \$(wc -l <'$WORK/err') -eq 1 ] && grep -qxF -- \"\$1\" '$WORK/err'" _ "$2"
    check "$1: no guest ran, no planted code (no marker)" \
        bash -c "[ ! -s '$WORK/out' ] && [ ! -e '$MARK' ]"
}
# booted WHAT: the last launch booted hello on the approved monitor.
booted() {
    check "$1: hello boots on the approved monitor" bash -c "[ $status -eq 0 ] &&
        grep -qx 'Hello from tender-gen!' '$WORK/out' && grep -qxF \"$AUDIT\" '$WORK/err'"
    check "$1: no planted code ran" bash -c "[ ! -e '$MARK' ] && ! grep -q PLANTED '$WORK/out' '$WORK/err'"
}
launch
booted "control: the drop-in as built"

# --- The forged monitor, made by an unprivileged user: planted code with
# hello's monitor's provenance section.
ATT=$WORK/attacker
mkdir "$ATT" && chown 65534:65534 "$ATT"
objcopy -O binary --only-section=.tender_gen "$HFILE" "$WORK/prov"
chmod 644 "$WORK/prov"
as_nobody objcopy --add-section .tender_gen="$WORK/prov" "$PLANTED" "$ATT/forged"
forged=$(sha256sum "$ATT/forged" | cut -c1-64)
check "the forged monitor carries hello's monitor's provenance" \
    bash -c "readelf -p .tender_gen '$ATT/forged' | grep -q 'shape: $NODEV'"
"$ATT/forged" 2>/dev/null
check "control: the forged monitor leaves its marker when it runs" [ -e "$MARK" ]
rm -f "$MARK"

# Handed over and installed in its place (root's file now).
install -m 0755 "$ATT/forged" "$HFILE"
launch
refused "the monitor file replaced by a forged one" \
    "solo5-hvt: refusing monitor $HFILE: its sha256 is $forged, not the approved $good"
install -m 0755 "$WORK/good-copy" "$HFILE"

# --- What is at the monitor's name is not a regular file of its own.
ln -sf "$WORK/good-copy" "$HFILE"
launch
refused "a symbolic link to a good monitor" \
    "solo5-hvt: refusing monitor $HFILE: a symbolic link, not a monitor file"
ln -sf /dev/zero "$HFILE"
launch
refused "a symbolic link to /dev/zero (no hang)" \
    "solo5-hvt: refusing monitor $HFILE: a symbolic link, not a monitor file"
rm -f "$HFILE" && mkfifo -m 0755 "$HFILE"
launch
refused "a FIFO (no hang)" "solo5-hvt: refusing monitor $HFILE: not a regular file"
rm -f "$HFILE" && mknod -m 0755 "$HFILE" c 1 5
launch
refused "a device node (/dev/zero's numbers, no hang)" \
    "solo5-hvt: refusing monitor $HFILE: not a regular file"
rm -f "$HFILE" && truncate -s 40M "$HFILE" && chmod 0755 "$HFILE"
launch
refused "an oversized file" "solo5-hvt: refusing monitor $HFILE: larger than 33554432 bytes"
rm -f "$HFILE"
launch
refused "no file" "solo5-hvt: refusing monitor $HFILE: cannot open: No such file or directory"
install -m 0755 "$WORK/good-copy" "$HFILE"

# --- Files and directories another user owns or may write, at launch.
chown 65534 "$HFILE"
launch
refused "the monitor file is another user's (its content good)" \
    "solo5-hvt: refusing monitor $HFILE: it belongs to another user (uid 65534), who could replace what runs"
chown 0 "$HFILE" && chmod 0757 "$HFILE"
launch
refused "the monitor file is writable by others" \
    "solo5-hvt: refusing monitor $HFILE: it is writable by others (mode 0757)"
chmod 0755 "$HFILE"
chown 65534 "$MON"
launch
refused "the monitor directory is another user's" \
    "solo5-hvt: refusing monitor directory $MON: it belongs to another user (uid 65534), who could replace what runs"
chown 0 "$MON" && chmod 1777 "$MON"
launch
refused "the monitor directory is writable by others, even sticky" \
    "solo5-hvt: refusing monitor directory $MON: it is writable by group and others (mode 1777)"
chmod 0755 "$MON"
chown 65534 "$WORK"
launch
refused "a directory above it is another user's" \
    "solo5-hvt: refusing monitor directory $WORK: it belongs to another user (uid 65534), who could replace what runs"
chown 0 "$WORK" && chmod 1777 "$WORK"
launch
booted "a sticky world-writable directory above it (as /tmp)"
chmod 0755 "$WORK"
mv "$MON" "$MON.real" && ln -s "$MON.real" "$MON"
launch
refused "the monitor directory replaced by a symbolic link to it" \
    "solo5-hvt: refusing monitor directory $MON: a symbolic link"
rm "$MON" && mv "$MON.real" "$MON"
launch
booted "control: everything back in place"

# --- The same rules at build time: tender-gen refuses the directory, and
# writes neither the drop-in nor a monitor file.
builder_refuses() { # WHAT DIR LINE
    st=0
    "$TENDER_GEN" --drop-in "$WORK/x" --monitors "$2" "$HELLO" >/dev/null 2>"$WORK/err" || st=$?
    check "build, $1: exit 1, one line" \
        bash -c "[ $st -eq 1 ] && grep -qxF -- \"\$1\" '$WORK/err'" _ "$3"
    check "build, $1: nothing written" \
        bash -c "[ ! -e '$WORK/x' ] && [ -z \"\$(find '$2' -type f 2>/dev/null)\" ]"
}
mkdir "$WORK/theirs" && chown 65534 "$WORK/theirs"
builder_refuses "a directory another user owns" "$WORK/theirs" \
    "tender-gen: error: $WORK/theirs: refused: the directory belongs to another user (uid 65534), who could replace what is written there"
mkdir -m 0777 "$WORK/open"
builder_refuses "a directory others may write" "$WORK/open" \
    "tender-gen: error: $WORK/open: refused: the directory is writable by group and others (mode 0777) without the sticky bit"
mkdir -m 1777 "$WORK/sticky"
builder_refuses "a sticky directory others may write" "$WORK/sticky" \
    "tender-gen: error: $WORK/sticky: refused: the directory is writable by group and others (mode 1777)"
builder_refuses "a new directory in another user's" "$ATT/monitors" \
    "tender-gen: error: $ATT: refused: the directory belongs to another user (uid 65534), who could replace what is written there"
check "...which it did not create" [ ! -e "$ATT/monitors" ]

# --- A test copy of the drop-in without the owner and mode checks, built
# from a data directory whose dropin_exec.c has check_owner return at
# once, for a directory that the build accepts and another user then owns.
# Only the content check stands between that user and root.
PD=$WORK/patched-data
mkdir "$PD"
cp -r "$SRCDIR/templates" "$SRCDIR/modules" "$SRCDIR/include" "$PD/"
sed -i '/^static void check_owner(/,/^{/ s/^{/{\n    return; \/* a test copy: the owner checks taken out *\//' \
    "$PD/modules/core/dropin_exec.c"
check "the test copy's check_owner returns at once" \
    bash -c "sed -n '/^static void check_owner(/,/^}/p' '$PD/modules/core/dropin_exec.c' | grep -q '^    return;'"
PMON=$WORK/pmon
PATCHED=$WORK/pbin/solo5-hvt
mkdir "$WORK/pbin"
"$TENDER_GEN" --datadir "$PD" --drop-in "$PATCHED" --monitors "$PMON" "$HELLO" >/dev/null
check "the test copy's monitor is the operator's (same file name)" [ -e "$PMON/$NAME" ]
"$TENDER_GEN" --drop-in "$WORK/bin/real-pmon" --monitors "$PMON" "$HELLO" >/dev/null
chown -R 65534:65534 "$PMON"
as_nobody cp "$PMON/$NAME" "$PMON/good"
as_nobody cp "$ATT/forged" "$PMON/forged"
launch "$WORK/bin/real-pmon"
check "control: a real drop-in for that directory refuses it now" grep -qxF \
    "real-pmon: refusing monitor directory $PMON: it belongs to another user (uid 65534), who could replace what runs" "$WORK/err"
launch "$PATCHED"
booted "control: the test copy runs the other user's good monitor"

# The other user makes links and FIFOs there: still refused.
as_nobody ln -sf good "$PMON/$NAME"
launch "$PATCHED"
refused "test copy: the other user's symbolic link" \
    "solo5-hvt: refusing monitor $PMON/$NAME: a symbolic link, not a monitor file"
as_nobody rm -f "$PMON/$NAME" && as_nobody mkfifo -m 0755 "$PMON/$NAME"
launch "$PATCHED"
refused "test copy: the other user's FIFO (no hang)" \
    "solo5-hvt: refusing monitor $PMON/$NAME: not a regular file"
as_nobody rm -f "$PMON/$NAME" && as_nobody cp "$PMON/forged" "$PMON/$NAME"
launch "$PATCHED"
refused "test copy: the other user's forged monitor" \
    "solo5-hvt: refusing monitor $PMON/$NAME: its sha256 is $forged, not the approved $good"
as_nobody cp "$PMON/good" "$PMON/$NAME.new" && as_nobody mv -f "$PMON/$NAME.new" "$PMON/$NAME"

# Between the hash and the exec, made certain: the drop-in stopped at its
# execve (gdb), the other user renames the forged monitor over the name.
if need_tool gdb "the swap between the hash and the exec"; then
    status=0
    timeout 60 gdb -q -batch -ex 'catch syscall execve' -ex run \
        -ex "shell setpriv --reuid=65534 --regid=65534 --clear-groups cp $PMON/forged $PMON/$NAME.new" \
        -ex "shell setpriv --reuid=65534 --regid=65534 --clear-groups mv -f $PMON/$NAME.new $PMON/$NAME" \
        -ex delete -ex continue \
        --args "$PATCHED" --mem=32 -- "$HELLO" x >"$WORK/out" 2>"$WORK/err" || status=$?
    cat "$WORK/out" "$WORK/err" >"$WORK/gdb"
    check "swap at the exec: gdb stopped the drop-in at its execve" \
        grep -q "Catchpoint 1 (call to syscall execve)" "$WORK/gdb"
    check "swap at the exec: the forged monitor was at the name by then" \
        cmp -s "$PMON/$NAME" "$PMON/forged"
    check "swap at the exec: the hashed file ran, its name gone" \
        grep -qF "is executing new program: $PMON/$NAME (deleted)" "$WORK/gdb"
    status=$(grep -q 'exited normally' "$WORK/gdb" && echo 0 || echo 1)
    booted "swap at the exec"
    launch "$PATCHED"
    refused "after the swap, the next launch" \
        "solo5-hvt: refusing monitor $PMON/$NAME: its sha256 is $forged, not the approved $good"
fi

# The other user swaps the good and the forged monitor by rename, as fast
# as it can, while root launches 150 guests: each launch boots hello on
# the good one or refuses the forged one; the forged one never runs.
# (perl-base is essential on Debian: the swapper renames as fast as it can.)
if need_tool perl "the swap race"; then
    rm -f "$MARK" # (a marker left above is already a failure; this part stands alone)
    as_nobody perl -e '
        my ($dir, $name) = @ARGV;
        chdir $dir or die "$dir: $!";
        until (-e "stop") {
            link("good", "g.tmp") and rename("g.tmp", $name);
            link("forged", "f.tmp") and rename("f.tmp", $name);
        }' "$PMON" "$NAME" &
    swapper=$!
    ok=0 no=0 other=0
    for ((i = 0; i < 150; i++)); do
        launch "$PATCHED"
        if [ "$status" -eq 0 ] && grep -qx 'Hello from tender-gen!' "$WORK/out" &&
            grep -qxF "$AUDIT" "$WORK/err"; then
            ok=$((ok + 1))
        elif [ "$status" -eq 1 ] && grep -qxF "solo5-hvt: refusing monitor $PMON/$NAME: its sha256 is $forged, not the approved $good" "$WORK/err"; then
            no=$((no + 1))
        else
            other=$((other + 1))
            cp "$WORK/err" "$WORK/other.err"
        fi
        [ -e "$MARK" ] && break
    done
    as_nobody touch "$PMON/stop"
    wait "$swapper"
    echo "swap race: $ok booted, $no refused, $other otherwise"
    check "swap race: the forged monitor never ran (no marker)" [ ! -e "$MARK" ]
    check "swap race: every launch booted hello or refused the forged monitor" [ "$other" -eq 0 ]
    check "swap race: the name did change under the launches (both outcomes seen)" \
        bash -c "[ $ok -gt 0 ] && [ $no -gt 0 ]"
fi

finish
