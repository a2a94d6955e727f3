#!/bin/bash
# gdb-session.sh: Debian's gdb, in batch mode, against the gdb module of a
# running guest: it stops before the first instruction, breaks on a guest
# function, reads registers and variables, writes one, steps, continues to
# the guest's exit; Ctrl-C stops a spinning guest; a fifth breakpoint is
# refused (four debug registers); hardware watchpoints are refused and
# software ones work; detach lets the guest run on; a guest the monitor
# stops for a fault is shown to gdb as SIGSEGV where it happened.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/debuglib.sh"
need_kvm
need_gdb
entry=$(readelf -h "$GUEST" | sed -n 's/.*Entry point address: *0x\([0-9a-f]*\).*/\1/p')

# A breakpoint on a guest function, registers and variables, to the exit.
start_monitor "$GUEST"
gdb_batch "$WORK/g1" "print/x \$rip" "break dbg_add" continue "print \$rdi" \
    "print dbg_total" continue "print \$rdi" "print dbg_total" \
    "info registers rip" bt delete continue
wait_monitor
check "stopped before the first instruction (rip = entry 0x$entry)" \
    has "$WORK/g1" "\$1 = 0x$entry"
check "breakpoint on dbg_add hit" has "$WORK/g1" "Breakpoint 1, dbg_add (n=n@entry=1)"
check "register read: rdi = 1 (dbg_add's argument)" has "$WORK/g1" "\$2 = 1"
check "variable read: dbg_total = 0 before the first add" has "$WORK/g1" "\$3 = 0"
check "second hit: n = 2" has "$WORK/g1" "Breakpoint 1, dbg_add (n=n@entry=2)"
check "variable read: dbg_total = 1 after the first add" has "$WORK/g1" "\$5 = 1"
check "info registers shows rip in dbg_add" \
    grep -q "^rip .*<dbg_add" "$WORK/g1"
check "backtrace reaches solo5_app_main" grep -q "in solo5_app_main" "$WORK/g1"
check "gdb sees the exit: code 42" has "$WORK/g1" "exited with code 052"
check "monitor exits 42" [ "$mon_status" -eq 42 ]
check "the guest ran to its end" has "$WORK/out" "dbgguest: total 15"

# Writing a variable and a register, single steps.
start_monitor "$GUEST"
gdb_batch "$WORK/g2" "break dbg_add" continue "set var dbg_total = 100" \
    "print dbg_total" stepi "print/x \$pc" "print \$pc != dbg_add" \
    "set var \$rax = 0x1234" "print/x \$rax" delete continue
wait_monitor
check "variable written: 100" has "$WORK/g2" "\$1 = 100"
check "stepi moves the pc" has "$WORK/g2" "\$3 = 1"
check "register written and read back" has "$WORK/g2" "\$4 = 0x1234"
check "the guest saw the write: total 115 (100, then 1..5 added)" \
    has "$WORK/out" "dbgguest: total 115"
check "monitor exits 1 (the guest's own verdict)" [ "$mon_status" -eq 1 ]

# Four breakpoints at a time: the fifth is refused, with gdb's message.
start_monitor "$GUEST"
gdb_batch "$WORK/g3" "break dbg_add" "break dbg_spin" "break dbg_give_up" \
    "break dbg_crash" "break dbg_scribble" continue "delete 5" continue \
    "print \$rdi" delete continue
wait_monitor
check "fifth breakpoint: gdb says it cannot insert it" \
    has "$WORK/g3" "Cannot insert breakpoint"
check "with four left, the guest stops at dbg_add" \
    has "$WORK/g3" "Breakpoint 1, dbg_add"
check "four breakpoints: exit 42" [ "$mon_status" -eq 42 ]

# Watchpoints: no hardware ones here (data breakpoints never fire on this
# host, gdb_debugregs.c); gdb's software watchpoints work.
start_monitor "$GUEST"
gdb_batch "$WORK/g8" "break dbg_add" continue "watch dbg_total" continue \
    delete "set can-use-hw-watchpoints 0" "watch dbg_total" continue delete \
    continue
wait_monitor
check "hardware watchpoint: refused, gdb says so" \
    has "$WORK/g8" "Could not insert hardware breakpoints"
check "software watchpoint: triggers on the write (0 -> 1)" \
    bash -c "grep -A2 '^Old value = 0' '$WORK/g8' | grep -q '^New value = 1'"
check "watchpoints: exit 42" [ "$mon_status" -eq 42 ]

# Ctrl-C: gdb, sent SIGINT while the guest spins, interrupts it.
start_monitor "$GUEST" spin
gdb_start "$WORK/g4" continue "print dbg_spins > 0" bt kill
for _ in $(seq 300); do # connected and stopped at _start: continue is next
    grep -q "^_start ()" "$WORK/g4.raw" && break
    sleep 0.1
done
sleep 1
kill -INT "$gdb_pid"
gdb_finish "$WORK/g4"
wait_monitor
check "Ctrl-C stops the spinning guest" has "$WORK/g4" "received signal SIGINT"
check "it stopped in dbg_spin, having spun" has "$WORK/g4" "\$1 = 1"
check "backtrace from the interrupt: dbg_spin" grep -q "dbg_spin ()" "$WORK/g4"
check "kill ends the monitor (exit 1)" [ "$mon_status" -eq 1 ]
check "monitor says the debugger killed the guest" \
    has "$WORK/err" "the debugger killed the guest"

# Detach: the guest runs on to its end without gdb.
start_monitor "$GUEST"
gdb_batch "$WORK/g5" "break dbg_add" continue detach
wait_monitor
check "detach: the guest runs on and exits 42" [ "$mon_status" -eq 42 ]
check "detach: the monitor says so" has "$WORK/err" "the debugger detached"

# A guest the monitor stops (a write to its own text): gdb gets the
# monitor's message and a SIGSEGV stop where the guest was.
start_monitor "$GUEST" text
gdb_batch "$WORK/g6" continue bt continue
wait_monitor
check "fault: gdb shows the monitor's reason" \
    has "$WORK/g6" "host/guest translation fault"
check "fault: SIGSEGV stop in dbg_scribble" grep -q "^dbg_scribble ()" "$WORK/g6"
check "fault: gdb sees the end" has "$WORK/g6" "terminated with signal SIGSEGV"
check "fault: the monitor exits 1" [ "$mon_status" -eq 1 ]

# An abort: gdb sees exit code 255.
start_monitor "$GUEST" abort
gdb_batch "$WORK/g7" continue
wait_monitor
check "abort: gdb sees code 0377" has "$WORK/g7" "exited with code 0377"
check "abort: monitor exits 255" [ "$mon_status" -eq 255 ]

for f in g1 g2 g3 g4 g5 g6 g7 g8; do
    [ "$failed" -eq 0 ] || { echo "---- $f"; cat "$WORK/$f"; }
done
finish
