#!/bin/bash
# exec.sh: the drop-in (tender-gen run as tender-exec, solo5-hvt or
# solo5-hvt.2) with device-less guests, invoked as urunc and albatross
# invoke solo5-hvt: it finds the monitor for the guest's shape in the cache
# and becomes it (no fork), or refuses with the command that would build
# it; exit status and signals are the monitor's. Devices: exec-devices.sh.
. "$(dirname "$0")/../lib.sh"

BIN=$WORK/bin
mkdir -p "$BIN"
for n in tender-exec solo5-hvt solo5-hvt.2; do
    ln -s "$TENDER_GEN" "$BIN/$n"
done
export TENDER_GEN_CACHE=$WORK/cache
unset TENDER_EXEC_BUILD
HELLO=$BINDIR/examples/hello/hello.hvt
EXIT=$BINDIR/tests/exit_status.hvt
WAITER=$BINDIR/tests/packaging/waiter.hvt

# albatross: `solo5-hvt.2 --version` with stderr merged must exit 0 and
# hold the line "ABI version 2". Needs no guest, no cache, no KVM.
for n in solo5-hvt.2 solo5-hvt tender-exec; do
    run_capture "$WORK/out" "$WORK/out" "$BIN/$n" --version
    check "$n --version exits 0" [ "$status" -eq 0 ]
    check "$n --version says ABI version 2" grep -qx "ABI version 2" "$WORK/out"
done
"$BIN/solo5-hvt" --version 2>/dev/null >"$WORK/out"
check "--version writes to stderr, as solo5-hvt" [ ! -s "$WORK/out" ]
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt" --help
check "--help exits 0 with usage on stdout" \
    bash -c "[ $status -eq 0 ] && grep -q '^usage: .*solo5-hvt \[ --mem=MB \]' '$WORK/out'"

# Refusals, all with exit 1 (a monitor-side error to the orchestrator).
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt" --mem=64
check "no KERNEL: exit 1" [ "$status" -eq 1 ]
check "no KERNEL: said" grep -q "missing KERNEL operand" "$WORK/err"
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt" -- "$SRCDIR/examples/hello/manifest.yml"
check "KERNEL not an ELF: exit 1" [ "$status" -eq 1 ]
check "KERNEL not an ELF: said" grep -q "manifest.yml: error: not an ELF unikernel" "$WORK/err"
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt" "$WORK/nonexistent.hvt"
check "KERNEL missing: exit 1" [ "$status" -eq 1 ]
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt" --mem=256 -- "$HELLO" x
check "empty cache, no build allowed: exit 1" [ "$status" -eq 1 ]
check "empty cache: names the shape" \
    grep -q "no monitor for $HELLO (shape block=0 net=0 modules=core,console) in the cache $WORK/cache" "$WORK/err"
check "empty cache: gives the command that builds it" \
    grep -q "tender-gen --cache $WORK/cache --out-dir DIR $HELLO" "$WORK/err"
check "empty cache: the guest did not run" [ ! -s "$WORK/out" ]
check "empty cache: nothing was built" [ ! -d "$WORK/cache/monitors" ]

need_kvm
# The operator fills the cache (batch mode); the drop-in then finds it.
"$TENDER_GEN" --cache "$WORK/cache" --out-dir "$WORK/out.d" "$HELLO" >/dev/null
check "cache filled by batch mode" [ -d "$WORK/cache/monitors" ]

# urunc: options, --, KERNEL, then the guest's arguments as one word.
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt" --mem=256 -- "$HELLO" 'a b  c'
check "urunc form: exit 0" [ "$status" -eq 0 ]
check "urunc form: the guest ran" grep -qx "Hello from tender-gen!" "$WORK/out"
check "urunc form: one-word arguments arrive as they are" grep -qx "cmdline: a b  c" "$WORK/out"
check "urunc form: 256 MB" grep -q "Memory map: 256 MB addressable" "$WORK/out"
# ... under the seccomp filter urunc puts around solo5-hvt (exactly its 43
# x86_64 system calls, kill on anything else): the drop-in and the monitor
# it becomes both live with it.
OUTER=$BINDIR/tests/outer-filter
run_capture "$WORK/out" "$WORK/err" "$OUTER" --urunc "$BIN/solo5-hvt" --mem=256 -- "$HELLO" urunc
check "under urunc's filter: exit 0" [ "$status" -eq 0 ]
check "under urunc's filter: the guest ran" grep -qx "cmdline: urunc" "$WORK/out"
check "under urunc's filter: one line says whose filter" \
    grep -q "running under the caller's seccomp filter" "$WORK/err"
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
check "...named by the monitor" grep -q "invalid option: \`--frobnicate'" "$WORK/err"
run_capture "$WORK/out" "$WORK/err" "$BIN/solo5-hvt.2" --mem=abc -- "$EXIT" 3
check "albatross form: bad --mem exits 1" [ "$status" -eq 1 ]

# No fork: the drop-in's process becomes the cached monitor, and a signal
# to it is the monitor's to handle.
timeout 60 "$BIN/solo5-hvt" --mem=32 -- "$WAITER" 30 >"$WORK/wout" 2>"$WORK/werr" &
pid=$!
for ((i = 0; i < 100; i++)); do
    grep -q "waiter: ready" "$WORK/wout" 2>/dev/null && break
    sleep 0.1
done
# timeout(1) forks; its child is the drop-in, now the monitor.
child=$(cat /proc/$pid/task/*/children 2>/dev/null | tr -d ' ')
exe=$(readlink "/proc/$child/exe")
check "no fork: the drop-in's process is the cached monitor" \
    bash -c "case '$exe' in '$WORK'/cache/monitors/*) true ;; *) false ;; esac"
check "no fork: it has no child process" \
    bash -c "[ -z \"\$(cat /proc/$child/task/*/children 2>/dev/null)\" ]"
kill -TERM "$child" 2>/dev/null
st=0
wait "$pid" || st=$?
check "SIGTERM to the drop-in: the monitor exits 1" [ "$st" -eq 1 ]
check "SIGTERM to the drop-in: the monitor says so" grep -q "Exiting on signal 15" "$WORK/werr"

# TENDER_EXEC_BUILD=1: a missing monitor is built into the cache first.
export TENDER_GEN_CACHE=$WORK/cache2
TENDER_EXEC_BUILD=1 run_capture "$WORK/out" "$WORK/err" "$BIN/tender-exec" --mem=32 "$EXIT" 7
check "TENDER_EXEC_BUILD=1: built and ran (status 7)" [ "$status" -eq 7 ]
check "TENDER_EXEC_BUILD=1: the cache holds it" \
    bash -c "[ \$(ls '$WORK/cache2/monitors' | wc -l) -eq 1 ]"
run_capture "$WORK/out" "$WORK/err" "$BIN/tender-exec" --mem=32 "$EXIT" 8
check "...and is found afterwards without it" [ "$status" -eq 8 ]
check "the cached monitor verifies" \
    bash -c "'$TENDER_GEN' --verify '$WORK'/cache2/monitors/* >/dev/null"

finish
