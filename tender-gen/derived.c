/* derived.c: the texts written from the module descriptors alone, for
 * every module: include/tender_fds.h (the fixed descriptor numbers and
 * the constants the filter pins) and the system-call table of
 * docs/security.md. Both are committed; a test checks they are current. */
#include <stdio.h>
#include <string.h>

#include "derived.h"
#include "devset.h"
#include "registry.h"

/* Writes (text) as a C comment, wrapped to 80 columns. */
static void put_comment(struct tg_buf *out, const char *text)
{
    const char *p = text;
    size_t col = 0;

    tg_buf_puts(out, "/*");
    col = 2;
    while (*p) {
        size_t word = strcspn(p, " ");
        /* The word and the comment's end must fit in 80 columns. */
        if (col + 1 + word + 3 > 80 && col > 3) {
            tg_buf_puts(out, "\n *");
            col = 2;
        }
        tg_buf_printf(out, " %.*s", (int)word, p);
        col += 1 + word;
        p += word;
        p += strspn(p, " ");
    }
    tg_buf_puts(out, " */\n");
}

/* #define NAME VALUE, broken as clang-format breaks it when too long. */
static void put_define(struct tg_buf *out, const char *name, const char *value)
{
    int len = (int)strlen("#define ") + (int)strlen(name);

    if (len + 1 + (int)strlen(value) <= 80)
        tg_buf_printf(out, "#define %s %s\n", name, value);
    else
        tg_buf_printf(out, "#define %s%*s\\\n    %s\n", name, 79 - len, "",
                      value);
}

static void put_numbers(const struct tg_module *mod, struct tg_buf *out)
{
    char comment[512];

    if (!mod->fds[0].name)
        return;
    snprintf(comment, sizeof(comment), "%s (%s):", mod->name, mod->descriptor);
    tg_buf_puts(out, "\n");
    put_comment(out, comment);
    for (unsigned k = 0; k < TG_MAX_FDS && mod->fds[k].name; k++) {
        const struct tg_fd *fd = &mod->fds[k];
        put_comment(out, fd->use);
        put_define(out, fd->name, fd->value);
    }
}

/* The lowest and highest descriptor number any module pins to. */
static void fixed_range(unsigned *first, unsigned *last)
{
    const struct tg_registry *reg = tg_registry();

    *first = ~0U;
    *last = 0;
    for (unsigned i = 0; i < reg->nmodules; i++)
        for (unsigned k = 0; k < TG_MAX_FDS && reg->modules[i].fds[k].name;
             k++) {
            const struct tg_fd *fd = &reg->modules[i].fds[k];
            if (!fd->fixed)
                continue;
            if (fd->number < *first)
                *first = (unsigned)fd->number;
            if (fd->number > *last)
                *last = (unsigned)fd->number;
        }
}

void tg_emit_fds_header(struct tg_buf *out)
{
    const struct tg_registry *reg = tg_registry();
    unsigned first, last, last_device = 0;

    tg_buf_puts(
        out,
        "/* tender_fds.h: the fixed descriptor numbers a monitor moves its "
        "host\n"
        " * resources to before its sandbox closes, so the seccomp filter "
        "tender-gen\n"
        " * generates can name them, each one exactly (docs/design.md decision "
        "4), and\n"
        " * the other constants the filter pins. High numbers keep them "
        "clear of the\n"
        " * descriptors the monitor opens along the way. Written by "
        "tender-gen\n"
        " * --fds-header "
        "from the modules' descriptors (modules/NAME/module.yml): edit\n"
        " * those. The sandbox closes every descriptor that is not stdio or "
        "pinned\n"
        " * here (mon_fd_pin), whatever the caller left open. */\n"
        "#ifndef TENDER_FDS_H\n#define TENDER_FDS_H\n");
    for (unsigned i = 0; i < reg->nmodules; i++)
        put_numbers(&reg->modules[i], out);
    fixed_range(&first, &last);
    tg_buf_printf(out,
                  "\n/* The fixed numbers of every module, from the lowest to "
                  "the highest. */\n"
                  "#define MON_FD_FIXED_FIRST %u\n"
                  "#define MON_FD_FIXED_LAST %u\n",
                  first, last);
    tg_buf_puts(out, "\n/* A device's descriptor is its type's BASE + its "
                     "rank among the devices\n"
                     " * of that type (1..63, mon_fd_device): the filter "
                     "allows I/O on BASE + 1 ..\n"
                     " * BASE + the shape's count of that type, one rule per "
                     "descriptor, and on\n"
                     " * no other number in the range. */\n");
    for (unsigned t = 0; t < reg->ndevtypes; t++) {
        const struct tg_devtype *d = &reg->devtypes[t];
        char comment[128], value[16];
        snprintf(comment, sizeof(comment), "%s devices: %u..%u", d->name,
                 d->fd_base + 1, d->fd_base + d->max);
        snprintf(value, sizeof(value), "%u", d->fd_base);
        put_comment(out, comment);
        put_define(out, d->fd_name, value);
        if (d->fd_base + d->max > last_device)
            last_device = d->fd_base + d->max;
    }
    tg_buf_printf(out,
                  "\n/* The highest device descriptor: a descriptor lifted "
                  "above it (mon_fd_lift)\n"
                  " * is clear of every number a pin takes. */\n"
                  "#define MON_FD_LAST %u\n",
                  last_device);
    tg_buf_puts(out, "\n#endif /* TENDER_FDS_H */\n");
}

/* ---- the system-call table --------------------------------------------- */

/* (text) in a Markdown table cell: '|' escaped. */
static void put_cell(struct tg_buf *out, const char *text)
{
    for (const char *p = text; *p; p++)
        if (*p == '|')
            tg_buf_puts(out, "\\|");
        else
            tg_buf_add(out, p, 1);
}

static const struct tg_fd *named(const struct tg_module *mod, const char *name)
{
    const struct tg_registry *reg = tg_registry();

    for (unsigned k = 0; k < TG_MAX_FDS && mod->fds[k].name; k++)
        if (strcmp(mod->fds[k].name, name) == 0)
            return &mod->fds[k];
    for (unsigned k = 0; k < TG_MAX_FDS && reg->modules[0].fds[k].name; k++)
        if (strcmp(reg->modules[0].fds[k].name, name) == 0)
            return &reg->modules[0].fds[k];
    return NULL;
}

static void put_pin(struct tg_buf *out, const struct tg_module *mod,
                    const struct tg_arg *a)
{
    const char *what = a->label ? a->label : "arg";

    if (a->op == TG_ARG_DEVICE_FD) {
        const struct tg_devtype *d = &tg_registry()->devtypes[mod->dev_type];
        tg_buf_printf(out,
                      "fd = %u .. %u + the shape's %s count (its devices' "
                      "descriptors, one rule each)",
                      d->fd_base + 1, d->fd_base, d->name);
        return;
    }
    if (a->op == TG_ARG_SLOT_EQ || a->op == TG_ARG_SLOT_LE) {
        size_t len = strlen(what);
        if (len > 4 && strcmp(what + len - 4, "_max") == 0)
            len -= 4; /* offset_max: "offset <= ..." */
        tg_buf_printf(
            out, "%.*s %s `%s()` of the device (filled in at run time)",
            (int)len, what, a->op == TG_ARG_SLOT_EQ ? "=" : "<=", a->ref);
        return;
    }
    const struct tg_fd *fd = a->ref ? named(mod, a->ref) : NULL;
    if (a->op == TG_ARG_EQ)
        tg_buf_printf(out, "%s = %llu", what, (unsigned long long)a->value);
    else
        tg_buf_printf(out, "%s = ", what);
    if (a->op == TG_ARG_EQ && a->ref)
        tg_buf_printf(out, " (`%s`)", a->ref);
    else if (a->ref && fd) {
        tg_buf_printf(out, "`%s` (`", a->ref);
        put_cell(out, fd->value);
        tg_buf_puts(out, "`)");
    } else if (a->ref)
        tg_buf_printf(out, "`%s`", a->ref);
    else
        tg_buf_printf(out, "%llu", (unsigned long long)a->value);
}

void tg_emit_syscall_table(struct tg_buf *out)
{
    const struct tg_registry *reg = tg_registry();

    int spt = reg->target == TG_TARGET_SPT;

    tg_buf_puts(out, spt ? TG_SPT_SYSCALL_TABLE_BEGIN : TG_SYSCALL_TABLE_BEGIN);
    tg_buf_puts(out, "\n"
                     "| Module | System call | Arguments pinned | Why |\n"
                     "|---|---|---|---|\n");
    for (unsigned i = 0; i < reg->nmodules; i++) {
        const struct tg_module *mod = &reg->modules[i];
        for (unsigned k = 0; k < TG_MAX_SYSCALLS && mod->syscalls[k].name;
             k++) {
            const struct tg_syscall *sc = &mod->syscalls[k];
            tg_buf_printf(out, "| %s | `%s` |", mod->name, sc->name);
            for (unsigned a = 0;
                 a < TG_MAX_ARGS && sc->args[a].op != TG_ARG_ANY; a++) {
                tg_buf_puts(out, a ? ", " : " ");
                put_pin(out, mod, &sc->args[a]);
            }
            tg_buf_puts(out, " | ");
            put_cell(out, sc->why);
            tg_buf_puts(out, " |\n");
        }
    }
    tg_buf_puts(out, spt ? TG_SPT_SYSCALL_TABLE_END "\n"
                         : TG_SYSCALL_TABLE_END "\n");
}
