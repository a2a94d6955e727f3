/* printf_test.c: the guest libc's formatter (kernel/libc/printf.c and
 * digits.c), built for the host under other names, against the host C
 * library's snprintf, conversion by conversion, for the forms stdio.h
 * promises: fixed cases, then random values through every form; then
 * truncation and return values, and printf's console writes.
 * Exit status 0, or 1 with one line per difference. */
/* The forms come from tables: the point is to run each through both. */
#pragma clang diagnostic ignored "-Wformat-nonliteral"

#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The guest's functions, renamed when printf.c was compiled for this test
 * (tests/kernel/CMakeLists.txt). */
int tgt_snprintf(char *buf, size_t size, const char *fmt, ...);
int tgt_printf(const char *fmt, ...);

static char console[8192];
static size_t console_len;
static unsigned console_writes;

/* What the guest's printf writes to: the test's console. */
void solo5_console_write(const char *buf, size_t size);
void solo5_console_write(const char *buf, size_t size)
{
    if (size > sizeof(console) - console_len)
        size = sizeof(console) - console_len;
    memcpy(console + console_len, buf, size);
    console_len += size;
    console_writes++;
}

static unsigned failures, checks;

static void compare(const char *fmt, const char *want, int want_n,
                    const char *got, int got_n)
{
    checks++;
    if (want_n == got_n && strcmp(want, got) == 0)
        return;
    failures++;
    if (failures <= 40)
        printf("FAIL: format \"%s\": want \"%s\" (%d), got \"%s\" (%d)\n", fmt,
               want, want_n, got, got_n);
}

/* One conversion applied to one value by both implementations. Each macro
 * use names the type the conversion takes, as a caller must. */
#define CHECK(fmt, ...)                                                        \
    do {                                                                       \
        char w_[128], g_[128];                                                 \
        int wn_ = snprintf(w_, sizeof(w_), fmt, __VA_ARGS__);                  \
        int gn_ = tgt_snprintf(g_, sizeof(g_), fmt, __VA_ARGS__);              \
        compare(fmt, w_, wn_, g_, gn_);                                        \
    } while (0)

static void fixed_cases(void)
{
    CHECK("plain text%s", "");
    CHECK("%%%s", "");
    CHECK("[%s]", "hello");
    CHECK("[%.3s]", "hello");
    CHECK("[%10s]", "hi");
    CHECK("[%-10s]", "hi");
    CHECK("[%*s]", 6, "ab");
    CHECK("[%-*s]", 6, "ab");
    CHECK("[%c%c]", 'o', 'k');
    CHECK("[%5c]", 'x');
    CHECK("[%p]", (void *)0x1234);
    CHECK("[%p]", (void *)(uintptr_t)0xffffffffffffffffULL);
    CHECK("%d %i %u", 0, -1, 0U);
    CHECK("%hhd %hhu %hd %hu", (signed char)-1, (unsigned char)255,
          (short)-32768, (unsigned short)65535);
    CHECK("%zu %zd", (size_t)12345, (ptrdiff_t)-5);
    CHECK("%jd %ju", (intmax_t)INT64_MIN, (uintmax_t)UINT64_MAX);
    CHECK("%td", (ptrdiff_t)-77);
    CHECK("%lld %llu %llx", (long long)INT64_MIN, 18446744073709551615ULL,
          0xdeadbeefcafef00dULL);
    CHECK("Solo5:   image @ (0x%lx - 0x%lx)", 0x184000UL, 0x189fffUL);
    CHECK("%lu MB", 512UL);
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* A value of a random magnitude: every digit count, both signs. */
static uint64_t random_value(void)
{
    unsigned bits = (unsigned)(next() % 65);

    return bits == 64 ? next() : next() & ((1ULL << bits) - 1);
}

static const char *const int_forms[] = {
    "%d", "%i", "%5d", "%-5d|", "%05d", "%+d", "% d", "%.3d", "%8.3d", "%.0d",
};
static const char *const uint_forms[] = {
    "%u",   "%x",    "%X",   "%o",      "%#x",  "%#X",  "%#o",
    "%08x", "%-8x|", "%.5x", "%#10.4x", "%.0u", "%.0x",
};
static const char *const long_forms[] = {"%ld", "%20ld", "%-21ld|", "%+ld",
                                         "%.19ld"};
static const char *const ulong_forms[] = {"%lu",  "%lx",    "%lX",  "%lo",
                                          "%#lx", "%016lx", "%22lo"};

static void random_cases(unsigned rounds)
{
    for (unsigned r = 0; r < rounds; r++) {
        uint64_t v = random_value();

        for (size_t i = 0; i < sizeof(int_forms) / sizeof(int_forms[0]); i++)
            CHECK(int_forms[i], (int)(uint32_t)v);
        for (size_t i = 0; i < sizeof(uint_forms) / sizeof(uint_forms[0]); i++)
            CHECK(uint_forms[i], (unsigned)v);
        for (size_t i = 0; i < sizeof(long_forms) / sizeof(long_forms[0]); i++)
            CHECK(long_forms[i], (long)v);
        for (size_t i = 0; i < sizeof(ulong_forms) / sizeof(ulong_forms[0]);
             i++)
            CHECK(ulong_forms[i], (unsigned long)v);
    }
}

/* snprintf into a buffer too small: the same prefix, the same count. */
static void truncation(void)
{
    const char *fmt = "value %lu and %s";

    for (size_t size = 0; size < 40; size++) {
        char w[64], g[64];
        memset(w, '#', sizeof(w));
        memset(g, '#', sizeof(g));
        int wn = snprintf(w, size, fmt, 1234567890123UL, "text");
        int gn = tgt_snprintf(g, size, fmt, 1234567890123UL, "text");
        checks++;
        if (wn != gn || memcmp(w, g, sizeof(w)) != 0) {
            failures++;
            printf("FAIL: snprintf size %zu: want %d \"%.*s\", got %d "
                   "\"%.*s\"\n",
                   size, wn, (int)size, w, gn, (int)size, g);
        }
    }
}

/* printf goes to the console through a buffer: longer output than the
 * buffer arrives whole, in order. */
static void console_output(void)
{
    char want[2048];
    size_t n = 0;

    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(want + n, sizeof(want) - n, "line %d: %x\n", i,
                              (unsigned)(i * 0x1111));
    console_len = console_writes = 0;
    for (int i = 0; i < 100; i++)
        tgt_printf("line %d: %x\n", i, (unsigned)(i * 0x1111));
    checks++;
    if (console_len != n || memcmp(console, want, n) != 0) {
        failures++;
        printf("FAIL: printf: console got %zu bytes, want %zu\n", console_len,
               n);
    }
}

/* Text with no conversion takes printf's short way: the same bytes, the
 * same count, in one console write. */
static void plain_text(void)
{
    static const char text[] = "no conversion in this line\n";

    console_len = console_writes = 0;
    int n = tgt_printf(text);
    checks++;
    if (n != (int)strlen(text) || console_len != strlen(text) ||
        memcmp(console, text, console_len) != 0 || console_writes != 1) {
        failures++;
        printf("FAIL: printf of plain text: returned %d, console got %zu "
               "bytes in %u writes\n",
               n, console_len, console_writes);
    }
}

int main(void)
{
    fixed_cases();
    random_cases(2000);
    truncation();
    console_output();
    plain_text();
    printf("printf_test: %u checks, %u failed\n", checks, failures);
    return failures ? 1 : 0;
}
