#!/bin/bash
# messages.sh: the exact messages for what users mistype, or ask of a
# monitor that lacks it. tender-gen: an unknown option or module names the
# nearest known one (exit 2). A monitor: an option of a module it was built
# without names the module and the tender-gen command that builds a
# monitor with it; an option of a device type it has none of says the
# manifest declares none; a misspelt option names the one meant (exit 1,
# before any guest runs). --explain --json gives null sizes when nothing
# was compiled. The drop-in: every line it and the monitor it runs write
# begins with the name it was run as. The manifest's own messages are the
# golden files of tests/manifests.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/option-cases.sh"
: "${BINDIR:?BINDIR must name the build tree}"
TG=$TENDER_GEN
GUEST=$BINDIR/tests/exit_status.hvt
BIG=$BINDIR/tests/blockwaiter.hvt


# spoken_by NAME: every line of the last stderr begins with "NAME: ".
spoken_by() {
    [ -s "$WORK/err" ] && ! grep -qv "^$1: " "$WORK/err"
}

printf 'version: 1\nname: plain\n' >"$WORK/plain.yml"
try="Try 'tender-gen --help'."

# ---- tender-gen's command line ----
said "tender-gen: misspelt option, the one meant" 2 \
    "tender-gen: unknown option '--explian'; did you mean '--explain'?
$try" "$TG" --explian "$WORK/plain.yml"
said "tender-gen: swapped letters" 2 \
    "tender-gen: unknown option '--dorp-in'; did you mean '--drop-in'?
$try" "$TG" --dorp-in=x "$WORK/plain.yml"
said "tender-gen: nothing near" 2 \
    "tender-gen: unknown option '--frobnicate'
$try" "$TG" --frobnicate "$WORK/plain.yml"
said "tender-gen: ambiguous abbreviation" 2 \
    "tender-gen: option '--e' is ambiguous
$try" "$TG" --e "$WORK/plain.yml"
said "tender-gen: a value where none is taken" 2 \
    "tender-gen: option '--explain' takes no value
$try" "$TG" --explain=yes "$WORK/plain.yml"
said "tender-gen: a value missing" 2 \
    "tender-gen: option '--with' needs a value
$try" "$TG" "$WORK/plain.yml" --with
said "tender-gen: --with, misspelt module" 2 \
    "tender-gen: unknown module 'gbd' in --with; did you mean 'gdb'? (known: gdb, dumpcore, trace)" \
    "$TG" --with gbd --check "$WORK/plain.yml"
said "tender-gen: --with, unknown module" 2 \
    "tender-gen: unknown module 'bogus' in --with (known: gdb, dumpcore, trace)" \
    "$TG" --with bogus --check "$WORK/plain.yml"

# ---- --explain --json: null sizes without a compiled monitor ----
"$TG" --explain --json "$WORK/plain.yml" >"$WORK/x.json"
check "--explain --json without -o: file_size is null" grep -qx '  "file_size": null,' "$WORK/x.json"
check "--explain --json without -o: text_size is null" grep -qx '  "text_size": null' "$WORK/x.json"
check "--explain --json without -o: no -1 anywhere" bash -c "! grep -q -- '-1' '$WORK/x.json'"
"$TG" --explain --json -o "$WORK/x-tender" "$WORK/plain.yml" >"$WORK/xo.json"
check "--explain --json -o: sizes are numbers" \
    bash -c "grep -Eqx '  \"file_size\": [1-9][0-9]*,' '$WORK/xo.json' &&
             grep -Eqx '  \"text_size\": [1-9][0-9]*' '$WORK/xo.json'"
if need_tool python3 "the JSON parse check"; then
    check "--explain --json without -o parses, sizes null" python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d['file_size'] is None and d['text_size'] is None else 1)" "$WORK/x.json"
fi

# ---- a monitor's options ----
"$TG" -o "$WORK/plain-tender" "$GUEST"
"$TG" --with dumpcore -o "$WORK/dc-tender" "$GUEST"
P=$WORK/plain-tender
NODEV="block=0 net=0 modules=core,console"
for opt in --gdb --gdb-tcp=0 --gdb=unix:$WORK/s; do
    said "monitor without gdb: $opt names the module and the command" 1 \
        "plain-tender: $opt needs the gdb module, which this monitor was built without; build one with: tender-gen --with gdb $GUEST" \
        "$P" "$opt" "$GUEST"
done
said "monitor without dumpcore: --dumpcore=DIR" 1 \
    "plain-tender: --dumpcore=$WORK needs the dumpcore module, which this monitor was built without; build one with: tender-gen --with dumpcore $GUEST" \
    "$P" --dumpcore="$WORK" "$GUEST"
said "monitor with dumpcore, without gdb: the command keeps dumpcore" 1 \
    "dc-tender: --gdb needs the gdb module, which this monitor was built without; build one with: tender-gen --with dumpcore,gdb $GUEST" \
    "$WORK/dc-tender" --gdb "$GUEST"
said "monitor with dumpcore: its malformed option is only invalid" 1 \
    "dc-tender: invalid option: \`--dumpcore' (see $WORK/dc-tender --help)" \
    "$WORK/dc-tender" --dumpcore "$GUEST"
option_cases "$P" "$NODEV" "$GUEST"
said "monitor: misspelt module option" 1 \
    "plain-tender: invalid option: \`--gbd'; did you mean --gdb? (see $P --help)" \
    "$P" --gbd "$GUEST"

# ---- the drop-in's name on every line ----
mkdir -p "$WORK/bin" "$WORK/mons"
"$TG" --drop-in "$WORK/bin/solo5-hvt" "$GUEST" >/dev/null
"$TG" --drop-in "$WORK/bin/files" --monitors "$WORK/mons" "$GUEST" >/dev/null
ln -s solo5-hvt "$WORK/bin/my-tender.2"
ln -s files "$WORK/bin/my-files"
D=$WORK/bin/my-tender.2
printf 'hello' >"$WORK/text"
said "drop-in: no KERNEL" 1 \
    "my-tender.2: missing KERNEL operand (see $D --help)" "$D" --mem=32
said "drop-in: KERNEL missing" 1 \
    "my-tender.2: $WORK/none: could not open: No such file or directory" "$D" "$WORK/none"
said "drop-in: KERNEL not an ELF" 1 \
    "my-tender.2: $WORK/text: error: not an ELF file (bad magic)" "$D" "$WORK/text"
said "drop-in: a shape it does not carry" 1 \
    "my-tender.2: refusing $BIG: shape 'block=2 net=0 modules=core,console,block' is not in this drop-in; rebuild it with: tender-gen --drop-in FILE INPUT... $BIG" \
    "$D" "$BIG"
"$D" --gdb "$GUEST" >/dev/null 2>"$WORK/err"
check "drop-in: the monitor it runs refuses an option under its name" \
    grep -qx "my-tender.2: --gdb needs the gdb module, which this monitor was built without; build one with: tender-gen --with gdb $GUEST" "$WORK/err"
check "drop-in: the audit line and the monitor's, both its name" spoken_by my-tender.2
bash -c 'exec -a "" "$0" --gdb "$1"' "$D" "$GUEST" >/dev/null 2>"$WORK/err"
check "drop-in run with an empty name: every line says solo5-hvt" spoken_by solo5-hvt
chmod 0777 "$WORK/mons"
said "drop-in running files: a directory others may write" 1 \
    "my-files: refusing monitor directory $WORK/mons: it is writable by group and others (mode 0777)" \
    "$WORK/bin/my-files" "$GUEST"
chmod 0755 "$WORK/mons"
"$WORK/bin/my-files" --gdb "$GUEST" >/dev/null 2>"$WORK/err"
check "drop-in running files: the monitor file's refusal, under its name" \
    grep -qx "my-files: --gdb needs the gdb module, which this monitor was built without; build one with: tender-gen --with gdb $GUEST" "$WORK/err"
check "drop-in running files: every line its name" spoken_by my-files
mon=$(ls "$WORK/mons")
chmod u+w "$WORK/mons/$mon"
printf 'x' >>"$WORK/mons/$mon"
"$WORK/bin/my-files" "$GUEST" >/dev/null 2>"$WORK/err"
check "drop-in running files: a changed monitor file refused, under its name" \
    bash -c "grep -q '^my-files: refusing monitor $WORK/mons/$mon: its sha256 is ' '$WORK/err'"
check "drop-in running files: that refusal is one line" [ "$(wc -l <"$WORK/err")" -eq 1 ]

finish
