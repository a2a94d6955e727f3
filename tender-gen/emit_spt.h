/* emit_spt.h: the generated tables of a process (spt) monitor: its module
 * list, its seccomp filter, which is the guest's whole sandbox, with the
 * places the monitor fills at run time, and its configuration. */
#ifndef TG_EMIT_SPT_H
#define TG_EMIT_SPT_H

#include "buf.h"
#include "shape.h"

/* The module list and the filter (derived from the registry: part of the
 * digest). Sets *nrules. Returns 0, or -1 after reporting. */
int tg_spt_emit_dispatch(const struct tg_shape *shape, struct tg_buf *out,
                         unsigned *nrules);

/* The device types, spt_config and the provenance section. */
void tg_spt_emit_config(const struct tg_shape *shape, const char *digest,
                        struct tg_buf *out);

#endif /* TG_EMIT_SPT_H */
