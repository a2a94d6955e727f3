#!/bin/bash
# spt-messages: the exact words of a process (spt) monitor for what users
# mistype or ask of it, before any guest runs (exit 1): an option of gdb or
# dumpcore, which the spt target has no part of; an option of a device
# type the monitor has none of, and a misspelt option, as hvt monitors say
# them (the same code, modules/core/unknown_option.c); a file its checks
# refuse, in tender-gen's words. Monitors run with /dev/kvm hidden.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/spt/spt-lib.sh"
. "$SRCDIR/tests/monitor/option-cases.sh"
SAID_RUN=("${NOKVM[@]}")
: "${BINDIR:?BINDIR must name the build tree}"
need_root
MKELF=$1
GUEST=$BINDIR/tests/exit_status.spt
[ -f "$GUEST" ] || skip_test "the build made no spt guest ($GUEST)"


"$TENDER_GEN" -o "$WORK/plain-tender" "$GUEST" ||
    fail "tender-gen builds the guest's spt monitor"
P=$WORK/plain-tender
SHAPE="target=spt block=0 net=0 modules=core,console"
for opt in --gdb --gdb-tcp=1234 --gdb=unix:$WORK/s; do
    said "$opt: the spt target has no gdb module" 1 \
        "plain-tender: $opt needs the gdb module, which the spt target does not have: spt monitors cannot include it" \
        "$P" "$opt" "$GUEST"
done
said "--dumpcore=DIR: the spt target has no dumpcore module" 1 \
    "plain-tender: --dumpcore=$WORK needs the dumpcore module, which the spt target does not have: spt monitors cannot include it" \
    "$P" --dumpcore="$WORK" "$GUEST"
option_cases "$P" "$SHAPE" "$GUEST"

# A monitor with a net device: hvt's net options it lacks are only invalid.
manifest "$WORK/net.yml" net:service
"$TENDER_GEN" --target spt -o "$WORK/net-tender" "$WORK/net.yml" ||
    fail "tender-gen builds an spt monitor with a net device"
"$MKELF" "$WORK/net.spt" --target=spt net:service >/dev/null
said "with a net device: --no-net-ring is only invalid" 1 \
    "net-tender: invalid option: \`--no-net-ring' (see $WORK/net-tender --help)" \
    "$WORK/net-tender" --no-net-ring "$WORK/net.spt"

# A file the checks refuse: the words tender-gen --check gives.
"$MKELF" "$WORK/elf32.spt" --target=spt --variant=elf32 >/dev/null
said "a 32-bit ELF: refused" 1 \
    "plain-tender: $WORK/elf32.spt: error: not a 64-bit ELF file (EI_CLASS 1, expected 2)" \
    "$P" "$WORK/elf32.spt"
said "... tender-gen --target spt --check says the same" 1 \
    "$WORK/elf32.spt: error: not a 64-bit ELF file (EI_CLASS 1, expected 2)" \
    "$TENDER_GEN" --target spt --check "$WORK/elf32.spt"
finish
