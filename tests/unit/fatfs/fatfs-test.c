/*
 * fatfs-test.c -- host driver for lib/fatfs, with a disk image file as the
 * block device.  tests/unit/fatfs/fatfs.sh calls one mode per run and
 * checks the output; the same source is built with $(CC) (musl) and with
 * $(HOST_CC) -fsanitize=address,undefined.
 *
 *   extract IMG DIR      copy the whole tree out (then diff -r with the source)
 *   stat IMG PATH        "dir|file SIZE MODE INO MTIME" or "error -N"
 *   cat IMG PATH         file bytes on stdout; "error -N" on stderr, exit 2
 *   ls IMG PATH          one name per line ('.' and '..' included)
 *   locate IMG PATH      byte offsets for patching: entry, FAT entry, cluster
 *   cache IMG PATH       walk twice, read PATH; check cache and O(1) chain steps
 *   fuzz IMG SEED N      N in-memory mutations of BPB/FAT/directory bytes
 *   mount IMG            FAT type, cluster size and count, label, start
 *   gen SIZE SEED        SIZE pseudo-random bytes (test file contents)
 *   failafter IMG N      device reads fail after N: errors, never a crash
 *   seekdir IMG PATH     telldir/seekdir cursors give the same entries
 *
 * Every device read is checked against the image size: a read outside it
 * aborts the program, so the script sees the crash.  Log lines from the
 * library go to stderr as "log: ...".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fatfs/fatfs.h"

struct img {
	int		fd;
	long		fail_after;	/* reads left before -EIO; <0: never */
	uint8_t		*mem;	/* fuzz mode: the image in memory */
	uint64_t	sectors;
	unsigned long	logs;
	int		quiet;
};

static int
img_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	struct img *im = ctx;
	ssize_t n;

	if (count == 0 || count > FATFS_MAX_READ / 512 ||
	    lba >= im->sectors || count > im->sectors - lba) {
		fprintf(stderr, "READ OUTSIDE THE IMAGE: lba %llu count %u\n",
		    (unsigned long long)lba, count);
		abort();
	}
	if (im->fail_after == 0)
		return (-EIO);
	if (im->fail_after > 0)
		im->fail_after--;
	if (im->mem != NULL) {
		memcpy(buf, im->mem + lba * 512, (size_t)count * 512);
		return (0);
	}
	n = pread(im->fd, buf, (size_t)count * 512, (off_t)(lba * 512));
	return (n == (ssize_t)count * 512 ? 0 : -EIO);
}

static void
img_log(void *ctx, const char *msg)
{
	struct img *im = ctx;

	im->logs++;
	if (!im->quiet)
		fprintf(stderr, "log: %s\n", msg);
}

static struct fatfs fs;
static uint8_t arena[FATFS_ARENA_SIZE(64)];
static uint8_t big_arena[FATFS_ARENA_SIZE(4096)];
static struct img im = { .fail_after = -1 };

static int
open_img(const char *path, uint8_t *a, size_t alen)
{
	struct fatfs_dev dev;
	struct stat st;
	int r;

	im.fd = open(path, O_RDONLY);
	if (im.fd < 0 || fstat(im.fd, &st) != 0) {
		perror(path);
		exit(3);
	}
	im.sectors = (uint64_t)st.st_size / 512;
	dev.read = img_read;
	dev.log = img_log;
	dev.ctx = &im;
	dev.sectors = im.sectors;
	r = fatfs_mount(&fs, &dev, a, alen);
	if (r != 0)
		printf("mount error %d\n", r);
	return (r);
}

static int
extract(const char *dir, const struct fatfs_node *node, int depth)
{
	static char buf[FATFS_MAX_READ];
	struct fatfs_dir d;
	struct fatfs_node e;
	struct fatfs_file f;
	char path[8192];
	uint64_t off;
	long n;
	int r, fd, bad = 0;

	if (depth > 64)
		return (1);
	r = fatfs_opendir(&fs, node, &d);
	if (r != 0) {
		printf("error %s %d\n", dir, r);
		return (1);
	}
	while ((r = fatfs_readdir(&fs, &d, &e)) == 1) {
		if (strcmp(e.name, ".") == 0 || strcmp(e.name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e.name);
		if (e.attr & FATFS_ATTR_DIR) {
			if (mkdir(path, 0755) != 0) {
				perror(path);
				return (1);
			}
			bad |= extract(path, &e, depth + 1);
			continue;
		}
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0) {
			perror(path);
			return (1);
		}
		r = fatfs_open(&fs, &e, &f);
		for (off = 0; r == 0; off += (uint64_t)n) {
			/* Odd sizes exercise the unaligned (cached) path too. */
			n = fatfs_pread(&fs, &f, buf, off % 3 ? sizeof(buf) :
			    sizeof(buf) - 1000, off);
			if (n < 0)
				r = (int)n;
			if (n <= 0)
				break;
			if (write(fd, buf, (size_t)n) != n)
				r = -EIO;
		}
		close(fd);
		if (r != 0) {
			printf("error %s %d\n", path, r);
			bad = 1;
		}
	}
	if (r < 0) {
		printf("error %s %d\n", dir, r);
		bad = 1;
	}
	return (bad);
}

static long extract_walk_count(const struct fatfs_node *);

static int
cmd_cat(const char *path)
{
	static char buf[12345];
	struct fatfs_node n;
	struct fatfs_file f;
	uint64_t off = 0;
	long k;
	int r;

	r = fatfs_lookup(&fs, path, &n);
	if (r == 0)
		r = fatfs_open(&fs, &n, &f);
	while (r == 0) {
		k = fatfs_pread(&fs, &f, buf, sizeof(buf), off);
		if (k < 0)
			r = (int)k;
		if (k <= 0)
			break;
		fwrite(buf, 1, (size_t)k, stdout);
		off += (uint64_t)k;
	}
	fflush(stdout);
	if (r != 0) {
		fprintf(stderr, "error %d\n", r);
		return (2);
	}
	return (0);
}

/*
 * List (and with readall, read) everything under node; the count of
 * entries, bounded in depth and total so a corrupt tree that loops back on
 * itself still ends.  -1 when a directory failed.
 */
static long
walk(const struct fatfs_node *node, int depth, int readall, long *budget)
{
	static char buf[FATFS_MAX_READ];
	struct fatfs_dir d;
	struct fatfs_node e;
	struct fatfs_file f;
	uint64_t off;
	long n = 0, k;
	int r;

	if (depth > 16 || fatfs_opendir(&fs, node, &d) != 0)
		return (-1);
	while (--*budget > 0 && (r = fatfs_readdir(&fs, &d, &e)) == 1) {
		n++;
		if (e.name_len == 0 || strlen(e.name) != e.name_len) {
			fprintf(stderr, "BAD NAME LENGTH\n");
			abort();
		}
		if (strcmp(e.name, ".") == 0 || strcmp(e.name, "..") == 0)
			continue;
		if (e.attr & FATFS_ATTR_DIR) {
			k = walk(&e, depth + 1, readall, budget);
			if (k > 0)
				n += k;
			continue;
		}
		if (!readall || fatfs_open(&fs, &e, &f) != 0)
			continue;
		for (off = 0; off < (64u << 20); off += (uint64_t)k) {
			k = fatfs_pread(&fs, &f, buf, off % 5 ? sizeof(buf) :
			    777, off);
			if (k <= 0)
				break;
			if ((size_t)k > sizeof(buf)) {
				fprintf(stderr, "OVERLONG READ\n");
				abort();
			}
		}
	}
	return (n);
}

static long
extract_walk_count(const struct fatfs_node *root)
{
	long budget = 1000000;

	return (walk(root, 0, 0, &budget));
}

static int
cmd_cache(const char *path)
{
	static char buf[4096], big[16384];
	struct fatfs_dev dev;
	struct fatfs_node root, n;
	struct fatfs_file f;
	uint64_t before, steps, clusters, off = 0;
	long k;
	int r;

	fatfs_root(&fs, &root);
	if (extract_walk_count(&root) < 0)
		return (1);
	before = fs.stats.dev_reads;
	if (extract_walk_count(&root) < 0)
		return (1);
	printf("second walk device reads %llu\n",
	    (unsigned long long)(fs.stats.dev_reads - before));
	if (fs.stats.dev_reads != before)
		return (1);
	r = fatfs_lookup(&fs, path, &n);
	if (r == 0)
		r = fatfs_open(&fs, &n, &f);
	steps = fs.stats.fat_lookups;
	while (r == 0 && (k = fatfs_pread(&fs, &f, buf, sizeof(buf), off)) > 0)
		off += (uint64_t)k;
	steps = fs.stats.fat_lookups - steps;
	clusters = (n.size + fs.cluster_size - 1) / fs.cluster_size;
	printf("read %llu bytes, %llu clusters, %llu FAT lookups\n",
	    (unsigned long long)off, (unsigned long long)clusters,
	    (unsigned long long)steps);
	if (r != 0 || off != n.size || clusters < 8 || steps > clusters)
		return (1);
	/*
	 * File data is cached: a re-read of a 4 KiB piece (an unaligned one
	 * too, spanning two cache blocks) makes no device read, and a cold
	 * 16 KiB data read (after a fresh mount) makes at most one per
	 * 4 KiB block it touches, whatever the cluster size (at most one per
	 * cluster piece, read-ahead inside a cluster going through the
	 * staging buffer).
	 */
	for (k = 0; k < 2; k++) {
		before = fs.stats.dev_reads;
		if (fatfs_pread(&fs, &f, buf, sizeof(buf), 1000) !=
		    (long)sizeof(buf))
			return (1);
		if (k == 1 && fs.stats.dev_reads != before) {
			printf("4 KiB re-read made %llu device reads\n",
			    (unsigned long long)(fs.stats.dev_reads - before));
			return (1);
		}
	}
	dev = fs.dev;
	if (fatfs_mount(&fs, &dev, big_arena, sizeof(big_arena)) != 0 ||
	    fatfs_lookup(&fs, path, &n) != 0 || fatfs_open(&fs, &n, &f) != 0)
		return (1);
	/* A 1-byte read first loads the FAT blocks of the chain walk. */
	if (fatfs_pread(&fs, &f, big, 1, n.size / 2) != 1)
		return (1);
	before = fs.stats.dev_reads;
	r = fatfs_pread(&fs, &f, big, sizeof(big), n.size / 2 + 8193);
	printf("cold 16 KiB read: %llu device reads\n",
	    (unsigned long long)(fs.stats.dev_reads - before));
	if (r != (long)sizeof(big) || fs.stats.dev_reads - before >
	    sizeof(big) / FATFS_CACHE_BLOCK + 1)
		return (1);
	return (0);
}

/* xorshift: deterministic for a given seed on every host. */
static unsigned long
rnd(unsigned long *x)
{
	uint32_t v = (uint32_t)*x;

	v ^= v << 13;
	v ^= v >> 17;
	v ^= v << 5;
	*x = v;
	return (v);
}

static int
cmd_fuzz(const char *path, unsigned long seed, unsigned long iters)
{
	struct fatfs_dev dev;
	struct fatfs_node root, n;
	uint8_t *orig;
	uint64_t len, regions[3][2], r0, r1, at;
	unsigned long it, x = (uint32_t)seed | 1, mounted = 0, k, flips;
	long budget;
	int region;

	if (open_img(path, arena, sizeof(arena)) != 0)
		return (1);
	len = im.sectors * 512;
	orig = malloc(len);
	im.mem = malloc(len);
	if (orig == NULL || im.mem == NULL || pread(im.fd, orig, len, 0) !=
	    (ssize_t)len)
		return (1);
	/* BPB, the first FAT's first 4 KiB, root dir + first data 16 KiB. */
	regions[0][0] = fs.part_lba * 512;
	regions[0][1] = regions[0][0] + 90;
	regions[1][0] = (fs.part_lba + fs.fat_sec) * 512;
	regions[1][1] = regions[1][0] + 4096;
	regions[2][0] = (fs.part_lba + fs.root_sec) * 512;
	regions[2][1] = (fs.part_lba + fs.data_sec) * 512 + 16384;
	if (regions[2][1] > len)
		regions[2][1] = len;
	im.quiet = 1;
	dev.read = img_read;
	dev.log = img_log;
	dev.ctx = &im;
	dev.sectors = im.sectors;
	for (it = 0; it < iters; it++) {
		memcpy(im.mem, orig, len);
		flips = 1 + rnd(&x) % 8;
		for (k = 0; k < flips; k++) {
			region = (int)(rnd(&x) % 3);
			r0 = regions[region][0];
			r1 = regions[region][1];
			at = r0 + rnd(&x) % (r1 - r0);
			if (rnd(&x) % 2)
				im.mem[at] ^= (uint8_t)(1u << (rnd(&x) % 8));
			else
				im.mem[at] = (uint8_t)rnd(&x);
		}
		if (fatfs_mount(&fs, &dev, arena, sizeof(arena)) != 0)
			continue;
		mounted++;
		fatfs_root(&fs, &root);
		budget = 20000;
		walk(&root, 0, 1, &budget);
		(void)fatfs_lookup(&fs, "/many/../sub/./file.txt", &n);
		(void)fatfs_lookup(&fs, "/A/B/C/D", &n);
	}
	printf("# %lu mutations, %lu mounted, %lu log lines\n", iters, mounted,
	    im.logs);
	return (mounted == 0);
}

/*
 * Device reads fail with -EIO after N good ones (block.read=fail-after:N):
 * mount, walk and read everything; the library must report errors, never
 * crash.  Prints how many directory/file operations failed.
 */
static int
cmd_failafter(const char *path, long nreads)
{
	struct fatfs_node root;
	long budget = 100000, k;

	im.quiet = 1;
	im.fail_after = nreads;
	{
		struct fatfs_dev dev;
		struct stat st;
		int r;

		im.fd = open(path, O_RDONLY);
		if (im.fd < 0 || fstat(im.fd, &st) != 0)
			return (3);
		im.sectors = (uint64_t)st.st_size / 512;
		dev.read = img_read;
		dev.log = img_log;
		dev.ctx = &im;
		dev.sectors = im.sectors;
		r = fatfs_mount(&fs, &dev, arena, sizeof(arena));
		if (r != 0) {
			printf("mount error %d\n", r);
			return (0);
		}
	}
	fatfs_root(&fs, &root);
	k = walk(&root, 0, 1, &budget);
	printf("walk %ld entries, %lu log lines\n", k, im.logs);
	return (0);
}

/*
 * telldir/seekdir: the cursor after entry k, sought back to, yields entry
 * k+1 again.
 */
static int
cmd_seekdir(struct fatfs_node *dir)
{
	static char names[1024][FATFS_NAME_BUF];
	static uint32_t after[1024];
	struct fatfs_dir d;
	struct fatfs_node e;
	int i, cnt = 0, r;

	r = fatfs_opendir(&fs, dir, &d);
	while (r == 0 && cnt < 1024 && (r = fatfs_readdir(&fs, &d, &e)) == 1) {
		memcpy(names[cnt], e.name, sizeof(e.name));
		after[cnt++] = fatfs_telldir(&d);
		r = 0;
	}
	if (r < 0 || cnt < 3)
		return (1);
	for (i = cnt - 2; i >= 0; i--) {
		if (fatfs_seekdir(&fs, &d, after[i]) != 0 ||
		    fatfs_readdir(&fs, &d, &e) != 1 ||
		    strcmp(e.name, names[i + 1]) != 0) {
			printf("seek to %u after %s: got %s\n", after[i],
			    names[i], e.name);
			return (1);
		}
	}
	if (fatfs_seekdir(&fs, &d, after[cnt - 1]) != 0 ||
	    fatfs_readdir(&fs, &d, &e) != 0 ||
	    fatfs_seekdir(&fs, &d, 0) != 0 ||
	    fatfs_readdir(&fs, &d, &e) != 1 || strcmp(e.name, names[0]) != 0)
		return (1);
	printf("%d entries sought back\n", cnt);
	return (0);
}

/* SIZE pseudo-random bytes from SEED on stdout (test file contents). */
static int
cmd_gen(unsigned long size, unsigned long seed)
{
	static uint8_t buf[4096];
	unsigned long x = (uint32_t)seed | 1, i, n;

	while (size > 0) {
		n = size < sizeof(buf) ? size : sizeof(buf);
		for (i = 0; i < n; i++)
			buf[i] = (uint8_t)(rnd(&x) >> 7);
		if (fwrite(buf, 1, n, stdout) != n)
			return (1);
		size -= n;
	}
	return (0);
}

int
main(int argc, char **argv)
{
	struct fatfs_node n, e;
	struct fatfs_dir d;
	int r;

	if (argc < 3) {
		fprintf(stderr, "usage: fatfs-test MODE IMG [ARGS]\n");
		return (3);
	}
	if (strcmp(argv[1], "gen") == 0 && argc == 4)
		return (cmd_gen(strtoul(argv[2], NULL, 0),
		    strtoul(argv[3], NULL, 0)));
	if (strcmp(argv[1], "failafter") == 0 && argc == 4)
		return (cmd_failafter(argv[2], strtol(argv[3], NULL, 0)));
	if (strcmp(argv[1], "fuzz") == 0 && argc == 5)
		return (cmd_fuzz(argv[2], strtoul(argv[3], NULL, 0),
		    strtoul(argv[4], NULL, 0)));
	if (strcmp(argv[1], "mount") == 0) {
		if (open_img(argv[2], arena, sizeof(arena)) != 0)
			return (1);
		printf("FAT%d cluster %u clusters %u label '%s' at %llu\n",
		    fs.fat_type, fs.cluster_size, fs.cluster_count, fs.label,
		    (unsigned long long)fs.part_lba);
		return (0);
	}
	if (argc != 4) {
		fprintf(stderr, "usage: fatfs-test MODE IMG ARG\n");
		return (3);
	}
	if (open_img(argv[2], strcmp(argv[1], "cache") == 0 ? big_arena : arena,
	    strcmp(argv[1], "cache") == 0 ? sizeof(big_arena) : sizeof(arena)))
		return (1);
	if (strcmp(argv[1], "extract") == 0) {
		fatfs_root(&fs, &n);
		return (extract(argv[3], &n, 0));
	}
	if (strcmp(argv[1], "cat") == 0)
		return (cmd_cat(argv[3]));
	if (strcmp(argv[1], "cache") == 0)
		return (cmd_cache(argv[3]));
	r = fatfs_lookup(&fs, argv[3], &n);
	if (r != 0) {
		printf("error %d\n", r);
		return (1);
	}
	if (strcmp(argv[1], "seekdir") == 0)
		return (cmd_seekdir(&n));
	if (strcmp(argv[1], "stat") == 0) {
		printf("%s %u %o %llu %lld\n", n.attr & FATFS_ATTR_DIR ?
		    "dir" : "file", n.size, n.mode, (unsigned long long)n.ino,
		    (long long)n.mtime);
		return (0);
	}
	if (strcmp(argv[1], "locate") == 0) {
		printf("entry=%llu fatent=%llu cluster=%u fat=%d\n",
		    (unsigned long long)(fs.part_lba * 512 + n.entry_off),
		    (unsigned long long)((fs.part_lba + fs.fat_sec) * 512 +
		    (fs.fat_type == 12 ? n.first_cluster + n.first_cluster / 2 :
		    (uint64_t)n.first_cluster * (fs.fat_type == 16 ? 2 : 4))),
		    n.first_cluster, fs.fat_type);
		return (0);
	}
	if (strcmp(argv[1], "ls") == 0) {
		r = fatfs_opendir(&fs, &n, &d);
		while (r == 0 && (r = fatfs_readdir(&fs, &d, &e)) == 1) {
			printf("%s\n", e.name);
			r = 0;
		}
		if (r < 0) {
			printf("error %d\n", r);
			return (1);
		}
		return (0);
	}
	fprintf(stderr, "unknown mode %s\n", argv[1]);
	return (3);
}
