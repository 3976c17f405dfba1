/*
 * fatfs.h -- read-only FAT16/FAT32 volume parser for vfsd (the boot volume
 * is the root of the Linux-visible namespace; spec/boot-and-services.md).
 * FAT12 is read too: tools/mkdisk's 128 MiB volume with 32 KiB clusters
 * has 4084 clusters, which is FAT12 by the Microsoft cluster-count rule.
 *
 * Layers, bottom up: a caller-supplied block-read callback (512-byte
 * device sectors, at most 64 KiB per call, so it maps 1:1 onto
 * SYS_RUSTOS_BLOCK_BROKER BOOT_READ); an LRU cache of 4 KiB blocks carved
 * from a caller-supplied arena, hashed by block number, through which file
 * data is read too (so re-reading a file costs no device read); BPB parsing and validation; cluster-chain
 * walking; directory iteration with VFAT long names; path lookup; file
 * reads at an offset.
 *
 * Read-only contract: the API has no operation that writes.  vfsd answers
 * every write-ish request on the FAT root with -EROFS itself.
 *
 * Memory: no globals and no allocation.  All state lives in the caller's
 * struct fatfs and the arena given to fatfs_mount(); cursors (struct
 * fatfs_dir, struct fatfs_file) are small caller-owned structs, so a
 * long-running vfsd stays bounded.  Not thread-safe: one struct fatfs per
 * thread, or serialise calls.
 *
 * Errors are negative errno values.  -EIO policy: a corrupt structure
 * (cluster-chain loop, out-of-range or free cluster inside a chain, a chain
 * that ends before or goes on past the file size, a directory larger than 65536 entries, a
 * failed device read) fails only the affected file or directory with -EIO
 * and emits one line through dev->log.  Every walk is bounded by the
 * volume's cluster count, so no input can hang, and every device read is
 * checked against the volume (and device) size first.  Directory entries
 * that cannot be valid (illegal short-name bytes, reserved attribute bits)
 * are skipped with a log line, so the rest of the directory stays usable.
 * A volume whose boot sector fails validation is refused by fatfs_mount()
 * with -EINVAL and a log line naming the rule.
 */
#ifndef RUSTOS_FATFS_H
#define RUSTOS_FATFS_H

#include <stddef.h>
#include <stdint.h>

#define FATFS_DEV_SECTOR	512u		/* unit of dev->read lba/count */
#define FATFS_MAX_READ		(64u * 1024u)	/* bytes per dev->read call */
#define FATFS_CACHE_BLOCK	4096u		/* bytes per cache slot */
#define FATFS_NAME_MAX		255		/* path component, bytes */
#define FATFS_PATH_MAX		4095		/* whole path, bytes */
#define FATFS_NAME_BUF		768		/* 255 UCS-2 units as UTF-8, + NUL */
#define FATFS_DIR_MAX_ENTRIES	65536u		/* 32-byte slots per directory */

/* Attribute bits of a directory entry (struct fatfs_node.attr). */
#define FATFS_ATTR_RDONLY	0x01
#define FATFS_ATTR_HIDDEN	0x02
#define FATFS_ATTR_SYSTEM	0x04
#define FATFS_ATTR_VOLUME	0x08
#define FATFS_ATTR_DIR		0x10
#define FATFS_ATTR_ARCHIVE	0x20

/*
 * The device.  read() returns 0 or a negative errno and must fill
 * count * 512 bytes; count is never 0 and never above 128.  log() gets one
 * NUL-terminated line without a newline; it may be NULL.  sectors is the
 * device size in 512-byte sectors (0: unknown, then only the BPB bounds
 * reads).
 */
struct fatfs_dev {
	int	(*read)(void *ctx, uint64_t lba, uint32_t count, void *buf);
	void	(*log)(void *ctx, const char *msg);
	void	*ctx;
	uint64_t sectors;
};

/* Counters, for tests and vfsd's statistics. */
struct fatfs_stats {
	uint64_t	dev_reads;	/* dev->read calls */
	uint64_t	cache_hits;
	uint64_t	cache_misses;
	uint64_t	fat_lookups;	/* FAT entries fetched */
};

/* Private: one cache slot's bookkeeping (data lives beside it in the arena). */
struct fatfs_cslot {
	uint64_t	blk;		/* volume-relative block number */
	uint64_t	stamp;		/* last use, for LRU */
	uint8_t		*data;
	uint32_t	hnext;		/* next slot in its hash chain, ~0 none */
	int		valid;		/* valid slots, and only they, are hashed */
};

/*
 * A mounted volume.  Fields are private to fatfs.c except the read-only
 * geometry summary at the top and stats.
 */
struct fatfs {
	int		fat_type;	/* 12, 16 or 32 */
	uint32_t	bytes_per_sector;
	uint32_t	cluster_size;	/* bytes */
	uint32_t	cluster_count;	/* data clusters: valid numbers 2..count+1 */
	uint64_t	part_lba;	/* first device sector of the volume */
	uint64_t	vol_sectors;	/* volume size in 512-byte sectors */
	char		label[12];	/* BPB volume label, trailing spaces cut */
	struct fatfs_stats stats;

	struct fatfs_dev dev;
	uint64_t	fat_sec;	/* first FAT, 512-byte units, volume-relative */
	uint64_t	root_sec;	/* FAT16 fixed root */
	uint32_t	root_entries;	/* FAT16 fixed root size in entries */
	uint32_t	root_cluster;	/* FAT32 */
	uint64_t	data_sec;	/* cluster 2 */
	uint32_t	spc512;		/* 512-byte sectors per cluster */
	struct fatfs_cslot *slots;
	uint32_t	nslots;
	uint32_t	last;		/* slot of the last hit */
	uint64_t	clock;
	uint32_t	*heads;		/* hash chains by block number, ~0 empty */
	uint32_t	hmask;		/* number of chains - 1 (a power of 2) */
	uint8_t		*stage;		/* FATFS_MAX_READ bytes for read-ahead */
};

/*
 * What a lookup or readdir returns.  mode is S_IFDIR|0555 or S_IFREG|0444.
 * ino is the first cluster, or for clusterless (empty) files a stable value
 * from the entry's position with bit 48 set; the root is the FAT32 root
 * cluster, or 1 on FAT16.  Times are Unix seconds, the FAT local time taken
 * as UTC; btime_nsec carries the 10 ms creation resolution.
 */
struct fatfs_node {
	uint32_t	first_cluster;	/* 0: none (empty file, or FAT16 root) */
	uint32_t	size;		/* bytes; 0 for directories */
	uint8_t		attr;		/* FATFS_ATTR_* */
	uint8_t		is_root;
	uint32_t	mode;
	uint64_t	ino;
	int64_t		mtime;
	int64_t		atime;
	int64_t		btime;
	uint32_t	btime_nsec;
	uint32_t	pos;		/* readdir: cursor value of this entry */
	uint64_t	entry_off;	/* volume byte offset of the 8.3 entry */
	uint16_t	name_len;
	char		name[FATFS_NAME_BUF];	/* UTF-8; long name if valid */
	char		short_name[26];		/* 8.3 as displayed, UTF-8 */
};

/* A directory cursor. pos is the 32-byte slot index; 0 is the start. */
struct fatfs_dir {
	uint32_t	first_cluster;	/* 0: FAT16 fixed root */
	uint32_t	cur_cluster;	/* cluster holding slot cur_index*per */
	uint32_t	cur_index;	/* cluster index of cur_cluster, ~0 none */
	uint32_t	pos;
	uint8_t		is_root;
	uint8_t		at_end;
};

/* An open file: the cached chain position makes sequential reads O(1). */
struct fatfs_file {
	uint32_t	first_cluster;
	uint32_t	size;
	uint32_t	cur_cluster;
	uint32_t	cur_index;	/* ~0: nothing cached */
	uint8_t		end_ok;		/* chain end checked against size */
};

/*
 * Arena bytes for n cache slots: each slot's block, bookkeeping and hash
 * chain head, plus one FATFS_MAX_READ staging buffer through which a miss
 * reads up to 16 blocks in one device call (an arena too small for the
 * staging buffer and two slots gets none, and misses read one block).
 */
#define FATFS_ARENA_SIZE(n) \
	((size_t)(n) * (FATFS_CACHE_BLOCK + sizeof(struct fatfs_cslot) + \
	    sizeof(uint32_t)) + FATFS_MAX_READ + 16)

/*
 * Mount: read and validate the boot sector at device sector 0; if that is
 * not a FAT BPB but an MBR, the first FAT-typed partition (0x04, 0x06,
 * 0x0b, 0x0c, 0x0e, 0xef) with a valid BPB.  The arena must hold at least
 * FATFS_ARENA_SIZE(2); it stays in use until the struct is dropped.
 * Any BPB that fails validation is refused with -EINVAL.
 */
int	fatfs_mount(struct fatfs *fs, const struct fatfs_dev *dev,
	    void *arena, size_t arena_len);

/* The root directory node. */
void	fatfs_root(const struct fatfs *fs, struct fatfs_node *out);

/*
 * Look an absolute path up ('/'-separated, repeated '/' allowed, '.' and
 * '..' resolved, ASCII case-insensitive against the long and the short
 * name).  -EINVAL: not absolute; -ENAMETOOLONG: a component over 255 bytes
 * or the path over 4095; -ENOENT; -ENOTDIR: a non-final component (or a
 * trailing '/') names a file; -EIO: corrupt directory on the way.
 */
int	fatfs_lookup(struct fatfs *fs, const char *path, struct fatfs_node *out);

/* Look one name up in directory dir (no '/' inside name). */
int	fatfs_lookup_in(struct fatfs *fs, const struct fatfs_node *dir,
	    const char *name, size_t len, struct fatfs_node *out);

/* Directories: -ENOTDIR for a file, -EIO for a corrupt start cluster. */
int	fatfs_opendir(struct fatfs *fs, const struct fatfs_node *dir,
	    struct fatfs_dir *d);
/*
 * Next entry: 1 and *out filled, 0 at the end, or -errno.  '.' and '..'
 * of subdirectories are returned as stored ('..' gets the root's ino when
 * it points at the root); volume labels, deleted entries and LFN pieces
 * are not.  After an error the cursor stays where it was.
 */
int	fatfs_readdir(struct fatfs *fs, struct fatfs_dir *d,
	    struct fatfs_node *out);
/* Cursor values for getdents64 d_off / lseek on a directory. */
uint32_t fatfs_telldir(const struct fatfs_dir *d);
int	fatfs_seekdir(struct fatfs *fs, struct fatfs_dir *d, uint32_t pos);

/* Files: -EISDIR for a directory. */
int	fatfs_open(struct fatfs *fs, const struct fatfs_node *node,
	    struct fatfs_file *f);
/*
 * Read up to len bytes at off: the count read (0 at or past the end), or
 * -errno when nothing could be read.  A short count before the end of the
 * file means the next call will report the error.
 */
long	fatfs_pread(struct fatfs *fs, struct fatfs_file *f, void *buf,
	    size_t len, uint64_t off);

#endif /* RUSTOS_FATFS_H */
