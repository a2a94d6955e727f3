/* elf_input.c: the unikernel ELF front end. The rules are the monitor's own
 * (modules/core/guest_check.c): a file tender-gen accepts, a generated
 * monitor accepts, and both refuse the others with the same words. Here the
 * words get the numbers behind them, and the device set is filled in. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../modules/core/guest_check.h"
#include "diag.h"
#include "frontend.h"
#include "memsize.h"
#include "registry.h"

#define ESCAPED_NAME_SIZE (4 * MFT_NAME_SIZE + 1) /* every byte as \xNN */

int tg_is_elf(const unsigned char *buf, size_t len)
{
    return len >= 4 && memcmp(buf, "\177ELF", 4) == 0;
}

/* Writes (name), at most MFT_NAME_SIZE bytes and stopping at a NUL, into
 * (dst) with every byte that is not printable ASCII, and '"' and '\', as
 * \xNN: manifest names come from an untrusted file and end up on a
 * terminal. */
static const char *escape_name(const char *name, char *dst)
{
    char *d = dst;

    for (size_t i = 0; i < MFT_NAME_SIZE && name[i]; i++) {
        unsigned char ch = (unsigned char)name[i];
        if (ch < 0x20 || ch > 0x7e || ch == '"' || ch == '\\')
            d += sprintf(d, "\\x%02x", ch);
        else
            *d++ = (char)ch;
    }
    *d = '\0';
    return dst;
}

/* ASCII only, whatever the locale: names end up in file names and C. */
static int is_alnum(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9');
}

static int name_char_ok(char ch)
{
    return is_alnum(ch) || ch == '.' || ch == '_' || ch == '-';
}

/* The service name: the input's base name without ".hvt", reduced to
 * characters that are safe in the output file names made from it. */
static void set_service_name(struct tg_devset *out, const char *path)
{
    const char *base = strrchr(path, '/');
    size_t n, k = 0;

    base = base ? base + 1 : path;
    n = strlen(base);
    if (n >= 4 && strcmp(base + n - 4, ".hvt") == 0)
        n -= 4;
    for (size_t i = 0; i < n && k < TG_NAME_MAX; i++)
        if (name_char_ok(base[i]))
            out->name[k++] = base[i];
    out->name[k] = '\0';
    if (k == 0)
        strcpy(out->name, "unikernel");
}

/* "1: block, 2: net": the device types' MFT1 numbers, for messages. */
static const char *known_types(void)
{
    static char list[256];
    const struct tg_registry *r = tg_registry();
    size_t o = 0;

    for (unsigned t = 0; t < r->ndevtypes && o < sizeof(list); t++)
        o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%u: %s",
                              t ? ", " : "", r->devtypes[t].mft,
                              r->devtypes[t].name);
    return list;
}

/* The numbers behind a problem, after guest_why()'s words; (mft) is the
 * manifest note, for the names of entries. */
static void details(const struct guest_problem *p, const uint8_t *mft,
                    char *buf, size_t size)
{
    const uint64_t *v = p->value;
    char esc[ESCAPED_NAME_SIZE], lo[32], hi[32];
    const char *name = "";

    if (mft && p->entry >= 0)
        name = escape_name((const char *)mft + MFT_SIZE(p->entry), esc);
    buf[0] = '\0';
    switch (p->reason) {
    case GUEST_SHORT_EHDR:
        snprintf(buf, size, " (%llu bytes, need 64)", (unsigned long long)v[0]);
        break;
    case GUEST_CLASS:
        snprintf(buf, size, " (EI_CLASS %llu, expected 2)",
                 (unsigned long long)v[0]);
        break;
    case GUEST_DATA:
        snprintf(buf, size, " (EI_DATA %llu, expected 1)",
                 (unsigned long long)v[0]);
        break;
    case GUEST_IDENT_VERSION:
    case GUEST_VERSION:
        snprintf(buf, size, " (%llu, expected 1)", (unsigned long long)v[0]);
        break;
    case GUEST_TYPE:
        snprintf(buf, size, " (e_type %llu)", (unsigned long long)v[0]);
        break;
    case GUEST_MACHINE:
        snprintf(buf, size, " (e_machine %llu, expected 62)",
                 (unsigned long long)v[0]);
        break;
    case GUEST_EHSIZE:
        snprintf(buf, size, " (e_ehsize %llu, expected 64)",
                 (unsigned long long)v[0]);
        break;
    case GUEST_PHENTSIZE:
        snprintf(buf, size, " (e_phentsize %llu, expected 56)",
                 (unsigned long long)v[0]);
        break;
    case GUEST_PHDRS_BEYOND:
        snprintf(buf, size,
                 " (offset %llu, %llu entries; the file has %llu "
                 "bytes)",
                 (unsigned long long)v[0], (unsigned long long)v[1],
                 (unsigned long long)v[2]);
        break;
    case GUEST_PHDRS_MISALIGNED:
        snprintf(buf, size, " (e_phoff %llu is not a multiple of 8)",
                 (unsigned long long)v[0]);
        break;
    case GUEST_NOTE_TINY:
        snprintf(buf, size, " (p_filesz %llu < 12, a note header)",
                 (unsigned long long)v[0]);
        break;
    case GUEST_NOTE_BEYOND:
        snprintf(buf, size,
                 " (offset %llu, %llu bytes; the file has %llu "
                 "bytes)",
                 (unsigned long long)v[0], (unsigned long long)v[1],
                 (unsigned long long)v[2]);
        break;
    case GUEST_NOTE_TWICE:
        snprintf(buf, size, " (the first is in phdr[%llu])",
                 (unsigned long long)v[0]);
        break;
    case GUEST_DESC_SIZE:
        snprintf(buf, size, " (n_descsz %llu, valid 1..%llu%s)",
                 (unsigned long long)v[0], (unsigned long long)v[1],
                 strcmp(p->note, "MFT1") == 0
                     ? ": at most 64 entries, 63 devices and the reserved one"
                     : "");
        break;
    case GUEST_DESC_FILESZ:
        snprintf(buf, size, " (p_filesz %llu < %llu + n_descsz %llu)",
                 (unsigned long long)v[0], (unsigned long long)v[1],
                 (unsigned long long)v[2]);
        break;
    case GUEST_DESC_PADDING:
        snprintf(buf, size,
                 " (n_descsz %llu leaves nothing after %llu bytes "
                 "of padding)",
                 (unsigned long long)v[0], (unsigned long long)v[1]);
        break;
    case GUEST_NO_ABI:
        snprintf(buf, size, " (no ABI1 note): not a Solo5 unikernel?");
        break;
    case GUEST_NO_MFT:
        snprintf(buf, size, " (no MFT1 note)");
        break;
    case GUEST_ABI_SHORT:
    case GUEST_MFT_SHORT:
    case GUEST_TGN_SHORT:
    case GUEST_TGN_SIZE:
        snprintf(buf, size, " (descriptor of %llu bytes)",
                 (unsigned long long)v[0]);
        break;
    case GUEST_ABI_TARGET:
        snprintf(buf, size, " (ABI1 target %llu%s%s)", (unsigned long long)v[0],
                 *guest_target_name(v[0]) ? ", " : "", guest_target_name(v[0]));
        break;
    case GUEST_ABI_VERSION:
        snprintf(buf, size, " (version %llu; this target speaks version %llu)",
                 (unsigned long long)v[0], (unsigned long long)v[1]);
        break;
    case GUEST_MFT_VERSION:
    case GUEST_TGN_VERSION:
        snprintf(buf, size, " (version %llu, expected 1)",
                 (unsigned long long)v[0]);
        break;
    case GUEST_MFT_TOO_MANY:
        snprintf(buf, size, " (%llu)", (unsigned long long)v[0]);
        break;
    case GUEST_MFT_SIZE:
        snprintf(buf, size,
                 " (%llu bytes, but %llu entries need 8 + 104 * "
                 "%llu = %llu)",
                 (unsigned long long)v[0], (unsigned long long)v[1],
                 (unsigned long long)v[1], (unsigned long long)v[2]);
        break;
    case GUEST_RESERVED_TYPE:
        snprintf(buf, size, " (type 0x40000000; found type 0x%llx)",
                 (unsigned long long)v[0]);
        break;
    case GUEST_RESERVED_NAME:
    case GUEST_NAME_CHARS:
        snprintf(buf, size, " (\"%s\")", name);
        break;
    case GUEST_NAME_TWICE:
        snprintf(buf, size, " (\"%s\", also manifest entry %llu)", name,
                 (unsigned long long)v[0]);
        break;
    case GUEST_TYPE_UNKNOWN:
        snprintf(buf, size, " (\"%s\" has type 0x%llx; known: %s)", name,
                 (unsigned long long)v[0], known_types());
        break;
    case GUEST_TGN_MODULES:
        snprintf(buf, size, " (bits 0x%llx; known: %s)",
                 (unsigned long long)v[0], tg_opt_in_list());
        break;
    case GUEST_TGN_MEMORY:
        if (p->mem == GUEST_MEM_STEP)
            snprintf(
                buf, size, " (%llu bytes; nearest valid values: %s, %s)",
                (unsigned long long)v[0],
                tg_size_text(v[0] / TG_MEM_STEP * TG_MEM_STEP, lo, sizeof(lo)),
                tg_size_text((v[0] / TG_MEM_STEP + 1) * TG_MEM_STEP, hi,
                             sizeof(hi)));
        else
            snprintf(buf, size, " (%llu bytes)", (unsigned long long)v[0]);
        break;
    default:
        break;
    }
}

static int known_type(const void *ctx, uint32_t type)
{
    (void)ctx;
    return tg_devtype_of_mft(type) >= 0;
}

/* An accepted file's devices, in manifest order. */
static void fill_devset(const struct guest_notes *notes, struct tg_loc loc,
                        struct tg_devset *out)
{
    struct mft_entry e;

    out->ndevices = (unsigned)((notes->mft_size - MFT_SIZE(0)) / sizeof(e)) - 1;
    for (unsigned i = 1; i <= out->ndevices; i++) {
        struct tg_device *dev = &out->devices[i - 1];
        memcpy(&e, notes->mft + MFT_SIZE(i), sizeof(e));
        memcpy(dev->name, e.name, MFT_NAME_SIZE);
        dev->type = (unsigned)tg_devtype_of_mft(e.type);
        dev->loc = loc;
    }
    out->modules = notes->modules;
    out->mem_size = notes->mem_size;
}

unsigned tg_read_elf(const char *path, const unsigned char *buf, size_t len,
                     struct tg_devset *out)
{
    const struct tg_loc loc = {path, 0, 0};
    const struct guest_rules rules = {HVT_ABI_TARGET, HVT_ABI_VERSION,
                                      known_type, NULL, tg_opt_in_known()};
    struct guest_notes notes;
    struct guest_problem why;
    char text[160], more[256];

    memset(out, 0, sizeof *out);
    set_service_name(out, path);
    if (guest_check_elf(buf, len, &rules, &notes, &why) == 0) {
        fill_devset(&notes, loc, out);
        return 0;
    }
    details(&why, why.entry >= 0 ? notes.mft : NULL, more, sizeof(more));
    tg_error(&loc, "%s%s", guest_why(&why, text, sizeof(text)), more);
    return 1;
}
