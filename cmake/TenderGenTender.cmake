# TenderGenTender.cmake: add_tender(), a monitor for a unikernel built
# elsewhere (by Solo5's toolchain, another project, a CI artefact).
#
# add_tender(NAME FROM path/to/unikernel.hvt|TARGET)
# Creates NAME-tender (target NAME-monitor) in the current binary directory
# from the manifest note inside the ELF. FROM may name a target of this
# project (its file is used, and the monitor is rebuilt when it relinks) or
# a file. As in add_unikernel(), tender-gen runs at build time with a
# depfile, so a changed module or template rebuilds exactly the monitors
# that hold it.
function(add_tender name)
  cmake_parse_arguments(PARSE_ARGV 1 AT "" "FROM" "")
  if(NOT AT_FROM OR AT_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "add_tender(${name} FROM unikernel.hvt|TARGET)")
  endif()
  if(TARGET "${AT_FROM}")
    set(elf "$<TARGET_FILE:${AT_FROM}>")
    set(deps "${AT_FROM}")
  else()
    get_filename_component(elf "${AT_FROM}" ABSOLUTE)
    set(deps "${elf}")
  endif()
  set(monitor "${CMAKE_CURRENT_BINARY_DIR}/${name}-tender")
  add_custom_command(OUTPUT "${monitor}"
    COMMAND tender-gen -o "${monitor}" --depfile "${monitor}.d" "${elf}"
    # Kept by tender-gen when unchanged: made newer than its inputs.
    COMMAND "${CMAKE_COMMAND}" -E touch_nocreate "${monitor}"
    DEPENDS tender-gen ${deps}
    DEPFILE "${monitor}.d"
    COMMENT "tender-gen: monitor for ${name}"
    VERBATIM)
  add_custom_target(${name}-monitor ALL DEPENDS "${monitor}")
endfunction()
