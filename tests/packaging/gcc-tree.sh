#!/bin/bash
# gcc-tree.sh: the tree's own guests with gcc as the project's compiler (as
# a fresh project(x C) gets on Debian): kernel/ (both targets' libraries)
# and examples/hello build with gcc, and hello boots on its monitor with the
# same output as the clang build's. Only those targets, to keep the suite
# short.
. "$(dirname "$0")/../lib.sh"
need_tool gcc "the gcc build" || skip_test "no gcc"
st=0
cmake -S "$SRCDIR" -B "$WORK/gcc" -DCMAKE_C_COMPILER=gcc -DBUILD_TESTING=OFF \
    >"$WORK/configure.log" 2>&1 &&
    cmake --build "$WORK/gcc" -j2 --target hello hello-monitor tgkernel-spt \
        >"$WORK/build.log" 2>&1 || st=$?
check "kernel/ and hello build with gcc" [ "$st" -eq 0 ]
[ "$st" -eq 0 ] || tail -30 "$WORK/configure.log" "$WORK/build.log"
check "the guest kernel was compiled by gcc" \
    bash -c "readelf -p .comment '$WORK/gcc/kernel/libtgkernel.a' 2>/dev/null | grep -q GCC"
check "...for spt too" \
    bash -c "readelf -p .comment '$WORK/gcc/kernel/libtgkernel-spt.a' 2>/dev/null | grep -q GCC"
check "...and hello itself" \
    bash -c "readelf -p .comment '$WORK/gcc/examples/hello/CMakeFiles/hello.dir/hello.c.o' | grep -q GCC"

need_kvm
HELLO=$WORK/gcc/examples/hello
run_capture "$WORK/out" "$WORK/err" "$HELLO/hello-tender" "$HELLO/hello.hvt" a b
check "gcc-built hello boots and exits 0" [ "$status" -eq 0 ]
run_capture "$WORK/ref" "$WORK/referr" "$BINDIR/examples/hello/hello-tender" \
    "$BINDIR/examples/hello/hello.hvt" a b
check "same console output as the clang-built hello" cmp -s "$WORK/out" "$WORK/ref"
finish
