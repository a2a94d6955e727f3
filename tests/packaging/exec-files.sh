#!/bin/bash
# exec-files.sh: the drop-in that runs monitor files (tender-gen --drop-in
# FILE --monitors DIR), for albatross and local use: tender-gen writes one
# monitor per shape to DIR, named by its content's digest, and a static
# drop-in holding DIR's absolute path and each file's sha256. Installed as
# solo5-hvt.2 and run as albatross runs it, it boots the guest on the file
# for its shape, executed in its own process (the process becomes the
# monitor), after the same audit line as the drop-in that carries its
# monitors, also under urunc's seccomp filter (execve of /proc/self/fd/N,
# not execveat). Rebuilding with nothing changed keeps the files; a
# relative DIR is compiled in as an absolute path; tender-gen --verify
# checks a monitor file. Attacks: dropin-files-attacks.sh.
. "$(dirname "$0")/../lib.sh"

BIN=$WORK/bin
mkdir -p "$BIN" "$WORK/monitors"
MON=$(realpath "$WORK/monitors")
HELLO=$BINDIR/examples/hello/hello.hvt
EXIT=$BINDIR/tests/exit_status.hvt
WAITER=$BINDIR/tests/packaging/waiter.hvt
DEV=$BINDIR/tests/packaging/devguest.hvt
DEVYML=$SRCDIR/tests/packaging/devguest.yml
NODEV='block=0 net=0 modules=core,console'
NETBLK='block=1 net=1 modules=core,console,block,net'
VERSION=$("$TENDER_GEN" --version | cut -d' ' -f2)

st=0
"$TENDER_GEN" --drop-in "$BIN/solo5-hvt" --monitors "$MON" "$HELLO" "$EXIT" \
    "$DEVYML" "$WAITER" >"$WORK/report" 2>&1 || st=$?
check "--drop-in --monitors builds: exit 0" [ "$st" -eq 0 ]
check "--monitors: the report says where the monitors run from" \
    grep -qxF "$BIN/solo5-hvt: a drop-in running 2 monitors from $MON" "$WORK/report"
check "--monitors: two monitor files, one per shape" \
    [ "$(find "$MON" -type f | wc -l)" -eq 2 ]

# Each file: the monitor tender-gen -o builds for that shape, byte for
# byte, named by its digest, reported with it, mode 0755.
"$TENDER_GEN" -o "$WORK/hello-tender" "$HELLO"
"$TENDER_GEN" -o "$WORK/dev-tender" "$DEVYML"
"$TENDER_GEN" --emit-c "$WORK/hello-monitor.c" "$HELLO"
digest=$(sed -n 's/^ \* digest: //p' "$WORK/hello-monitor.c")
hsum=$(sha256sum "$WORK/hello-tender" | cut -c1-64)
dsum=$(sha256sum "$WORK/dev-tender" | cut -c1-64)
HFILE=$MON/monitor-${hsum:0:16}-tender
DFILE=$MON/monitor-${dsum:0:16}-tender
check "hello's monitor file: tender-gen -o's monitor for the shape" cmp -s "$HFILE" "$WORK/hello-tender"
check "devguest's monitor file: tender-gen -o's monitor for the shape" cmp -s "$DFILE" "$WORK/dev-tender"
check "monitor files: mode 0755" \
    bash -c "[ \$(stat -c %a '$HFILE') = 755 ] && [ \$(stat -c %a '$DFILE') = 755 ]"
check "--monitors: reports hello's monitor, its file and the file's digest" \
    grep -qxF "monitor $NODEV $digest in $HFILE sha256:$hsum for $HELLO $EXIT $WAITER" "$WORK/report"
check "--monitors: reports the net+block monitor's file" \
    grep -qF "monitor $NETBLK sha256:" "$WORK/report"
check "the monitor files keep their provenance section" \
    bash -c "readelf -p .tender_gen '$HFILE' | grep -q 'shape: $NODEV'"
st=0
"$TENDER_GEN" --verify "$HFILE" "$HELLO" >"$WORK/verify" 2>&1 || st=$?
check "tender-gen --verify FILE INPUT: hello's monitor file matches" \
    bash -c "[ $st -eq 0 ] && grep -qF '$HFILE: matches' '$WORK/verify'"

check "drop-in: no dynamic section" \
    bash -c "readelf -d '$BIN/solo5-hvt' | grep -q 'There is no dynamic section'"
check "drop-in: no interpreter" bash -c "! readelf -lW '$BIN/solo5-hvt' | grep -q INTERP"
check "drop-in: carries no monitor code (smaller than one monitor)" \
    [ "$(stat -c %s "$BIN/solo5-hvt")" -lt "$(stat -c %s "$HFILE")" ]

# Rebuilt with the same shapes, in another order: the same drop-in, and
# the monitor files kept as they are (same inodes).
inode=$(stat -c %i "$HFILE")
"$TENDER_GEN" --drop-in "$WORK/again" --monitors "$MON" "$WAITER" "$DEVYML" \
    "$HELLO" >/dev/null
check "--monitors is reproducible, whatever the order of the inputs" \
    cmp -s "$BIN/solo5-hvt" "$WORK/again"
check "a rebuild keeps unchanged monitor files" [ "$(stat -c %i "$HFILE")" = "$inode" ]
"$TENDER_GEN" --drop-in "$WORK/again" --monitors "$MON" --emit-c "$WORK/dropin.c" \
    "$HELLO" >/dev/null
check "--emit-c: the dispatcher's source names the file and its digest" \
    bash -c "grep -qF '.file_digest = \"sha256:$hsum\"' '$WORK/dropin.c' && grep -qF '.monitor_dir = \"$MON\"' '$WORK/dropin.c'"
check "--emit-c: the dispatcher holds no monitor's code" \
    bash -c "! grep -q 'int tg_monitor_' '$WORK/dropin.c'"
# A relative DIR: the drop-in holds its absolute path.
(cd "$WORK" && "$TENDER_GEN" --drop-in rel --monitors monitors "$HELLO" >/dev/null)
run_capture "$WORK/out" "$WORK/err" "$WORK/rel" --version
check "a relative --monitors DIR is compiled in as an absolute path" \
    grep -qxF "tender-gen $VERSION drop-in, 1 monitor run from $MON" "$WORK/err"

# Bad usage of the builder.
st=0
"$TENDER_GEN" --monitors "$MON" -o "$WORK/x" "$HELLO" >/dev/null 2>"$WORK/err" || st=$?
check "--monitors without --drop-in: exit 2, said" \
    bash -c "[ $st -eq 2 ] && grep -qx 'tender-gen: --monitors DIR goes with --drop-in FILE' '$WORK/err'"
st=0
"$TENDER_GEN" --drop-in "$WORK/x" --monitors "$WORK/m2" "$HELLO" \
    "$SRCDIR/tests/packaging/exec.sh" >/dev/null 2>&1 || st=$?
check "--monitors with a bad INPUT: exit 1, nothing written" \
    bash -c "[ $st -eq 1 ] && [ ! -e '$WORK/x' ] && [ ! -e '$WORK/m2' ]"

# albatross: solo5-hvt.2 --version (stderr) and --help.
cp "$BIN/solo5-hvt" "$BIN/solo5-hvt.2"
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt.2" --version
check "--version: exit 0, ABI version 2 on stderr" \
    bash -c "[ $status -eq 0 ] && grep -qx 'ABI version 2' '$WORK/err'"
check "--version: names the monitor directory" \
    grep -qxF "tender-gen $VERSION drop-in, 2 monitors run from $MON" "$WORK/err"
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt" --help
check "--help lists shape, digest, file and the file's digest" \
    grep -qxF "  $NODEV  $digest  monitor-${hsum:0:16}-tender  sha256:$hsum" "$WORK/out"

# Refusals before any monitor is opened: as the bundle's.
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt" --mem=64
check "no KERNEL: exit 1, said" bash -c "[ $status -eq 1 ] && grep -qx \
    'solo5-hvt: missing KERNEL operand (see $BIN/solo5-hvt --help)' '$WORK/err'"
"$TENDER_GEN" --drop-in "$BIN/hello-only" --monitors "$MON" "$HELLO" >/dev/null
run_capture "$WORK/out" "$WORK/err" "$BIN/hello-only" --mem=64 -- "$DEV" x
check "shape not approved: exit 1, one line with the command that adds it" \
    bash -c "[ $status -eq 1 ] && [ \$(wc -l <'$WORK/err') -eq 1 ] && grep -qxF \
    \"hello-only: refusing $DEV: shape '$NETBLK' is not in this drop-in; rebuild it with: tender-gen --drop-in FILE --monitors DIR INPUT... $DEV\" '$WORK/err'"

need_kvm
# albatross's command line: the guest runs, its status comes through, and
# the audit line is the bundle's.
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt.2" --mem=32 -- "$HELLO" 'a b'
check "albatross form: hello boots" \
    bash -c "[ $status -eq 0 ] && grep -qx 'Hello from tender-gen!' '$WORK/out' && grep -qx 'cmdline: a b' '$WORK/out'"
check "audit line: the guest, its shape and the monitor's digest" grep -qxF \
    "solo5-hvt.2: running $HELLO (shape '$NODEV') on monitor $digest" "$WORK/err"
for st in 0 3 42; do
    run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt.2" --mem=32 -- "$EXIT" "$st"
    check "albatross form: guest status $st comes through" [ "$status" -eq "$st" ]
done
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt.2" --frobnicate -- "$EXIT" 3
check "a bad option is the monitor's error, named by the drop-in's name" \
    bash -c "[ $status -eq 1 ] && grep -q \"solo5-hvt.2: invalid option: \\\`--frobnicate'\" '$WORK/err'"
# Under the seccomp filter urunc puts around solo5-hvt (it has execve,
# not execveat): the exec through /proc/self/fd/N is allowed there.
run_capture "$WORK/out" "$WORK/err" "$BINDIR/tests/outer-filter" --urunc \
    "$BIN/solo5-hvt" --mem=32 -- "$HELLO" urunc
check "under urunc's filter: hello boots through the monitor file" \
    bash -c "[ $status -eq 0 ] && grep -qx 'cmdline: urunc' '$WORK/out'"
for ask in --help --version; do
    run_capture "$WORK/out" "$WORK/err" "$BINDIR/tests/outer-filter" --urunc \
        "$BIN/solo5-hvt" "$ask"
    check "under urunc's filter: the drop-in's $ask answers (exit 0)" \
        bash -c "[ $status -eq 0 ] && cat '$WORK/out' '$WORK/err' | grep -q ."
done
# From another working directory.
run_capture "$WORK/out" "$WORK/err" env -C / "$BIN/solo5-hvt" --mem=32 -- "$HELLO" cwd
check "from another working directory: hello boots" grep -qx "cmdline: cwd" "$WORK/out"

# The process albatross started becomes the monitor: same process, its
# executable the monitor file, no child.
waiter_through_dropin "$BIN/solo5-hvt"
check "the drop-in's process runs the monitor file" [ "$exe" = "$HFILE" ]
check "no fork: it has no child process" [ -z "$grandchildren" ]
check "SIGTERM: the monitor exits 1, saying so" \
    bash -c "[ $st -eq 1 ] && grep -q 'Exiting on signal 15' '$WORK/werr'"

finish
