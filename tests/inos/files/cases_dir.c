/*
 * cases_dir.c -- fsuite cases on names and metadata: fstat, newfstatat,
 * statx, getdents64, readlinkat, access/faccessat, getcwd, chdir/fchdir,
 * mkdir, unlinkat, renameat, mount/umount2, symlink, with their error cases
 * (EROFS on the read-only directory, ENAMETOOLONG, ...).
 */
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsuite.h"

#define FS_SYS_STATX		332
#define FS_STATX_BASIC_STATS	0x7ffU
#define FS_STATX__RESERVED	0x80000000U

/* Linux's struct statx (256 bytes); the libc headers may lack it. */
struct fs_statx_ts {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
};

struct fs_statx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, spare0;
	uint64_t ino, size, blocks, attributes_mask;
	struct fs_statx_ts atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t spare[14];
};

struct fs_dirent64 {
	uint64_t ino;
	int64_t off;
	uint16_t reclen;
	uint8_t type;
	char name[];
};

static int
c_fstat(void)
{
	struct stat st;
	int fd;

	CHECK(fs_mkfile("fs", "12345") == 0);
	CHK_OK(fd = open("fs", O_RDONLY));
	CHK_OK(fstat(fd, &st));
	CHECK(S_ISREG(st.st_mode) && st.st_size == 5 && st.st_nlink >= 1);
	CHK_OK(close(fd));
	CHK_OK(fd = open(".", O_RDONLY | O_DIRECTORY));
	CHK_OK(fstat(fd, &st));
	CHECK(S_ISDIR(st.st_mode));
	return (FS_OK);
}

static int
c_fstat_errors(void)
{
	int fd;

	EXPECT_ERR(syscall(SYS_fstat, -1, FS_BADPTR), EBADF);
	CHK_OK(fd = open(".", O_RDONLY));
	EXPECT_ERR(syscall(SYS_fstat, fd, FS_BADPTR), EFAULT);
	return (FS_OK);
}

static int
c_fstatat(void)
{
	struct stat st, st2;
	int dfd;

	CHK_OK(mkdir("fsa", 0755));
	CHECK(fs_mkfile("fsa/f", "abc") == 0);
	CHK_OK(dfd = open("fsa", O_RDONLY | O_DIRECTORY));
	CHK_OK(fstatat(dfd, "f", &st, 0));
	CHECK(S_ISREG(st.st_mode) && st.st_size == 3);
	CHK_OK(fstatat(AT_FDCWD, "fsa/f", &st2, 0));
	CHECK(st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
	/* AT_EMPTY_PATH: the dirfd itself. */
	CHK_OK(fstatat(dfd, "", &st, AT_EMPTY_PATH));
	CHECK(S_ISDIR(st.st_mode));
	return (FS_OK);
}

static int
c_fstatat_errors(void)
{
	struct stat st;
	int fd;

	EXPECT_ERR(fstatat(AT_FDCWD, "fse-missing", &st, 0), ENOENT);
	EXPECT_ERR(fstatat(AT_FDCWD, "", &st, 0), ENOENT);
	CHECK(fs_mkfile("fse", "x") == 0);
	EXPECT_ERR(fstatat(AT_FDCWD, "fse/x", &st, 0), ENOTDIR);
	EXPECT_ERR(fstatat(999, "rel", &st, 0), EBADF);
	EXPECT_ERR(fstatat(AT_FDCWD, "fse", &st, 0x40000000), EINVAL);
	EXPECT_ERR(syscall(SYS_newfstatat, AT_FDCWD, "fse", FS_BADPTR, 0),
	    EFAULT);
	EXPECT_ERR(syscall(SYS_newfstatat, AT_FDCWD, FS_BADPTR, &st, 0),
	    EFAULT);
	CHK_OK(fd = open("fse", O_RDONLY));
	EXPECT_ERR(fstatat(fd, "x", &st, 0), ENOTDIR);
	return (FS_OK);
}

static int
c_statx(void)
{
	struct fs_statx sx;
	struct stat st;

	CHECK(fs_mkfile("sx", "1234567") == 0);
	memset(&sx, 0xa5, sizeof(sx));
	CHK_OK(syscall(FS_SYS_STATX, AT_FDCWD, "sx", 0, FS_STATX_BASIC_STATS,
	    &sx));
	CHK_OK(stat("sx", &st));
	CHECK((sx.mask & 0x200) && sx.size == 7);	/* STATX_SIZE */
	CHECK((sx.mask & 0x100) && sx.ino == st.st_ino);	/* STATX_INO */
	CHECK((sx.mask & 0x2) && S_ISREG(sx.mode));	/* STATX_MODE */
	return (FS_OK);
}

static int
c_statx_errors(void)
{
	struct fs_statx sx;

	EXPECT_ERR(syscall(FS_SYS_STATX, AT_FDCWD, "sxe-missing", 0,
	    FS_STATX_BASIC_STATS, &sx), ENOENT);
	CHECK(fs_mkfile("sxe", "x") == 0);
	EXPECT_ERR(syscall(FS_SYS_STATX, AT_FDCWD, "sxe", 0,
	    FS_STATX__RESERVED, &sx), EINVAL);
	EXPECT_ERR(syscall(FS_SYS_STATX, AT_FDCWD, "sxe", 0x40000000,
	    FS_STATX_BASIC_STATS, &sx), EINVAL);
	EXPECT_ERR(syscall(FS_SYS_STATX, AT_FDCWD, "sxe", 0,
	    FS_STATX_BASIC_STATS, FS_BADPTR), EFAULT);
	EXPECT_ERR(syscall(FS_SYS_STATX, 999, "rel", 0,
	    FS_STATX_BASIC_STATS, &sx), EBADF);
	return (FS_OK);
}

/*
 * statx(fd, "", AT_EMPTY_PATH) describes the fd itself, whatever it is: a
 * file, a pipe, a character device (as fstat).  A missing "" without
 * AT_EMPTY_PATH is ENOENT.
 */
static int
c_statx_empty_path(void)
{
	struct fs_statx sx;
	struct stat st;
	int fd, p[2];

	CHECK(fs_mkfile("sxp", "12345") == 0);
	CHK_OK(fd = open("sxp", O_RDONLY));
	memset(&sx, 0xa5, sizeof(sx));
	CHK_OK(syscall(FS_SYS_STATX, fd, "", AT_EMPTY_PATH,
	    FS_STATX_BASIC_STATS, &sx));
	CHK_OK(fstat(fd, &st));
	CHECK((sx.mask & 0x200) && sx.size == 5 && S_ISREG(sx.mode));
	CHECK(sx.ino == st.st_ino && sx.nlink == st.st_nlink);
	EXPECT_ERR(syscall(FS_SYS_STATX, fd, "", 0, FS_STATX_BASIC_STATS,
	    &sx), ENOENT);
	close(fd);
	CHK_OK(pipe(p));
	memset(&sx, 0xa5, sizeof(sx));
	CHK_OK(syscall(FS_SYS_STATX, p[0], "", AT_EMPTY_PATH,
	    FS_STATX_BASIC_STATS, &sx));
	CHECK((sx.mask & 0x2) && S_ISFIFO(sx.mode));
	close(p[0]);
	close(p[1]);
	CHK_OK(fd = open("/dev/null", O_RDWR));
	memset(&sx, 0xa5, sizeof(sx));
	CHK_OK(syscall(FS_SYS_STATX, fd, "", AT_EMPTY_PATH,
	    FS_STATX_BASIC_STATS, &sx));
	CHK_OK(fstat(fd, &st));
	CHECK((sx.mask & 0x2) && S_ISCHR(sx.mode) && sx.mode == st.st_mode);
	close(fd);
	return (FS_OK);
}

/* fchownat(fd, "", uid, gid, AT_EMPTY_PATH): the fd's file itself. */
static int
c_fchownat_empty_path(void)
{
	struct stat st;
	int fd;

	CHECK(fs_mkfile("fcp", "x") == 0);
	CHK_OK(fd = open("fcp", O_RDONLY));
	CHK_OK(fchownat(fd, "", getuid(), getgid(), AT_EMPTY_PATH));
	CHK_OK(fchownat(fd, "", (uid_t)-1, (gid_t)-1, AT_EMPTY_PATH));
	CHK_OK(fstat(fd, &st));
	CHECK(st.st_uid == getuid() && st.st_gid == getgid());
	EXPECT_ERR(fchownat(fd, "", getuid(), getgid(), 0), ENOENT);
	close(fd);
	return (FS_OK);
}

/* Reads every name of dir fd; sets *seen bits for names a, b, c. */
static int
read_names(int fd, unsigned *seen, int *count)
{
	char buf[512];
	struct fs_dirent64 *d;
	long n, off;

	*seen = 0;
	*count = 0;
	for (;;) {
		n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		if (n < 0)
			return (fs_fail("getdents64: %s", fs_errname(errno)));
		if (n == 0)
			return (FS_OK);
		for (off = 0; off < n; off += d->reclen) {
			d = (struct fs_dirent64 *)(buf + off);
			if (d->reclen < offsetof(struct fs_dirent64, name) + 2 ||
			    off + d->reclen > n)
				return (fs_fail("bad reclen %u", d->reclen));
			(*count)++;
			if (strcmp(d->name, "a") == 0)
				*seen |= 1;
			else if (strcmp(d->name, "b-longer-name.txt") == 0)
				*seen |= 2;
			else if (strcmp(d->name, "c") == 0) {
				if (d->type != 4)	/* DT_DIR */
					return (fs_fail("c: d_type %u",
					    d->type));
				*seen |= 4;
			}
		}
	}
}

static int
c_getdents(void)
{
	unsigned seen;
	int fd, count, rc;

	CHK_OK(mkdir("gd", 0755));
	CHECK(fs_mkfile("gd/a", "") == 0);
	CHECK(fs_mkfile("gd/b-longer-name.txt", "") == 0);
	CHK_OK(mkdir("gd/c", 0755));
	CHK_OK(fd = open("gd", O_RDONLY | O_DIRECTORY));
	if ((rc = read_names(fd, &seen, &count)) != FS_OK)
		return (rc);
	CHECK(seen == 7);
	/* Rewinding the directory starts the listing again. */
	CHK_OK(lseek(fd, 0, SEEK_SET));
	if ((rc = read_names(fd, &seen, &count)) != FS_OK)
		return (rc);
	CHECK(seen == 7);
	return (FS_OK);
}

static int
c_getdents_errors(void)
{
	char buf[512];
	int fd;

	EXPECT_ERR(syscall(SYS_getdents64, -1, buf, sizeof(buf)), EBADF);
	CHECK(fs_mkfile("gde", "x") == 0);
	CHK_OK(fd = open("gde", O_RDONLY));
	EXPECT_ERR(syscall(SYS_getdents64, fd, buf, sizeof(buf)), ENOTDIR);
	CHK_OK(close(fd));
	CHK_OK(fd = open(".", O_RDONLY | O_DIRECTORY));
	EXPECT_ERR(syscall(SYS_getdents64, fd, buf, 1), EINVAL);
	EXPECT_ERR(syscall(SYS_getdents64, fd, FS_BADPTR, sizeof(buf)),
	    EFAULT);
	return (FS_OK);
}

static int
c_getdents_ro(void)
{
	char buf[1024];
	long n;
	int fd;

	if (fs_ro_file[0] == '\0')
		return (fs_skip("no regular file under %s", fs_rodir));
	CHK_OK(fd = open(fs_rodir, O_RDONLY | O_DIRECTORY));
	CHK_OK(n = syscall(SYS_getdents64, fd, buf, sizeof(buf)));
	CHECK(n > 0);
	return (FS_OK);
}

static int
c_readlinkat(void)
{
	char buf[64];
	ssize_t n;
	int dfd;

	if (symlink("target-of-link", "rl") < 0)
		return (errno == EPERM || errno == ENOSYS ||
		    errno == EOPNOTSUPP ? fs_skip("symlink: %s",
		    fs_errname(errno)) : fs_fail("symlink: %s",
		    fs_errname(errno)));
	CHK_OK(n = readlink("rl", buf, sizeof(buf)));
	CHECK(n == 14 && memcmp(buf, "target-of-link", 14) == 0);
	CHK_OK(dfd = open(".", O_RDONLY | O_DIRECTORY));
	/* Truncated to the buffer, no NUL added. */
	CHECK(readlinkat(dfd, "rl", buf, 4) == 4);
	CHECK(memcmp(buf, "targ", 4) == 0);
	return (FS_OK);
}

static int
c_readlinkat_errors(void)
{
	char buf[64];

	CHECK(fs_mkfile("rle", "x") == 0);
	EXPECT_ERR(readlink("rle", buf, sizeof(buf)), EINVAL);
	EXPECT_ERR(readlink("rle-missing", buf, sizeof(buf)), ENOENT);
	EXPECT_ERR(readlink("rle/x", buf, sizeof(buf)), ENOTDIR);
	EXPECT_ERR(readlinkat(999, "rel", buf, sizeof(buf)), EBADF);
	EXPECT_ERR(syscall(SYS_readlinkat, AT_FDCWD, FS_BADPTR, buf, 8),
	    EFAULT);
	if (symlink("t", "rle-l") == 0)
		EXPECT_ERR(syscall(SYS_readlinkat, AT_FDCWD, "rle-l", buf, 0),
		    EINVAL);
	return (FS_OK);
}

static int
c_symlink(void)
{
	struct stat st;
	char buf[300], name[300];
	ssize_t n;
	int fd;

	CHECK(fs_mkfile("sl-t", "hello") == 0);
	CHK_OK(symlink("sl-t", "sl"));
	/* Followed: the target's bytes and status. */
	CHK_OK(fd = open("sl", O_RDONLY));
	n = read(fd, buf, sizeof(buf));
	close(fd);
	CHECK(n == 5 && memcmp(buf, "hello", 5) == 0);
	CHK_OK(stat("sl", &st));
	CHECK(S_ISREG(st.st_mode) && st.st_size == 5);
	CHK_OK(lstat("sl", &st));
	CHECK(S_ISLNK(st.st_mode) && st.st_size == 4);
	/* symlinkat with a directory fd; an absolute target. */
	CHK_OK(fd = open(".", O_RDONLY | O_DIRECTORY));
	snprintf(name, sizeof(name), "%s/sl-t", fs_workdir);
	CHK_OK(symlinkat(name, fd, "sl-abs"));
	close(fd);
	CHK_OK(n = readlink("sl-abs", buf, sizeof(buf)));
	CHECK((size_t)n == strlen(name) && memcmp(buf, name, (size_t)n) == 0);
	CHK_OK(stat("sl-abs", &st));
	CHECK(S_ISREG(st.st_mode) && st.st_size == 5);
	/* Through a link to a directory, in the middle of a path. */
	CHK_OK(mkdir("sl-d", 0755));
	CHECK(fs_mkfile("sl-d/f", "abc") == 0);
	CHK_OK(symlink("sl-d", "sl-dl"));
	CHK_OK(stat("sl-dl/f", &st));
	CHECK(S_ISREG(st.st_mode) && st.st_size == 3);
	CHECK(fs_mkfile("sl-dl/g", "xy") == 0);
	CHK_OK(stat("sl-d/g", &st));
	CHECK(st.st_size == 2);
	return (FS_OK);
}

static int
c_symlink_errors(void)
{
	static char longt[5000];
	char p[PATH_MAX];

	CHECK(fs_mkfile("se-f", "x") == 0);
	EXPECT_ERR(symlink("anything", "se-f"), EEXIST);
	CHK_OK(symlink("anything", "se-l"));
	EXPECT_ERR(symlink("other", "se-l"), EEXIST);
	EXPECT_ERR(symlink("t", "se-missing/l"), ENOENT);
	EXPECT_ERR(symlink("t", "se-f/l"), ENOTDIR);
	EXPECT_ERR(symlink("", "se-empty"), ENOENT);
	memset(longt, 'a', sizeof(longt) - 1);
	EXPECT_ERR(symlink(longt, "se-long"), ENAMETOOLONG);
	EXPECT_ERR(symlink("t", FS_BADPTR), EFAULT);
	EXPECT_ERR(symlinkat("t", 999, "se-x"), EBADF);
	if (fs_ro) {
		snprintf(p, sizeof(p), "%s/fsuite-new-link", fs_rodir);
		EXPECT_ERR(symlink("t", p), EROFS);
	}
	return (FS_OK);
}

static int
c_symlink_loop(void)
{
	struct stat st;
	char name[16];
	int i;

	CHK_OK(symlink("lp-b", "lp-a"));
	CHK_OK(symlink("lp-a", "lp-b"));
	EXPECT_ERR(stat("lp-a", &st), ELOOP);
	EXPECT_ERR(open("lp-a", O_RDONLY), ELOOP);
	EXPECT_ERR(open("lp-a/x", O_RDONLY), ELOOP);
	CHK_OK(lstat("lp-a", &st));
	CHECK(S_ISLNK(st.st_mode));
	/* A chain of 41 links is one too many; 40 resolve. */
	CHECK(fs_mkfile("lp-0", "x") == 0);
	for (i = 1; i <= 41; i++) {
		char prev[16];

		snprintf(prev, sizeof(prev), "lp-%d", i - 1);
		snprintf(name, sizeof(name), "lp-%d", i);
		CHK_OK(symlink(prev, name));
	}
	CHK_OK(stat("lp-40", &st));
	EXPECT_ERR(stat("lp-41", &st), ELOOP);
	return (FS_OK);
}

static int
c_symlink_nofollow(void)
{
	struct fs_dirent64 *d;
	struct fs_statx sx;
	struct stat st;
	char buf[16], dbuf[512];
	long n, off;
	int fd, type;

	CHECK(fs_mkfile("nf-t", "data") == 0);
	CHK_OK(symlink("nf-t", "nf-l"));
	CHK_OK(lstat("nf-l", &st));
	CHECK(S_ISLNK(st.st_mode) && st.st_size == 4);
	CHK_OK(fstatat(AT_FDCWD, "nf-l", &st, AT_SYMLINK_NOFOLLOW));
	CHECK(S_ISLNK(st.st_mode));
	CHK_OK(fstatat(AT_FDCWD, "nf-l", &st, 0));
	CHECK(S_ISREG(st.st_mode));
	EXPECT_ERR(open("nf-l", O_RDONLY | O_NOFOLLOW), ELOOP);
	EXPECT_ERR(open("nf-l", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	EXPECT_ERR(readlink("nf-t", buf, sizeof(buf)), EINVAL);
	EXPECT_ERR(mkdir("nf-l", 0755), EEXIST);
	CHK_OK(syscall(FS_SYS_STATX, AT_FDCWD, "nf-l", AT_SYMLINK_NOFOLLOW,
	    FS_STATX_BASIC_STATS, &sx));
	CHECK(S_ISLNK(sx.mode) && sx.size == 4);
	/* getdents64 says DT_LNK (10). */
	CHK_OK(mkdir("nf-d", 0755));
	CHK_OK(symlink("x", "nf-d/l"));
	CHK_OK(fd = open("nf-d", O_RDONLY | O_DIRECTORY));
	CHK_OK(n = syscall(SYS_getdents64, fd, dbuf, sizeof(dbuf)));
	close(fd);
	for (off = 0, type = -1; off < n; off += d->reclen) {
		d = (struct fs_dirent64 *)(dbuf + off);
		if (d->reclen == 0)
			break;
		if (strcmp(d->name, "l") == 0)
			type = d->type;
	}
	CHECK(type == 10);
	/* unlink removes the link, not the target. */
	CHK_OK(unlink("nf-l"));
	EXPECT_ERR(lstat("nf-l", &st), ENOENT);
	CHK_OK(stat("nf-t", &st));
	CHECK(st.st_size == 4);
	/* rename moves the link itself. */
	CHK_OK(symlink("nf-t", "nf-l2"));
	CHK_OK(rename("nf-l2", "nf-l3"));
	CHK_OK(lstat("nf-l3", &st));
	CHECK(S_ISLNK(st.st_mode));
	CHK_OK(stat("nf-t", &st));
	CHECK(S_ISREG(st.st_mode));
	return (FS_OK);
}

static int
c_symlink_relative(void)
{
	struct stat st;
	char buf[64];
	ssize_t n;

	/* rel-d/l -> ../rel-t names rel-t beside rel-d, not in the cwd's. */
	CHK_OK(mkdir("rel-d", 0755));
	CHK_OK(mkdir("rel-d/sub", 0755));
	CHECK(fs_mkfile("rel-t", "top") == 0);
	CHECK(fs_mkfile("rel-d/sub/t", "inner") == 0);
	CHK_OK(symlink("../rel-t", "rel-d/l"));
	CHK_OK(stat("rel-d/l", &st));
	CHECK(st.st_size == 3);
	CHK_OK(symlink("sub/t", "rel-d/l2"));
	CHK_OK(stat("rel-d/l2", &st));
	CHECK(st.st_size == 5);
	CHK_OK(n = readlink("rel-d/l2", buf, sizeof(buf)));
	CHECK(n == 5 && memcmp(buf, "sub/t", 5) == 0);
	/* Into the read-only root (resolution restarts at the top). */
	CHK_OK(symlink(fs_rodir, "rel-ro"));
	CHK_OK(stat("rel-ro", &st));
	CHECK(S_ISDIR(st.st_mode));
	return (FS_OK);
}

static int
c_symlink_dangling(void)
{
	struct stat st;
	char buf[8];
	int fd;

	CHK_OK(symlink("dg-t", "dg-l"));
	EXPECT_ERR(stat("dg-l", &st), ENOENT);
	EXPECT_ERR(open("dg-l", O_RDONLY), ENOENT);
	CHK_OK(lstat("dg-l", &st));
	CHECK(S_ISLNK(st.st_mode));
	/* O_CREAT through a dangling link creates the target. */
	CHK_OK(fd = open("dg-l", O_WRONLY | O_CREAT, 0644));
	CHECK(write(fd, "z", 1) == 1);
	close(fd);
	CHK_OK(stat("dg-t", &st));
	CHECK(S_ISREG(st.st_mode) && st.st_size == 1);
	CHK_OK(fd = open("dg-l", O_RDONLY));
	CHECK(read(fd, buf, sizeof(buf)) == 1 && buf[0] == 'z');
	close(fd);
	/* But not with O_EXCL: the link itself exists. */
	CHK_OK(symlink("dg-t2", "dg-l2"));
	EXPECT_ERR(open("dg-l2", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	EXPECT_ERR(lstat("dg-t2", &st), ENOENT);
	return (FS_OK);
}

static int
c_access(void)
{
	CHECK(fs_mkfile("ac", "x") == 0);
	CHK_OK(access("ac", F_OK));
	CHK_OK(access("ac", R_OK | W_OK));
	CHK_OK(faccessat(AT_FDCWD, "ac", R_OK, 0));
	CHK_OK(access(".", X_OK));
	return (FS_OK);
}

static int
c_access_errors(void)
{
	CHECK(fs_mkfile("ace", "x") == 0);
	EXPECT_ERR(access("ace-missing", F_OK), ENOENT);
	EXPECT_ERR(access("ace/x", F_OK), ENOTDIR);
	EXPECT_ERR(access("ace", 0100), EINVAL);
	EXPECT_ERR(faccessat(999, "rel", F_OK, 0), EBADF);
	EXPECT_ERR(syscall(SYS_faccessat, AT_FDCWD, FS_BADPTR, F_OK), EFAULT);
	/* No execute bit: X_OK fails even for root. */
	CHK_OK(chmod("ace", 0644));
	EXPECT_ERR(access("ace", X_OK), EACCES);
	return (FS_OK);
}

static int
access_eacces(void)
{
	CHECK(fs_mkfile("acp", "x") == 0);
	CHK_OK(chmod("acp", 0));
	EXPECT_ERR(access("acp", R_OK), EACCES);
	EXPECT_ERR(access("acp", W_OK), EACCES);
	return (FS_OK);
}

/* As root: in a child that dropped to an ordinary user (fs_as_user). */
static int
c_access_eacces(void)
{
	return (fs_is_root() ? fs_as_user(NULL, access_eacces) :
	    access_eacces());
}

static int
c_access_rofs(void)
{
	if (!fs_ro)
		return (fs_skip("%s", fs_ro_reason));
	CHK_OK(access(fs_rodir, R_OK));
	EXPECT_ERR(access(fs_rodir, W_OK), EROFS);
	if (fs_ro_file[0] != '\0') {
		CHK_OK(access(fs_ro_file, R_OK));
		EXPECT_ERR(access(fs_ro_file, W_OK), EROFS);
	}
	return (FS_OK);
}

static int
c_getcwd_chdir(void)
{
	char buf[PATH_MAX], want[PATH_MAX];

	CHK_OK(mkdir("cw", 0755));
	CHK_OK(chdir("cw"));
	CHECK(getcwd(buf, sizeof(buf)) != NULL);
	snprintf(want, sizeof(want), "%s/cw", fs_workdir);
	CHECK(strcmp(buf, want) == 0);
	CHK_OK(chdir(".."));
	CHECK(getcwd(buf, sizeof(buf)) != NULL);
	CHECK(strcmp(buf, fs_workdir) == 0);
	CHK_OK(chdir("/"));
	CHECK(getcwd(buf, sizeof(buf)) != NULL && strcmp(buf, "/") == 0);
	return (FS_OK);
}

static int
c_getcwd_errors(void)
{
	char buf[4];

	EXPECT_ERR(syscall(SYS_getcwd, buf, 2), ERANGE);
	EXPECT_ERR(syscall(SYS_getcwd, buf, 0), ERANGE);
	EXPECT_ERR(syscall(SYS_getcwd, FS_BADPTR, 4096), EFAULT);
	return (FS_OK);
}

/* Mode bits of name, or -1. */
static int
mode_of(const char *name)
{
	struct stat st;

	return (stat(name, &st) == 0 ? (int)(st.st_mode & 07777) : -1);
}

/*
 * umask(2) returns the old mask and clears its bits from the modes of
 * open(O_CREAT), openat and mkdir(at); only the low nine bits are kept;
 * an existing file's mode is left alone.
 */
static int
c_umask_basic(void)
{
	mode_t old;
	int fd, r;

	old = umask(077);
	CHECK(umask(077) == 077);
	CHK_OK(fd = open("um-f", O_RDWR | O_CREAT | O_EXCL, 0666));
	CHK_OK(close(fd));
	CHK_OK(fd = openat(AT_FDCWD, "um-g", O_WRONLY | O_CREAT, 0755));
	CHK_OK(close(fd));
	CHK_OK(mkdir("um-d", 0777));
	CHK_OK(mkdirat(AT_FDCWD, "um-e", 0751));
	(void)umask(022);
	CHK_OK(fd = open("um-h", O_WRONLY | O_CREAT, 0666));
	CHK_OK(close(fd));
	/* O_CREAT of an existing file: no mode change at all. */
	CHK_OK(fd = open("um-f", O_RDWR | O_CREAT, 0777));
	CHK_OK(close(fd));
	/* Bits above 0777 are dropped. */
	(void)umask(07022);
	r = (int)umask(0);
	(void)umask(old);
	CHECK(r == 022);
	if ((r = mode_of("um-f")) != 0600 || (r = mode_of("um-g")) != 0700 ||
	    (r = mode_of("um-d")) != 0700 || (r = mode_of("um-e")) != 0700 ||
	    (r = mode_of("um-h")) != 0644)
		return (fs_fail("mode %#o where the umask should have applied",
		    r));
	return (FS_OK);
}

/*
 * The mask is inherited over fork and kept over execve (the child
 * re-executes this program, which exits with its umask).
 */
static int
c_umask_fork_exec(void)
{
	static char self[PATH_MAX];
	mode_t old;
	pid_t pid;
	ssize_t n;
	int st;

	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0)
		return (fs_skip("readlink /proc/self/exe: %s",
		    fs_errname(errno)));
	self[n] = '\0';
	old = umask(027);
	pid = fork();
	if (pid == 0) {
		int fd;

		/* The forked child: mask 027 in force. */
		if (umask(027) != 027 ||
		    (fd = open("umx-c", O_WRONLY | O_CREAT, 0666)) < 0)
			_exit(99);
		close(fd);
		execl(self, self, "--exit-umask", (char *)NULL);
		_exit(98);
	}
	(void)umask(old);
	if (pid < 0)
		return (fs_skip("fork: %s", fs_errname(errno)));
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st));
	if (WEXITSTATUS(st) != 027)
		return (fs_fail("child exit status %d, want 027 (23); "
		    "99: fork lost it, 98: exec failed", WEXITSTATUS(st)));
	CHECK(mode_of("umx-c") == 0640);
	return (FS_OK);
}

/*
 * The session directories of the environment exist and are writable: cd
 * to $HOME, make, write, read back and remove a file there; the same in
 * $XDG_RUNTIME_DIR when set, which must be private (mode 0700).  On
 * RustOS initd sets both from runtime-env.tsv and vfsd makes them.
 */
static int
c_home_runtime_dir(void)
{
	const char *dirs[2];
	char name[64], buf[8];
	struct stat st;
	int i, fd;

	dirs[0] = getenv("HOME");
	dirs[1] = getenv("XDG_RUNTIME_DIR");
	if (dirs[0] == NULL || dirs[0][0] != '/')
		return (fs_skip("HOME is not set to an absolute path"));
	snprintf(name, sizeof(name), "fsuite-home.%ld", (long)getpid());
	for (i = 0; i < 2 && dirs[i] != NULL; i++) {
		if (stat(dirs[i], &st) != 0)
			return (fs_fail("stat %s: %s", dirs[i],
			    fs_errname(errno)));
		CHECK(S_ISDIR(st.st_mode));
		if (i == 1 && (st.st_mode & 077) != 0)
			return (fs_fail("%s has mode %#o, want 0700", dirs[i],
			    (unsigned)(st.st_mode & 07777)));
		CHK_OK(chdir(dirs[i]));
		fd = open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd < 0) {
			(void)chdir(fs_workdir);
			return (fs_fail("create in %s: %s", dirs[i],
			    fs_errname(errno)));
		}
		CHECK(write(fd, "home", 4) == 4);
		CHECK(pread(fd, buf, sizeof(buf), 0) == 4 &&
		    memcmp(buf, "home", 4) == 0);
		CHK_OK(close(fd));
		CHK_OK(unlink(name));
		CHK_OK(chdir(fs_workdir));
	}
	return (FS_OK);
}

/*
 * ENAMETOOLONG from every path call: a component over NAME_MAX (256
 * bytes) under the scratch directory, and a whole path of PATH_MAX bytes
 * or more (made of short components, so only its length is wrong).
 */
static int
c_path_nametoolong(void)
{
	static char comp[NAME_MAX + 2], whole[PATH_MAX + 16];
	const char *bad[2];
	struct stat st;
	size_t i;
	int k;

	memset(comp, 'q', NAME_MAX + 1);
	for (i = 0; i < sizeof(whole) - 1; i++)
		whole[i] = i % 8 == 7 ? '/' : 'w';
	bad[0] = comp;
	bad[1] = whole;
	CHECK(fs_mkfile("ntl", "x") == 0);
	for (k = 0; k < 2; k++) {
		EXPECT_ERR(stat(bad[k], &st), ENAMETOOLONG);
		EXPECT_ERR(lstat(bad[k], &st), ENAMETOOLONG);
		EXPECT_ERR(access(bad[k], F_OK), ENAMETOOLONG);
		EXPECT_ERR(open(bad[k], O_WRONLY | O_CREAT, 0644),
		    ENAMETOOLONG);
		EXPECT_ERR(mkdir(bad[k], 0755), ENAMETOOLONG);
		EXPECT_ERR(rmdir(bad[k]), ENAMETOOLONG);
		EXPECT_ERR(unlink(bad[k]), ENAMETOOLONG);
		EXPECT_ERR(rename("ntl", bad[k]), ENAMETOOLONG);
		EXPECT_ERR(rename(bad[k], "ntl2"), ENAMETOOLONG);
		EXPECT_ERR(chmod(bad[k], 0644), ENAMETOOLONG);
	}
	/* NAME_MAX itself is fine. */
	comp[NAME_MAX] = '\0';
	CHK_OK(mkdir(comp, 0755));
	CHK_OK(rmdir(comp));
	return (FS_OK);
}

static int
c_chdir_errors(void)
{
	static char longname[300];

	EXPECT_ERR(chdir("cd-missing"), ENOENT);
	CHECK(fs_mkfile("cde", "x") == 0);
	EXPECT_ERR(chdir("cde"), ENOTDIR);
	EXPECT_ERR(syscall(SYS_chdir, FS_BADPTR), EFAULT);
	memset(longname, 'c', sizeof(longname) - 1);
	EXPECT_ERR(chdir(longname), ENAMETOOLONG);
	return (FS_OK);
}

static int
c_fchdir(void)
{
	char buf[PATH_MAX], want[PATH_MAX];
	int fd;

	CHK_OK(mkdir("fcd", 0755));
	CHK_OK(fd = open("fcd", O_RDONLY | O_DIRECTORY));
	CHK_OK(chdir("/"));
	CHK_OK(fchdir(fd));
	snprintf(want, sizeof(want), "%s/fcd", fs_workdir);
	CHECK(getcwd(buf, sizeof(buf)) != NULL && strcmp(buf, want) == 0);
	return (FS_OK);
}

static int
c_fchdir_errors(void)
{
	int fd;

	EXPECT_ERR(fchdir(-1), EBADF);
	EXPECT_ERR(fchdir(999), EBADF);
	CHECK(fs_mkfile("fce", "x") == 0);
	CHK_OK(fd = open("fce", O_RDONLY));
	EXPECT_ERR(fchdir(fd), ENOTDIR);
	return (FS_OK);
}

static int
c_mkdir(void)
{
	struct stat st;

	CHK_OK(mkdir("md", 0755));
	CHK_OK(stat("md", &st));
	CHECK(S_ISDIR(st.st_mode));
	CHK_OK(mkdirat(AT_FDCWD, "md/sub", 0700));
	CHK_OK(stat("md/sub", &st));
	CHECK(S_ISDIR(st.st_mode));
	return (FS_OK);
}

static int
c_mkdir_errors(void)
{
	static char longname[300];

	CHK_OK(mkdir("mde", 0755));
	EXPECT_ERR(mkdir("mde", 0755), EEXIST);
	CHECK(fs_mkfile("mdf", "x") == 0);
	EXPECT_ERR(mkdir("mdf", 0755), EEXIST);
	EXPECT_ERR(mkdir("mde-missing/sub", 0755), ENOENT);
	EXPECT_ERR(mkdir("mdf/sub", 0755), ENOTDIR);
	EXPECT_ERR(mkdirat(999, "rel", 0755), EBADF);
	EXPECT_ERR(syscall(SYS_mkdir, FS_BADPTR, 0755), EFAULT);
	memset(longname, 'm', sizeof(longname) - 1);
	EXPECT_ERR(mkdir(longname, 0755), ENAMETOOLONG);
	return (FS_OK);
}

static int
c_mkdir_rofs(void)
{
	char p[PATH_MAX];

	if (!fs_ro)
		return (fs_skip("%s", fs_ro_reason));
	snprintf(p, sizeof(p), "%s/fsuite-new-dir", fs_rodir);
	EXPECT_ERR(mkdir(p, 0755), EROFS);
	return (FS_OK);
}

static int
c_unlink(void)
{
	CHECK(fs_mkfile("ul", "x") == 0);
	CHK_OK(unlinkat(AT_FDCWD, "ul", 0));
	EXPECT_ERR(access("ul", F_OK), ENOENT);
	CHK_OK(mkdir("ud", 0755));
	CHK_OK(unlinkat(AT_FDCWD, "ud", AT_REMOVEDIR));
	EXPECT_ERR(access("ud", F_OK), ENOENT);
	return (FS_OK);
}

static int
c_unlink_open_file(void)
{
	char buf[8];
	int fd;

	/* An unlinked file stays readable through an open fd. */
	CHECK(fs_mkfile("uo", "still") == 0);
	CHK_OK(fd = open("uo", O_RDONLY));
	CHK_OK(unlink("uo"));
	CHECK(read(fd, buf, sizeof(buf)) == 5 && memcmp(buf, "still", 5) == 0);
	return (FS_OK);
}

static int
c_unlink_errors(void)
{
	EXPECT_ERR(unlink("ue-missing"), ENOENT);
	CHK_OK(mkdir("ue", 0755));
	EXPECT_ERR(unlinkat(AT_FDCWD, "ue", 0), EISDIR);
	CHECK(fs_mkfile("ue/f", "x") == 0);
	EXPECT_ERR(unlinkat(AT_FDCWD, "ue", AT_REMOVEDIR), ENOTEMPTY);
	EXPECT_ERR(unlinkat(AT_FDCWD, "ue/f", AT_REMOVEDIR), ENOTDIR);
	EXPECT_ERR(unlinkat(AT_FDCWD, "ue/f/x", 0), ENOTDIR);
	EXPECT_ERR(unlinkat(AT_FDCWD, "ue/f", 0x1), EINVAL);
	EXPECT_ERR(unlinkat(999, "rel", 0), EBADF);
	EXPECT_ERR(syscall(SYS_unlinkat, AT_FDCWD, FS_BADPTR, 0), EFAULT);
	EXPECT_ERR(rmdir("."), EINVAL);
	return (FS_OK);
}

static int
c_unlink_rofs(void)
{
	if (!fs_ro)
		return (fs_skip("%s", fs_ro_reason));
	if (fs_ro_file[0] == '\0')
		return (fs_skip("no regular file under %s", fs_rodir));
	EXPECT_ERR(unlink(fs_ro_file), EROFS);
	if (fs_ro_subdir[0] != '\0')
		EXPECT_ERR(rmdir(fs_ro_subdir), EROFS);
	return (FS_OK);
}

static int
c_rename(void)
{
	char buf[8];
	int fd;

	CHECK(fs_mkfile("rn-a", "aaa") == 0);
	CHK_OK(renameat(AT_FDCWD, "rn-a", AT_FDCWD, "rn-b"));
	EXPECT_ERR(access("rn-a", F_OK), ENOENT);
	CHK_OK(fd = open("rn-b", O_RDONLY));
	CHECK(read(fd, buf, sizeof(buf)) == 3 && memcmp(buf, "aaa", 3) == 0);
	/* Over an existing file: replaced atomically. */
	CHECK(fs_mkfile("rn-c", "c") == 0);
	CHK_OK(rename("rn-c", "rn-b"));
	CHK_OK(close(fd));
	CHK_OK(fd = open("rn-b", O_RDONLY));
	CHECK(read(fd, buf, sizeof(buf)) == 1 && buf[0] == 'c');
	/* Directories, and into another directory. */
	CHK_OK(mkdir("rn-d", 0755));
	CHK_OK(mkdir("rn-e", 0755));
	CHK_OK(rename("rn-d", "rn-e/moved"));
	CHK_OK(rename("rn-b", "rn-e/moved/file"));
	CHK_OK(access("rn-e/moved/file", F_OK));
	return (FS_OK);
}

static int
c_rename_errors(void)
{
	CHECK(fs_mkfile("re-f", "x") == 0);
	CHK_OK(mkdir("re-d", 0755));
	CHK_OK(mkdir("re-full", 0755));
	CHECK(fs_mkfile("re-full/x", "x") == 0);
	EXPECT_ERR(rename("re-missing", "re-new"), ENOENT);
	EXPECT_ERR(rename("re-f", "re-missing-dir/x"), ENOENT);
	EXPECT_ERR(rename("re-f", "re-d"), EISDIR);
	EXPECT_ERR(rename("re-d", "re-f"), ENOTDIR);
	EXPECT_ERR(rename("re-d", "re-d/sub"), EINVAL);
	EXPECT_ERR(rename("re-d", "re-full"), ENOTEMPTY);
	EXPECT_ERR(renameat(999, "rel", AT_FDCWD, "x"), EBADF);
	EXPECT_ERR(syscall(SYS_renameat, AT_FDCWD, FS_BADPTR, AT_FDCWD, "x"),
	    EFAULT);
	return (FS_OK);
}

static int
c_rename_rofs(void)
{
	char p[PATH_MAX];

	if (!fs_ro)
		return (fs_skip("%s", fs_ro_reason));
	if (fs_ro_file[0] == '\0')
		return (fs_skip("no regular file under %s", fs_rodir));
	snprintf(p, sizeof(p), "%s/fsuite-renamed", fs_rodir);
	EXPECT_ERR(rename(fs_ro_file, p), EROFS);
	return (FS_OK);
}

static int
mount_skip(int e)
{
	return (fs_skip("mount not permitted here (%s)", fs_errname(e)));
}

static int
c_mount_tmpfs(void)
{
	struct stat st;

	CHK_OK(mkdir("mnt", 0755));
	if (mount("none", "mnt", "tmpfs", 0, "size=64k") < 0) {
		if (errno == EPERM || errno == EACCES)
			return (mount_skip(errno));
		return (fs_fail("mount tmpfs: %s", fs_errname(errno)));
	}
	if (fs_mkfile("mnt/inside", "x") != 0) {
		umount2("mnt", MNT_DETACH);
		return (fs_fail("file in the new tmpfs"));
	}
	CHK_OK(umount2("mnt", 0));
	EXPECT_ERR(stat("mnt/inside", &st), ENOENT);
	return (FS_OK);
}

/*
 * A read-only tmpfs (MS_RDONLY): the root lists and stats, every change
 * below fails with EROFS; umount works.
 */
static int
c_mount_rdonly(void)
{
	struct stat st;
	int fd, r;

	CHK_OK(mkdir("mro", 0755));
	if (mount("none", "mro", "tmpfs", MS_RDONLY, NULL) < 0) {
		if (errno == EPERM || errno == EACCES)
			return (mount_skip(errno));
		return (fs_fail("mount tmpfs read-only: %s",
		    fs_errname(errno)));
	}
	r = FS_FAIL;
	errno = 0;
	if (open("mro/f", O_WRONLY | O_CREAT, 0644) != -1 || errno != EROFS)
		r = fs_fail("create: %s, want EROFS", fs_errname(errno));
	else if (mkdir("mro/d", 0755) != -1 || errno != EROFS)
		r = fs_fail("mkdir: %s, want EROFS", fs_errname(errno));
	else if (chmod("mro", 0700) != -1 || errno != EROFS)
		r = fs_fail("chmod: %s, want EROFS", fs_errname(errno));
	else if (stat("mro", &st) != 0 || !S_ISDIR(st.st_mode))
		r = fs_fail("stat of the root: %s", fs_errname(errno));
	else if ((fd = open("mro", O_RDONLY | O_DIRECTORY)) < 0)
		r = fs_fail("open the root: %s", fs_errname(errno));
	else {
		close(fd);
		r = FS_OK;
	}
	if (umount2("mro", 0) != 0 && r == FS_OK)
		r = fs_fail("umount2: %s", fs_errname(errno));
	return (r);
}

/*
 * umount2(MNT_EXPIRE): EBUSY while a file below is open; then the first
 * call marks (EAGAIN), the second unmounts; with MNT_DETACH EINVAL.
 */
static int
c_mount_expire(void)
{
	struct stat st;
	int fd;

	CHK_OK(mkdir("mex", 0755));
	if (mount("none", "mex", "tmpfs", 0, NULL) < 0) {
		if (errno == EPERM || errno == EACCES)
			return (mount_skip(errno));
		return (fs_fail("mount tmpfs: %s", fs_errname(errno)));
	}
	if ((fd = open("mex/f", O_RDWR | O_CREAT, 0644)) < 0) {
		(void)umount2("mex", MNT_DETACH);
		return (fs_fail("create in the tmpfs: %s", fs_errname(errno)));
	}
	errno = 0;
	if (umount2("mex", MNT_EXPIRE) != -1 || errno != EBUSY) {
		close(fd);
		(void)umount2("mex", MNT_DETACH);
		return (fs_fail("expire with an open file: %s, want EBUSY",
		    fs_errname(errno)));
	}
	close(fd);
	EXPECT_ERR(umount2("mex", MNT_EXPIRE | MNT_DETACH), EINVAL);
	EXPECT_ERR(umount2("mex", MNT_EXPIRE), EAGAIN);
	CHK_OK(umount2("mex", MNT_EXPIRE));
	EXPECT_ERR(stat("mex/f", &st), ENOENT);
	return (FS_OK);
}

static int
c_mount_errors(void)
{
	CHK_OK(mkdir("mne", 0755));
	EXPECT_ERR(umount2("mne", 0x80000000), EINVAL);
	/* Linux looks the target up before it checks the privilege. */
	EXPECT_ERR(mount("none", "mne-missing", "tmpfs", 0, NULL), ENOENT);
	errno = 0;
	if (mount("none", "mne", "fsuite-no-such-fs", 0, NULL) < 0 &&
	    (errno == EPERM || errno == EACCES))
		return (mount_skip(errno));
	EXPECT_ERR(mount("none", "mne", "fsuite-no-such-fs", 0, NULL),
	    ENODEV);
	/* Not a mount point. */
	EXPECT_ERR(umount2("mne", 0), EINVAL);
	EXPECT_ERR(umount2("mne-missing", 0), ENOENT);
	EXPECT_ERR(syscall(SYS_umount2, FS_BADPTR, 0), EFAULT);
	return (FS_OK);
}

const struct fs_case fs_cases_dir[] = {
	{ "fstat.basic", c_fstat },
	{ "fstat.errors", c_fstat_errors },
	{ "fstatat.basic", c_fstatat },
	{ "fstatat.errors", c_fstatat_errors },
	{ "statx.basic", c_statx },
	{ "statx.errors", c_statx_errors },
	{ "statx.empty-path", c_statx_empty_path },
	{ "fchownat.empty-path", c_fchownat_empty_path },
	{ "getdents64.list", c_getdents },
	{ "getdents64.errors", c_getdents_errors },
	{ "path.nametoolong", c_path_nametoolong },
	{ "umask.basic", c_umask_basic },
	{ "umask.fork-exec", c_umask_fork_exec },
	{ "home.runtime-dir", c_home_runtime_dir },
	{ "getdents64.ro-dir", c_getdents_ro },
	{ "readlinkat.basic", c_readlinkat },
	{ "readlinkat.errors", c_readlinkat_errors },
	{ "symlink.basic", c_symlink },
	{ "symlink.errors", c_symlink_errors },
	{ "symlink.loop", c_symlink_loop },
	{ "symlink.nofollow", c_symlink_nofollow },
	{ "symlink.relative", c_symlink_relative },
	{ "symlink.dangling", c_symlink_dangling },
	{ "access.basic", c_access },
	{ "access.errors", c_access_errors },
	{ "access.eacces", c_access_eacces },
	{ "access.erofs", c_access_rofs },
	{ "getcwd.chdir", c_getcwd_chdir },
	{ "getcwd.errors", c_getcwd_errors },
	{ "chdir.errors", c_chdir_errors },
	{ "fchdir.basic", c_fchdir },
	{ "fchdir.errors", c_fchdir_errors },
	{ "mkdir.basic", c_mkdir },
	{ "mkdir.errors", c_mkdir_errors },
	{ "mkdir.erofs", c_mkdir_rofs },
	{ "unlinkat.basic", c_unlink },
	{ "unlinkat.open-file", c_unlink_open_file },
	{ "unlinkat.errors", c_unlink_errors },
	{ "unlinkat.erofs", c_unlink_rofs },
	{ "renameat.basic", c_rename },
	{ "renameat.errors", c_rename_errors },
	{ "renameat.erofs", c_rename_rofs },
	{ "mount.tmpfs", c_mount_tmpfs },
	{ "mount.errors", c_mount_errors },
	{ "mount.rdonly", c_mount_rdonly },
	{ "mount.expire", c_mount_expire },
	{ NULL, NULL },
};
