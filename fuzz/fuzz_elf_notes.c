/* fuzz_elf_notes.c: libFuzzer harness for tender-gen's ELF front end (the
 * ABI1, MFT1 and TGN1 notes read with libelf). */
#include <stddef.h>
#include <stdint.h>

#include "../tender-gen/frontend.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct tg_devset set;

    tg_read_elf("fuzz.hvt", data, size, &set);
    return 0;
}
