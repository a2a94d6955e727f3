#!/bin/bash
# spt-dropin: a drop-in that carries a process (spt) monitor beside an hvt
# one is a static PIE; installed as solo5-spt it runs the spt guest with
# urunc's command line (no --, an empty last argument) with /dev/kvm
# hidden, and refuses an hvt guest as solo5-spt does; installed as
# solo5-hvt it refuses the spt guest as solo5-hvt does.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/spt/spt-lib.sh"
need_root
need_tool cc "building the spt test guest" || { finish; exit; }
chmod 755 "$WORK"
spt_guest ops "$SRCDIR/tests/guests/nodevices.yml" ||
    skip_test "the spt test guest did not build"

mkdir "$WORK/bin"
run_capture "$WORK/o" "$WORK/e" "$TENDER_GEN" --drop-in "$WORK/bin/solo5-spt" \
    "$WORK/ops.spt" "$SRCDIR/tests/guests/nodevices.yml"
check "the drop-in builds with an spt and an hvt monitor" [ "$status" -eq 0 ]
check "... reporting the spt shape" grep -q "^monitor target=spt block=0 net=0 modules=core,console sha256:" "$WORK/o"
check "... a static PIE" sh -c "file '$WORK/bin/solo5-spt' | grep -q static-pie"
ln -s solo5-spt "$WORK/bin/solo5-hvt"

run_capture "$WORK/o" "$WORK/e" "${NOKVM[@]}" "${NOBODY[@]}" \
    "$WORK/bin/solo5-spt" --mem=8 "$WORK/ops.spt" args a ""
check "as solo5-spt: the spt guest runs (exit 0)" [ "$status" -eq 0 ]
check "... with urunc's command line" grep -qx "args: \[args a \]" "$WORK/o"
run_capture "$WORK/o" "$WORK/e" "${NOKVM[@]}" "${NOBODY[@]}" \
    "$WORK/bin/solo5-spt" "$WORK/ops.spt" getpid
check "as solo5-spt: the guest's forbidden call ends it (status $status)" [ "$status" -eq 159 ]

"$TENDER_GEN" --target hvt --emit-note "$WORK/hvt-note.c" "$SRCDIR/tests/guests/nodevices.yml"
cc -c -fno-pic -o "$WORK/hvt-note.o" "$WORK/hvt-note.c" &&
    ld -static -nostdlib -T "$SRCDIR/tests/guests/raw.ld" -o "$WORK/ops.hvt" \
        "$WORK/ops-ops.o" "$WORK/hvt-note.o"
run_capture "$WORK/o" "$WORK/e" "$WORK/bin/solo5-spt" "$WORK/ops.hvt" hello
check "as solo5-spt: an hvt guest is refused (exit 1)" [ "$status" -eq 1 ]
check "... as solo5-spt refuses it" grep -qx "solo5-spt: $WORK/ops.hvt: error: executable is not for the solo5-spt target" "$WORK/e"
run_capture "$WORK/o" "$WORK/e" "$WORK/bin/solo5-hvt" "$WORK/ops.spt" hello
check "as solo5-hvt: the spt guest is refused (exit 1)" [ "$status" -eq 1 ]
check "... as solo5-hvt refuses it" grep -qx "solo5-hvt: $WORK/ops.spt: error: executable is not for the solo5-hvt target" "$WORK/e"
check "... before anything ran" [ ! -s "$WORK/o" ]
finish
