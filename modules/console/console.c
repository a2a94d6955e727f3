/* console.c: the console module: the guest's PUTS hypercall, written to the
 * monitor's standard output in full. */
#include <unistd.h>

#include "../core/monitor.h"

static int mod_console_puts(struct mon *m, hvt_gpa_t gpa)
{
    struct hvt_hc_puts hc;

    if (mon_hc_args(m, gpa, &hc, sizeof(hc), 0, "PUTS") < 0)
        return -1;
    const uint8_t *p = mon_guest_in(m, hc.data, hc.len, "PUTS");

    if (p == NULL)
        return -1;
    /* Whole, so large outputs arrive in one piece; a closed or broken
     * stdout loses the output, not the guest. */
    mon_write_all(STDOUT_FILENO, p, hc.len);
    return 0;
}

static const struct mon_module mod_console = {
    .name = "console",
};
