#!/bin/bash
# man.sh: the man pages (docs/man/). Each passes mandoc's lint and groff's
# warnings; tender-gen(1) names every option and opt-in module
# `tender-gen --help` lists and every variable tender-gen reads, with
# tender-gen's version in its title line; tender-gen-monitor(1) names every
# option a monitor with every module lists in its --help, and the drop-in's.
# `cmake --install` puts them, compressed, where man finds them.
. "$(dirname "$0")/../lib.sh"
: "${BINDIR:?BINDIR must name the build tree}"

MAN=$SRCDIR/docs/man
PAGES="tender-gen.1 tender-gen-monitor.1"

if need_tool mandoc "mandoc's lint"; then
    for p in $PAGES; do
        st=0
        mandoc -T lint -W style "$MAN/$p" >"$WORK/lint" 2>&1 || st=$?
        check "$p: mandoc -T lint -W style: clean" bash -c "[ $st -eq 0 ] && [ ! -s '$WORK/lint' ]"
        [ -s "$WORK/lint" ] && cat "$WORK/lint"
    done
fi
if need_tool groff "groff's warnings"; then
    for p in $PAGES; do
        groff -man -ww -z "$MAN/$p" >"$WORK/groff" 2>&1
        check "$p: groff -man -ww: no warning" bash -c "[ ! -s '$WORK/groff' ]"
        [ -s "$WORK/groff" ] && cat "$WORK/groff"
    done
fi

# render PAGE: the page as plain text, unhyphenated, in long lines.
render() { groff -man -rHY=0 -rLL=200n -T utf8 -P -cbou "$MAN/$1" 2>/dev/null; }
command -v groff >/dev/null || skip_test "groff is missing: the pages cannot be read"
render tender-gen.1 >"$WORK/tg.txt"
render tender-gen-monitor.1 >"$WORK/mon.txt"

version=$("$TENDER_GEN" --version | sed 's/^tender-gen //')
for p in $PAGES; do
    check "$p: its title line gives tender-gen's version ($version)" \
        grep -q "^\.TH .* \"tender-gen $version\" " "$MAN/$p"
done

# mentions FILE WORD: WORD appears in FILE, whole.
mentions() { grep -qF -- "$2" "$1"; }
"$TENDER_GEN" --help >"$WORK/help"
grep -o -- ' -o \|--[a-z][a-z-]*' "$WORK/help" | tr -d ' ' | sort -u >"$WORK/options"
check "tender-gen --help lists options (at least 15)" [ "$(wc -l <"$WORK/options")" -ge 15 ]
while read -r opt; do
    check "tender-gen(1) names $opt" mentions "$WORK/tg.txt" "$opt"
done <"$WORK/options"
sed -n '/^Opt-in modules/,$p' "$WORK/help" | sed -n 's/^  \([a-z][a-z0-9_-]*\) .*/\1/p' >"$WORK/modules"
check "tender-gen --help lists the opt-in modules" [ -s "$WORK/modules" ]
while read -r m; do
    check "tender-gen(1) names the opt-in module $m" mentions "$WORK/tg.txt" "$m"
done <"$WORK/modules"
# The variables tender-gen reads (TENDER_EXEC_BUILD and TENDER_GEN_CACHE
# only to refuse them: exec.c, docs/dropin.md).
grep -ho 'getenv("[A-Z_]*")\|setting("[A-Z_]*"' "$SRCDIR"/tender-gen/*.c |
    sed 's/.*("\([A-Z_]*\)".*/\1/' |
    grep -vx 'PATH\|TENDER_EXEC_BUILD\|TENDER_GEN_CACHE' | sort -u >"$WORK/vars"
while read -r v; do
    check "tender-gen(1) ENVIRONMENT names $v" mentions "$WORK/tg.txt" "$v"
done <"$WORK/vars"
for s in "EXIT STATUS" "0      Success" "1      Bad input" "2      Bad usage"; do
    check "tender-gen(1) has \"$s\"" mentions "$WORK/tg.txt" "$s"
done

# A monitor with every module: net, block and all the opt-in ones.
manifest "$WORK/full.yml" net:service block:storage
with=$(paste -sd, "$WORK/modules")
st=0
"$TENDER_GEN" --with "$with" -o "$WORK/full-tender" "$WORK/full.yml" 2>"$WORK/err" || st=$?
check "a monitor with every module builds (--with $with)" [ "$st" -eq 0 ]
"$WORK/full-tender" --help >"$WORK/mhelp" 2>&1
"$TENDER_GEN" --drop-in "$WORK/solo5-hvt" "$WORK/full.yml" >/dev/null 2>&1 &&
    "$WORK/solo5-hvt" --help >>"$WORK/mhelp" 2>&1
# Each option as far as its first '=' or ':' (--net:NAME=IFACE: --net:).
grep -o -- '--[a-z][a-z-]*[=:]\?' "$WORK/mhelp" | sort -u >"$WORK/moptions"
check "the monitors' --help list options (at least 12)" [ "$(wc -l <"$WORK/moptions")" -ge 12 ]
while read -r opt; do
    check "tender-gen-monitor(1) names $opt" mentions "$WORK/mon.txt" "$opt"
done <"$WORK/moptions"
for s in "255" "ABI version 2" "/dev/kvm" "THE DROP-IN" "solo5-hvt.2"; do
    check "tender-gen-monitor(1) has \"$s\"" mentions "$WORK/mon.txt" "$s"
done

# Installed: compressed, under share/man/man1, found by man.
P=$WORK/prefix
cmake --install "$BINDIR" --prefix "$P" >"$WORK/install.log" 2>&1
for p in $PAGES; do
    check "cmake --install: share/man/man1/$p.gz, the page compressed" \
        bash -c "gzip -dc '$P/share/man/man1/$p.gz' | cmp -s - '$MAN/$p'"
done
if need_tool man "man -l and man -w"; then
    for p in $PAGES; do
        name=${p%.1}
        check "man -w finds $name(1) in the prefix" \
            bash -c "[ \"\$(MANPATH='$P/share/man' man -w '$name')\" = '$P/share/man/man1/$p.gz' ]"
        MANWIDTH=80 man -l "$P/share/man/man1/$p.gz" >"$WORK/rendered" 2>"$WORK/man.err"
        check "man -l renders $name(1)" bash -c "grep -q '^NAME' '$WORK/rendered' && grep -q '^SEE ALSO' '$WORK/rendered'"
    done
fi
finish
