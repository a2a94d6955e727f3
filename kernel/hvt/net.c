/* net.c: network devices, over the shared ring when the monitor offers one
 * (docs/hvt-abi.md §6), else over the NET_WRITE and NET_READ hypercalls.
 *
 * The ring is used only when the boot info has both HVT_FEATURE_RING_IO
 * and a ring address: a monitor older than Solo5 0.11 has the manifest
 * where the feature word now is, and its first word (1) looks like the
 * feature bit. On the ring a write copies the frame into a buffer of ours
 * and returns at once (no completion); a read waits for its completion,
 * which the monitor posts at once (AGAIN when nothing is waiting).
 *
 * With HVT_FEATURE_TG_RING_BATCH (tender-gen's monitors), a read that finds
 * the receive cache empty asks for up to TG_RX_BATCH frames in one entry
 * (HVT_RING_TG_NET_READV); later reads and solo5_yield() take the rest from
 * the cache without asking the monitor.
 *
 * Which way each request goes is measured, not assumed: where guest
 * instructions run natively the ring saves an exit per frame, but where the
 * host emulates them (docs/hvt-abi.md §9) copying a frame into a ring buffer
 * costs more than a hypercall, and so does waking the monitor's thread. So
 * the first use times a hypercall, a kick and a copy; a write takes the
 * ring when copying it (and kicking, if the thread sleeps) is cheaper than
 * a hypercall, or when earlier writes are still queued there (frames stay
 * in order); a read takes the ring while a ring read has cost less per
 * frame than a hypercall, measured as it goes and re-measured on every
 * TG_PROBE_EVERY-th read otherwise. Batched reads copy every frame but
 * the first, so they are used while frames are small enough for that to
 * pay. ../netdev.c has checked each frame's size against the MTU. */
#include <string.h>

#include "hvt.h"
#include "solo5_ext.h"

/* Frames waiting to be sent may sit in the ring for a while; the caller's
 * buffer may not, so they are copied here, one buffer per slot in use. */
#define TG_TX_SLOTS 64
/* Frames one batched read may bring in (at most HVT_RING_TG_BATCH_MAX). */
#define TG_RX_BATCH 16

/* A read goes by the ring at least this often, to keep its cost known. */
#define TG_PROBE_EVERY 32

_Static_assert(TG_TX_SLOTS < HVT_RING_SIZE, "tx slots fit the ring");
_Static_assert(TG_RX_BATCH <= HVT_RING_TG_BATCH_MAX, "batch size");

static struct {
    bool checked;
    struct hvt_ring *r; /* NULL: hypercalls only */
    bool batch;         /* HVT_RING_TG_NET_READV is served */
    uint32_t ent_tail;  /* our copies of the indices we own */
    uint32_t com_head;
} ring;

static enum solo5_ext_net_policy policy = SOLO5_EXT_NET_AUTO;

/* What each way costs this guest, in ns (see the top of this file). */
static struct {
    uint64_t hypercall; /* a hypercall's round trip */
    uint64_t kick;      /* a kick */
    uint64_t copy_kib;  /* copying 1 KiB */
    uint64_t ring_read; /* a ring read, per frame: running average */
    uint64_t frame;     /* frames received: running average of the size */
    unsigned reads;     /* reads since the ring was last taken */
} cost;

static uint8_t tx_bufs[TG_TX_SLOTS][HVT_RING_BUF_SIZE];

/* The receive cache: frames a batched read brought for one device. */
static struct {
    solo5_handle_t handle;
    unsigned next, count;
    struct hvt_ring_tg_frame f[TG_RX_BATCH];
} rx;
static uint8_t rx_bufs[TG_RX_BATCH][HVT_RING_BUF_SIZE];

/* Descriptor i > 0 always points at rx_bufs[i]; descriptor 0 at the
 * caller's buffer, set for each batch. Each length is reset when its frame
 * is taken, so that a batch costs no loop over the descriptors. */
static void rx_init(void)
{
    for (unsigned i = 1; i < TG_RX_BATCH; i++) {
        rx.f[i].data = tg_gpa(rx_bufs[i]);
        rx.f[i].len = HVT_RING_BUF_SIZE;
    }
}

/* The largest frame the device carries: MTU plus the Ethernet header. */
static size_t max_frame(const struct mft_entry *e)
{
    return (size_t)e->u.net_basic.mtu + SOLO5_NET_HLEN;
}

/* Copies a frame 8 bytes per step. Where the host emulates guest
 * instructions (docs/hvt-abi.md §9), every step of a string instruction costs
 * about as much as an instruction, so rep movsq takes an eighth of the
 * time of rep movsb (the libc's memcpy; docs/benchmarks.md). */
static void frame_copy(void *dst, const void *src, size_t n)
{
    size_t words = n / 8, rest = n % 8;

    __asm__ __volatile__("rep movsq\n\t"
                         "mov %3, %%rcx\n\t"
                         "rep movsb"
                         : "+D"(dst), "+S"(src), "+c"(words)
                         : "r"(rest)
                         : "memory");
}

static void kick(void)
{
    __asm__ __volatile__("outl %0, %1"
                         :
                         : "a"(0U), "d"((uint16_t)HVT_RING_KICK_PIO_BASE)
                         : "memory");
}

/* The least of three timings of (fn), in ns. */
static uint64_t least_of_3(void (*fn)(void))
{
    uint64_t least = UINT64_MAX;

    for (int i = 0; i < 3; i++) {
        uint64_t t0 = solo5_clock_monotonic();
        fn();
        uint64_t t = solo5_clock_monotonic() - t0;
        least = t < least ? t : least;
    }
    return least;
}

/* A hypercall the monitor answers from the clock alone. */
static void walltime(void)
{
    volatile struct hvt_hc_walltime w;

    tg_hypercall(HVT_HYPERCALL_WALLTIME, &w);
}

static void copy_256(void)
{
    frame_copy(tx_bufs[0], tx_bufs[1], 256);
}

/* Times a hypercall, a kick (the monitor's thread finds nothing to do) and
 * a copy. */
static void measure_costs(void)
{
    cost.hypercall = least_of_3(walltime);
    cost.kick = least_of_3(kick);
    cost.copy_kib = 4 * least_of_3(copy_256);
    cost.frame = 64;
    tg_log(TG_LOG_DEBUG,
           "Solo5: net ring: a hypercall takes %lu ns, a kick %lu ns, "
           "copying 1 KiB %lu ns\n",
           (unsigned long)cost.hypercall, (unsigned long)cost.kick,
           (unsigned long)cost.copy_kib);
}

static struct hvt_ring *net_ring(void)
{
    const struct hvt_boot_info *bi = tg_boot_info;

    if (!ring.checked) {
        ring.checked = true;
        if ((bi->host_features & HVT_FEATURE_RING_IO) && bi->net_ring != 0) {
            ring.r = (struct hvt_ring *)(uintptr_t)bi->net_ring;
            ring.batch = (bi->host_features & HVT_FEATURE_TG_RING_BATCH) != 0;
            rx_init();
            measure_costs();
        }
    }
    return ring.r;
}

static inline void cpu_relax(void)
{
    __asm__ __volatile__("pause" ::: "memory");
}

/* Publishes the entry at ent_tail. The sequentially consistent store is a
 * full barrier (xchg): the monitor's needs_kick must be read after our
 * ent_tail is visible, or both sides could miss each other and sleep. */
static void ring_submit(struct hvt_ring *r)
{
    __atomic_store_n(&r->ent_tail, ++ring.ent_tail, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&r->needs_kick, __ATOMIC_RELAXED))
        kick();
}

static uint64_t copy_ns(size_t n)
{
    return n * cost.copy_kib / 1024;
}

/* The ring for this write: see the top of this file. */
static bool write_by_ring(struct hvt_ring *r, size_t size)
{
    uint64_t ns = copy_ns(size);

    if (__atomic_load_n(&r->ent_head, __ATOMIC_ACQUIRE) != ring.ent_tail)
        return true;
    if (policy != SOLO5_EXT_NET_AUTO)
        return policy == SOLO5_EXT_NET_RING;
    if (__atomic_load_n(&r->needs_kick, __ATOMIC_RELAXED))
        ns += cost.kick;
    return ns < cost.hypercall;
}

/* The ring for this read: see the top of this file. */
static bool read_by_ring(void)
{
    if (policy != SOLO5_EXT_NET_AUTO)
        return policy == SOLO5_EXT_NET_RING;
    if (cost.ring_read <= cost.hypercall)
        return true;
    return ++cost.reads % TG_PROBE_EVERY == 0;
}

/* Batched reads copy all frames but the first: worth it while a frame
 * costs less to copy than to fetch with a hypercall of its own. */
static bool read_batched(const struct mft_entry *e)
{
    return ring.batch && max_frame(e) <= HVT_RING_BUF_SIZE &&
           (policy == SOLO5_EXT_NET_RING ||
            copy_ns(cost.frame) < cost.hypercall);
}

static void average(uint64_t *avg, uint64_t sample)
{
    *avg = *avg ? (*avg * 7 + sample) / 8 : sample;
}

static struct hvt_ring_entry *ring_entry(struct hvt_ring *r, uint32_t op,
                                         solo5_handle_t handle,
                                         const void *data, size_t len)
{
    struct hvt_ring_entry *e = &r->entries[ring.ent_tail & HVT_RING_MASK];

    e->operation = op;
    e->handle = (uint32_t)handle;
    e->data = tg_gpa(data);
    e->len = (uint32_t)len;
    e->id = ring.ent_tail;
    return e;
}

/* Waits for the next completion; the acquire load is the read barrier
 * between seeing com_tail move and reading the completion. */
static struct hvt_ring_commit ring_complete(struct hvt_ring *r)
{
    while (__atomic_load_n(&r->com_tail, __ATOMIC_ACQUIRE) == ring.com_head)
        cpu_relax();
    struct hvt_ring_commit c = r->commits[ring.com_head & HVT_RING_MASK];
    __atomic_store_n(&r->com_head, ++ring.com_head, __ATOMIC_RELEASE);
    return c;
}

static solo5_result_t ring_write(struct hvt_ring *r, solo5_handle_t handle,
                                 const uint8_t *buf, size_t size)
{
    /* A buffer is free again once the monitor has consumed its entry. */
    while (ring.ent_tail - __atomic_load_n(&r->ent_head, __ATOMIC_ACQUIRE) >=
           TG_TX_SLOTS)
        cpu_relax();
    uint8_t *copy = tx_bufs[ring.ent_tail % TG_TX_SLOTS];
    frame_copy(copy, buf, size);
    ring_entry(r, HVT_RING_NET_WRITE, handle, copy, size);
    ring_submit(r);
    return SOLO5_R_OK;
}

static solo5_result_t ring_read(struct hvt_ring *r, solo5_handle_t handle,
                                uint8_t *buf, size_t size, size_t *read_size)
{
    ring_entry(r, HVT_RING_NET_READ, handle, buf, size);
    ring_submit(r);
    struct hvt_ring_commit c = ring_complete(r);
    /* AGAIN leaves (size), as the hypercall does, whichever way we went. */
    *read_size = c.ret == SOLO5_R_AGAIN ? size : c.len;
    return (solo5_result_t)c.ret;
}

/* The result of frame (f), whose length the monitor wrote. */
static solo5_result_t rx_result(const struct hvt_ring_tg_frame *f, size_t size,
                                size_t *read_size)
{
    /* A frame longer than its buffer was dropped by the monitor. */
    if (f->ret != HVT_OK || f->len > size) {
        *read_size = 0;
        return SOLO5_R_EINVAL;
    }
    *read_size = f->len;
    return SOLO5_R_OK;
}

/* One batched read: the first frame straight into (buf), the others into
 * the receive cache. */
static solo5_result_t rx_fill(struct hvt_ring *r, solo5_handle_t handle,
                              uint8_t *buf, size_t size, size_t *read_size)
{
    rx.f[0].data = tg_gpa(buf);
    rx.f[0].len = (uint32_t)size;
    ring_entry(r, HVT_RING_TG_NET_READV, handle, rx.f, TG_RX_BATCH);
    ring_submit(r);
    struct hvt_ring_commit c = ring_complete(r);
    if (c.ret != SOLO5_R_OK || c.len == 0 || c.len > TG_RX_BATCH) {
        *read_size = size; /* AGAIN, as the hypercall leaves it */
        return c.ret == SOLO5_R_OK ? SOLO5_R_EUNSPEC : (solo5_result_t)c.ret;
    }
    rx.handle = handle;
    rx.next = 1;
    rx.count = c.len;
    return rx_result(&rx.f[0], size, read_size);
}

/* The next frame from the receive cache. */
static solo5_result_t rx_take(uint8_t *buf, size_t size, size_t *read_size)
{
    struct hvt_ring_tg_frame *f = &rx.f[rx.next++];
    solo5_result_t ret = rx_result(f, size, read_size);

    if (ret == SOLO5_R_OK)
        frame_copy(buf, rx_bufs[f - rx.f], *read_size);
    f->len = HVT_RING_BUF_SIZE;
    return ret;
}

/* A read by the ring, batched or not, and what it cost per frame (the
 * copies a batch will make included). */
static solo5_result_t timed_ring_read(struct hvt_ring *r,
                                      const struct mft_entry *e,
                                      solo5_handle_t handle, uint8_t *buf,
                                      size_t size, size_t *read_size)
{
    uint64_t t0 = solo5_clock_monotonic(), copies = 0;
    unsigned frames = 1;
    solo5_result_t ret;

    if (read_batched(e) && rx.next == rx.count) {
        ret = rx_fill(r, handle, buf, size, read_size);
        if (ret == SOLO5_R_OK) {
            frames = rx.count;
            for (unsigned i = 1; i < rx.count; i++)
                copies += rx.f[i].len;
        }
    } else {
        ret = ring_read(r, handle, buf, size, read_size);
    }
    average(&cost.ring_read,
            (solo5_clock_monotonic() - t0 + copy_ns(copies)) / frames);
    cost.reads = 0;
    if (ret == SOLO5_R_OK)
        average(&cost.frame, *read_size);
    return ret;
}

void solo5_ext_net_policy(enum solo5_ext_net_policy p)
{
    policy = p;
}

solo5_handle_set_t tg_net_pending(void)
{
    return rx.next < rx.count ? 1ULL << rx.handle : 0;
}

solo5_result_t tg_net_write(solo5_handle_t handle, const struct mft_entry *e,
                            const uint8_t *buf, size_t size)
{
    struct hvt_ring *r = net_ring();
    volatile struct hvt_hc_net_write wr;

    (void)e;
    /* Frames too big for a ring buffer (jumbo MTUs) take the hypercall,
     * and so do frames too short to be one, which it refuses. */
    if (r != NULL && size >= SOLO5_NET_HLEN && size <= HVT_RING_BUF_SIZE &&
        write_by_ring(r, size))
        return ring_write(r, handle, buf, size);
    wr.handle = handle;
    wr.data = tg_gpa(buf);
    wr.len = size;
    wr.ret = HVT_EUNSPEC;
    tg_hypercall(HVT_HYPERCALL_NET_WRITE, &wr);
    return (solo5_result_t)wr.ret;
}

solo5_result_t tg_net_read(solo5_handle_t handle, const struct mft_entry *e,
                           uint8_t *buf, size_t size, size_t *read_size)
{
    struct hvt_ring *r = net_ring();
    volatile struct hvt_hc_net_read rd;

    if (rx.next < rx.count && rx.handle == handle)
        return rx_take(buf, size, read_size);
    if (r != NULL && read_by_ring())
        return timed_ring_read(r, e, handle, buf, size, read_size);
    rd.handle = handle;
    rd.data = tg_gpa(buf);
    rd.len = size;
    rd.ret = HVT_EUNSPEC;
    tg_hypercall(HVT_HYPERCALL_NET_READ, &rd);
    /* As in Solo5, written even for AGAIN (it then holds size). */
    *read_size = rd.len;
    if (rd.ret == HVT_OK)
        average(&cost.frame, rd.len);
    return (solo5_result_t)rd.ret;
}
