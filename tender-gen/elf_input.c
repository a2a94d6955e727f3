/* elf_input.c: the unikernel ELF front end. The rules are the monitor's own
 * (modules/core/guest_check.c): tender-gen accepts what a generated monitor
 * accepts and refuses the rest with the monitor's words. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../include/hvt_abi.h"
#include "../include/spt_abi.h"
#include "../modules/core/guest_check.h"
#include "diag.h"
#include "frontend.h"
#include "registry.h"

int tg_is_elf(const unsigned char *buf, size_t len)
{
    return len >= 4 && memcmp(buf, "\177ELF", 4) == 0;
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

/* The service name: the input's base name without ".hvt" or ".spt", reduced to
 * characters that are safe in the output file names made from it. */
static void set_service_name(struct tg_devset *out, const char *path)
{
    const char *base = strrchr(path, '/');
    size_t n, k = 0;

    base = base ? base + 1 : path;
    n = strlen(base);
    if (n >= 4 && (strcmp(base + n - 4, ".hvt") == 0 ||
                   strcmp(base + n - 4, ".spt") == 0))
        n -= 4;
    for (size_t i = 0; i < n && k < TG_NAME_MAX; i++)
        if (name_char_ok(base[i]))
            out->name[k++] = base[i];
    out->name[k] = '\0';
    if (k == 0)
        strcpy(out->name, "unikernel");
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
    out->target =
        notes->abi_target == SPT_ABI_TARGET ? TG_TARGET_SPT : TG_TARGET_HVT;
    out->target_from_note = 1;
}

_Static_assert(GUEST_MIN_BASE == HVT_GUEST_MIN_BASE &&
                   GUEST_MIN_BASE == SPT_GUEST_MIN_BASE &&
                   GUEST_MAX_MEM == HVT_MAX_MEM_SIZE,
               "the checker's load address and memory limit are both "
               "targets'");
_Static_assert(HVT_ABI_VERSION == SPT_ABI_VERSION,
               "both targets speak version 2 of their ABI");

unsigned tg_read_elf(const char *path, const unsigned char *buf, size_t len,
                     struct tg_devset *out)
{
    const struct tg_loc loc = {path, 0, 0};
    /* Both targets speak version 2 of their ABI. */
    const struct guest_rules rules = {.abi_target = HVT_ABI_TARGET,
                                      .abi_target_alt = SPT_ABI_TARGET,
                                      .target = "hvt or solo5-spt",
                                      .abi_version = HVT_ABI_VERSION,
                                      .type_known = known_type,
                                      .known_modules = tg_opt_in_known()};
    struct guest_notes notes;
    char why[256];

    memset(out, 0, sizeof *out);
    set_service_name(out, path);
    if (guest_check_elf(buf, len, &rules, &notes, why, sizeof(why)) < 0) {
        tg_error(&loc, "%s", why);
        return 1;
    }
    fill_devset(&notes, loc, out);
    return 0;
}
