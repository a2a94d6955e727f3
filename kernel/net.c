/* net.c: network devices, over the shared ring when the monitor offers one
 * (hvt-abi.md §6), else over the NET_WRITE and NET_READ hypercalls.
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
 * the cache without asking the monitor. Frame sizes are checked here
 * against the MTU, so an oversized write fails the same way everywhere. */
#include <string.h>

#include "kernel.h"

/* Frames waiting to be sent may sit in the ring for a while; the caller's
 * buffer may not, so they are copied here, one buffer per slot in use. */
#define TG_TX_SLOTS 64
/* Frames one batched read may bring in (at most HVT_RING_TG_BATCH_MAX). */
#define TG_RX_BATCH 16

_Static_assert(TG_TX_SLOTS < HVT_RING_SIZE, "tx slots fit the ring");
_Static_assert(TG_RX_BATCH <= HVT_RING_TG_BATCH_MAX, "batch size");

static struct {
    bool checked;
    struct hvt_ring *r; /* NULL: hypercalls only */
    bool batch;         /* HVT_RING_TG_NET_READV is served */
    uint32_t ent_tail;  /* our copies of the indices we own */
    uint32_t com_head;
} ring;

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

static const struct mft_entry *net_device(solo5_handle_t handle)
{
    return tg_mft_by_handle(handle, MFT_DEV_NET_BASIC);
}

/* The largest frame the device carries: MTU plus the Ethernet header. */
static size_t max_frame(const struct mft_entry *e)
{
    return (size_t)e->u.net_basic.mtu + SOLO5_NET_HLEN;
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
        __asm__ __volatile__("outl %0, %1"
                             :
                             : "a"(0U), "d"((uint16_t)HVT_RING_KICK_PIO_BASE)
                             : "memory");
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
    memcpy(copy, buf, size);
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
        memcpy(buf, rx_bufs[f - rx.f], *read_size);
    f->len = HVT_RING_BUF_SIZE;
    return ret;
}

solo5_handle_set_t tg_net_pending(void)
{
    return rx.next < rx.count ? 1ULL << rx.handle : 0;
}

solo5_result_t solo5_net_acquire(const char *name, solo5_handle_t *handle,
                                 struct solo5_net_info *info)
{
    const struct mft_entry *e = tg_mft_by_name(name, MFT_DEV_NET_BASIC, handle);

    if (e == NULL)
        return SOLO5_R_EINVAL;
    memcpy(info->mac_address, e->u.net_basic.mac, SOLO5_NET_ALEN);
    info->mtu = e->u.net_basic.mtu;
    return SOLO5_R_OK;
}

solo5_result_t solo5_net_write(solo5_handle_t handle, const uint8_t *buf,
                               size_t size)
{
    const struct mft_entry *e = net_device(handle);
    struct hvt_ring *r = net_ring();
    volatile struct hvt_hc_net_write wr;

    if (e == NULL || size > max_frame(e))
        return SOLO5_R_EINVAL;
    /* Frames too big for a ring buffer (jumbo MTUs) take the hypercall,
     * and so do frames too short to be one, which it refuses. */
    if (r != NULL && size >= SOLO5_NET_HLEN && size <= HVT_RING_BUF_SIZE)
        return ring_write(r, handle, buf, size);
    wr.handle = handle;
    wr.data = tg_gpa(buf);
    wr.len = size;
    wr.ret = HVT_EUNSPEC;
    tg_hypercall(HVT_HYPERCALL_NET_WRITE, &wr);
    return (solo5_result_t)wr.ret;
}

solo5_result_t solo5_net_read(solo5_handle_t handle, uint8_t *buf, size_t size,
                              size_t *read_size)
{
    const struct mft_entry *e = net_device(handle);
    struct hvt_ring *r = net_ring();
    volatile struct hvt_hc_net_read rd;

    if (e == NULL || size < max_frame(e))
        return SOLO5_R_EINVAL;
    if (rx.next < rx.count && rx.handle == handle)
        return rx_take(buf, size, read_size);
    if (r != NULL && ring.batch && rx.next == rx.count &&
        max_frame(e) <= HVT_RING_BUF_SIZE)
        return rx_fill(r, handle, buf, size, read_size);
    if (r != NULL)
        return ring_read(r, handle, buf, size, read_size);
    rd.handle = handle;
    rd.data = tg_gpa(buf);
    rd.len = size;
    rd.ret = HVT_EUNSPEC;
    tg_hypercall(HVT_HYPERCALL_NET_READ, &rd);
    /* As in Solo5, written even for AGAIN (it then holds size). */
    *read_size = rd.len;
    return (solo5_result_t)rd.ret;
}
