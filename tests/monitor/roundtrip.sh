#!/bin/bash
# roundtrip.sh: YAML -> --emit-note -> a linked unikernel ELF -> tender-gen
# reads the ELF back: the same devices in the same order, the same memory,
# and the same monitor as from the YAML.
. "$(dirname "$0")/../lib.sh"

link_guest() { # NOTE.c OUT.hvt
    clang -ffreestanding -fno-pie -mno-sse -mno-red-zone -nostdlib -static \
        -fuse-ld=lld -Wl,-T,"$SRCDIR/tests/guests/raw.ld" \
        "$SRCDIR/tests/guests/skeleton.S" "$1" -o "$2"
}

roundtrip() { # NAME: $WORK/NAME.yml must exist
    local n=$1
    "$TENDER_GEN" --emit-note "$WORK/$n.note.c" "$WORK/$n.yml" || { fail "$n: emit-note"; return; }
    link_guest "$WORK/$n.note.c" "$WORK/$n.hvt" || { fail "$n: link"; return; }
    "$TENDER_GEN" --print "$WORK/$n.yml" | grep -v '"name": "'"$n"'"' >"$WORK/$n.yml.json"
    "$TENDER_GEN" --print "$WORK/$n.hvt" | grep -v '"name": "'"$n"'"' >"$WORK/$n.elf.json"
    if diff -u "$WORK/$n.yml.json" "$WORK/$n.elf.json"; then
        pass "$n: --print of the ELF equals --print of the YAML"
    else
        fail "$n: --print of the ELF equals --print of the YAML"
    fi
    "$TENDER_GEN" --emit-c "$WORK/$n.yml.c" "$WORK/$n.yml"
    "$TENDER_GEN" --emit-c "$WORK/$n.elf.c" "$WORK/$n.hvt"
    check "$n: YAML and ELF give the same monitor.c" cmp -s "$WORK/$n.yml.c" "$WORK/$n.elf.c"
}

printf 'version: 1\nname: empty\n' >"$WORK/empty.yml"
roundtrip empty

cat >"$WORK/mixed.yml" <<'YML'
version: 1
name: mixed
memory: 64M
devices:
  - {name: storage, type: block}
  - {name: service, type: net}
  - {name: backup, type: BLOCK_BASIC}
YML
roundtrip mixed
check "mixed: devices keep manifest order in the ELF" bash -c \
    "grep -o '\"name\": \"[a-z]*\"' '$WORK/mixed.elf.json' | tr '\n' ' ' | grep -q 'storage.*service.*backup'"
check "mixed: memory survives in the TGN1 note" grep -q '"memory": 67108864' "$WORK/mixed.elf.json"

{ echo "version: 1"; echo "name: max"; echo "devices:"
  for i in $(seq 1 63); do echo "  - {name: dev$i, type: block}"; done; } >"$WORK/max.yml"
roundtrip max

# A Solo5 manifest.json goes through unchanged.
cat >"$WORK/solo5.yml" <<'JSON'
{ "type": "solo5.manifest", "version": 1,
  "devices": [ { "name": "service0", "type": "NET_BASIC" },
               { "name": "storage", "type": "BLOCK_BASIC" } ] }
JSON
roundtrip solo5

finish
