/* datadir.h: where tender-gen finds templates/, modules/ and include/. */
#ifndef TG_DATADIR_H
#define TG_DATADIR_H

/* The data directory: $TENDER_GEN_DATADIR when set; else ../share/tender-gen
 * beside the running binary when it holds the template (an installed
 * tender-gen, wherever the prefix was moved); else the directory compiled in
 * (TG_DATADIR, the source tree of a build-tree tender-gen). */
const char *tg_datadir(void);

#endif /* TG_DATADIR_H */
