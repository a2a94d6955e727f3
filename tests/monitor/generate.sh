#!/bin/bash
# generate.sh: what tender-gen makes of a manifest. Reordered manifests give
# byte-identical monitor.c; two build directories give identical monitor.c
# and binaries; every shape in the matrix compiles with -Werror into a static
# binary with no interpreter and no NEEDED entry; the banner carries no path
# and no time; the template's placeholders are strict.
. "$(dirname "$0")/../lib.sh"

manifest "$WORK/ab.yml" net:alpha block:beta block:gamma
manifest "$WORK/ba.yml" block:gamma net:other block:beta
"$TENDER_GEN" --emit-c "$WORK/ab.c" "$WORK/ab.yml"
"$TENDER_GEN" --emit-c "$WORK/ba.c" "$WORK/ba.yml"
check "reordered and renamed devices give identical monitor.c" cmp -s "$WORK/ab.c" "$WORK/ba.c"
check "banner has the canonical shape" grep -q "^ \* shape: block=2 net=1 modules=core,console" "$WORK/ab.c"
check "monitor.c names no input file" bash -c "! grep -q 'ab.yml\|$WORK\|$SRCDIR' '$WORK/ab.c'"
check "monitor.c is one file: no project includes left" bash -c "! grep -q '^#include \"' '$WORK/ab.c'"
check "monitor.c has LF line endings and no trailing blanks" \
    bash -c "! grep -q \$'\r\\|[ \t]\$' '$WORK/ab.c'"

# Same input, two output directories, two runs: identical bytes.
mkdir -p "$WORK/d1" "$WORK/d2"
(cd "$WORK/d1" && "$TENDER_GEN" --emit-c m.c -o m "$WORK/ab.yml")
(cd "$WORK/d2" && TMPDIR="$WORK/d2" "$TENDER_GEN" --emit-c m.c -o m "$WORK/ba.yml")
check "two builds: identical monitor.c" cmp -s "$WORK/d1/m.c" "$WORK/d2/m.c"
check "two builds: identical binaries" cmp -s "$WORK/d1/m" "$WORK/d2/m"

# The shape matrix, compiled with -Werror.
devs63=()
for i in $(seq 1 63); do
    if [ $((i % 2)) -eq 0 ]; then devs63+=("net:n$i"); else devs63+=("block:b$i"); fi
done
manifest "$WORK/none.yml"
manifest "$WORK/net1.yml" net:service
manifest "$WORK/blk2.yml" block:disk0 block:disk1
manifest "$WORK/netblk.yml" net:service block:storage
manifest "$WORK/all63.yml" "${devs63[@]}"
for m in none net1 blk2 netblk all63; do
    out="$WORK/$m-tender"
    if TG_EXTRA_CFLAGS="-Werror" "$TENDER_GEN" -o "$out" "$WORK/$m.yml" 2>"$WORK/$m.err"; then
        pass "$m: compiles with -Werror"
    else
        fail "$m: compiles with -Werror"; cat "$WORK/$m.err"
    fi
    check "$m: statically linked" bash -c "file '$out' | grep -q 'statically linked'"
    check "$m: no interpreter, no NEEDED" \
        bash -c "! readelf -ld '$out' | grep -q 'INTERP\|NEEDED'"
    check "$m: --version runs" bash -c "'$out' --version 2>&1 | grep -qx 'ABI version 2'"
    check "$m: --help runs" bash -c "'$out' --help | grep -q '^usage:'"
done
check "63 devices: shape counted" bash -c \
    "'$TENDER_GEN' --explain '$WORK/all63.yml' | grep -q 'block=32 net=31'"

# Default output name: NAME-tender from name:, else the input's base name.
(cd "$WORK" && "$TENDER_GEN" net1.yml)
check "default output is <basename>-tender" [ -x "$WORK/net1-tender" ]

# --depfile lists the template and the module sources read.
"$TENDER_GEN" --emit-c "$WORK/x.c" --depfile "$WORK/x.d" "$WORK/ab.yml"
check "depfile names the output" grep -q "^$WORK/x.c: $WORK/ab.yml" "$WORK/x.d"
check "depfile lists the template" grep -q "templates/monitor.c.in" "$WORK/x.d"
check "depfile lists module sources" grep -q "modules/console/console.c" "$WORK/x.d"
check "depfile lists the module descriptors" grep -q "modules/net/module.yml" "$WORK/x.d"

# --explain reports modules and lines of C.
"$TENDER_GEN" --explain "$WORK/none.yml" >"$WORK/explain.txt"
check "--explain lists modules" grep -q "^modules: *core console$" "$WORK/explain.txt"
check "--explain lists the allowed syscalls" \
    grep -q "^syscalls: *6 allowed: ioctl write clock_gettime epoll_pwait timerfd_settime exit_group$" "$WORK/explain.txt"
lines=$(wc -l <"$WORK/ab.c")
"$TENDER_GEN" --explain --json "$WORK/ab.yml" >"$WORK/explain.json"
check "--explain --json counts the lines of monitor.c" \
    grep -q "\"lines_of_c\": $lines," "$WORK/explain.json"

# Strict placeholders: an unknown one, and one left unused, are errors, and
# nothing is written.
mkdir -p "$WORK/data"
cp -r "$SRCDIR/templates" "$SRCDIR/modules" "$SRCDIR/include" "$WORK/data/"
sed -i 's|/\*@ tables @\*/|/*@ tabels @*/|' "$WORK/data/templates/monitor.c.in"
st=0
TENDER_GEN_DATADIR="$WORK/data" "$TENDER_GEN" --emit-c "$WORK/bad.c" "$WORK/none.yml" \
    2>"$WORK/tmpl.err" || st=$?
check "unknown placeholder fails with status 1" [ "$st" -eq 1 ]
check "unknown placeholder is named with its line" \
    grep -q "templates/monitor.c.in:[0-9]*:1: error: unknown placeholder \"tabels\"" "$WORK/tmpl.err"
check "unused slot is reported" grep -q "placeholder \"tables\" is never used" "$WORK/tmpl.err"
check "no partial output" [ ! -e "$WORK/bad.c" ]

finish
