/* dropin.h: the drop-in for orchestrators (docs/design.md decision 12): one
 * static program, run under solo5-hvt's names, that carries the monitors
 * the operator approved and runs the one for each guest's shape. */
#ifndef TG_DROPIN_H
#define TG_DROPIN_H

/* Builds the drop-in (out) with a monitor for each shape among (inputs)
 * (unikernels or manifests; inputs of one shape share it), and reports on
 * stdout which monitor serves which inputs; with (emit_c), also writes the
 * dispatcher's C source there, for review. The drop-in carries the
 * monitors; with (monitors), a directory, tender-gen writes them there as
 * files instead and the drop-in carries their digests (dropin_dir.h).
 * Writes nothing when any input is bad. Returns 0, or 1 after reporting
 * the errors. */
int tg_dropin(const char *out, const char *emit_c, const char *monitors,
              char *const *inputs, unsigned ninputs);

#endif /* TG_DROPIN_H */
