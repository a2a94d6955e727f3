/* print_json.h: the device set as JSON, for `tender-gen --print`. */
#ifndef TG_PRINT_JSON_H
#define TG_PRINT_JSON_H

#include <stdio.h>

#include "devset.h"

/* Writes (set) to (f) as one JSON object in the schema of docs/print-json.md:
 * keys in a fixed order, 2-space indent, the same layout as Python's
 * json.dumps(obj, indent=2), and a final newline. */
void tg_print_json(FILE *f, const struct tg_devset *set);

/* Writes (s) to (f) as a JSON string, always valid JSON (as --print's
 * strings): for other reports that print what a file said. */
void tg_json_string(FILE *f, const char *s);

#endif /* TG_PRINT_JSON_H */
