#!/bin/bash
# read-parts.sh: a monitor reads only the parts of a unikernel its checks
# look at and its loadable segments, never the rest of the file: hello with
# 64 MiB more after its last byte (read by no one) boots, and the monitor
# reads less than 1 MiB. Bytes read are the kernel's count, rchar of
# the shell's /proc/PID/io, which adds in the reads of reaped children.
. "$(dirname "$0")/../lib.sh"
need_target
GUEST=$(guest_of "$BINDIR/examples/hello/hello")
MON=$(monitor_of "$BINDIR/examples/hello/hello")

[ -r /proc/self/io ] || skip_test "no /proc/PID/io (kernel without task I/O accounting)"
cp "$GUEST" "$WORK/tail.$TG_TARGET"
truncate -s +64M "$WORK/tail.$TG_TARGET"

rchar() { sed -n 's/^rchar: //p' "/proc/$$/io"; }
before=$(rchar)
run_capture "$WORK/out" "$WORK/err" "$MON" "$WORK/tail.$TG_TARGET"
read_bytes=$(($(rchar) - before))
check "hello with a 64 MiB tail boots (exit $status)" [ "$status" -eq 0 ]
check "its output is hello's" grep -q "Hello from tender-gen!" "$WORK/out"
check "the monitor read $read_bytes bytes, less than 1 MiB" \
    [ "$read_bytes" -lt $((1 << 20)) ]
finish
