#!/bin/bash
# install.sh: `cmake --install` into a temporary prefix, then an external
# project (tests/packaging/external) finds it with find_package(TenderGen),
# builds a unikernel and its monitors with add_unikernel() and add_tender(),
# and boots it under KVM, and its spt build on its spt monitor with
# /dev/kvm hidden. Also: the installed tender-gen reads the installed
# sources (wherever the prefix is moved); rebuilds touch only what changed.
. "$(dirname "$0")/../lib.sh"
: "${BINDIR:?BINDIR must name the build tree}"

P=$WORK/prefix
# A copy, so the rebuild checks can touch and edit it.
cp -r "$SRCDIR/tests/packaging/external" "$WORK/extsrc"
EXT=$WORK/extsrc
gen=("Unix Makefiles")
command -v ninja >/dev/null && gen=(Ninja)

cmake --install "$BINDIR" --prefix "$P" >"$WORK/install.log" 2>&1
check "cmake --install succeeds" [ $? -eq 0 ]
for f in bin/tender-gen lib/libtgkernel.a lib/libtgkernel-spt.a include/tender-gen/solo5.h \
         include/tender-gen/libc/stdio.h share/tender-gen/templates/monitor.c.in \
         share/tender-gen/modules/core/mon_main.c share/tender-gen/include/hvt_abi.h \
         include/tender-gen/spt_abi.h share/tender-gen/kernel/hvt/hvt.ld \
         share/tender-gen/kernel/spt/spt.ld lib/cmake/TenderGen/TenderGenConfig.cmake \
         lib/cmake/TenderGen/TenderGenConfigVersion.cmake; do
    check "installed: $f" [ -e "$P/$f" ]
done
for f in share/tender-gen/templates/dropin.c.in share/tender-gen/modules/core/dropin_main.c \
         share/tender-gen/modules/core/dropin_call.c share/tender-gen/modules/core/dropin_exec.c \
         share/tender-gen/modules/core/sha256.c; do
    check "installed: $f (the drop-in's dispatcher)" [ -e "$P/$f" ]
done
# The installed tender-gen builds both forms of the drop-in from its data.
st=0
"$P/bin/tender-gen" --drop-in "$WORK/dropin" "$BINDIR/examples/hello/hello.hvt" \
    >/dev/null 2>"$WORK/err" && "$WORK/dropin" --version 2>"$WORK/err" || st=$?
check "installed tender-gen: builds a drop-in carrying its monitors" \
    bash -c "[ $st -eq 0 ] && grep -q '^tender-gen .* drop-in, 1 monitor\$' '$WORK/err'"
st=0
"$P/bin/tender-gen" --drop-in "$WORK/dropin-files" --monitors "$WORK/monitors" \
    "$BINDIR/examples/hello/hello.hvt" >/dev/null 2>"$WORK/err" &&
    "$WORK/dropin-files" --version 2>"$WORK/err" || st=$?
check "installed tender-gen: builds a drop-in running monitor files" \
    bash -c "[ $st -eq 0 ] && grep -q '^tender-gen .* drop-in, 1 monitor run from ' '$WORK/err'"
# The drop-in is built by the operator (tender-gen --drop-in), not installed.
for n in tender-exec solo5-hvt solo5-hvt.2; do
    check "not installed: bin/$n" bash -c "[ ! -e '$P/bin/$n' ] && [ ! -L '$P/bin/$n' ]"
done

# The installed tender-gen reads the installed sources, not the source tree.
mv "$P" "$WORK/moved"
P=$WORK/moved
"$P/bin/tender-gen" --emit-c "$WORK/m.c" --depfile "$WORK/m.d" "$EXT/greeter.yml"
check "installed tender-gen reads its own prefix's sources (moved prefix)" \
    grep -q "^  $P/share/tender-gen/templates/monitor.c.in" "$WORK/m.d"
check "...and nothing from the source tree" bash -c "! grep -q '$SRCDIR' '$WORK/m.d'"
"$TENDER_GEN" --emit-c "$WORK/m2.c" "$EXT/greeter.yml"
check "installed and build-tree tender-gen write the same monitor.c" cmp -s "$WORK/m.c" "$WORK/m2.c"
# Without its share/ it has no fallback to the source tree it was built from.
mv "$P/share" "$WORK/share.aside"
st=0
"$P/bin/tender-gen" --emit-c "$WORK/m3.c" "$EXT/greeter.yml" 2>"$WORK/nodata" || st=$?
check "installed tender-gen without its data: exit 1, nothing written" \
    bash -c "[ $st -eq 1 ] && [ ! -e '$WORK/m3.c' ]"
check "...saying where it looked and what to pass" grep -qx \
    "tender-gen: error: no data directory: $P/bin/../share/tender-gen holds no templates/monitor.c.in; pass --datadir DIR (or set TENDER_GEN_DATADIR)" \
    "$WORK/nodata"
"$P/bin/tender-gen" --datadir "$WORK/share.aside/tender-gen" --emit-c "$WORK/m3.c" "$EXT/greeter.yml"
check "...and --datadir DIR names it explicitly" cmp -s "$WORK/m.c" "$WORK/m3.c"
mv "$WORK/share.aside" "$P/share"

# build LOG: builds the external project; sets $st.
build() {
    st=0
    cmake --build "$WORK/ext" >"$1" 2>&1 || st=$?
}
st=0
cmake -S "$EXT" -B "$WORK/ext" -G "${gen[@]}" -DCMAKE_C_COMPILER=clang \
    -DCMAKE_PREFIX_PATH="$P" -DPREBUILT="$BINDIR/examples/hello/hello.hvt" \
    >"$WORK/configure.log" 2>&1 || st=$?
check "external project configures against the prefix" [ "$st" -eq 0 ]
[ "$st" -eq 0 ] || cat "$WORK/configure.log"
build "$WORK/build1.log"
check "external project builds" [ "$st" -eq 0 ]
[ "$st" -eq 0 ] || tail -30 "$WORK/build1.log"
for f in greeter.hvt greeter.spt greeter-tender greeter-spt-tender greeter-again-tender \
         prebuilt-tender; do
    check "built: $f" [ -f "$WORK/ext/$f" ]
done
check "add_tender(FROM target) gives add_unikernel's monitor" \
    cmp -s "$WORK/ext/greeter-tender" "$WORK/ext/greeter-again-tender"
check "monitor verifies against the build tree's tender-gen" \
    bash -c "'$TENDER_GEN' --verify '$WORK/ext/greeter-tender' '$WORK/ext/greeter.hvt' >/dev/null"
# A project whose C compiler is gcc (what a fresh project(x C) gets on
# Debian) builds its guest against the same installed library.
GCC_OK=0
if need_tool gcc "the gcc project"; then
    st=0
    cmake -S "$EXT" -B "$WORK/ext-gcc" -DCMAKE_C_COMPILER=gcc \
        -DCMAKE_PREFIX_PATH="$P" >"$WORK/gcc.log" 2>&1 &&
        cmake --build "$WORK/ext-gcc" >>"$WORK/gcc.log" 2>&1 || st=$?
    check "a project compiling with gcc configures and builds" [ "$st" -eq 0 ]
    [ "$st" -eq 0 ] && GCC_OK=1 || tail -20 "$WORK/gcc.log"
    check "...its guest compiled by gcc" \
        bash -c "readelf -p .comment '$WORK/ext-gcc/CMakeFiles/greeter.dir/greeter.c.o' | grep -q GCC"
fi

# A plain Makefile with pkg-config, no CMake (the prefix has been moved:
# the .pc file finds it from its own place).
MK=$WORK/mk
cp -r "$SRCDIR/tests/packaging/external" "$MK"
st=0
PKG_CONFIG_PATH=$P/lib/pkgconfig make -C "$MK" CC=clang \
    TENDER_GEN="$P/bin/tender-gen" >"$WORK/make.log" 2>&1 || st=$?
check "a Makefile build with pkg-config builds the guest and its monitor" \
    [ "$st" -eq 0 -a -f "$MK/greeter.hvt" -a -f "$MK/greeter-tender" -a -f "$MK/greeter.spt" \
      -a -f "$MK/greeter-spt-tender" ]
[ "$st" -eq 0 ] || tail -20 "$WORK/make.log"
check "installed: solo5_ext.h" [ -f "$P/include/tender-gen/solo5_ext.h" ]
check "installed: the kernel's sources, for debuggers" \
    [ -f "$P/share/tender-gen/kernel/hvt/trap.c" -a -f "$P/share/tender-gen/kernel/spt/boot.S" ]
check "installed kernel library's debug information names the installed sources" \
    bash -c "strings -a '$P/lib/libtgkernel.a' | grep -q 'share/tender-gen/kernel/hvt/trap.c' &&
             ! strings -a '$P/lib/libtgkernel.a' | grep -q '$SRCDIR/kernel'"
check "...and the spt library's too" \
    bash -c "strings -a '$P/lib/libtgkernel-spt.a' | grep -q 'share/tender-gen/kernel/spt/clock.c' &&
             ! strings -a '$P/lib/libtgkernel-spt.a' | grep -q '$SRCDIR/kernel'"

# Rebuilds: an app source rebuilds only the guest; an installed module
# source rebuilds the monitors (depfile); the manifest rebuilds both.
touch "$EXT/greeter.c"
build "$WORK/build2.log"
check "touched app source: guest relinked" grep -q "greeter.hvt" "$WORK/build2.log"
check "touched app source: add_unikernel's monitor not regenerated" \
    bash -c "! grep -q 'tender-gen: monitor for greeter\$' '$WORK/build2.log'"
check "touched app source: add_tender(FROM greeter) follows the new ELF" \
    grep -q "tender-gen: monitor for greeter-again" "$WORK/build2.log"
touch "$P/share/tender-gen/modules/console/console.c"
build "$WORK/build3.log"
check "touched module source: monitors regenerated" \
    grep -q "tender-gen: monitor for greeter" "$WORK/build3.log"
check "touched module source: guest not relinked" \
    bash -c "! grep -q 'Linking C executable greeter.hvt' '$WORK/build3.log'"
sed -i "s/^name: greeter/name: greeter2/" "$EXT/greeter.yml"
build "$WORK/build4.log"
check "edited manifest: notes regenerated, guest relinked" \
    bash -c "grep -q 'tender-gen: notes for greeter' '$WORK/build4.log' && grep -q 'Linking C executable greeter.hvt' '$WORK/build4.log'"
check "edited manifest: monitor regenerated" \
    grep -q "tender-gen: monitor for greeter$" "$WORK/build4.log"
# An edit that changes neither the notes nor the monitor (a comment): each
# is generated once, the guest is not relinked, and the next build does
# nothing; with Makefiles too, whose depend and build passes each used to
# run the notes' rule (the note, kept unchanged, stayed older than the
# manifest).
echo "# a comment" >>"$EXT/greeter.yml"
build "$WORK/build5.log"
check "comment in the manifest: notes announced once" \
    [ "$(grep -c 'tender-gen: notes for greeter$' "$WORK/build5.log")" -eq 1 ]
check "comment in the manifest: guest not relinked" \
    bash -c "! grep -q 'Linking C executable greeter.hvt' '$WORK/build5.log'"
build "$WORK/build6.log"
check "built again: tender-gen not run" \
    bash -c "! grep -q 'tender-gen: ' '$WORK/build6.log'"
if [ "$GCC_OK" = 1 ]; then
    gcc_build() {
        cmake --build "$WORK/ext-gcc" >"$1" 2>&1
        check "Makefiles: the build succeeds ($2)" [ $? -eq 0 ]
    }
    gcc_build "$WORK/gcc2.log" "edited manifest"
    check "Makefiles, edited manifest: notes announced once" \
        [ "$(grep -c 'tender-gen: notes for greeter$' "$WORK/gcc2.log")" -eq 1 ]
    check "Makefiles, edited manifest: monitor generated once" \
        [ "$(grep -c 'tender-gen: monitor for greeter$' "$WORK/gcc2.log")" -eq 1 ]
    gcc_build "$WORK/gcc3.log" "built again"
    check "Makefiles, built again: tender-gen not run" \
        bash -c "! grep -q 'tender-gen: ' '$WORK/gcc3.log'"
fi

need_kvm
run_capture "$WORK/out" "$WORK/err" "$WORK/ext/greeter-tender" "$WORK/ext/greeter.hvt" 7
check "external unikernel boots and exits with its status (7)" [ "$status" -eq 7 ]
check "external unikernel prints its line" grep -qx "greetings from outside the tree" "$WORK/out"
check "external unikernel gets its command line" grep -qx "cmdline: 7" "$WORK/out"
run_capture "$WORK/out" "$WORK/err" "$WORK/ext/prebuilt-tender" \
    "$BINDIR/examples/hello/hello.hvt"
check "add_tender(FROM file) monitor boots hello" [ "$status" -eq 0 ]
if [ "$GCC_OK" = 1 ]; then
    run_capture "$WORK/out" "$WORK/err" "$WORK/ext-gcc/greeter-tender" \
        "$WORK/ext-gcc/greeter.hvt" 5
    check "gcc-built unikernel boots, prints its line, exits 5" \
        bash -c "[ $status -eq 5 ] && grep -qx 'greetings from outside the tree' '$WORK/out'"
fi
run_capture "$WORK/out" "$WORK/err" "$MK/greeter-tender" "$MK/greeter.hvt" 3
check "Makefile-built unikernel boots, prints its line, exits 3" \
    bash -c "[ $status -eq 3 ] && grep -qx 'greetings from outside the tree' '$WORK/out'"

# The spt guests on their spt monitors, with /dev/kvm hidden (root only:
# the hiding is a mount in a private namespace).
if [ "$(id -u)" = 0 ]; then
    run_capture "$WORK/out" "$WORK/err" "${HIDE_KVM[@]}" \
        "$WORK/ext/greeter-spt-tender" "$WORK/ext/greeter.spt" 6
    check "external spt unikernel boots without KVM, prints its line, exits 6" \
        bash -c "[ $status -eq 6 ] && grep -qx 'greetings from outside the tree' '$WORK/out'"
    check "...with its command line" grep -qx "cmdline: 6" "$WORK/out"
    run_capture "$WORK/out" "$WORK/err" "${HIDE_KVM[@]}" \
        "$MK/greeter-spt-tender" "$MK/greeter.spt" 4
    check "Makefile-built spt unikernel boots without KVM, exits 4" \
        bash -c "[ $status -eq 4 ] && grep -qx 'greetings from outside the tree' '$WORK/out'"
    run_capture "$WORK/out" "$WORK/err" "${HIDE_KVM[@]}" \
        "$WORK/ext/greeter-tender" "$WORK/ext/greeter.hvt" 6
    check "...where the hvt monitor cannot run (the hiding holds)" [ "$status" -ne 0 ]
else
    lacking "not root: cannot hide /dev/kvm; the spt boots not run"
fi

finish
