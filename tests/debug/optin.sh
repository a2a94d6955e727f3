#!/bin/bash
# optin.sh: gdb and dumpcore are in a monitor only when asked for, by the
# manifest's modules: or by tender-gen --with, and then in its shape, its
# banner, its digest and cache key, --explain and its filter. A monitor
# without them has none of their code and refuses their options, saying
# which module it lacks.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/debuglib.sh"
TG=$TENDER_GEN

printf 'version: 1\nmemory: 4M\n' >"$WORK/plain.yml"
printf 'version: 1\nmemory: 4M\nmodules: [dumpcore, gdb]\n' >"$WORK/both.yml"
"$TG" -o "$WORK/plain-tender" --emit-c "$WORK/plain.c" "$WORK/plain.yml"
"$TG" --explain "$WORK/plain.yml" >"$WORK/plain.explain"
for w in gdb dumpcore gdb,dumpcore; do
    "$TG" --with "$w" --emit-c "$WORK/$w.c" --explain "$WORK/plain.yml" >"$WORK/$w.explain"
done
"$TG" --emit-c "$WORK/both.c" "$WORK/both.yml"

# The plain monitor: nothing of either module.
check "plain: shape without them" grep -qx "shape: *block=0 net=0 modules=core,console" "$WORK/plain.explain"
check "plain: --explain lists neither module" \
    bash -c "! grep '^modules:' '$WORK/plain.explain' | grep -q 'gdb\|dumpcore'"
check "plain: no recvfrom, pread64, pwrite64, openat, rt_sigreturn allowed" \
    bash -c "! grep '^syscalls:' '$WORK/plain.explain' | grep -qw 'recvfrom\|pread64\|pwrite64\|openat\|rt_sigreturn'"
check "plain: monitor.c has none of their code" \
    bash -c "! grep -q 'begin modules/gdb\|begin modules/dumpcore\|mod_gdb\|mod_dumpcore' '$WORK/plain.c'"
check "plain: the binary has none of their strings" \
    bash -c "! strings '$WORK/plain-tender' | grep -q 'gdb:\|dumpcore:\|--gdb\|--dumpcore'"
for opt in gdb:--gdb gdb:--gdb-port=1234 "dumpcore:--dumpcore=$WORK"; do
    mod=${opt%%:*} opt=${opt#*:}
    run_capture "$WORK/o" "$WORK/e" "$WORK/plain-tender" "$opt" "$GUEST"
    check "plain: $opt refused, naming $mod and how to get it (exit 1)" \
        bash -c "[ $status -eq 1 ] && grep -qxF -- \"plain-tender: $opt needs the $mod module, which this monitor was built without; build one with: tender-gen --with $mod $GUEST\" '$WORK/e' && ! [ -s '$WORK/o' ]"
done
"$WORK/plain-tender" --help >"$WORK/help"
check "plain: --help offers neither" bash -c "! grep -q -- '--gdb\|--dumpcore' '$WORK/help'"

# --with gdb / dumpcore: each alone, and both.
check "--with gdb: shape" grep -qx "shape: *block=0 net=0 modules=core,console,gdb" "$WORK/gdb.explain"
check "--with gdb: --explain lists it" grep -qx "modules: *core console gdb" "$WORK/gdb.explain"
check "--with gdb: its system calls (recvfrom pread64 pwrite64 rt_sigreturn)" \
    bash -c "grep '^syscalls:' '$WORK/gdb.explain' | grep -w recvfrom | grep -w pread64 | grep -w pwrite64 | grep -qw rt_sigreturn"
check "--with gdb: no dumpcore code" bash -c "grep -q 'begin modules/gdb/gdb.c' '$WORK/gdb.c' && ! grep -q 'begin modules/dumpcore\|mod_dumpcore' '$WORK/gdb.c'"
check "--with dumpcore: shape" grep -qx "shape: *block=0 net=0 modules=core,console,dumpcore" "$WORK/dumpcore.explain"
check "--with dumpcore: openat allowed" bash -c "grep '^syscalls:' '$WORK/dumpcore.explain' | grep -qw openat"
check "--with dumpcore: no gdb code" bash -c "grep -q 'begin modules/dumpcore/dumpcore.c' '$WORK/dumpcore.c' && ! grep -q 'begin modules/gdb\|mod_gdb' '$WORK/dumpcore.c'"
check "both: shape, canonical order" grep -qx "shape: *block=0 net=0 modules=core,console,gdb,dumpcore" "$WORK/gdb,dumpcore.explain"
check "both: banner names the shape" \
    grep -q "^ \* shape: block=0 net=0 modules=core,console,gdb,dumpcore" "$WORK/both.c"
check "modules: [dumpcore, gdb] in the manifest = --with gdb,dumpcore, byte for byte" \
    cmp -s "$WORK/both.c" "$WORK/gdb,dumpcore.c"
check "the filter's reasons name them" \
    bash -c "grep -q 'gdb *packets from the debugger' '$WORK/both.c' && grep -q 'dumpcore *create the core file' '$WORK/both.c' && ! grep -q 'packets from the debugger\|create the core file' '$WORK/plain.c'"
digests=$(grep -h '^digest:' "$WORK"/*.explain | sort -u | wc -l)
check "four shapes, four digests" [ "$digests" -eq 4 ]
"$TG" --cache "$WORK/cache" -o "$WORK/c1" "$WORK/plain.yml"
"$TG" --cache "$WORK/cache" --with gdb -o "$WORK/c2" "$WORK/plain.yml"
check "the cache keeps them apart" [ "$(ls "$WORK/cache/monitors" | wc -l)" -eq 2 ]
check "--with bogus: bad usage (exit 2)" \
    bash -c "'$TG' --with bogus --explain '$WORK/plain.yml' >/dev/null 2>&1; [ \$? -eq 2 ]"

# From the guest's ELF: its TGN1 note carries the modules.
"$TG" --explain "$GUEST" >"$WORK/elf.explain"
check "ELF input: the note's modules" grep -qx "modules: *core console gdb dumpcore" "$WORK/elf.explain"
"$TG" -o "$WORK/both-tender" "$WORK/both.yml"
check "--verify of a monitor with both" "$TG" --verify "$WORK/both-tender"
finish
