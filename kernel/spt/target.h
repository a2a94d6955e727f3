/* target.h: the spt target as the shared kernel names it (platform.h). */
#ifndef TG_TARGET_H
#define TG_TARGET_H

#include "spt_abi.h"

#define TG_TARGET_ABI "spt ABI " TG_STRING(SPT_ABI_VERSION)

#endif /* TG_TARGET_H */
