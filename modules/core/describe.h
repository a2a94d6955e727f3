/* describe.h: what a monitor or a drop-in says of itself for --describe:
 * one JSON object on stdout, without a guest (docs/monitor.md,
 * docs/dropin.md). Both are described from the same few strings tender-gen
 * generated into them, the shape text holding the modules and the device
 * limits, so the two always answer in the same terms. */
#ifndef MON_DESCRIBE_H
#define MON_DESCRIBE_H

#include <stddef.h>

/* A JSON text being built; it goes out with write(2) only, since musl's
 * stdio writes with writev, which urunc's filter around a drop-in lacks. */
struct mon_json {
    char text[32768];
    size_t len;
    int overflow; /* the text did not fit: nothing is written */
};

void mon_json_printf(struct mon_json *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* (s) as a JSON string: quote, backslash and control characters escaped;
 * NULL as null. */
void mon_json_string(struct mon_json *j, const char *s);

/* The fields of one monitor, each on a line of its own indented by
 * (indent) spaces, the last without a comma: target, abi_version, shape,
 * digest, modules (from the shape), device_limits (from the shape). */
void mon_describe_fields(struct mon_json *j, unsigned indent,
                         const char *target, int abi_version, const char *shape,
                         const char *digest);

/* Writes (j) to stdout. Returns 0, or -1 when it did
 * not fit or could not be written. */
int mon_json_write(const struct mon_json *j);

/* A monitor's --describe: the fields above under kind "monitor", the
 * generator and its version. Returns 0 or -1 as mon_json_write. */
int mon_describe(const char *version, const char *target, int abi_version,
                 const char *shape, const char *digest);

#endif /* MON_DESCRIBE_H */
