#!/bin/bash
# lean.sh: a default monitor carries no measuring aids. hello's monitor
# is at most 64 KiB, links no thread machinery (pthread_create, clone,
# semaphores, CPU affinity) and no getenv, names no environment variable,
# and runs as one thread; a net monitor links pthread_create for its
# ring's I/O thread, and no getenv either. The trace module, asked for with --with trace or the
# manifest's `modules: [trace]`, brings back the phase lines bench/run
# reads, every step once and in order; without it TENDER_TRACE=1 in the
# environment changes nothing.
. "$(dirname "$0")/../lib.sh"

# members MONITOR MANIFEST [TENDER-GEN OPTIONS]: builds MONITOR with a link
# map and lists the musl objects it linked, one a line.
members() {
    local out=$1 manifest=$2
    shift 2
    TG_EXTRA_CFLAGS="-Wl,-Map=$out.map" "$TENDER_GEN" "$@" -o "$out" "$manifest"
    grep -o 'libc\.a([a-z_0-9]*\.lo)' "$out.map" | sed 's/^libc\.a(\(.*\)\.lo)$/\1/' |
        sort -u >"$out.members"
}
# links MONITOR NAME: MONITOR's link map has musl's NAME.lo.
links() { grep -qx "$2" "$1.members"; }

HELLO_YML=$SRCDIR/examples/hello/manifest.yml
members "$WORK/hello" "$HELLO_YML"
for m in pthread_create clone sem_init sem_wait sched_getcpu affinity getenv; do
    check "default hello monitor links no $m" bash -c "! grep -qx $m '$WORK/hello.members'"
done
size=$(stat -c %s "$WORK/hello")
check "hello's monitor is at most 64 KiB (got $size bytes)" [ "$size" -le 65536 ]
check "default hello monitor names no TENDER_ variable" \
    bash -c "! strings '$WORK/hello' | grep -q TENDER_"
check "default hello monitor has no trace lines in it" \
    bash -c "! strings '$WORK/hello' | grep -q tender-trace"

printf 'version: 1\ndevices:\n  - name: service\n    type: net\n' >"$WORK/net.yml"
members "$WORK/net" "$WORK/net.yml"
check "net monitor links pthread_create (the ring's I/O thread)" links "$WORK/net" pthread_create
check "net monitor links no getenv" bash -c "! grep -qx getenv '$WORK/net.members'"

members "$WORK/traced" "$HELLO_YML" --with trace
check "--with trace: still no getenv" bash -c "! grep -qx getenv '$WORK/traced.members'"
check "--with trace: still no pthread_create" \
    bash -c "! grep -qx pthread_create '$WORK/traced.members'"
"$TENDER_GEN" --explain --with trace "$HELLO_YML" >"$WORK/explain"
check "--with trace: the shape names the module" \
    grep -q '^shape: .*modules=core,console,trace$' "$WORK/explain"
printf 'version: 1\nmodules: [trace]\n' >"$WORK/trace.yml"
"$TENDER_GEN" --explain "$WORK/trace.yml" >"$WORK/explain2"
check "modules: [trace] selects it too" \
    grep -q '^modules: .*trace$' "$WORK/explain2"

need_kvm
GUEST=$BINDIR/examples/hello/hello.hvt
STEPS="main elf-read devices kvm-vm guest-memory vcpu cpuid elf-load boot-state sandbox first-exit halt"

run_capture "$WORK/out" "$WORK/err" env TENDER_TRACE=1 "$WORK/hello" "$GUEST"
check "default monitor: the guest runs (exit 0)" [ "$status" -eq 0 ]
check "default monitor, TENDER_TRACE=1: no trace lines, nothing on stderr" \
    [ ! -s "$WORK/err" ]

run_capture "$WORK/out" "$WORK/err" "$WORK/traced" "$GUEST"
check "--with trace: the guest runs (exit 0)" [ "$status" -eq 0 ]
check "--with trace: the guest's output unchanged" grep -q "Hello from tender-gen!" "$WORK/out"
got=$(sed -n 's/^tender-trace: \([a-z-]*\) [0-9]*$/\1/p' "$WORK/err" | tr '\n' ' ')
check "--with trace: every step once, in order (got: $got)" [ "$got" = "$STEPS " ]
check "--with trace: times never go back" \
    bash -c "sed -n 's/^tender-trace: [a-z-]* //p' '$WORK/err' | sort -c -n"
check "--with trace: nothing else on stderr" \
    bash -c "[ \$(grep -vc '^tender-trace: ' '$WORK/err') -eq 0 ]"

# One thread while the guest runs: rawops spins until killed.
MON=$BINDIR/tests/rawops-tender
"$MON" "$BINDIR/tests/rawops.hvt" s 2>"$WORK/err" &
pid=$!
for _ in $(seq 50); do
    grep -q "^Seccomp:.2" "/proc/$pid/status" 2>/dev/null && break
    sleep 0.05
done
check "running default monitor is filtered (Seccomp 2)" grep -q "^Seccomp:.2" "/proc/$pid/status"
# Recent kernels add a KVM worker to the process (kvm-nx-lpage-re): only
# the monitor's own threads count.
ours=$(cat /proc/"$pid"/task/*/comm 2>/dev/null | grep -vc '^kvm-')
check "running default monitor has one thread of its own (has: $ours)" [ "$ours" -eq 1 ]
kill "$pid"
wait "$pid" 2>/dev/null || true
finish
