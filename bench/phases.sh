# bench/phases.sh: what bench/run and bench/ab share: statistics over sample
# files, unit conversion, and the reading of TENDER_TRACE=1 output. Sourced,
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
# whose stderr (TENDER_TRACE=1) is in TRACE. A phase lasts from the
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
# The phases, in the order they happen in a monitor (modules/core's
# mon_trace calls); the floor has a subset.
PHASES="main cpuid-thread elf-read devices kvm-vm guest-memory elf-load cpuid vcpu cpuid-set boot-state sandbox first-exit halt teardown"

phase_label() {
    case $1 in
    main) echo "exec and process start" ;;
    cpuid-thread) echo "ours: /proc/self/status read, CPUID thread started" ;;
    elf-read) echo "ELF read and checked (notes, manifest)" ;;
    devices) echo "options parsed, devices attached" ;;
    kvm-vm) echo "/dev/kvm opened, checked; VM created" ;;
    guest-memory) echo "guest memory: mmap, memory slot (ours: mmap only)" ;;
    vcpu) echo "vCPU created and mapped (ours: memory slot first)" ;;
    elf-load) echo "ELF loaded into guest memory" ;;
    # Ours reads CPUID on a thread from before elf-read on
    # (modules/core/cpuid.c): its phase is the wait for that thread.
    cpuid) echo "CPUID: GET_SUPPORTED, SET_CPUID2 (ours: wait for its thread)" ;;
    cpuid-set) echo "ours: SET_CPUID2" ;;
    boot-state) echo "page tables, registers, MSR filter, boot info" ;;
    sandbox) echo "sandbox: descriptors, seccomp" ;;
    first-exit) echo "guest start to first exit" ;;
    halt) echo "guest run, first exit to halt" ;;
    teardown) echo "exit and teardown, to the parent's wait" ;;
    total) echo "total (median of whole runs)" ;;
    *) echo "$1" ;;
    esac
}
