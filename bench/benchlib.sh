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
# $work/ours.KEY and $work/peer.KEY, and the ratio of the medians.
bench_row() {
    local title=$1 key=$2 better=$3 m0 m1 lo hi
    read -r m0 lo hi < <(stats "$work/ours.$key")
    printf '%-30s %-10s median %10s  min %10s  max %10s  (%d rounds)\n' \
        "$title" tender-gen "$m0" "$lo" "$hi" "$(wc -l <"$work/ours.$key")"
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
