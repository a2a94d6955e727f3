#!/bin/bash
# derived.sh: what the tree keeps that tender-gen derives from the module
# descriptors is current: include/tender_fds.h (tender-gen --fds-header)
# and the system-call table of docs/security.md, between its markers
# (tender-gen --syscall-table). The generated monitor.c carries the same
# descriptor numbers. docs/writing-a-module.md says how to refresh them.
. "$(dirname "$0")/../lib.sh"

"$TENDER_GEN" --fds-header >"$WORK/tender_fds.h"
if cmp -s "$WORK/tender_fds.h" "$SRCDIR/include/tender_fds.h"; then
    pass "include/tender_fds.h is what the descriptors say"
else
    fail "include/tender_fds.h is not current: run tender-gen --fds-header >include/tender_fds.h"
    diff -u "$SRCDIR/include/tender_fds.h" "$WORK/tender_fds.h" | head -30
fi

"$TENDER_GEN" --syscall-table >"$WORK/table.md"
sed -n '/^<!-- BEGIN GENERATED: system-call table/,/^<!-- END GENERATED: system-call table -->$/p' \
    "$SRCDIR/docs/security.md" >"$WORK/doc-table.md"
check "docs/security.md has one generated system-call table" \
    [ "$(grep -c '^<!-- BEGIN GENERATED: system-call table' "$SRCDIR/docs/security.md")" -eq 1 ]
if cmp -s "$WORK/table.md" "$WORK/doc-table.md"; then
    pass "docs/security.md's system-call table is what the descriptors say"
else
    fail "docs/security.md's system-call table is not current (tender-gen --syscall-table)"
    diff -u "$WORK/doc-table.md" "$WORK/table.md" | head -30
fi
"$TENDER_GEN" --syscall-table --target spt >"$WORK/spt-table.md"
sed -n '/^<!-- BEGIN GENERATED: spt system-call table/,/^<!-- END GENERATED: spt system-call table -->$/p' \
    "$SRCDIR/docs/security.md" >"$WORK/doc-spt-table.md"
check "docs/security.md's spt system-call table is what the descriptors' spt parts say" \
    cmp -s "$WORK/spt-table.md" "$WORK/doc-spt-table.md"
check "the spt table pins a block transfer's size and offset" grep -qF \
    "size = \`spt_block_size()\` of the device (filled in at run time), offset <= \`spt_block_last()\` of the device" \
    "$WORK/spt-table.md"
check "a row names a device module's descriptors by type" grep -qF \
    "| block | \`pread64\` | fd = 129 .. 128 + the shape's block count (its devices' descriptors, one rule each) |" \
    "$WORK/table.md"
check "a row names the pinned flags" grep -qF \
    "| dumpcore | \`openat\` | fd = 58 (\`MON_FD_DUMPCORE_DIR\`), flags = \`MON_DUMPCORE_OPEN_FLAGS\`" \
    "$WORK/table.md"

# monitor.c holds the header as the descriptors write it.
printf 'version: 1\n' >"$WORK/none.yml"
"$TENDER_GEN" --with gdb,dumpcore --emit-c "$WORK/m.c" "$WORK/none.yml"
sed -n '/^\/\* ---- begin include\/tender_fds.h ---- \*\/$/,/^\/\* ---- end include\/tender_fds.h ---- \*\/$/p' \
    "$WORK/m.c" | sed '1d;$d' >"$WORK/inlined.h"
check "monitor.c inlines the same descriptor numbers" cmp -s "$WORK/inlined.h" "$WORK/tender_fds.h"

# The options the descriptors list are the ones the monitor's --help shows.
printf 'version: 1\ndevices:\n  - {name: n, type: net}\n  - {name: b, type: block}\n' \
    >"$WORK/all.yml"
"$TENDER_GEN" --with gdb,dumpcore --explain -o "$WORK/all-tender" "$WORK/all.yml" \
    >"$WORK/all.explain"
"$WORK/all-tender" --help >"$WORK/all.help"
opts=$(sed -n 's/^options: *//p' "$WORK/all.explain")
check "--explain lists the descriptors' options" [ -n "$opts" ]
for o in $opts; do
    stem=${o%%[:=]*}
    [ "$stem" = "$o" ] || stem=${o:0:$((${#stem} + 1))}
    check "the monitor's --help shows $o" grep -qF -- "$stem" "$WORK/all.help"
done
# The same for an spt monitor, whose net part lists fewer options.
"$TENDER_GEN" --target spt --explain -o "$WORK/spt-tender" "$WORK/all.yml" \
    >"$WORK/spt.explain"
"$WORK/spt-tender" --help >"$WORK/spt.help"
opts=$(sed -n 's/^options: *//p' "$WORK/spt.explain")
check "--explain lists the spt parts' options" [ -n "$opts" ]
for o in $opts; do
    check "the spt monitor's --help shows $o" \
        grep -qF -- "  [ $o ] (" "$WORK/spt.help"
done
check "the spt monitor's --help shows no hvt-only option" \
    bash -c "! grep -q -- --no-net-ring '$WORK/spt.help'"

# --syscall-table and --fds-header take no input.
run_capture "$WORK/out" "$WORK/err" "$TENDER_GEN" --syscall-table "$WORK/none.yml"
check "--syscall-table with an INPUT is bad usage (exit 2)" [ "$status" -eq 2 ]
check "... saying so" grep -qx "tender-gen: --syscall-table and --fds-header take only --datadir" "$WORK/err"
finish
