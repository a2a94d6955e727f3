/* spt_abi.h: the binary interface between a guest and its process monitor
 * (Solo5 spt, ABI version 2, x86_64). The guest runs as code inside the
 * monitor's own process: it makes Linux system calls itself, through a
 * seccomp filter the monitor installs, on the descriptors the monitor hands
 * it in the boot information and in its manifest's entries (b.hostfd).
 * Shared by kernel/ (guest side) and modules/ (monitor side); see
 * docs/spt-abi.md. Needs only C11 freestanding headers. Every layout here is
 * pinned by _Static_assert: changing one breaks Solo5 compatibility. */
#ifndef SPT_ABI_H
#define SPT_ABI_H

#include <stddef.h>
#include <stdint.h>

#define SPT_ABI_TARGET 2  /* abi_target of the ABI1 note: spt */
#define SPT_ABI_VERSION 2 /* abi_version of the ABI1 note */

/* Address space. Guest memory is one private anonymous mapping from
 * SPT_HOST_MEM_BASE (the lowest address Linux lets a process map by default)
 * up to the memory size; guest addresses are process addresses. The ELF
 * loads at SPT_GUEST_MIN_BASE or above; the boot information, the manifest
 * and the command line sit at SPT_BOOT_INFO_BASE, in that order. The
 * monitor's own image must lie above the guest's memory. */
#define SPT_HOST_MEM_BASE 0x10000ULL
#define SPT_BOOT_INFO_BASE (SPT_HOST_MEM_BASE + 0x1000ULL)
#define SPT_GUEST_MIN_BASE 0x100000ULL
#define SPT_CMDLINE_SIZE 8192 /* including the terminating NUL */

/* The entry point is called as void start(struct spt_boot_info *), on a
 * stack whose top is the end of guest memory minus 8 (so that, as after a
 * call, the stack pointer is 8 modulo 16). */
struct spt_boot_info {
    uint64_t mem_size;   /* bytes, from address 0 */
    uint64_t kernel_end; /* end of the highest PT_LOAD segment */
    uint64_t cmdline;    /* address of the command line (C string) */
    uint64_t mft;        /* address of the manifest copy */
    int32_t epollfd;     /* epoll set the guest waits on in yield */
    int32_t timerfd;     /* timerfd in that set, for yield's deadline */
};
_Static_assert(sizeof(struct spt_boot_info) == 40, "spt boot info layout");
_Static_assert(offsetof(struct spt_boot_info, epollfd) == 32,
               "spt boot info layout");

/* epoll_event.data.u64 of the internal timerfd; a device's events carry its
 * manifest index (its solo5_handle_t) instead. */
#define SPT_INTERNAL_TIMERFD 0xfffffffeULL

#endif /* SPT_ABI_H */
