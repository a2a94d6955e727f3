/* derived.h: texts derived from the module descriptors alone, kept in the
 * tree and checked to be current: include/tender_fds.h and the system-call
 * table of docs/security.md. */
#ifndef TG_DERIVED_H
#define TG_DERIVED_H

#include "buf.h"

#define TG_SYSCALL_TABLE_BEGIN                                                 \
    "<!-- BEGIN GENERATED: system-call table (tender-gen --syscall-table, "    \
    "from modules/*/module.yml) -->"
#define TG_SYSCALL_TABLE_END "<!-- END GENERATED: system-call table -->"
#define TG_SPT_SYSCALL_TABLE_BEGIN                                             \
    "<!-- BEGIN GENERATED: spt system-call table (tender-gen --syscall-table " \
    "--target spt, from modules/*/module.yml) -->"
#define TG_SPT_SYSCALL_TABLE_END "<!-- END GENERATED: spt system-call table -->"

/* include/tender_fds.h: every module's fixed descriptor numbers and pinned
 * constants, the fixed range, and each device type's base. */
void tg_emit_fds_header(struct tg_buf *out);

/* The Markdown table of every module's system calls, pins and reasons for
 * the registry's target (tg_registry_use), between that target's markers. */
void tg_emit_syscall_table(struct tg_buf *out);

#endif /* TG_DERIVED_H */
