/* input.c: reads one INPUT, whichever kind it is, into a device set. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "diag.h"
#include "frontend.h"
#include "input.h"

/* The service name when the input gives none: the file's base name without
 * its extension, in the characters an output file name may use. */
static void default_name(const char *path, struct tg_devset *set)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    size_t n = 0;

    for (const char *p = base; *p && *p != '.' && n < TG_NAME_MAX; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || *p == '_' || *p == '-')
            set->name[n++] = *p;
    set->name[n] = 0;
    if (n == 0)
        strcpy(set->name, "unikernel");
}

/* True when (data) cannot be YAML text: a NUL, or a control character
 * other than tab, newline and carriage return, among its first bytes. */
static int is_binary(const unsigned char *data, size_t len)
{
    for (size_t i = 0; i < len && i < 512; i++)
        if (data[i] < 0x20 && data[i] != '\t' && data[i] != '\n' &&
            data[i] != '\r')
            return 1;
    return 0;
}

unsigned tg_load_input(const char *path, struct tg_devset *set)
{
    struct tg_buf in = {0};
    struct tg_loc loc = {path, 0, 0};
    struct stat st;

    memset(set, 0, sizeof(*set));
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        tg_error(&loc, "is a directory, not a unikernel or a manifest");
        return 1;
    }
    if (tg_read_file(path, &in) < 0) {
        tg_error(&loc, "cannot read: %s", strerror(errno));
        return 1;
    }
    const unsigned char *data = (const unsigned char *)in.data;
    unsigned errors;
    if (tg_is_elf(data, in.len))
        errors = tg_read_elf(path, data, in.len, set);
    else if (is_binary(data, in.len)) {
        tg_error(&loc,
                 "neither an ELF unikernel nor a YAML manifest (binary "
                 "data: it starts with bytes %02x %02x)",
                 data[0], in.len > 1 ? data[1] : 0);
        errors = 1;
    } else
        errors = tg_read_yaml(path, data, in.len, set);
    tg_buf_free(&in);
    if (errors == 0 && !set->name[0])
        default_name(path, set);
    return errors;
}
