#!/bin/bash
# format.sh: every C file of ours is formatted as .clang-format says
# (clang-format 14). Prints the files that are not, with the diff.
. "$(dirname "$0")/lib.sh"
cd "$SRCDIR"
command -v clang-format >/dev/null || { fail "clang-format not installed"; finish; exit; }
while IFS= read -r f; do
    [ -f "$f" ] || continue # deleted in the working tree, not yet in git
    if clang-format --style=file "$f" | diff -u "$f" - >"$WORK/diff"; then
        passed=$((passed + 1))
    else
        fail "$f is not clang-formatted:"; head -20 "$WORK/diff"
    fi
done < <(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build*')
finish
