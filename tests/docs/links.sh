#!/bin/bash
# links.sh: the documentation holds together. Every relative link in
# README.md and docs/*.md names a file of the tree and, with #anchor, a
# heading of that file (anchors as GitHub makes them); README's two
# commands are the ones CI and the scripts run; README stays short and no
# document cites work items. With arguments (FILE...), checks those files'
# links instead, for the test's own fixtures.
files=("$@")
. "$(dirname "$0")/../lib.sh"

# anchors FILE: the anchor of each heading of FILE, one a line: lower case,
# punctuation dropped, spaces made hyphens, "-N" added to the Nth repeat.
# Headings inside fenced code blocks are not headings.
anchors() {
    awk '/^```/ { fence = !fence; next } !fence && /^#+ / { print }' "$1" |
        sed -E 's/^#+ +//; s/ +#* *$//' |
        tr 'A-Z' 'a-z' |
        LC_ALL=C.UTF-8 sed -E 's/[^a-z0-9 _-]//g; s/ /-/g' |
        awk '{ n = seen[$0]++; print (n ? $0 "-" n : $0) }'
}

# links FILE: each link target of FILE outside code, one a line: inline
# links [text](target) and reference definitions [name]: target.
links() {
    awk '/^```/ { fence = !fence; next } !fence { print }' "$1" |
        sed -E 's/``[^`]*``//g; s/`[^`]*`//g' |
        grep -oE '\]\([^) ]+\)|^\[[^]]+\]: *[^ ]+' |
        sed -E 's/^\]\(//; s/\)$//; s/^\[[^]]+\]: *//'
}

# check_links FILE: every relative link of FILE resolves.
check_links() {
    local file=$1 dir target path anchor bad=0 n=0
    dir=$(dirname "$file")
    while IFS= read -r target; do
        case $target in
        http://* | https://* | mailto:*) continue ;;
        esac
        n=$((n + 1))
        path=${target%%#*}
        anchor=
        [ "$path" != "$target" ] && anchor=${target#*#}
        if [ -z "$path" ]; then
            path=$file
        else
            path=$dir/$path
        fi
        if [ ! -e "$path" ]; then
            echo "  $file: link to $target: no such file"
            bad=1
            continue
        fi
        if [ -n "$anchor" ] && ! anchors "$path" | grep -qxF -- "$anchor"; then
            echo "  $file: link to $target: no heading makes #$anchor"
            bad=1
        fi
    done < <(links "$file")
    check "$file: $n relative links resolve" [ $bad -eq 0 ]
}

if [ ${#files[@]} -gt 0 ]; then
    for f in "${files[@]}"; do check_links "$f"; done
    finish
    exit
fi

cd "$SRCDIR" || exit 1
for f in README.md docs/*.md CHANGELOG.md; do
    check_links "$f"
done

# The checker itself: a broken file link and a broken anchor are caught.
printf '# Top\n## A b: c\n[ok](#a-b-c) [bad](#nowhere) [gone](missing.md)\n' \
    >"$WORK/self.md"
out=$(bash "$0" "$WORK/self.md" 2>&1)
check "the checker reports a missing heading" grep -q 'no heading makes #nowhere' <<<"$out"
check "the checker reports a missing file" grep -q 'missing.md: no such file' <<<"$out"
check "...and passes a good anchor" bash -c '! grep -q "#a-b-c" <<<"$1"' _ "$out"

# README's two commands: the first fenced block, one command a line.
mapfile -t cmds < <(awk '/^```/ { if (fence) exit; fence = 1; next }
    fence { sub(/ *#.*/, ""); if ($0 != "") print }' README.md)
check "README's first block holds two commands" [ ${#cmds[@]} -eq 2 ]
check "README's first command is scripts/hello" [ "${cmds[0]:-}" = scripts/hello ]
check "README's second command is scripts/test" [ "${cmds[1]:-}" = scripts/test ]
for c in "${cmds[@]}"; do
    check "$c is an executable script" [ -x "${c%% *}" ]
done

# .ci/run runs README's second command, with REQUIRE_KVM=1 REQUIRE_ALL=1.
ci_cmd=$(sed -nE 's/^exec +//p' .ci/run | sed -E 's/\b(REQUIRE_KVM|REQUIRE_ALL)=1 +//g')
check ".ci/run execs README's second command ($ci_cmd)" [ "$ci_cmd" = "${cmds[1]:-}" ]
check ".ci/run sets REQUIRE_KVM=1 and REQUIRE_ALL=1" \
    grep -qE '^export REQUIRE_KVM=1 REQUIRE_ALL=1$' .ci/run
# scripts/test runs the whole suite; scripts/hello boots the hello example,
# the guest and monitor the kernel-guests test boots too.
check "scripts/test runs ctest" grep -qE '^ctest ' scripts/test
check "scripts/hello boots examples/hello's guest on its monitor" grep -qF \
    'exec "$BUILD/examples/hello/hello-tender" "$BUILD/examples/hello/hello.hvt"' \
    scripts/hello
check "the suite boots the same hello" grep -qF \
    '"$(guest_of "$BINDIR/examples/hello/hello")"' tests/kernel/guests.sh

# README is short, and no document cites work items or session history.
lines=$(wc -l <README.md)
check "README.md has at most 200 lines ($lines)" [ "$lines" -le 200 ]
# Work items, session history, the design notes outside the repository
# (spelt in pieces, so that this line does not match itself).
work_items='\bissues? #?[0-9]+\b|this ro''und|shared/do''cs'
hits=$(grep -nIiE "$work_items" README.md docs/*.md || true)
[ -n "$hits" ] && echo "$hits"
check "README.md and docs/ cite no work items" [ -z "$hits" ]
finish
