/* store.c: blkstore's on-disk format (store.h): the superblock, records,
 * the check of a whole image, and the operations on it. Integer code only:
 * floating point stops guests on some hosts. */
#include <stdio.h>
#include <string.h>

#include "store.h"

#define SUPER_MAGIC "TGKVSTOR"
#define SUPER_VERSION 1
#define RECORD_MAGIC "TGKR"

struct super {
    char magic[8];
    uint32_t crc; /* of the bytes from version to the end of the struct */
    uint32_t version;
    uint64_t store_id; /* made at format time; every record carries it */
    uint32_t block_size;
    uint32_t nslots;
};

struct record {
    char magic[4];
    uint32_t crc; /* of the bytes from store_id to the end of the value */
    uint64_t store_id;
    uint16_t klen;
    uint16_t vlen;
    uint32_t reserved; /* 0 */
    /* then klen bytes of key and vlen bytes of value */
};

/* What the check found in each slot. */
enum slot_state { SLOT_FREE, SLOT_USED, SLOT_DAMAGED };

static struct {
    uint8_t state;
    uint8_t klen;
    char key[STORE_MAX_KEY];
} slots[STORE_MAX_SLOTS];

static const char *dev_name;
static solo5_handle_t dev;
static struct solo5_block_info info;
static uint64_t store_id;
static unsigned nslots;
static uint8_t blk[STORE_MAX_BLOCK] __attribute__((aligned(8)));
static uint32_t crc_table[256];

/* CRC-32 (IEEE 802.3, reflected), table-driven: about six guest
 * instructions a byte. */
static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320U ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffU;

    while (n--)
        c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffU;
}

static int all_zero(const uint8_t *p, size_t n)
{
    uint64_t acc = 0;
    size_t i = 0;

    /* Eight bytes at a time: blocks are 8-aligned and a multiple of 8. */
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        acc |= w;
    }
    for (; i < n; i++)
        acc |= p[i];
    return acc == 0;
}

static enum store_result io(int write, unsigned block)
{
    uint64_t off = (uint64_t)block * info.block_size;
    solo5_result_t r = write ? solo5_block_write(dev, off, blk, info.block_size)
                             : solo5_block_read(dev, off, blk, info.block_size);

    if (r == SOLO5_R_OK)
        return STORE_OK;
    printf("blkstore: %s: I/O error %s block %u (result %d)\n", dev_name,
           write ? "writing" : "reading", block, (int)r);
    return STORE_IO;
}

/* Checks the superblock in blk; sets store_id and nslots. */
static enum store_result check_super(void)
{
    struct super s;

    memcpy(&s, blk, sizeof(s));
    if (memcmp(s.magic, SUPER_MAGIC, 8) != 0) {
        printf("blkstore: %s: %s; refusing it (run 'format' to make a "
               "store)\n",
               dev_name,
               all_zero(blk, info.block_size) ? "not formatted"
                                              : "not a blkstore image");
        return STORE_REFUSED;
    }
    if (crc32(blk + 12, sizeof(s) - 12) != s.crc) {
        printf("blkstore: %s: superblock damaged; refusing the image\n",
               dev_name);
        return STORE_REFUSED;
    }
    if (s.version != SUPER_VERSION || s.block_size != info.block_size ||
        s.nslots == 0 || s.nslots > STORE_MAX_SLOTS ||
        s.nslots > info.capacity / info.block_size - 1) {
        printf("blkstore: %s: store version %u for %u-byte blocks and %u "
               "slots does not fit this device (%llu-byte blocks, %llu "
               "bytes); refusing it\n",
               dev_name, s.version, s.block_size, s.nslots,
               (unsigned long long)info.block_size,
               (unsigned long long)info.capacity);
        return STORE_REFUSED;
    }
    /* Checked after the geometry: a store made for smaller blocks has
     * records in the rest of a larger block 0. */
    if (!all_zero(blk + sizeof(s), info.block_size - sizeof(s))) {
        printf("blkstore: %s: superblock damaged; refusing the image\n",
               dev_name);
        return STORE_REFUSED;
    }
    store_id = s.store_id;
    nslots = s.nslots;
    return STORE_OK;
}

/* Classifies the record in blk; fills the slot's key when it is used. */
static enum slot_state check_record(unsigned slot, const char **why)
{
    struct record r;
    size_t bs = info.block_size;

    if (all_zero(blk, bs))
        return SLOT_FREE;
    memcpy(&r, blk, sizeof(r));
    size_t used = sizeof(r) + r.klen + r.vlen;
    *why = "not a record";
    if (memcmp(r.magic, RECORD_MAGIC, 4) != 0)
        return SLOT_DAMAGED;
    *why = "bad lengths";
    if (r.klen == 0 || r.klen > STORE_MAX_KEY || used > bs || r.reserved)
        return SLOT_DAMAGED;
    *why = "checksum mismatch (torn or corrupted write)";
    if (crc32(blk + 8, used - 8) != r.crc || !all_zero(blk + used, bs - used))
        return SLOT_DAMAGED;
    *why = "record of another store";
    if (r.store_id != store_id)
        return SLOT_DAMAGED;
    slots[slot].klen = (uint8_t)r.klen;
    memcpy(slots[slot].key, blk + sizeof(r), r.klen);
    return SLOT_USED;
}

/* Reads and checks every slot; reports each damaged one. */
static enum store_result check_slots(void)
{
    unsigned damaged = 0;

    for (unsigned i = 0; i < nslots; i++) {
        const char *why = "";
        if (io(0, i + 1) != STORE_OK)
            return STORE_IO;
        slots[i].state = (uint8_t)check_record(i, &why);
        if (slots[i].state == SLOT_DAMAGED) {
            printf("blkstore: %s: slot %u (block %u) damaged: %s\n", dev_name,
                   i, i + 1, why);
            damaged++;
        }
    }
    if (damaged == 0)
        return STORE_OK;
    printf("blkstore: %s: %u damaged slot(s); refusing the image ('scrub' "
           "drops damaged records)\n",
           dev_name, damaged);
    return STORE_DAMAGED;
}

enum store_result store_open(const char *name, int check)
{
    dev_name = name;
    crc_init();
    if (solo5_block_acquire(name, &dev, &info) != SOLO5_R_OK) {
        printf("blkstore: no block device '%s'\n", name);
        return STORE_REFUSED;
    }
    if (info.block_size > STORE_MAX_BLOCK || info.block_size % 8 ||
        info.capacity / info.block_size < 2) {
        printf("blkstore: %s: too small, or blocks too large\n", name);
        return STORE_REFUSED;
    }
    if (!check)
        return STORE_OK;
    enum store_result r = io(0, 0);
    if (r == STORE_OK)
        r = check_super();
    return r == STORE_OK ? check_slots() : r;
}

enum store_result store_format(int force)
{
    enum store_result r = io(0, 0);

    if (r != STORE_OK)
        return r;
    if (!force && !all_zero(blk, info.block_size) &&
        memcmp(blk, SUPER_MAGIC, 8) != 0) {
        printf("blkstore: %s: holds something else; 'format force' "
               "overwrites it\n",
               dev_name);
        return STORE_REFUSED;
    }
    uint64_t n = info.capacity / info.block_size - 1;
    nslots = n > STORE_MAX_SLOTS ? STORE_MAX_SLOTS : (unsigned)n;
    store_id = (solo5_clock_wall() ^ (solo5_clock_monotonic() << 20)) | 1;
    /* Slots first, superblock last: a format cut short leaves no store. */
    memset(blk, 0, info.block_size);
    for (unsigned i = 0; i < nslots && r == STORE_OK; i++)
        r = io(1, i + 1);
    if (r != STORE_OK)
        return r;
    struct super s = {.version = SUPER_VERSION,
                      .store_id = store_id,
                      .block_size = (uint32_t)info.block_size,
                      .nslots = nslots};
    memcpy(s.magic, SUPER_MAGIC, 8);
    s.crc = crc32((const uint8_t *)&s + 12, sizeof(s) - 12);
    memcpy(blk, &s, sizeof(s));
    r = io(1, 0);
    if (r == STORE_OK)
        printf(
            "blkstore: %s: formatted: %u slots, keys up to %u bytes, "
            "values up to %llu bytes\n",
            dev_name, nslots, STORE_MAX_KEY,
            (unsigned long long)(info.block_size - sizeof(struct record) - 1));
    return r;
}

static int find(const char *key)
{
    size_t klen = strlen(key);

    for (unsigned i = 0; i < nslots; i++)
        if (slots[i].state == SLOT_USED && slots[i].klen == klen &&
            memcmp(slots[i].key, key, klen) == 0)
            return (int)i;
    return -1;
}

enum store_result store_put(const char *key, const char *value)
{
    size_t klen = strlen(key), vlen = strlen(value);
    int slot = find(key);

    if (klen == 0 || klen > STORE_MAX_KEY ||
        sizeof(struct record) + klen + vlen > info.block_size)
        return STORE_BAD_ARG;
    for (unsigned i = 0; slot < 0 && i < nslots; i++)
        if (slots[i].state == SLOT_FREE)
            slot = (int)i;
    if (slot < 0)
        return STORE_FULL;
    /* A record overwrites its slot in place: a torn write leaves a block
     * whose checksum fails, which the next check reports. */
    struct record r = {
        .store_id = store_id, .klen = (uint16_t)klen, .vlen = (uint16_t)vlen};
    memcpy(r.magic, RECORD_MAGIC, 4);
    memset(blk, 0, info.block_size);
    memcpy(blk, &r, sizeof(r));
    memcpy(blk + sizeof(r), key, klen);
    memcpy(blk + sizeof(r) + klen, value, vlen);
    r.crc = crc32(blk + 8, sizeof(r) + klen + vlen - 8);
    memcpy(blk + 4, &r.crc, 4);
    enum store_result res = io(1, (unsigned)slot + 1);
    if (res != STORE_OK)
        return res;
    slots[slot].state = SLOT_USED;
    slots[slot].klen = (uint8_t)klen;
    memcpy(slots[slot].key, key, klen);
    printf("blkstore: put %s (slot %d)\n", key, slot);
    return STORE_OK;
}

/* Reads slot (i) again and checks it: the image may have changed since
 * store_open looked. */
static enum store_result reread(unsigned i)
{
    const char *why = "";
    enum store_result r = io(0, i + 1);

    if (r != STORE_OK)
        return r;
    if (check_record(i, &why) != SLOT_USED) {
        printf("blkstore: %s: slot %u changed under the store: %s\n", dev_name,
               i, why);
        return STORE_REFUSED;
    }
    return STORE_OK;
}

enum store_result store_get(const char *key, char *value, unsigned *len)
{
    int slot = find(key);

    if (slot < 0)
        return STORE_NOT_FOUND;
    enum store_result r = reread((unsigned)slot);
    if (r != STORE_OK)
        return r;
    struct record rec;
    memcpy(&rec, blk, sizeof(rec));
    memcpy(value, blk + sizeof(rec) + rec.klen, rec.vlen);
    *len = rec.vlen;
    return STORE_OK;
}

enum store_result store_delete(const char *key)
{
    int slot = find(key);

    if (slot < 0)
        return STORE_NOT_FOUND;
    memset(blk, 0, info.block_size);
    enum store_result r = io(1, (unsigned)slot + 1);
    if (r == STORE_OK)
        slots[slot].state = SLOT_FREE;
    return r;
}

enum store_result store_list(void (*fn)(const char *key, const char *value,
                                        unsigned len))
{
    static char key[STORE_MAX_KEY + 1];

    for (unsigned i = 0; i < nslots; i++) {
        if (slots[i].state != SLOT_USED)
            continue;
        enum store_result r = reread(i);
        if (r != STORE_OK)
            return r;
        struct record rec;
        memcpy(&rec, blk, sizeof(rec));
        memcpy(key, blk + sizeof(rec), rec.klen);
        key[rec.klen] = 0;
        fn(key, (const char *)blk + sizeof(rec) + rec.klen, rec.vlen);
    }
    return STORE_OK;
}

enum store_result store_scrub(void)
{
    unsigned n = 0;

    memset(blk, 0, info.block_size);
    for (unsigned i = 0; i < nslots; i++) {
        if (slots[i].state != SLOT_DAMAGED)
            continue;
        enum store_result r = io(1, i + 1);
        if (r != STORE_OK)
            return r;
        slots[i].state = SLOT_FREE;
        n++;
    }
    printf("blkstore: %s: scrubbed %u damaged slot(s)\n", dev_name, n);
    return STORE_OK;
}
