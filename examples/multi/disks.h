/* disks.h: multi's block devices, each holding a boot record. */
#ifndef MULTI_DISKS_H
#define MULTI_DISKS_H

/* For each disk in its manifest order: prints the record it holds, writes a
 * new one (the boot count one higher) to its first and last block, then
 * reads every disk back and checks that each holds its own record and not
 * another's. Returns 0, or -1 after printing what failed. */
int multi_disks(void);

#endif /* MULTI_DISKS_H */
