#!/bin/bash
# access.sh: who may connect to the gdb module's stub, and where it
# listens. By default a Unix socket, mode 0600, in a new directory of mode
# 0700 (in $XDG_RUNTIME_DIR when that is private, else /tmp), printed in
# one line; another user (uid 65534) cannot connect, and one whom the file
# modes do not stop (CAP_DAC_OVERRIDE) is refused by the peer check,
# closed unread, while the monitor waits on for its owner, whose session
# works; the socket and directory are gone once the owner is connected,
# and when a signal ends the wait. --gdb=unix:PATH creates PATH and never
# an existing file. TCP only with --gdb-tcp (or --gdb-port), on 127.0.0.1
# only, where another user's connection is refused the same way, even one
# that sends a memory write and closes at once. A monitor in a network
# namespace of its own is still reached through its socket.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/debuglib.sh"
RSP=$1
need_kvm
[ "$(id -u)" = 0 ] || skip_test "not root: this test acts as another user"
need_tool setpriv "acting as another user" || skip_test "no setpriv"
unset XDG_RUNTIME_DIR
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
# The other user's copy of rspclient: the build tree need not be theirs
# to read. $WORK itself stays closed to them but for this folder.
chmod 711 "$WORK"
mkdir -m 755 "$WORK/pub"
cp "$RSP" "$WORK/pub/rspclient"
chmod 755 "$WORK/pub/rspclient"
total=$(nm "$GUEST" | sed -n 's/^0*\([0-9a-f]*\) [bB] dbg_total$/\1/p')
refused="gdb: refused a debugger run by uid 65534 (only root may debug this guest); still waiting"

# as_nobody OUT ADDRESS STEP...: rspclient as uid 65534.
as_nobody() {
    local out=$1
    shift
    timeout 20 "${NOBODY[@]}" "$WORK/pub/rspclient" "$@" >"$out" 2>&1
}
# as_nobody_dac OUT ADDRESS STEP...: the same user with CAP_DAC_OVERRIDE,
# which file modes do not stop: only the stub's own check can.
as_nobody_dac() {
    local out=$1
    shift
    timeout 20 "${NOBODY[@]}" --inh-caps=+dac_override \
        --ambient-caps=+dac_override "$WORK/pub/rspclient" "$@" >"$out" 2>&1
}
rsp() {
    local out=$1
    shift
    timeout 20 "$RSP" "$@" >"$out" 2>&1
}
# read_nothing OUT: the client got no reply and saw the connection close.
read_nothing() { ! grep -q '^<' "$1" && grep -qx closed "$1"; }
# said TEXT: the monitor printed the line "PROG: TEXT", within 10 s.
said() {
    for _ in $(seq 100); do
        grep -qxF -- "$(basename "$MON"): $1" "$WORK/err" && return 0
        sleep 0.1
    done
    return 1
}
# modes PATH: "MODE UID TYPE", as stat prints them.
modes() { stat -c '%a %u %F' "$1"; }
# tcp_listeners PORT FILE: the listening entries for PORT in FILE
# (/proc/net/tcp or tcp6), as "ADDRESS:PORT" in the kernel's hex.
tcp_listeners() {
    awk -v p="$(printf ':%04X' "$1")" '$4 == "0A" && substr($2, length($2) - 4) == p { print $2 }' "$2"
}
# owner_session: the owner's client, while the monitor waits: the first
# stop, registers, dbg_total untouched, on to the exit (42).
owner_session() {
    rsp "$WORK/own" "$rsp_at" "?" g "m$total,8" c
    wait_monitor
    check "$1: the owner's session: first stop" grep -qx "< T05thread:01;" "$WORK/own"
    check "$1: the owner's session: registers" \
        bash -c "[ \"\$(sed -n '/^> g\$/{n;p}' '$WORK/own' | wc -c)\" -eq 1075 ]"
    check "$1: guest memory untouched by the refused one" \
        grep -qx "< 0000000000000000" "$WORK/own"
    check "$1: the owner's session: to the exit (W2a, status 42)" \
        bash -c "grep -qx '< W2a' '$WORK/own' && [ $mon_status -eq 42 ]"
}

# The default: a private directory in /tmp.
start_monitor "$GUEST"
sock=$where
dir=$(dirname "$sock")
check "default: a socket in a new directory in /tmp ($sock)" \
    bash -c "[[ '$sock' =~ ^/tmp/tender-gdb\.[A-Za-z0-9]{6}/gdb\.sock\$ ]]"
check "default: one line says where, with gdb's command" \
    bash -c "[ \$(grep -c . '$WORK/err') -eq 1 ] && grep -qxF '$(basename "$MON"): gdb: waiting for a debugger on $sock (in gdb: target remote $sock)' '$WORK/err'"
check "default: the directory is 0700, ours" [ "$(modes "$dir")" = "700 0 directory" ]
check "default: the socket is 0600, ours" [ "$(modes "$sock")" = "600 0 socket" ]
inodes=$(for f in /proc/"$mon_pid"/fd/*; do readlink "$f"; done |
    sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p')
check "default: the monitor has one socket, a Unix one at that path" \
    bash -c "[ \$(echo '$inodes' | wc -w) -eq 1 ] && awk '\$7 == \"$inodes\" { print \$8 }' /proc/net/unix | grep -qxF '$sock'"
check "default: no TCP socket" \
    bash -c "! cat /proc/net/tcp /proc/net/tcp6 | awk '{ print \$10 }' | grep -qx '$inodes'"
as_nobody "$WORK/n1" "$sock" "M$total,8:4141414141414141" g
check "another user cannot connect (the file modes)" \
    grep -qxF "cannot connect to $sock: Permission denied" "$WORK/n1"
as_nobody_dac "$WORK/n2" "$sock" "M$total,8:4141414141414141" g
check "another user past the file modes: refused, one line" said "$refused"
check "... and got nothing: no reply, connection closed" read_nothing "$WORK/n2"
check "... while the monitor waits on" \
    bash -c "kill -0 $mon_pid && ! grep -q 'debugger connected' '$WORK/err'"
rsp "$WORK/own0" "$rsp_at" "?" sleep=2000 D &
rsp_pid=$!
said "gdb: debugger connected"
check "once the owner is connected: the socket and directory are gone" \
    bash -c "[ ! -e '$sock' ] && [ ! -e '$dir' ]"
wait "$rsp_pid"
wait_monitor
check "the owner's client: the first stop" grep -qx "< T05thread:01;" "$WORK/own0"
check "the owner's client: detached, the guest ran to its end (42)" [ "$mon_status" -eq 42 ]

# The same, through to the end, with the owner's packets.
start_monitor "$GUEST"
as_nobody_dac "$WORK/n3" "$rsp_at" "M$total,8:4141414141414141" g
said "$refused"
owner_session "default"

# A signal while the monitor waits: the socket and the directory go.
for sig in TERM HUP; do
    start_monitor "$GUEST"
    dir=$(dirname "$where")
    kill -"$sig" "$mon_pid"
    wait_monitor
    check "SIG$sig while waiting: the directory is gone" [ ! -e "$dir" ]
    [ "$sig" = HUP ] ||
        check "SIGTERM: the monitor's own handler still runs (exit 1)" \
            bash -c "[ $mon_status -eq 1 ] && grep -qx 'Exiting on signal 15' '$WORK/err'"
done
check "SIGHUP: its default action still ends the monitor (status 129)" \
    [ "$mon_status" -eq 129 ]

# $XDG_RUNTIME_DIR: used when it is this user's and private, else /tmp.
mkdir -m 700 "$WORK/run"
XDG_RUNTIME_DIR=$WORK/run start_monitor "$GUEST"
check "private \$XDG_RUNTIME_DIR: the directory is made there" \
    bash -c "[[ '$where' =~ ^$WORK/run/tender-gdb\.[A-Za-z0-9]{6}/gdb\.sock\$ ]]"
kill -TERM "$mon_pid"
wait_monitor
check "SIGTERM: nothing left in \$XDG_RUNTIME_DIR" \
    bash -c "[ -z \"\$(ls -A '$WORK/run')\" ]"
chmod 755 "$WORK/run"
XDG_RUNTIME_DIR=$WORK/run start_monitor "$GUEST"
check "\$XDG_RUNTIME_DIR others can read: /tmp instead" \
    bash -c "[[ '$where' =~ ^/tmp/tender-gdb\. ]]"
stop_monitor
rm -rf "$(dirname "$where")"

# --gdb=unix:PATH, in a folder everybody may write to.
mkdir -m 1777 "$WORK/pub/shared"
path=$WORK/pub/shared/dbg.sock
start_monitor "--gdb=unix:$path" "$GUEST"
check "--gdb=unix:PATH: waits there" [ "$where" = "$path" ]
check "--gdb=unix:PATH: the socket is 0600" [ "$(modes "$path")" = "600 0 socket" ]
as_nobody "$WORK/n4" "$path" g
check "--gdb=unix:PATH: another user cannot connect" \
    grep -qxF "cannot connect to $path: Permission denied" "$WORK/n4"
rsp "$WORK/own4" "$path" "?" sleep=2000 c &
rsp_pid=$!
said "gdb: debugger connected"
check "--gdb=unix:PATH: removed once the owner is connected" [ ! -e "$path" ]
wait "$rsp_pid"
wait_monitor
check "--gdb=unix:PATH: the owner's session (42)" \
    bash -c "grep -qx '< W2a' '$WORK/own4' && [ $mon_status -eq 42 ]"
echo keep >"$WORK/pub/shared/file"
run_capture "$WORK/o" "$WORK/e" "$MON" "--gdb=unix:$WORK/pub/shared/file" "$GUEST"
check "--gdb=unix:PATH on an existing file: refused (exit 1)" \
    bash -c "[ $status -eq 1 ] && grep -qxF '$(basename "$MON"): gdb: cannot listen on $WORK/pub/shared/file: Address in use' '$WORK/e'"
check "... and the file is left as it was" grep -qx keep "$WORK/pub/shared/file"

# TCP: only when asked, on 127.0.0.1 only, the same check.
start_monitor --gdb-tcp=0 "$GUEST"
port=$rsp_at
check "--gdb-tcp=0: 127.0.0.1 and the port chosen" \
    bash -c "[[ '$where' =~ ^127\.0\.0\.1:[0-9]+\$ ]] && [ '$port' -gt 0 ]"
listeners=$(tcp_listeners "$port" /proc/net/tcp; tcp_listeners "$port" /proc/net/tcp6)
check "--gdb-tcp: listening on 127.0.0.1 only ($listeners)" \
    [ "$listeners" = "0100007F:$(printf '%04X' "$port")" ]
run_capture "$WORK/o" "$WORK/e" "$MON" --gdb-tcp="$port" "$GUEST"
check "--gdb-tcp: a port in use is refused (exit 1)" \
    bash -c "[ $status -eq 1 ] && grep -qF 'gdb: cannot listen on 127.0.0.1:$port: Address in use' '$WORK/e'"
as_nobody "$WORK/n5" "$port" "M$total,8:4141414141414141" g
check "TCP: another user is refused, one line" said "$refused"
check "TCP: ... and got nothing" read_nothing "$WORK/n5"
# A memory write, and the connection closed at once: by the time the
# stub looks, the writer's socket may be gone (/proc/net/tcp then shows
# it without its user, or as root once closed): refused all the same.
pkt="M$total,8:4242424242424242"
sum=$(printf '%s' "$pkt" | od -An -tu1 -v | tr -s ' ' '\n' | awk '{ s += $1 } END { printf "%02x", s % 256 }')
"${NOBODY[@]}" bash -c "printf '\$%s#%s' '$pkt' '$sum' >/dev/tcp/127.0.0.1/$port"
for _ in $(seq 100); do
    [ "$(grep -c 'refused a debugger' "$WORK/err")" -ge 2 ] && break
    sleep 0.1
done
check "TCP: a write-and-close is refused too" \
    bash -c "[ \$(grep -c 'refused a debugger' '$WORK/err') -eq 2 ] && ! grep -q 'debugger connected' '$WORK/err'"
owner_session "TCP"
# In a network namespace of its own, as under a container runtime: the
# socket is a file, so the host's debugger still reaches it.
if unshare --net true 2>/dev/null; then
    printf '#!/bin/sh\nexec unshare --net "%s" "$@"\n' "$MON" >"$WORK/netns-mon"
    chmod 755 "$WORK/netns-mon"
    plain=$MON
    MON=$WORK/netns-mon
    start_monitor "$GUEST"
    MON=$plain
    check "network namespace: the monitor is in its own" \
        [ "$(readlink "/proc/$mon_pid/ns/net")" != "$(readlink /proc/self/ns/net)" ]
    rsp "$WORK/own5" "$rsp_at" "?" c
    wait_monitor
    check "network namespace: the host's client reaches it (W2a, 42)" \
        bash -c "grep -qx '< W2a' '$WORK/own5' && [ $mon_status -eq 42 ]"
else
    lacking "unshare --net does not work here: the network namespace check not run"
fi
start_monitor --gdb-port=0 "$GUEST"
check "--gdb-port=0 (solo5-hvt-debug's spelling): TCP on 127.0.0.1" \
    bash -c "[[ '$where' =~ ^127\.0\.0\.1:[0-9]+\$ ]]"
stop_monitor

[ "$failed" -eq 0 ] || for f in err own own0 own4 own5 n1 n2 n3 n4 n5; do
    echo "---- $f"
    cat "$WORK/$f" 2>/dev/null
done
finish
