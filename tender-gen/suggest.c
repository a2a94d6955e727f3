/* suggest.c: the nearest known word, for "did you mean" hints. */
#include <string.h>

#include "suggest.h"

#define SUGGEST_MAX 64 /* longer words are not compared */

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* Edits from (a) to (b): insertions, deletions, replacements and swaps of
 * two neighbouring characters (the optimal string alignment distance). */
static size_t distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t d[SUGGEST_MAX + 1][SUGGEST_MAX + 1];

    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            d[i][j] =
                min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < d[i][j])
                d[i][j] = d[i - 2][j - 2] + 1;
        }
    return d[la][lb];
}

const char *tg_suggest(const char *s, size_t len, const char *const *words,
                       size_t n)
{
    size_t limit = len / 3 ? len / 3 : 1, best_d = limit + 1;
    const char *best = NULL;

    if (len == 0 || len > SUGGEST_MAX)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t lw = strlen(words[i]);
        if (lw > SUGGEST_MAX)
            continue;
        size_t dist = distance(s, len, words[i], lw);
        if (dist < best_d) {
            best_d = dist;
            best = words[i];
        }
    }
    return best;
}
