/* emit_spt.c: the tables of a process monitor. Its filter is built with
 * libseccomp like the hvt monitors' (kill the process on anything else, on
 * a foreign architecture too), but some values it compares against are
 * known only once the monitor has attached the devices (a block device's
 * size): each such value is first written into the program as a marker,
 * a number no other comparison uses, and the instructions holding a
 * marker are listed for the monitor to fill in before it installs the
 * program. */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "emit_monitor.h"
#include "emit_spt.h"
#include "seccomp.h"

/* Markers: the high and the low 32 bits of run-time value (n). */
#define MARK_HIGH 0x5e7b0000U
#define MARK_LOW 0x5e7c0000U
#define MAX_SLOTS 256

struct slot {
    const char *fn;
    unsigned nth;
};

struct filter {
    scmp_filter_ctx ctx;
    struct slot slots[MAX_SLOTS];
    unsigned nslots;
    unsigned nrules;
};

/* The comparison for argument (a) of the rule for device (nth). */
static int compare(struct filter *f, const struct tg_arg *a, unsigned nth,
                   struct scmp_arg_cmp *cmp)
{
    if (a->op == TG_ARG_EQ)
        *cmp = (struct scmp_arg_cmp){a->index, SCMP_CMP_EQ, a->value, 0};
    else if (a->op == TG_ARG_DEVICE_FD)
        *cmp = (struct scmp_arg_cmp){a->index, SCMP_CMP_EQ, a->value + nth, 0};
    else if (a->op == TG_ARG_MASKED_EQ)
        *cmp = (struct scmp_arg_cmp){a->index, SCMP_CMP_MASKED_EQ, a->mask,
                                     a->value};
    else {
        if (f->nslots == MAX_SLOTS || nth == 0) {
            tg_fatal("seccomp: too many run-time values, or one outside a "
                     "device's rule");
            return -1;
        }
        uint64_t mark =
            (uint64_t)(MARK_HIGH | f->nslots) << 32 | (MARK_LOW | f->nslots);
        f->slots[f->nslots++] = (struct slot){a->ref, nth};
        *cmp = (struct scmp_arg_cmp){
            a->index, a->op == TG_ARG_SLOT_EQ ? SCMP_CMP_EQ : SCMP_CMP_LE, mark,
            0};
    }
    return 0;
}

static int add_rule(struct filter *f, const struct tg_syscall *sc, unsigned nth)
{
    struct scmp_arg_cmp cmp[TG_MAX_ARGS];
    unsigned n = 0;
    int nr = seccomp_syscall_resolve_name(sc->name);

    if (nr == __NR_SCMP_ERROR) {
        tg_fatal("seccomp: unknown system call \"%s\"", sc->name);
        return -1;
    }
    for (unsigned i = 0; i < TG_MAX_ARGS; i++)
        if (sc->args[i].op != TG_ARG_ANY &&
            compare(f, &sc->args[i], nth, &cmp[n++]) < 0)
            return -1;
    int rc = seccomp_rule_add_array(f->ctx, SCMP_ACT_ALLOW, nr, n, cmp);
    if (rc < 0)
        tg_fatal("seccomp: rule for %s: %s", sc->name, strerror(-rc));
    f->nrules++;
    return rc < 0 ? -1 : 0;
}

static int build(const struct tg_shape *shape, struct filter *f)
{
    f->ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
    if (!f->ctx || seccomp_attr_set(f->ctx, SCMP_FLTATR_ACT_BADARCH,
                                    SCMP_ACT_KILL_PROCESS))
        return -1;
    for (unsigned i = 0; i < shape->nmodules; i++)
        for (unsigned k = 0; k < TG_MAX_SYSCALLS; k++) {
            const struct tg_module *mod = shape->modules[i];
            const struct tg_syscall *sc = &mod->syscalls[k];
            if (!sc->name)
                continue;
            unsigned fds = tg_seccomp_device_fds(shape, mod, sc);
            for (unsigned nth = fds ? 1 : 0; nth <= fds; nth++)
                if (add_rule(f, sc, nth) < 0)
                    return -1;
        }
    return 0;
}

/* The program, and the list of the instructions that hold a marker. */
static int emit_program(const struct filter *f, const struct tg_buf *bpf,
                        struct tg_buf *out)
{
    const unsigned char *p = (const unsigned char *)bpf->data;
    unsigned found[MAX_SLOTS][2] = {{0}};
    struct tg_buf slots = {0};
    unsigned nplaces = 0;

    tg_buf_puts(out, "static struct sock_filter spt_filter[] = {\n");
    for (size_t i = 0; i + 8 <= bpf->len; i += 8) {
        unsigned code = p[i] | (unsigned)p[i + 1] << 8;
        unsigned k = p[i + 4] | (unsigned)p[i + 5] << 8 |
                     (unsigned)p[i + 6] << 16 | (unsigned)p[i + 7] << 24;
        unsigned s = k & 0xffff, high = (k & 0xffff0000U) == MARK_HIGH;
        if ((high || (k & 0xffff0000U) == MARK_LOW) && s < f->nslots) {
            tg_buf_printf(&slots, "    {%zu, %s, %u, %u},\n", i / 8,
                          f->slots[s].fn, f->slots[s].nth, high);
            found[s][high]++;
            nplaces++;
            k = 0; /* filled in at run time */
        }
        tg_buf_printf(out, "    {0x%04x, %u, %u, 0x%08x},\n", code, p[i + 2],
                      p[i + 3], k);
    }
    tg_buf_puts(out, "};\n");
    for (unsigned s = 0; s < f->nslots; s++)
        if (!found[s][0] || !found[s][1]) {
            tg_fatal("seccomp: the run-time value %s() has no place in the "
                     "program",
                     f->slots[s].fn);
            tg_buf_free(&slots);
            return -1;
        }
    tg_buf_puts(out, "\n/* The instructions whose value the monitor fills "
                     "in before installing the\n"
                     " * program: {instruction, value of the nth device, nth, "
                     "high 32 bits}. */\n"
                     "static const struct spt_slot spt_filter_slots[] = {\n");
    if (slots.len)
        tg_buf_add(out, slots.data, slots.len);
    else
        tg_buf_puts(out, "    {0, NULL, 0, 0}, /* none */\n");
    tg_buf_printf(out, "};\nenum { SPT_NSLOTS = %u };\n", nplaces);
    tg_buf_free(&slots);
    return 0;
}

static int emit_filter(const struct tg_shape *shape, struct filter *f,
                       struct tg_buf *out)
{
    struct tg_buf bpf = {0}, pfc = {0};
    int rc = -1;

    if (tg_seccomp_export(f->ctx, seccomp_export_bpf, &bpf) == 0 &&
        tg_seccomp_export(f->ctx, seccomp_export_pfc, &pfc) == 0) {
        tg_buf_puts(out, "/*\n * The guest's sandbox: installed just before "
                         "its first instruction.\n"
                         " * Anything not allowed here kills the process.\n");
        tg_seccomp_emit_reasons(shape, out);
        tg_buf_puts(out, " *\n * The same program, as libseccomp lists it "
                         "(0x5e7bNNNN and 0x5e7cNNNN are\n"
                         " * the high and low halves of run-time value "
                         "NNNN):\n");
        for (char *save, *l = strtok_r(pfc.data, "\n", &save); l;
             l = strtok_r(NULL, "\n", &save)) {
            for (char *end; (end = strstr(l, "*/"));)
                end[1] = '|';
            tg_buf_printf(out, " *   %s\n", l);
        }
        tg_buf_puts(out, " */\n");
        rc = emit_program(f, &bpf, out);
    }
    tg_buf_free(&bpf);
    tg_buf_free(&pfc);
    return rc;
}

int tg_spt_emit_dispatch(const struct tg_shape *shape, struct tg_buf *out,
                         unsigned *nrules)
{
    struct filter f = {0};
    int rc = -1;

    tg_buf_puts(out, "/* The modules compiled into this monitor, in "
                     "canonical order. */\n"
                     "static const struct spt_module *const spt_modules[] = "
                     "{\n");
    for (unsigned i = 0; i < shape->nmodules; i++)
        if (shape->modules[i]->ops)
            tg_buf_printf(out, "    &%s,\n", shape->modules[i]->ops);
    tg_buf_puts(out, "    NULL,\n};\n\n");
    if (build(shape, &f) == 0)
        rc = emit_filter(shape, &f, out);
    else
        tg_fatal("seccomp: cannot build the filter");
    *nrules = f.nrules;
    if (f.ctx)
        seccomp_release(f.ctx);
    return rc;
}

void tg_spt_emit_config(const struct tg_shape *shape, const char *digest,
                        struct tg_buf *out)
{
    tg_emit_shape_tables(shape, digest, "spt", out);
    tg_buf_printf(out,
                  "\n"
                  "static const struct spt_config spt_config = {\n"
                  "    .shape = \"%s\",\n"
                  "    .digest = \"sha256:%s\",\n"
                  "    .version = \"%s\",\n"
                  "    .devtypes = spt_devtypes,\n"
                  "    .ndevtypes = sizeof(spt_devtypes) / "
                  "sizeof(spt_devtypes[0]),\n",
                  shape->text, digest, TG_VERSION);
    tg_buf_printf(out,
                  "    .modules_known = 0x%x,\n"
                  "    .option_facts = &spt_option_facts,\n"
                  "    .modules = spt_modules,\n"
                  "    .nmodules = sizeof(spt_modules) / "
                  "sizeof(spt_modules[0]) - 1,\n"
                  "    .filter = spt_filter,\n"
                  "    .nfilter = sizeof(spt_filter) / sizeof(spt_filter[0]),\n"
                  "    .slots = spt_filter_slots,\n"
                  "    .nslots = SPT_NSLOTS,\n"
                  "    .help = spt_help,\n"
                  "    .describe = spt_describe,\n"
                  "};\n\n"
                  "/* Provenance, kept in the binary for tender-gen --verify. "
                  "*/\n"
                  "__attribute__((used, section(\".tender_gen\"))) static "
                  "const char\n"
                  "    spt_provenance[] = \"tender-gen %s\\n\"\n"
                  "                       \"shape: %s\\n\"\n"
                  "                       \"digest: sha256:%s\\n\";\n",
                  tg_opt_in_known(), TG_VERSION, shape->text, digest);
}
