#!/bin/bash
# deb.sh: the Debian package, made as docs/packaging.md says (a tree
# configured for /usr, then cpack), checked with dpkg-deb -I and -c: its
# dependencies cover the toolchain tender-gen runs, it ships tender-gen,
# its data, the guest library, headers, CMake package, pkg-config file,
# man pages and completion, and no drop-in. Then unpacked with dpkg -x
# into a temporary root and used from there, in a private mount namespace
# where the source tree, the suite's build tree and the package's build
# tree are empty tmpfs mounts: hello's monitor from its manifest, hello
# built as a fresh project(C) with the default compiler through
# find_package(TenderGen), a drop-in; each boots hello under KVM.
. "$(dirname "$0")/../lib.sh"
: "${BINDIR:?BINDIR must name the build tree}"

for t in cpack dpkg-deb dpkg unshare mount; do
    need_tool "$t" "the Debian package test" || skip_test "$t is missing"
done
[ "$(id -u)" = 0 ] || skip_test "not root: the private mount namespace needs root"

B=$WORK/pkgbuild
st=0
# Only what the package holds is built (CMAKE_SKIP_INSTALL_ALL_DEPENDENCY
# keeps cpack from building the examples too).
cmake -S "$SRCDIR" -B "$B" -DCMAKE_INSTALL_PREFIX=/usr -DBUILD_TESTING=OFF \
    -DTG_WERROR=ON -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON >"$WORK/cfg.log" 2>&1 &&
    cmake --build "$B" -j2 --target tender-gen tgkernel-dist tgkernel-spt-dist \
        man-pages \
        >"$WORK/build.log" 2>&1 &&
    (cd "$WORK" && cpack --config "$B/CPackConfig.cmake" -B "$WORK/deb") \
        >"$WORK/cpack.log" 2>&1 || st=$?
DEB=$(ls "$WORK"/deb/tender-gen_*.deb 2>/dev/null)
check "cpack -G DEB makes tender-gen_VERSION_ARCH.deb" bash -c "[ $st -eq 0 ] && [ -f '$DEB' ]"
[ -f "$DEB" ] || { cat "$WORK/cfg.log" "$WORK/build.log" "$WORK/cpack.log" | tail -30; finish; exit 1; }
echo "package: $(basename "$DEB"), $(stat -c %s "$DEB") bytes"

# Its control fields.
dpkg-deb -I "$DEB" >"$WORK/info"
field() { sed -n "s/^ $1: //p" "$WORK/info"; }
version=$("$TENDER_GEN" --version | sed 's/^tender-gen //')
check "Package: tender-gen" [ "$(field Package)" = tender-gen ]
check "Version: tender-gen's own ($version)" [ "$(field Version)" = "$version" ]
check "Architecture: the host's" [ "$(field Architecture)" = "$(dpkg --print-architecture)" ]
DEPENDS=$(field Depends)
echo "Depends: $DEPENDS"
# depends PKG: PKG is in Depends.
depends() { [[ ", $DEPENDS," == *", $1 "* || ", $DEPENDS," == *", $1,"* ]]; }
for p in clang lld binutils musl-dev linux-libc-dev libyaml-0-2 libelf1 libseccomp2 libc6; do
    check "Depends: $p" depends "$p"
done
# What tender-gen runs and reads to build a monitor, as this tree found
# them, and the linker guests use: each owning package is declared.
cache() { sed -n "s/^$1:[A-Z]*=//p" "$B/CMakeCache.txt"; }
musl_lib=$(cache TG_MUSL_LIB)
for f in "$(cache TG_MONITOR_CC)" "$(cache TG_OBJCOPY)" "$musl_lib/libc.a" \
         "$musl_lib/crt1.o" "$(cache TG_MUSL_INCLUDE)/stdio.h" \
         "$(cache TG_LINUX_INCLUDE)/linux/kvm.h" "$(cache TG_ASM_INCLUDE)/asm/kvm.h" \
         "$(command -v ld.lld)"; do
    # (/bin/x is /usr/bin/x to dpkg on a merged /usr.)
    owner=$({ dpkg -S "$f" || dpkg -S "/usr$f"; } 2>/dev/null | head -1 | sed 's/:.*//')
    check "toolchain file $f: its package (${owner:-none found}) is in Depends" \
        depends "${owner:-none found}"
done

# apt would install it here: every dependency resolves (a simulation,
# which changes nothing).
if need_tool apt-get "apt's simulated install"; then
    apt-get -s install "$DEB" >"$WORK/apt.log" 2>&1
    check "apt-get -s install ./$(basename "$DEB"): its dependencies resolve" \
        grep -q "^Conf tender-gen ($version " "$WORK/apt.log"
fi

# Its contents.
dpkg-deb -c "$DEB" >"$WORK/contents"
awk '{print $6}' "$WORK/contents" | sed 's|^\./|/|' >"$WORK/files"
has() { grep -qx "$1" "$WORK/files"; }
LIB=/usr/$(cache CMAKE_INSTALL_LIBDIR)
for f in /usr/bin/tender-gen /usr/share/tender-gen/templates/monitor.c.in \
         /usr/share/tender-gen/templates/dropin.c.in \
         /usr/share/tender-gen/modules/core/mon_main.c \
         /usr/share/tender-gen/kernel/hvt/hvt.ld /usr/share/tender-gen/kernel/spt/spt.ld \
         /usr/share/tender-gen/include/hvt_abi.h /usr/share/tender-gen/include/spt_abi.h \
         "$LIB/libtgkernel.a" "$LIB/libtgkernel-spt.a" /usr/include/tender-gen/solo5.h \
         /usr/include/tender-gen/solo5_ext.h /usr/include/tender-gen/libc/stdio.h \
         "$LIB/cmake/TenderGen/TenderGenConfig.cmake" "$LIB/pkgconfig/tender-gen-guest.pc" \
         /usr/share/man/man1/tender-gen.1.gz /usr/share/man/man1/tender-gen-monitor.1.gz \
         /usr/share/bash-completion/completions/tender-gen \
         /usr/share/doc/tender-gen/copyright /usr/share/doc/tender-gen/docs/packaging.md; do
    check "ships $f" has "$f"
done
check "no drop-in: nothing named solo5-hvt* or tender-exec" \
    bash -c "! grep -Eq '/(solo5-hvt[^/]*|tender-exec)/?\$' '$WORK/files'"
check "everything under /usr, nothing under /usr/local" \
    bash -c "! grep -Ev '^/usr/' '$WORK/files' | grep -q . && ! grep -q '^/usr/local' '$WORK/files'"
check "every file root's, none writable by group or others" \
    bash -c "! awk '\$2 != \"root/root\" || \$1 ~ /^.....w/ || \$1 ~ /^........w/' '$WORK/contents' | grep -q ."
check "man pages gzip-compressed" \
    bash -c "dpkg-deb --fsys-tarfile '$DEB' | tar -xO ./usr/share/man/man1/tender-gen.1.gz | gzip -t"

ROOT=$WORK/root
dpkg -x "$DEB" "$ROOT"
check "dpkg -x unpacks it" [ -x "$ROOT/usr/bin/tender-gen" ]

need_kvm

# A fresh project, as a user writes one: hello's sources and manifest.
H=$WORK/hello
mkdir -p "$H"
cp "$SRCDIR/examples/hello/hello.c" "$SRCDIR/examples/hello/manifest.yml" "$H/"
cat >"$H/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.25)
project(hello C)
find_package(TenderGen REQUIRED)
add_unikernel(hello SOURCES hello.c MANIFEST manifest.yml)
CM

# In the namespace: every step's status into $WORK/res/STEP, its output
# into $WORK/STEP.log. tmpfs hides the trees tender-gen could fall back to.
mkdir -p "$WORK/res"
cat >"$WORK/inner.sh" <<'IN'
set -u
cd "$WORK"
step() { local name=$1 st=0; shift; "$@" >"$WORK/$name.log" 2>&1 || st=$?; echo "$st" >"$WORK/res/$name"; }
for d in "$SRCDIR" "$BINDIR" "$B"; do
    [ -d "$d" ] && mount -t tmpfs -o size=1m,mode=0755 none "$d"
done
step hidden bash -c '[ -z "$(ls -A "$SRCDIR")" ] && [ -z "$(ls -A "$BINDIR")" ] && [ -z "$(ls -A "$B")" ]'
export PATH="$ROOT/usr/bin:$PATH"
unset TENDER_GEN TENDER_GEN_DATADIR
step version tender-gen --version
cd "$WORK/hello"
step monitor tender-gen -o hello-tender manifest.yml
step configure cmake -S "$WORK/hello" -B "$WORK/hello-build" -DCMAKE_PREFIX_PATH="$ROOT/usr"
step build cmake --build "$WORK/hello-build"
step boot-monitor timeout 60 ./hello-tender "$WORK/hello-build/hello.hvt" from the package
step boot-project timeout 60 "$WORK/hello-build/hello-tender" "$WORK/hello-build/hello.hvt"
step dropin tender-gen --drop-in "$WORK/solo5-hvt" "$WORK/hello-build/hello.hvt"
step boot-dropin timeout 60 "$WORK/solo5-hvt" --mem=8 -- "$WORK/hello-build/hello.hvt"
step man-l env MANWIDTH=80 man -l "$ROOT/usr/share/man/man1/tender-gen-monitor.1.gz"
step completion bash -c '. "$ROOT/usr/share/bash-completion/completions/tender-gen"
    COMP_WORDS=(tender-gen --with ""); COMP_CWORD=2; _tender_gen; echo "${COMPREPLY[*]}"'
IN
st=0
export WORK ROOT SRCDIR BINDIR B
unshare -m --propagation private bash "$WORK/inner.sh" || st=$?
check "the private namespace ran" [ "$st" -eq 0 ]
# ok STEP: the step exited 0; else its log is shown.
ok() { [ "$(cat "$WORK/res/$1" 2>/dev/null)" = 0 ] || { tail -15 "$WORK/$1.log"; return 1; }; }
check "source tree, suite build tree and package build tree hidden (empty)" ok hidden
check "unpacked tender-gen runs: tender-gen $version" \
    bash -c "[ \"\$(cat '$WORK/res/version')\" = 0 ] && grep -qx 'tender-gen $version' '$WORK/version.log'"
check "unpacked tender-gen builds hello's monitor from its manifest" ok monitor
check "a fresh project(hello C) finds the package (find_package) and configures" ok configure
check "...and builds hello.hvt and its monitor" ok build
cc_used=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$WORK/hello-build/CMakeCache.txt" 2>/dev/null)
check "...with the default C compiler, none named ($cc_used)" \
    bash -c "[ -n '$cc_used' ] && [ -f '$WORK/hello-build/CMakeFiles/hello.dir/hello.c.o' ]"
for s in boot-monitor boot-project boot-dropin; do
    check "$s: hello boots under KVM, greets and exits 0" \
        bash -c "[ \"\$(cat '$WORK/res/$s')\" = 0 ] && grep -qx 'Hello from tender-gen!' '$WORK/$s.log'"
done
check "boot-monitor: hello got its command line" grep -qx "cmdline: from the package" "$WORK/boot-monitor.log"
check "the drop-in built from the package says which monitor ran hello" \
    grep -q "^solo5-hvt: running .*hello.hvt (shape 'block=0 net=0 modules=core,console') on monitor sha256:" \
    "$WORK/boot-dropin.log"
check "man -l renders the installed tender-gen-monitor(1)" \
    bash -c "[ \"\$(cat '$WORK/res/man-l')\" = 0 ] && grep -q 'EXIT STATUS' '$WORK/man-l.log'"
check "the installed completion offers the modules for --with" \
    grep -qx "gdb dumpcore trace" "$WORK/completion.log"
finish
