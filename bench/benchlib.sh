# benchlib.sh: what bench/net and bench/block share: building the targets
# they run, the host line, and the statistics they print. Sourced; expects
# $build, $work, $rounds and $peer to be set.

# bench_build TARGET...: brings the targets up to date in $build.
bench_build() {
    if [ ! -f "$build/CMakeCache.txt" ]; then
        echo "$0: no build in $build (configure with tests on, or give --build=DIR)" >&2
        exit 2
    fi
    if ! cmake --build "$build" -j2 --target "$@" >"${TMPDIR:-/tmp}/tg-bench-build.$$" 2>&1; then
        tail -20 "${TMPDIR:-/tmp}/tg-bench-build.$$" >&2
        echo "$0: cannot build $* in $build (tests must be on: -DBUILD_TESTING=ON)" >&2
        rm -f "${TMPDIR:-/tmp}/tg-bench-build.$$"
        exit 2
    fi
    rm -f "${TMPDIR:-/tmp}/tg-bench-build.$$"
}

# bench_header WORDS...: what is measured, and on what.
bench_header() {
    echo "$*"
    local kvm=(/sys/module/kvm*)
    echo "host: $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs, KVM: ${kvm[*]##*/}"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the host skews every figure)"
    if [ -n "$peer" ]; then
        echo "peer: $peer ($("$peer" --version 2>&1 | head -1))"
    fi
}

# median: the median of the numbers on stdin.
median() {
    sort -g | awk '{ v[NR] = $1 }
        END { if (NR == 0) exit 1
              if (NR % 2) print v[(NR + 1) / 2]
              else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# stats FILE: "median min max" of the numbers in FILE.
stats() {
    printf '%s %s %s\n' "$(median <"$1")" "$(sort -g "$1" | head -1)" \
        "$(sort -g "$1" | tail -1)"
}

# bench_row TITLE KEY lower|higher: one line per monitor from
# $work/ours.KEY, $work/spt.KEY (with $spt set) and $work/peer.KEY, and
# the ratios of the medians.
bench_row() {
    local title=$1 key=$2 better=$3 m0 m1 lo hi
    read -r m0 lo hi < <(stats "$work/ours.$key")
    printf '%-30s %-10s median %10s  min %10s  max %10s  (%d rounds)\n' \
        "$title" tender-gen "$m0" "$lo" "$hi" "$(wc -l <"$work/ours.$key")"
    if [ -n "${spt:-}" ]; then
        local m2
        read -r m2 lo hi < <(stats "$work/spt.$key")
        printf '%-30s %-10s median %10s  min %10s  max %10s  (%d rounds)\n' \
            "" "spt" "$m2" "$lo" "$hi" "$(wc -l <"$work/spt.$key")"
        printf '%-30s tender-gen spt / tender-gen = %s (%s is better)\n' "" \
            "$(awk -v a="$m2" -v b="$m0" 'BEGIN { printf "%.2f", a / b }')" \
            "$better"
    fi
    [ -n "$peer" ] || return 0
    read -r m1 lo hi < <(stats "$work/peer.$key")
    printf '%-30s %-10s median %10s  min %10s  max %10s  (%d rounds)\n' \
        "" solo5-hvt "$m1" "$lo" "$hi" "$(wc -l <"$work/peer.$key")"
    printf '%-30s tender-gen / solo5-hvt = %s (%s is better)\n' "" \
        "$(awk -v a="$m0" -v b="$m1" 'BEGIN { printf "%.2f", a / b }')" \
        "$better"
}

bench_footer() {
    echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# bench_rate_row TITLE KEY: a throughput row, one line per program with
# the median, min and max MB/s and IOPS and the median microseconds per
# request over the rounds, from $work/LABEL.KEY.{mb,iops,us} for LABEL in
# ours, peer (when $peer is set) and host; then the ratios of the median
# MB/s (the same as those of IOPS) of tender-gen to solo5-hvt and to the
# host. A program with no figures for KEY (solo5-hvt refusing the block
# size) gets a line saying so, and no ratio.
bench_rate_row() {
    local title=$1 key=$2 label name mb lo hi i ilo ihi ratios=
    printf '%-26s %10s %9s %9s  %10s %9s %9s  %10s\n' "$title" \
        "MB/s: med" min max "IOPS: med" min max us/request
    for label in ours spt peer host; do
        name=$(bench_name "$label")
        [ "$label" != peer ] || [ -n "$peer" ] || continue
        [ "$label" != spt ] || [ -n "${spt:-}" ] || continue
        if [ ! -s "$work/$label.$key.mb" ]; then
            printf '  %-24s (no figures: see above)\n' "$name"
            continue
        fi
        read -r mb lo hi < <(stats "$work/$label.$key.mb")
        read -r i ilo ihi < <(stats "$work/$label.$key.iops")
        # median's %.6g would print a large IOPS median as 1.5e+06.
        printf '  %-24s %10.2f %9.2f %9.2f  %10.0f %9.0f %9.0f  %10.1f\n' \
            "$name" "$mb" "$lo" "$hi" "$i" "$ilo" "$ihi" \
            "$(median <"$work/$label.$key.us")"
        [ "$label" = ours ] || [ ! -s "$work/ours.$key.mb" ] ||
            ratios+="${ratios:+, }tender-gen / $name = $(awk -v a="$(median \
                <"$work/ours.$key.mb")" -v b="$mb" 'BEGIN {
                    r = a / b; printf((r < 0.1 ? "%.2g" : "%.2f"), r) }')"
    done
    [ -z "$ratios" ] || printf '  %s (higher is better)\n' "$ratios"
}

# bench_name LABEL: the program a label of bench_rate_row stands for.
bench_name() {
    case $1 in
    ours) echo tender-gen ;;
    spt) echo "tender-gen spt" ;;
    peer) echo solo5-hvt ;;
    *) echo "$1" ;;
    esac
}
