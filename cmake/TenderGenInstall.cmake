# TenderGenInstall.cmake: what `cmake --install` puts under the prefix, so
# another project can use tender-gen with find_package(TenderGen):
#   bin/tender-gen                      (+ tender-exec, solo5-hvt, solo5-hvt.2)
#   share/tender-gen/{templates,modules,include}   the monitor's sources
#   share/tender-gen/kernel/hvt.ld                 the guests' layout
#   lib/libtgkernel.a, include/tender-gen/         the guest kernel
#   lib/cmake/TenderGen/                           the CMake package
# tender-gen finds its data at BINDIR/../share/tender-gen (datadir.c), so
# the installed tree can be moved. Included from tender-gen/, before
# kernel/ exists: the kernel library is named by generator expression.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(TG_INSTALL_DATADIR "${CMAKE_INSTALL_DATADIR}/tender-gen")
set(TG_INSTALL_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}/tender-gen")
set(TG_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/TenderGen")
option(TG_INSTALL_SOLO5_HVT
  "Install the drop-in also as solo5-hvt and solo5-hvt.2, the names orchestrators run" ON)

install(TARGETS tender-gen RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/templates" "${PROJECT_SOURCE_DIR}/modules"
  "${PROJECT_SOURCE_DIR}/include" DESTINATION "${TG_INSTALL_DATADIR}")
install(FILES "${PROJECT_SOURCE_DIR}/kernel/hvt.ld"
  DESTINATION "${TG_INSTALL_DATADIR}/kernel")
install(FILES "$<TARGET_FILE:tgkernel>" DESTINATION "${CMAKE_INSTALL_LIBDIR}")
install(FILES "${PROJECT_SOURCE_DIR}/kernel/include/solo5.h"
  "${PROJECT_SOURCE_DIR}/include/hvt_abi.h" "${PROJECT_SOURCE_DIR}/include/mft_abi.h"
  DESTINATION "${TG_INSTALL_INCLUDEDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/kernel/libc/include/"
  DESTINATION "${TG_INSTALL_INCLUDEDIR}/libc")

# The drop-in is tender-gen itself under another name (exec.c): symbolic
# links, relative, so the prefix stays movable.
set(tg_exec_names tender-exec)
if(TG_INSTALL_SOLO5_HVT)
  list(APPEND tg_exec_names solo5-hvt solo5-hvt.2)
endif()
foreach(link ${tg_exec_names})
  install(CODE "
    set(dir \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}\")
    message(STATUS \"Installing: \${dir}/${link} -> tender-gen\")
    file(CREATE_LINK tender-gen \"\${dir}/${link}\" SYMBOLIC)")
endforeach()

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
