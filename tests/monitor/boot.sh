#!/bin/bash
# boot.sh: the skeleton guest boots under KVM on its generated monitor; its
# output and exit status come through; a guest that does not fit the
# monitor's shape is refused with the tender-gen command that would fit it.
. "$(dirname "$0")/../lib.sh"
need_kvm

MON=$(monitor_of "$BINDIR/tests/skeleton")
GUEST=$BINDIR/tests/skeleton.hvt

for st in 0 3 42 255; do
    run_capture "$WORK/out" "$WORK/err" "$MON" "$GUEST" "$st"
    check "skeleton exits with status $st" [ "$status" -eq "$st" ]
    check "skeleton prints its line (status $st)" \
        grep -qx "skeleton: hello from a guest under KVM" "$WORK/out"
    check "monitor prints nothing on a clean halt ($st)" [ ! -s "$WORK/err" ]
done

# 300 & 0xff = 44: the status is the guest's, truncated as solo5-hvt does.
run_capture "$WORK/out" "$WORK/err" "$MON" "$GUEST" 300
check "status 300 exits 44" [ "$status" -eq 44 ]

# Options end at KERNEL; `--` ends them too.
run_capture "$WORK/out" "$WORK/err" "$MON" --mem=8 -- "$GUEST" 5
check "-- before KERNEL, --mem=8" [ "$status" -eq 5 ]

# The command line: 8191 characters arrive (the guest parses them all as
# digits: 8190 zeros and a 7), 8192 are refused before the guest runs.
long=$(printf '%08190d7' 0)
run_capture "$WORK/out" "$WORK/err" "$MON" "$GUEST" "$long"
check "8191-character command line arrives whole" [ "$status" -eq 7 ]
run_capture "$WORK/out" "$WORK/err" "$MON" "$GUEST" "${long}0"
check "8192-character command line refused" [ "$status" -eq 1 ]
check "refusal says the limit" grep -q "guest command line too long (max=8191 characters)" "$WORK/err"
check "refused guest did not run" [ ! -s "$WORK/out" ]
# Words are joined with single spaces: "1 2" parses as 1 (stops at space).
run_capture "$WORK/out" "$WORK/err" "$MON" "$GUEST" 12 34
check "arguments joined with spaces" [ "$status" -eq 12 ]

# --mem bounds: 2..4096 MiB, decimal only; odd sizes round down to 2 MiB.
for bad in 0 4097 -1 abc 64abc ""; do
    run_capture "$WORK/out" "$WORK/err" "$MON" --mem="$bad" "$GUEST"
    check "--mem=$bad refused with exit 1" [ "$status" -eq 1 ]
done
run_capture "$WORK/out" "$WORK/err" "$MON" --mem=4096 "$GUEST" 9
check "--mem=4096 boots" [ "$status" -eq 9 ]
run_capture "$WORK/out" "$WORK/err" "$MON" --mem=5 "$GUEST" 9
check "--mem=5 boots" [ "$status" -eq 9 ]
check "--mem=5 warns it adjusted" grep -q "adjusting memory to 4194304 bytes" "$WORK/err"
# What the guest got: kernel/'s memory map, and a read at 4 MiB faults.
ABOVE=$BINDIR/tests/fault_above
run_capture "$WORK/out" "$WORK/err" "$(monitor_of "$ABOVE")" --mem=5 "$ABOVE.hvt"
check "--mem=5: the guest's memory map has 4 MiB" \
    grep -qx "Solo5: Memory map: 4 MB addressable:" "$WORK/out"
check "--mem=5: the guest's heap ends at 4 MiB" \
    grep -qx "Solo5:    heap @ (0x[0-9a-f]* - 0x3fffff)" "$WORK/out"
check "--mem=5: a read at 4 MiB faults (exit 255, cr2=0x400000)" \
    bash -c "[ $status -eq 255 ] && grep -qx 'Solo5: trap: cr2=0x400000' '$WORK/out'"

run_capture "$WORK/out" "$WORK/err" "$MON" --mem=abc "$GUEST"
check "bad --mem exits 1" [ "$status" -eq 1 ]
check "bad --mem says why" grep -q "malformed argument to --mem" "$WORK/err"

run_capture "$WORK/out" "$WORK/err" "$MON" --frobnicate "$GUEST"
check "unknown option exits 1" [ "$status" -eq 1 ]
check "unknown option is named" grep -q "invalid option: \`--frobnicate'" "$WORK/err"

run_capture "$WORK/out" "$WORK/err" "$MON"
check "no KERNEL exits 1" [ "$status" -eq 1 ]
check "no KERNEL says so" grep -q "missing KERNEL operand" "$WORK/err"

run_capture "$WORK/out" "$WORK/err" "$MON" --version
check "--version exits 0" [ "$status" -eq 0 ]
check "--version prints 'ABI version 2' on stderr" grep -qx "ABI version 2" "$WORK/err"

run_capture "$WORK/out" "$WORK/err" "$MON" --help
check "--help exits 0" [ "$status" -eq 0 ]
check "--help prints usage on stdout" grep -q "^usage: .*KERNEL" "$WORK/out"
check "--help names the shape" grep -q "^Shape: block=0 net=0 modules=core,console" "$WORK/out"

# A guest with a net device on a monitor built for none is refused before it
# runs, with the command that builds a monitor that fits.
cat >"$WORK/net.yml" <<'YML'
version: 1
devices:
  - name: service
    type: net
YML
"$TENDER_GEN" --emit-note "$WORK/net.note.c" "$WORK/net.yml"
clang -ffreestanding -fno-pie -mno-sse -mno-red-zone -nostdlib -static \
    -fuse-ld=lld -Wl,-T,"$SRCDIR/tests/guests/raw.ld" \
    "$SRCDIR/tests/guests/skeleton.S" "$WORK/net.note.c" -o "$WORK/net.hvt"
run_capture "$WORK/out" "$WORK/err" "$MON" "$WORK/net.hvt"
check "net guest refused by a deviceless monitor" [ "$status" -eq 1 ]
check "refusal names the device" grep -q "device 'service' (net) does not fit" "$WORK/err"
check "refusal gives the tender-gen command" grep -q "tender-gen $WORK/net.hvt" "$WORK/err"
check "refused guest never ran" [ ! -s "$WORK/out" ]

finish
