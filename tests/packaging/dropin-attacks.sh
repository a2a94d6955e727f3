#!/bin/bash
# dropin-attacks.sh: the drop-in's trust anchor is its own binary. Each
# attack is made by the party that would make it, with code that leaves a
# marker if it ever runs (planted, libtgpreload.so), and a control that
# shows the planted code does run where it is reachable:
#   - a local user forges a monitor (planted code with a real monitor's
#     .tender_gen provenance) in a cache, under monitors/ and shapes/;
#   - the container's environment sets LD_PRELOAD and LD_LIBRARY_PATH;
#   - the guest image, which urunc makes the drop-in's root, brings its own
#     /lib, /lib64 (its ld.so), /etc/ld.so.preload and
#     /var/cache/tender-gen with a forged monitor;
#   - the environment names another data directory, compiler, flags, musl
#     and objcopy, and asks for a build (TENDER_EXEC_BUILD=1).
# The drop-in runs the approved monitor every time (its digest in the audit
# line), compiles nothing, and no marker appears.
. "$(dirname "$0")/../lib.sh"
need_kvm
# chroot and mknod, as urunc (root) runs the drop-in
[ "$(id -u)" = 0 ] || skip_test "not root: chroot and mknod need it"
need_tool setpriv "the unprivileged attacker" || skip_test "no setpriv"

chmod 755 "$WORK" # the unprivileged attacker works below it
HELLO=$BINDIR/examples/hello/hello.hvt
DEV=$BINDIR/tests/packaging/devguest.hvt
PLANTED=$BINDIR/tests/packaging/planted
PRELOAD=$BINDIR/tests/packaging/libtgpreload.so
NODEV='block=0 net=0 modules=core,console'
NETBLK='block=1 net=1 modules=core,console,block,net'
MARK=$WORK/marker
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

# The operator's drop-in: hello's shape only.
DROPIN=$WORK/bin/solo5-hvt
mkdir -p "$WORK/bin"
"$TENDER_GEN" --drop-in "$DROPIN" "$HELLO" >/dev/null
"$TENDER_GEN" --emit-c "$WORK/hello-monitor.c" "$HELLO"
digest=$(sed -n 's/^ \* digest: //p' "$WORK/hello-monitor.c")
AUDIT="solo5-hvt: running $HELLO (shape '$NODEV') on monitor $digest"
check "the drop-in has no dynamic section" \
    bash -c "readelf -d '$DROPIN' | grep -q 'There is no dynamic section'"
check "the drop-in has no interpreter" bash -c "! readelf -lW '$DROPIN' | grep -q INTERP"

# approved_run WHAT OUT ERR: checks that the last run booted hello on the
# approved monitor and that nothing planted ran.
approved_run() {
    check "$1: exit 0" [ "$status" -eq 0 ]
    check "$1: hello ran" grep -qx "Hello from tender-gen!" "$2"
    check "$1: on the approved monitor (audit line)" grep -qxF "$AUDIT" "$3"
    check "$1: no planted code ran (no marker)" [ ! -e "$MARK" ]
    check "$1: nothing planted printed" bash -c "! grep -q PLANTED '$2' '$3'"
}

# --- A forged monitor in a cache, as a local unprivileged user makes it:
# planted code carrying a real monitor's provenance section, as the entry
# for hello's shape (the name the symlinked drop-in of earlier releases
# followed: sha256 of the labelled version and shape text).
"$TENDER_GEN" -o "$WORK/hello-tender" "$HELLO"
objcopy -O binary --only-section=.tender_gen "$WORK/hello-tender" "$WORK/prov"
chmod 644 "$WORK/prov"
ATT=$WORK/attacker
mkdir "$ATT" && chown 65534:65534 "$ATT"
version=$("$TENDER_GEN" --version | cut -d' ' -f2)
# labelled LABEL DATA: LABEL, NUL, DATA's length as 8 bytes little-endian,
# DATA (cache.c's hash_labelled in earlier releases).
labelled() {
    printf '%s\0' "$1"
    printf "$(printf '\\x%02x' "${#2}")\\0\\0\\0\\0\\0\\0\\0"
    printf '%s' "$2"
}
key=$({ labelled tender-gen "$version"; labelled shape "$NODEV"; } | sha256sum | cut -c1-64)
# plant_cache DIR: the forged cache, made by the unprivileged attacker.
plant_cache() {
    as_nobody mkdir -p "$1/monitors" "$1/shapes"
    as_nobody objcopy --add-section .tender_gen="$WORK/prov" "$PLANTED" "$1/monitors/forged"
    as_nobody ln -s ../monitors/forged "$1/shapes/$key"
}
plant_cache "$ATT/cache"
check "the forged monitor carries hello's monitor's provenance" \
    bash -c "readelf -p .tender_gen '$ATT/cache/monitors/forged' | grep -q 'shape: $NODEV'"
TG_PLANTED_MARKER=$MARK "$ATT/cache/shapes/$key" 2>/dev/null
check "control: the forged monitor leaves its marker when it runs" [ -e "$MARK" ]
rm -f "$MARK"
TENDER_GEN_CACHE=$ATT/cache TG_PLANTED_MARKER=$MARK \
    run_capture "$WORK/out" "$WORK/err" "$DROPIN" --mem=32 -- "$HELLO" cache
approved_run "forged monitor in TENDER_GEN_CACHE" "$WORK/out" "$WORK/err"

# --- The container's environment: LD_PRELOAD, and LD_LIBRARY_PATH holding
# libraries under the names a dynamic tender-gen loads.
as_nobody mkdir "$ATT/lib"
for lib in libyaml-0.so.2 libelf.so.1 libseccomp.so.2 libc.so.6; do
    as_nobody cp "$PRELOAD" "$ATT/lib/$lib"
done
LD_PRELOAD=$PRELOAD TG_PLANTED_MARKER=$MARK /bin/true 2>/dev/null
check "control: LD_PRELOAD runs the planted library in a dynamic program" [ -e "$MARK" ]
rm -f "$MARK"
# Set for the drop-in alone (bash's exec, no helper program: that one
# would load the planted libc).
status=0
(
    export LD_PRELOAD=$PRELOAD LD_LIBRARY_PATH=$ATT/lib TG_PLANTED_MARKER=$MARK
    exec "$DROPIN" --mem=32 -- "$HELLO" preload
) >"$WORK/out" 2>"$WORK/err" || status=$?
approved_run "LD_PRELOAD and LD_LIBRARY_PATH" "$WORK/out" "$WORK/err"

# --- Inside the guest image (urunc pivots into the container's rootfs):
# its own /lib64 (ld.so), /lib (libc and a planted library that its
# /etc/ld.so.preload names) and a cache with a forged monitor; the drop-in
# binary bind-mounted in, /dev/kvm given.
ROOT=$WORK/root
mkdir -p "$ROOT"/{lib64,lib/x86_64-linux-gnu,etc,dev,bin,usr/local/bin,var/cache}
cp -L /lib64/ld-linux-x86-64.so.2 "$ROOT/lib64/"
cp -L /lib/x86_64-linux-gnu/libc.so.6 "$ROOT/lib/x86_64-linux-gnu/"
cp "$PRELOAD" "$ROOT/lib/libtgpreload.so"
echo /lib/libtgpreload.so >"$ROOT/etc/ld.so.preload"
chown 65534:65534 "$ROOT/var/cache"
plant_cache "$ROOT/var/cache/tender-gen"
cp "$DROPIN" "$ROOT/usr/local/bin/solo5-hvt"
cp "$HELLO" "$ROOT/hello.hvt"
mknod "$ROOT/dev/kvm" c 10 232
cp /bin/true "$ROOT/bin/true"
chroot "$ROOT" /bin/true 2>/dev/null
check "control: a dynamic program in the image runs the image's planted library" \
    [ -e "$ROOT/planted-ran" ]
rm -f "$ROOT/planted-ran"
AUDIT="solo5-hvt: running /hello.hvt (shape '$NODEV') on monitor $digest"
TENDER_GEN_CACHE=/var/cache/tender-gen LD_LIBRARY_PATH=/lib:/lib64 \
    run_capture "$WORK/out" "$WORK/err" chroot "$ROOT" \
    /usr/local/bin/solo5-hvt --mem=32 -- /hello.hvt image
MARK=$ROOT/planted-ran approved_run "inside the image's root" "$WORK/out" "$WORK/err"

# --- A poisoned environment at launch: another data directory (whose
# template would print), compiler, flags, musl and objcopy, a build asked
# for. The generator does honour these (the operator's tool, control); the
# drop-in reads none of them.
EVIL=$WORK/evil
mkdir -p "$EVIL/musl"
cp -r "$SRCDIR/templates" "$SRCDIR/modules" "$SRCDIR/include" "$EVIL/"
sed -i 's/^    return mon_main/    fputs("PLANTED TEMPLATE\\n", stderr);\n    return mon_main/' \
    "$EVIL/templates/monitor.c.in"
cat >"$EVIL/cc" <<EOF
#!/bin/sh
touch "$WORK/compiled"
echo "PLANTED COMPILER" >&2
exec clang "\$@"
EOF
chmod 755 "$EVIL/cc"
echo 'static const char planted[] __attribute__((used)) = "PLANTED FLAGS";' >"$EVIL/planted.h"
TG_CC=$EVIL/cc "$TENDER_GEN" -o "$WORK/poisoned-tender" "$HELLO" 2>/dev/null
check "control: the generator runs TG_CC (the operator's setting)" [ -e "$WORK/compiled" ]
rm -f "$WORK/compiled"
AUDIT="solo5-hvt: running $HELLO (shape '$NODEV') on monitor $digest"
MARK=$WORK/marker
poison=(TENDER_GEN_DATADIR="$EVIL" TG_CC="$EVIL/cc" TG_OBJCOPY="$EVIL/cc"
    TG_EXTRA_CFLAGS="-include $EVIL/planted.h" TG_MUSL_LIB="$EVIL/musl"
    TENDER_EXEC_BUILD=1 TENDER_GEN_CACHE="$ATT/cache" TG_PLANTED_MARKER="$MARK")
env "${poison[@]}" timeout 60 "$DROPIN" --mem=32 -- "$HELLO" poisoned \
    >"$WORK/out" 2>"$WORK/err"
status=$?
approved_run "poisoned environment" "$WORK/out" "$WORK/err"
check "poisoned environment: nothing compiled" [ ! -e "$WORK/compiled" ]
env "${poison[@]}" timeout 60 "$DROPIN" --mem=32 -- "$DEV" x >"$WORK/out" 2>"$WORK/err"
status=$?
check "poisoned environment, shape not carried: exit 1" [ "$status" -eq 1 ]
check "...the refusal as ever, one line" bash -c "[ \$(wc -l <'$WORK/err') -eq 1 ] && grep -qxF \
    \"solo5-hvt: refusing $DEV: shape '$NETBLK' is not in this drop-in; rebuild it with: tender-gen --drop-in FILE INPUT... $DEV\" '$WORK/err'"
check "...nothing compiled, nothing planted ran" \
    bash -c "[ ! -e '$WORK/compiled' ] && [ ! -e '$MARK' ] && ! grep -q PLANTED '$WORK/out' '$WORK/err'"

finish
