/* hex.h: the value of one hex digit, for the modules that read hex text
 * (a MAC address, gdb's packets). */
#ifndef MON_HEX_H
#define MON_HEX_H

/* The value of (c), a hex digit of either case, or -1. */
static inline int mon_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#endif /* MON_HEX_H */
