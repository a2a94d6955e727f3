/* dropin_target.c: the drop-in's reading of a guest that may be for either
 * target. The hvt checks of elf_load.c (header, notes, manifest, TenderGen
 * note) hold for an spt guest too, apart from the ABI note's target: the
 * dispatcher reads the guest, finds the target its ABI note names, and
 * runs those checks on its copy of the parts they read (mon_elf_read)
 * with an spt note read as the hvt one. */
#include <elf.h>
#include <string.h>

#include "../../include/spt_abi.h"
#include "dropin.h"
#include "mon_internal.h"

/* The ABI1 note's descriptor in (elf): the first note of the first
 * PT_NOTE that holds one; NULL when there is none or it does not fit,
 * which mon_elf_check then reports. */
static uint8_t *abi_note(struct mon_elf *elf)
{
    Elf64_Ehdr eh;
    const size_t desc = 12 + 8; /* header, "Solo5" padded to 8 */

    if (elf->size < sizeof(eh))
        return NULL;
    memcpy(&eh, elf->data, sizeof(eh));
    if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phoff > elf->size ||
        (elf->size - eh.e_phoff) / sizeof(Elf64_Phdr) < eh.e_phnum)
        return NULL;
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;
        uint32_t hdr[3];
        memcpy(&ph, elf->data + eh.e_phoff + i * sizeof(ph), sizeof(ph));
        if (ph.p_type != PT_NOTE || ph.p_offset > elf->size ||
            ph.p_filesz > elf->size - ph.p_offset ||
            ph.p_filesz < desc + sizeof(struct abi1_info))
            continue;
        uint8_t *n = elf->data + ph.p_offset;
        memcpy(hdr, n, sizeof(hdr));
        if (hdr[0] == SOLO5_NOTE_NAMESZ && hdr[2] == SOLO5_NOTE_ABI &&
            memcmp(n + 12, SOLO5_NOTE_NAME, SOLO5_NOTE_NAMESZ) == 0)
            return n + desc;
    }
    return NULL;
}

unsigned dropin_read_guest(struct mon *m, struct mon_elf *elf, const char *path)
{
    struct abi1_info abi;
    unsigned target = HVT_ABI_TARGET;

    memset(elf, 0, sizeof(*elf));
    elf->path = path;
    mon_elf_read(elf);
    uint8_t *d = abi_note(elf);
    if (d) {
        memcpy(&abi, d, sizeof(abi));
        if (abi.abi_target == SPT_ABI_TARGET &&
            abi.abi_version == SPT_ABI_VERSION) {
            target = SPT_ABI_TARGET;
            abi.abi_target = HVT_ABI_TARGET;
            abi.abi_version = HVT_ABI_VERSION;
            memcpy(d, &abi, sizeof(abi));
        }
    }
    mon_elf_check(m, elf);
    return target;
}
