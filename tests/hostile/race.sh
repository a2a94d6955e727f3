#!/bin/bash
# race.sh: a guest rewrites its NET_WRITE struct (through the net ring's
# I/O thread, from the host's frames) while the monitor serves that
# NET_WRITE on a tap that is down (tests/hostile/race.c). Run several
# times: the monitor must never crash, serve every call from the copy it
# took, and let the guest finish; the same on the ASan+UBSan monitor.
. "$(dirname "$0")/../net/netlib.sh"
need_kvm
need_netns race
if [ "${TG_MONITOR_ASAN:-0}" = 1 ]; then
    MON=$BINDIR/tests/race-tender-asan
else
    MON=$BINDIR/tests/race-tender
fi
GUEST=$BINDIR/tests/race.hvt
FRAMEGEN=$BINDIR/tests/framegen

for run in 1 2 3 4 5; do
    # New taps each run: the first is taken down under the running guest.
    tap down$run 10.$run.0.1/24
    tap feed$run 10.$run.1.1/24
    start_guest "$WORK/out$run" "$WORK/err$run" "$MON" --net:down=down$run \
        --net:feed=feed$run "$GUEST" 1500
    check "run $run: guest ready" wait_for "$WORK/out$run" "race: ready"
    in_ns ip link set dev down$run down
    in_ns "$FRAMEGEN" feed$run 2500 >"$WORK/gen" 2>&1
    wait_guest
    if [ "$status" -eq 0 ] && grep -q "^race: rounds" "$WORK/out$run"; then
        pass "run $run: exit 0, $(grep '^race: rounds' "$WORK/out$run"), $(cat "$WORK/gen")"
    else
        fail "run $run: exit $status; $(head -c 400 "$WORK/out$run") $(head -c 400 "$WORK/err$run")"
    fi
    frames=$(sed -n 's/.*frames \([0-9]*\)$/\1/p' "$WORK/out$run")
    check "run $run: host frames landed on the struct (frames ${frames:-?})" \
        [ "${frames:-0}" -gt 0 ]
done
finish
