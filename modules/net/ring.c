/* ring.c: ring I/O for the net module (docs/hvt-abi.md §6): a ring above guest
 * memory where the guest queues frames to send and buffers to receive
 * into, served by an I/O thread, so that a frame costs no VM exit.
 *
 * Compatible with Solo5 0.11+ guests: the ring sits at bi.mem_size, a
 * 4-byte OUT to port 0x600 kicks the thread through KVM_IOEVENTFD (no exit
 * to this process), NET_WRITE entries get no completion, NET_READ entries
 * get exactly one, and completions come back in submission order. Past
 * Solo5, offered as HVT_FEATURE_TG_RING_BATCH: HVT_RING_TG_NET_READV
 * receives several frames per entry and completion.
 *
 * The guest is hostile. The thread keeps its own copies of the indices it
 * owns (ent_head, com_tail) and only ever writes them to the ring; it reads
 * each entry once into a private copy; it stops the monitor with one line
 * when the guest's indices are impossible (more than a ring's worth
 * outstanding) or an entry names memory outside the guest. Any failure of
 * the thread ends the monitor with a message: nothing can leave a guest
 * spinning on a ring nobody serves.
 *
 * Threads and the sandbox: the thread is started before the sandbox closes
 * and gets the same filter (SECCOMP_FILTER_FLAG_TSYNC). It then needs only
 * read on MON_FD_RING_KICK, write on MON_FD_RING_DONE, write and read on
 * the taps, and the core's messages (write on stderr, exit_group); it never
 * exits by itself (exit_group ends it with the monitor). Under a caller's
 * seccomp filter, which may lack clone and eventfd2, there is no ring. */
#include <errno.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "../../include/tender_fds.h"
#include "../core/monitor.h"
#include "ring.h"

#define MOD_RING_HLEN 14                /* Ethernet header */
#define MOD_RING_FRAME_MAX (65536 + 64) /* see net.c */
/* How long the thread polls the ring for more work before it sleeps: see
 * mod_ring_spin. */
#define MOD_RING_SPIN_MIN_NS 2000ULL
#define MOD_RING_SPIN_MAX_NS 50000ULL

struct mod_ring {
    int wanted; /* not turned off by an option or a caller's filter */
    int batch;  /* offer HVT_FEATURE_TG_RING_BATCH */
    int running;
    struct mon *m;
    struct hvt_ring *r; /* the ring, in guest memory at mem_size */
    const struct mod_net_ring_dev *devs;
    uint32_t head;     /* ent_head: entries consumed */
    uint32_t com_tail; /* completions produced */
    int stop;          /* set by halt; read with acquire */
    pthread_t thread;
    /* Reported once per device (indexed by handle). */
    uint8_t warned_big[MFT_MAX_ENTRIES];
    uint8_t warned_bad[MFT_MAX_ENTRIES];
    uint8_t warned_down[MFT_MAX_ENTRIES];
    uint64_t spin_ns; /* mod_ring_spin's budget */
    /* Counters for the measuring aids (mon_counter). */
    uint64_t entries, sleeps, spin_hits;
};

static struct mod_ring mod_ring = {
    .wanted = 1,
    .batch = 1,
    .spin_ns = MOD_RING_SPIN_MIN_NS,
};

/* Each frame is read here, whole, then copied to the guest's buffer (see
 * net.c); the I/O thread's own, as the vCPU thread has one too. */
static uint8_t mod_ring_frame[MOD_RING_FRAME_MAX];

int mod_net_ring_option(const char *arg)
{
    if (strcmp(arg, "--no-net-ring") == 0) {
        mod_ring.wanted = 0;
        return 1;
    }
    if (strcmp(arg, "--no-net-batch") == 0) {
        mod_ring.batch = 0;
        return 1;
    }
    return 0;
}

void mod_net_ring_reserve(struct mon *m)
{
    if (!mod_ring.wanted)
        return;
    if (!mon_may_use(m, "net ring I/O (its thread needs clone and "
                        "eventfd2)")) {
        mod_ring.wanted = 0;
        return;
    }
    /* As solo5-hvt: the whole mapping stays within the 4 GiB the page
     * tables cover, so at --mem=4096 the guest gets 2 MiB less. */
    if (m->mem_size + HVT_RING_RESERVE > HVT_MAX_MEM_SIZE)
        m->mem_size = HVT_MAX_MEM_SIZE - HVT_RING_RESERVE;
    m->mem_reserved = HVT_RING_RESERVE;
}

/* ---- the I/O thread ---- */

static uint32_t mod_ring_load(const uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void mod_ring_store(uint32_t *p, uint32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* The device behind a guest handle, or NULL. */
static const struct mod_net_ring_dev *mod_ring_dev(uint32_t handle)
{
    if (handle == 0 || handle >= mod_ring.m->mft->entries ||
        mod_ring.devs[handle].fd < 0)
        return NULL;
    return &mod_ring.devs[handle];
}

/* A guest buffer an entry names. The I/O thread has no vCPU loop to hand a
 * stop to, so an entry naming memory outside the guest, or read-only
 * memory the thread would write, ends the monitor here. */
static uint8_t *mod_ring_buffer(hvt_gpa_t gpa, uint64_t size, int write,
                                const char *what)
{
    const char *why = mon_guest_check(mod_ring.m, gpa, size, write);

    if (why)
        mon_fatal("invalid guest access in %s: gpa=0x%llx, size=%llu: %s", what,
                  (unsigned long long)gpa, (unsigned long long)size, why);
    return mod_ring.m->mem + gpa;
}

/* True the first time for (flag): some reports are made once per device. */
static int mod_ring_first(uint8_t *flag)
{
    if (*flag)
        return 0;
    *flag = 1;
    return 1;
}

/* Appends a completion. The guest consumes them in order; more than a
 * ring's worth unread means it moved com_head where no completion was,
 * or never reads them: either way the ring is no longer usable. */
static void mod_ring_commit(uint32_t id, int ret, uint32_t len)
{
    struct hvt_ring *r = mod_ring.r;
    uint32_t com_head = mod_ring_load(&r->com_head);

    if (mod_ring.com_tail - com_head >= HVT_RING_SIZE)
        mon_fatal("net ring: the guest corrupted the ring (com_head %u, "
                  "com_tail %u: more than %u completions unread)",
                  com_head, mod_ring.com_tail, HVT_RING_SIZE - 1);
    volatile struct hvt_ring_commit *c =
        &r->commits[mod_ring.com_tail & HVT_RING_MASK];
    c->id = id;
    c->ret = ret;
    c->len = len;
    c->reserved = 0;
    mod_ring_store(&r->com_tail, ++mod_ring.com_tail);
}

/* One write(2) of a frame; the result as the guest would see it. */
static void mod_ring_send(const struct mod_net_ring_dev *d, uint32_t h,
                          const uint8_t *p, size_t len)
{
    ssize_t n;

    do
        n = write(d->fd, p, len);
    while (n < 0 && errno == EINTR);
    if (n == (ssize_t)len) {
        mod_ring.warned_down[h] = 0;
        return;
    }
    /* A tap that is down drops frames, like a link without carrier. */
    if (n < 0 && errno == EIO) {
        if (mod_ring_first(&mod_ring.warned_down[h]))
            mon_warn("net device '%s': tap '%s' is down; frames from the "
                     "guest are dropped until it is up",
                     d->name, d->ifname);
        return;
    }
    if (n < 0)
        mon_fatal("net device '%s' (tap '%s'): ring write failed: %s", d->name,
                  d->ifname, strerror(errno));
    mon_fatal("net device '%s' (tap '%s'): ring write: wrote only %zd of %zu "
              "bytes",
              d->name, d->ifname, n, len);
}

/* NET_WRITE: no completion. A handle that is not a net device is skipped,
 * as solo5-hvt does; a buffer outside guest memory is fatal; a frame of a
 * size no link carries (the hypercall would say EINVAL) is dropped. */
static void mod_ring_write(const struct hvt_ring_entry *e)
{
    const struct mod_net_ring_dev *d = mod_ring_dev(e->handle);

    if (d == NULL)
        return;
    const uint8_t *p =
        mod_ring_buffer(e->data, e->len, 0, "net ring NET_WRITE entry");
    if (e->len < MOD_RING_HLEN || e->len > d->mtu + MOD_RING_HLEN) {
        if (mod_ring_first(&mod_ring.warned_bad[e->handle]))
            mon_warn("net device '%s' (tap '%s'): dropped a %u-byte frame "
                     "from the ring (a frame is 14 to %u bytes; further "
                     "drops are not reported)",
                     d->name, d->ifname, e->len, d->mtu + MOD_RING_HLEN);
        return;
    }
    mod_ring_send(d, e->handle, p, e->len);
}

/* Reads one frame into (buf, size); returns the guest's result and sets
 * *len. A frame longer than the buffer is read whole and dropped. */
static int mod_ring_recv(const struct mod_net_ring_dev *d, uint32_t h,
                         uint8_t *buf, size_t size, uint32_t *len)
{
    ssize_t n;

    *len = 0;
    do
        n = read(d->fd, mod_ring_frame, sizeof(mod_ring_frame));
    while (n < 0 && errno == EINTR);
    if (n == 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)))
        return HVT_AGAIN;
    if (n < 0)
        mon_fatal("net device '%s' (tap '%s'): ring read failed: %s", d->name,
                  d->ifname, strerror(errno));
    if ((size_t)n > size) {
        if (mod_ring_first(&mod_ring.warned_big[h]))
            mon_warn("net device '%s' (tap '%s'): dropped a %zu-byte frame, "
                     "larger than the guest's %zu-byte ring buffer (further "
                     "drops are not reported)",
                     d->name, d->ifname, (size_t)n, size);
        return HVT_EINVAL;
    }
    memcpy(buf, mod_ring_frame, (size_t)n);
    *len = (uint32_t)n;
    return HVT_OK;
}

/* NET_READ: exactly one completion, at once (AGAIN when nothing waits). */
static void mod_ring_read(const struct hvt_ring_entry *e)
{
    const struct mod_net_ring_dev *d = mod_ring_dev(e->handle);
    uint32_t len = 0;
    int ret = HVT_EINVAL;

    if (d != NULL) {
        uint8_t *p =
            mod_ring_buffer(e->data, e->len, 1, "net ring NET_READ entry");
        ret = mod_ring_recv(d, e->handle, p, e->len, &len);
    }
    mod_ring_commit(e->id, ret, len);
}

/* HVT_RING_TG_NET_READV: frames into a guest array of buffers, in order,
 * until one finds nothing waiting; one completion for all of them. */
static void mod_ring_readv(const struct hvt_ring_entry *e)
{
    const struct mod_net_ring_dev *d = mod_ring_dev(e->handle);
    uint32_t count = e->len, got = 0;

    if (d == NULL || count == 0 || count > HVT_RING_TG_BATCH_MAX) {
        mod_ring_commit(e->id, HVT_EINVAL, 0);
        return;
    }
    volatile struct hvt_ring_tg_frame *f = (void *)mod_ring_buffer(
        e->data, count * sizeof(*f), 1, "net ring READV entry");
    for (; got < count; got++) {
        /* Each field once: the guest may rewrite the array meanwhile. */
        hvt_gpa_t data = f[got].data;
        uint32_t size = f[got].len, len;
        uint8_t *p =
            mod_ring_buffer(data, size, 1, "net ring READV frame buffer");
        int ret = mod_ring_recv(d, e->handle, p, size, &len);
        if (ret == HVT_AGAIN)
            break;
        f[got].len = ret == HVT_OK ? len : size;
        f[got].ret = ret;
    }
    mod_ring_commit(e->id, got ? HVT_OK : HVT_AGAIN, got);
}

/* Serves every entry the guest has submitted, in order. */
static void mod_ring_process(void)
{
    struct hvt_ring *r = mod_ring.r;
    uint32_t tail = mod_ring_load(&r->ent_tail);

    if (tail - mod_ring.head > HVT_RING_SIZE)
        mon_fatal("net ring: the guest corrupted the ring (ent_tail %u, "
                  "ent_head %u: more than %u entries outstanding)",
                  tail, mod_ring.head, HVT_RING_SIZE);
    while (mod_ring.head != tail) {
        const volatile struct hvt_ring_entry *src =
            &r->entries[mod_ring.head & HVT_RING_MASK];
        struct hvt_ring_entry e = {
            .operation = src->operation,
            .handle = src->handle,
            .data = src->data,
            .len = src->len,
            .id = src->id,
        };
        if (e.operation == HVT_RING_NET_WRITE)
            mod_ring_write(&e);
        else if (e.operation == HVT_RING_NET_READ)
            mod_ring_read(&e);
        else if (e.operation == HVT_RING_TG_NET_READV && mod_ring.batch)
            mod_ring_readv(&e);
        /* Any other operation is skipped without a completion, as
         * solo5-hvt does. */
        mod_ring_store(&r->ent_head, ++mod_ring.head);
        mod_ring.entries++;
    }
}

static int mod_ring_pending(void)
{
    return mod_ring_load(&mod_ring.r->ent_tail) != mod_ring.head ||
           __atomic_load_n(&mod_ring.stop, __ATOMIC_ACQUIRE);
}

static uint64_t mod_ring_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t mod_ring_clamp(uint64_t ns)
{
    return ns < MOD_RING_SPIN_MIN_NS   ? MOD_RING_SPIN_MIN_NS
           : ns > MOD_RING_SPIN_MAX_NS ? MOD_RING_SPIN_MAX_NS
                                       : ns;
}

/* Polls the ring before sleeping: a guest sending a burst submits again
 * soon, and then neither side pays for a kick and a wake-up. The budget
 * adapts to what it catches: work that came after g ns sets it to 2g
 * (within MOD_RING_SPIN_MIN_NS..MAX), a spin that caught nothing halves
 * it, so a guest that pauses for longer is not spun for. Returns 1 when
 * work (or the stop) came. */
static int mod_ring_spin(void)
{
    uint64_t start = mod_ring_now_ns(), now = start;

    while (now - start < mod_ring.spin_ns) {
        for (int i = 0; i < 32; i++) {
            if (mod_ring_pending()) {
                mod_ring.spin_ns =
                    mod_ring_clamp(2 * (mod_ring_now_ns() - start));
                mod_ring.spin_hits++;
                return 1;
            }
            __asm__ __volatile__("pause");
        }
        now = mod_ring_now_ns();
    }
    mod_ring.spin_ns = mod_ring_clamp(mod_ring.spin_ns / 2);
    return 0;
}

/* Sleeps until a kick (from the guest through KVM, or from halt). */
static void mod_ring_sleep(void)
{
    uint64_t v;
    ssize_t n = read(MON_FD_RING_KICK, &v, sizeof(v));

    if (n < 0 && errno == EINTR)
        return;
    if (n != (ssize_t)sizeof(v))
        mon_fatal("net ring: the I/O thread cannot wait for the guest: %s",
                  n < 0 ? strerror(errno) : "short read");
    mod_ring.sleeps++;
}

/* Waits for entries or the stop. needs_kick tells the guest to kick; it is
 * set, then the ring checked again (a full barrier between them), so an
 * entry submitted in between is seen here or kicked for. */
static void mod_ring_wait(void)
{
    if (mod_ring_spin())
        return;
    __atomic_store_n(&mod_ring.r->needs_kick, 1, __ATOMIC_SEQ_CST);
    if (!mod_ring_pending())
        mod_ring_sleep();
    __atomic_store_n(&mod_ring.r->needs_kick, 0, __ATOMIC_SEQ_CST);
}

static void mod_ring_signal_done(void)
{
    uint64_t one = 1;

    if (write(MON_FD_RING_DONE, &one, sizeof(one)) != (ssize_t)sizeof(one))
        mon_fatal("net ring: the I/O thread cannot signal: %s",
                  strerror(errno));
}

static void *mod_ring_thread(void *arg)
{
    (void)arg;
    mod_ring_signal_done(); /* started: the sandbox may close */
    for (;;) {
        mod_ring_wait();
        int stopping = __atomic_load_n(&mod_ring.stop, __ATOMIC_ACQUIRE);
        mod_ring_process();
        if (stopping)
            break;
    }
    mod_ring_signal_done(); /* drained */
    for (;;) /* until exit_group: exit would need more system calls */
        mod_ring_sleep();
    return NULL;
}

/* ---- setup and halt, on the vCPU thread ---- */

static int mod_ring_eventfd(int target, const char **why)
{
    int fd = eventfd(0, EFD_CLOEXEC);

    if (fd < 0) {
        *why = "cannot make an eventfd";
        return -1;
    }
    return mon_fd_pin(fd, target);
}

/* Descriptors and the kick; returns 0 or -1 with (why) set. */
static int mod_ring_kick_setup(int vm_fd, const char **why)
{
    if (ioctl(vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_IOEVENTFD) <= 0) {
        *why = "KVM lacks KVM_CAP_IOEVENTFD";
        return -1;
    }
    if (mod_ring_eventfd(MON_FD_RING_KICK, why) < 0 ||
        mod_ring_eventfd(MON_FD_RING_DONE, why) < 0)
        return -1;
    struct kvm_ioeventfd kick = {
        .addr = HVT_RING_KICK_PIO_BASE,
        .len = 4,
        .fd = MON_FD_RING_KICK,
        .flags = KVM_IOEVENTFD_FLAG_PIO,
    };
    if (ioctl(vm_fd, KVM_IOEVENTFD, &kick) < 0) {
        *why = "KVM_IOEVENTFD failed";
        return -1;
    }
    return 0;
}

static void mod_ring_wait_done(void)
{
    uint64_t v;
    ssize_t n;

    do
        n = read(MON_FD_RING_DONE, &v, sizeof(v));
    while (n < 0 && errno == EINTR);
    if (n != (ssize_t)sizeof(v))
        mon_fatal("net ring: cannot hear from the I/O thread: %s",
                  n < 0 ? strerror(errno) : "short read");
}

void mod_net_ring_start(struct mon *m, int vm_fd,
                        const struct mod_net_ring_dev *devs)
{
    const char *why = NULL;

    if (!mod_ring.wanted || m->mem_reserved < HVT_RING_RESERVE)
        return;
    mod_ring.m = m;
    mod_ring.devs = devs;
    mod_ring.r = (struct hvt_ring *)(m->mem + m->mem_size);
    memset(mod_ring.r, 0, sizeof(*mod_ring.r));
    if (mod_ring_kick_setup(vm_fd, &why) < 0) {
        mon_warn("net ring I/O is off: %s: %s", why, strerror(errno));
        close(MON_FD_RING_KICK);
        close(MON_FD_RING_DONE);
        return;
    }
    int err = pthread_create(&mod_ring.thread, NULL, mod_ring_thread, NULL);
    if (err != 0)
        mon_fatal("net ring: cannot start the I/O thread: %s", strerror(err));
    /* The thread's start-up calls (musl restores its signal mask) must be
     * over before the sandbox, which does not allow them, closes. */
    mod_ring_wait_done();
    mod_ring.running = 1;
    mon_counter(m, "net-ring-entries", &mod_ring.entries);
    mon_counter(m, "net-ring-sleeps", &mod_ring.sleeps);
    mon_counter(m, "net-ring-spin-hits", &mod_ring.spin_hits);
}

void mod_net_ring_boot_info(struct mon *m, struct hvt_boot_info *bi)
{
    if (!mod_ring.running)
        return;
    bi->host_features |= HVT_FEATURE_RING_IO;
    if (mod_ring.batch)
        bi->host_features |= HVT_FEATURE_TG_RING_BATCH;
    bi->net_ring = m->mem_size;
}

void mod_net_ring_halt(struct mon *m, hvt_gpa_t cookie)
{
    uint64_t one = 1;

    (void)m;
    (void)cookie;
    if (!mod_ring.running)
        return;
    __atomic_store_n(&mod_ring.stop, 1, __ATOMIC_RELEASE);
    if (write(MON_FD_RING_KICK, &one, sizeof(one)) != (ssize_t)sizeof(one))
        mon_fatal("net ring: cannot wake the I/O thread: %s", strerror(errno));
    mod_ring_wait_done();
    mod_ring.running = 0;
}
