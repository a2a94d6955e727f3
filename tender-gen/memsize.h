/* memsize.h: guest memory sizes as manifests write them ("64M") and the one
 * rule they follow (docs/design.md decision 9): 2M to 4G in steps of 2M. The
 * YAML front end, the ELF front end (TGN1 note) and --memory share it. */
#ifndef TG_MEMSIZE_H
#define TG_MEMSIZE_H

#include <stddef.h>
#include <stdint.h>

#define TG_MIB (UINT64_C(1) << 20)
#define TG_GIB (UINT64_C(1) << 30)
#define TG_MEM_STEP (2 * TG_MIB) /* guest memory is mapped in 2 MiB pages */
#define TG_MEM_MIN TG_MEM_STEP
#define TG_MEM_MAX (4 * TG_GIB) /* the guest's page tables end there */

/* Parses DIGITS followed by one of K, M, G into bytes, saturating at
 * UINT64_MAX. Returns 0, or -1 when (s, len) has not that form. */
int tg_parse_size(const char *s, size_t len, uint64_t *bytes);

/* (bytes), a multiple of 1 MiB, in the largest unit that shows it exactly. */
const char *tg_size_text(uint64_t bytes, char *buf, size_t cap);

/* NULL when (bytes) is a valid guest memory size; otherwise what is wrong
 * with it, written into (buf): "is less than the minimum 2M", "is more than
 * the maximum 4G", or "is not a multiple of 2M (nearest valid values: 2M,
 * 4M)". */
const char *tg_mem_problem(uint64_t bytes, char *buf, size_t cap);

#endif /* TG_MEMSIZE_H */
