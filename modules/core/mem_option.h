/* mem_option.h: the guest's memory size, for both targets' monitors
 * (mem_option.c). */
#ifndef MON_MEM_OPTION_H
#define MON_MEM_OPTION_H

#include <stdint.h>

#define MON_DEFAULT_MEM (512ULL << 20) /* solo5's default */

/* The guest's memory in bytes: --mem's value (opt, MiB) when given, else
 * the note's (note_mem, bytes) when not 0, else the default; rounded down
 * to the memory rule's 2 MiB step (at least 2 MiB), with a warning when
 * that changes it. A bad --mem ends the monitor with a message. */
uint64_t mon_guest_mem(const char *opt, uint64_t note_mem);

#endif /* MON_MEM_OPTION_H */
