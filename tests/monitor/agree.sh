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
. "$(dirname "$0")/../lib.sh"
MKELF=$1
MON=$(monitor_of "$BINDIR/tests/skeleton")

# tg_verdict FILE: "accept", or "refuse: WHY" from tender-gen --check, for
# the hvt target the monitor serves. tender-gen knows both targets, so its
# words for a foreign one name both, and an spt unikernel is refused as
# --target disagreeing with its note: the monitor's one sentence for either
# is that the file is not for its own target.
tg_verdict() {
    local rc=0 why
    "$TENDER_GEN" --target hvt --check "$1" >/dev/null 2>"$WORK/tg.err" || rc=$?
    why=$(reason "$1" "$WORK/tg.err")
    if grep -q -- "--target hvt, but the unikernel's ABI1 note says" "$WORK/tg.err" ||
        [ "$why" = "executable is not for the solo5-hvt or solo5-spt target" ]; then
        why="executable is not for the solo5-hvt target"
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
    "$MON" --agree-stop "$1" >/dev/null 2>"$WORK/mon.err" </dev/null || rc=$?
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
    "$MKELF" "$WORK/$v.hvt" --variant="$v" >/dev/null
    agree "variant $v" "$WORK/$v.hvt"
    "$MKELF" "$WORK/$v-devices.hvt" --variant="$v" --mem=64M \
        net:service block:storage >/dev/null
    agree "variant $v with devices" "$WORK/$v-devices.hvt"
done

# A valid file cut short: the header, the program headers, each note.
"$MKELF" "$WORK/full.hvt" --mem=64M net:service block:storage >/dev/null
size=$(stat -c %s "$WORK/full.hvt")
for cut in 0 3 4 30 63 64 100 119 120 200 399 4096 8192 8200 8228 8240 \
    $((size - 40)) $((size - 20)) $((size - 1)); do
    [ "$cut" -lt "$size" ] || continue
    head -c "$cut" "$WORK/full.hvt" >"$WORK/cut.hvt"
    agree "cut at $cut of $size bytes" "$WORK/cut.hvt"
done

# The same file with one byte changed, in the ELF header, the program
# headers and the notes (where the rules look), by a fixed sequence.
notes=$(od -A d -t x1 "$WORK/full.hvt" | awk '/53 6f 6c 6f 35|54 65 6e 64/ { print $1; exit }')
RANDOM=7
for i in $(seq 1 120); do
    case $((i % 3)) in
    0) off=$((RANDOM % 64)) ;;
    1) off=$((64 + RANDOM % 336)) ;;
    2) off=$((${notes:-4096} - 32 + RANDOM % 400)) ;;
    esac
    cp "$WORK/full.hvt" "$WORK/mut.hvt"
    printf "$(printf '\\%03o' $((RANDOM % 256)))" |
        dd of="$WORK/mut.hvt" bs=1 seek="$off" conv=notrunc status=none
    agree "byte $off changed" "$WORK/mut.hvt"
done

# The fuzzers' seed guests: every unikernel the build made.
n=0
while IFS= read -r f; do
    agree "guest ${f#"$BINDIR"/}" "$f"
    n=$((n + 1))
done < <(find "$BINDIR/tests" "$BINDIR/examples" -maxdepth 2 -name '*.hvt' \
    -size -2M | sort)
check "the build made guests to compare ($n)" [ "$n" -gt 0 ]

# The memory sizes of the manifest fixtures: in a TGN1 note, tender-gen
# and the monitor agree; and the note is refused exactly when the manifest
# is (0 is not compared: in a note it means "none given").
sizes=$(find "$SRCDIR"/tests/manifests -type f -name '*.yml' -exec \
    sed -E -n 's/^memory: *"?([0-9]+[KMG])"? *(#.*)?$/\1/p' {} + | sort -u)
check "the manifest fixtures give memory sizes" [ -n "$sizes" ]
for m in $sizes; do
    "$MKELF" "$WORK/mem.hvt" --mem="$m" >/dev/null 2>&1 || continue
    agree "TGN1 memory $m" "$WORK/mem.hvt"
    [ "${m%[KMG]}" -ne 0 ] || continue
    printf 'version: 1\nmemory: %s\ndevices: []\n' "$m" >"$WORK/mem.yml"
    yml=$(tg_verdict "$WORK/mem.yml")
    elf=$(tg_verdict "$WORK/mem.hvt")
    check "memory $m: the manifest and the note both ${yml%%:*}" \
        [ "${yml%%:*}" = "${elf%%:*}" ]
done
finish
