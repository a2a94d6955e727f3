/* dropin_target.c: the drop-in's reading of a guest that may be for either
 * target: the checks of elf_load.c (the shared checker's), with spt's ABI1
 * target accepted beside hvt's; the note says which the guest is for. */
#include <string.h>

#include "../../include/spt_abi.h"
#include "dropin.h"
#include "mon_internal.h"

unsigned dropin_read_guest(struct mon *m, struct mon_elf *elf, const char *path)
{
    memset(elf, 0, sizeof(*elf));
    elf->path = path;
    elf->abi_target_alt = SPT_ABI_TARGET;
    mon_elf_read(elf);
    mon_elf_check(m, elf);
    return elf->abi_target;
}
