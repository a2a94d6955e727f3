#!/bin/bash
# wx.sh: W^X inside the guest, and read-only boot data. Code called in the
# guest's rodata, data, heap, stack or boot info is an instruction-fetch
# page fault the guest reports itself (exit 255); a write to its text, or
# to the boot info, command line or manifest copy with CR0.WP cleared, is
# stopped by the monitor (exit 1, one line), and so is a hypercall whose
# results would land in the boot info; ordinary guests still run.
. "$(dirname "$0")/../lib.sh"
need_kvm
G=$BINDIR/tests

# run GUEST ARGS...: runs G/GUEST.hvt on its monitor.
run() {
    local g=$1
    shift
    run_capture "$WORK/out" "$WORK/err" "$(monitor_of "$G/$g")" "$G/$g.hvt" "$@"
}
got() { head -c 600 "$WORK/out" "$WORK/err"; }

# Execution outside the executable segments: #PF with the instruction-fetch
# bit in the error code, at the address called, and the guest's abort.
for where in rodata data heap stack boot; do
    run wx_exec "$where"
    addr=$(sed -n "s/^wx_exec: calling code in $where at \(0x[0-9a-f]*\)$/\1/p" "$WORK/out")
    ec=$(sed -n 's/^Solo5: trap: type=#PF ec=\(0x[0-9a-f]*\) .*/\1/p' "$WORK/out")
    if [ "$status" -eq 255 ] && [ -n "$addr" ] && [ -n "$ec" ] &&
        [ $((ec & 0x10)) -ne 0 ] &&
        grep -qF "Solo5: trap: cr2=$addr" "$WORK/out" &&
        grep -qF "rip=$addr " "$WORK/out" &&
        grep -q "^Solo5: ABORT" "$WORK/out" &&
        ! grep -q FAILURE "$WORK/out"; then
        pass "code in $where ($addr): #PF ec=$ec (instruction fetch), abort 255"
    else
        fail "code in $where: exit $status (want 255), ec='$ec', addr='$addr'; got: $(got)"
    fi
done

# one_line DESCRIPTION SUBSTRING: exit 1 with exactly one line on stderr
# holding SUBSTRING, and no FAILURE from the guest.
one_line() {
    if [ "$status" -eq 1 ] && grep -qF -- "$2" "$WORK/err" &&
        [ "$(wc -l <"$WORK/err")" -eq 1 ] && ! grep -q FAILURE "$WORK/out"; then
        pass "$1: exit 1, $2"
    else
        fail "$1: exit $status (want 1 and '$2'); got: $(got)"
    fi
}

# Text across the 2 MiB boundary at 4 MiB, rodata and data next to it: the
# two regions around the boundary are mapped with small pages. The code on
# both sides runs (the guest halts 0); a call into its rodata, its data, or
# its stack in a 2 MiB page at the top of memory is a no-execute page
# fault, a triple fault in this guest without an IDT, at the address
# called.
sym() { nm "$G/wxhigh.hvt" | sed -n "s/^0*\([0-9a-f]*\) . $1\$/0x\1/p"; }
run_capture "$WORK/out" "$WORK/err" "$(monitor_of "$G/wxhigh")" --mem=8 "$G/wxhigh.hvt" x
check "text on both sides of a 2 MiB boundary runs" [ "$status" -eq 0 ]
for op in r:rodata:$(sym ret_rodata) d:data:$(sym ret_data) s:stack:0x7fffe8; do
    IFS=: read -r arg what addr <<<"$op"
    [ -n "$addr" ] || { fail "code in $what: no address from nm"; continue; }
    run_capture "$WORK/out" "$WORK/err" "$(monitor_of "$G/wxhigh")" --mem=8 "$G/wxhigh.hvt" "$arg"
    one_line "code in $what next to text in small pages" "guest triple fault: rip=$addr"
done

# More executable segments than the small page tables are bounded for:
# refused before the guest runs.
run many_exec
one_line "16 executable segments" \
    "many_exec.hvt: error: too many executable loadable segments (at most 15)"

# The same guest's text, written: stopped by the host, as before.
run fault_text
one_line "write to text" "host/guest translation fault: rip=0x"

# Boot data, written with CR0.WP cleared: the host's mapping is read-only.
# Its layout (hvt ABI): the boot info (56 bytes) at 0x10000, the manifest
# copy (8 + 104 bytes per entry; this guest's has one), the command line.
bi=0x10000
mft=$((bi + 56))
cmdline=$((mft + 8 + 104))
for op in b:boot-info:$bi c:command-line:$cmdline m:manifest:$mft; do
    IFS=: read -r arg what gpa <<<"$op"
    run wxops "$arg"
    one_line "$what written with CR0.WP clear" "host/guest translation fault: rip=0x"
    # On hosts where KVM reports the write as an MMIO exit, the line also
    # names the address; bare-metal KVM's EFAULT does not carry it.
    if grep -q "gpa=" "$WORK/err"; then
        check "$what: the fault names gpa $(printf 0x%x "$gpa")" \
            grep -qF "gpa=$(printf 0x%x "$gpa")" "$WORK/err"
    fi
done
# Nor does the monitor write there for the guest: WALLTIME's result.
run wxops h
one_line "WALLTIME struct on the boot info" \
    "invalid guest access in WALLTIME: gpa=0x10000, size=8: read-only guest memory"

# With CR0.WP set, the guest's own read-only mapping stops it first.
run wxops B
one_line "boot info written with CR0.WP set" "guest triple fault: rip=0x"
run wxops x
check "wxops without a write halts 0" [ "$status" -eq 0 ]

# Ordinary guests still run.
run_capture "$WORK/out" "$WORK/err" "$(monitor_of "$BINDIR/examples/hello/hello")" \
    "$BINDIR/examples/hello/hello.hvt" one two
check "hello runs" bash -c "[ $status -eq 0 ] && grep -qF 'cmdline: one two' '$WORK/out'"
run clocks
check "clocks runs" bash -c "[ $status -eq 0 ] && grep -q 'clocks: SUCCESS' '$WORK/out' && ! grep -q FAILURE '$WORK/out'"
run tls
check "tls runs" bash -c "[ $status -eq 0 ] && grep -q 'tls: SUCCESS' '$WORK/out'"
run cmdline "--solo5:quiet a b"
check "cmdline runs (options parsed without writing the command line)" \
    bash -c "[ $status -eq 0 ] && grep -qF 'cmdline: cksum $(printf %s 'a b' | cksum)' '$WORK/out'"
finish
