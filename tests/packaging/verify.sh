#!/bin/bash
# verify.sh: reproducible monitors and tender-gen --verify. One shape built
# in two directories, from YAML and from the guest ELF, gives one sha256;
# --verify accepts a genuine monitor and rejects one with a byte flipped,
# one built from other module sources or by another toolchain, one that is
# not INPUT's, and files that are not monitors.
. "$(dirname "$0")/../lib.sh"

HELLO_YML=$SRCDIR/examples/hello/manifest.yml
HELLO_ELF=$BINDIR/examples/hello/hello.hvt

# verify OUT [ARGS...]: runs tender-gen --verify ARGS; sets $st.
verify() {
    local out=$1
    shift
    st=0
    timeout 60 "$TENDER_GEN" --verify "$@" >"$out" 2>&1 || st=$?
}

# Reproducible: two directories, two temporary dirs, YAML and ELF input.
mkdir -p "$WORK/d1" "$WORK/d2" "$WORK/t2"
(cd "$WORK/d1" && "$TENDER_GEN" -o hello-tender "$HELLO_YML")
(cd "$WORK/d2" && TMPDIR="$WORK/t2" "$TENDER_GEN" -o hello-tender "$HELLO_ELF")
sum1=$(sha256sum <"$WORK/d1/hello-tender")
sum2=$(sha256sum <"$WORK/d2/hello-tender")
check "two builds (YAML, ELF; two directories): one sha256" [ "$sum1" = "$sum2" ]
check "the build tree's hello-tender has that sha256 too" \
    [ "$(sha256sum <"$BINDIR/examples/hello/hello-tender")" = "$sum1" ]

M=$WORK/d1/hello-tender
verify "$WORK/v" "$M"
check "genuine monitor: exit 0" [ "$st" -eq 0 ]
check "genuine monitor: says it matches" grep -q "^$M: matches ([0-9]* bytes, sha256 ${sum1%% *})" "$WORK/v"
check "genuine monitor: shows its shape" grep -q "^  shape:  block=0 net=0 modules=core,console$" "$WORK/v"
verify "$WORK/v" "$M" "$HELLO_ELF"
check "genuine monitor, with its guest as INPUT: exit 0" [ "$st" -eq 0 ]
verify "$WORK/v" "$BINDIR/examples/hello/hello-tender" "$HELLO_YML"
check "the build tree's monitor verifies" [ "$st" -eq 0 ]

# A monitor taken from the cache is the same thing.
"$TENDER_GEN" --out-dir "$WORK/b" --cache "$WORK/cache" "$HELLO_YML" >/dev/null
verify "$WORK/v" "$WORK/b/hello-tender"
check "monitor from the cache verifies" [ "$st" -eq 0 ]

# flip FILE OFFSET OUT: OUT is FILE with the byte at OFFSET inverted.
flip() {
    cp "$1" "$3"
    local b
    b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "\\$(printf '%03o' $((255 - b)))" |
        dd of="$3" bs=1 seek="$2" conv=notrunc status=none
}
size=$(stat -c %s "$M")
for off in $((size / 2)) 200 $((size - 1)); do
    flip "$M" "$off" "$WORK/flipped"
    verify "$WORK/v" "$WORK/flipped"
    check "byte $off flipped: exit 1" [ "$st" -eq 1 ]
    check "byte $off flipped: different bytes, at that offset" \
        grep -q "does not match: same digest, different bytes (1 differ, the first at offset $(printf '0x%x' "$off");" "$WORK/v"
done

# Flips inside the provenance: in the digest, and in the shape.
sec=$(readelf -SW "$M" | sed -n 's/.*\.tender_gen *PROGBITS *[0-9a-f]* \([0-9a-f]*\) .*/\1/p')
text=$(dd if="$M" bs=1 skip=$((16#$sec)) count=200 status=none | tr '\0' '\n')
doff=$(( 16#$sec + $(printf '%s' "$text" | grep -bo 'digest: sha256:' | cut -d: -f1) + 20 ))
flip "$M" "$doff" "$WORK/flipped"
verify "$WORK/v" "$WORK/flipped"
check "digest in the provenance changed: exit 1" [ "$st" -eq 1 ]
check "digest in the provenance changed: refused" grep -q "does not match\|cannot be verified" "$WORK/v"
soff=$(( 16#$sec + $(printf '%s' "$text" | grep -bo 'block=0' | cut -d: -f1) + 6 ))
cp "$M" "$WORK/flipped" && printf 1 | dd of="$WORK/flipped" bs=1 seek="$soff" conv=notrunc status=none
verify "$WORK/v" "$WORK/flipped"
check "shape in the provenance changed: exit 1" [ "$st" -eq 1 ]

# Other module sources: same shape, another digest.
mkdir -p "$WORK/data"
cp -r "$SRCDIR/templates" "$SRCDIR/modules" "$SRCDIR/include" "$WORK/data/"
echo "/* a local change */" >>"$WORK/data/modules/console/console.c"
st=0
TENDER_GEN_DATADIR="$WORK/data" "$TENDER_GEN" --verify "$M" >"$WORK/v" 2>&1 || st=$?
check "changed module source: exit 1" [ "$st" -eq 1 ]
check "changed module source: digest differs, named as such" \
    grep -q "does not match: its digest is sha256:[0-9a-f]*, the current sources give sha256:[0-9a-f]*. Different module or template sources" "$WORK/v"

# Another toolchain (here: other compiler flags) gives other bytes.
st=0
TG_EXTRA_CFLAGS="-fno-inline" "$TENDER_GEN" --verify "$M" >"$WORK/v" 2>&1 || st=$?
check "another toolchain: exit 1" [ "$st" -eq 1 ]
check "another toolchain: same digest, different bytes" \
    grep -q "same digest, different bytes.*a different compiler or C library" "$WORK/v"

# Not INPUT's monitor.
printf 'version: 1\ndevices:\n  - name: disk\n    type: block\n' >"$WORK/blk.yml"
verify "$WORK/v" "$M" "$WORK/blk.yml"
check "monitor of another shape than INPUT's: exit 1" [ "$st" -eq 1 ]
check "monitor of another shape: both shapes named" \
    grep -q 'it is built for shape "block=0 net=0 modules=core,console", .*blk.yml needs "block=1 net=0 ' "$WORK/v"

# Not monitors at all.
verify "$WORK/v" "$HELLO_ELF"
check "an ELF without provenance: exit 1" [ "$st" -eq 1 ]
check "an ELF without provenance: said" grep -q "no .tender_gen section: not a monitor made by tender-gen" "$WORK/v"
verify "$WORK/v" "$HELLO_YML"
check "a text file: exit 1" [ "$st" -eq 1 ]
head -c 4096 "$M" >"$WORK/cut"
verify "$WORK/v" "$WORK/cut"
check "a monitor cut short: exit 1" [ "$st" -eq 1 ]
verify "$WORK/v" "$WORK/nonexistent"
check "a missing file: exit 1" [ "$st" -eq 1 ]

# Usage.
for args in "--verify $M -o x" "--verify $M $HELLO_YML $HELLO_ELF" "--verify $M --out-dir x"; do
    st=0
    # shellcheck disable=SC2086
    "$TENDER_GEN" $args >/dev/null 2>&1 || st=$?
    check "usage error exits 2: $args" [ "$st" -eq 2 ]
done

finish
