#!/bin/bash
# loader.sh: the monitor's ELF loader rejects every malformed unikernel that
# tests/tools/mkelf makes, with its own one-line reason and exit status 1,
# before the guest runs; the well-formed one boots.
. "$(dirname "$0")/../lib.sh"
MKELF=$1
MON=$(monitor_of "$BINDIR/tests/skeleton")

# variant | what the monitor's message must contain
while IFS='|' read -r variant expect; do
    [ -n "$variant" ] || continue
    "$MKELF" "$WORK/$variant.hvt" --variant="$variant" >/dev/null
    run_capture "$WORK/out" "$WORK/err" "$MON" --mem=4 "$WORK/$variant.hvt"
    if [ "$status" -eq 1 ] && grep -q -- "$expect" "$WORK/err" &&
        [ "$(wc -l <"$WORK/err")" -eq 1 ]; then
        pass "$variant: exit 1, one line: $expect"
    else
        fail "$variant: exit $status, expected 1 and '$expect'; got: $(cat "$WORK/err")"
    fi
done <<'TABLE'
truncated-header|error: file too short for an ELF header
truncated-phdrs|error: program header table extends beyond the file
bad-magic|error: not an ELF file
elf32|error: not a 64-bit ELF file
big-endian|error: not a little-endian ELF file
wrong-machine|error: not an x86_64 executable
dyn|error: position-independent executable (ET_DYN)
no-phdrs|error: no program headers
empty-note|note does not fall within valid size
short-note|no Solo5 ABI information found in executable
no-abi|no Solo5 ABI information found in executable
abi-wrong-target|executable is not for the solo5-hvt target
abi-wrong-version|executable requests unsupported ABI version 1
abi-descsz-huge|note does not fall within valid size
no-mft|no Solo5 manifest found in executable
mft-descsz-1|note does not fall within valid size
mft-wrong-size|manifest size does not match its entry count
mft-bad-version|manifest is not version 1
mft-too-many|note does not fall within valid size
mft-no-reserved|manifest entry 0: must be the reserved entry
mft-name-unterminated|manifest entry 1: name is not NUL-terminated
mft-attached|manifest entry 1: 'attached' is set in the file
mft-bad-type|manifest entry 1: unknown device type
mft-dup-name|manifest entry [0-9]*: device name is declared more than once
mft-bad-name|manifest entry 1: device name is empty or not alphanumeric
note-offset-beyond-file|phdr\[3\]: PT_NOTE extends beyond the file
tgn-bad-mem|TenderGen note: memory of 3145728 bytes is not a multiple of 2M
segment-overlap|phdr\[1\]: segment overlaps or precedes an earlier one
segment-descending|phdr\[1\]: segment overlaps or precedes an earlier one
segment-rwx|phdr\[0\]: segment is both writable and executable
segment-below-1m|phdr\[0\]: segment starts below 1 MiB
entry-below-1m|entry point outside guest memory
huge-filesz|phdr\[0\]: p_memsz is smaller than p_filesz
TABLE

# A file that is not there, and a directory.
run_capture "$WORK/out" "$WORK/err" "$MON" "$WORK/missing.hvt"
check "missing kernel: exit 1" [ "$status" -eq 1 ]
check "missing kernel: says so" grep -q "could not open: No such file" "$WORK/err"
run_capture "$WORK/out" "$WORK/err" "$MON" "$WORK"
check "directory as kernel: exit 1" [ "$status" -eq 1 ]

# Segments at or above guest memory: a guest linked for 64 MiB, run in 4.
"$MKELF" "$WORK/ok.hvt" --variant=ok >/dev/null
need_kvm
run_capture "$WORK/out" "$WORK/err" "$MON" --mem=4 "$WORK/ok.hvt"
check "well-formed mkelf guest boots and halts 0" [ "$status" -eq 0 ]
finish
