/* suggest.h: "did you mean" for a misspelt key, module or option: the
 * nearest known word by edit distance, when it is near enough to be the
 * likely intent. */
#ifndef TG_SUGGEST_H
#define TG_SUGGEST_H

#include <stddef.h>

/* The word among (words) (n of them) nearest to (s, len), or NULL when
 * none is within a third of the word's length (at least one edit). An
 * edit inserts, deletes or replaces one character, or swaps two
 * neighbours ("gbd" is one edit from "gdb"). */
const char *tg_suggest(const char *s, size_t len, const char *const *words,
                       size_t n);

#endif /* TG_SUGGEST_H */
