/* verify.h: tender-gen --verify MONITOR [INPUT]: does
 * this binary match what the current module sources and toolchain build
 * from the provenance it carries? */
#ifndef TG_VERIFY_H
#define TG_VERIFY_H

#include <stdint.h>

/* Reads MONITOR's provenance, rebuilds the monitor from its shape and
 * compares digests, then bytes. With (input), also checks that the monitor
 * is the one tender-gen makes for that input (its shape, with the opt-in
 * modules (with) added). Prints the verdict on stdout. Returns 0 when it
 * matches, 1 when it does not or cannot be checked. */
int tg_verify(const char *monitor, const char *input, uint32_t with);

#endif /* TG_VERIFY_H */
