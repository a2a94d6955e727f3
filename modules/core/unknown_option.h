/* unknown_option.h: what a monitor of either target says of an option no
 * part of it took. Module options are named after their module or device
 * type ("--gdb-tcp" is gdb's, "--net:" and "--no-net-ring" net's), so an
 * option of a module or device the monitor lacks is recognised, and the
 * message says why it is missing and, when another monitor could have it,
 * how to build that one; a misspelt option gets the one meant. */
#ifndef MON_UNKNOWN_OPTION_H
#define MON_UNKNOWN_OPTION_H

/* What the monitor knows of itself, as tender-gen generated it into the
 * monitor's tables. Lists are names separated by commas ("gdb,dumpcore"). */
struct mon_option_facts {
    const char *target; /* "hvt", "spt" */
    const char *shape;
    const char *opt_in;   /* the target's opt-in modules that have options */
    const char *with;     /* the opt-in modules this monitor has */
    const char *foreign;  /* modules with options the target has no part of */
    const char *core;     /* the core's own options: "mem,help,version" */
    const char *devtypes; /* every device type tender-gen knows */
    const char *absent;   /* those this monitor serves no device of */
};

/* Refuses (arg), an option no part of the monitor took, for the guest
 * (kernel), started as (prog): one line, exit status 1. */
_Noreturn void mon_unknown_option(const struct mon_option_facts *f,
                                  const char *arg, const char *kernel,
                                  const char *prog);

/* The monitor's one-line messages; each target's core defines it. */
_Noreturn void mon_fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#endif /* MON_UNKNOWN_OPTION_H */
