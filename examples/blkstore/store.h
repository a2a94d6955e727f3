/* store.h: blkstore's on-disk format and operations: a small key-value
 * store on one Solo5 block device.
 *
 * Block 0 holds the superblock; every other block is one slot, which is
 * either all zeros (free) or exactly one record (a key and its value). Every
 * byte of a block is covered: the used part by a CRC-32, the rest must be
 * zero. So a record cut short by a torn write, a flipped bit anywhere, a
 * record left by another image and an image that is not a store at all are
 * all detected, and the store then refuses to serve rather than guess. */
#ifndef BLKSTORE_STORE_H
#define BLKSTORE_STORE_H

#include <stdint.h>

#include "solo5.h"

#define STORE_MAX_KEY 64      /* bytes */
#define STORE_MAX_SLOTS 1024  /* records one image holds at most */
#define STORE_MAX_BLOCK 32768 /* the largest Solo5 block size */

/* Results of store operations; main.c turns them into exit statuses. */
enum store_result {
    STORE_OK = 0,
    STORE_NOT_FOUND,
    STORE_REFUSED, /* not a store, or made for another geometry */
    STORE_DAMAGED, /* a store, but some slots hold damaged records */
    STORE_IO,      /* the device failed a request */
    STORE_FULL,
    STORE_BAD_ARG, /* key or value too long, bad characters */
};

/* Attaches the block device (name); reads and checks the whole image when
 * (check) is set (every operation but format needs that). STORE_DAMAGED
 * leaves the store open for store_scrub only. */
enum store_result store_open(const char *name, int check);

/* Makes an empty store. Refuses an image that holds something other than
 * zeros or a store unless (force). */
enum store_result store_format(int force);

/* The operations on an opened, checked store. store_get copies the value
 * and its length to (value, *len), which holds STORE_MAX_BLOCK bytes. */
enum store_result store_put(const char *key, const char *value);
enum store_result store_get(const char *key, char *value, unsigned *len);
enum store_result store_delete(const char *key);

/* Calls (fn) for each record, in slot order. */
enum store_result store_list(void (*fn)(const char *key, const char *value,
                                        unsigned len));

/* Frees the slots the check found damaged (their records are lost). */
enum store_result store_scrub(void);

#endif /* BLKSTORE_STORE_H */
