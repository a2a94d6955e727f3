# TenderGenUnikernel.cmake: add_unikernel(), which builds a unikernel and its
# own monitor in one target graph. tender-gen runs at build time (never at
# configure time), with a depfile, so editing a manifest, a module or a
# template rebuilds exactly what depends on it.

# Guest code generation, shared by kernel/ and every application and test
# guest (docs/design.md decision 6), with the project's C compiler, gcc or clang:
# freestanding, baseline x86-64, position-dependent at 1 MiB, no red zone (a
# trap taken without an IST stack would overwrite it), and no x87/SSE/MMX:
# on some hosts any such arithmetic kills the guest (docs/hvt-abi.md §9), and
# it also keeps the compiler from vectorising integer loops. Only the
# compiler's own headers (stddef.h, stdint.h, ...) are kept, never the
# host's: clang says so with -nostdlibinc; gcc, which has no such flag,
# drops every directory (-nostdinc) and gets its own back by name. The
# canary is a global (-mstack-protector-guard=global), not %fs:0x28,
# because the FS base is 0 until an application sets up TLS. The linker
# script comes from kernel/ (hvt/hvt.ld, spt/spt.ld) or, for raw test
# guests, from add_unikernel(LINKER_SCRIPT).
if(NOT TARGET tender_guest)
  add_library(tender_guest INTERFACE)
  if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
    execute_process(COMMAND "${CMAKE_C_COMPILER}" -print-file-name=include
      OUTPUT_VARIABLE _tg_gcc_include OUTPUT_STRIP_TRAILING_WHITESPACE)
    set(TG_GUEST_HEADERS -nostdinc -isystem "${_tg_gcc_include}")
  elseif(CMAKE_C_COMPILER_ID MATCHES "Clang")
    set(TG_GUEST_HEADERS -nostdlibinc)
  else()
    message(FATAL_ERROR "tender-gen guests are built with gcc or clang; "
      "this project's C compiler is ${CMAKE_C_COMPILER_ID}")
  endif()
  # The same for every compiler (also in the pkg-config file).
  set(TG_GUEST_CODEGEN_FLAGS
    -ffreestanding -march=x86-64 -mtune=generic
    -fno-pic -fno-pie -mcmodel=small -mno-red-zone
    -mno-sse -mno-mmx -mno-80387
    -fstack-protector-strong -mstack-protector-guard=global
    -fno-asynchronous-unwind-tables -fno-unwind-tables -fno-common)
  set(TG_GUEST_LINK_OPTIONS
    -nostdlib -static -fuse-ld=lld -Wl,-z,max-page-size=0x1000
    -Wl,-z,norelro -Wl,--build-id=none)
  target_compile_options(tender_guest INTERFACE
    "$<$<COMPILE_LANGUAGE:C>:${TG_GUEST_HEADERS};${TG_GUEST_CODEGEN_FLAGS}>"
    "$<$<COMPILE_LANGUAGE:ASM>:-march=x86-64;-fno-pic;-fno-pie>")
  target_link_options(tender_guest INTERFACE ${TG_GUEST_LINK_OPTIONS})
endif()

# add_unikernel(NAME SOURCES src... MANIFEST manifest.yml
#               [TARGETS hvt|spt...] [MEMORY 64M] [LIBRARIES lib...]
#               [INCLUDE_DIRECTORIES dir...] [NO_MONITOR | MONITORS target...]
#               [NO_KERNEL LINKER_SCRIPT script.ld])
# Creates, in the current binary directory, for each target of TARGETS
# (default: hvt) the guest and its monitor:
#   hvt: NAME.hvt (target NAME) and NAME-tender (target NAME-monitor)
#   spt: NAME.spt (target NAME-spt) and NAME-spt-tender (target
#        NAME-spt-monitor)
# MONITORS names the targets whose monitor is built (default: all of
# TARGETS); NO_MONITOR builds none. NO_KERNEL links no kernel/ library (for
# raw test guests that bring their own _start).
function(add_unikernel name)
  cmake_parse_arguments(PARSE_ARGV 1 UK "NO_KERNEL;NO_MONITOR"
    "MANIFEST;MEMORY;LINKER_SCRIPT"
    "SOURCES;LIBRARIES;INCLUDE_DIRECTORIES;TARGETS;MONITORS")
  if(NOT UK_SOURCES OR NOT UK_MANIFEST)
    message(FATAL_ERROR "add_unikernel(${name}): SOURCES and MANIFEST are required")
  endif()
  if(NOT UK_TARGETS)
    set(UK_TARGETS hvt)
  endif()
  if(UK_NO_MONITOR OR "MONITORS" IN_LIST UK_KEYWORDS_MISSING_VALUES)
    set(UK_MONITORS)
  elseif(NOT DEFINED UK_MONITORS)
    set(UK_MONITORS ${UK_TARGETS})
  endif()
  foreach(target IN LISTS UK_TARGETS UK_MONITORS)
    if(NOT target MATCHES "^(hvt|spt)$")
      message(FATAL_ERROR "add_unikernel(${name}): unknown target '${target}' "
        "(the targets are hvt and spt)")
    endif()
  endforeach()
  foreach(target IN LISTS UK_TARGETS)
    set(monitor OFF)
    if(target IN_LIST UK_MONITORS)
      set(monitor ON)
    endif()
    _tg_add_unikernel_target(${name} ${target} ${monitor})
  endforeach()
endfunction()

# One target's guest and, with (monitor) ON, its monitor, for
# add_unikernel(), whose parsed arguments (UK_*) it reads. hvt keeps the
# names it had before there were targets: NAME, NAME.hvt, NAME-tender.
function(_tg_add_unikernel_target name target monitor)
  get_filename_component(manifest "${UK_MANIFEST}" ABSOLUTE)
  set(dir "${CMAKE_CURRENT_BINARY_DIR}")
  if(target STREQUAL "hvt")
    set(guest ${name})
    set(kernel tgkernel)
    set(target_opt)
  else()
    set(guest ${name}-${target})
    set(kernel tgkernel-${target})
    set(target_opt --target ${target})
  endif()
  set(note "${dir}/${guest}.note.c")
  set(tender "${dir}/${guest}-tender")
  # MEMORY goes into the guest's TGN1 note, where the monitor takes its
  # default from; the monitor itself does not depend on it.
  set(memory_opt)
  if(UK_MEMORY)
    set(memory_opt --memory "${UK_MEMORY}")
  endif()

  # tender-gen leaves an output whose content did not change as it is, so
  # a manifest edit that keeps the notes recompiles nothing; the rule's
  # output is therefore a stamp, touched every time, with the note as a
  # byproduct: without it make would find the note older than the manifest
  # and run the rule again in every pass.
  add_custom_command(OUTPUT "${note}.stamp"
    BYPRODUCTS "${note}"
    COMMAND tender-gen ${target_opt} ${memory_opt} --emit-note "${note}"
            "${manifest}"
    COMMAND "${CMAKE_COMMAND}" -E touch "${note}.stamp"
    DEPENDS tender-gen "${manifest}"
    COMMENT "tender-gen: notes for ${guest}"
    VERBATIM)
  add_executable(${guest} ${UK_SOURCES} "${note}" "${note}.stamp")
  set_target_properties(${guest} PROPERTIES OUTPUT_NAME "${name}.${target}")
  target_include_directories(${guest} PRIVATE ${UK_INCLUDE_DIRECTORIES})
  if(UK_NO_KERNEL)
    get_filename_component(script "${UK_LINKER_SCRIPT}" ABSOLUTE)
    target_link_libraries(${guest} PRIVATE tender_guest ${UK_LIBRARIES})
    target_link_options(${guest} PRIVATE "-Wl,-T,${script}")
    set_property(TARGET ${guest} APPEND PROPERTY LINK_DEPENDS "${script}")
  else()
    target_link_libraries(${guest} PRIVATE ${kernel} ${UK_LIBRARIES})
  endif()

  if(NOT monitor)
    return()
  endif()
  # The monitor, too, is kept when unchanged; nothing depends on its time,
  # so it is touched, to be newer than what it was built from.
  add_custom_command(OUTPUT "${tender}"
    COMMAND tender-gen ${target_opt} -o "${tender}"
            --depfile "${tender}.d" "${manifest}"
    COMMAND "${CMAKE_COMMAND}" -E touch_nocreate "${tender}"
    DEPENDS tender-gen "${manifest}"
    DEPFILE "${tender}.d"
    COMMENT "tender-gen: monitor for ${guest}"
    VERBATIM)
  # The target is not called NAME-tender: that is the file's name, and
  # Ninja refuses a target and an output of the same name.
  add_custom_target(${guest}-monitor ALL DEPENDS "${tender}")
endfunction()

# add_sanitized_monitor(NAME MANIFEST manifest.yml): NAME-tender-asan, the
# same generated monitor.c built against glibc with ASan and UBSan
# (docs/design.md decision 5), for tests. It installs no seccomp filter.
function(add_sanitized_monitor name)
  cmake_parse_arguments(PARSE_ARGV 1 SM "" "MANIFEST" "")
  get_filename_component(manifest "${SM_MANIFEST}" ABSOLUTE)
  set(src "${CMAKE_CURRENT_BINARY_DIR}/${name}-asan.c")
  add_custom_command(OUTPUT "${src}"
    COMMAND tender-gen --emit-c "${src}" --depfile "${src}.d" "${manifest}"
    DEPENDS tender-gen "${manifest}"
    DEPFILE "${src}.d"
    COMMENT "tender-gen: monitor source for ${name} (sanitizer build)"
    VERBATIM)
  add_executable(${name}-tender-asan "${src}")
  target_compile_definitions(${name}-tender-asan PRIVATE MON_SANITIZE)
  target_compile_options(${name}-tender-asan PRIVATE -fsanitize=address,undefined
    -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(${name}-tender-asan PRIVATE -fsanitize=address,undefined)
endfunction()
