/* string.c: memory and string functions (the guest's small libc).
 *
 * Each is built on x86 string instructions (rep movs/stos, repne scas,
 * repe cmps). They are compact everywhere, and on hosts that emulate guest
 * instructions one at a time they are what matters: one emulated string
 * instruction does the work of thousands of a byte loop's
 * (docs/benchmarks.md has the figures). The direction flag is clear on entry
 * (SysV ABI); the one function that sets it clears it again in the same asm
 * statement. */
#include <stdint.h>
#include <string.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    void *d = dst;

    __asm__ __volatile__("rep movsb"
                         : "+D"(d), "+S"(src), "+c"(n)
                         :
                         : "memory");
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    const char *s = src;
    char *d = dst;

    if ((uintptr_t)d - (uintptr_t)s >= n)
        return memcpy(dst, src, n);
    /* The destination overlaps the source's tail: copy backwards. */
    d += n - 1;
    s += n - 1;
    __asm__ __volatile__("std\n\trep movsb\n\tcld"
                         : "+D"(d), "+S"(s), "+c"(n)
                         :
                         : "memory", "cc");
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    void *d = dst;

    __asm__ __volatile__("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;

    if (n == 0)
        return 0;
    /* Stops after the first difference, or after n equal bytes. */
    __asm__ __volatile__("repe cmpsb"
                         : "+S"(p), "+D"(q), "+c"(n)
                         :
                         : "memory", "cc");
    return p[-1] - q[-1];
}

void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;

    if (n == 0)
        return NULL;
    /* Stops after the first match, or after n bytes. */
    __asm__ __volatile__("repne scasb"
                         : "+D"(p), "+c"(n)
                         : "a"(c)
                         : "memory", "cc");
    return p[-1] == (unsigned char)c ? (void *)(uintptr_t)(p - 1) : NULL;
}

size_t strlen(const char *s)
{
    const char *p = s;
    size_t n = SIZE_MAX;

    __asm__ __volatile__("repne scasb"
                         : "+D"(p), "+c"(n)
                         : "a"(0)
                         : "memory", "cc");
    return (size_t)(p - s) - 1;
}

size_t strnlen(const char *s, size_t maxlen)
{
    const char *nul = memchr(s, '\0', maxlen);

    return nul ? (size_t)(nul - s) : maxlen;
}

int strcmp(const char *a, const char *b)
{
    /* Comparing up to a's NUL is enough: a shorter b differs at its NUL. */
    return memcmp(a, b, strlen(a) + 1);
}

int strncmp(const char *a, const char *b, size_t n)
{
    size_t len = strnlen(a, n);

    return memcmp(a, b, len < n ? len + 1 : n);
}

char *strchr(const char *s, int c)
{
    /* The terminating NUL counts as part of the string. */
    return memchr(s, c, strlen(s) + 1);
}

char *strrchr(const char *s, int c)
{
    const char *p = s + strlen(s);
    size_t n = (size_t)(p - s) + 1;

    /* Backwards from the NUL; stops after the first match. */
    __asm__ __volatile__("std\n\trepne scasb\n\tcld"
                         : "+D"(p), "+c"(n)
                         : "a"(c)
                         : "memory", "cc");
    return p[1] == (char)c ? (char *)(uintptr_t)(p + 1) : NULL;
}
