#!/bin/bash
# hostile.sh: a guest attacking the monitor through the hypercall interface
# (tests/guests/rawops.S, plain assembly, so no library check stands in the
# way) is stopped with a one-line reason and exit status 1, the monitor
# never crashes, and no file it was not given is touched. The net and block
# modules' own hostile cases are in tests/net/probe.sh and
# tests/block/block-io.sh.
. "$(dirname "$0")/../lib.sh"
need_kvm
MON=$(monitor_of "$BINDIR/tests/rawops")
GUEST=$BINDIR/tests/rawops.hvt

# A file the monitor is never given: it must come out of every run as it
# went in.
CANARY=$WORK/canary
head -c 65536 /dev/urandom >"$CANARY"
before=$(sha256sum <"$CANARY")
touch -d '2001-01-01' "$CANARY"

while IFS='|' read -r op what expect; do
    [ -n "$op" ] || continue
    run_capture "$WORK/out" "$WORK/err" "$MON" --mem=8 "$GUEST" "$op"
    lines=$(wc -l <"$WORK/err")
    if [ "$status" -eq 1 ] && grep -q -- "$expect" "$WORK/err" && [ "$lines" -eq 1 ]; then
        pass "$what: exit 1, one line: $expect"
    else
        fail "$what: exit $status, $lines lines, expected 1 and '$expect'; got: $(head -c 400 "$WORK/err")"
    fi
done <<'TABLE'
W|PUTS buffer wrapping around|invalid guest access in PUTS: gpa=0xfffffffffffff000, size=8192
L|PUTS of 2^63 bytes|invalid guest access in PUTS: gpa=0x100000, size=9223372036854775808
S|argument struct straddling the top|invalid guest access in PUTS: gpa=0x7ffff8, size=16
E|buffer ending exactly at the top|invalid guest access in PUTS: gpa=0x7ffff0, size=16
H|HALT cookie in the last 512 bytes|invalid guest access in HALT cookie
k|ring kick with no ring offered|invalid guest port access: port=0x600
I|IN from a hypercall port|invalid guest port access: port=0x502
2|2-byte OUT to a hypercall port|invalid guest port access: port=0x502
n|hypercall of a device type not in the monitor|invalid guest hypercall: num=4
p|OUT to a foreign port|invalid guest port access: port=0x1234
b|PUTS beyond guest memory|invalid guest access in PUTS
TABLE

# A console write of 61 MiB in one hypercall: written in full, not a crash.
run_capture "$WORK/big" "$WORK/err" "$MON" --mem=64 "$GUEST" M
check "61 MiB console write: exit 0" [ "$status" -eq 0 ]
check "61 MiB console write: every byte written" \
    [ "$(stat -c %s "$WORK/big")" -eq $((61 * 1024 * 1024)) ]

check "canary file untouched (content)" [ "$(sha256sum <"$CANARY")" = "$before" ]
check "canary file untouched (mtime)" [ "$(stat -c %Y "$CANARY")" = "$(date -d 2001-01-01 +%s)" ]
finish
