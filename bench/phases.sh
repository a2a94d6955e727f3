# bench/phases.sh: what bench/run and bench/ab share: statistics over sample
# files, unit conversion, and the reading of the phase trace (the lines a
# monitor built with `tender-gen --with trace` prints, and bench/floor with
# TENDER_TRACE=1). Sourced,
# not run. Sample files hold one integer a line (nanoseconds, KiB, ...).
# shellcheck shell=bash

# stats FILE: "MEDIAN MIN MAX COUNT" of the integers in FILE.
stats() {
    sort -n "$1" | awk '{a[NR] = $1}
        END {
            if (NR == 0) { print "0 0 0 0"; exit }
            m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
            printf "%d %d %d %d\n", m, a[1], a[NR], NR
        }'
}

# us NS: nanoseconds as microseconds with one decimal.
us() { awk -v v="$1" 'BEGIN { printf "%.1f", v / 1000 }'; }

# ratio A B: A / B with two decimals; "-" when B is 0.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f", a / b }'; }

# trace_split START END TRACE PREFIX: appends each phase's duration in ns to
# PREFIX.PHASE, from a run that measure(1) reported as START and END and
# whose stderr (its tender-trace lines) is in TRACE. A phase lasts from the
# timestamp before it (START for the first) to its own; "teardown" runs from
# the last timestamp to END, "total" from START to END.
trace_split() {
    awk -v s="$1" -v e="$2" -v p="$4" '
        $1 == "tender-trace:" {
            print $3 - (n ? prev : s) >> (p "." $2)
            prev = $3; n++
        }
        END {
            if (n) print e - prev >> (p ".teardown")
            print e - s >> (p ".total")
        }' "$3"
}

# shellcheck disable=SC2034 # used by the scripts that source this file
# The phases, in the order they happen in a monitor (the steps of
# modules/core/mon_main.c, as the trace module names them); the floor has a
# subset.
PHASES="main elf-read devices kvm-vm guest-memory vcpu cpuid elf-load boot-state sandbox first-exit halt teardown"

phase_label() {
    case $1 in
    main) echo "exec and process start" ;;
    elf-read) echo "ELF read and checked (ours: and /proc/self/status)" ;;
    devices) echo "options parsed, devices attached" ;;
    kvm-vm) echo "/dev/kvm opened, checked; VM created" ;;
    guest-memory) echo "guest memory: mmap, memory slot" ;;
    vcpu) echo "vCPU created and mapped" ;;
    cpuid) echo "CPUID: GET_SUPPORTED, SET_CPUID2" ;;
    elf-load) echo "ELF loaded into guest memory" ;;
    boot-state) echo "page tables, registers, MSR filter, boot info" ;;
    sandbox) echo "sandbox: descriptors, seccomp" ;;
    # The trace module notes the first exit when the second KVM_RUN
    # begins, so ours includes handling that exit (the floor's is empty).
    first-exit) echo "guest start to first exit (ours: and its handling)" ;;
    halt) echo "guest run, first exit to halt" ;;
    teardown) echo "exit and teardown, to the parent's wait" ;;
    total) echo "total (median of whole runs)" ;;
    *) echo "$1" ;;
    esac
}
