/*
 * cases_file.c -- fsuite cases on open files: openat/close, read/write,
 * readv/writev, pread64/pwrite64, lseek, fcntl, dup/dup2/dup3, each with
 * its error cases.  EFAULT cases use syscall() so the bad pointer reaches
 * the kernel as is.
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsuite.h"

static int
c_open_creat(void)
{
	int fd;

	CHK_OK(fd = open("oc", O_RDWR | O_CREAT | O_EXCL, 0644));
	CHECK(fd >= 3);
	CHK_OK(close(fd));
	CHK_OK(access("oc", F_OK));
	return (FS_OK);
}

static int
c_open_enoent(void)
{
	EXPECT_ERR(open("oe-missing", O_RDONLY), ENOENT);
	EXPECT_ERR(open("oe-missing/x", O_RDONLY), ENOENT);
	EXPECT_ERR(open("", O_RDONLY), ENOENT);
	return (FS_OK);
}

static int
c_open_excl_eexist(void)
{
	CHECK(fs_mkfile("ox", "x") == 0);
	EXPECT_ERR(open("ox", O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
	EXPECT_ERR(open(".", O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
	return (FS_OK);
}

static int
c_open_enotdir(void)
{
	CHECK(fs_mkfile("ond", "x") == 0);
	EXPECT_ERR(open("ond/x", O_RDONLY), ENOTDIR);
	EXPECT_ERR(open("ond", O_RDONLY | O_DIRECTORY), ENOTDIR);
	return (FS_OK);
}

static int
c_open_eisdir(void)
{
	CHK_OK(mkdir("oid", 0755));
	EXPECT_ERR(open("oid", O_WRONLY), EISDIR);
	EXPECT_ERR(open("oid", O_RDWR), EISDIR);
	return (FS_OK);
}

static int
c_open_efault(void)
{
	EXPECT_ERR(syscall(SYS_openat, AT_FDCWD, FS_BADPTR, O_RDONLY, 0),
	    EFAULT);
	return (FS_OK);
}

static int
c_open_enametoolong(void)
{
	static char longname[PATH_MAX + 64];
	size_t i;

	memset(longname, 'n', 300);
	longname[300] = '\0';
	EXPECT_ERR(open(longname, O_RDONLY), ENAMETOOLONG);
	EXPECT_ERR(open(longname, O_RDWR | O_CREAT, 0644), ENAMETOOLONG);
	memset(longname, 'a', sizeof(longname) - 1);
	for (i = 100; i < sizeof(longname) - 1; i += 101)
		longname[i] = '/';
	longname[sizeof(longname) - 1] = '\0';
	EXPECT_ERR(open(longname, O_RDONLY), ENAMETOOLONG);
	return (FS_OK);
}

static int
c_openat_dirfd(void)
{
	char buf[8];
	int dfd, fd;

	CHK_OK(mkdir("oad", 0755));
	CHECK(fs_mkfile("oad/f", "abc") == 0);
	CHK_OK(dfd = open("oad", O_RDONLY | O_DIRECTORY));
	CHK_OK(fd = openat(dfd, "f", O_RDONLY));
	CHECK(read(fd, buf, sizeof(buf)) == 3 && memcmp(buf, "abc", 3) == 0);
	/* An absolute path ignores dirfd. */
	CHK_OK(close(fd));
	CHK_OK(fd = openat(-1, fs_workdir, O_RDONLY | O_DIRECTORY));
	return (FS_OK);
}

static int
c_openat_ebadf(void)
{
	EXPECT_ERR(openat(-1, "rel", O_RDONLY), EBADF);
	EXPECT_ERR(openat(999, "rel", O_RDONLY), EBADF);
	return (FS_OK);
}

static int
c_openat_enotdir(void)
{
	int fd;

	CHECK(fs_mkfile("oan", "x") == 0);
	CHK_OK(fd = open("oan", O_RDONLY));
	EXPECT_ERR(openat(fd, "x", O_RDONLY), ENOTDIR);
	return (FS_OK);
}

static int
c_open_trunc(void)
{
	struct stat st;
	int fd;

	CHECK(fs_mkfile("otr", "0123456789") == 0);
	CHK_OK(fd = open("otr", O_WRONLY | O_TRUNC));
	CHK_OK(fstat(fd, &st));
	CHECK(st.st_size == 0);
	return (FS_OK);
}

static int
c_open_append(void)
{
	char buf[16];
	int fd;

	CHECK(fs_mkfile("oap", "abc") == 0);
	CHK_OK(fd = open("oap", O_WRONLY | O_APPEND));
	CHK_OK(lseek(fd, 0, SEEK_SET));
	CHECK(write(fd, "de", 2) == 2);
	CHK_OK(close(fd));
	CHK_OK(fd = open("oap", O_RDONLY));
	CHECK(read(fd, buf, sizeof(buf)) == 5 && memcmp(buf, "abcde", 5) == 0);
	return (FS_OK);
}

static int
c_open_rofs(void)
{
	char p[PATH_MAX];

	if (!fs_ro)
		return (fs_skip("%s", fs_ro_reason));
	snprintf(p, sizeof(p), "%s/fsuite-new-file", fs_rodir);
	EXPECT_ERR(open(p, O_WRONLY | O_CREAT, 0644), EROFS);
	if (fs_ro_file[0] != '\0') {
		EXPECT_ERR(open(fs_ro_file, O_WRONLY), EROFS);
		EXPECT_ERR(open(fs_ro_file, O_RDWR | O_TRUNC), EROFS);
		/* Linux checks existence before the read-only volume. */
		EXPECT_ERR(open(fs_ro_file, O_WRONLY | O_CREAT | O_EXCL,
		    0644), EEXIST);
	}
	/* A missing directory on the way: ENOENT, not EROFS. */
	snprintf(p, sizeof(p), "%s/fsuite-no-dir/new-file", fs_rodir);
	EXPECT_ERR(open(p, O_WRONLY | O_CREAT, 0644), ENOENT);
	EXPECT_ERR(open(fs_rodir, O_WRONLY), EISDIR);
	return (FS_OK);
}

static int
c_open_ro_read(void)
{
	char a[4096], b[4096];
	ssize_t n, m;
	int fd;

	if (fs_ro_file[0] == '\0')
		return (fs_skip("no regular file under %s", fs_rodir));
	CHK_OK(fd = open(fs_ro_file, O_RDONLY));
	CHK_OK(n = read(fd, a, sizeof(a)));
	CHK_OK(m = pread(fd, b, sizeof(b), 0));
	CHECK(n == m && memcmp(a, b, (size_t)n) == 0);
	return (FS_OK);
}

static int
c_exec_eacces(void)
{
	char *argv[] = { "x", NULL }, *envp[] = { NULL };

	/*
	 * No execute bit at all: EACCES even for root.  The content is no
	 * program, so a missing check shows as ENOEXEC, never as a jump.
	 */
	CHECK(fs_mkfile("xea", "not a program\n") == 0);
	CHK_OK(chmod("xea", 0644));
	EXPECT_ERR(execve("xea", argv, envp), EACCES);
	CHK_OK(mkdir("xead", 0755));
	EXPECT_ERR(execve("xead", argv, envp), EACCES);
	return (FS_OK);
}

static int
open_eacces(void)
{
	CHECK(fs_mkfile("oac", "x") == 0);
	CHK_OK(chmod("oac", 0));
	EXPECT_ERR(open("oac", O_RDONLY), EACCES);
	EXPECT_ERR(open("oac", O_WRONLY), EACCES);
	return (FS_OK);
}

/* As root: in a child that dropped to an ordinary user (fs_as_user). */
static int
c_open_eacces(void)
{
	return (fs_is_root() ? fs_as_user(NULL, open_eacces) : open_eacces());
}

static int
c_close_ebadf(void)
{
	int fd;

	EXPECT_ERR(close(-1), EBADF);
	EXPECT_ERR(close(999), EBADF);
	CHK_OK(fd = open(".", O_RDONLY));
	CHK_OK(close(fd));
	EXPECT_ERR(close(fd), EBADF);
	return (FS_OK);
}

static int
c_rw_roundtrip(void)
{
	char buf[64];
	int fd;

	CHK_OK(fd = open("rw", O_RDWR | O_CREAT | O_TRUNC, 0644));
	CHECK(write(fd, "hello, file", 11) == 11);
	CHECK(lseek(fd, 0, SEEK_CUR) == 11);
	CHK_OK(lseek(fd, 0, SEEK_SET));
	CHECK(read(fd, buf, sizeof(buf)) == 11);
	CHECK(memcmp(buf, "hello, file", 11) == 0);
	CHECK(read(fd, buf, sizeof(buf)) == 0);
	CHECK(write(fd, buf, 0) == 0);
	return (FS_OK);
}

static int
c_rw_large(void)
{
	static char a[70000], b[70000];
	size_t i, got;
	ssize_t n;
	int fd;

	for (i = 0; i < sizeof(a); i++)
		a[i] = (char)(i * 7 + i / 251);
	CHK_OK(fd = open("rwl", O_RDWR | O_CREAT | O_TRUNC, 0644));
	for (got = 0; got < sizeof(a); got += (size_t)n)
		CHK_OK(n = write(fd, a + got, sizeof(a) - got));
	CHK_OK(lseek(fd, 0, SEEK_SET));
	for (got = 0; got < sizeof(b); got += (size_t)n) {
		CHK_OK(n = read(fd, b + got, sizeof(b) - got));
		CHECK(n > 0);
	}
	CHECK(memcmp(a, b, sizeof(a)) == 0);
	return (FS_OK);
}

static int
c_read_ebadf(void)
{
	char buf[4];
	int fd;

	EXPECT_ERR(read(-1, buf, 1), EBADF);
	EXPECT_ERR(read(999, buf, 1), EBADF);
	CHECK(fs_mkfile("rbw", "abc") == 0);
	CHK_OK(fd = open("rbw", O_WRONLY));
	EXPECT_ERR(read(fd, buf, 1), EBADF);
	return (FS_OK);
}

static int
c_write_ebadf(void)
{
	int fd;

	EXPECT_ERR(write(-1, "x", 1), EBADF);
	CHECK(fs_mkfile("wbr", "abc") == 0);
	CHK_OK(fd = open("wbr", O_RDONLY));
	EXPECT_ERR(write(fd, "x", 1), EBADF);
	return (FS_OK);
}

static int
c_rw_efault(void)
{
	int fd;

	CHECK(fs_mkfile("rwf", "abcdef") == 0);
	CHK_OK(fd = open("rwf", O_RDWR));
	EXPECT_ERR(syscall(SYS_read, fd, FS_BADPTR, 4), EFAULT);
	EXPECT_ERR(syscall(SYS_write, fd, FS_BADPTR, 4), EFAULT);
	return (FS_OK);
}

static int
c_read_eisdir(void)
{
	char buf[4];
	int fd;

	CHK_OK(mkdir("rid", 0755));
	CHK_OK(fd = open("rid", O_RDONLY | O_DIRECTORY));
	EXPECT_ERR(read(fd, buf, sizeof(buf)), EISDIR);
	return (FS_OK);
}

static int
c_readv_writev(void)
{
	struct iovec iov[3];
	char a[4], b[8], c[16];
	int fd;

	CHK_OK(fd = open("rv", O_RDWR | O_CREAT | O_TRUNC, 0644));
	iov[0].iov_base = "abc";
	iov[0].iov_len = 3;
	iov[1].iov_base = "";
	iov[1].iov_len = 0;
	iov[2].iov_base = "defgh";
	iov[2].iov_len = 5;
	CHECK(writev(fd, iov, 3) == 8);
	CHK_OK(lseek(fd, 0, SEEK_SET));
	iov[0].iov_base = a;
	iov[0].iov_len = 2;
	iov[1].iov_base = b;
	iov[1].iov_len = 3;
	iov[2].iov_base = c;
	iov[2].iov_len = sizeof(c);
	CHECK(readv(fd, iov, 3) == 8);
	CHECK(memcmp(a, "ab", 2) == 0 && memcmp(b, "cde", 3) == 0 &&
	    memcmp(c, "fgh", 3) == 0);
	return (FS_OK);
}

static int
c_readv_einval(void)
{
	static struct iovec iov[IOV_MAX + 1];
	char buf[4];
	size_t i;
	int fd;

	CHK_OK(fd = open("rve", O_RDWR | O_CREAT | O_TRUNC, 0644));
	for (i = 0; i < IOV_MAX + 1; i++) {
		iov[i].iov_base = buf;
		iov[i].iov_len = 1;
	}
	EXPECT_ERR(syscall(SYS_readv, fd, iov, -1), EINVAL);
	EXPECT_ERR(syscall(SYS_writev, fd, iov, IOV_MAX + 1), EINVAL);
	iov[0].iov_len = (size_t)-1;
	EXPECT_ERR(syscall(SYS_writev, fd, iov, 1), EINVAL);
	return (FS_OK);
}

static int
c_readv_efault(void)
{
	struct iovec iov;
	int fd;

	CHECK(fs_mkfile("rvf", "abcdef") == 0);
	CHK_OK(fd = open("rvf", O_RDWR));
	EXPECT_ERR(syscall(SYS_readv, fd, FS_BADPTR, 1), EFAULT);
	iov.iov_base = FS_BADPTR;
	iov.iov_len = 4;
	EXPECT_ERR(syscall(SYS_readv, fd, &iov, 1), EFAULT);
	EXPECT_ERR(syscall(SYS_writev, fd, &iov, 1), EFAULT);
	EXPECT_ERR(readv(-1, &iov, 1), EBADF);
	return (FS_OK);
}

static int
c_pread_pwrite(void)
{
	char buf[8];
	int fd;

	CHECK(fs_mkfile("pp", "0123456789") == 0);
	CHK_OK(fd = open("pp", O_RDWR));
	CHK_OK(lseek(fd, 2, SEEK_SET));
	CHECK(pwrite(fd, "AB", 2, 5) == 2);
	CHECK(pread(fd, buf, 4, 4) == 4 && memcmp(buf, "4AB7", 4) == 0);
	/* Neither moves the file offset. */
	CHECK(lseek(fd, 0, SEEK_CUR) == 2);
	CHECK(pread(fd, buf, 4, 100) == 0);
	return (FS_OK);
}

static int
c_pread_errors(void)
{
	char buf[4];
	int fd, p[2];

	CHECK(fs_mkfile("ppe", "abc") == 0);
	CHK_OK(fd = open("ppe", O_RDWR));
	EXPECT_ERR(pread(fd, buf, 1, -1), EINVAL);
	EXPECT_ERR(pwrite(fd, buf, 1, -1), EINVAL);
	EXPECT_ERR(pread(-1, buf, 1, 0), EBADF);
	EXPECT_ERR(pwrite(999, buf, 1, 0), EBADF);
	EXPECT_ERR(syscall(SYS_pread64, fd, FS_BADPTR, 2, 0), EFAULT);
	CHK_OK(pipe(p));
	EXPECT_ERR(pread(p[0], buf, 1, 0), ESPIPE);
	EXPECT_ERR(pwrite(p[1], buf, 1, 0), ESPIPE);
	return (FS_OK);
}

static int
c_lseek(void)
{
	int fd;

	CHECK(fs_mkfile("ls", "0123456789") == 0);
	CHK_OK(fd = open("ls", O_RDONLY));
	CHECK(lseek(fd, 3, SEEK_SET) == 3);
	CHECK(lseek(fd, 2, SEEK_CUR) == 5);
	CHECK(lseek(fd, -1, SEEK_END) == 9);
	CHECK(lseek(fd, 0, SEEK_END) == 10);
	CHECK(lseek(fd, 100, SEEK_SET) == 100);
	return (FS_OK);
}

static int
c_lseek_errors(void)
{
	int fd, p[2];

	CHECK(fs_mkfile("lse", "abc") == 0);
	CHK_OK(fd = open("lse", O_RDONLY));
	EXPECT_ERR(lseek(fd, 0, 99), EINVAL);
	EXPECT_ERR(lseek(fd, -1, SEEK_SET), EINVAL);
	EXPECT_ERR(lseek(fd, -10, SEEK_END), EINVAL);
	EXPECT_ERR(lseek(-1, 0, SEEK_SET), EBADF);
	CHK_OK(pipe(p));
	EXPECT_ERR(lseek(p[0], 0, SEEK_SET), ESPIPE);
	return (FS_OK);
}

static int
c_lseek_hole(void)
{
	char buf[8];
	struct stat st;
	int fd;

	CHK_OK(fd = open("lh", O_RDWR | O_CREAT | O_TRUNC, 0644));
	CHECK(lseek(fd, 4, SEEK_SET) == 4);
	CHECK(write(fd, "z", 1) == 1);
	CHK_OK(fstat(fd, &st));
	CHECK(st.st_size == 5);
	CHECK(pread(fd, buf, 8, 0) == 5);
	CHECK(memcmp(buf, "\0\0\0\0z", 5) == 0);
	return (FS_OK);
}

static int
c_fcntl_getfl(void)
{
	int fd, fl;

	CHECK(fs_mkfile("fg", "x") == 0);
	CHK_OK(fd = open("fg", O_WRONLY | O_APPEND));
	CHK_OK(fl = fcntl(fd, F_GETFL));
	CHECK((fl & O_ACCMODE) == O_WRONLY && (fl & O_APPEND));
	CHK_OK(fcntl(fd, F_SETFL, O_NONBLOCK));
	CHK_OK(fl = fcntl(fd, F_GETFL));
	/* F_SETFL changes the status flags but never the access mode. */
	CHECK((fl & O_NONBLOCK) && !(fl & O_APPEND) &&
	    (fl & O_ACCMODE) == O_WRONLY);
	return (FS_OK);
}

static int
c_fcntl_fd_flags(void)
{
	int fd, fl;

	CHK_OK(fd = open(".", O_RDONLY | O_CLOEXEC));
	CHK_OK(fl = fcntl(fd, F_GETFD));
	CHECK(fl & FD_CLOEXEC);
	CHK_OK(fcntl(fd, F_SETFD, 0));
	CHK_OK(fl = fcntl(fd, F_GETFD));
	CHECK(!(fl & FD_CLOEXEC));
	return (FS_OK);
}

static int
c_fcntl_dupfd(void)
{
	int fd, nfd;

	CHK_OK(fd = open(".", O_RDONLY));
	CHK_OK(nfd = fcntl(fd, F_DUPFD, 20));
	CHECK(nfd >= 20);
	CHECK(!(fcntl(nfd, F_GETFD) & FD_CLOEXEC));
	CHK_OK(nfd = fcntl(fd, F_DUPFD_CLOEXEC, 30));
	CHECK(nfd >= 30 && (fcntl(nfd, F_GETFD) & FD_CLOEXEC));
	EXPECT_ERR(fcntl(fd, F_DUPFD, -1), EINVAL);
	return (FS_OK);
}

static int
c_fcntl_errors(void)
{
	int fd;

	EXPECT_ERR(fcntl(-1, F_GETFL), EBADF);
	EXPECT_ERR(fcntl(999, F_GETFD), EBADF);
	CHK_OK(fd = open(".", O_RDONLY));
	EXPECT_ERR(fcntl(fd, 9999), EINVAL);
	return (FS_OK);
}

static int
c_dup_shares_offset(void)
{
	char c;
	int fd, d;

	CHECK(fs_mkfile("dso", "abcdef") == 0);
	CHK_OK(fd = open("dso", O_RDONLY));
	CHK_OK(d = dup(fd));
	CHECK(d != fd);
	CHECK(read(fd, &c, 1) == 1 && c == 'a');
	CHECK(read(d, &c, 1) == 1 && c == 'b');
	CHK_OK(close(fd));
	CHECK(read(d, &c, 1) == 1 && c == 'c');
	CHECK(!(fcntl(d, F_GETFD) & FD_CLOEXEC));
	return (FS_OK);
}

static int
c_dup_ebadf(void)
{
	int fd;

	EXPECT_ERR(dup(-1), EBADF);
	EXPECT_ERR(dup(999), EBADF);
	CHK_OK(fd = open(".", O_RDONLY));
	EXPECT_ERR(dup2(999, fd), EBADF);
	EXPECT_ERR(dup2(fd, -1), EBADF);
	EXPECT_ERR(dup3(999, 40, 0), EBADF);
	return (FS_OK);
}

static int
c_dup2(void)
{
	char c;
	int fd, g;

	CHECK(fs_mkfile("d2a", "a") == 0);
	CHECK(fs_mkfile("d2b", "b") == 0);
	CHK_OK(fd = open("d2a", O_RDONLY));
	CHK_OK(g = open("d2b", O_RDONLY | O_CLOEXEC));
	CHECK(dup2(fd, fd) == fd);
	/* dup2 closes the old g silently and clears FD_CLOEXEC. */
	CHECK(dup2(fd, g) == g);
	CHECK(read(g, &c, 1) == 1 && c == 'a');
	CHECK(!(fcntl(g, F_GETFD) & FD_CLOEXEC));
	CHECK(dup2(fd, 50) == 50);
	return (FS_OK);
}

static int
c_dup3(void)
{
	int fd;

	CHK_OK(fd = open(".", O_RDONLY));
	CHECK(dup3(fd, 41, O_CLOEXEC) == 41);
	CHECK(fcntl(41, F_GETFD) & FD_CLOEXEC);
	CHECK(dup3(fd, 42, 0) == 42);
	CHECK(!(fcntl(42, F_GETFD) & FD_CLOEXEC));
	EXPECT_ERR(dup3(fd, fd, 0), EINVAL);
	/* musl's dup3() drops unknown flags; the kernel must refuse them. */
	EXPECT_ERR(syscall(SYS_dup3, fd, 43, 0x4000), EINVAL);
	EXPECT_ERR(syscall(SYS_dup3, fd, fd, 0), EINVAL);
	return (FS_OK);
}

/*
 * Files left open at exit are closed for the process: 300 children (more
 * than vfsd's handle table holds) each open a file, dup it and exit
 * without closing; opening still works afterwards.
 */
static int
c_exit_closes(void)
{
	pid_t pid;
	int i, fd, st;

	CHECK(fs_mkfile("exc", "x") == 0);
	for (i = 0; i < 300; i++) {
		pid = fork();
		if (pid < 0)
			return (fs_skip("fork: %s", fs_errname(errno)));
		if (pid == 0) {
			fd = open("exc", O_RDONLY);
			_exit(fd < 0 || dup(fd) < 0 ? 1 : 0);
		}
		CHECK(waitpid(pid, &st, 0) == pid);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			return (fs_fail("child %d could not open and dup", i));
	}
	CHK_OK(fd = open("exc", O_RDONLY));
	return (FS_OK);
}

/* Close fds from..to-1 (cases that fill the table clean up themselves). */
static void
close_range_fds(int from, int to)
{
	int fd;

	for (fd = from; fd < to; fd++)
		(void)close(fd);
}

/*
 * Fill the fd table to RLIMIT_NOFILE (soft limit set to Linux's default
 * 1024): dups of /dev/null take every fd up to 1023, then dup, open and
 * pipe fail with EMFILE; a file opened into a freed slot high up works;
 * dup2 onto fd 1000 and a forked child see the whole table; dup2 at the
 * limit is EBADF, F_DUPFD at it EINVAL, poll's nfds may be the limit but
 * not more (EINVAL).
 */
static int
c_fd_rlimit_1024(void)
{
	static struct pollfd pfd[1025];
	struct rlimit old, rl;
	int fd, last, n, f, p[2], st, r;
	pid_t pid;
	char c;

	CHK_OK(getrlimit(RLIMIT_NOFILE, &old));
	if (old.rlim_cur < 1024)
		return (fs_fail("RLIMIT_NOFILE soft limit %llu, want >= 1024 "
		    "(Linux's default)", (unsigned long long)old.rlim_cur));
	if (old.rlim_max < 1024)
		return (fs_skip("hard limit %llu below 1024",
		    (unsigned long long)old.rlim_max));
	rl = old;
	rl.rlim_cur = 1024;
	CHK_OK(setrlimit(RLIMIT_NOFILE, &rl));
	CHECK(fs_mkfile("nofile", "rlimit") == 0);
	r = FS_FAIL;
	if ((fd = open("/dev/null", O_RDWR)) < 0) {
		r = fs_fail("open /dev/null: %s", fs_errname(errno));
		goto out;
	}
	for (n = 0, last = fd; n < 1100; n++) {
		if ((f = dup(fd)) < 0)
			break;
		last = f;
	}
	if (f >= 0 || errno != EMFILE || last != 1023) {
		r = fs_fail("dup stopped at fd %d with %s, want EMFILE after "
		    "fd 1023", last, f >= 0 ? "success" : fs_errname(errno));
		goto out;
	}
	if (open("nofile", O_RDONLY) != -1 || errno != EMFILE ||
	    pipe(p) != -1 || errno != EMFILE) {
		r = fs_fail("open/pipe with a full table: want EMFILE, got %s",
		    fs_errname(errno));
		goto out;
	}
	/* A vfsd file in the slot freed at 900. */
	if (close(900) != 0 || (f = open("nofile", O_RDWR)) != 900 ||
	    pread(f, &c, 1, 1) != 1 || c != 'l' ||
	    pwrite(f, "R", 1, 0) != 1) {
		r = fs_fail("file at fd 900: %s", fs_errname(errno));
		goto out;
	}
	if (dup2(f, 1000) != 1000 || pread(1000, &c, 1, 0) != 1 ||
	    c != 'R') {
		r = fs_fail("dup2 onto 1000: %s", fs_errname(errno));
		goto out;
	}
	if (dup2(f, 1024) != -1 || errno != EBADF ||
	    fcntl(f, F_DUPFD, 1024) != -1 || errno != EINVAL) {
		r = fs_fail("dup2/F_DUPFD at the limit: %s, want EBADF/EINVAL",
		    fs_errname(errno));
		goto out;
	}
	pid = fork();
	if (pid == 0)
		_exit(fcntl(1023, F_GETFD) >= 0 && pread(1000, &c, 1, 1) == 1 &&
		    c == 'l' ? 0 : 1);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0) {
		r = fs_fail("forked child with 1024 fds: %s", pid < 0 ?
		    fs_errname(errno) : "lost fds");
		goto out;
	}
	for (n = 0; n < 1025; n++) {
		pfd[n].fd = n == 1000 ? 1000 : -1;
		pfd[n].events = POLLIN;
	}
	if (poll(pfd, 1024, 0) != 1 || pfd[1000].revents != POLLIN ||
	    poll(pfd, 1025, 0) != -1 || errno != EINVAL) {
		r = fs_fail("poll of 1024/1025 fds: %s", fs_errname(errno));
		goto out;
	}
	r = FS_OK;
out:
	close_range_fds(3, 1024);
	(void)setrlimit(RLIMIT_NOFILE, &old);
	return (r);
}

/*
 * A raised soft limit grows the table further: dup2 onto fd 2000 under
 * a soft limit of 2048 (skipped when the hard limit is lower), EBADF at
 * 2048.
 */
static int
c_fd_rlimit_raised(void)
{
	struct rlimit old, rl;
	int r;

	CHK_OK(getrlimit(RLIMIT_NOFILE, &old));
	if (old.rlim_max < 2048)
		return (fs_skip("hard limit %llu below 2048",
		    (unsigned long long)old.rlim_max));
	rl = old;
	rl.rlim_cur = 2048;
	CHK_OK(setrlimit(RLIMIT_NOFILE, &rl));
	r = dup2(1, 2000) == 2000 && fcntl(2000, F_GETFD) == 0 &&
	    dup2(1, 2048) == -1 && errno == EBADF ? FS_OK :
	    fs_fail("dup2 to 2000/2048: %s", fs_errname(errno));
	(void)close(2000);
	/* Lowering the limit below an open fd is allowed; new fds obey. */
	(void)setrlimit(RLIMIT_NOFILE, &old);
	return (r);
}

/* A forked child shares the parent's file offset (one description). */
static int
c_fork_shares_offset(void)
{
	char c;
	pid_t pid;
	int fd, st;

	CHECK(fs_mkfile("fso", "abc") == 0);
	CHK_OK(fd = open("fso", O_RDONLY));
	pid = fork();
	if (pid < 0)
		return (fs_skip("fork: %s", fs_errname(errno)));
	if (pid == 0)
		_exit(read(fd, &c, 1) == 1 && c == 'a' ? 0 : 1);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0);
	CHECK(read(fd, &c, 1) == 1 && c == 'b');
	return (FS_OK);
}

const struct fs_case fs_cases_file[] = {
	{ "open.creat", c_open_creat },
	{ "open.enoent", c_open_enoent },
	{ "open.excl-eexist", c_open_excl_eexist },
	{ "open.enotdir", c_open_enotdir },
	{ "open.eisdir", c_open_eisdir },
	{ "open.efault", c_open_efault },
	{ "open.enametoolong", c_open_enametoolong },
	{ "open.trunc", c_open_trunc },
	{ "open.append", c_open_append },
	{ "open.erofs", c_open_rofs },
	{ "open.ro-read", c_open_ro_read },
	{ "open.eacces", c_open_eacces },
	{ "openat.dirfd", c_openat_dirfd },
	{ "openat.ebadf", c_openat_ebadf },
	{ "openat.enotdir", c_openat_enotdir },
	{ "execve.eacces", c_exec_eacces },
	{ "close.ebadf", c_close_ebadf },
	{ "rw.roundtrip", c_rw_roundtrip },
	{ "rw.large", c_rw_large },
	{ "read.ebadf", c_read_ebadf },
	{ "write.ebadf", c_write_ebadf },
	{ "rw.efault", c_rw_efault },
	{ "read.eisdir", c_read_eisdir },
	{ "readv.writev", c_readv_writev },
	{ "readv.einval", c_readv_einval },
	{ "readv.efault", c_readv_efault },
	{ "pread.pwrite", c_pread_pwrite },
	{ "pread.errors", c_pread_errors },
	{ "lseek.whence", c_lseek },
	{ "lseek.errors", c_lseek_errors },
	{ "lseek.hole", c_lseek_hole },
	{ "fcntl.getfl-setfl", c_fcntl_getfl },
	{ "fcntl.getfd-setfd", c_fcntl_fd_flags },
	{ "fcntl.dupfd", c_fcntl_dupfd },
	{ "fcntl.errors", c_fcntl_errors },
	{ "dup.shares-offset", c_dup_shares_offset },
	{ "dup.ebadf", c_dup_ebadf },
	{ "dup2.replace", c_dup2 },
	{ "dup3.flags", c_dup3 },
	{ "exit.closes-files", c_exit_closes },
	{ "fork.shares-offset", c_fork_shares_offset },
	{ "fd.rlimit-1024", c_fd_rlimit_1024 },
	{ "fd.rlimit-raised", c_fd_rlimit_raised },
	{ NULL, NULL },
};
