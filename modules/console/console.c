/* console.c: the console module: the guest's PUTS hypercall, written to the
 * monitor's standard output in full. */
#include <errno.h>
#include <unistd.h>

#include "../core/monitor.h"

static int mod_console_puts(struct mon *m, hvt_gpa_t gpa)
{
    struct hvt_hc_puts hc;

    if (mon_hc_args(m, gpa, &hc, sizeof(hc), 0, "PUTS") < 0)
        return -1;
    const uint8_t *p = mon_guest_in(m, hc.data, hc.len, "PUTS");
    size_t left = hc.len;

    if (p == NULL)
        return -1;
    /* Retry short writes so large outputs arrive whole; a closed or broken
     * stdout loses the output, not the guest. */
    while (left > 0) {
        ssize_t n = write(STDOUT_FILENO, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0;
        p += n;
        left -= (size_t)n;
    }
    return 0;
}

static const struct mon_module mod_console = {
    .name = "console",
};
