/* disks.c: multi's two block devices. Each holds a small text record in
 * its first and its last block ("tender-gen multi record", the device it
 * was written to, a boot count), so the host can read what the guest
 * wrote with head/tail, and the guest, at the next boot, what it wrote
 * last time: a record found on the wrong disk shows the devices' files
 * were swapped. Anything else in those blocks is refused, not
 * overwritten. */
#include <stdio.h>
#include <string.h>

#include "disks.h"
#include "exnet.h"
#include "solo5.h"

#define MAX_BLOCK 32768 /* the largest block size a monitor offers */
#define MAGIC "tender-gen multi record\n"
#define NDISKS 2

struct disk {
    const char *name;
    solo5_handle_t handle;
    struct solo5_block_info info;
    uint64_t boot;    /* this boot's count for it */
    char record[128]; /* what this boot writes, NUL-padded */
};

static struct disk disks[NDISKS] = {{.name = "disk0"}, {.name = "disk1"}};
static uint8_t block[MAX_BLOCK];

static solo5_off_t last_block(const struct disk *d)
{
    return d->info.capacity - d->info.block_size;
}

static int acquire(struct disk *d)
{
    if (solo5_block_acquire(d->name, &d->handle, &d->info) != SOLO5_R_OK) {
        printf("multi: no block device '%s' in the manifest\n", d->name);
        return -1;
    }
    if (d->info.block_size > MAX_BLOCK ||
        d->info.block_size < sizeof(d->record)) {
        printf("multi: %s: block size %llu not supported\n", d->name,
               (unsigned long long)d->info.block_size);
        return -1;
    }
    printf("multi: %s: handle %u, capacity %llu, block size %llu\n", d->name,
           (unsigned)d->handle, (unsigned long long)d->info.capacity,
           (unsigned long long)d->info.block_size);
    return 0;
}

static int read_block(const struct disk *d, solo5_off_t offset)
{
    if (solo5_block_read(d->handle, offset, block, d->info.block_size) ==
        SOLO5_R_OK)
        return 0;
    printf("multi: %s: read at %llu failed\n", d->name,
           (unsigned long long)offset);
    return -1;
}

static int all_zero(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i])
            return 0;
    return 1;
}

/* The record in (block): the device named in it into (owner), the boot
 * count into (boot). Returns 0, or -1 when (block) holds no record. */
static int parse_record(char *owner, size_t owner_size, uint64_t *boot)
{
    const char *p = (const char *)block + strlen(MAGIC);
    size_t n = 0;

    if (memcmp(block, MAGIC, strlen(MAGIC)) != 0 ||
        strncmp(p, "device ", 7) != 0)
        return -1;
    for (p += 7; p[n] != '\n' && n + 1 < owner_size; n++)
        owner[n] = p[n];
    owner[n] = 0;
    p += n;
    if (strncmp(p, "\nboot ", 6) != 0 ||
        !(p = exnet_number(p + 6, ~0ULL >> 1, boot)) || *p != '\n')
        return -1;
    return 0;
}

/* Reads (d)'s first and last blocks, prints what they hold and makes this
 * boot's record. */
static int look(struct disk *d)
{
    char owner[68] = "";
    uint64_t boot = 0;
    solo5_off_t at[2] = {0, last_block(d)};

    for (int i = 1; i >= 0; i--) { /* block 0 last: its record counts */
        if (read_block(d, at[i]) < 0)
            return -1;
        if (!all_zero(block, d->info.block_size) &&
            parse_record(owner, sizeof(owner), &boot) < 0) {
            printf("multi: %s: block at %llu holds something else; "
                   "refusing to overwrite it\n",
                   d->name, (unsigned long long)at[i]);
            return -1;
        }
    }
    if (owner[0])
        printf("multi: %s: found the record of %s, boot %llu\n", d->name, owner,
               (unsigned long long)boot);
    else
        printf("multi: %s: found no record\n", d->name);
    d->boot = boot + 1;
    snprintf(d->record, sizeof(d->record), MAGIC "device %s\nboot %llu\n",
             d->name, (unsigned long long)d->boot);
    return 0;
}

static int write_record(const struct disk *d)
{
    solo5_off_t at[2] = {0, last_block(d)};

    memset(block, 0, d->info.block_size);
    memcpy(block, d->record, sizeof(d->record));
    for (int i = 0; i < 2; i++)
        if (solo5_block_write(d->handle, at[i], block, d->info.block_size) !=
            SOLO5_R_OK) {
            printf("multi: %s: write at %llu failed\n", d->name,
                   (unsigned long long)at[i]);
            return -1;
        }
    return 0;
}

/* After every disk was written: (d) holds its own record, not another's. */
static int check_record(const struct disk *d)
{
    solo5_off_t at[2] = {0, last_block(d)};

    for (int i = 0; i < 2; i++) {
        if (read_block(d, at[i]) < 0)
            return -1;
        if (memcmp(block, d->record, sizeof(d->record)) != 0 ||
            !all_zero(block + sizeof(d->record),
                      d->info.block_size - sizeof(d->record))) {
            printf("multi: %s: block at %llu does not hold its record\n",
                   d->name, (unsigned long long)at[i]);
            return -1;
        }
    }
    printf("multi: %s: holds its own record, boot %llu\n", d->name,
           (unsigned long long)d->boot);
    return 0;
}

int multi_disks(void)
{
    for (int i = 0; i < NDISKS; i++)
        if (acquire(&disks[i]) < 0 || look(&disks[i]) < 0)
            return -1;
    for (int i = 0; i < NDISKS; i++)
        if (write_record(&disks[i]) < 0)
            return -1;
    for (int i = 0; i < NDISKS; i++)
        if (check_record(&disks[i]) < 0)
            return -1;
    return 0;
}
