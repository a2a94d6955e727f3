#!/bin/bash
# run-elf-tests.sh: tender-gen's ELF front end against crafted unikernels.
# Usage: run-elf-tests.sh TENDER_GEN MKELF WORKDIR
# Every mkelf variant goes through `TENDER_GEN --check`: the valid ones must
# pass, each defect must fail with exit 1 and the error the table below
# expects. Then `TENDER_GEN --print` on valid ELFs must list their devices
# in manifest order (docs/print-json.md). Prints one line per case and a
# final "N passed, N failed"; exits 1 if anything failed.
set -u

if [ $# -ne 3 ]; then
    echo "usage: $0 TENDER_GEN MKELF WORKDIR" >&2
    exit 2
fi
TENDER_GEN=$1
MKELF=$2
WORK=$3
mkdir -p "$WORK" || exit 2

passed=0
failed=0

pass() {
    echo "PASS $1"
    passed=$((passed + 1))
}

fail() {
    echo "FAIL $1: $2"
    failed=$((failed + 1))
}

# Variant -> what `tender-gen --check` must say. "ok" means exit 0; anything
# else is an extended regex that one "FILE: error: ..." line on stderr must
# match, with exit 1. The rules and words are the monitor's too
# (modules/core/guest_check.c; tests/monitor/agree.sh compares them).
declare -A expect=(
    [ok]=ok
    [no-tgn]=ok
    [truncated-header]='file too short for an ELF header'
    [truncated-phdrs]='program header table extends beyond the file'
    [bad-magic]='BAD-MAGIC'
    [elf32]='not a 64-bit ELF file \(EI_CLASS 1, expected 2\)'
    [big-endian]='not a little-endian ELF file \(EI_DATA 2, expected 1\)'
    [wrong-machine]='not an x86_64 executable \(e_machine 183, expected 62\)'
    [dyn]='position-independent executable \(ET_DYN\)'
    [no-phdrs]='no program headers'
    [empty-note]='phdr\[[0-9]+\]: note does not fall within valid size'
    [short-note]='no Solo5 ABI information found'
    [no-abi]='no Solo5 ABI information found'
    [abi-wrong-target]='executable is not for the solo5-hvt or solo5-spt target'
    [abi-wrong-version]='unsupported ABI version 1'
    [abi-descsz-huge]='phdr\[[0-9]+\]: ABI1 note does not fall within valid size'
    [no-mft]='no Solo5 manifest found'
    [mft-descsz-1]='phdr\[[0-9]+\]: MFT1 note does not fall within valid size'
    [mft-wrong-size]='manifest size does not match its entry count'
    [mft-bad-version]='manifest is not version 1'
    [mft-too-many]='phdr\[[0-9]+\]: MFT1 note does not fall within valid size'
    [mft-no-reserved]='manifest entry 0: must be the reserved entry'
    [mft-name-unterminated]='manifest entry 1: name is not NUL-terminated'
    [mft-attached]="manifest entry 1: 'attached' is set"
    [mft-bad-type]='manifest entry 1: unknown device type'
    [mft-dup-name]='manifest entry 3: device name is declared more than once'
    [mft-bad-name]='manifest entry 1: device name is empty or not alphanumeric'
    [note-offset-beyond-file]='phdr\[[0-9]+\]: PT_NOTE extends beyond the file'
    [tgn-bad-mem]='TenderGen note: memory of 3145728 bytes is not a multiple of 2M'
    [segment-overlap]='phdr\[1\]: segment overlaps or precedes an earlier one'
    [segment-descending]='phdr\[1\]: segment overlaps or precedes an earlier one'
    [segment-rwx]='phdr\[0\]: segment is both writable and executable'
    [segment-below-1m]='phdr\[0\]: segment starts below 1 MiB'
    [entry-below-1m]='entry point outside guest memory'
    [huge-filesz]='phdr\[0\]: p_memsz is smaller than p_filesz'
)

# A path as a literal inside an extended regex.
re_quote() {
    printf '%s' "$1" | sed 's/[][\.*^$+?(){}|/]/\\&/g'
}

# check_case NAME FILE EXPECT: runs --check and compares with EXPECT.
check_case() {
    local name=$1 file=$2 want=$3 err rc prefix
    err=$("$TENDER_GEN" --check "$file" 2>&1 >/dev/null)
    rc=$?
    if [ "$want" = ok ]; then
        if [ $rc -eq 0 ]; then pass "$name"; else
            fail "$name" "exit $rc, expected 0: $err"; fi
        return
    fi
    if [ $rc -ne 1 ]; then
        fail "$name" "exit $rc, expected 1: $err"
        return
    fi
    prefix="^$(re_quote "$file")"
    if [ "$want" = BAD-MAGIC ]; then
        # Not ELF by content, so it is read as a manifest: any positioned
        # error will do, as long as it is an error and not a crash.
        want=''
        prefix="$prefix(:[0-9]+:[0-9]+)?"
    fi
    if grep -Eq -- "$prefix: error: .*$want" <<<"$err"; then
        pass "$name"
    else
        fail "$name" "no error matching /$want/ in: $err"
    fi
}

# Every variant mkelf knows must have an expectation here, and back.
variants=$("$MKELF" --list-variants) || {
    fail mkelf "--list-variants failed"
    variants=''
}
for v in $variants; do
    if [ -z "${expect[$v]+set}" ]; then
        fail "check/$v" "variant has no expectation in $0"
        continue
    fi
    f="$WORK/$v.hvt"
    if ! "$MKELF" "$f" --variant="$v" --mem=64M net:service block:storage; then
        fail "check/$v" "mkelf failed"
        continue
    fi
    check_case "check/$v" "$f" "${expect[$v]}"
done
for v in "${!expect[@]}"; do
    grep -qx -- "$v" <<<"$variants" || fail "check/$v" "mkelf lacks variant"
done

# A truncated valid ELF must be refused, never crash (exit 1, not >= 128),
# wherever the cut falls: header, program headers, code, each note.
"$MKELF" "$WORK/full.hvt" --mem=64M net:service block:storage || fail trunc mkelf
size=$(stat -c %s "$WORK/full.hvt")
for cut in 0 3 4 30 63 64 100 119 120 200 399 4096 8192 8200 8228 8240 \
    $((size - 40)) $((size - 20)) $((size - 1)); do
    [ "$cut" -lt "$size" ] || continue
    head -c "$cut" "$WORK/full.hvt" >"$WORK/cut.hvt"
    "$TENDER_GEN" --check "$WORK/cut.hvt" >/dev/null 2>&1
    rc=$?
    if [ $rc -eq 1 ]; then pass "truncated-at/$cut"; else
        fail "truncated-at/$cut" "exit $rc, expected 1"; fi
done

# expected_json NAME MEMORY MODULES [TYPE:NAME ...]: the --print output for
# a device set, in the layout docs/print-json.md fixes. MEMORY is a number
# or null; MODULES a comma-separated list or "".
expected_json() {
    local name=$1 mem=$2 modules=$3 sep i=0 nnet=0 nblock=0 m d
    shift 3
    printf '{\n  "name": "%s",\n  "memory": %s,\n' "$name" "$mem"
    if [ -z "$modules" ]; then
        printf '  "modules": [],\n'
    else
        printf '  "modules": ['
        sep=$'\n'
        for m in ${modules//,/ }; do
            printf '%s    "%s"' "$sep" "$m"
            sep=$',\n'
        done
        printf '\n  ],\n'
    fi
    if [ $# -eq 0 ]; then
        printf '  "devices": [],\n'
    else
        printf '  "devices": ['
        sep=$'\n'
        for d in "$@"; do
            i=$((i + 1))
            printf '%s    {\n      "name": "%s",\n      "type": "%s",\n' \
                "$sep" "${d#*:}" "${d%%:*}"
            printf '      "handle": %d\n    }' $i
            sep=$',\n'
            if [ "${d%%:*}" = net ]; then nnet=$((nnet + 1)); else
                nblock=$((nblock + 1)); fi
        done
        printf '\n  ],\n'
    fi
    printf '  "shape": {\n    "block": %d,\n    "net": %d\n  }\n}\n' \
        $nblock $nnet
}

# print_case NAME MEMORY MODULES [DEVICES...]: builds NAME.hvt with mkelf
# (MEMORY in bytes, or null for none) and diffs --print with the above.
print_case() {
    local name=$1 mem=$2 modules=$3 f rc args=()
    shift 3
    f="$WORK/$name.hvt"
    [ "$mem" = null ] || args+=("--mem=$mem")
    [ -z "$modules" ] || args+=("--modules=$modules")
    if ! "$MKELF" "$f" "${args[@]}" "$@"; then
        fail "print/$name" "mkelf failed"
        return
    fi
    expected_json "$name" "$mem" "$modules" "$@" >"$WORK/$name.expected"
    "$TENDER_GEN" --print "$f" >"$WORK/$name.json" 2>"$WORK/$name.err"
    rc=$?
    if [ $rc -ne 0 ]; then
        fail "print/$name" "exit $rc: $(cat "$WORK/$name.err")"
    elif diff -u "$WORK/$name.expected" "$WORK/$name.json" \
        >"$WORK/$name.diff"; then
        pass "print/$name"
    else
        fail "print/$name" "output differs:"$'\n'"$(cat "$WORK/$name.diff")"
    fi
}

print_case no-devices null ""
print_case net-block 67108864 gdb net:service block:storage
print_case block-net-modules 4294967296 gdb,dumpcore block:disk0 net:uplink \
    block:disk1
many=()
for i in $(seq 0 62); do
    if [ $((i % 3)) -eq 0 ]; then many+=("net:n$i"); else
        many+=("block:b$i"); fi
done
print_case max-devices 2097152 "" "${many[@]}"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
