/*
 * vfsd.c -- the VFS policy service (IPC_SERVICE_VFSD): registers, lists
 * the bootfs through SYS_RUSTOS_BOOTFS_BROKER (gated by VFS_POLICY, so only
 * after registering) and serves the handlers of ops.c.  Once the FAT
 * root is mounted it reads the linux-runtime profile's grants
 * (access.c).
 */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/syscall.h>

#include <rustos/bootfs.h>
#include <rustos/syscall_numbers.h>

#include "services/common/svc.h"
#include "services/vfsd/access.h"
#include "services/vfsd/vfsd.h"

#ifndef SYS_RUSTOS_BOOTFS_BROKER
#define SYS_RUSTOS_BOOTFS_BROKER	0x52550036
#endif

static long
bootfs_broker(struct rustos_bootfs_broker_args *a)
{
	long r = syscall(SYS_RUSTOS_BOOTFS_BROKER, a);

	return r < 0 ? -errno : r;
}

static void
ready(void *ctx, uint64_t ep)
{
	(void)ctx;
	(void)ep;
	/* The bootfs broker is gated by VFS_POLICY: list after registering. */
	vfsd_load(bootfs_broker);
	if (vfsd_fat_mount() == 0) {
		vfsd_make_env_dirs();
		/* The linux-runtime profile's grants (access.c). */
		rta_load(&vfsd_fat);
	} else
		svc_log(SVC_LOG_WARN, "vfsd: no FAT root: confined programs "
		    "see nothing of the boot volume");
}

int
main(int argc, char **argv)
{
	svc_parse_args(argc, argv);
	return svc_serve(&vfsd_table, NULL, NULL, ready) < 0 ? 1 : 0;
}
