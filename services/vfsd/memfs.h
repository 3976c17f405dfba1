/*
 * memfs.h -- vfsd's writable memory file systems at /tmp, /run and
 * /home (pure; host-testable).  Paths given here are absolute and
 * normalised (ns.h).  Errors are negative errno values.
 */
#ifndef SERVICES_VFSD_MEMFS_H
#define SERVICES_VFSD_MEMFS_H

#include <stddef.h>
#include <stdint.h>

#define MEMFS_MAX_NODES	512
#define MEMFS_NAME_MAX	255
#define MEMFS_LINK_MAX	4095	/* longest link target (PATH_MAX - 1) */
#define MEMFS_MAX_BYTES	(8u * 1024u * 1024u)	/* all files together */

/* memfs_open flags (vfsd maps Linux open flags onto them). */
#define MEMFS_O_CREAT		0x1
#define MEMFS_O_EXCL		0x2
#define MEMFS_O_TRUNC		0x4
#define MEMFS_O_WRITE		0x8
#define MEMFS_O_DIRECTORY	0x10

struct memfs_node {
	int		used;
	int		linked;		/* still named in its directory */
	int		dir;
	int		link;		/* symbolic link: data = target */
	int		sock;		/* AF_UNIX socket node (bind): no data */
	uint32_t	parent;		/* itself for a mount root */
	uint32_t	opens;
	uint32_t	perm;		/* permission bits (07777) */
	uint32_t	uid, gid;	/* owner (vfsd sets them on creation) */
	uint32_t	covered_by;	/* root of a tmpfs mounted here, or 0 */
	uint32_t	covers;		/* mount root: the directory under it */
	int		rdonly;		/* mount root: mounted MS_RDONLY */
	int		expire;		/* mount root: marked by MNT_EXPIRE */
	uint64_t	ino;
	uint64_t	size;
	uint64_t	cap;
	unsigned char	*data;
	char		name[MEMFS_NAME_MAX + 1];
};

void	memfs_init(void);
/* Whether norm lies in /tmp, /run or /home (the mount points included). */
int	memfs_owns(const char *norm);
struct memfs_node *memfs_node(uint32_t id);
/* An AF_UNIX socket node at norm (-EEXIST, -ENOENT, -EROFS, -ENOSPC). */
int	memfs_mksock(const char *norm);
int	memfs_lookup(const char *norm, uint32_t *id);
/* Open (and maybe create) norm; counts an open reference on success. */
int	memfs_open(const char *norm, int flags, uint32_t *id);
void	memfs_close(uint32_t id);
long	memfs_pread(uint32_t id, void *buf, size_t len, uint64_t off);
long	memfs_pwrite(uint32_t id, const void *buf, size_t len, uint64_t off);
int	memfs_truncate(uint32_t id, uint64_t size);
/* Set the permission bits (mode & 07777). */
int	memfs_chmod(uint32_t id, uint32_t mode);
/* Set the owner and group (policy is vfsd's); -EROFS on a ro tmpfs. */
int	memfs_chown(uint32_t id, uint32_t uid, uint32_t gid);
int	memfs_mkdir(const char *norm);
/* unlink (rmdir = 0) or rmdir (rmdir = 1). */
int	memfs_unlink(const char *norm, int rmdir);
int	memfs_rename(const char *from, const char *to);
/*
 * Create the symbolic link norm holding target (tlen bytes, 1 to
 * MEMFS_LINK_MAX): -EEXIST, -ENOENT, -ENOTDIR, -EROFS, -ENOSPC,
 * -ENAMETOOLONG.  Link nodes have mode 0777; memfs_open of one is -ELOOP
 * (vfsd follows links before it opens).
 */
int	memfs_symlink(const char *norm, const char *target, size_t tlen);
/*
 * Mount a new, empty tmpfs on the existing directory norm (on top of
 * whatever is mounted there; rdonly: every change below fails with
 * -EROFS): -ENOENT, -ENOTDIR, -ENOSPC.  Unmount the
 * tmpfs whose root norm names: -EINVAL when it is not a mount root made
 * by memfs_mount, -EBUSY when a file below is open or a tmpfs is mounted
 * below (unless detach: then everything below is unlinked and lives
 * until its last close).
 */
int	memfs_mount(const char *norm, int rdonly);
int	memfs_umount(const char *norm, int detach);
/*
 * umount2(MNT_EXPIRE) of the tmpfs whose root norm names: busy as for
 * umount: -EBUSY; else the first call marks it (-EAGAIN) and a later one
 * unmounts it unless a file below was opened since (then it marks
 * again: -EAGAIN).
 */
int	memfs_expire(const char *norm);
/* Next child of dir after *cursor (0 first): 1 with *id, 0 at the end. */
int	memfs_readdir(uint32_t dir, uint32_t *cursor, uint32_t *id);
uint64_t memfs_used_bytes(void);

#endif /* SERVICES_VFSD_MEMFS_H */
