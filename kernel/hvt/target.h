/* target.h: the hvt target as the shared kernel names it (platform.h). */
#ifndef TG_TARGET_H
#define TG_TARGET_H

#include "hvt_abi.h"

#define TG_TARGET_ABI "hvt ABI " TG_STRING(HVT_ABI_VERSION)

#endif /* TG_TARGET_H */
