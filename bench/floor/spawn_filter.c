/* spawn_filter.c: the spt rows' second floor: the spawn floor (spawn.c)
 * that also installs a seccomp filter, as every spt monitor must before
 * its guest runs: PR_SET_NO_NEW_PRIVS, then SECCOMP_SET_MODE_FILTER.
 *
 * usage: spawn-filter 'CODE,JT,JF,K CODE,JT,JF,K ...'
 * The program is one argument (one costs the exec nothing measurable; one
 * per instruction would), its instructions apart by spaces, each as a
 * generated monitor.c spells it ({0x0020, 0, 0, 0x00000004} is
 * 0x0020,0,0,0x00000004). It is installed with every return made an allow: the
 * same instructions the monitor installs, so the kernel does the same work to
 * take them (checking, translating and compiling the program, and running it
 * for every system call number to find the calls it always allows, which costs
 * as much as the paths are long), but nothing is refused. bench/run passes
 * hello's spt filter; what an spt monitor costs above this row is its own. Exit
 * status 0 once installed, 1 when the kernel refuses, 2 on bad arguments.
 *
 * Built like the monitors (clang -O2, static musl); the command line
 * lives on the initial stack, so nothing is read from a file. */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FILTER_MAX 256 /* more than a generated filter has */

static struct sock_filter prog[FILTER_MAX];

/* One "CODE,JT,JF,K" (each as strtoul reads it, base 0) from *s into
 * (f), *s moved past it and the spaces after; -1 when malformed. */
static int parse(const char **s, struct sock_filter *f)
{
    unsigned long v[4];
    char *end;

    for (int i = 0; i < 4; i++) {
        v[i] = strtoul(*s, &end, 0);
        if (end == *s || (i < 3 ? *end != ',' : *end != ' ' && *end != '\0'))
            return -1;
        *s = end + (i < 3);
    }
    while (**s == ' ')
        (*s)++;
    if (v[0] > 0xffff || v[1] > 0xff || v[2] > 0xff || v[3] > 0xffffffff)
        return -1;
    *f = (struct sock_filter){(unsigned short)v[0], (unsigned char)v[1],
                              (unsigned char)v[2], (unsigned)v[3]};
    if (BPF_CLASS(f->code) == BPF_RET && BPF_RVAL(f->code) == BPF_K)
        f->k = SECCOMP_RET_ALLOW;
    return 0;
}

int main(int argc, char **argv)
{
    const char *s = argc == 2 ? argv[1] : "";
    unsigned n = 0;

    while (*s == ' ')
        s++;
    while (*s && n < FILTER_MAX)
        if (parse(&s, &prog[n++]) < 0)
            return 2;
    if (n == 0 || *s)
        return 2;
    struct sock_fprog fprog = {.len = (unsigned short)n, .filter = prog};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) != 0)
        return 1;
    return 0;
}
