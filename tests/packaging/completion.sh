#!/bin/bash
# completion.sh: bash completion for tender-gen, as `cmake --install`
# installs it (share/bash-completion/completions/tender-gen), sourced in a
# clean bash and asked for COMPREPLY as bash asks: options, --with's
# modules (also after a comma, after '=', and from --datadir's data
# directory), directories for --out-dir, files for INPUT and -o.
. "$(dirname "$0")/../lib.sh"
: "${BINDIR:?BINDIR must name the build tree}"

P=$WORK/prefix
cmake --install "$BINDIR" --prefix "$P" >"$WORK/install.log" 2>&1
COMP=$P/share/bash-completion/completions/tender-gen
check "cmake --install: share/bash-completion/completions/tender-gen" [ -f "$COMP" ]

# A directory to complete in: a manifest, a unikernel, a subdirectory.
D=$WORK/here
mkdir -p "$D/monitors" "$D/mods"
touch "$D/manifest.yml" "$D/main.hvt" "$D/with space.yml"
# A data directory with one more opt-in module (tests/monitor/hello).
DATA=$WORK/data
cp -r "$P/share/tender-gen" "$DATA"
cp -r "$SRCDIR/tests/monitor/hello" "$DATA/modules/hello"

# comp WORD...: COMPREPLY, sorted, one per line, for the command line
# WORD... with the cursor in the last word (bash splits at '=', so
# "--with=d" is passed as "--with" "=" "d").
comp() {
    (cd "$D" && PATH="$P/bin:$PATH" bash --norc --noprofile -c '
        . "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        _tender_gen
        printf "%s\n" "${COMPREPLY[@]}" | sort' bash "$COMP" "$@")
}
# expect WHAT LINES WORD...: the completion of WORD... is exactly LINES.
expect() {
    local what=$1 want=$2 got
    shift 2
    got=$(comp "$@")
    check "$what" [ "$got" = "$want" ]
    [ "$got" = "$want" ] || { echo "  want: $(echo "$want" | tr '\n' ' ')"; echo "  got:  $(echo "$got" | tr '\n' ' ')"; }
}
nl() { printf '%s\n' "$@"; }

check "complete -F _tender_gen tender-gen is set" \
    bash -c ". '$COMP'; complete -p tender-gen | grep -q -- '-F _tender_gen tender-gen\$'"
expect "--em: --emit-c, --emit-note" "$(nl --emit-c --emit-note)" tender-gen --em
expect "--ve: --verify, --verify-all, --version" "$(nl --verify --verify-all --version)" tender-gen --ve
expect "--pru: --prune (from '--prune[=DAYS]')" "--prune" tender-gen --pru
expect "--j: --json (from '--explain [--json]')" "--json" tender-gen --j
# Every long option --help lists, and no other.
want=$("$P/bin/tender-gen" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
expect "--: every option of tender-gen --help" "$want" tender-gen --
expect "--with: the opt-in modules" "$(nl dumpcore gdb trace)" tender-gen --with ""
expect "--with d: dumpcore" "dumpcore" tender-gen --with d
expect "--with gdb,: the modules not named yet" "$(nl gdb,dumpcore gdb,trace)" tender-gen --with gdb,
expect "--with gdb,trace,: the last one" "gdb,trace,dumpcore" tender-gen --with gdb,trace,
expect "--with=: the opt-in modules" "$(nl dumpcore gdb trace)" tender-gen --with =
expect "--with=t: trace" "trace" tender-gen --with = t
expect "--datadir DIR --with h: DIR's own module hello" "hello" \
    tender-gen --datadir "$DATA" --with h
expect "--datadir=DIR --with: DIR's modules" "$(nl dumpcore gdb hello trace)" \
    tender-gen --datadir = "$DATA" --with ""
expect "--out-dir m: directories only" "$(nl mods monitors)" tender-gen --out-dir m
expect "--cache '': directories only" "$(nl mods monitors)" tender-gen --cache ""
expect "INPUT m: files and directories" "$(nl main.hvt manifest.yml mods monitors)" tender-gen m
expect "INPUT after options: files" "$(nl main.hvt manifest.yml mods monitors)" \
    tender-gen --with gdb -o x m
expect "-o m: files" "$(nl main.hvt manifest.yml mods monitors)" tender-gen -o m
expect "INPUT w: a name with a space, whole" "with space.yml" tender-gen w
expect "--memory: nothing to offer" "" tender-gen --memory ""
finish
