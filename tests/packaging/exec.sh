#!/bin/bash
# exec.sh: the drop-in (tender-gen --drop-in), installed as solo5-hvt and
# solo5-hvt.2 and invoked as urunc and albatross invoke solo5-hvt: one
# static program carrying the monitors for hello's shape and a net+block
# shape (duplicate shapes collapse), which runs a guest on its shape's
# monitor in its own process (no exec, no fork), prints one audit line,
# and refuses a guest of any other shape with the command that adds it.
# Also: tender-gen run under the old drop-in names says what replaces it.
# Devices: exec-devices.sh; attacks: dropin-attacks.sh.
. "$(dirname "$0")/../lib.sh"

BIN=$WORK/bin
mkdir -p "$BIN"
HELLO=$BINDIR/examples/hello/hello.hvt
EXIT=$BINDIR/tests/exit_status.hvt
WAITER=$BINDIR/tests/packaging/waiter.hvt
DEV=$BINDIR/tests/packaging/devguest.hvt
NODEV='block=0 net=0 modules=core,console'
NETBLK='block=1 net=1 modules=core,console,block,net'

# The operator builds it from the services the host runs: hello, exit_status
# and waiter share one shape, devguest (here its manifest) has another.
st=0
"$TENDER_GEN" --drop-in "$BIN/solo5-hvt" "$HELLO" "$EXIT" \
    "$SRCDIR/tests/packaging/devguest.yml" "$WAITER" >"$WORK/report" 2>&1 || st=$?
check "--drop-in builds: exit 0" [ "$st" -eq 0 ]
check "--drop-in: one monitor per shape, duplicates collapsed" \
    grep -qx "$BIN/solo5-hvt: a drop-in with 2 monitors" "$WORK/report"
check "--drop-in: reports which inputs share hello's monitor" \
    grep -q "^monitor $NODEV sha256:[0-9a-f]\{64\} for $HELLO $EXIT $WAITER\$" "$WORK/report"
cp "$BIN/solo5-hvt" "$BIN/solo5-hvt.2"
"$TENDER_GEN" --drop-in "$WORK/again" "$SRCDIR/tests/packaging/devguest.yml" \
    "$WAITER" "$HELLO" >/dev/null
check "--drop-in is reproducible, whatever the order of the inputs" \
    cmp -s "$BIN/solo5-hvt" "$WORK/again"
"$TENDER_GEN" --drop-in "$WORK/again" --emit-c "$WORK/dropin.c" "$HELLO" \
    "$SRCDIR/tests/packaging/devguest.yml" >/dev/null
check "--emit-c: the dispatcher's source, naming the monitors it carries" \
    bash -c "grep -q '^ \* shape: $NODEV, digest: sha256:' '$WORK/dropin.c' && grep -q '^ \* shape: $NETBLK, digest: sha256:' '$WORK/dropin.c'"

# Static: no interpreter and no dynamic section (so no LD_PRELOAD, no
# image's ld.so), as monitors are checked.
check "drop-in: no dynamic section" \
    bash -c "readelf -d '$BIN/solo5-hvt' | grep -q 'There is no dynamic section'"
check "drop-in: no interpreter" bash -c "! readelf -lW '$BIN/solo5-hvt' | grep -q INTERP"
check "drop-in: file(1) says statically linked" \
    bash -c "file '$BIN/solo5-hvt' | grep -q 'statically linked'"
check "drop-in: no NEEDED entry" bash -c "! readelf -d '$BIN/solo5-hvt' | grep -q NEEDED"

# Bad usage of the builder.
st=0
"$TENDER_GEN" --drop-in "$WORK/x" >/dev/null 2>"$WORK/err" || st=$?
check "--drop-in without INPUT: exit 2" [ "$st" -eq 2 ]
check "--drop-in without INPUT: said" \
    grep -qx "tender-gen: --drop-in FILE needs at least one INPUT" "$WORK/err"
st=0
"$TENDER_GEN" --drop-in "$WORK/x" --out-dir "$WORK/o" "$HELLO" >/dev/null 2>"$WORK/err" || st=$?
check "--drop-in with batch options: exit 2" [ "$st" -eq 2 ]
st=0
"$TENDER_GEN" --drop-in "$WORK/x" "$HELLO" "$SRCDIR/tests/packaging/exec.sh" \
    >/dev/null 2>"$WORK/err" || st=$?
check "--drop-in with a bad INPUT: exit 1, no drop-in written" \
    bash -c "[ $st -eq 1 ] && [ ! -e '$WORK/x' ]"

# albatross: `solo5-hvt.2 --version` with stderr merged must exit 0 and
# hold the line "ABI version 2". Needs no guest and no KVM.
for n in solo5-hvt.2 solo5-hvt; do
    run_capture "$WORK/out" "$WORK/err" "$BIN/$n" --version
    check "$n --version exits 0" [ "$status" -eq 0 ]
    check "$n --version says ABI version 2 on stderr" grep -qx "ABI version 2" "$WORK/err"
    check "$n --version names tender-gen's version" \
        grep -qx "tender-gen $("$TENDER_GEN" --version | cut -d' ' -f2) drop-in, 2 monitors" "$WORK/err"
    check "$n --version: nothing on stdout" [ ! -s "$WORK/out" ]
done
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt" --help
check "--help exits 0 with usage on stdout" \
    bash -c "[ $status -eq 0 ] && grep -q '^usage: .*solo5-hvt \[ --mem=MB \]' '$WORK/out'"
check "--help lists the monitors it carries" \
    bash -c "grep -q '^  $NODEV  sha256:' '$WORK/out' && grep -q '^  $NETBLK  sha256:' '$WORK/out'"

# Refusals: one line each, named by the drop-in's name, exit 1.
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt" --mem=64
check "no KERNEL: exit 1" [ "$status" -eq 1 ]
check "no KERNEL: said" grep -qx "solo5-hvt: missing KERNEL operand (see $BIN/solo5-hvt --help)" "$WORK/err"
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt" -- "$SRCDIR/examples/hello/manifest.yml"
check "KERNEL not an ELF: exit 1" [ "$status" -eq 1 ]
check "KERNEL not an ELF: said" \
    grep -qx "solo5-hvt: $SRCDIR/examples/hello/manifest.yml: error: not an ELF file (bad magic)" "$WORK/err"
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt" "$WORK/nonexistent.hvt"
check "KERNEL missing: exit 1" [ "$status" -eq 1 ]
check "KERNEL missing: said" \
    grep -qx "solo5-hvt: $WORK/nonexistent.hvt: could not open: No such file or directory" "$WORK/err"

# A guest of a shape the drop-in does not carry: refused, with the command
# that adds it; nothing runs.
"$TENDER_GEN" --drop-in "$BIN/hello-only" "$HELLO" >/dev/null
run_capture "$WORK/out" "$WORK/err" "$BIN/hello-only" --mem=64 -- "$DEV" x
check "shape not carried: exit 1" [ "$status" -eq 1 ]
check "shape not carried: one line naming the shape and the tender-gen command" \
    bash -c "[ \$(wc -l <'$WORK/err') -eq 1 ] && grep -qxF \"hello-only: refusing $DEV: shape '$NETBLK' is not in this drop-in; rebuild it with: tender-gen --drop-in FILE INPUT... $DEV\" '$WORK/err'"
check "shape not carried: the guest did not run" [ ! -s "$WORK/out" ]
# The shape is the guest's exactly: its TGN1 note's opt-in modules count,
# and two net devices are not one (mkelf writes such guests).
MKELF=$BINDIR/tests/mkelf
"$MKELF" "$WORK/gdb.hvt" --modules=gdb
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt" "$WORK/gdb.hvt"
check "a guest whose note asks for gdb: not hello's shape" grep -qxF \
    "solo5-hvt: refusing $WORK/gdb.hvt: shape 'block=0 net=0 modules=core,console,gdb' is not in this drop-in; rebuild it with: tender-gen --drop-in FILE INPUT... $WORK/gdb.hvt" "$WORK/err"
"$MKELF" "$WORK/net2.hvt" net:a net:b
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt" "$WORK/net2.hvt"
check "a guest with two net devices: refused, shape named" \
    grep -qF "shape 'block=0 net=2 modules=core,console,net' is not in this drop-in" "$WORK/err"
"$MKELF" "$WORK/badtype.hvt" --variant=mft-bad-type
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt" "$WORK/badtype.hvt"
check "a device of a type no module serves: exit 1, said" bash -c "[ $status -eq 1 ] && grep -qxF \
    \"solo5-hvt: refusing $WORK/badtype.hvt: device 'service' is of a type no module serves (3)\" '$WORK/err'"

# tender-gen under the old drop-in names (the symbolic links earlier
# releases installed): one line saying how to build a drop-in, exit 1.
OLD=$WORK/old
mkdir -p "$OLD"
for n in solo5-hvt solo5-hvt.2 tender-exec; do
    ln -s "$TENDER_GEN" "$OLD/$n"
done
run_capture "$WORK/out" "$WORK/err" "$OLD/solo5-hvt" --mem=64 -- "$HELLO" x
check "old symlinked drop-in: exit 1" [ "$status" -eq 1 ]
check "old symlinked drop-in: says what replaces it" grep -qx \
    "solo5-hvt: tender-gen no longer runs as a drop-in; build one with: tender-gen --drop-in $OLD/solo5-hvt $HELLO" "$WORK/err"
check "old symlinked drop-in: the guest did not run" [ ! -s "$WORK/out" ]
run_capture "$WORK/out" "$WORK/err" "$OLD/solo5-hvt.2" --version
check "old solo5-hvt.2 --version: exit 1, no ABI line" \
    bash -c "[ $status -eq 1 ] && ! grep -q 'ABI version' '$WORK/err'"
TENDER_EXEC_BUILD=1 run_capture "$WORK/out" "$WORK/err" "$OLD/tender-exec" "$HELLO"
check "TENDER_EXEC_BUILD=1: exit 1, its own line" grep -qx \
    "tender-exec: TENDER_EXEC_BUILD is gone: a drop-in never compiles; build one with: tender-gen --drop-in $OLD/tender-exec $HELLO" "$WORK/err"
TENDER_GEN_CACHE=$WORK/cache run_capture "$WORK/out" "$WORK/err" "$OLD/solo5-hvt" "$HELLO"
check "a cache used as a drop-in: exit 1, its own line" grep -qx \
    "solo5-hvt: a monitor cache (TENDER_GEN_CACHE) is no longer a drop-in; build one with: tender-gen --drop-in $OLD/solo5-hvt $HELLO" "$WORK/err"
check "...and nothing was built into the cache" [ ! -e "$WORK/cache" ]

need_kvm
# The audit line names the digest of the monitor tender-gen generates for
# the shape.
"$TENDER_GEN" --emit-c "$WORK/hello-monitor.c" "$HELLO"
digest=$(sed -n 's/^ \* digest: //p' "$WORK/hello-monitor.c")

# urunc: options, --, KERNEL, then the guest's arguments as one word.
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt" --mem=256 -- "$HELLO" 'a b  c'
check "urunc form: exit 0" [ "$status" -eq 0 ]
check "urunc form: the guest ran" grep -qx "Hello from tender-gen!" "$WORK/out"
check "urunc form: one-word arguments arrive as they are" grep -qx "cmdline: a b  c" "$WORK/out"
check "urunc form: 256 MB" grep -q "Memory map: 256 MB addressable" "$WORK/out"
check "audit line: the guest, its shape and the monitor's digest" grep -qxF \
    "solo5-hvt: running $HELLO (shape '$NODEV') on monitor $digest" "$WORK/err"
# ... under the seccomp filter urunc puts around solo5-hvt (exactly its 43
# x86_64 system calls, kill on anything else): the dispatcher and the
# monitor it runs both live with it.
OUTER=$BINDIR/tests/outer-filter
run_capture "$WORK/out" "$WORK/err" "$OUTER" --urunc "$BIN/solo5-hvt" --mem=256 -- "$HELLO" urunc
check "under urunc's filter: exit 0" [ "$status" -eq 0 ]
check "under urunc's filter: the guest ran" grep -qx "cmdline: urunc" "$WORK/out"
check "under urunc's filter: the audit line" grep -qF "solo5-hvt: running $HELLO (shape '$NODEV')" "$WORK/err"
check "under urunc's filter: one line says whose filter" \
    grep -q "running under the caller's seccomp filter" "$WORK/err"
run_capture "$WORK/out" "$WORK/err" "$OUTER" --urunc "$BIN/hello-only" --mem=64 -- "$DEV" x
check "under urunc's filter: a shape not carried is refused, not killed" \
    bash -c "[ $status -eq 1 ] && grep -q 'is not in this drop-in' '$WORK/err'"
# urunc's older form: no --, arguments split on spaces.
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt" --mem=256 "$HELLO" a b c
check "older urunc form: exit 0" [ "$status" -eq 0 ]
check "older urunc form: words joined with single spaces" grep -qx "cmdline: a b c" "$WORK/out"

# albatross: solo5-hvt.2 --mem=MB -- IMAGE ARGS; the status is the guest's,
# 255 an abort, 1 a monitor-side error ("do not restart").
for st in 0 3 42; do
    run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt.2" --mem=32 -- "$EXIT" "$st"
    check "albatross form: guest status $st comes through" [ "$status" -eq "$st" ]
done
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt.2" --mem=32 -- "$EXIT" abort
check "albatross form: guest abort exits 255" [ "$status" -eq 255 ]
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt.2" --frobnicate -- "$EXIT" 3
check "albatross form: bad option is the monitor's error, exit 1" [ "$status" -eq 1 ]
check "...named by the monitor" grep -q "solo5-hvt.2: invalid option: \`--frobnicate'" "$WORK/err"
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt.2" --mem=abc -- "$EXIT" 3
check "albatross form: bad --mem exits 1" [ "$status" -eq 1 ]

# No exec, no fork: the process orchestrators started is the drop-in
# itself, running the guest; a signal to it is the monitor's to handle.
waiter_through_dropin "$BIN/solo5-hvt"
check "no exec: the guest runs in the drop-in's own process" [ "$exe" = "$BIN/solo5-hvt" ]
check "no fork: it has no child process" [ -z "$grandchildren" ]
check "SIGTERM to the drop-in: the monitor exits 1" [ "$st" -eq 1 ]
check "SIGTERM to the drop-in: the monitor says so" grep -q "Exiting on signal 15" "$WORK/werr"

finish
