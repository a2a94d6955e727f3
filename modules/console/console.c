/* console.c: the console module: the guest's PUTS hypercall, written to the
 * monitor's standard output in full. */
#include <errno.h>
#include <unistd.h>

#include "../core/monitor.h"

static void mod_console_puts(struct mon *m, hvt_gpa_t gpa)
{
    struct hvt_hc_puts *hc = mon_gpa(m, gpa, sizeof(*hc), "PUTS");
    const uint8_t *p = mon_gpa(m, hc->data, hc->len, "PUTS");
    size_t left = hc->len;

    /* Retry short writes so large outputs arrive whole; a closed or broken
     * stdout loses the output, not the guest. */
    while (left > 0) {
        ssize_t n = write(STDOUT_FILENO, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        p += n;
        left -= (size_t)n;
    }
}

static const struct mon_module mod_console = {
    .name = "console",
};
