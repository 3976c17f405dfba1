/*
 * fat.c -- vfsd's FAT boot volume: mounts the boot disk through
 * SYS_RUSTOS_BLOCK_BROKER (BOOT_INFO, then BOOT_READ of at most 64 KiB per
 * call, gated by VFS_POLICY, so only after registering) with lib/fatfs and
 * its block cache.  The volume is read-only; lib/fatfs reports corrupt
 * structures as -EIO with a log line, which goes to vfsd's log.
 */
#include <errno.h>
#include <string.h>

#include <rustos/block_broker.h>
#include <rustos/syscalls.h>

#include "services/common/svc.h"
#include "services/vfsd/vfsd.h"

/*
 * 2 MiB of 4 KiB blocks (plus lib/fatfs's 64 KiB read-ahead buffer): file
 * data goes through the cache too, so this is what stays hot across
 * opens; lookups are hashed, so the size costs nothing per hit.
 */
#define FAT_CACHE_SLOTS	512

static unsigned char arena[FATFS_ARENA_SIZE(FAT_CACHE_SLOTS)];

static int
dev_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	struct rustos_block_broker_args a;
	long r;

	(void)ctx;
	memset(&a, 0, sizeof(a));
	a.version = BLOCK_BROKER_ABI_VERSION;
	a.op = BLOCK_BROKER_OP_BOOT_READ;
	a.lba = lba;
	a.buf_ptr = (uint64_t)(uintptr_t)buf;
	a.buf_len = count * FATFS_DEV_SECTOR;
	r = rustos_sys_block_broker(&a);
	if (r < 0)
		return (int)r;
	return r == (long)a.buf_len ? 0 : -EIO;
}

static void
dev_log(void *ctx, const char *msg)
{
	(void)ctx;
	svc_log(SVC_LOG_WARN, "fat: %s", msg);
}

int
vfsd_fat_mount(void)
{
	struct rustos_block_broker_args a;
	struct rustos_block_boot_info bi;
	struct fatfs_dev dev;
	long r;

	memset(&a, 0, sizeof(a));
	memset(&bi, 0, sizeof(bi));
	a.version = BLOCK_BROKER_ABI_VERSION;
	a.op = BLOCK_BROKER_OP_BOOT_INFO;
	a.buf_ptr = (uint64_t)(uintptr_t)&bi;
	a.buf_len = sizeof(bi);
	r = rustos_sys_block_broker(&a);
	if (r < 0) {
		svc_log(SVC_LOG_WARN, "fat: no boot volume (block broker: %ld)",
		    r);
		return (int)r;
	}
	if (bi.sector_size != FATFS_DEV_SECTOR) {
		svc_log(SVC_LOG_WARN, "fat: boot volume sector size %u "
		    "unsupported", bi.sector_size);
		return -EINVAL;
	}
	memset(&dev, 0, sizeof(dev));
	dev.read = dev_read;
	dev.log = dev_log;
	dev.sectors = bi.first_lba + bi.sector_count;
	r = fatfs_mount(&vfsd_fat, &dev, arena, sizeof(arena));
	if (r < 0) {
		svc_log(SVC_LOG_WARN, "fat: mount failed: %ld", r);
		return (int)r;
	}
	vfsd_fat_mounted = 1;
	svc_log(SVC_LOG_INFO, "fat: FAT%d volume \"%s\" mounted as /, %llu "
	    "sectors", vfsd_fat.fat_type, vfsd_fat.label,
	    (unsigned long long)bi.sector_count);
	return 0;
}
