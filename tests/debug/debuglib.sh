# debuglib.sh: what the debugging tests share, on top of ../lib.sh: the
# guest and its monitor (with gdb and dumpcore; its ASan+UBSan build under
# TG_MONITOR_ASAN=1, which has no seccomp filter), a monitor started in the
# background and always killed at the end, and gdb itself.
D=$BINDIR/tests/debug
MON=$(monitor_of "$D/dbgguest")
GUEST=$D/dbgguest.hvt
mon_pid=
trap 'stop_monitor; [ -z "${gdb_pid:-}" ] || kill -9 "$gdb_pid" 2>/dev/null; rm -rf "$WORK"' EXIT

# need_gdb: skip without gdb, or fail under REQUIRE_KVM=1 or CI (install-deps
# installs it, so a CI run has it).
need_gdb() {
    command -v gdb >/dev/null && return 0
    if [ "${REQUIRE_KVM:-0}" = 1 ]; then
        echo "FAIL: gdb is not installed (scripts/install-deps installs it)"
        exit 1
    fi
    skip_test "gdb is not installed"
}

# start_monitor ARGS...: runs MON --gdb ARGS in the background, output in
# $WORK/out and $WORK/err (ARGS may choose another place to listen, such as
# --gdb-tcp=0); sets $mon_pid and, once the monitor says where it waits,
# $where (the socket's path, or 127.0.0.1:PORT), which gdb's target remote
# takes, and $rsp_at, which rspclient takes (the path, or PORT).
start_monitor() {
    # Emptied here, not by the redirection below, which the background
    # child may do after the loop has read the previous run's address.
    : >"$WORK/err"
    "$MON" --gdb "$@" >"$WORK/out" 2>>"$WORK/err" &
    mon_pid=$!
    where=
    for _ in $(seq 100); do
        where=$(sed -n 's/.*: gdb: waiting for a debugger on \([^ ]*\) (in gdb: target remote \1)$/\1/p' \
            "$WORK/err")
        rsp_at=${where#127.0.0.1:}
        [ -n "$where" ] && return 0
        sleep 0.1
    done
    echo "monitor never listened: $(cat "$WORK/err")"
    return 1
}

# wait_monitor: waits up to 20 s for the monitor to end, then kills it;
# sets $mon_status (137 when it had to be killed).
wait_monitor() {
    mon_status=137
    for _ in $(seq 200); do
        kill -0 "$mon_pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -9 "$mon_pid" 2>/dev/null
    wait "$mon_pid" 2>/dev/null
    mon_status=$?
    mon_pid=
}

stop_monitor() {
    if [ -n "$mon_pid" ]; then
        kill -9 "$mon_pid" 2>/dev/null
        wait "$mon_pid" 2>/dev/null
        mon_pid=
    fi
}

# gdb_start OUT COMMAND...: gdb in batch mode, in the background (its
# process id in $gdb_pid, so that a test can send it SIGINT), on the
# guest's ELF, connected to the monitor, each COMMAND one -ex.
gdb_start() {
    local out=$1
    shift
    # remotetimeout: gdb's 2 s default is short on a loaded 2-core machine.
    local args=(-nx -batch -ex "set confirm off" -ex "set remotetimeout 30"
                -ex "target remote $where")
    for c in "$@"; do args+=(-ex "$c"); done
    gdb "${args[@]}" "$GUEST" </dev/null >"$out.raw" 2>&1 &
    gdb_pid=$!
}

# gdb_finish OUT: waits up to 60 s for gdb, then kills it; its output,
# without gdb's warnings about shared libraries and file transfer, in OUT.
gdb_finish() {
    local out=$1
    for _ in $(seq 600); do
        kill -0 "$gdb_pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -9 "$gdb_pid" 2>/dev/null
    wait "$gdb_pid" 2>/dev/null
    gdb_pid=
    grep -v "^warning:\|dynamic linker\|shared library initializers\|explicitly loaded" \
        "$out.raw" >"$out"
}

# gdb_batch OUT COMMAND...: gdb_start, then gdb_finish.
gdb_batch() {
    gdb_start "$@"
    gdb_finish "$1"
}

# filtered: true for a monitor with its seccomp filter (not the ASan build).
filtered() { [ "${TG_MONITOR_ASAN:-0}" != 1 ]; }

# has FILE TEXT: the file holds TEXT (fixed string).
has() { grep -qF -- "$2" "$1"; }
