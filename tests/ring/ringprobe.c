/* ringprobe.c: the net ring (docs/hvt-abi.md §6) seen from a guest that drives
 * it by hand, so that no library check stands in the way. The first word
 * of the command line picks what it does:
 *   info    print what the boot info offers; with a ring, check that it
 *           sits at mem_size and starts zeroed
 *   noring  check that no ring is offered
 *   ops     the protocol: AGAIN, EINVAL for bad handles, skipped entries,
 *           completions in submission order, READV (when offered, else
 *           skipped), a full ring of writes (COUNT frames reach the tap),
 *           an oversized frame dropped
 *   tail, tailback, comhead, wbuf, wring, rbuf, rvarr, rvbuf, kickb,
 *   kickin, kick, rro, rvro, rvbro, hro
 *           hostile: corrupt an index, point an entry outside guest
 *           memory or at read-only memory the monitor would write (a
 *           NET_READ by ring or hypercall, a READV array or buffer), kick
 *           the wrong way; the monitor must stop the guest
 * Prints "ringprobe: ok: ..." or "ringprobe: FAILED: ..." per check, then
 * "ringprobe: SUCCESS" when all passed. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hvt_abi.h"
#include "solo5.h"

#define RP_WRITES 1000 /* frames of the "full ring" check */
#define RP_WAIT_NS 10000000000ULL

static const struct hvt_boot_info *const bi =
    (const struct hvt_boot_info *)HVT_BOOT_INFO_BASE;
static struct hvt_ring *ring;
static uint32_t tail, head; /* our ent_tail; the completions we consumed */
static solo5_handle_t handle;
static struct solo5_net_info info;
static uint8_t frame[2048], buf[4][2048];
static struct hvt_ring_tg_frame frames[4];
/* In .rodata (non-zero, so not .bss): read-only on the host. */
static const uint8_t ro_buf[2048] = {1};
static const struct hvt_ring_tg_frame ro_frames[4] = {{1, 2048, 0}};
static int failures;

static void expect(const char *what, long long got, long long want)
{
    if (got == want) {
        printf("ringprobe: ok: %s\n", what);
        return;
    }
    printf("ringprobe: FAILED: %s: got %lld, want %lld\n", what, got, want);
    failures++;
}

static void kick(void)
{
    __asm__ __volatile__("outl %0, %1"
                         :
                         : "a"(0U), "d"((uint16_t)HVT_RING_KICK_PIO_BASE)
                         : "memory");
}

/* Queues one entry (not yet visible to the monitor). */
static void put(uint32_t op, uint32_t h, uint64_t data, uint32_t len)
{
    struct hvt_ring_entry *e = &ring->entries[tail & HVT_RING_MASK];

    e->operation = op;
    e->handle = h;
    e->data = data;
    e->len = len;
    e->id = tail;
    tail++;
}

static void submit(void)
{
    __atomic_store_n(&ring->ent_tail, tail, __ATOMIC_SEQ_CST);
    kick();
}

/* The next completion; a zeroed one after RP_WAIT_NS. */
static struct hvt_ring_commit complete(void)
{
    solo5_time_t end = solo5_clock_monotonic() + RP_WAIT_NS;
    struct hvt_ring_commit c = {0};

    while (__atomic_load_n(&ring->com_tail, __ATOMIC_ACQUIRE) == head)
        if (solo5_clock_monotonic() > end) {
            printf("ringprobe: no completion\n");
            return c;
        }
    c = ring->commits[head & HVT_RING_MASK];
    __atomic_store_n(&ring->com_head, ++head, __ATOMIC_RELEASE);
    return c;
}

/* Waits until the monitor consumed every entry. */
static int drained(void)
{
    solo5_time_t end = solo5_clock_monotonic() + RP_WAIT_NS;

    while (__atomic_load_n(&ring->ent_head, __ATOMIC_ACQUIRE) != tail)
        if (solo5_clock_monotonic() > end)
            return 0;
    return 1;
}

static int has_ring(void)
{
    return (bi->host_features & HVT_FEATURE_RING_IO) && bi->net_ring != 0;
}

static void info_checks(void)
{
    printf("ringprobe: features 0x%x ring 0x%llx mem 0x%llx\n",
           (unsigned)bi->host_features, (unsigned long long)bi->net_ring,
           (unsigned long long)bi->mem_size);
    if (!has_ring())
        return;
    expect("the ring is at mem_size", (long long)bi->net_ring,
           (long long)bi->mem_size);
    const uint8_t *p = (const uint8_t *)ring;
    size_t nonzero = 0;
    for (size_t i = 0; i < sizeof(*ring); i++)
        nonzero += p[i] != 0 && i != offsetof(struct hvt_ring, needs_kick);
    expect("the ring starts zeroed", (long long)nonzero, 0);
}

/* A broadcast frame of the local experimental EtherType, which nothing on
 * the host answers. */
static void make_frame(size_t len)
{
    memset(frame, 0x5a, len);
    memset(frame, 0xff, 6);
    memcpy(frame + 6, info.mac_address, 6);
    frame[12] = 0x88;
    frame[13] = 0xb5;
}

static void order_checks(void)
{
    size_t max = info.mtu + SOLO5_NET_HLEN;
    struct hvt_ring_commit c;

    put(HVT_RING_NET_READ, (uint32_t)handle, (uintptr_t)buf[0], max);
    submit();
    c = complete();
    expect("read with nothing queued: AGAIN", c.ret, HVT_AGAIN);
    expect("the completion carries the entry's id", c.id, tail - 1);
    put(HVT_RING_NET_READ, 0, (uintptr_t)buf[0], max);
    put(HVT_RING_NET_READ, 63, (uintptr_t)buf[0], max);
    submit();
    expect("read from handle 0: EINVAL", complete().ret, HVT_EINVAL);
    expect("read from handle 63: EINVAL", complete().ret, HVT_EINVAL);
    /* No completion for an unknown operation or a write, whatever its
     * handle: the next completion is the read's. */
    put(99, (uint32_t)handle, 0, 0);
    put(HVT_RING_NET_WRITE, 0, (uintptr_t)frame, 64);
    put(HVT_RING_NET_READ, (uint32_t)handle, (uintptr_t)buf[0], max);
    submit();
    c = complete();
    expect("unknown operation and bad-handle write: skipped", c.id, tail - 1);
    for (unsigned i = 0; i < 5; i++)
        put(HVT_RING_NET_READ, i % 2 ? 0 : (uint32_t)handle, (uintptr_t)buf[0],
            max);
    submit();
    int in_order = 1;
    for (unsigned i = 0; i < 5; i++) {
        c = complete();
        in_order &=
            c.id == tail - 5 + i && c.ret == (i % 2 ? HVT_EINVAL : HVT_AGAIN);
    }
    expect("five completions, in submission order", in_order, 1);
}

static void readv_checks(void)
{
    int batch = (bi->host_features & HVT_FEATURE_TG_RING_BATCH) != 0;

    for (unsigned i = 0; i < 4; i++)
        frames[i] = (struct hvt_ring_tg_frame){(uintptr_t)buf[i], 2048, -1};
    put(HVT_RING_TG_NET_READV, (uint32_t)handle, (uintptr_t)frames, 0);
    put(HVT_RING_TG_NET_READV, (uint32_t)handle, (uintptr_t)frames,
        HVT_RING_TG_BATCH_MAX + 1);
    put(HVT_RING_TG_NET_READV, (uint32_t)handle, (uintptr_t)frames, 4);
    put(HVT_RING_NET_READ, (uint32_t)handle, (uintptr_t)buf[0], 2048);
    submit();
    if (!batch) {
        expect("READV not offered: skipped like any unknown operation",
               complete().id, tail - 1);
        return;
    }
    expect("READV of 0 frames: EINVAL", complete().ret, HVT_EINVAL);
    expect("READV of 65 frames: EINVAL", complete().ret, HVT_EINVAL);
    struct hvt_ring_commit c = complete();
    expect("READV with nothing queued: AGAIN", c.ret, HVT_AGAIN);
    expect("READV with nothing queued: 0 frames", c.len, 0);
    expect("then the read's completion", complete().id, tail - 1);
}

/* RP_WRITES frames in one go (most of the ring), then one too long. */
static void write_checks(void)
{
    size_t max = info.mtu + SOLO5_NET_HLEN;

    make_frame(max);
    for (unsigned i = 0; i < RP_WRITES; i++)
        put(HVT_RING_NET_WRITE, (uint32_t)handle, (uintptr_t)frame, 60);
    submit();
    expect("a ring of writes, all consumed", drained(), 1);
    put(HVT_RING_NET_WRITE, (uint32_t)handle, (uintptr_t)frame, max + 1);
    put(HVT_RING_NET_WRITE, (uint32_t)handle, (uintptr_t)frame, 13);
    submit();
    expect("oversized and undersized frames consumed", drained(), 1);
    printf("ringprobe: wrote %u frames\n", RP_WRITES);
}

/* One hostile act; the monitor must stop us. */
static void hostile(const char *how)
{
    uint64_t top = bi->mem_size;

    if (strcmp(how, "tail") == 0) {
        tail += 2000;
        submit();
    } else if (strcmp(how, "tailback") == 0) {
        put(HVT_RING_NET_WRITE, 0, 0, 0);
        submit();
        drained();
        tail -= 2;
        submit();
    } else if (strcmp(how, "comhead") == 0) {
        __atomic_store_n(&ring->com_head, 5000, __ATOMIC_RELEASE);
        put(HVT_RING_NET_READ, (uint32_t)handle, (uintptr_t)buf[0], 2048);
        submit();
    } else if (strcmp(how, "wbuf") == 0) {
        put(HVT_RING_NET_WRITE, (uint32_t)handle, top - 30, 60);
        submit();
    } else if (strcmp(how, "wring") == 0) {
        put(HVT_RING_NET_WRITE, (uint32_t)handle, bi->net_ring, 60);
        submit();
    } else if (strcmp(how, "rbuf") == 0) {
        put(HVT_RING_NET_READ, (uint32_t)handle, 0xfffff000ULL, 2048);
        submit();
    } else if (strcmp(how, "rvarr") == 0) {
        put(HVT_RING_TG_NET_READV, (uint32_t)handle, top - 8, 4);
        submit();
    } else if (strcmp(how, "rvbuf") == 0) {
        frames[0] = (struct hvt_ring_tg_frame){top, 2048, -1};
        put(HVT_RING_TG_NET_READV, (uint32_t)handle, (uintptr_t)frames, 1);
        submit();
    } else if (strcmp(how, "rro") == 0) {
        put(HVT_RING_NET_READ, (uint32_t)handle, (uintptr_t)ro_buf, 2048);
        submit();
    } else if (strcmp(how, "rvro") == 0) {
        put(HVT_RING_TG_NET_READV, (uint32_t)handle, (uintptr_t)ro_frames, 4);
        submit();
    } else if (strcmp(how, "rvbro") == 0) {
        frames[0] = (struct hvt_ring_tg_frame){(uintptr_t)ro_buf, 2048, -1};
        put(HVT_RING_TG_NET_READV, (uint32_t)handle, (uintptr_t)frames, 1);
        submit();
    } else if (strcmp(how, "hro") == 0) {
        struct hvt_hc_net_read hc = {handle, (uintptr_t)ro_buf, 2048, -1};
        __asm__ __volatile__(
            "outl %0, %1"
            :
            : "a"((uint32_t)(uintptr_t)&hc),
              "d"((uint16_t)(HVT_HYPERCALL_PIO_BASE + HVT_HYPERCALL_NET_READ))
            : "memory");
    } else if (strcmp(how, "kickb") == 0) {
        __asm__ __volatile__("outb %0, %1"
                             :
                             : "a"((uint8_t)0),
                               "d"((uint16_t)HVT_RING_KICK_PIO_BASE));
    } else if (strcmp(how, "kickin") == 0) {
        uint32_t v;
        __asm__ __volatile__("inl %1, %0"
                             : "=a"(v)
                             : "d"((uint16_t)HVT_RING_KICK_PIO_BASE));
    } else if (strcmp(how, "kick") == 0) {
        kick();
    }
    solo5_yield(solo5_clock_monotonic() + RP_WAIT_NS, NULL);
    printf("ringprobe: FAILED: the monitor let '%s' pass\n", how);
}

static int first_word(const char *s, const char *word)
{
    size_t n = strlen(word);

    return strncmp(s, word, n) == 0 && (s[n] == 0 || s[n] == ' ');
}

int solo5_app_main(const struct solo5_start_info *si)
{
    if (solo5_net_acquire("service", &handle, &info) != SOLO5_R_OK) {
        printf("ringprobe: FAILED: acquire service\n");
        return SOLO5_EXIT_FAILURE;
    }
    ring = (struct hvt_ring *)(uintptr_t)bi->net_ring;
    if (first_word(si->cmdline, "noring")) {
        expect("no ring offered (feature bit)",
               bi->host_features & HVT_FEATURE_RING_IO, 0);
        expect("no ring offered (address)", (long long)bi->net_ring, 0);
    } else if (!first_word(si->cmdline, "kick") && !has_ring()) {
        printf("ringprobe: FAILED: no ring offered\n");
        return SOLO5_EXIT_FAILURE;
    } else if (first_word(si->cmdline, "info")) {
        info_checks();
    } else if (first_word(si->cmdline, "ops")) {
        order_checks();
        readv_checks();
        write_checks();
    } else {
        hostile(si->cmdline);
        return 2;
    }
    if (failures)
        return SOLO5_EXIT_FAILURE;
    printf("ringprobe: SUCCESS\n");
    return SOLO5_EXIT_SUCCESS;
}
