/* input.c: reads one INPUT, whichever kind it is, into a device set. */
#include <errno.h>
#include <string.h>

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

unsigned tg_load_input(const char *path, struct tg_devset *set)
{
    struct tg_buf in = {0};
    struct tg_loc loc = {path, 0, 0};

    memset(set, 0, sizeof(*set));
    if (tg_read_file(path, &in) < 0) {
        tg_error(&loc, "cannot read: %s", strerror(errno));
        return 1;
    }
    const unsigned char *data = (const unsigned char *)in.data;
    unsigned errors = tg_is_elf(data, in.len)
                          ? tg_read_elf(path, data, in.len, set)
                          : tg_read_yaml(path, data, in.len, set);
    tg_buf_free(&in);
    if (errors == 0 && !set->name[0])
        default_name(path, set);
    return errors;
}
