/* provenance.c: finds a monitor's .tender_gen section by name with libelf
 * and parses its three lines strictly: whatever does not read back exactly
 * as emit_monitor.c writes it is not a provenance to trust. */
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <string.h>

#include "provenance.h"

#define SECTION ".tender_gen"
#define MAX_SECTION 1024 /* the real one is ~150 bytes */

/* Copies the section's bytes into (out), NUL-terminated. */
static int find_section(Elf *e, char *out, size_t size, char *why,
                        size_t whysize)
{
    size_t shstrndx;
    Elf_Scn *scn = NULL;

    if (elf_getshdrstrndx(e, &shstrndx) != 0) {
        snprintf(why, whysize, "no section headers: %s", elf_errmsg(-1));
        return -1;
    }
    while ((scn = elf_nextscn(e, scn)) != NULL) {
        GElf_Shdr sh;
        const char *name;
        if (!gelf_getshdr(scn, &sh) ||
            !(name = elf_strptr(e, shstrndx, sh.sh_name)) ||
            strcmp(name, SECTION) != 0)
            continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        if (sh.sh_type != SHT_PROGBITS || !d || !d->d_buf ||
            d->d_size >= size) {
            snprintf(why, whysize, "malformed %s section", SECTION);
            return -1;
        }
        memcpy(out, d->d_buf, d->d_size);
        out[d->d_size] = 0;
        return 0;
    }
    snprintf(why, whysize, "no %s section: not a monitor made by tender-gen",
             SECTION);
    return -1;
}

/* Copies the rest of the line at *p after (prefix) into (out); advances. */
static int take_line(const char **p, const char *prefix, char *out, size_t size)
{
    size_t plen = strlen(prefix);
    const char *nl = strchr(*p, '\n');

    if (!nl || strncmp(*p, prefix, plen) != 0 ||
        (size_t)(nl - *p) - plen >= size || nl == *p + plen)
        return -1;
    memcpy(out, *p + plen, (size_t)(nl - *p) - plen);
    out[(size_t)(nl - *p) - plen] = 0;
    *p = nl + 1;
    return 0;
}

static int is_hex64(const char *s)
{
    return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

static int parse(const char *text, struct tg_provenance *prov)
{
    const char *p = text;

    if (take_line(&p, "tender-gen ", prov->version, sizeof(prov->version)) <
            0 ||
        take_line(&p, "shape: ", prov->shape, sizeof(prov->shape)) < 0 ||
        take_line(&p, "digest: sha256:", prov->digest, sizeof(prov->digest)) <
            0 ||
        *p != 0 || !is_hex64(prov->digest))
        return -1;
    return 0;
}

int tg_provenance_read(char *image, size_t len, struct tg_provenance *prov,
                       char *why, size_t whysize)
{
    char text[MAX_SECTION];
    int rc = -1;

    memset(prov, 0, sizeof(*prov));
    if (elf_version(EV_CURRENT) == EV_NONE) {
        snprintf(why, whysize, "libelf: %s", elf_errmsg(-1));
        return -1;
    }
    Elf *e = elf_memory(image, len);
    if (!e || elf_kind(e) != ELF_K_ELF)
        snprintf(why, whysize, "not an ELF file");
    else if (find_section(e, text, sizeof(text), why, whysize) == 0) {
        rc = parse(text, prov);
        if (rc < 0)
            snprintf(why, whysize, "%s section does not parse", SECTION);
    }
    elf_end(e);
    return rc;
}
