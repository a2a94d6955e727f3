/* format_test.c: the monitor's own formatter (mon_format in
 * modules/core/mon_util.c), built for the host, against the host C
 * library's snprintf, for every form the monitor's messages use: the
 * conversions d i u x X o s and %, the flag 0, widths and precisions
 * (digits and *), the lengths l, ll and z; then truncation and the
 * returned length. Exit status 0, or 1 with one line per difference. */
/* The forms are arguments: the point is to run each through both. */
#pragma clang diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

#include <stdio.h>
#include <string.h>

#include "../../modules/core/format.c"
#include "../../modules/core/messages.c"
#include "../../modules/core/mon_util.c"

static unsigned failures, checks;

#define CHECK(...)                                                             \
    do {                                                                       \
        char got[256], want[256];                                              \
        size_t n = mon_format(got, sizeof(got), __VA_ARGS__);                  \
        int m = snprintf(want, sizeof(want), __VA_ARGS__);                     \
        checks++;                                                              \
        if (strcmp(got, want) != 0 || n != (size_t)m) {                        \
            printf("differs: %s: got \"%s\" (%zu), want \"%s\" (%d)\n",        \
                   #__VA_ARGS__, got, n, want, m);                             \
            failures++;                                                        \
        }                                                                      \
    } while (0)

int main(void)
{
    char small[4];

    CHECK("%s: %d %i %u %x %X %o %%", "name", -42, 7, 42u, 0xbeefu, 0xbeefu,
          8u);
    CHECK("%d %d %u %x", 0, -2147483647 - 1, 4294967295u, 0u);
    CHECK("%llx %llu %lld", 0xffffffffffffffffULL, 18446744073709551615ULL,
          -9223372036854775807LL - 1);
    CHECK("%ld %lu %zu %zd", -5L, 7UL, (size_t)9, (ssize_t)-3);
    CHECK("[%5d] [%05d] [%05d] [%*u] [%03o] [%04o]", 42, 42, -42, 6, 7u, 8u,
          0755u);
    CHECK("[%02x%02x] [%08x] [%08llx]", 1u, 255u, 0xabcu, 0x12345ULL);
    CHECK("[%.*s] [%.3s] [%10s] [%s] [%.*s]", 3, "abcdef", "abcdef", "hi", "",
          0, "x");
    CHECK("gpa=0x%llx, size=%llu: %s", 0x100000ULL, 4096ULL, "outside");
    checks++;
    if (mon_format(small, sizeof(small), "%s", "abcdef") != 6 ||
        strcmp(small, "abc") != 0) {
        printf("differs: truncation: got \"%s\"\n", small);
        failures++;
    }
    printf("%u checks, %u differences\n", checks, failures);
    return failures ? 1 : 0;
}
