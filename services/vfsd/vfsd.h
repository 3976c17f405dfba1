/*
 * vfsd.h -- vfsd's handlers (ops.c) and their bootfs backend.
 */
#ifndef SERVICES_VFSD_VFSD_H
#define SERVICES_VFSD_VFSD_H

#include <rustos/bootfs.h>

#include "lib/fatfs/fatfs.h"

#include "services/common/svc.h"

/* The request table vfsd serves. */
extern const struct svc_table vfsd_table;

/*
 * (Re)load the namespace from a bootfs broker (LIST until it fails) and
 * forget every handle.  The broker returns >= 0 or a negative errno.
 */
void vfsd_load(long (*broker)(struct rustos_bootfs_broker_args *));

/*
 * The FAT boot volume (fat.c): mounted through the block broker after
 * registering; once mounted it is "/" for every request, bootfs stays
 * the fallback before (or without) it.
 */
extern struct fatfs vfsd_fat;
extern int vfsd_fat_mounted;
int vfsd_fat_mount(void);
/*
 * Make the directories the registry's runtime-env.tsv names in HOME and
 * XDG_RUNTIME_DIR (mode 0755 and 0700) when they lie in vfsd's memfs,
 * owned by the session user: uid and gid 1000, the user the default
 * XDG_RUNTIME_DIR=/run/user/1000 names (spec: packages-and-registries).
 */
#define VFSD_SESSION_UID	1000
void vfsd_make_env_dirs(void);

#endif /* SERVICES_VFSD_VFSD_H */
