/* stdlib.h: number parsing and exit (the guest's small libc).
 *
 * There is no errno and no allocator: the heap is the application's
 * (struct solo5_start_info). The strto* functions clamp on overflow. */
#ifndef TG_LIBC_STDLIB_H
#define TG_LIBC_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

long strtol(const char *restrict s, char **restrict end, int base);
long long strtoll(const char *restrict s, char **restrict end, int base);
unsigned long strtoul(const char *restrict s, char **restrict end, int base);
unsigned long long strtoull(const char *restrict s, char **restrict end,
                            int base);
int atoi(const char *s);
int abs(int x);
long labs(long x);

/* abort() is solo5_abort(); exit() is solo5_exit(). */
void abort(void) __attribute__((noreturn));
void exit(int status) __attribute__((noreturn));

#endif /* TG_LIBC_STDLIB_H */
