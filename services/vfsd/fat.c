/*
 * fat.c -- vfsd's FAT boot volume: mounts the boot disk through
 * SYS_RUSTOS_BLOCK_BROKER (BOOT_INFO, then BOOT_READ of at most 64 KiB per
 * call, gated by VFS_POLICY, so only after registering) with lib/fatfs and
 * its block cache.  The volume is read-only; lib/fatfs reports corrupt
 * structures as -EIO with a log line, which goes to vfsd's log.  Once
 * mounted, the registry's runtime-env.tsv says which directories the
 * session expects (HOME, XDG_RUNTIME_DIR): vfsd makes them in its memfs.
 */
#include <errno.h>
#include <string.h>

#include <rustos/block_broker.h>
#include <rustos/syscalls.h>

#include "services/common/svc.h"
#include "services/vfsd/memfs.h"
#include "services/vfsd/ns.h"
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

#define RUNTIME_ENV	"/system/registry/system/runtime-env.tsv"

/* mkdir -p of norm inside memfs, then its permission bits = perm. */
static int
make_dir_path(const char *norm, uint32_t perm)
{
	char part[NS_PATH_MAX];
	uint32_t id;
	size_t i;
	int r;

	for (i = 1;; i++) {
		if (norm[i] != '/' && norm[i] != '\0')
			continue;
		memcpy(part, norm, i);
		part[i] = '\0';
		/* The mount roots (/home, /run) exist: EEXIST as well. */
		if ((r = memfs_mkdir(part)) < 0 && r != -EEXIST)
			return r;
		if (norm[i] == '\0')
			break;
	}
	if ((r = memfs_lookup(norm, &id)) < 0)
		return r;
	if (!memfs_node(id)->dir)
		return -ENOTDIR;
	if ((r = memfs_chown(id, VFSD_SESSION_UID, VFSD_SESSION_UID)) < 0)
		return r;
	return memfs_chmod(id, perm);
}

/*
 * One "scope=S<TAB>key=K<TAB>value=V" line: HOME gets 0755, and
 * XDG_RUNTIME_DIR 0700 as the XDG base directory rules want; both belong
 * to the session user (VFSD_SESSION_UID), the directories above them to
 * root.  A value
 * outside vfsd's memfs mounts is left alone (logged).
 */
static void
env_line(char *line)
{
	char *key = NULL, *val = NULL, *f, *next;
	char norm[NS_PATH_MAX];
	uint32_t perm;
	int r;

	for (f = line; f != NULL; f = next) {
		if ((next = strchr(f, '\t')) != NULL)
			*next++ = '\0';
		if (strncmp(f, "key=", 4) == 0)
			key = f + 4;
		else if (strncmp(f, "value=", 6) == 0)
			val = f + 6;
	}
	if (key == NULL || val == NULL)
		return;
	if (strcmp(key, "HOME") == 0)
		perm = 0755;
	else if (strcmp(key, "XDG_RUNTIME_DIR") == 0)
		perm = 0700;
	else
		return;
	if (val[0] != '/' ||
	    ns_normalize(val, strlen(val), norm, sizeof(norm)) < 0 ||
	    !memfs_owns(norm)) {
		svc_log(SVC_LOG_WARN, "runtime-env: %s=%s is not under a "
		    "writable mount: not created", key, val);
		return;
	}
	if ((r = make_dir_path(norm, perm)) < 0)
		svc_log(SVC_LOG_WARN, "runtime-env: %s=%s: mkdir: %d", key,
		    val, r);
}

void
vfsd_make_env_dirs(void)
{
	static char buf[8192];
	struct fatfs_node n;
	struct fatfs_file f;
	char *line, *end;
	long len;

	if (!vfsd_fat_mounted || fatfs_lookup(&vfsd_fat, RUNTIME_ENV, &n) < 0 ||
	    (n.attr & FATFS_ATTR_DIR) || fatfs_open(&vfsd_fat, &n, &f) < 0) {
		svc_log(SVC_LOG_INFO, "runtime-env: no %s: no session "
		    "directories made", RUNTIME_ENV);
		return;
	}
	if ((len = fatfs_pread(&vfsd_fat, &f, buf, sizeof(buf) - 1, 0)) < 0)
		return;
	if ((uint64_t)len < n.size)
		svc_log(SVC_LOG_WARN, "runtime-env: %s over %zu bytes: the "
		    "rest ignored", RUNTIME_ENV, sizeof(buf) - 1);
	buf[len] = '\0';
	for (line = buf; *line != '\0'; line = end) {
		if ((end = strchr(line, '\n')) != NULL)
			*end++ = '\0';
		else
			end = line + strlen(line);
		env_line(line);
	}
}
