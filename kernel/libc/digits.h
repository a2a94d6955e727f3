/* digits.h: integers to text, two digits a step (libc-internal; printf
 * and the kernel's fixed messages share it). */
#ifndef TG_LIBC_DIGITS_H
#define TG_LIBC_DIGITS_H

/* Room for the longest result: 20 decimal digits of 2^64 - 1. */
#define TG_DIGITS_MAX 20

/* Each writes (v) backwards so that it ends just before (end), and returns
 * where it starts: no sign, no prefix, no terminating NUL. */
char *tg_digits_dec(unsigned long long v, char *end);
char *tg_digits_hex(unsigned long long v, char *end); /* lower case */

#endif /* TG_LIBC_DIGITS_H */
