/* hello.c: the hello test module. --hello=WHO greets WHO on standard
 * error when the guest halts, naming the monitor's process: getpid runs
 * under the sandbox, so the greeting appears only when the filter allows
 * the call the module's descriptor declares. */
#include <string.h>
#include <unistd.h>

#include "../core/monitor.h"

static const char *mod_hello_who;

static int mod_hello_option(struct mon *m, const char *arg)
{
    (void)m;
    if (strncmp(arg, "--hello=", 8) != 0)
        return 0;
    mod_hello_who = arg + 8;
    return 1;
}

static void mod_hello_halt(struct mon *m, hvt_gpa_t cookie)
{
    (void)m;
    (void)cookie;
    if (mod_hello_who)
        mon_warn("hello, %s, from process %ld", mod_hello_who, (long)getpid());
}

static const struct mon_module mod_hello = {
    .name = "hello",
    .option = mod_hello_option,
    .halt = mod_hello_halt,
};
