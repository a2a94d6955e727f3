/* module_yml.h: one module descriptor (modules/NAME/module.yml) read into
 * a registry entry. */
#ifndef TG_MODULE_YML_H
#define TG_MODULE_YML_H

#include <stddef.h>

#include "registry.h"

/* Reads the descriptor (buf, len) of the module in folder (folder), with
 * its part for (target) (enum tg_target), into (mod) and, for a device
 * module, its device type into (dev), setting *has_dev. Every descriptor
 * has an hvt part; a module without a part for another target is marked
 * not present. The names its pins use stay unresolved (tg_arg.ref). Reports
 * every problem as PATH:LINE:COL: error: WHAT and returns how many. */
unsigned tg_read_module_yml(const char *path, const char *folder,
                            const unsigned char *buf, size_t len,
                            unsigned target, struct tg_module *mod,
                            struct tg_devtype *dev, int *has_dev);

#endif /* TG_MODULE_YML_H */
