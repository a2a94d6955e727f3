# TenderGenPackage.cmake: a Debian package of what `cmake --install`
# installs, made by CPack's DEB generator (docs/packaging.md):
#   cmake -S . -B build -DCMAKE_INSTALL_PREFIX=/usr
#   cmake --build build -j2 && cd build && cpack
# The package installs under the prefix the tree was configured with, the
# one the guest library's debug information names; for Debian that is
# /usr. It carries no drop-in (no solo5-hvt): each host builds its own
# with tender-gen --drop-in.
set(TG_PACKAGE_CONTACT "The tender-gen authors" CACHE STRING
  "The Debian package's Maintainer field")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tender-gen)
set(CPACK_PACKAGE_VENDOR "The tender-gen authors")
set(CPACK_PACKAGE_CONTACT "${TG_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "compiler of per-unikernel monitors for Solo5 hvt guests on KVM")
set(CPACK_PACKAGE_DESCRIPTION
  "tender-gen reads a unikernel's device manifest, or the notes in its ELF,
and writes one reviewable C source for a monitor that runs exactly that
unikernel on Linux/KVM, with a seccomp filter generated for its devices;
it compiles it statically against musl. Monitors take solo5-hvt's command
line and run Solo5 hvt guests. The package also carries the guest kernel
library and headers, the CMake package (find_package(TenderGen)) and a
pkg-config file for building guests, and tender-gen --drop-in, which
builds the program orchestrators run as solo5-hvt.")
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_STRIP_FILES OFF)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# tender-gen's own libraries (libyaml, libelf, libseccomp, libc) from
# dpkg-shlibdeps; what it runs and reads to build a monitor (compile.c,
# the toolchain tender-gen/CMakeLists.txt finds: clang, objcopy, musl's
# libc.a and headers, the Linux and KVM headers), and the linker guests
# are linked with (cmake/TenderGenUnikernel.cmake: -fuse-ld=lld), by name.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "clang (>= 1:14), lld (>= 1:14), binutils, musl-dev, linux-libc-dev")
# Guests are built with CMake (find_package) or Make and pkg-config.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "cmake (>= 3.25), make, pkg-config")
# The gdb module's stub is for gdb; the completion for bash-completion.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "gdb, bash-completion")

include(CPack)
