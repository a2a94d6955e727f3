/* datadir.h: where tender-gen finds templates/, modules/ and include/. */
#ifndef TG_DATADIR_H
#define TG_DATADIR_H

/* --datadir DIR: takes precedence over everything else. */
void tg_set_datadir(const char *dir);

/* The data directory: --datadir when given; else $TENDER_GEN_DATADIR when
 * set (the operator's environment: tender-gen is their tool); else
 * ../share/tender-gen beside the running binary when it holds the template
 * (an installed tender-gen, wherever the prefix was moved, or the build
 * tree's). Without one, exits with status 1 after saying so. */
const char *tg_datadir(void);

/* True when tg_datadir() would find a data directory. */
int tg_datadir_found(void);

#endif /* TG_DATADIR_H */
