#!/bin/bash
# cache-commands.sh: tender-gen --cache DIR --list [--json], --verify-all
# and --prune[=DAYS] on real caches. Two monitors are built into a cache;
# the list says what each entry is; a cache hit records its last use and
# nothing else about the entry changes; --prune=30 removes the entry not
# used for 40 days and nothing else; an entry built from other module
# sources is not checked, and --prune removes it with another toolchain's
# identity; an entry changed by another user, through an archive that
# root restores over its cache as CI restores caches, is caught by
# --verify-all (exit 1), and one that keeps its owner is refused and kept.
. "$(dirname "$0")/../lib.sh"
[ "$(id -u)" = 0 ] || skip_test "not root: root restores another user's archive"
need_tool setpriv "another user's archive" || skip_test "no setpriv"
need_tool jq "the --list --json checks" || skip_test "no jq"
need_tool readelf "finding a monitor's code" || skip_test "no readelf"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
chmod 0755 "$WORK"
HELLO=$BINDIR/examples/hello/hello.hvt
BLK=$BINDIR/examples/blkstore/blkstore.hvt
C=$WORK/cache
E="tender-gen: error:"

# tg ARGS...: runs tender-gen; stdout in $WORK/out, stderr in $WORK/err,
# exit status in $st.
tg() {
    st=0
    timeout 300 "$TENDER_GEN" "$@" >"$WORK/out" 2>"$WORK/err" || st=$?
}
# A check of several conditions is run with eval, so that all of them count.
said() { grep -qxF -- "$1" "$WORK/$2"; }
usage_refused() {
    tg "${@:2}"
    [ "$st" -eq 2 ] && [ "$(cat "$WORK/err")" = "tender-gen: $1
Try 'tender-gen --help'." ]
}

# Usage: each command needs the cache, takes one command at a time, and
# --json only with --list.
check "--list without --cache: usage error" \
    usage_refused "--list, --verify-all and --prune need --cache DIR" --list
check "--list and --verify-all: one at a time" \
    usage_refused "--list, --verify-all and --prune: one at a time" \
    --cache "$C" --list --verify-all
check "--verify-all --json: refused" \
    usage_refused "--list, --verify-all and --prune take only --cache DIR, --datadir, and --json with --list" \
    --cache "$C" --verify-all --json
check "--prune with an INPUT: refused" \
    usage_refused "--list, --verify-all and --prune take only --cache DIR, --datadir, and --json with --list" \
    --cache "$C" --prune "$HELLO"
tg --cache "$C" --prune=soon
check "--prune=soon: exit 2, one line" eval '[ "$st" -eq 2 ] &&
    [ "$(cat "$WORK/err")" = "tender-gen: --prune=soon: DAYS is a whole number of days, 0 to 36500 (e.g. --prune=30)" ]'
tg --cache "$WORK/none" --list
check "a cache that does not exist: exit 1, named" eval '[ "$st" -eq 1 ] &&
    said "$E $WORK/none: not a cache: No such file or directory" err'
check "... and not created" [ ! -e "$WORK/none" ]

# Two monitors built into the cache; batch mode's report is the reference.
tg --cache "$C" --out-dir "$WORK/o" --json "$HELLO" "$BLK"
cp "$WORK/out" "$WORK/batch.json"
check "two monitors built into the cache" eval '[ "$st" -eq 0 ] &&
    [ "$(ls "$C/monitors" | wc -l)" -eq 2 ]'
key_of() { # the entry whose provenance names the shape of batch result $1
    local shape
    shape=$(jq -r ".monitors[$1].shape" "$WORK/batch.json")
    for k in $(ls "$C/monitors"); do
        grep -qaF "shape: $shape" "$C/monitors/$k" && echo "$k"
    done
}
KH=$(key_of 0)
KB=$(key_of 1)
check "each entry carries its shape's provenance" eval '[ -n "$KH" ] && [ -n "$KB" ] && [ "$KH" != "$KB" ]'

tg --cache "$C" --list --json
cp "$WORK/out" "$WORK/list.json"
check "--list --json: exit 0, two entries" eval '[ "$st" -eq 0 ] &&
    [ "$(jq ".entries | length" "$WORK/list.json")" -eq 2 ]'
entry_is() { # INDEX KEY: list entry INDEX is KEY, as batch and stat(1) say
    local e=".entries[] | select(.key == \"$2\")"
    [ "$(jq -r "$e.shape" "$WORK/list.json")" = "$(jq -r ".monitors[$1].shape" "$WORK/batch.json")" ] &&
        [ "$(jq -r "$e.digest" "$WORK/list.json")" = "$(jq -r ".monitors[$1].digest" "$WORK/batch.json")" ] &&
        [ "$(jq -r "$e.size" "$WORK/list.json")" = "$(stat -c %s "$C/monitors/$2")" ] &&
        [ "$(jq -r "$e.last_use" "$WORK/list.json")" = "$(date -u -d "@$(stat -c %Y "$C/monitors/$2")" +%Y-%m-%dT%H:%M:%SZ)" ] &&
        [ "$(jq -r "$e.version" "$WORK/list.json")" = "$("$TENDER_GEN" --version | cut -d' ' -f2)" ]
}
check "--list --json: hello's entry: shape, digest, size, last use, version" entry_is 0 "$KH"
check "--list --json: blkstore's entry likewise" entry_is 1 "$KB"
tg --cache "$C" --list
check "--list: a header, one line per entry, the total" eval '[ "$st" -eq 0 ] &&
    [ "$(sed -n 1p "$WORK/out")" = "KEY           DIGEST                    SIZE  LAST USE              SHAPE" ] &&
    grep -q "^${KH:0:12}  sha256:[0-9a-f]\{12\}  *[0-9]*  [0-9-]* [0-9:]* UTC  block=0 net=0 modules=core,console$" "$WORK/out" &&
    said "2 entries, $(($(stat -c %s "$C/monitors/$KH") + $(stat -c %s "$C/monitors/$KB"))) bytes" out'

# A hit records its last use: both entries 40 days old, then hello's hit.
touch -d '40 days ago' "$C/monitors/$KH" "$C/monitors/$KB"
cp -p "$C/monitors/$KH" "$WORK/hello-entry"
OLD=$(stat -c %Y "$C/monitors/$KB")
tg --cache "$C" --out-dir "$WORK/o" "$HELLO"
check "a batch run over hello reuses its entry" eval '[ "$st" -eq 0 ] && grep -q "^reused hello" "$WORK/out"'
check "... its last use is now" [ $(($(date +%s) - $(stat -c %Y "$C/monitors/$KH"))) -lt 120 ]
check "... its bytes, owner and mode unchanged" eval 'cmp -s "$C/monitors/$KH" "$WORK/hello-entry" &&
    [ "$(stat -c %u:%a "$C/monitors/$KH")" = "$(stat -c %u:%a "$WORK/hello-entry")" ]'
check "... blkstore's entry keeps its age" [ "$(stat -c %Y "$C/monitors/$KB")" = "$OLD" ]
tg --cache "$C" --list --json
check "... and is listed after hello's (most recent first)" \
    [ "$(jq -r '.entries[0].key' "$WORK/out")" = "$KH" ]

# --prune=30 removes the entry not used for 40 days, its lock, nothing else.
BSIZE=$(stat -c %s "$C/monitors/$KB")
tg --cache "$C" --prune=30
check "--prune=30: exit 0" [ "$st" -eq 0 ]
check "... removes blkstore's entry, named with its shape and last use" \
    said "removed $C/monitors/$KB (block=1 net=0 modules=core,console,block; last used $(date -u -d "@$OLD" '+%Y-%m-%d %H:%M') UTC)" out
check "... and says so in its total" said "1 entry removed ($BSIZE bytes), 1 kept, 0 refused" out
check "... the entry and its lock are gone" eval '[ ! -e "$C/monitors/$KB" ] && [ ! -e "$C/locks/$KB" ]'
check "... hello's entry, lock and the toolchain's identity stay" \
    eval 'cmp -s "$C/monitors/$KH" "$WORK/hello-entry" && [ -e "$C/locks/$KH" ] &&
    [ "$(ls "$C/compilers" | wc -l)" -eq 1 ]'
tg --cache "$C" --prune=30
check "--prune=30 again: nothing removed" eval '[ "$st" -eq 0 ] && said "0 entries removed (0 bytes), 1 kept, 0 refused" out'

# An intact cache verifies: every entry rebuilt and compared.
tg --cache "$C" --out-dir "$WORK/o" "$BLK"
tg --cache "$C" --verify-all
check "--verify-all on an intact cache: exit 0" [ "$st" -eq 0 ]
check "... each entry rebuilt from its provenance, the same bytes" \
    eval 'said "$C/monitors/$KH: ok: rebuilt from its provenance, the same $(stat -c %s "$C/monitors/$KH") bytes" out &&
    said "$C/monitors/$KB: ok: rebuilt from its provenance, the same $(stat -c %s "$C/monitors/$KB") bytes" out'
check "... the toolchain's identity computed afresh" \
    said "$C/compilers/$(ls "$C/compilers"): ok: the toolchain's identity, computed afresh" out
check "... the total" said "2 entries: 2 ok, 0 tampered, 0 damaged, 0 refused, 0 not checked" out

# An entry from other module sources: never handed out here, so not
# checked; --prune removes it, and another toolchain's identity, only.
DATA=$WORK/data
mkdir "$DATA"
cp -r "$SRCDIR/templates" "$SRCDIR/modules" "$SRCDIR/include" "$DATA/"
echo "/* a local change */" >>"$DATA/modules/core/mon_util.c"
TENDER_GEN_DATADIR=$DATA tg --cache "$C" --out-dir "$WORK/o2" "$HELLO"
KS=$(ls "$C/monitors" | grep -v "$KH\|$KB")
check "an entry built from other module sources" eval '[ "$st" -eq 0 ] && [ -n "$KS" ]'
OTHER=$(printf '%064d' 7)
echo "$(printf '%064d' 8)" >"$C/compilers/$OTHER"
tg --cache "$C" --verify-all
check "--verify-all: exit 0 with it" [ "$st" -eq 0 ]
check "... it is not checked, and why" \
    grep -qx "$C/monitors/$KS: not checked: made from other module sources or by another tender-gen (it names tender-gen [0-9.]*; its digest is sha256:[0-9a-f]\{12\}\.\.\., these sources give sha256:[0-9a-f]\{12\}\.\.\.); this tender-gen never hands it out" "$WORK/out"
check "... the total" said "3 entries: 2 ok, 0 tampered, 0 damaged, 0 refused, 1 not checked" out
tg --cache "$C" --prune
check "--prune: exit 0" [ "$st" -eq 0 ]
check "... removes that entry" eval 'grep -q "^removed $C/monitors/$KS (block=0 net=0 modules=core,console; last used " "$WORK/out" &&
    [ ! -e "$C/monitors/$KS" ]'
check "... and the other toolchain's identity" eval 'said "removed $C/compilers/$OTHER (another toolchain'\''s identity)" out &&
    [ ! -e "$C/compilers/$OTHER" ]'
check "... nothing else" eval 'said "1 entry removed ($(stat -c %s "$WORK/o2/hello-tender") bytes), 2 kept, 0 refused" out &&
    [ -e "$C/monitors/$KH" ] && [ -e "$C/monitors/$KB" ] && [ "$(ls "$C/compilers" | wc -l)" -eq 1 ]'

# Another user's change, through an archive root restores: 65534 copies
# hello's entry, flips one byte of its code, keeps its provenance.
EV=$WORK/evil
mkdir "$EV"
chown 65534:65534 "$EV"
TEXT=$(readelf -SW "$C/monitors/$KH" | sed -n 's/^ *\[ *[0-9]*\] \.text  *PROGBITS  *[0-9a-f]*  *\([0-9a-f]*\) .*/\1/p')
AT=$((0x$TEXT + 16))
BYTE=$(od -An -tu1 -j "$AT" -N1 "$C/monitors/$KH" | tr -d ' ')
as_nobody sh -c "mkdir -p '$EV/t/monitors' && cp '$C/monitors/$KH' '$EV/t/monitors/' &&
    printf '\\$(printf %03o $((255 - BYTE)))' | dd of='$EV/t/monitors/$KH' bs=1 seek=$AT conv=notrunc 2>/dev/null &&
    tar -cf '$EV/t.tar' -C '$EV/t' monitors/$KH"
cp -a "$C" "$WORK/intact"
tar -xf "$EV/t.tar" -C "$C" --no-same-owner
check "the restored entry differs from root's in one byte" \
    [ "$(cmp -l "$C/monitors/$KH" "$WORK/intact/monitors/$KH" | wc -l)" -eq 1 ]
tg --cache "$C" --list
check "--list cannot tell: same shape and digest (exit 0)" eval '[ "$st" -eq 0 ] &&
    grep -q "^${KH:0:12} .* block=0 net=0 modules=core,console$" "$WORK/out"'
tg --cache "$C" --verify-all
check "--verify-all: exit 1" [ "$st" -eq 1 ]
check "... the tampered entry named, with where it differs" \
    said "$C/monitors/$KH: tampered: it differs from a rebuild from its provenance with the toolchain of its key (1 byte differs, the first at offset $(printf 0x%x "$AT"); $(stat -c %s "$C/monitors/$KH") bytes here, $(stat -c %s "$C/monitors/$KH") rebuilt)" out
check "... the other entry ok" grep -q "^$C/monitors/$KB: ok: " "$WORK/out"
check "... the total" said "2 entries: 1 ok, 1 tampered, 0 damaged, 0 refused, 0 not checked" out

# The same archive unpacked with its owner: the entry is 65534's.
rm -rf "$C" && cp -a "$WORK/intact" "$C"
tar -xf "$EV/t.tar" -C "$C"
OWNED="$E $C/monitors/$KH: refused: the cache file belongs to another user (uid 65534)"
tg --cache "$C" --verify-all
check "an entry owned by 65534: --verify-all refuses it, exit 1" eval '[ "$st" -eq 1 ] && said "$OWNED" err'
check "... the total counts it" said "2 entries: 1 ok, 0 tampered, 0 damaged, 1 refused, 0 not checked" out
tg --cache "$C" --list
check "... --list leaves it out, exit 1" eval '[ "$st" -eq 1 ] && said "$OWNED" err &&
    ! grep -q "^${KH:0:12}" "$WORK/out" && said "1 entry, $(stat -c %s "$C/monitors/$KB") bytes" out'
tg --cache "$C" --prune=0
check "... --prune=0 keeps it, exit 1" eval '[ "$st" -eq 1 ] && said "$OWNED" err &&
    [ "$(stat -c %u "$C/monitors/$KH")" = 65534 ]'
check "... and removes the rest" eval 'said "1 entry removed ($(stat -c %s "$WORK/intact/monitors/$KB") bytes), 0 kept, 1 refused" out &&
    [ ! -e "$C/monitors/$KB" ]'

# A damaged entry (cut short: no provenance reads back): listed with
# nulls, named by --verify-all (exit 1), removed by --prune.
rm -rf "$C" && cp -a "$WORK/intact" "$C"
head -c 4096 "$WORK/intact/monitors/$KB" >"$C/monitors/$KB"
tg --cache "$C" --list --json
check "a damaged entry: listed with null shape, digest and version, and why" \
    eval '[ "$st" -eq 0 ] && [ "$(jq -c ".entries[] | select(.key == \"$KB\") | [.shape, .digest, .version, .size, (.damaged | length > 0)]" "$WORK/out")" = "[null,null,null,4096,true]" ]'
tg --cache "$C" --verify-all
check "... --verify-all: damaged, exit 1" \
    eval '[ "$st" -eq 1 ] && grep -q "^$C/monitors/$KB: damaged: " "$WORK/out" && said "2 entries: 1 ok, 0 tampered, 1 damaged, 0 refused, 0 not checked" out'
tg --cache "$C" --prune
check "... --prune removes it, and only it" \
    eval '[ "$st" -eq 0 ] && grep -q "^removed $C/monitors/$KB (damaged; last used " "$WORK/out" && [ ! -e "$C/monitors/$KB" ] && [ -e "$C/monitors/$KH" ]'

# An entry whose provenance keeps its digest but names another shape is
# never handed out: a build compiles the entry again.
rm -rf "$C" && cp -a "$WORK/intact" "$C"
sed -i 's/shape: block=0 net=0 /shape: block=0 net=1 /' "$C/monitors/$KH"
tg --cache "$C" --out-dir "$WORK/o3" "$HELLO"
check "an entry naming another shape with hello's digest: built again, not reused" \
    eval '[ "$st" -eq 0 ] && grep -q "^built  hello" "$WORK/out" && cmp -s "$C/monitors/$KH" "$WORK/intact/monitors/$KH"'

# A remembered toolchain identity that lies.
rm -rf "$C" && cp -a "$WORK/intact" "$C"
ID=$(ls "$C/compilers")
echo "$(printf '%064d' 9)" >"$C/compilers/$ID"
tg --cache "$C" --verify-all
check "a remembered identity that is not the toolchain's: tampered, exit 1" eval '[ "$st" -eq 1 ] &&
    grep -qx "$C/compilers/$ID: tampered: it names the toolchain sha256:0\{63\}9, computed afresh it is sha256:[0-9a-f]\{64\}" "$WORK/out"'
check "... the entries still verified against the fresh identity" \
    said "2 entries: 2 ok, 0 tampered, 0 damaged, 0 refused, 0 not checked" out
finish
