/* kernel.h: private interface between the parts of the guest kernel.
 * Applications never include it: their interface is solo5.h.
 *
 * The kernel is one set of shared sources (this folder) over a small
 * platform layer per target (hvt/, spt/): platform.h says what a platform
 * gives the rest. Each target's library compiles the shared sources with
 * its own platform folder first on the include path. */
#ifndef TG_KERNEL_H
#define TG_KERNEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mft_abi.h"
#include "solo5.h"

/* A macro's value as a string literal: TG_STRING(HVT_ABI_VERSION) is "2". */
#define TG_STRING_(x) #x
#define TG_STRING(x) TG_STRING_(x)

#define TG_PAGE_SIZE 4096UL
#define TG_PAGE_ALIGN_UP(x)                                                    \
    (((x) + TG_PAGE_SIZE - 1) & ~(uintptr_t)(TG_PAGE_SIZE - 1))

/* Symbols of the target's linker script: only their addresses mean
 * something. */
extern char _stext[], _end[];
extern char tg_stack_bottom[], tg_stack_top[];

/* Log levels of the --solo5: command-line words (docs/hvt-abi.md §4.2). */
enum tg_log_level {
    TG_LOG_ERROR = 0, /* --solo5:quiet and --solo5:error */
    TG_LOG_WARN,
    TG_LOG_INFO, /* the default */
    TG_LOG_DEBUG,
};

/* console.c: the console and the log. */
void tg_console_puts(const char *s);
void tg_log_set_level(enum tg_log_level level);
bool tg_log_enabled(enum tg_log_level level);
void tg_log(enum tg_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* cmdline.c: strips leading --solo5:LEVEL words, setting the log level;
 * returns the rest of (cmdline). */
const char *tg_cmdline_parse(const char *cmdline);

/* exit.c: leaving the guest on an error. */
__attribute__((noreturn)) void tg_abort(const char *file, int line,
                                        const char *msg, void *cookie);
/* The file's base name, as Solo5's abort messages give it ("FILE:LINE"). */
#ifdef __FILE_NAME__
#define TG_FILE __FILE_NAME__
#else
#define TG_FILE __FILE__
#endif
#define TG_PANIC(msg, cookie) tg_abort(TG_FILE, __LINE__, (msg), (cookie))

/* block.c: the device behind a block request of (size) bytes at (offset)
 * if it is well-formed: exactly one block (Solo5's rule) or, with (multi),
 * any non-zero number of whole blocks (solo5_ext.c); else NULL. Whether
 * the range lies inside the capacity is the platform's to check. */
const struct mft_entry *tg_block_request(solo5_handle_t handle,
                                         solo5_off_t offset, size_t size,
                                         bool multi);
/* mft.c: the monitor's copy of the manifest. The device with handle h is
 * entry h; both return NULL when there is no such device of (type). */
extern const struct mft *tg_mft;
const struct mft_entry *tg_mft_by_name(const char *name, uint32_t type,
                                       solo5_handle_t *handle);
const struct mft_entry *tg_mft_by_handle(solo5_handle_t handle, uint32_t type);

#include "platform.h"

#endif /* TG_KERNEL_H */
