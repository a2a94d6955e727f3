#!/bin/bash
# stub.sh: the gdb module's stub at the packet level, through rspclient:
# what it advertises, the register layout, memory reads and writes checked
# against guest memory (E14 outside it), four breakpoints and a refused
# fifth, no watchpoints, step and continue, the breakpoint and interrupt
# stop replies, detach, a lost connection, kill, a fault; the sandbox of a
# monitor with gdb (filtered, its own two descriptors kept) and its
# options. Each session goes through the default Unix socket; access.sh
# checks who may connect and where.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/debuglib.sh"
RSP=$1
OUTER=$2
need_kvm

addr() { nm "$GUEST" | sed -n "s/^0*\([0-9a-f]*\) [tTbB] $1\$/\1/p"; }
entry=$(readelf -h "$GUEST" | sed -n 's/.*Entry point address: *0x\([0-9a-f]*\).*/\1/p')
add=$(addr dbg_add)
total=$(addr dbg_total)
spins=$(addr dbg_spins)
# le64 HEX: the little-endian hex gdb uses for a 64-bit value.
le64() { printf '%016x' "0x$1" | sed 's/../& /g' | awk '{for (i = 8; i; i--) printf "%s", $i}'; }

# rsp OUT STEP...: rspclient on the monitor's socket, output in OUT.
rsp() {
    local out=$1
    shift
    timeout 20 "$RSP" "$rsp_at" "$@" >"$out" 2>&1
}
# reply OUT PACKET: the reply rspclient printed for PACKET (the first).
reply() { awk -v p="> $2" 'f { sub(/^< /, ""); print; exit } $0 == p { f = 1 }' "$1"; }
is_reply() { # DESCRIPTION OUT PACKET EXPECTED
    local got
    got=$(reply "$2" "$3")
    if [ "$got" = "$4" ]; then pass "$1"; else fail "$1: '$3' got '$got', want '$4'"; fi
}

# Session 1: registers, memory, breakpoints, step, continue to the exit.
start_monitor "$GUEST"
rsp "$WORK/s1" qSupported "?" g p10 p3a p39 p18 p64 \
    m0,8 m3ffff8,8 m400000,1 m3ffffc,8 mffffffffffffffff,2 M400000,1:00 \
    "P0=3412000000000000" p0 \
    "Z0,$add,1" "Z1,$(addr dbg_spin),1" "Z0,$(addr dbg_give_up),1" \
    "Z0,$(addr dbg_crash),1" "Z0,$(addr dbg_scribble),1" \
    "z0,$(addr dbg_crash),1" "Z0,$(addr dbg_scribble),1" \
    "Z2,$total,8" "Z4,$total,8" \
    s "vCont?" "vCont;c" p10 \
    "X$total,8:ABCDEFGH" "m$total,8" "X$total,1:}]" "m$total,1" \
    "M$total,8:0000000000000000" "m$total,8" \
    p5 s p010 "vCont;c" p05 \
    "z0,$add,1" "z1,$(addr dbg_spin),1" "z0,$(addr dbg_give_up),1" \
    "z0,$(addr dbg_scribble),1" c
wait_monitor
grep -q "^< PacketSize=1000;.*swbreak+" "$WORK/s1" && pass "qSupported: PacketSize, swbreak" ||
    fail "qSupported: $(reply "$WORK/s1" qSupported)"
is_reply "first stop: SIGTRAP before the first instruction" "$WORK/s1" "?" "T05thread:01;"
g=$(reply "$WORK/s1" g)
check "g: 536 bytes (x86-64 without SSE/x87 values: xx)" [ "${#g}" -eq 1072 ]
check "g: rip = entry" [ "${g:256:16}" = "$(le64 "$entry")" ]
check "g: x87 and SSE unavailable" [ "${g:328:744}" = "$(printf 'x%.0s' $(seq 744))" ]
is_reply "p rip = entry" "$WORK/s1" p10 "$(le64 "$entry")"
is_reply "p fs_base" "$WORK/s1" p3a "0000000000000000"
is_reply "p orig_rax: unavailable" "$WORK/s1" p39 "xxxxxxxxxxxxxxxx"
is_reply "p st0: unavailable" "$WORK/s1" p18 "xxxxxxxxxxxxxxxxxxxx"
is_reply "p unknown register: empty" "$WORK/s1" p64 ""
is_reply "m at address 0" "$WORK/s1" m0,8 "0000000000000000"
check "m at the top of guest memory" bash -c "reply() { $(declare -f reply | tail -n +2); }; [ \"\$(reply '$WORK/s1' m3ffff8,8 | wc -c)\" -eq 17 ]"
is_reply "m at guest memory's end: E14" "$WORK/s1" m400000,1 "E14"
is_reply "m straddling the end: E14" "$WORK/s1" m3ffffc,8 "E14"
is_reply "m wrapping around: E14" "$WORK/s1" mffffffffffffffff,2 "E14"
is_reply "M outside guest memory: E14" "$WORK/s1" M400000,1:00 "E14"
is_reply "P rax" "$WORK/s1" "P0=3412000000000000" "OK"
is_reply "p rax reads back" "$WORK/s1" p0 "3412000000000000"
is_reply "Z0 (debug register 1)" "$WORK/s1" "Z0,$add,1" "OK"
is_reply "Z1 (debug register 2)" "$WORK/s1" "Z1,$(addr dbg_spin),1" "OK"
is_reply "Z0 (debug register 4)" "$WORK/s1" "Z0,$(addr dbg_crash),1" "OK"
is_reply "fifth breakpoint refused" "$WORK/s1" "Z0,$(addr dbg_scribble),1" "E1c"
check "after z0, the fifth fits" bash -c "grep -A1 '^> Z0,$(addr dbg_scribble),1' '$WORK/s1' | tail -1 | grep -qx '< OK'"
is_reply "Z2 (write watchpoint): unsupported" "$WORK/s1" "Z2,$total,8" ""
is_reply "Z4 (access watchpoint): unsupported" "$WORK/s1" "Z4,$total,8" ""
is_reply "s: a step stops with SIGTRAP" "$WORK/s1" s "T05thread:01;"
is_reply "vCont?" "$WORK/s1" "vCont?" "vCont;c;C;s;S"
is_reply "vCont;c: stops at the breakpoint" "$WORK/s1" "vCont;c" "T05thread:01;swbreak:;"
check "the stop is at dbg_add" bash -c "grep -A1 '^> p10' '$WORK/s1' | tail -1 | grep -qx '< $(le64 "$add")'"
is_reply "X writes binary" "$WORK/s1" "X$total,8:ABCDEFGH" "OK"
is_reply "m reads it back" "$WORK/s1" "m$total,8" "4142434445464748"
is_reply "X: escaped byte (}])" "$WORK/s1" "X$total,1:}]" "OK"
is_reply "m: 0x7d" "$WORK/s1" "m$total,1" "7d"
is_reply "M writes hex" "$WORK/s1" "M$total,8:0000000000000000" "OK"
# Resuming with the breakpoint still inserted (this host ignores RF: the
# stub steps over it with breakpoints off).
is_reply "at the first call: rdi = 1" "$WORK/s1" p5 "0100000000000000"
is_reply "s from an inserted breakpoint: a plain step" "$WORK/s1" s "T05thread:01;"
check "s from an inserted breakpoint moves the pc" \
    bash -c "[ \"\$(sed -n '/^> p010\$/{n;p}' '$WORK/s1')\" != '< $(le64 "$add")' ]"
check "c with it inserted: the next call stops (rdi = 2)" \
    bash -c "[ \"\$(sed -n '/^> p05\$/{n;p}' '$WORK/s1')\" = '< 0200000000000000' ]"
is_reply "c: to the exit, W2a" "$WORK/s1" c "W2a"
check "monitor exits 42" [ "$mon_status" -eq 42 ]

# Session 2: Ctrl-C while the guest spins, then detach: it runs on.
start_monitor "$GUEST" spin
rsp "$WORK/s2" "&c" sleep=500 "^C" wait p10 "m$spins,8" D
sleep 0.5
check "detached guest still runs" kill -0 "$mon_pid"
stop_monitor
check "^C: stop reply SIGINT" grep -qx "< T02thread:01;" "$WORK/s2"
rip=$(reply "$WORK/s2" p10)
# RIP comes little-endian; dbg_spin's bounds from the guest's symbols.
rip_be=$(printf '%s' "$rip" | fold -w2 | tac | tr -d '\n')
rip_val=$((16#${rip_be:-0}))
spin_lo=$((16#$(addr dbg_spin)))
spin_len=$((16#$(nm -S "$GUEST" | awk '$4 == "dbg_spin" { print $2 }')))
check "^C: stopped in dbg_spin (rip 0x$(printf '%x' "$rip_val") in 0x$(printf '%x' "$spin_lo")+$spin_len)" \
    [ ${#rip} -eq 16 -a "$rip_val" -ge "$spin_lo" -a "$rip_val" -lt $((spin_lo + spin_len)) ]
check "^C: dbg_spins has counted" bash -c "[ \"\$(sed -n '/^> m$spins,8/{n;p}' '$WORK/s2')\" != '< 0000000000000000' ]"
is_reply "D: OK" "$WORK/s2" D "OK"
check "D: the monitor says the guest runs on" has "$WORK/err" "the debugger detached; the guest runs on"

# Session 3: the debugger goes away while the guest runs.
start_monitor "$GUEST" spin
rsp "$WORK/s3" "&c" sleep=300
sleep 1
check "lost connection: the guest runs on" kill -0 "$mon_pid"
check "lost connection: said so" has "$WORK/err" "connection closed; the guest runs on"
stop_monitor

# Session 4: kill.
start_monitor "$GUEST" spin
rsp "$WORK/s4" "vKill;1"
wait_monitor
check "vKill ends the monitor, exit 1" [ "$mon_status" -eq 1 ]
check "vKill: said so" has "$WORK/err" "the debugger killed the guest"

# Session 5: a fault the monitor stops the guest for.
start_monitor "$GUEST" text
rsp "$WORK/s5" c p10 c
wait_monitor
msg=$(sed -n 's/^< O//p' "$WORK/s5" | head -1 | xxd -r -p)
check "fault: the reason, as console output (O)" grep -q "host/guest translation fault" <<<"$msg"
check "fault: SIGSEGV stop" grep -qx "< T0bthread:01;" "$WORK/s5"
check "fault: continuing ends it: X0b" grep -qx "< X0b" "$WORK/s5"
check "fault: monitor exits 1" [ "$mon_status" -eq 1 ]

# Session 6: the sandbox of a monitor with gdb, stopped at the first
# instruction: filtered, the connection at 56, /proc/self/mem at 57, the
# range the sandbox closes empty.
start_monitor "$GUEST"
rsp "$WORK/s6" "?" sleep=3000 D &
rsp_pid=$!
for _ in $(seq 50); do # stopped at the first instruction: connected
    [ -L "/proc/$mon_pid/fd/56" ] && break
    sleep 0.1
done
sleep 0.2
filtered && check "gdb monitor: Seccomp 2" grep -q "^Seccomp:.2" "/proc/$mon_pid/status"
fds=$(ls "/proc/$mon_pid/fd" | sort -n | tr '\n' ' ')
check "gdb monitor: nothing open in 3..47 (has: $fds)" \
    bash -c "! ls /proc/$mon_pid/fd | awk '\$1 >= 3 && \$1 <= 47' | grep -q ."
conn=$(readlink "/proc/$mon_pid/fd/56" | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p')
check "fd 56 is the connection, a Unix socket" \
    bash -c "[ -n '$conn' ] && awk '\$7 == \"$conn\"' /proc/net/unix | grep -q ."
check "fd 57 is /proc/self/mem" \
    bash -c "readlink /proc/$mon_pid/fd/57 | grep -q '/mem\$'"
wait "$rsp_pid"
wait_monitor
check "after detach: exit 42" [ "$mon_status" -eq 42 ]

# Options.
for opt in --gdb-tcp --gdb-port; do
    for bad in "$opt=" "$opt=abc" "$opt=65536" "$opt=-1" "$opt=12x"; do
        run_capture "$WORK/o" "$WORK/e" "$MON" "$bad" "$GUEST"
        check "$bad refused" [ "$status" -eq 1 ]
        check "$bad: message" has "$WORK/e" "$opt takes a TCP port number, 0 to 65535 (0: any free port)"
    done
done
run_capture "$WORK/o" "$WORK/e" "$MON" --gdb=/tmp/x "$GUEST"
check "--gdb=/tmp/x refused: unix:PATH" bash -c "[ $status -eq 1 ] && grep -qF -- '--gdb= takes unix:PATH, a Unix socket to create (TCP: --gdb-tcp=PORT)' '$WORK/e'"
long=/tmp/$(printf 'x%.0s' $(seq 107))
for bad in unix: "unix:$long"; do
    run_capture "$WORK/o" "$WORK/e" "$MON" "--gdb=$bad" "$GUEST"
    check "--gdb=${bad:0:10}... refused: PATH 1 to 107 bytes" bash -c "[ $status -eq 1 ] && grep -qF -- '--gdb=unix:PATH: PATH must be 1 to 107 bytes' '$WORK/e'"
done
for pair in "--gdb=unix:/tmp/x --gdb-tcp=0" "--gdb-port=0 --gdb=unix:/tmp/x"; do
    run_capture "$WORK/o" "$WORK/e" "$MON" $pair "$GUEST"
    check "$pair: exclude each other" bash -c "[ $status -eq 1 ] && grep -q -- 'and --gdb-\(tcp\|port\) exclude each other' '$WORK/e' && ! grep -q waiting '$WORK/e'"
done
if filtered; then
    before=$(ls -d /tmp/tender-gdb.* 2>/dev/null | wc -l)
    run_capture "$WORK/o" "$WORK/e" "$OUTER" "$MON" --gdb "$GUEST"
    check "under an orchestrator's filter --gdb is refused, before listening" \
        bash -c "[ $status -eq 1 ] && grep -q 'not available under the caller' '$WORK/e' && ! grep -q waiting '$WORK/e'"
    check "... and makes no socket directory" \
        [ "$(ls -d /tmp/tender-gdb.* 2>/dev/null | wc -l)" -eq "$before" ]
fi
"$MON" --help >"$WORK/help"
check "--help lists --gdb, --gdb=unix:PATH, --gdb-tcp=PORT, --gdb-port=PORT" \
    bash -c "grep -q -- '--gdb ]' '$WORK/help' && grep -q -- '--gdb=unix:PATH ]' '$WORK/help' && grep -q -- '--gdb-tcp=PORT ]' '$WORK/help' && grep -q -- '--gdb-port=PORT' '$WORK/help'"

[ "$failed" -eq 0 ] || for f in s1 s2 s3 s4 s5 s6 err; do echo "---- $f"; cat "$WORK/$f"; done
finish
