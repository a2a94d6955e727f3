#!/bin/bash
# pipeline.sh: what a CI job runs to publish monitors. For each service
# (a unikernel ELF or a manifest) it builds the monitor through tender-gen's
# cache, checks it against a fresh build (--verify), and publishes into
# OUT_DIR: NAME-tender, NAME-tender.sha256, NAME-tender.explain.json
# (modules, lines of C, sizes, hypercalls, syscalls) and SHA256SUMS for all.
#
# usage: pipeline.sh [--no-verify] OUT_DIR SERVICE...
# Environment: TENDER_GEN (default: tender-gen on PATH), TENDER_GEN_CACHE
# (default: OUT_DIR/../tender-cache; keep it between CI runs, e.g. with
# actions/cache, and unchanged services are not compiled again).
set -euo pipefail

verify=1
if [ "${1:-}" = --no-verify ]; then verify=0; shift; fi
if [ $# -lt 2 ]; then
    echo "usage: $0 [--no-verify] OUT_DIR SERVICE..." >&2
    exit 2
fi
out=$1
shift
tg=${TENDER_GEN:-tender-gen}
mkdir -p "$out"
cache=${TENDER_GEN_CACHE:-$(cd "$out/.." && pwd)/tender-cache}

# One batch run: every service's monitor, built or reused. Its report is
# one line per service, in input order: STATUS NAME MONITOR (SHAPE).
"$tg" --out-dir "$out" --cache "$cache" "$@" | tee "$out/build.log"

mapfile -t lines < <(grep -E '^(built|reused) ' "$out/build.log")
: >"$out/SHA256SUMS"
i=0
for input in "$@"; do
    read -r _ name monitor _ <<<"${lines[$i]}"
    i=$((i + 1))
    base=$(basename "$monitor")
    # The report of what the monitor holds, with its sizes; -o through the
    # cache reuses the monitor just built.
    "$tg" --cache "$cache" -o "$monitor" --explain --json "$input" \
        >"$monitor.explain.json"
    if [ "$verify" = 1 ]; then
        "$tg" --verify "$monitor" "$input"
    fi
    (cd "$out" && sha256sum "$base" | tee "$base.sha256" >>SHA256SUMS)
    echo "published $name: $monitor"
done
