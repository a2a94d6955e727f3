/* hvt_abi.h: the whole binary interface between a guest and its monitor
 * (Solo5 hvt, ABI version 2, x86_64), for the guest side (kernel/, the test
 * guests) and tender-gen: what every monitor serves (hvt_core_abi.h) and
 * the devices' part (hvt_dev_abi.h). A monitor's core includes only the
 * first; device modules include the second. See docs/hvt-abi.md. */
#ifndef HVT_ABI_H
#define HVT_ABI_H

#include "hvt_core_abi.h"
#include "hvt_dev_abi.h"

#endif /* HVT_ABI_H */
