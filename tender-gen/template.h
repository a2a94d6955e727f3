/* template.h: strict placeholders. A template line that is exactly
 * `/\*@ NAME @*\/` is replaced by the slot NAME; an unknown placeholder, a
 * slot that is never used, and any other use of the `/\*@` marker are
 * errors, so a template and its generator cannot drift apart silently. */
#ifndef TG_TEMPLATE_H
#define TG_TEMPLATE_H

#include "buf.h"

struct tg_slot {
    const char *name;
    const struct tg_buf *value;
};

/* Fills (tmpl), read from (path), into (out). Returns 0, or -1 after
 * reporting every problem. */
int tg_template_fill(const char *path, const struct tg_buf *tmpl,
                     const struct tg_slot *slots, unsigned nslots,
                     struct tg_buf *out);

#endif /* TG_TEMPLATE_H */
