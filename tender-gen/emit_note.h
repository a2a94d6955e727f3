/* emit_note.h: device set -> the guest's note.c: Solo5's ABI1 and MFT1
 * notes (devices in manifest order, which is handle order) and tender-gen's
 * TGN1 note (default memory, opt-in modules). kernel/hvt/hvt.ld and
 * kernel/spt/spt.ld put each in its own PT_NOTE. */
#ifndef TG_EMIT_NOTE_H
#define TG_EMIT_NOTE_H

#include "buf.h"
#include "devset.h"

void tg_emit_note(const struct tg_devset *set, struct tg_buf *out);

#endif /* TG_EMIT_NOTE_H */
