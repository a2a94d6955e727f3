/* exec.h: tender-gen run under the names of the drop-in (solo5-hvt,
 * solo5-hvt.2, tender-exec), as the symbolic links of earlier releases
 * ran it. tender-gen is no drop-in any more (docs/design.md decision 12): it
 * says what to do instead. */
#ifndef TG_EXEC_H
#define TG_EXEC_H

/* True when (argv0)'s base name is one of the drop-in's names. */
int tg_exec_invoked_as(const char *argv0);

/* Prints the one line that tells the operator how to build a drop-in, and
 * returns 1, solo5-hvt's status for its own errors. */
int tg_exec_main(int argc, char **argv);

#endif /* TG_EXEC_H */
