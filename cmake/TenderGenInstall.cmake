# TenderGenInstall.cmake: what `cmake --install` puts under the prefix, so
# another project can use tender-gen with find_package(TenderGen):
#   bin/tender-gen
#   share/tender-gen/{templates,modules,include}   the monitor's sources
#   share/tender-gen/kernel/                       the guests' layouts
#                                                  (hvt/hvt.ld, spt/spt.ld)
#                                                  and the kernel's sources,
#                                                  for debuggers
#   lib/libtgkernel.a, lib/libtgkernel-spt.a,      the guest kernel, per
#   include/tender-gen/                            target
#   lib/cmake/TenderGen/                           the CMake package
#   lib/pkgconfig/tender-gen-guest.pc              the same for Make users
#   share/man/man1/                                tender-gen(1) and
#                                                  tender-gen-monitor(1)
#   share/bash-completion/completions/tender-gen   bash completion
#   share/doc/tender-gen/                          README, docs/, licence
# tender-gen finds its data at BINDIR/../share/tender-gen (datadir.c), so
# the installed tree can be moved. Included from tender-gen/, before
# kernel/ exists: the kernel library is named by generator expression.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(TG_INSTALL_DATADIR "${CMAKE_INSTALL_DATADIR}/tender-gen")
set(TG_INSTALL_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}/tender-gen")
set(TG_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/TenderGen")

install(TARGETS tender-gen RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/templates" "${PROJECT_SOURCE_DIR}/modules"
  "${PROJECT_SOURCE_DIR}/include" DESTINATION "${TG_INSTALL_DATADIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/kernel/"
  DESTINATION "${TG_INSTALL_DATADIR}/kernel"
  FILES_MATCHING PATTERN "*.c" PATTERN "*.h" PATTERN "*.S" PATTERN "*.inc"
  PATTERN "*.ld")
# The kernel libraries built for installation (kernel/CMakeLists.txt),
# under the names guests link.
install(FILES "$<TARGET_FILE:tgkernel-dist>" DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  RENAME libtgkernel.a)
install(FILES "$<TARGET_FILE:tgkernel-spt-dist>"
  DESTINATION "${CMAKE_INSTALL_LIBDIR}" RENAME libtgkernel-spt.a)
install(FILES "${PROJECT_SOURCE_DIR}/kernel/include/solo5.h"
  "${PROJECT_SOURCE_DIR}/kernel/include/solo5_ext.h"
  "${PROJECT_SOURCE_DIR}/include/hvt_abi.h" "${PROJECT_SOURCE_DIR}/include/hvt_core_abi.h"
  "${PROJECT_SOURCE_DIR}/include/hvt_dev_abi.h" "${PROJECT_SOURCE_DIR}/include/spt_abi.h"
  "${PROJECT_SOURCE_DIR}/include/mft_abi.h"
  DESTINATION "${TG_INSTALL_INCLUDEDIR}")
# pkg-config for a plain Makefile build of a guest: written by
# kernel/CMakeLists.txt, which knows the guest flags.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/kernel/libc/include/"
  DESTINATION "${TG_INSTALL_INCLUDEDIR}/libc")

# Man pages, gzip-compressed as Debian ships them (-n: no name or time
# stamp, so the bytes are reproducible), and bash completion.
set(TG_MAN_PAGES tender-gen.1 tender-gen-monitor.1)
set(TG_MAN_GZ "")
foreach(page ${TG_MAN_PAGES})
  set(src "${PROJECT_SOURCE_DIR}/docs/man/${page}")
  set(gz "${PROJECT_BINARY_DIR}/man/${page}.gz")
  add_custom_command(OUTPUT "${gz}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${PROJECT_BINARY_DIR}/man"
    COMMAND sh -c "gzip -9n -c \"$1\" >\"$2\"" sh "${src}" "${gz}"
    DEPENDS "${src}" VERBATIM)
  list(APPEND TG_MAN_GZ "${gz}")
endforeach()
add_custom_target(man-pages ALL DEPENDS ${TG_MAN_GZ})
install(FILES ${TG_MAN_GZ} DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
install(FILES "${PROJECT_SOURCE_DIR}/scripts/bash-completion/tender-gen"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/bash-completion/completions")
install(FILES "${PROJECT_SOURCE_DIR}/README.md" "${PROJECT_SOURCE_DIR}/CHANGELOG.md"
  "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DOCDIR}"
  RENAME copyright)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/docs/" DESTINATION "${CMAKE_INSTALL_DOCDIR}/docs"
  FILES_MATCHING PATTERN "*.md" PATTERN "man" EXCLUDE)

# No solo5-hvt is installed: the drop-in carries the monitors one host
# approved, so its operator builds it (tender-gen --drop-in, docs/dropin.md).

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/TenderGenConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/TenderGenConfig.cmake"
  INSTALL_DESTINATION "${TG_INSTALL_CMAKEDIR}"
  PATH_VARS CMAKE_INSTALL_BINDIR CMAKE_INSTALL_LIBDIR TG_INSTALL_DATADIR
    TG_INSTALL_INCLUDEDIR)
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/TenderGenConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}" COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/TenderGenConfig.cmake"
  "${PROJECT_BINARY_DIR}/TenderGenConfigVersion.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/TenderGenUnikernel.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/TenderGenTender.cmake"
  DESTINATION "${TG_INSTALL_CMAKEDIR}")
