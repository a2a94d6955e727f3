#!/bin/bash
# agree.sh: tender-gen and a generated monitor judge unikernel files by one
# checker (modules/core/guest_check.c), so they must agree on every file:
# both accept it, or both refuse it with the same words. Files: every
# defect tests/tools/mkelf makes (with and without devices), a valid file
# cut at many lengths, the same file with bytes of its notes and headers
# changed, the fuzzers' seed guests (the unikernels the build made), and
# the memory sizes the manifest fixtures use, in a TGN1 note (whose verdict
# must also match the manifest's). No guest runs: the monitor is stopped
# right after its checks by an option it does not know.
#
# agree.sh MKELF [TARGET]: TARGET hvt (the default) or spt. For spt the
# files are mkelf's spt unikernels and the build's .spt guests, the hvt
# ok file besides, and the monitor an spt one run with /dev/kvm hidden.
. "$(dirname "$0")/../lib.sh"
MKELF=$1
TARGET=${2:-hvt}
RUN=()
if [ "$TARGET" = spt ]; then
    . "$SRCDIR/tests/spt/spt-lib.sh"
    need_root
    RUN=("${NOKVM[@]}")
    MON=$WORK/agree-tender
    manifest "$WORK/agree.yml" net:service block:storage
    "$TENDER_GEN" --target spt -o "$MON" "$WORK/agree.yml" ||
        fail "tender-gen builds an spt monitor"
    "$MKELF" "$WORK/ok.hvt" >/dev/null
else
    MON=$(monitor_of "$BINDIR/tests/skeleton")
fi
X=$TARGET

# tg_verdict FILE: "accept", or "refuse: WHY" from tender-gen --check, for
# the target the monitor serves. tender-gen knows both targets, so its
# words for a foreign one name both, and a unikernel of the other target
# is refused as --target disagreeing with its note: the monitor's one
# sentence for either is that the file is not for its own target.
tg_verdict() {
    local rc=0 why
    "$TENDER_GEN" --target "$TARGET" --check "$1" >/dev/null 2>"$WORK/tg.err" || rc=$?
    why=$(reason "$1" "$WORK/tg.err")
    if grep -q -- "--target $TARGET, but the unikernel's ABI1 note says" "$WORK/tg.err" ||
        [ "$why" = "executable is not for the solo5-hvt or solo5-spt target" ]; then
        why="executable is not for the solo5-$TARGET target"
    fi
    case $rc in
    0) echo accept ;;
    1) echo "refuse: $why" ;;
    *) echo "crash: exit $rc" ;;
    esac
}

# mon_verdict FILE: the same from the monitor. A file its checks pass
# reaches the option parser, which refuses the unknown option.
mon_verdict() {
    local rc=0 why
    "${RUN[@]}" "$MON" --agree-stop "$1" >/dev/null 2>"$WORK/mon.err" </dev/null || rc=$?
    why=$(reason "$1" "$WORK/mon.err")
    if [ "$rc" -eq 1 ] && [ -n "$why" ]; then
        echo "refuse: $why"
    elif [ "$rc" -eq 1 ] && grep -q -e "invalid option: \`--agree-stop'" \
        -e "does not fit this monitor" "$WORK/mon.err"; then
        echo accept
    else
        echo "unexpected: exit $rc: $(head -c 300 "$WORK/mon.err")"
    fi
}

# reason FILE ERR: WHY from the line "[PROG: ]FILE: error: WHY" in ERR.
reason() {
    awk -v f="$1: error: " 'i = index($0, f) { print substr($0, i + length(f)); exit }' "$2"
}

# agree NAME FILE: both verdicts, compared. A file without the ELF magic
# is a manifest to tender-gen, so only the refusal must agree there.
agree() {
    local tg mon
    tg=$(tg_verdict "$2")
    mon=$(mon_verdict "$2")
    if [ "$tg" = "$mon" ]; then
        pass "$1: both $tg"
    elif [ "$(head -c 4 "$2")" != $'\177ELF' ] &&
        [ "${tg%%:*}" = refuse ] && [ "${mon%%:*}" = refuse ]; then
        pass "$1: not an ELF: both refuse"
    else
        fail "$1: tender-gen: $tg; monitor: $mon"
    fi
}

# Every defect mkelf knows, alone and in a file with devices.
for v in $("$MKELF" --list-variants); do
    "$MKELF" "$WORK/$v.$X" --target="$TARGET" --variant="$v" >/dev/null
    agree "variant $v" "$WORK/$v.$X"
    "$MKELF" "$WORK/$v-devices.$X" --target="$TARGET" --variant="$v" \
        --mem=64M net:service block:storage >/dev/null
    agree "variant $v with devices" "$WORK/$v-devices.$X"
done

# A valid file cut short: the header, the program headers, each note.
"$MKELF" "$WORK/full.$X" --target="$TARGET" --mem=64M net:service \
    block:storage >/dev/null
size=$(stat -c %s "$WORK/full.$X")
for cut in 0 3 4 30 63 64 100 119 120 200 399 4096 8192 8200 8228 8240 \
    $((size - 40)) $((size - 20)) $((size - 1)); do
    [ "$cut" -lt "$size" ] || continue
    head -c "$cut" "$WORK/full.$X" >"$WORK/cut.$X"
    agree "cut at $cut of $size bytes" "$WORK/cut.$X"
done

# The same file with one byte changed, in the ELF header, the program
# headers and the notes (where the rules look), by a fixed sequence.
notes=$(od -A d -t x1 "$WORK/full.$X" | awk '/53 6f 6c 6f 35|54 65 6e 64/ { print $1; exit }')
RANDOM=7
for i in $(seq 1 120); do
    case $((i % 3)) in
    0) off=$((RANDOM % 64)) ;;
    1) off=$((64 + RANDOM % 336)) ;;
    2) off=$((${notes:-4096} - 32 + RANDOM % 400)) ;;
    esac
    cp "$WORK/full.$X" "$WORK/mut.$X"
    printf "$(printf '\\%03o' $((RANDOM % 256)))" |
        dd of="$WORK/mut.$X" bs=1 seek="$off" conv=notrunc status=none
    agree "byte $off changed" "$WORK/mut.$X"
done

# The TGN1 note's module bits: those tender-gen knows are a request to it,
# which a monitor without the modules (every spt monitor) runs anyway; a
# monitor knows the bits tender-gen knows, and refuses others as it does.
for mods in gdb dumpcore gdb,dumpcore; do
    "$MKELF" "$WORK/mods.$X" --target="$TARGET" --modules="$mods" >/dev/null
    agree "TGN1 modules $mods" "$WORK/mods.$X"
done
tgn=$(grep -obUaP 'TenderGen\x00' "$WORK/mods.$X" | head -1 | cut -d: -f1)
printf '\200' | dd of="$WORK/mods.$X" bs=1 seek=$((tgn + 16)) \
    conv=notrunc status=none
agree "TGN1 module bit 0x80" "$WORK/mods.$X"

# The fuzzers' seed guests: every unikernel the build made for the
# target (and, for spt, an hvt file, which both refuse).
[ "$TARGET" = hvt ] || agree "an hvt unikernel" "$WORK/ok.hvt"
n=0
while IFS= read -r f; do
    agree "guest ${f#"$BINDIR"/}" "$f"
    n=$((n + 1))
done < <(find "$BINDIR/tests" "$BINDIR/examples" -maxdepth 2 -name "*.$X" \
    -size -2M | sort)
check "the build made guests to compare ($n)" [ "$n" -gt 0 ]

# The memory sizes of the manifest fixtures: in a TGN1 note, tender-gen
# and the monitor agree; and the note is refused exactly when the manifest
# is (0 is not compared: in a note it means "none given").
sizes=$(find "$SRCDIR"/tests/manifests -type f -name '*.yml' -exec \
    sed -E -n 's/^memory: *"?([0-9]+[KMG])"? *(#.*)?$/\1/p' {} + | sort -u)
check "the manifest fixtures give memory sizes" [ -n "$sizes" ]
for m in $sizes; do
    "$MKELF" "$WORK/mem.$X" --target="$TARGET" --mem="$m" >/dev/null 2>&1 ||
        continue
    agree "TGN1 memory $m" "$WORK/mem.$X"
    [ "${m%[KMG]}" -ne 0 ] || continue
    printf 'version: 1\nmemory: %s\ndevices: []\n' "$m" >"$WORK/mem.yml"
    yml=$(tg_verdict "$WORK/mem.yml")
    elf=$(tg_verdict "$WORK/mem.$X")
    check "memory $m: the manifest and the note both ${yml%%:*}" \
        [ "${yml%%:*}" = "${elf%%:*}" ]
done
finish
