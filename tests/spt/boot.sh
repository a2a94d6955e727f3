#!/bin/bash
# spt-boot: process (spt) monitors boot their guest with /dev/kvm hidden
# (an hvt monitor under the same hiding cannot start, which proves the
# hiding): output and exit status, the command line urunc passes (no --,
# an empty last argument), a static PIE monitor, and what the guest finds
# in the process once it runs: only its own descriptors, no writable and
# executable mapping, the monitor's command line and environment wiped;
# a descriptor the caller left at a number the monitor pins, refused.
# The refusal before the guest runs under a caller's filter that forbids
# adding ours: one line when the filter refuses with an errno, SIGSYS when
# it kills.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/spt/spt-lib.sh"
need_root
need_tool cc "building the spt test guest" || { finish; exit; }
OUTER=$1
chmod 755 "$WORK"

check "the guest and its spt monitor build" spt_guest hello "$SRCDIR/tests/guests/nodevices.yml"
check "the monitor is a static PIE" sh -c "file '$WORK/hello-tender' | grep -q static-pie"
"$TENDER_GEN" -o "$WORK/hvt-tender" "$SRCDIR/tests/guests/nodevices.yml"
run_capture "$WORK/o" "$WORK/e" "${NOKVM[@]}" "$WORK/hvt-tender" "$WORK/hello.spt"
check "an hvt monitor cannot start with /dev/kvm hidden" [ "$status" -ne 0 ]

run_capture "$WORK/o" "$WORK/e" "${NOKVM[@]}" "${NOBODY[@]}" "$WORK/hello-tender" "$WORK/hello.spt" hello
check "hello: exit 0" [ "$status" -eq 0 ]
check "hello: its output" grep -qx "spt guest: hello" "$WORK/o"
check "hello: nothing on stderr" [ ! -s "$WORK/e" ]
run_capture "$WORK/o" "$WORK/e" "${NOKVM[@]}" "$WORK/hello-tender" --mem=8 -- "$WORK/hello.spt" status 42
check "the guest's exit status is the monitor's (42)" [ "$status" -eq 42 ]
run_capture "$WORK/o" "$WORK/e" "${NOKVM[@]}" "$WORK/hello-tender" --mem=8 "$WORK/hello.spt" args a ""
check "urunc's command line (no --, empty last argument)" grep -qx "args: \[args a \]" "$WORK/o"

# The process as the guest finds it.
TG_SECRET=hunter2-spt "${NOKVM[@]}" "${NOBODY[@]}" "$WORK/hello-tender" "$WORK/hello.spt" wait 3</dev/null 7>/dev/null &
pid=$!
target=$pid
for ((i = 0; i < 100; i++)); do
    grep -q "^Seccomp:[[:space:]]*2" /proc/$target/status 2>/dev/null && break
    sleep 0.02
done
sleep 0.1
fds=$(ls /proc/$target/fd 2>/dev/null | sort -n | tr '\n' ' ')
check "the guest holds only its descriptors: 1, 55, 63 ($fds)" [ "$fds" = "1 55 63 " ]
check "no mapping is writable and executable" sh -c "! grep -E ' [r-]wx' /proc/$target/maps"
check "the monitor's environment is wiped (only NULs left)" [ "$(tr -d '\0' </proc/$target/environ | wc -c)" = 0 ]
check "the monitor's command line is wiped (only NULs left)" [ "$(tr -d '\0' </proc/$target/cmdline | wc -c)" = 0 ]
check "the guest runs under a seccomp filter" grep -q "^Seccomp:[[:space:]]*2" /proc/$target/status
wait "$pid"
check "wait: exit 0 once it timed out" [ $? -eq 0 ]

# A descriptor the caller left open at a number the monitor pins: refused,
# not closed under the caller (the epoll set is 55).
run_capture "$WORK/o" "$WORK/e" "${NOKVM[@]}" "${NOBODY[@]}" bash -c 'exec "$@" 55</dev/null' bash "$WORK/hello-tender" "$WORK/hello.spt" hello
check "descriptor 55 left open by the caller: refused (exit 1)" [ "$status" -eq 1 ]
check "... in one line" grep -qx "hello-tender: descriptor 55 is already open: the monitor needs that number for a device" "$WORK/e"
check "... before the guest ran" [ ! -s "$WORK/o" ]

run_capture "$WORK/o" "$WORK/e" "${NOKVM[@]}" "$OUTER" --errno "$WORK/hello-tender" "$WORK/hello.spt" hello
check "under a caller's filter refusing seccomp and prctl (EPERM): refused (exit 1)" [ "$status" -eq 1 ]
check "... in one line" grep -qx "hello-tender: a seccomp filter on this process forbids adding another: refusing to run the guest without this monitor's own filter" "$WORK/e"
check "... before the guest ran" [ ! -s "$WORK/o" ]
# A caller's filter that kills on prctl kills the monitor's first probe.
run_capture "$WORK/o" "$WORK/e" "${NOKVM[@]}" "$OUTER" "$WORK/hello-tender" "$WORK/hello.spt" hello
check "under a caller's filter killing on prctl: killed by SIGSYS (status 159)" [ "$status" -eq 159 ]
check "... before the guest ran" [ ! -s "$WORK/o" ]
finish
