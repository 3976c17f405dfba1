/*
 * fsuite.c -- runner of the in-OS file/device suite:
 *
 *	fsuite [-R] [-k] SCRATCH RODIR [CASE-PREFIX...]
 *
 * Runs every case (or those whose name starts with one of the prefixes) in
 * a fresh directory SCRATCH/fsuite.<pid> and prints one line per case,
 * `FSUITE ok NAME`, `FSUITE FAIL NAME: WHY` or `FSUITE skip NAME: WHY`,
 * then `FSUITE done passed=N failed=M skipped=K`.  Exit status 1 when a
 * case failed, 2 for usage or set-up errors.
 *
 * RODIR is checked for EROFS.  With -R it is taken to be read-only (RustOS:
 * the FAT root); otherwise /proc/mounts decides, and without a read-only
 * mount there the EROFS cases skip.  -k keeps the scratch tree.  The same
 * static binary runs inside RustOS and on the build host (the reference).
 */
#define _GNU_SOURCE	/* setresuid, setresgid */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsuite.h"

const char *fs_rodir;
int fs_ro;
const char *fs_ro_reason = "";
char fs_ro_file[PATH_MAX];
char fs_ro_subdir[PATH_MAX];
char fs_workdir[PATH_MAX];

static char fs_why[512];

int
fs_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fs_why, sizeof(fs_why), fmt, ap);
	va_end(ap);
	return (FS_FAIL);
}

int
fs_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fs_why, sizeof(fs_why), fmt, ap);
	va_end(ap);
	return (FS_SKIP);
}

const char *
fs_errname(int e)
{
	static char other[32];

	switch (e) {
	case 0: return ("0");
	case EPERM: return ("EPERM");
	case ENOENT: return ("ENOENT");
	case EINTR: return ("EINTR");
	case EIO: return ("EIO");
	case EBADF: return ("EBADF");
	case EAGAIN: return ("EAGAIN");
	case ENOMEM: return ("ENOMEM");
	case EACCES: return ("EACCES");
	case EFAULT: return ("EFAULT");
	case EBUSY: return ("EBUSY");
	case EEXIST: return ("EEXIST");
	case EXDEV: return ("EXDEV");
	case ENODEV: return ("ENODEV");
	case ENOTDIR: return ("ENOTDIR");
	case EISDIR: return ("EISDIR");
	case EINVAL: return ("EINVAL");
	case EMFILE: return ("EMFILE");
	case ENOTTY: return ("ENOTTY");
	case EFBIG: return ("EFBIG");
	case ENOSPC: return ("ENOSPC");
	case ESPIPE: return ("ESPIPE");
	case EROFS: return ("EROFS");
	case EPIPE: return ("EPIPE");
	case ERANGE: return ("ERANGE");
	case ENAMETOOLONG: return ("ENAMETOOLONG");
	case ENOSYS: return ("ENOSYS");
	case ENOTEMPTY: return ("ENOTEMPTY");
	case ELOOP: return ("ELOOP");
	case ENOEXEC: return ("ENOEXEC");
	case ETIMEDOUT: return ("ETIMEDOUT");
	case EOPNOTSUPP: return ("EOPNOTSUPP");
	}
	snprintf(other, sizeof(other), "errno %d", e);
	return (other);
}

int
fs_mkfile(const char *name, const char *content)
{
	size_t len, off;
	ssize_t n;
	int fd, e;

	fd = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return (-errno);
	len = strlen(content);
	for (off = 0; off < len; off += (size_t)n) {
		n = write(fd, content + off, len - off);
		if (n <= 0) {
			e = n < 0 ? errno : EIO;
			close(fd);
			return (-e);
		}
	}
	return (close(fd) < 0 ? -errno : 0);
}

int
fs_is_root(void)
{
	return (geteuid() == 0);
}

/*
 * Is path on a read-only mount?  The longest mount point of /proc/mounts
 * that is a prefix of path (at a component boundary) decides.
 */
static int
mount_is_ro(const char *path, const char **why)
{
	char line[1024], mnt[PATH_MAX], opts[512], best_opts[512];
	size_t best, n;
	FILE *f;
	char *o;

	if ((f = fopen("/proc/mounts", "re")) == NULL) {
		*why = "no /proc/mounts (pass -R when RODIR is read-only)";
		return (0);
	}
	best = 0;
	best_opts[0] = '\0';
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%*s %4095s %*s %511s", mnt, opts) != 2)
			continue;
		n = strlen(mnt);
		if (strncmp(path, mnt, n) != 0 ||
		    (n > 1 && path[n] != '\0' && path[n] != '/'))
			continue;
		if (n >= best) {
			best = n;
			snprintf(best_opts, sizeof(best_opts), "%s", opts);
		}
	}
	fclose(f);
	for (o = strtok(best_opts, ","); o != NULL; o = strtok(NULL, ","))
		if (strcmp(o, "ro") == 0)
			return (1);
	*why = "RODIR is not on a read-only mount";
	return (0);
}

/* First regular file and first directory directly under fs_rodir. */
static void
find_ro_entries(void)
{
	struct dirent *de;
	struct stat st;
	char p[PATH_MAX];
	DIR *d;

	if ((d = opendir(fs_rodir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", fs_rodir, de->d_name);
		if (lstat(p, &st) < 0)
			continue;
		if (S_ISREG(st.st_mode) && fs_ro_file[0] == '\0')
			snprintf(fs_ro_file, sizeof(fs_ro_file), "%s", p);
		if (S_ISDIR(st.st_mode) && fs_ro_subdir[0] == '\0')
			snprintf(fs_ro_subdir, sizeof(fs_ro_subdir), "%s", p);
	}
	closedir(d);
}

/* Removes the tree at dirfd/name; best effort, depth-bounded. */
static void
remove_tree(int at, const char *name, int depth)
{
	struct dirent *de;
	DIR *d;
	int fd;

	if (unlinkat(at, name, 0) == 0 || depth > 16)
		return;
	fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd < 0)
		return;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			remove_tree(dirfd(d), de->d_name, depth + 1);
	}
	closedir(d);
	unlinkat(at, name, AT_REMOVEDIR);
}

/*
 * Run body in a forked child with real uid ruid and effective (and saved)
 * uid euid, gid FS_GID and the one supplementary group FS_GROUP2, in a
 * fresh directory /tmp/fsuite-cred.<pid> (mode 0755, owned by FS_UID and
 * FS_GID; /tmp because every ancestor must be searchable by that user)
 * after setup() ran there as root.  The ids are dropped as a real program
 * does: setgroups, setresgid, setresuid.  The child's verdict and reason
 * come back through a pipe; the directory is removed afterwards.  Not
 * root, or ids this user namespace does not map (EINVAL): SKIP.
 */
int
fs_as_ids(unsigned ruid, unsigned euid, int (*setup)(void),
    int (*body)(void))
{
	char dir[64], why[sizeof(fs_why) - 32];
	gid_t groups[1] = { FS_GROUP2 };
	int p[2], rc, st;
	ssize_t n;
	pid_t pid;

	if (!fs_is_root())
		return (fs_skip("needs root to set up files and drop ids"));
	snprintf(dir, sizeof(dir), "/tmp/fsuite-cred.%ld", (long)getpid());
	remove_tree(AT_FDCWD, dir, 0);
	if (mkdir(dir, 0755) < 0 || chown(dir, FS_UID, FS_GID) < 0 ||
	    chdir(dir) < 0)
		return (fs_fail("set-up of %s: %s", dir, fs_errname(errno)));
	if (setup != NULL && (rc = setup()) != FS_OK)
		goto out;
	if (pipe(p) < 0)
		return (fs_fail("pipe: %s", fs_errname(errno)));
	fflush(stdout);
	if ((pid = fork()) < 0) {
		close(p[0]);
		close(p[1]);
		return (fs_fail("fork: %s", fs_errname(errno)));
	}
	if (pid == 0) {
		close(p[0]);
		fs_why[0] = '\0';
		if (setgroups(1, groups) < 0 ||
		    setresgid(FS_GID, FS_GID, FS_GID) < 0 ||
		    setresuid(ruid, euid, euid) < 0)
			/* EINVAL: an id this user namespace does not map. */
			rc = errno == EINVAL ? fs_skip("ids %d/%d not usable "
			    "here (EINVAL)", (int)ruid, (int)euid) :
			    fs_fail("dropping ids: %s", fs_errname(errno));
		else if (getuid() != ruid || geteuid() != euid ||
		    getgid() != FS_GID || getegid() != FS_GID)
			rc = fs_fail("ids after the drop: %d/%d %d/%d",
			    (int)getuid(), (int)geteuid(), (int)getgid(),
			    (int)getegid());
		else
			rc = body();
		(void)write(p[1], fs_why, strlen(fs_why));
		_exit(rc);
	}
	close(p[1]);
	n = read(p[0], why, sizeof(why) - 1);
	close(p[0]);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		rc = fs_fail("the child did not exit normally");
	else if ((rc = WEXITSTATUS(st)) != FS_OK) {
		why[n > 0 ? n : 0] = '\0';
		snprintf(fs_why, sizeof(fs_why), "as uid %d: %s", (int)euid,
		    why);
		if (rc != FS_SKIP)
			rc = FS_FAIL;
	}
out:
	if (chdir("/") == 0)
		remove_tree(AT_FDCWD, dir, 0);
	return (rc);
}

int
fs_as_user(int (*setup)(void), int (*body)(void))
{
	return (fs_as_ids(FS_UID, FS_UID, setup, body));
}

static int
selected(const char *name, char **prefixes, int n)
{
	int i;

	if (n == 0)
		return (1);
	for (i = 0; i < n; i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return (1);
	return (0);
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: fsuite [-R] [-k] SCRATCH RODIR [CASE-PREFIX...]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct fs_case *groups[] = {
		fs_cases_file, fs_cases_dir, fs_cases_dev, fs_cases_path,
		fs_cases_cred,
	};
	const struct fs_case *c;
	char rodir_abs[PATH_MAX], work[PATH_MAX];
	int opt, keep, assume_ro, passed, failed, skipped, rc, fd;
	size_t g;

	/* umask.fork-exec execs this program to report its umask. */
	if (argc == 2 && strcmp(argv[1], "--exit-umask") == 0)
		return ((int)umask(0));
	/* longpath.exec: write /proc/self/exe (no NUL) into argv[2]. */
	if (argc == 3 && strcmp(argv[1], "--write-exe") == 0) {
		static char exe[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe));

		if (n <= 0 || (fd = open(argv[2], O_WRONLY | O_CREAT |
		    O_TRUNC, 0644)) < 0 || write(fd, exe, (size_t)n) != n)
			return (1);
		return (close(fd) < 0);
	}
	keep = assume_ro = 0;
	while ((opt = getopt(argc, argv, "Rk")) != -1) {
		if (opt == 'R')
			assume_ro = 1;
		else if (opt == 'k')
			keep = 1;
		else
			usage();
	}
	if (argc - optind < 2)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* EPIPE cases want the error, not the signal. */
	signal(SIGPIPE, SIG_IGN);
	if (realpath(argv[optind + 1], rodir_abs) == NULL) {
		fprintf(stderr, "fsuite: %s: %s\n", argv[optind + 1],
		    fs_errname(errno));
		return (2);
	}
	fs_rodir = rodir_abs;
	fs_ro = assume_ro ? 1 : mount_is_ro(fs_rodir, &fs_ro_reason);
	find_ro_entries();
	snprintf(work, sizeof(work), "%s/fsuite.%ld", argv[optind],
	    (long)getpid());
	if (mkdir(work, 0755) < 0 || realpath(work, fs_workdir) == NULL) {
		fprintf(stderr, "fsuite: %s: %s\n", work,
		    fs_errname(errno));
		return (2);
	}
	passed = failed = skipped = 0;
	for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		for (c = groups[g]; c->name != NULL; c++) {
			if (!selected(c->name, argv + optind + 2,
			    argc - optind - 2))
				continue;
			if (chdir(fs_workdir) < 0) {
				printf("FSUITE FAIL %s: chdir %s: %s\n",
				    c->name, fs_workdir, fs_errname(errno));
				failed++;
				continue;
			}
			fs_why[0] = '\0';
			rc = c->fn();
			if (rc == FS_OK) {
				printf("FSUITE ok %s\n", c->name);
				passed++;
			} else if (rc == FS_SKIP) {
				printf("FSUITE skip %s: %s\n", c->name, fs_why);
				skipped++;
			} else {
				printf("FSUITE FAIL %s: %s\n", c->name, fs_why);
				failed++;
			}
			for (fd = 3; fd < 64; fd++)
				close(fd);
		}
	}
	if (chdir("/") == 0 && !keep)
		remove_tree(AT_FDCWD, fs_workdir, 0);
	printf("FSUITE done passed=%d failed=%d skipped=%d\n", passed, failed,
	    skipped);
	return (failed ? 1 : 0);
}
