/*
 * cases_path.c -- fsuite cases on long paths (Linux PATH_MAX 4096, the
 * NUL included; NAME_MAX 255): a directory chain under the scratch
 * directory whose absolute path is about 4000 bytes (components of 200
 * bytes), and every path call at that depth: mkdir, open/create, write,
 * read, stat, statx, access, openat with a deep dirfd, a symlink with a
 * ~4000-byte target and readlink, chdir/getcwd, rename (both names
 * long, and of a directory above the chain), unlink and rmdir; a path of
 * exactly 4095 bytes works, 4096 bytes without a NUL and a 256-byte
 * component are -ENAMETOOLONG.  The chain depth follows the scratch
 * directory's own length, so the host run (a longer work dir) builds
 * the same total length.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsuite.h"

#define LP_COMP		200	/* bytes per chain component */
#define LP_TARGET	4000	/* the chain's absolute length, about */
#define LP_SYS_STATX	332

/*
 * Build (mk = 1) or just name the chain top/c.../c under fs_workdir in
 * out: components of LP_COMP bytes (letter ch) while the total stays
 * under want.  Returns the path length or -1 (mkdir failed, errno set).
 */
static long
lp_chain(const char *top, int ch, size_t want, int mk, char *out,
    size_t cap)
{
	size_t n;

	n = (size_t)snprintf(out, cap, "%s/%s", fs_workdir, top);
	if (n >= cap)
		return (-1);
	if (mk && mkdir(out, 0755) < 0)
		return (-1);
	while (n + 1 + LP_COMP <= want && n + 1 + LP_COMP < cap) {
		out[n++] = '/';
		memset(out + n, ch, LP_COMP);
		n += LP_COMP;
		out[n] = '\0';
		if (mk && mkdir(out, 0755) < 0)
			return (-1);
	}
	return ((long)n);
}

/* Remove the chain bottom-up with absolute paths (rmdir at depth). */
static int
lp_unchain(char *path, size_t n, size_t top_len)
{
	while (n > top_len) {
		if (rmdir(path) < 0)
			return (-1);
		while (n > 0 && path[n - 1] != '/')
			n--;
		path[--n] = '\0';
	}
	return (rmdir(path));
}

static int
c_long_mkdir(void)
{
	static char d[PATH_MAX];
	struct stat st;
	long n;

	CHK_OK(n = lp_chain("lpm", 'm', LP_TARGET, 1, d, sizeof(d)));
	CHECK(n > 3700 && n < PATH_MAX);
	CHK_OK(stat(d, &st));
	CHECK(S_ISDIR(st.st_mode));
	EXPECT_ERR(mkdir(d, 0755), EEXIST);
	CHK_OK(lp_unchain(d, (size_t)n, strlen(fs_workdir) + 4));
	EXPECT_ERR(access(d, F_OK), ENOENT);
	return (FS_OK);
}

static int
c_long_file(void)
{
	static char d[PATH_MAX], f[PATH_MAX + 16];
	struct { uint32_t mask, blksize; uint64_t attr; uint32_t nlink, uid,
	    gid; uint16_t mode, pad; uint64_t ino, size; char rest[200]; } sx;
	struct stat st;
	char buf[64];
	long n;
	int fd, dfd;

	CHK_OK(n = lp_chain("lpf", 'f', LP_TARGET, 1, d, sizeof(d)));
	snprintf(f, sizeof(f), "%s/file", d);
	CHK_OK(fd = open(f, O_WRONLY | O_CREAT | O_EXCL, 0644));
	CHECK(write(fd, "deep data", 9) == 9);
	CHK_OK(close(fd));
	CHK_OK(fd = open(f, O_RDONLY));
	CHECK(read(fd, buf, sizeof(buf)) == 9 && memcmp(buf, "deep data",
	    9) == 0);
	CHK_OK(fstat(fd, &st));
	CHECK(st.st_size == 9);
	close(fd);
	CHK_OK(stat(f, &st));
	CHECK(S_ISREG(st.st_mode) && st.st_size == 9);
	memset(&sx, 0, sizeof(sx));
	CHK_OK(syscall(LP_SYS_STATX, AT_FDCWD, f, 0, 0x7ffU, &sx));
	CHECK(sx.size == 9 && (sx.mode & S_IFMT) == S_IFREG);
	CHK_OK(access(f, F_OK));
	CHK_OK(access(f, R_OK | W_OK));
	/* A directory fd whose own path is long: relative names below it. */
	CHK_OK(dfd = open(d, O_RDONLY | O_DIRECTORY));
	CHK_OK(fstatat(dfd, "file", &st, 0));
	CHECK(st.st_size == 9);
	CHK_OK(fd = openat(dfd, "file2", O_WRONLY | O_CREAT, 0644));
	close(fd);
	CHK_OK(faccessat(dfd, "file2", F_OK, 0));
	CHK_OK(unlinkat(dfd, "file2", 0));
	close(dfd);
	CHK_OK(unlink(f));
	EXPECT_ERR(stat(f, &st), ENOENT);
	CHK_OK(lp_unchain(d, (size_t)n, strlen(fs_workdir) + 4));
	return (FS_OK);
}

static int
c_long_symlink(void)
{
	static char d[PATH_MAX], f[PATH_MAX + 16], got[PATH_MAX + 16];
	struct stat st;
	long n, tl;

	CHK_OK(n = lp_chain("lps", 's', LP_TARGET - 10, 1, d, sizeof(d)));
	tl = snprintf(f, sizeof(f), "%s/target", d);
	CHECK(tl > 3700);
	CHECK(fs_mkfile(f, "via link") == 0);
	CHK_OK(symlink(f, "lps-link"));
	memset(got, 0, sizeof(got));
	CHECK(readlink("lps-link", got, sizeof(got)) == tl);
	CHECK(memcmp(got, f, (size_t)tl) == 0);
	CHK_OK(lstat("lps-link", &st));
	CHECK(S_ISLNK(st.st_mode) && st.st_size == tl);
	CHK_OK(stat("lps-link", &st));
	CHECK(S_ISREG(st.st_mode) && st.st_size == 8);
	/* A link made at depth: a long link path, a short target. */
	snprintf(got, sizeof(got), "%s/l2", d);
	CHK_OK(symlink("target", got));
	CHK_OK(stat(got, &st));
	CHECK(S_ISREG(st.st_mode));
	CHK_OK(unlink(got));
	CHK_OK(unlink("lps-link"));
	CHK_OK(unlink(f));
	CHK_OK(lp_unchain(d, (size_t)n, strlen(fs_workdir) + 4));
	return (FS_OK);
}

static int
c_long_cwd(void)
{
	static char d[PATH_MAX], cwd[PATH_MAX + 16];
	struct stat st;
	long n;

	CHK_OK(n = lp_chain("lpc", 'c', LP_TARGET, 1, d, sizeof(d)));
	CHK_OK(chdir(d));
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK(strcmp(cwd, d) == 0);
	/* Too small a buffer for the long cwd: ERANGE. */
	errno = 0;
	CHECK(getcwd(cwd, 100) == NULL && errno == ERANGE);
	CHECK(fs_mkfile("here", "x") == 0);
	snprintf(cwd, sizeof(cwd), "%s/here", d);
	CHK_OK(stat(cwd, &st));
	CHECK(st.st_size == 1);
	CHK_OK(unlink("here"));
	CHK_OK(chdir(".."));
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK(strlen(cwd) == (size_t)n - LP_COMP - 1);
	CHK_OK(chdir(fs_workdir));
	CHK_OK(lp_unchain(d, (size_t)n, strlen(fs_workdir) + 4));
	return (FS_OK);
}

static int
c_long_rename(void)
{
	static char d[PATH_MAX], a[PATH_MAX + 16], b[PATH_MAX + 16];
	struct stat st;
	long n;

	CHK_OK(n = lp_chain("lpr", 'r', LP_TARGET, 1, d, sizeof(d)));
	snprintf(a, sizeof(a), "%s/old", d);
	snprintf(b, sizeof(b), "%s/new", d);
	CHECK(fs_mkfile(a, "moved") == 0);
	/* Both names long: the new one travels as the second path. */
	CHK_OK(rename(a, b));
	EXPECT_ERR(stat(a, &st), ENOENT);
	CHK_OK(stat(b, &st));
	CHECK(st.st_size == 5);
	/* Out to a short name and back in. */
	CHK_OK(rename(b, "lpr-out"));
	CHK_OK(rename("lpr-out", a));
	CHK_OK(stat(a, &st));
	/* The top of the deep tree renamed: everything below follows. */
	CHK_OK(rename("lpr", "lpR"));
	memcpy(a + strlen(fs_workdir) + 1, "lpR", 3);
	CHK_OK(stat(a, &st));
	CHECK(st.st_size == 5);
	CHK_OK(unlink(a));
	memcpy(d + strlen(fs_workdir) + 1, "lpR", 3);
	CHK_OK(lp_unchain(d, (size_t)n, strlen(fs_workdir) + 4));
	return (FS_OK);
}

static int
c_long_limits(void)
{
	static char d[PATH_MAX], p[PATH_MAX + 8];
	struct stat st;
	size_t r, m;
	long n;
	int fd;

	/* The chain ends 1..201 bytes short of 4094: room for a last name. */
	CHK_OK(n = lp_chain("lpl", 'l', PATH_MAX - 3, 1, d, sizeof(d)));
	r = (size_t)(PATH_MAX - 1 - n - 1);
	CHECK(r >= 1 && r <= NAME_MAX);
	memcpy(p, d, (size_t)n);
	p[n] = '/';
	memset(p + n + 1, 'e', r);
	p[n + 1 + r] = '\0';
	CHECK(strlen(p) == PATH_MAX - 1);
	/* Exactly 4095 bytes: created, found, opened, removed. */
	CHK_OK(fd = open(p, O_WRONLY | O_CREAT, 0644));
	close(fd);
	CHK_OK(stat(p, &st));
	CHECK(S_ISREG(st.st_mode));
	CHK_OK(access(p, F_OK));
	/* 4096 bytes ("/" in front), no NUL within PATH_MAX. */
	memmove(p + 1, p, PATH_MAX);
	p[0] = '/';
	CHECK(strlen(p) == PATH_MAX);
	EXPECT_ERR(stat(p, &st), ENAMETOOLONG);
	EXPECT_ERR(open(p, O_RDONLY), ENAMETOOLONG);
	EXPECT_ERR(access(p, F_OK), ENAMETOOLONG);
	EXPECT_ERR(unlink(p), ENAMETOOLONG);
	memmove(p, p + 1, PATH_MAX);
	CHK_OK(unlink(p));
	/*
	 * A 256-byte component under a deep directory of the chain, the
	 * whole path under PATH_MAX.
	 */
	m = (size_t)n;
	while (m + 1 + NAME_MAX + 1 >= PATH_MAX)
		m -= LP_COMP + 1;
	memcpy(p, d, m);
	p[m] = '/';
	memset(p + m + 1, 'x', NAME_MAX + 1);
	p[m + 1 + NAME_MAX + 1] = '\0';
	CHECK(strlen(p) < PATH_MAX && strlen(p) > 3000);
	EXPECT_ERR(stat(p, &st), ENAMETOOLONG);
	EXPECT_ERR(mkdir(p, 0755), ENAMETOOLONG);
	EXPECT_ERR(open(p, O_WRONLY | O_CREAT, 0644), ENAMETOOLONG);
	CHK_OK(lp_unchain(d, (size_t)n, strlen(fs_workdir) + 4));
	return (FS_OK);
}

/*
 * execve of a program whose absolute path is ~4000 bytes: this program,
 * copied to the bottom of a chain, re-executed with --exit-umask (it
 * exits with its umask, fsuite.c), then with --write-exe: its
 * /proc/self/exe is that whole path.
 */
static int
c_long_exec(void)
{
	static char self[PATH_MAX], d[PATH_MAX], x[PATH_MAX + 16];
	static char got[PATH_MAX];
	static char buf[65536];
	ssize_t k, n;
	pid_t pid;
	long dl;
	int in, out, st;
	mode_t old;

	if ((k = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0)
		return (fs_skip("readlink /proc/self/exe: %s",
		    fs_errname(errno)));
	self[k] = '\0';
	CHK_OK(dl = lp_chain("lpx", 'x', LP_TARGET - 8, 1, d, sizeof(d)));
	snprintf(x, sizeof(x), "%s/prog", d);
	CHK_OK(in = open(self, O_RDONLY));
	CHK_OK(out = open(x, O_WRONLY | O_CREAT | O_TRUNC, 0755));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		CHECK(write(out, buf, (size_t)n) == n);
	CHECK(n == 0);
	close(in);
	CHK_OK(close(out));
	old = umask(026);
	pid = fork();
	if (pid == 0) {
		execl(x, "prog", "--exit-umask", (char *)NULL);
		_exit(errno == ENAMETOOLONG ? 97 : 98);
	}
	(void)umask(old);
	if (pid < 0)
		return (fs_skip("fork: %s", fs_errname(errno)));
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st));
	if (WEXITSTATUS(st) != 026)
		return (fs_fail("child exit status %d, want 026 (22); "
		    "97: ENAMETOOLONG, 98: exec failed", WEXITSTATUS(st)));
	pid = fork();
	if (pid == 0) {
		execl(x, "prog", "--write-exe", "lpx-exe", (char *)NULL);
		_exit(98);
	}
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHK_OK(in = open("lpx-exe", O_RDONLY));
	memset(got, 0, sizeof(got));
	n = read(in, got, sizeof(got) - 1);
	close(in);
	if (n != (ssize_t)strlen(x) || strcmp(got, x) != 0)
		return (fs_fail("/proc/self/exe after the exec: %zd bytes, "
		    "want %zu", n, strlen(x)));
	CHK_OK(unlink(x));
	CHK_OK(lp_unchain(d, (size_t)dl, strlen(fs_workdir) + 4));
	return (FS_OK);
}

const struct fs_case fs_cases_path[] = {
	{ "longpath.mkdir", c_long_mkdir },
	{ "longpath.file", c_long_file },
	{ "longpath.symlink", c_long_symlink },
	{ "longpath.cwd", c_long_cwd },
	{ "longpath.rename", c_long_rename },
	{ "longpath.limits", c_long_limits },
	{ "longpath.exec", c_long_exec },
	{ NULL, NULL },
};
