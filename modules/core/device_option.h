/* device_option.h: --TYPE:NAME=VALUE, bound against the guest's manifest,
 * for both targets' device modules (device_option.c). */
#ifndef MON_DEVICE_OPTION_H
#define MON_DEVICE_OPTION_H

#include <stdint.h>

#include "../../include/mft_abi.h"

/* When (arg) is "(prefix):NAME=VALUE", finds NAME in (mft): 1 with its
 * handle and VALUE when it is a device of (type); -1 after saying why
 * (malformed, another type, not declared), naming types by (type_name)
 * of (ctx); 0 when (arg) is not such an option. */
int mft_device_option(const struct mft *mft, const char *arg,
                      const char *prefix, uint32_t type,
                      const char *(*type_name)(const void *ctx, uint32_t type),
                      const void *ctx, unsigned *handle, const char **value);

#endif /* MON_DEVICE_OPTION_H */
