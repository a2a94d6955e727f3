#!/bin/bash
# module-folder.sh: adding a module means adding its folder. A copy of the
# data directory gets one more folder, modules/hello (the fixture beside
# this script: an opt-in module with one option and one system call), and
# nothing else changes: tender-gen takes it with --with hello, compiles it
# in, lists it in --explain with its system call, and the monitor's --help
# shows its option; under KVM the module's system call runs under the
# sandbox (the greeting names the process), and a monitor built without
# the module refuses the option. A descriptor that does not read stops
# tender-gen with FILE:LINE:COL errors.
. "$(dirname "$0")/../lib.sh"

DATA=$WORK/data
mkdir -p "$DATA"
cp -r "$SRCDIR/templates" "$SRCDIR/modules" "$SRCDIR/include" "$DATA/"
cp -r "$SRCDIR/tests/monitor/hello" "$DATA/modules/hello"
printf 'version: 1\nname: greeter\n' >"$WORK/none.yml"
TG() { "$TENDER_GEN" --datadir "$DATA" "$@"; }

TG --help >"$WORK/help.txt"
check "tender-gen --help lists hello among the opt-in modules" \
    grep -q "^  hello  *greets someone on standard error" "$WORK/help.txt"

TG --with hello --explain "$WORK/none.yml" >"$WORK/explain.txt"
check "--explain lists the hello module" \
    grep -q "^modules: *core console hello$" "$WORK/explain.txt"
check "--explain lists its system call" \
    grep -q "^syscalls: .* getpid" "$WORK/explain.txt"
check "the shape names it" \
    grep -q "^shape: *block=0 net=0 modules=core,console,hello$" "$WORK/explain.txt"

TG --with hello --emit-c "$WORK/hello-mon.c" "$WORK/none.yml"
check "monitor.c carries the module's source" \
    grep -q "^/\* ---- begin modules/hello/hello.c ---- \*/" "$WORK/hello-mon.c"
check "monitor.c lists its struct mon_module" grep -q "^    &mod_hello,$" "$WORK/hello-mon.c"
check "the filter's reasons name its rule" \
    grep -q "getpid *hello *the greeting names the monitor's process" "$WORK/hello-mon.c"

if TG_EXTRA_CFLAGS=-Werror TG --with hello -o "$WORK/hello-tender" "$WORK/none.yml" \
    2>"$WORK/build.err"; then
    pass "a monitor with hello compiles with -Werror"
else
    fail "a monitor with hello compiles with -Werror"; cat "$WORK/build.err"
fi
"$WORK/hello-tender" --help >"$WORK/mon-help.txt"
check "the monitor's --help shows --hello=WHO" \
    grep -q "^  \[ --hello=WHO \] (greet WHO" "$WORK/mon-help.txt"
check "the monitor lists the module as compiled in" \
    grep -q "^Compiled-in modules: core console hello$" "$WORK/mon-help.txt"

# The manifest's modules: takes it as well, and the source tree's
# tender-gen, without the folder, does not know it.
printf 'version: 1\nmodules: [hello]\n' >"$WORK/with.yml"
check "modules: [hello] is accepted with the folder" TG --check "$WORK/with.yml"
run_capture "$WORK/out" "$WORK/err" "$TENDER_GEN" --check "$WORK/with.yml"
check "... and refused without it (exit 1)" [ "$status" -eq 1 ]
check "... naming the known ones" grep -qx \
    "with.yml:2:11: error: modules\[0\]: unknown module \"hello\" (expected one of: gdb, dumpcore, trace)" \
    <(sed "s|^$WORK/||" "$WORK/err")

# Under KVM: the module's call runs under the sandbox.
if [ -r "${TG_KVM_DEVICE:-/dev/kvm}" ] && [ -w "${TG_KVM_DEVICE:-/dev/kvm}" ]; then
    GUEST=$BINDIR/tests/skeleton.hvt
    run_capture "$WORK/out" "$WORK/err" "$WORK/hello-tender" --hello=world "$GUEST" 7
    check "the guest runs with the hello module (status 7)" [ "$status" -eq 7 ]
    check "getpid is allowed: the greeting names the process" \
        grep -qE "hello, world, from process [0-9]+$" "$WORK/err"
    TG -o "$WORK/plain-tender" "$WORK/none.yml"
    run_capture "$WORK/out" "$WORK/err" "$WORK/plain-tender" --hello=world "$GUEST" 7
    check "a monitor without the module refuses --hello (exit 1)" [ "$status" -eq 1 ]
else
    lacking "no usable /dev/kvm: the module's call was not run under the sandbox"
fi

# A descriptor that does not read: every error with its position, exit 1.
cat >"$DATA/modules/hello/module.yml" <<'YML'
name: hello
summary: greets
kind: opt-in
note_bit: 7
colour: blue
targets:
  hvt:
    ops: mod_hello
    sources: [hello.c]
    syscalls:
      - {name: getpid, fd: MON_FD_NOWHERE, why: nothing}
YML
run_capture "$WORK/out" "$WORK/err" "$TENDER_GEN" --datadir "$DATA" --explain "$WORK/none.yml"
check "a bad descriptor stops tender-gen (exit 1)" [ "$status" -eq 1 ]
check "an unknown key is named with its line and column" grep -qx \
    "$DATA/modules/hello/module.yml:5:1: error: unknown key \"colour\" (expected one of: name, summary, kind, device, note_bit, options, targets)" \
    "$WORK/err"

# A misspelt target: the descriptor has no part for the one built.
sed 's/^  hvt:$/  hvtt:/' "$SRCDIR/tests/monitor/hello/module.yml" \
    >"$DATA/modules/hello/module.yml.new"
cp "$DATA/modules/hello/module.yml" "$WORK/bad.yml"
mv "$DATA/modules/hello/module.yml.new" "$DATA/modules/hello/module.yml"
run_capture "$WORK/out" "$WORK/err" "$TENDER_GEN" --datadir "$DATA" --explain "$WORK/none.yml"
check "an unknown target is named (exit $status)" grep -qx \
    "$DATA/modules/hello/module.yml:11:3: error: targets: unknown key \"hvtt\"; did you mean \"hvt\"? (expected one of: hvt, spt)" \
    "$WORK/err"
check "... and the missing part for hvt" grep -q \
    "error: targets: no part for target \"hvt\"$" "$WORK/err"
cp "$WORK/bad.yml" "$DATA/modules/hello/module.yml"

# A fixed descriptor number another module has, and one inside a device
# type's range.
{ cat "$SRCDIR/tests/monitor/hello/module.yml"
  echo "    fds:"
  echo "      - {name: MON_FD_HELLO, number: 60, use: taken}"
  echo "      - {name: MON_FD_HI, number: 70, use: a tap's}"; } \
    >"$DATA/modules/hello/module.yml"
run_capture "$WORK/out" "$WORK/err" "$TENDER_GEN" --datadir "$DATA" --explain "$WORK/none.yml"
check "a descriptor number taken twice is refused (exit $status)" grep -qx \
    "$DATA/modules/hello/module.yml: error: MON_FD_HELLO (60) clashes with module \"core\"'s MON_FD_VCPU" \
    "$WORK/err"
check "a descriptor number among the taps' is refused" grep -qx \
    "$DATA/modules/hello/module.yml: error: MON_FD_HI: descriptor 70 lies in the net devices' range" \
    "$WORK/err"
cp "$WORK/bad.yml" "$DATA/modules/hello/module.yml"

# A pin naming a number no module declares.
sed -i '/^colour: blue$/d' "$DATA/modules/hello/module.yml"
run_capture "$WORK/out" "$WORK/err" "$TENDER_GEN" --datadir "$DATA" --explain "$WORK/none.yml"
check "an unknown pin stops tender-gen (exit 1)" [ "$status" -eq 1 ]
check "the unknown pin is named with its line and column" grep -qx \
    "$DATA/modules/hello/module.yml:10:28: error: getpid: unknown name \"MON_FD_NOWHERE\" (expected a number this module or the core declares, or a known ioctl request, open flag or clock)" \
    "$WORK/err"
finish
