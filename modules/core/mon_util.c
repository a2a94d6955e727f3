/* mon_util.c: the KERNEL operand, and the checked accessors through which
 * every module reaches guest memory. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "monitor.h"
#include "mon_internal.h"

int mon_find_kernel(int argc, char **argv, enum mon_request *request)
{
    static const char *const asks[] = {
        [MON_HELP] = "--help",
        [MON_VERSION] = "--version",
        [MON_DESCRIBE] = "--describe",
    };

    *request = MON_RUN;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return i + 1 < argc ? i + 1 : -1;
        for (int r = MON_HELP; r <= MON_DESCRIBE; r++)
            if (strcmp(argv[i], asks[r]) == 0) {
                *request = (enum mon_request)r;
                return -1;
            }
        if (argv[i][0] != '-')
            return i;
    }
    return -1;
}

/* Every guest range the monitor touches for a guest comes through here.
 * The checks are done on values the handler already copied out of guest
 * memory, never on guest memory itself, so the guest cannot change what
 * was checked (a double fetch). Writes are refused in read-only memory
 * before any system call is made: the host maps it read-only, so a write
 * there would be a SIGSEGV (memcpy) or an EFAULT (read, pread). */
const char *mon_guest_check(const struct mon *m, hvt_gpa_t gpa, uint64_t size,
                            int write)
{
    /* gpa + size must stay below mem_size, as in solo5-hvt; the sum is
     * checked for overflow before it is compared. */
    if (gpa >= m->mem_size || size >= m->mem_size - gpa)
        return "outside guest memory";
    if (!write)
        return NULL;
    for (unsigned i = 0; i < m->nro; i++)
        if (gpa < m->ro[i].end && gpa + size > m->ro[i].start)
            return "read-only guest memory";
    return NULL;
}

int mon_stop(struct mon *m, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(m->stop_reason, sizeof(m->stop_reason), fmt, ap);
    va_end(ap);
    return -1;
}

static int refuse(struct mon *m, const char *what, hvt_gpa_t gpa, uint64_t size,
                  const char *why)
{
    return mon_stop(m, "invalid guest access in %s: gpa=0x%llx, size=%llu: %s",
                    what, (unsigned long long)gpa, (unsigned long long)size,
                    why);
}

int mon_hc_args(struct mon *m, hvt_gpa_t gpa, void *hc, size_t size,
                int results, const char *what)
{
    const char *why = mon_guest_check(m, gpa, size, results);

    if (why)
        return refuse(m, what, gpa, size, why);
    memcpy(hc, m->mem + gpa, size);
    return 0;
}

int mon_hc_results(struct mon *m, hvt_gpa_t gpa, const void *hc, size_t size,
                   size_t from, const char *what)
{
    const char *why = mon_guest_check(m, gpa, size, 1);

    if (why)
        return refuse(m, what, gpa, size, why);
    memcpy(m->mem + gpa + from, (const uint8_t *)hc + from, size - from);
    return 0;
}

/* The host address of guest buffer (gpa, size), or NULL after
 * mon_stop(). */
static uint8_t *guest_buffer(struct mon *m, hvt_gpa_t gpa, uint64_t size,
                             int write, const char *what)
{
    const char *why = mon_guest_check(m, gpa, size, write);

    if (why) {
        refuse(m, what, gpa, size, why);
        return NULL;
    }
    return m->mem + gpa;
}

const void *mon_guest_in(struct mon *m, hvt_gpa_t gpa, uint64_t size,
                         const char *what)
{
    return guest_buffer(m, gpa, size, 0, what);
}

void *mon_guest_out(struct mon *m, hvt_gpa_t gpa, uint64_t size,
                    const char *what)
{
    return guest_buffer(m, gpa, size, 1, what);
}

void mon_protect_ro(struct mon *m, uint64_t start, uint64_t end)
{
    if (mprotect(m->mem + start, end - start, PROT_READ) < 0)
        mon_fatal("cannot protect guest memory 0x%llx-0x%llx: %s",
                  (unsigned long long)start, (unsigned long long)end,
                  strerror(errno));
    if (m->nro > 0 && m->ro[m->nro - 1].end == start) {
        m->ro[m->nro - 1].end = end;
        return;
    }
    if (m->nro == MON_MAX_RO)
        mon_fatal("too many read-only guest ranges");
    m->ro[m->nro].start = start;
    m->ro[m->nro].end = end;
    m->nro++;
}

int mon_in_ro(const struct mon *m, uint64_t gpa)
{
    for (unsigned i = 0; i < m->nro; i++)
        if (gpa >= m->ro[i].start && gpa < m->ro[i].end)
            return 1;
    return 0;
}
