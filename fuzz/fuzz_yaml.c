/* fuzz_yaml.c: libFuzzer harness for tender-gen's YAML front end. Any input
 * must give either a device set or counted errors: never a crash, a leak or
 * undefined behaviour (the harness is built with ASan and UBSan). */
#include <stddef.h>
#include <stdint.h>

#include "../tender-gen/frontend.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct tg_devset set;

    tg_read_yaml("fuzz.yml", data, size, &set);
    return 0;
}
