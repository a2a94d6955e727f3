/* seccomp.c: builds the filter with libseccomp and writes it as C. The
 * default action kills the whole process, never a thread (solo5-hvt's
 * kill-thread default can leave a hung process), and so does a system call
 * from a foreign architecture. */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "seccomp.h"

/* The argument of (sc) that names a device descriptor, or NULL. */
static const struct tg_arg *device_arg(const struct tg_syscall *sc)
{
    for (unsigned i = 0; i < 2; i++)
        if (sc->args[i].op == TG_ARG_DEVICE_FD)
            return &sc->args[i];
    return NULL;
}

unsigned tg_seccomp_device_fds(const struct tg_shape *shape,
                               const struct tg_module *mod,
                               const struct tg_syscall *sc)
{
    if (!device_arg(sc))
        return 0;
    return shape->count[mod->dev_type];
}

/* Adds the rule for (sc); a TG_ARG_DEVICE_FD argument names the device
 * descriptor value + (nth). */
static int add_rule(scmp_filter_ctx ctx, const struct tg_syscall *sc,
                    unsigned nth)
{
    struct scmp_arg_cmp cmp[2];
    unsigned n = 0;
    int nr = seccomp_syscall_resolve_name(sc->name);

    if (nr == __NR_SCMP_ERROR) {
        tg_fatal("seccomp: unknown system call \"%s\"", sc->name);
        return -1;
    }
    for (unsigned i = 0; i < 2; i++) {
        const struct tg_arg *a = &sc->args[i];
        if (a->op == TG_ARG_EQ)
            cmp[n++] =
                (struct scmp_arg_cmp){a->index, SCMP_CMP_EQ, a->value, 0};
        else if (a->op == TG_ARG_DEVICE_FD)
            cmp[n++] =
                (struct scmp_arg_cmp){a->index, SCMP_CMP_EQ, a->value + nth, 0};
        else if (a->op == TG_ARG_MASKED_EQ)
            cmp[n++] = (struct scmp_arg_cmp){a->index, SCMP_CMP_MASKED_EQ,
                                             a->mask, a->value};
    }
    int rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, n, cmp);
    if (rc < 0)
        tg_fatal("seccomp: rule for %s: %s", sc->name, strerror(-rc));
    return rc < 0 ? -1 : 0;
}

/* The rules for (sc): one, or one per device descriptor. */
static int add_rules(scmp_filter_ctx ctx, const struct tg_shape *shape,
                     const struct tg_module *mod, const struct tg_syscall *sc,
                     unsigned *nrules)
{
    unsigned fds = tg_seccomp_device_fds(shape, mod, sc);

    for (unsigned nth = fds ? 1 : 0; nth <= fds; nth++) {
        if (add_rule(ctx, sc, nth) < 0)
            return -1;
        (*nrules)++;
    }
    return 0;
}

int tg_seccomp_export(scmp_filter_ctx ctx,
                      int (*fn)(const scmp_filter_ctx, int), struct tg_buf *out)
{
    FILE *f = tmpfile();
    char chunk[4096];
    size_t n;

    if (!f || fn(ctx, fileno(f)) < 0) {
        tg_fatal("seccomp: cannot export the filter");
        if (f)
            fclose(f);
        return -1;
    }
    rewind(f);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        tg_buf_add(out, chunk, n);
    fclose(f);
    return 0;
}

static scmp_filter_ctx build(const struct tg_shape *shape, unsigned *nrules)
{
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);

    *nrules = 0;
    if (!ctx ||
        seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS))
        goto fail;
    for (unsigned i = 0; i < shape->nmodules; i++)
        for (unsigned k = 0; k < TG_MAX_SYSCALLS; k++) {
            const struct tg_syscall *sc = &shape->modules[i]->syscalls[k];
            if (sc->name &&
                add_rules(ctx, shape, shape->modules[i], sc, nrules) < 0)
                goto fail;
        }
    return ctx;
fail:
    tg_fatal("seccomp: cannot build the filter");
    if (ctx)
        seccomp_release(ctx);
    return NULL;
}

int tg_arg_is_slot(const struct tg_arg *a)
{
    return a->op == TG_ARG_SLOT_EQ || a->op == TG_ARG_SLOT_LE;
}

void tg_seccomp_emit_reasons(const struct tg_shape *shape, struct tg_buf *out)
{
    tg_buf_puts(out, " * Allowed, and why:\n");
    for (unsigned i = 0; i < shape->nmodules; i++)
        for (unsigned k = 0; k < TG_MAX_SYSCALLS; k++) {
            const struct tg_module *mod = shape->modules[i];
            const struct tg_syscall *sc = &mod->syscalls[k];
            if (!sc->name)
                continue;
            tg_buf_printf(out, " *   %-15s %-8s %s", sc->name, mod->name,
                          sc->why);
            unsigned fds = tg_seccomp_device_fds(shape, mod, sc);
            unsigned first = fds ? (unsigned)device_arg(sc)->value + 1 : 0;
            if (fds == 1)
                tg_buf_printf(out, ": fd %u", first);
            else if (fds > 1)
                tg_buf_printf(out, ": fds %u..%u", first, first + fds - 1);
            for (unsigned a = 0; a < TG_MAX_ARGS; a++)
                if (tg_arg_is_slot(&sc->args[a]))
                    tg_buf_printf(out, ", arg%u %s %s()", sc->args[a].index,
                                  sc->args[a].op == TG_ARG_SLOT_EQ ? "=="
                                                                   : "<=",
                                  sc->args[a].ref);
            tg_buf_puts(out, "\n");
        }
}

static void emit_program(const struct tg_buf *bpf, struct tg_buf *out)
{
    const unsigned char *p = (const unsigned char *)bpf->data;

    tg_buf_puts(out, "static const struct sock_filter mon_seccomp_filter[] "
                     "= {\n");
    for (size_t i = 0; i + 8 <= bpf->len; i += 8) {
        unsigned code = p[i] | (unsigned)p[i + 1] << 8;
        unsigned k = p[i + 4] | (unsigned)p[i + 5] << 8 |
                     (unsigned)p[i + 6] << 16 | (unsigned)p[i + 7] << 24;
        tg_buf_printf(out, "    {0x%04x, %u, %u, 0x%08x},\n", code, p[i + 2],
                      p[i + 3], k);
    }
    tg_buf_puts(out, "};\n");
}

int tg_seccomp_emit(const struct tg_shape *shape, struct tg_buf *out,
                    unsigned *nrules)
{
    struct tg_buf bpf = {0}, pfc = {0};
    scmp_filter_ctx ctx = build(shape, nrules);
    int rc = -1;

    if (!ctx)
        return -1;
    if (tg_seccomp_export(ctx, seccomp_export_bpf, &bpf) == 0 &&
        tg_seccomp_export(ctx, seccomp_export_pfc, &pfc) == 0) {
        tg_buf_puts(out, "/*\n * The sandbox: installed after the guest is "
                         "loaded and its devices attached.\n"
                         " * Anything not allowed here kills the process.\n");
        tg_seccomp_emit_reasons(shape, out);
        tg_buf_puts(out, " *\n * The same program, as libseccomp lists it:\n");
        for (char *save, *l = strtok_r(pfc.data, "\n", &save); l;
             l = strtok_r(NULL, "\n", &save)) {
            for (char *end; (end = strstr(l, "*/"));)
                end[1] = '|'; /* never close the comment early */
            tg_buf_printf(out, " *   %s\n", l);
        }
        tg_buf_puts(out, " */\n");
        emit_program(&bpf, out);
        rc = 0;
    }
    tg_buf_free(&bpf);
    tg_buf_free(&pfc);
    seccomp_release(ctx);
    return rc;
}

unsigned tg_seccomp_names(const struct tg_shape *shape, const char **names,
                          unsigned max)
{
    unsigned n = 0;

    for (unsigned i = 0; i < shape->nmodules; i++)
        for (unsigned k = 0; k < TG_MAX_SYSCALLS; k++) {
            const char *name = shape->modules[i]->syscalls[k].name;
            unsigned j = 0;
            while (name && j < n && strcmp(names[j], name) != 0)
                j++;
            if (name && j == n && n < max)
                names[n++] = name;
        }
    return n;
}
