/* sha256.h: tender-gen's SHA-256 is the one the drop-in also compiles in,
 * kept with the monitor sources (modules/core/sha256.c). */
#include "../modules/core/sha256.h"
