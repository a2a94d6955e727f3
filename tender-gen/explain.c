/* explain.c: measures a generated monitor; every figure is read from the
 * generated source or the binary, never estimated. */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../include/hvt_abi.h"
#include "explain.h"
#include "seccomp.h"

struct sizes {
    long long file; /* bytes, -1 when unknown */
    long long text; /* bytes of executable segments */
};

static struct sizes measure(const char *binary)
{
    struct sizes s = {-1, -1};
    struct stat st;
    int fd;

    if (!binary || (fd = open(binary, O_RDONLY | O_CLOEXEC)) < 0)
        return s;
    if (fstat(fd, &st) == 0)
        s.file = (long long)st.st_size;
    elf_version(EV_CURRENT);
    Elf *e = elf_begin(fd, ELF_C_READ, NULL);
    size_t n;
    if (e && elf_getphdrnum(e, &n) == 0) {
        s.text = 0;
        for (size_t i = 0; i < n; i++) {
            GElf_Phdr ph;
            if (gelf_getphdr(e, (int)i, &ph) && ph.p_type == PT_LOAD &&
                (ph.p_flags & PF_X))
                s.text += (long long)ph.p_filesz;
        }
    }
    elf_end(e);
    close(fd);
    return s;
}

static void list_hypercalls(FILE *f, const struct tg_shape *shape, int json)
{
    int first = 1;

    for (unsigned nr = 1; nr < HVT_HYPERCALL_MAX; nr++)
        for (unsigned i = 0; i < shape->nmodules; i++)
            for (unsigned k = 0; k < TG_MAX_HYPERCALLS; k++) {
                const struct tg_hypercall *hc =
                    &shape->modules[i]->hypercalls[k];
                if (!hc->name || hc->nr != nr)
                    continue;
                const char *name = hc->name + sizeof("HVT_HYPERCALL_") - 1;
                fprintf(f, json ? "%s\"%s\"" : "%s%s",
                        first  ? ""
                        : json ? ", "
                               : " ",
                        name);
                first = 0;
            }
}

static void list_modules(FILE *f, const struct tg_shape *shape, int json)
{
    for (unsigned i = 0; i < shape->nmodules; i++)
        fprintf(f, json ? "%s\"%s\"" : "%s%s", i ? (json ? ", " : " ") : "",
                shape->modules[i]->name);
}

/* The options the monitor takes, as the modules' descriptors list them. */
static void list_options(FILE *f, const struct tg_shape *shape, int json)
{
    int first = 1;

    for (unsigned i = 0; i < shape->nmodules; i++)
        for (unsigned k = 0;
             k < TG_MAX_OPTIONS && shape->modules[i]->options[k].name; k++) {
            fprintf(f, json ? "%s\"%s\"" : "%s%s",
                    first  ? ""
                    : json ? ", "
                           : " ",
                    shape->modules[i]->options[k].name);
            first = 0;
        }
}

static void list_syscalls(FILE *f, const struct tg_shape *shape, int json)
{
    const char *names[64];
    unsigned n = tg_seccomp_names(shape, names, 64);

    if (!json)
        fprintf(f, "syscalls:   %u allowed:", n);
    for (unsigned i = 0; i < n; i++)
        fprintf(f, json ? "%s\"%s\"" : "%s%s", json ? (i ? ", " : "") : " ",
                names[i]);
}

/* A size, or null when there is no compiled monitor to measure. */
static void json_size(FILE *f, const char *key, long long size,
                      const char *after)
{
    if (size < 0)
        fprintf(f, "  \"%s\": null%s\n", key, after);
    else
        fprintf(f, "  \"%s\": %lld%s\n", key, size, after);
}

void tg_explain(FILE *f, const struct tg_shape *shape,
                const struct tg_monitor_src *src, const char *binary, int json)
{
    struct sizes s = measure(binary);

    if (json) {
        fprintf(f,
                "{\n  \"shape\": \"%s\",\n  \"digest\": \"sha256:%s\",\n"
                "  \"modules\": [",
                shape->text, src->digest);
        list_modules(f, shape, 1);
        fprintf(f,
                "],\n  \"lines_of_c\": %u,\n  \"code_lines_of_c\": %u,\n"
                "  \"hypercalls\": [",
                src->lines, src->code_lines);
        list_hypercalls(f, shape, 1);
        fprintf(f, "],\n  \"syscalls\": [");
        list_syscalls(f, shape, 1);
        fprintf(f, "],\n  \"options\": [");
        list_options(f, shape, 1);
        fputs("],\n", f);
        json_size(f, "file_size", s.file, ",");
        json_size(f, "text_size", s.text, "\n}");
        return;
    }
    fprintf(f,
            "shape:      %s\ndigest:     sha256:%s\nmodules:    ", shape->text,
            src->digest);
    list_modules(f, shape, 0);
    fprintf(f,
            "\nlines of C: %u (%u of code, the rest comments and blank)\n"
            "hypercalls: ",
            src->lines, src->code_lines);
    list_hypercalls(f, shape, 0);
    if (shape->target == TG_TARGET_SPT)
        fputs("none: the guest makes its system calls itself", f);
    fputc('\n', f);
    list_syscalls(f, shape, 0);
    fputs("\noptions:    ", f);
    list_options(f, shape, 0);
    fputc('\n', f);
    if (s.file >= 0)
        fprintf(f, "file size:  %lld bytes\ntext size:  %lld bytes\n", s.file,
                s.text);
}
