/* tls.c: thread-local storage through the solo5_tls_* functions: two TLS
 * blocks, each initialised from the template (.tdata values, zeroed
 * .tbss), then switched between with solo5_set_tls_base(). Prints SUCCESS
 * and exits 0 when each block keeps its own values. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "solo5.h"

#define BLOCK_MAX 4096

static _Thread_local int tdata_var = 42;
static _Thread_local long tbss_var;

static _Alignas(64) uint8_t block_a[BLOCK_MAX], block_b[BLOCK_MAX];

static bool failed;

static void check(bool ok, const char *what)
{
    printf("tls: %s: %s\n", ok ? "SUCCESS" : "FAILURE", what);
    if (!ok)
        failed = true;
}

/* Makes (block) the current TLS block. */
static void use(uint8_t *block)
{
    solo5_set_tls_base(solo5_tls_tp_offset((uintptr_t)block));
}

int solo5_app_main(const struct solo5_start_info *si)
{
    (void)si;
    printf("tls: block size %zu\n", solo5_tls_size());
    check(solo5_tls_size() <= BLOCK_MAX, "block fits");
    check(solo5_tls_init(0) == SOLO5_R_EINVAL, "init(0) is EINVAL");
    check(solo5_tls_init((uintptr_t)block_a) == SOLO5_R_OK &&
              solo5_tls_init((uintptr_t)block_b) == SOLO5_R_OK,
          "init");

    use(block_a);
    check(tdata_var == 42 && tbss_var == 0, "block a starts from the template");
    tdata_var = 1;
    tbss_var = 100;
    use(block_b);
    check(tdata_var == 42 && tbss_var == 0, "block b starts from the template");
    tdata_var = 2;
    tbss_var = 200;
    use(block_a);
    check(tdata_var == 1 && tbss_var == 100, "block a kept its values");
    use(block_b);
    check(tdata_var == 2 && tbss_var == 200, "block b kept its values");

    solo5_set_tls_base(0);
    printf("tls: %s\n", failed ? "FAILURE" : "SUCCESS");
    return failed ? SOLO5_EXIT_FAILURE : SOLO5_EXIT_SUCCESS;
}
