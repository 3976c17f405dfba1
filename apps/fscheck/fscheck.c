/*
 * fscheck.c -- reads every regular file of the namespace through vfsd
 * (getdents64 walk from "/", open/read/close) and prints
 *   FSCHECK <path> <size> <crc32 hex>
 * per file, then "FSCHECK case ok|FAIL <name>" lines for error cases of
 * the read-only FAT root and "FSCHECK done files=N errors=M".  The CRC is
 * CRC-32/IEEE (zlib's), so the host harness can compare with the staged
 * image.  Walk depth and path length are bounded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define MAX_DEPTH	16
#define PATH_CAP	512

static unsigned nfiles, nerrors;
static uint32_t crc_table[256];
static unsigned char iobuf[32768];

static void
say(const char *fmt, ...)
{
	char line[PATH_CAP + 128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	(void)write(1, line, (size_t)n);
}

static void
crc_init(void)
{
	uint32_t c;
	unsigned i, k;

	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t
crc_update(uint32_t crc, const unsigned char *p, size_t n)
{
	while (n-- > 0)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

static void
check_file(const char *path)
{
	uint32_t crc = 0xffffffffu;
	uint64_t size = 0;
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0) {
		say("FSCHECK error %s open errno=%d\n", path, errno);
		nerrors++;
		return;
	}
	while ((r = read(fd, iobuf, sizeof(iobuf))) > 0) {
		crc = crc_update(crc, iobuf, (size_t)r);
		size += (uint64_t)r;
	}
	if (r < 0) {
		say("FSCHECK error %s read errno=%d\n", path, errno);
		nerrors++;
	} else {
		say("FSCHECK %s %llu %08x\n", path, (unsigned long long)size,
		    crc ^ 0xffffffffu);
		nfiles++;
	}
	close(fd);
}

static void
walk(const char *dir, int depth)
{
	char buf[4096], path[PATH_CAP];
	long n, off;
	int fd;

	if (depth > MAX_DEPTH)
		return;
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) < 0) {
		say("FSCHECK error %s opendir errno=%d\n", dir, errno);
		nerrors++;
		return;
	}
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; ) {
			unsigned short reclen;
			unsigned char type;
			const char *name;

			memcpy(&reclen, buf + off + 16, 2);
			if (reclen < 20 || off + reclen > n)
				break;
			type = (unsigned char)buf[off + 18];
			name = buf + off + 19;
			off += reclen;
			if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
				continue;
			if (snprintf(path, sizeof(path), "%s/%s",
			    strcmp(dir, "/") == 0 ? "" : dir, name) >=
			    (int)sizeof(path))
				continue;
			/* Memory mounts and /dev are no part of the volume. */
			if (depth == 0 && (strcmp(name, "tmp") == 0 ||
			    strcmp(name, "run") == 0 ||
			    strcmp(name, "dev") == 0) && type == 4)
				continue;
			if (type == 4)
				walk(path, depth + 1);
			else
				check_file(path);
		}
	}
	if (n < 0) {
		say("FSCHECK error %s getdents64 errno=%d\n", dir, errno);
		nerrors++;
	}
	close(fd);
}

static void
expect(const char *name, long r, int want)
{
	int got = r < 0 ? errno : 0;

	if (r < 0 && got == want)
		say("FSCHECK case ok %s\n", name);
	else {
		say("FSCHECK case FAIL %s: r=%ld errno=%d want %d\n", name, r,
		    got, want);
		nerrors++;
	}
}

static void
expect_true(const char *name, int ok)
{
	if (ok)
		say("FSCHECK case ok %s\n", name);
	else {
		say("FSCHECK case FAIL %s: errno=%d\n", name, errno);
		nerrors++;
	}
}

/*
 * "/" lists the mount points tmp, run (vfsd's memfs) and dev (the
 * kernel's devfs) once each, also when read in pieces too small for more
 * than a record or two.
 */
static void
root_mount_case(void)
{
	char buf[64];
	int fd, tmp = 0, run = 0, home = 0, dev = 0, dot = 0;
	long n, off;

	errno = 0;
	if ((fd = open("/", O_RDONLY | O_DIRECTORY)) < 0) {
		expect_true("root-lists-mounts", 0);
		return;
	}
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0)
		for (off = 0; off < n; ) {
			unsigned short reclen;
			const char *name = buf + off + 19;

			memcpy(&reclen, buf + off + 16, 2);
			if (reclen < 20 || off + reclen > n)
				break;
			tmp += strcmp(name, "tmp") == 0 && buf[off + 18] == 4;
			run += strcmp(name, "run") == 0 && buf[off + 18] == 4;
			home += strcmp(name, "home") == 0 &&
			    buf[off + 18] == 4;
			dev += strcmp(name, "dev") == 0 && buf[off + 18] == 4;
			dot += strcmp(name, ".") == 0;
			off += reclen;
		}
	expect_true("root-lists-mounts", n == 0 && tmp == 1 && run == 1 &&
	    home == 1 && dev == 1 && dot == 1);
	close(fd);
}

/* Path metadata calls and the per-process cwd (vfsd). */
static void
path_cases(void)
{
	struct stat st, fst;
	char cwd[64], lb[16];
	int fd;

	errno = 0;
	fd = open("/etc/os-release", O_RDONLY);
	expect_true("stat-matches-fstat", fd >= 0 &&
	    fstat(fd, &fst) == 0 && stat("/etc/os-release", &st) == 0 &&
	    S_ISREG(st.st_mode) && st.st_size == fst.st_size &&
	    st.st_size > 0 && st.st_ino == fst.st_ino);
	if (fd >= 0)
		close(fd);
	expect_true("stat-dir", stat("/etc", &st) == 0 && S_ISDIR(st.st_mode));
	expect("stat-enoent", stat("/no-such-file", &st), ENOENT);
	expect("stat-trailing-slash-enotdir", stat("/etc/os-release/", &st),
	    ENOTDIR);
	expect_true("access-r-ok", access("/etc/os-release", R_OK) == 0);
	expect("access-w-erofs", access("/etc/os-release", W_OK), EROFS);
	expect("access-enoent", access("/no-such-file", F_OK), ENOENT);
	expect("readlink-einval", readlink("/etc/os-release", lb, sizeof(lb)),
	    EINVAL);
	expect("chdir-enoent", chdir("/no-such-dir"), ENOENT);
	expect("chdir-enotdir", chdir("/etc/os-release"), ENOTDIR);
	expect_true("chdir-getcwd", chdir("/etc") == 0 &&
	    getcwd(cwd, sizeof(cwd)) != NULL && strcmp(cwd, "/etc") == 0);
	expect("getcwd-erange", getcwd(cwd, 2) == NULL ? -1 : 0, ERANGE);
	fd = open("os-release", O_RDONLY);
	expect_true("open-relative-to-cwd", fd >= 0 && fstat(fd, &st) == 0 &&
	    st.st_size == fst.st_size);
	if (fd >= 0)
		close(fd);
	expect_true("stat-dotdot-relative", stat("../apps", &st) == 0 &&
	    S_ISDIR(st.st_mode));
	expect_true("chdir-back-to-root", chdir("..") == 0 &&
	    getcwd(cwd, sizeof(cwd)) != NULL && strcmp(cwd, "/") == 0);
}

static void
cases(void)
{
	char longp[300], b[16];
	int fd;

	expect("open-enoent", open("/no-such-file", O_RDONLY), ENOENT);
	expect("open-wronly-erofs", open("/etc/os-release", O_WRONLY), EROFS);
	expect("open-creat-erofs", open("/etc/new-file",
	    O_RDONLY | O_CREAT, 0644), EROFS);
	expect("open-notdir", open("/etc/os-release/x", O_RDONLY), ENOTDIR);
	expect("open-file-o-directory", open("/etc/os-release",
	    O_RDONLY | O_DIRECTORY), ENOTDIR);
	memset(longp, 'a', sizeof(longp));
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	expect("open-nametoolong", open(longp, O_RDONLY), ENAMETOOLONG);
	expect("read-ebadf", read(999, b, sizeof(b)), EBADF);
	fd = open("/etc", O_RDONLY | O_DIRECTORY);
	expect("read-dir-eisdir", fd < 0 ? fd : read(fd, b, sizeof(b)),
	    fd < 0 ? -1 : EISDIR);
	if (fd >= 0)
		close(fd);
	fd = open("/etc/os-release", O_RDONLY);
	expect("getdents-file-enotdir", fd < 0 ? fd :
	    syscall(SYS_getdents64, fd, iobuf, sizeof(iobuf)),
	    fd < 0 ? -1 : ENOTDIR);
	if (fd >= 0)
		close(fd);
}

/* The writable memory file system at /tmp (vfsd memfs). */
static void
tmp_cases(void)
{
	static char big[65536];
	struct stat st;
	char b[64];
	long total;
	int fd, fd2, found;
	long n, off;

	fd = open("/tmp/fscheck-a", O_RDWR | O_CREAT | O_TRUNC, 0644);
	expect_true("tmp-create", fd >= 0);
	expect_true("tmp-write", fd >= 0 && write(fd, "hello, tmp", 10) == 10);
	expect_true("tmp-lseek-read", fd >= 0 && lseek(fd, 0, SEEK_SET) == 0 &&
	    read(fd, b, sizeof(b)) == 10 && memcmp(b, "hello, tmp", 10) == 0);
	expect_true("tmp-pwrite-pread", fd >= 0 &&
	    pwrite(fd, "HE", 2, 0) == 2 && pread(fd, b, 5, 0) == 5 &&
	    memcmp(b, "HEllo", 5) == 0);
	expect_true("tmp-fstat-size", fd >= 0 && fstat(fd, &st) == 0 &&
	    S_ISREG(st.st_mode) && st.st_size == 10);
	expect_true("tmp-ftruncate", fd >= 0 && ftruncate(fd, 4) == 0 &&
	    fstat(fd, &st) == 0 && st.st_size == 4);
	if (fd >= 0)
		close(fd);
	expect("tmp-open-excl-eexist", open("/tmp/fscheck-a",
	    O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
	fd = open("/tmp/fscheck-a", O_RDONLY);
	expect("tmp-write-rdonly-ebadf", fd < 0 ? fd : write(fd, "x", 1),
	    fd < 0 ? -1 : EBADF);
	if (fd >= 0)
		close(fd);
	fd = open("/tmp/fscheck-a", O_WRONLY | O_APPEND);
	expect_true("tmp-append", fd >= 0 && write(fd, "++", 2) == 2 &&
	    stat("/tmp/fscheck-a", &st) == 0 && st.st_size == 6);
	if (fd >= 0)
		close(fd);
	expect_true("tmp-mkdir", mkdir("/tmp/fscheck-d", 0755) == 0);
	expect("tmp-mkdir-eexist", mkdir("/tmp/fscheck-d", 0755), EEXIST);
	expect_true("tmp-rename", rename("/tmp/fscheck-a",
	    "/tmp/fscheck-d/b") == 0 && stat("/tmp/fscheck-d/b", &st) == 0 &&
	    st.st_size == 6);
	expect("tmp-renamed-away-enoent", stat("/tmp/fscheck-a", &st), ENOENT);
	expect("tmp-rmdir-enotempty", rmdir("/tmp/fscheck-d"), ENOTEMPTY);
	found = 0;
	fd2 = open("/tmp/fscheck-d", O_RDONLY | O_DIRECTORY);
	while (fd2 >= 0 && (n = syscall(SYS_getdents64, fd2, b,
	    sizeof(b))) > 0)
		for (off = 0; off < n; ) {
			unsigned short rl;

			memcpy(&rl, b + off + 16, 2);
			if (rl < 20 || off + rl > n)
				break;
			if (strcmp(b + off + 19, "b") == 0)
				found++;
			off += rl;
		}
	if (fd2 >= 0)
		close(fd2);
	expect_true("tmp-getdents-lists-file", found == 1);
	expect("tmp-unlink-dir-eisdir", unlink("/tmp/fscheck-d"), EISDIR);
	expect_true("tmp-unlink", unlink("/tmp/fscheck-d/b") == 0);
	expect_true("tmp-rmdir", rmdir("/tmp/fscheck-d") == 0);
	expect("tmp-rename-exdev", rename("/tmp", "/etc/x"), EXDEV);
	expect("fat-mkdir-erofs", mkdir("/etc/newdir", 0755), EROFS);
	expect("fat-mkdir-existing-eexist", mkdir("/etc", 0755), EEXIST);
	expect("fat-unlink-erofs", unlink("/etc/os-release"), EROFS);
	expect("fat-unlink-enoent", unlink("/etc/no-such"), ENOENT);
	expect("fat-rename-erofs", rename("/etc/os-release", "/etc/x"), EROFS);
	/* Filling memory ends in ENOSPC, and unlinking gives it back. */
	fd = open("/tmp/fscheck-big", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	total = 0;
	while (fd >= 0 && total < 64L * 1024 * 1024 &&
	    (n = write(fd, big, sizeof(big))) > 0)
		total += n;
	expect_true("tmp-fill-enospc", fd >= 0 && total < 64L * 1024 * 1024 &&
	    write(fd, big, sizeof(big)) < 0 && errno == ENOSPC);
	if (fd >= 0)
		close(fd);
	expect_true("tmp-unlink-frees", unlink("/tmp/fscheck-big") == 0 &&
	    (fd = open("/tmp/fscheck-c", O_WRONLY | O_CREAT, 0644)) >= 0 &&
	    write(fd, big, sizeof(big)) == (long)sizeof(big) &&
	    close(fd) == 0 && unlink("/tmp/fscheck-c") == 0);
}

int
main(void)
{
	crc_init();
	walk("/", 0);
	root_mount_case();
	cases();
	path_cases();
	tmp_cases();
	say("FSCHECK done files=%u errors=%u\n", nfiles, nerrors);
	return nerrors == 0 ? 0 : 1;
}
