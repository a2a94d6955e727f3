/* seccomp.h: the monitor's sandbox as data (docs/design.md decision 4): the
 * system calls the shape's modules declared, turned into a BPF program by
 * libseccomp here, at generation time, so the monitor needs no libseccomp. */
#ifndef TG_SECCOMP_H
#define TG_SECCOMP_H

#include <seccomp.h>

#include "buf.h"
#include "shape.h"

/* Appends to (out) the C definition of mon_seccomp_filter[] (the BPF
 * program, with libseccomp's readable listing and each rule's reason in a
 * comment above it). Sets *nrules. Returns 0, or -1 after reporting. */
int tg_seccomp_emit(const struct tg_shape *shape, struct tg_buf *out,
                    unsigned *nrules);

/* The distinct system call names the shape allows, for --explain; returns
 * how many, fills up to (max) names. */
unsigned tg_seccomp_names(const struct tg_shape *shape, const char **names,
                          unsigned max);

/* 0 for a rule on fixed arguments; else how many devices of its module's
 * type the shape has: the rule is then added once per descriptor. Both
 * targets' filters. */
unsigned tg_seccomp_device_fds(const struct tg_shape *shape,
                               const struct tg_module *mod,
                               const struct tg_syscall *sc);

/* True for an argument the monitor fills in at run time (spt's block
 * bounds). */
int tg_arg_is_slot(const struct tg_arg *a);

/* Appends to (out) the comment lines " *   CALL MODULE WHY" for each rule
 * of both targets' filters, with its descriptors and run-time slots. */
void tg_seccomp_emit_reasons(const struct tg_shape *shape, struct tg_buf *out);

/* Runs one of libseccomp's exporters (seccomp_export_bpf, _pfc) on (ctx)
 * into (out), through a temporary file. Returns 0, or -1 after saying so. */
int tg_seccomp_export(scmp_filter_ctx ctx,
                      int (*fn)(const scmp_filter_ctx, int),
                      struct tg_buf *out);

#endif /* TG_SECCOMP_H */
