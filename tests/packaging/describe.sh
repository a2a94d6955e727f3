#!/bin/bash
# describe.sh: a monitor of either target and a drop-in answer --describe
# with one JSON object on stdout, without a guest and without /dev/kvm (run
# as a user who cannot open it): golden files in describe/ hold each answer
# with its digests, version and paths replaced by placeholders, and the
# real values are checked against what tender-gen says of the same
# monitors (--explain: shape, digest, modules; --print: the device
# counts). A drop-in describes each monitor it may run, hvt or spt, in the
# terms of that monitor's own --describe, and names its monitor directory
# exactly, whatever characters it holds. --version names tender-gen's version on stderr and keeps
# "ABI version 2" on a line of its own, as solo5-hvt prints it. Last, the
# listing docs/dropin.md gives operators (albatross) runs as written.
. "$(dirname "$0")/../lib.sh"
need_tool jq "the JSON checks" || skip_test "no jq"
GOLDEN=$SRCDIR/tests/packaging/describe
VERSION=$("$TENDER_GEN" --version | cut -d' ' -f2)
HELLO=$SRCDIR/examples/hello/manifest.yml
DEV=$SRCDIR/tests/packaging/devguest.yml
chmod 0755 "$WORK"

# as_other CMD...: CMD as user 65534, who has no /dev/kvm, when we can
# change users; else as ourselves.
as_other() {
    if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
        setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
    else
        "$@"
    fi
}
# describe NAME PROGRAM [ARGS...]: PROGRAM's --describe in $WORK/NAME.json,
# stderr in $WORK/NAME.err, exit status in $st.
describe() {
    local name=$1
    shift
    st=0
    as_other timeout 30 "$@" >"$WORK/$name.json" 2>"$WORK/$name.err" || st=$?
}
# golden NAME: $WORK/NAME.json, placeholders in, equals describe/NAME.expected.
golden() {
    sed -E -e 's/sha256:[0-9a-f]{64}/sha256:DIGEST/g' \
        -e "s/\"version\": \"$VERSION\"/\"version\": \"VERSION\"/" \
        -e 's|"monitor_dir": ".*",$|"monitor_dir": "DIR",|' \
        -e 's/monitor-[0-9a-f]{16}-tender/monitor-HEX-tender/' \
        "$WORK/$1.json" >"$WORK/$1.normal"
    diff -u "$GOLDEN/$1.expected" "$WORK/$1.normal"
}
# explained MANIFEST [OPTIONS]: tender-gen's digest for MANIFEST's monitor.
explained() { "$TENDER_GEN" --explain --json "$@" | jq -r .digest; }
# agrees NAME INPUT [OPTIONS]: NAME's answer has the shape, digest and
# modules tender-gen --explain reports for INPUT, and as device limits the
# device counts of --print's shape.
agrees() {
    local name=$1
    shift
    [ "$(jq -c '[.shape, .digest, .modules]' "$WORK/$name.json")" = \
        "$("$TENDER_GEN" --explain --json "$@" | jq -c '[.shape, .digest, .modules]')" ] &&
        [ "$(jq -c -S .device_limits "$WORK/$name.json")" = \
            "$("$TENDER_GEN" --print "$@" | jq -c -S '.shape | del(.target)')" ]
}

[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null ||
    lacking "not root with setpriv: --describe not run as a user without /dev/kvm"

"$TENDER_GEN" -o "$WORK/hello-tender" "$HELLO"
describe hello "$WORK/hello-tender" --describe
check "monitor --describe: exit 0, nothing on stderr" eval '[ "$st" -eq 0 ] && [ ! -s "$WORK/hello.err" ]'
check "... the golden answer (describe/hello.expected)" golden hello
check "... its digest is tender-gen's for hello" \
    [ "$(jq -r .digest "$WORK/hello.json")" = "$(explained "$HELLO")" ]
check "... its version is tender-gen's" [ "$(jq -r .version "$WORK/hello.json")" = "$VERSION" ]
check "... its shape, digest, modules and device limits are tender-gen's" agrees hello "$HELLO"

"$TENDER_GEN" --with gdb,dumpcore -o "$WORK/dev-tender" "$DEV"
describe dev "$WORK/dev-tender" --describe
check "a net and block monitor with gdb and dumpcore: the golden answer" \
    eval '[ "$st" -eq 0 ] && golden dev'
check "... its digest is tender-gen's" \
    [ "$(jq -r .digest "$WORK/dev.json")" = "$(explained "$DEV" --with gdb,dumpcore)" ]
check "... its shape, modules and device limits too" agrees dev "$DEV" --with gdb,dumpcore
describe devk "$WORK/dev-tender" --describe "$SRCDIR/no-such-kernel.hvt"
check "--describe before KERNEL answers, reads no guest" \
    eval '[ "$st" -eq 0 ] && cmp -s "$WORK/dev.json" "$WORK/devk.json" && [ ! -s "$WORK/devk.err" ]'

# A process (spt) monitor answers in the same terms.
"$TENDER_GEN" --target spt -o "$WORK/hello-spt-tender" "$HELLO"
describe hello-spt "$WORK/hello-spt-tender" --describe
check "spt monitor --describe: exit 0, nothing on stderr, the golden answer" \
    eval '[ "$st" -eq 0 ] && [ ! -s "$WORK/hello-spt.err" ] && golden hello-spt'
check "... its shape, digest, modules and device limits are tender-gen's" \
    agrees hello-spt --target spt "$HELLO"
check "... its version is tender-gen's" [ "$(jq -r .version "$WORK/hello-spt.json")" = "$VERSION" ]

# --version: tender-gen's version, then "ABI version 2" alone, on stderr.
st=0
"$WORK/hello-tender" --version >"$WORK/v.out" 2>"$WORK/v.err" || st=$?
check "monitor --version: exit 0, nothing on stdout" eval '[ "$st" -eq 0 ] && [ ! -s "$WORK/v.out" ]'
check "... tender-gen's version, the shape and digest, then ABI version 2" \
    [ "$(cat "$WORK/v.err")" = "tender-gen $VERSION monitor, shape block=0 net=0 modules=core,console, digest $(explained "$HELLO")
ABI version 2" ]

# The drop-in, carrying two monitors.
"$TENDER_GEN" --drop-in "$WORK/solo5-hvt" "$HELLO" "$DEV" >/dev/null
describe dropin "$WORK/solo5-hvt" --describe
check "drop-in --describe: exit 0, the golden answer" eval '[ "$st" -eq 0 ] && golden dropin'
"$TENDER_GEN" -o "$WORK/dev0-tender" "$DEV"
describe dev0 "$WORK/dev0-tender" --describe
same_terms() { # NAME INDEX: monitor NAME's answer is the drop-in's monitors[INDEX]
    [ "$(jq -S 'del(.kind, .generator, .version)' "$WORK/$1.json")" = \
        "$(jq -S ".monitors[$2]" "$WORK/dropin.json")" ]
}
check "... each monitor as that monitor describes itself" eval 'same_terms hello 0 && same_terms dev0 1'
st=0
"$WORK/solo5-hvt" --version >"$WORK/v.out" 2>"$WORK/v.err" || st=$?
check "drop-in --version: tender-gen's version, then ABI version 2" \
    eval '[ "$st" -eq 0 ] && [ ! -s "$WORK/v.out" ] && [ "$(cat "$WORK/v.err")" = "tender-gen $VERSION drop-in, 2 monitors
ABI version 2" ]'

# The drop-in that runs monitor files: each file and its content's digest.
mkdir -m 0755 "$WORK/mon"
"$TENDER_GEN" --drop-in "$WORK/solo5-hvt-files" --monitors "$WORK/mon" "$HELLO" >/dev/null
describe files "$WORK/solo5-hvt-files" --describe
check "drop-in --monitors DIR --describe: exit 0, the golden answer" eval '[ "$st" -eq 0 ] && golden files'
FILE=$(jq -r '.monitors[0].file' "$WORK/files.json")
check "... its file's sha256 is that of the file in DIR" \
    [ "$(jq -r '.monitors[0].file_sha256' "$WORK/files.json")" = "sha256:$(sha256sum "$WORK/mon/$FILE" | cut -d' ' -f1)" ]
check "... and its directory is DIR" [ "$(jq -r .monitor_dir "$WORK/files.json")" = "$WORK/mon" ]

# A drop-in with a monitor of each target, run from a directory whose name
# a C string and a JSON string must both escape: quote, backslash, a
# trigraph, a tab, a letter beyond ASCII.
"$BINDIR/tests/mkelf" "$WORK/hello.spt" --target=spt >/dev/null
ODD=$WORK/$'odd "dir\\??=\t\xc3\xa9'
"$TENDER_GEN" --drop-in "$WORK/solo5-mixed" --monitors "$ODD" "$HELLO" "$WORK/hello.spt" >/dev/null
describe mixed "$WORK/solo5-mixed" --describe
check "a drop-in with an hvt and an spt monitor: exit 0, the golden answer" \
    eval '[ "$st" -eq 0 ] && golden mixed'
check "... its directory, named exactly" [ "$(jq -r .monitor_dir "$WORK/mixed.json")" = "$ODD" ]
same_files() { # NAME INDEX: as same_terms, for a drop-in that runs files
    [ "$(jq -S 'del(.kind, .generator, .version)' "$WORK/$1.json")" = \
        "$(jq -S ".monitors[$2] | del(.file, .file_sha256)" "$WORK/mixed.json")" ]
}
check "... each monitor as that monitor describes itself" eval 'same_files hello 0 && same_files hello-spt 1'

# The listing docs/dropin.md gives for installed tenders, as written there.
mkdir "$WORK/bin"
cp "$WORK/hello-tender" "$WORK/solo5-hvt" "$WORK/bin/"
LISTING=$(sed -n '/^<!-- listing -->$/,/^```$/p' "$SRCDIR/docs/dropin.md" | sed '1,2d;$d')
check "docs/dropin.md has the listing" [ -n "$LISTING" ]
(cd "$WORK/bin" && eval "$LISTING") >"$WORK/listing" 2>&1
check "... it names each tender's kind, target and ABI version" \
    eval '[ "$(cat "$WORK/listing")" = "./solo5-hvt	drop-in	hvt	2
./hello-tender	monitor	hvt	2" ]'
finish
