/* solo5_ext.h: tender-gen's extensions to the Solo5 API, kept out of
 * solo5.h so that it stays exactly Solo5's. An application that uses them
 * still runs on any hvt monitor: each call works without the monitor's
 * help, only slower (docs/hvt-abi.md §4; include/hvt_abi.h, the TG feature
 * bits). */
#ifndef SOLO5_EXT_H_INCLUDED
#define SOLO5_EXT_H_INCLUDED

#include "solo5.h"

/* What the monitor offers, as SOLO5_EXT_* bits. */
#define SOLO5_EXT_NET_RING_IO (1U << 0) /* the ring is offered */
#define SOLO5_EXT_NET_BATCH (1U << 1)   /* reads can bring several frames */
#define SOLO5_EXT_BLOCK_MULTI (1U << 2) /* one request, many blocks */
uint32_t solo5_ext_features(void);

/* How frames travel when the monitor offers the ring (SOLO5_EXT_NET_RING_IO):
 * SOLO5_EXT_NET_AUTO, the default, sends each request the way measured to
 * cost this guest less on this host (see kernel/hvt/net.c); ..._RING always
 * takes the ring, as Solo5's own library does; ..._HYPERCALLS never does. */
enum solo5_ext_net_policy {
    SOLO5_EXT_NET_AUTO,
    SOLO5_EXT_NET_RING,
    SOLO5_EXT_NET_HYPERCALLS,
};
void solo5_ext_net_policy(enum solo5_ext_net_policy policy);

/* Writes (size) bytes at (offset): a non-zero whole number of blocks at a
 * block-aligned offset, inside the capacity. One request to a monitor that
 * offers SOLO5_EXT_BLOCK_MULTI, else one solo5_block_write() per block (the
 * first failure stops it, and the blocks before it are written). */
solo5_result_t solo5_ext_block_write(solo5_handle_t handle, solo5_off_t offset,
                                     const uint8_t *buf, size_t size);

/* Reads (size) bytes at (offset), with the same rules. */
solo5_result_t solo5_ext_block_read(solo5_handle_t handle, solo5_off_t offset,
                                    uint8_t *buf, size_t size);

#endif /* SOLO5_EXT_H_INCLUDED */
