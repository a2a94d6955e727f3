# exnet.cmake: the network examples' shared sources (examples/lib), for
# add_unikernel(... SOURCES ${EXNET_SOURCES} INCLUDE_DIRECTORIES ${EXNET_DIR}).
# Listed as sources, not a library: each guest compiles them with its own
# flags, and no CMakeLists.txt outside an example's folder has to change.
set(EXNET_DIR ${CMAKE_CURRENT_LIST_DIR})
set(EXNET_SOURCES
  ${EXNET_DIR}/checksum.c
  ${EXNET_DIR}/frame.c
  ${EXNET_DIR}/options.c
  ${EXNET_DIR}/serve.c)
