/* exec.h: the drop-in for orchestrators (issue 12, item 5). tender-gen run
 * under the name tender-exec, solo5-hvt or solo5-hvt.2 takes solo5-hvt's
 * command line, finds the monitor for KERNEL's shape in the cache and
 * becomes it (execv, no fork: exit status and signals are the monitor's). */
#ifndef TG_EXEC_H
#define TG_EXEC_H

/* True when (argv0)'s base name asks for the drop-in. */
int tg_exec_invoked_as(const char *argv0);

/* Runs the drop-in; returns only on failure, with the exit status (1, as
 * solo5-hvt for any monitor-side error). */
int tg_exec_main(int argc, char **argv);

#endif /* TG_EXEC_H */
