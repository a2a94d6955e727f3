#!/usr/bin/env bash
# run-manifest-tests.sh: runs `tender-gen --check` on every manifest fixture.
#
# Usage: run-manifest-tests.sh TENDER_GEN_BINARY
#
# good/CASE.*: must exit 0 with nothing on stderr, and `tender-gen --print`
# must print, byte for byte, good/CASE.expected: every parsed value (name,
# memory, modules, each device's name, type and handle, the shape).
# bad/CASE.*: must exit 1 with stderr equal, byte for byte, to bad/CASE.expected.
# Each case runs from inside its folder with the bare file name, so the
# expected messages read "CASE.yml:LINE:COL: error: ...".
set -u

if [ $# -ne 1 ]; then
    echo "usage: $0 TENDER_GEN_BINARY" >&2
    exit 2
fi
case $1 in
/*) tender_gen=$1 ;;
*) tender_gen=$PWD/$1 ;;
esac
if [ ! -x "$tender_gen" ]; then
    echo "$0: $1: not an executable" >&2
    exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
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

# Inputs in a folder: the manifests (.yml, .yaml, .json) and what poses as
# a unikernel (.hvt), not .expected.
inputs() {
    local f

    for f in "$1"/*; do
        case $f in
        *.yml | *.yaml | *.json | *.hvt) echo "${f##*/}" ;;
        esac
    done
}

run_good() {
    local f=$1 rc

    (cd "$here/good" && "$tender_gen" --check "$f") >/dev/null 2>"$tmp/err"
    rc=$?
    if [ $rc -ne 0 ]; then
        fail "good/$f" "exit status $rc, expected 0"
        sed 's/^/    /' "$tmp/err"
    elif [ -s "$tmp/err" ]; then
        fail "good/$f" "unexpected output on stderr"
        sed 's/^/    /' "$tmp/err"
    elif run_print "$f"; then
        pass "good/$f"
    fi
}

# run_print CASE.EXT: --print's JSON equals good/CASE.expected; else fails.
run_print() {
    local f=$1 expected=$here/good/${1%.*}.expected

    if [ ! -f "$expected" ]; then
        fail "good/$f" "no ${expected##*/}"
        return 1
    fi
    if ! (cd "$here/good" && "$tender_gen" --print "$f") >"$tmp/out" 2>"$tmp/err"; then
        fail "good/$f" "--print failed"
        sed 's/^/    /' "$tmp/err"
        return 1
    fi
    if ! diff -u "$expected" "$tmp/out" >"$tmp/diff"; then
        fail "good/$f" "--print differs from ${expected##*/}"
        sed 's/^/    /' "$tmp/diff"
        return 1
    fi
}

run_bad() {
    local f=$1 expected rc

    expected=$here/bad/${f%.*}.expected
    if [ ! -f "$expected" ]; then
        fail "bad/$f" "no ${expected##*/}"
        return
    fi
    (cd "$here/bad" && "$tender_gen" --check "$f") >/dev/null 2>"$tmp/err"
    rc=$?
    if [ $rc -ne 1 ]; then
        fail "bad/$f" "exit status $rc, expected 1"
        sed 's/^/    /' "$tmp/err"
    elif ! diff -u "$expected" "$tmp/err" >"$tmp/diff"; then
        fail "bad/$f" "stderr differs from ${expected##*/}"
        sed 's/^/    /' "$tmp/diff"
    else
        pass "bad/$f"
    fi
}

for f in $(inputs "$here/good"); do
    run_good "$f"
done
for f in $(inputs "$here/bad"); do
    run_bad "$f"
done

echo "$passed passed, $failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]
