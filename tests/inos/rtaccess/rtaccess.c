/*
 * rtaccess.c -- in-OS test of vfsd's linux-runtime access profile
 * (docs/ai/bootstrap.md, "Linux runtime access"; services/vfsd/access.c).
 *
 * Run from the image (system profile) as `rtaccess.elf MODE`, it checks
 * that it reads the whole image, copies itself to /tmp/rtprobe (chmod
 * 0755) and /tmp/rtprobe2, and fork+execs `/tmp/rtprobe --probe ...`:
 * that process came from outside the signed volume, so vfsd confines it
 * to what /system/registry/system/linux-runtime-access.tsv grants.  The
 * probe checks its view against the table of MODE:
 *   default   the registry rustos-pkg stages (tests/qemu/rtaccess.sh boot 1)
 *   modified  the registry rtaccess.sh writes for boot 2 (a dir grant of
 *             /apps/rtaccess, startup-programs.tsv dropped, bad lines)
 *   none      no registry file at all (boot 3): nothing of the volume
 * plus cases every mode shares (/tmp and /dev usable, memfs links do
 * not escape, inherited fds stay usable, fork children and later execs
 * stay confined).  Lines: "RTACCESS ok|FAIL|skip NAME[: why]", then
 * "RTACCESS done passed=N failed=M skipped=K" (the probe sends its
 * counts to the parent through a pipe).  RustOS only: Linux has no such
 * profile, so there is no host reference run.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <rustos/ipc.h>
#include <rustos/loader.h>

#define PROBE		"/tmp/rtprobe"
#define PROBE2		"/tmp/rtprobe2"
#define SELF		"/apps/rtaccess/rtaccess.elf"
#define STARTUP		"/system/registry/system/startup-programs.tsv"
#define DRIVERS		"/system/registry/kernel/loadable-drivers.tsv"

static int passed, failed, skipped;

/* One result line (why: NULL or the reason), in one write. */
static void
line(const char *verdict, const char *name, const char *why)
{
	char buf[512];
	int n;

	n = snprintf(buf, sizeof(buf) - 1, "RTACCESS %s %s%s%s\n", verdict,
	    name, why != NULL ? ": " : "", why != NULL ? why : "");
	if (n < 0 || (size_t)n >= sizeof(buf) - 1) {
		n = (int)sizeof(buf) - 2;
		buf[n++] = '\n';
	}
	/* Parent and probe share the console: whole lines only. */
	(void)write(1, buf, (size_t)n);
}

static void
ok(const char *name)
{
	passed++;
	line("ok", name, NULL);
}

static void
vfail(const char *name, const char *fmt, va_list ap)
{
	char why[400];

	failed++;
	vsnprintf(why, sizeof(why), fmt, ap);
	line("FAIL", name, why);
}

static void
fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(name, fmt, ap);
	va_end(ap);
}

/* ok when cond, else FAIL with the formatted reason. */
static void
check(int cond, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (cond) {
		ok(name);
		return;
	}
	va_start(ap, fmt);
	vfail(name, fmt, ap);
	va_end(ap);
}

/* FNV-1a of a whole file (or fd from its current offset); -errno. */
static long long
hash_fd(int fd, uint64_t *h, size_t *size)
{
	unsigned char buf[4096];
	ssize_t n, i;

	*h = 1469598103934665603ull;
	*size = 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++)
			*h = (*h ^ buf[i]) * 1099511628211ull;
		*size += (size_t)n;
	}
	return n < 0 ? -errno : 0;
}

static long long
hash_file(const char *path, uint64_t *h, size_t *size)
{
	long long r;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	r = hash_fd(fd, h, size);
	close(fd);
	return r;
}

/* Copy from (any readable file) to to, created with mode. */
static int
copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[8192];
	ssize_t n;
	int in, out, e = 0;

	if ((in = open(from, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (out < 0) {
		e = -errno;
		close(in);
		return e;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			e = -EIO;
			break;
		}
	if (n < 0)
		e = -errno;
	close(in);
	close(out);
	return e;
}

/* The status of a child running fn (its return value is the exit code). */
static int
in_child(int (*fn)(const void *), const void *arg)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(fn(arg));
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* ---- the confined probe ------------------------------------------- */

/* A path every call must refuse with EACCES. */
static void
expect_denied(const char *path)
{
	char name[160];
	struct stat st;
	int fd, e1, e2, e3;

	errno = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	e1 = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	errno = 0;
	e2 = stat(path, &st) < 0 ? errno : 0;
	errno = 0;
	e3 = access(path, R_OK) < 0 ? errno : 0;
	snprintf(name, sizeof(name), "denied=%s", path);
	check(e1 == EACCES && e2 == EACCES && e3 == EACCES, name,
	    "open/stat/access errno %d/%d/%d, want EACCES (%d)", e1, e2, e3,
	    EACCES);
}

/* A file the registry grants: readable; want_hash != 0 compares it. */
static void
expect_readable(const char *path, uint64_t want_hash)
{
	char name[160];
	uint64_t h;
	size_t size;
	long long r;

	snprintf(name, sizeof(name), "readable=%s", path);
	r = hash_file(path, &h, &size);
	if (r < 0)
		fail(name, "open/read: errno %lld", -r);
	else if (size == 0)
		fail(name, "empty");
	else if (want_hash != 0 && h != want_hash)
		fail(name, "bytes differ from the system profile's read");
	else
		ok(name);
}

/* A directory above a grant: stat says directory. */
static void
expect_ancestor(const char *path)
{
	char name[160];
	struct stat st;

	snprintf(name, sizeof(name), "ancestor=%s", path);
	if (stat(path, &st) < 0)
		fail(name, "errno %d", errno);
	else
		check(S_ISDIR(st.st_mode), name, "mode %o", st.st_mode);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The names of directory fd (without "." and ".."), sorted and joined
 * with ',' into out; -errno.
 */
static int
list_fd(int fd, char *out, size_t cap)
{
	static char buf[8192], names[64][256];
	char *v[64];
	size_t nv = 0, i, o = 0;
	long n, off;

	for (;;) {
		n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		for (off = 0; off < n;) {
			struct dirent *d = (struct dirent *)(buf + off);

			off += d->d_reclen;
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0 || nv == 64)
				continue;
			snprintf(names[nv], sizeof(names[nv]), "%s",
			    d->d_name);
			v[nv] = names[nv];
			nv++;
		}
	}
	qsort(v, nv, sizeof(v[0]), cmp_str);
	out[0] = '\0';
	for (i = 0; i < nv; i++)
		o += (size_t)snprintf(out + o, o < cap ? cap - o : 0, "%s%s",
		    i ? "," : "", v[i]);
	return 0;
}

/* The listing of dir is exactly want (sorted, ','-joined). */
static void
expect_listing(const char *dir, const char *want)
{
	char name[160], got[2048];
	int fd, r;

	snprintf(name, sizeof(name), "listing=%s", dir);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fail(name, "open: errno %d", errno);
		return;
	}
	r = list_fd(fd, got, sizeof(got));
	close(fd);
	if (r < 0)
		fail(name, "getdents64: errno %d", -r);
	else
		check(strcmp(got, want) == 0, name, "got {%s}, want {%s}", got,
		    want);
}

/* Child: execve(path, "--exit42"): 0 when refused with EACCES. */
static int
exec_denied_child(const void *arg)
{
	const char *path = arg;
	char *av[] = { (char *)path, "--exit42", NULL };
	char *ev[] = { NULL };

	execve(path, av, ev);
	return errno == EACCES ? 0 : 100 + errno;
}

/* Child: execve(path, "--second"): that program's verdict, or 100+errno. */
static int
exec_second_child(const void *arg)
{
	const char *path = arg;
	char *av[] = { (char *)path, "--second", NULL };
	char *ev[] = { NULL };

	execve(path, av, ev);
	return 100 + errno;
}

/* execve of path fails with EACCES. */
static void
expect_exec_denied(const char *path)
{
	char name[160];
	int st;

	snprintf(name, sizeof(name), "exec-denied=%s", path);
	st = in_child(exec_denied_child, path);
	check(st == 0, name, "child status %d (42: the image ran; 100+errno)",
	    st);
}

/* The `--second` program: 0 when confined (1, 2, 3: how it is not). */
static int
second(void)
{
	int fd = open("/nucleus.elf", O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		return 1;
	if (errno != EACCES)
		return 2;
	if ((fd = open(PROBE, O_RDONLY | O_CLOEXEC)) < 0)
		return 3;
	close(fd);
	return 0;
}

static int
child_confined(const void *arg)
{
	(void)arg;
	return second();
}

struct mode {
	const char	*name;
	const char	*readable[6];	/* [0]: STARTUP is hashed */
	const char	*denied[10];
	const char	*ancestors[8];
	const char	*listings[8][2];
	const char	*exec_denied;
	const char	*exec_allowed;	/* an image program, still confined */
	int		hosts;		/* /etc/hosts granted */
	int		apps_dir;	/* /apps/rtaccess granted */
};

static const struct mode modes[] = {
	{ "default",
	    { STARTUP, "/usr/lib/os-release", "/etc/hosts",
		"/lib/ld-musl-x86_64.so.1" },
	    { "/nucleus.elf", DRIVERS, SELF, "/etc/os-release",
		"/system/registry/system/runtime-env.tsv",
		"/system/registry/system/startup-programs.tsv.sig",
		"/usr/share/applications", "/apps", "/nosuch" },
	    { "/", "/system", "/system/registry", "/system/registry/system",
		"/usr", "/usr/share", "/etc" },
	    { { "/", "dev,etc,home,lib,run,system,tmp,usr" },
		{ "/system", "registry" },
		{ "/system/registry", "system" },
		{ "/system/registry/system", "desktop-programs.tsv,"
		    "runtime-launch-programs.tsv,startup-programs.tsv" },
		{ "/etc", "hosts" },
		{ "/usr", "lib,share" },
		{ "/usr/share", "" } },
	    SELF, NULL, 1, 0 },
	{ "modified",
	    { "/system/registry/system/desktop-programs.tsv", SELF,
		"/etc/hosts" },
	    { "/nucleus.elf", STARTUP, "/usr/lib/os-release", "/x",
		"/etc/os-release", "/apps/shell", "/usr" },
	    { "/", "/apps", "/system/registry/system" },
	    { { "/", "apps,dev,etc,home,run,system,tmp" },
		{ "/apps", "rtaccess" },
		{ "/system/registry/system", "desktop-programs.tsv" } },
	    NULL, SELF, 1, 1 },
	{ "none",
	    { NULL },
	    { "/", "/system", STARTUP, "/etc/hosts", "/nucleus.elf", SELF },
	    { NULL },
	    { { NULL, NULL } },
	    SELF, NULL, 0, 0 },
};

static const struct mode *
mode_by_name(const char *n)
{
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(modes[i].name, n) == 0)
			return &modes[i];
	return NULL;
}

/* /tmp and /dev as usual (memfs and devmgrd are not the volume). */
static void
probe_memfs_dev(void)
{
	char buf[16];
	int fd, okay;

	okay = mkdir("/tmp/rta-d", 0755) == 0 &&
	    (fd = open("/tmp/rta-d/f", O_RDWR | O_CREAT | O_TRUNC, 0644)) >= 0;
	if (okay) {
		okay = write(fd, "hello", 5) == 5 && pread(fd, buf, 5, 0) == 5 &&
		    memcmp(buf, "hello", 5) == 0;
		close(fd);
		okay = okay && unlink("/tmp/rta-d/f") == 0 &&
		    rmdir("/tmp/rta-d") == 0;
	}
	check(okay, "tmp-usable", "errno %d", errno);
	okay = (fd = open("/dev/null", O_WRONLY | O_CLOEXEC)) >= 0 &&
	    write(fd, "x", 1) == 1;
	if (fd >= 0)
		close(fd);
	okay = okay && (fd = open("/dev/zero", O_RDONLY | O_CLOEXEC)) >= 0 &&
	    read(fd, buf, 4) == 4 && buf[0] == 0;
	if (fd >= 0)
		close(fd);
	check(okay, "dev-usable", "errno %d", errno);
}

/*
 * loaderd SPAWN is for launchers (rootd, initd, procd): an app asking it
 * to start an image program (which would run with the system profile)
 * gets -EACCES.  The program asked for is harmless (--exit42).
 */
static void
expect_spawn_refused(const char *name)
{
	static struct rustos_loader_spawn_request q;
	struct rustos_loader_spawn_response o;
	static const char arg[] = "--exit42";
	size_t pl = strlen(SELF);
	long r;

	memset(&q, 0, sizeof(q));
	memset(&o, 0, sizeof(o));
	q.version = LOADER_IPC_ABI_VERSION;
	q.op = LOADER_IPC_OP_SPAWN;
	q.exec_path_len = (uint32_t)pl;
	memcpy(q.exec_path, SELF, pl);
	memcpy(q.argv, SELF, pl + 1);
	memcpy(q.argv + pl + 1, arg, sizeof(arg));
	q.argv_len = (uint32_t)(pl + 1 + sizeof(arg));
	q.argc = 2;
	r = rustos_ipc_call_service(IPC_SERVICE_LOADERD, &q, sizeof(q), &o,
	    sizeof(o));
	check(r >= 8 && o.status == -EACCES, name,
	    "rc %ld status %d pid %llu (want status %d)", r, o.status,
	    (unsigned long long)o.pid, -EACCES);
}

static int
probe(int argc, char **argv)
{
	const struct mode *m;
	unsigned long long want_fd_hash, want_startup;
	char name[160], got[2048];
	uint64_t h;
	size_t size, i;
	int fd_file, fd_dir, fd_pipe, fd, st, r;

	if (argc != 8 || (m = mode_by_name(argv[2])) == NULL) {
		fail("probe-arguments", "argc %d", argc);
		return 1;
	}
	fd_file = atoi(argv[3]);
	want_fd_hash = strtoull(argv[4], NULL, 16);
	fd_dir = atoi(argv[5]);
	want_startup = strtoull(argv[6], NULL, 16);
	fd_pipe = atoi(argv[7]);

	for (i = 0; i < 6 && m->readable[i] != NULL; i++)
		expect_readable(m->readable[i],
		    strcmp(m->readable[i], STARTUP) == 0 ? want_startup : 0);
	for (i = 0; i < 10 && m->denied[i] != NULL; i++)
		expect_denied(m->denied[i]);
	for (i = 0; i < 8 && m->ancestors[i] != NULL; i++)
		expect_ancestor(m->ancestors[i]);
	for (i = 0; i < 8 && m->listings[i][0] != NULL; i++)
		expect_listing(m->listings[i][0], m->listings[i][1]);
	if (m->exec_denied != NULL)
		expect_exec_denied(m->exec_denied);
	if (m->exec_allowed != NULL) {
		/* Confinement is sticky: an image program stays confined. */
		snprintf(name, sizeof(name), "exec-stays-confined=%s",
		    m->exec_allowed);
		st = in_child(exec_second_child, m->exec_allowed);
		check(st == 0, name, "status %d (1: it sees the volume; "
		    "100+errno: exec failed)", st);
	}

	probe_memfs_dev();

	/* chdir: denied directories refuse, ancestors work. */
	errno = 0;
	r = chdir("/nucleus.elf") < 0 ? errno : 0;
	check(r == EACCES, "chdir-denied", "errno %d", r);
	if (m->hosts) {
		r = chdir("/etc") == 0 && (fd = open("hosts", O_RDONLY |
		    O_CLOEXEC)) >= 0;
		if (r)
			close(fd);
		check(r, "chdir-ancestor-relative-open-of-a-grant", "errno %d",
		    errno);
		errno = 0;
		r = open("os-release", O_RDONLY | O_CLOEXEC);
		check(r < 0 && errno == EACCES, "relative-open-of-a-denied-file",
		    "fd %d errno %d", r, errno);
		if (r >= 0)
			close(r);
	}
	(void)chdir("/tmp");

	/* memfs links are judged after resolution. */
	(void)unlink("/tmp/rta-l");
	errno = 0;
	r = symlink("/nucleus.elf", "/tmp/rta-l") == 0 ?
	    open("/tmp/rta-l", O_RDONLY | O_CLOEXEC) : -2;
	check(r == -1 && errno == EACCES, "memfs-link-into-a-denied-file",
	    "open %d errno %d", r, errno);
	if (r >= 0)
		close(r);
	(void)unlink("/tmp/rta-l");
	if (m->hosts) {
		r = symlink("/etc/hosts", "/tmp/rta-l") == 0 &&
		    hash_file("/tmp/rta-l", &h, &size) == 0 && size > 0;
		check(r, "memfs-link-to-a-granted-file", "errno %d", errno);
		(void)unlink("/tmp/rta-l");
	}

	/* Open fds stay usable: the policy is on path lookup. */
	r = (int)hash_fd(fd_file, &h, &size);
	check(r == 0 && size > 0 && h == want_fd_hash,
	    "inherited-fd-of-a-denied-file-readable", "r %d size %zu", r,
	    size);
	r = list_fd(fd_dir, got, sizeof(got));
	check(r == 0 && strstr(got, "rtaccess") != NULL,
	    "inherited-dir-fd-lists-fully", "r %d {%s}", r, got);
	errno = 0;
	fd = openat(fd_dir, "rtaccess/rtaccess.elf", O_RDONLY | O_CLOEXEC);
	if (m->apps_dir)
		check(fd >= 0, "lookup-under-an-inherited-dir-fd-granted",
		    "errno %d", errno);
	else
		check(fd < 0 && errno == EACCES,
		    "lookup-under-an-inherited-dir-fd-denied", "fd %d errno %d",
		    fd, errno);
	if (fd >= 0)
		close(fd);

	expect_spawn_refused("loaderd-spawn-refused-to-the-confined");

	/* Children keep the profile: fork, and exec of another /tmp file. */
	st = in_child(child_confined, NULL);
	check(st == 0, "fork-child-confined", "status %d", st);
	st = in_child(exec_second_child, PROBE2);
	check(st == 0, "exec-of-a-second-tmp-program-confined",
	    "status %d (1: it sees the volume; 100+errno: exec failed)", st);

	dprintf(fd_pipe, "%d %d %d\n", passed, failed, skipped);
	return failed != 0;
}

/* ---- the system-profile parent ------------------------------------ */

static int
failed_exec_child(const void *arg)
{
	char *av[] = { "/tmp/rtbad", NULL };
	char *ev[] = { NULL };
	int fd;

	(void)arg;
	execve("/tmp/rtbad", av, ev);
	/* Still here (ENOEXEC): the failed exec must not confine us. */
	if ((fd = open("/nucleus.elf", O_RDONLY | O_CLOEXEC)) < 0)
		return 1;
	close(fd);
	return 0;
}

/* `--system`: 0 when the whole image is visible (the system profile). */
static int
system_view(void)
{
	int fd = open("/nucleus.elf", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 1;
	close(fd);
	return 0;
}

/* Child: exec /tmp/rtlink, a memfs link to the image's own program. */
static int
link_exec_child(const void *arg)
{
	char *av[] = { "/tmp/rtlink", "--system", NULL };
	char *ev[] = { NULL };

	(void)arg;
	execve("/tmp/rtlink", av, ev);
	return 100 + errno;
}

/* Child: fexecve of PROBE2 (execveat(fd, "", AT_EMPTY_PATH)). */
static int
fexec_child(const void *arg)
{
	char *av[] = { PROBE2, "--second", NULL };
	char *ev[] = { NULL };
	int fd = open(PROBE2, O_RDONLY);

	(void)arg;
	if (fd < 0)
		return 100 + errno;
	syscall(SYS_execveat, fd, "", av, ev, AT_EMPTY_PATH);
	return 100 + errno;
}

static int
parent(const char *mode_name)
{
	const struct mode *m = mode_by_name(mode_name);
	char a_fd[16], a_hash[32], a_dir[16], a_startup[32], a_pipe[16];
	char sums[64];
	uint64_t h, hstartup = 0, hfile;
	size_t size;
	int fd_file, fd_dir, pfd[2], st, p, f, s, r;
	pid_t pid;
	ssize_t n;

	if (m == NULL) {
		fail("mode", "unknown mode %s", mode_name);
		goto done;
	}
	/* The system profile sees everything (the registry too, if any). */
	r = hash_file("/nucleus.elf", &h, &size) == 0 && size > 0 &&
	    hash_file(DRIVERS, &h, &size) == 0 &&
	    hash_file(SELF, &h, &size) == 0 &&
	    hash_file("/etc/os-release", &h, &size) == 0;
	check(r, "system-profile-reads-the-image", "errno %d", errno);
	if (strcmp(m->name, "none") != 0)
		check(hash_file(STARTUP, &hstartup, &size) == 0,
		    "system-profile-reads-the-registry", "errno %d", errno);
	else
		(void)hash_file(STARTUP, &hstartup, &size);

	expect_spawn_refused("loaderd-spawn-refused-to-an-app");

	/* The probe: an image file brought to /tmp at run time. */
	r = copy_file(SELF, PROBE, 0644);
	if (r == 0 && chmod(PROBE, 0755) < 0)
		r = -errno;
	if (r == 0)
		r = copy_file(SELF, PROBE2, 0755);
	check(r == 0, "copy-the-probe-to-tmp", "errno %d", -r);
	if (r != 0)
		goto done;

	/* An exec of a memfs file that fails confines nobody. */
	r = copy_file("/etc/os-release", "/tmp/rtbad", 0755);
	st = r == 0 ? in_child(failed_exec_child, NULL) : -1;
	check(st == 0, "failed-exec-of-a-tmp-file-does-not-confine",
	    "status %d", st);

	/*
	 * What the image is decides, not the name: a memfs link to an
	 * image program runs it with the system profile, the fd of a /tmp
	 * file (fexecve) confines.
	 */
	(void)unlink("/tmp/rtlink");
	st = symlink(SELF, "/tmp/rtlink") == 0 ?
	    in_child(link_exec_child, NULL) : -1;
	check(st == 0, "exec-via-tmp-link-to-image-unconfined",
	    "status %d (1: confined; 100+errno: exec failed)", st);
	st = in_child(fexec_child, NULL);
	check(st == 0, "fexecve-of-a-tmp-file-confines",
	    "status %d (1: not confined; 100+errno: exec failed)", st);

	/* fds the probe inherits (no O_CLOEXEC): a denied file, /apps. */
	fd_file = open("/etc/os-release", O_RDONLY);
	fd_dir = open("/apps", O_RDONLY | O_DIRECTORY);
	r = fd_file >= 0 && fd_dir >= 0 && hash_fd(fd_file, &hfile, &size) ==
	    0 && lseek(fd_file, 0, SEEK_SET) == 0;
	if (!r || pipe(pfd) < 0) {
		fail("fds-for-the-probe", "errno %d", errno);
		goto done;
	}
	snprintf(a_fd, sizeof(a_fd), "%d", fd_file);
	snprintf(a_hash, sizeof(a_hash), "%llx", (unsigned long long)hfile);
	snprintf(a_dir, sizeof(a_dir), "%d", fd_dir);
	snprintf(a_startup, sizeof(a_startup), "%llx",
	    (unsigned long long)hstartup);
	snprintf(a_pipe, sizeof(a_pipe), "%d", pfd[1]);
	pid = fork();
	if (pid == 0) {
		char *av[] = { PROBE, "--probe", (char *)m->name, a_fd, a_hash,
		    a_dir, a_startup, a_pipe, NULL };
		char *ev[] = { NULL };

		close(pfd[0]);
		execve(PROBE, av, ev);
		dprintf(1, "RTACCESS FAIL exec probe: errno %d\n", errno);
		_exit(127);
	}
	close(pfd[1]);
	close(fd_file);
	close(fd_dir);
	n = pid > 0 ? read(pfd[0], sums, sizeof(sums) - 1) : -1;
	close(pfd[0]);
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		fail("probe-ran", "fork/wait errno %d", errno);
		goto done;
	}
	if (n > 0) {
		sums[n] = '\0';
		if (sscanf(sums, "%d %d %d", &p, &f, &s) == 3) {
			passed += p;
			failed += f;
			skipped += s;
		}
	}
	check(n > 0 && WIFEXITED(st), "probe-ran-to-the-end", "status 0x%x",
	    st);

	/* The probe's profile never reaches its parent. */
	r = hash_file("/nucleus.elf", &h, &size) == 0 &&
	    hash_file(DRIVERS, &h, &size) == 0;
	check(r, "parent-still-reads-the-image", "errno %d", errno);
	(void)unlink(PROBE);
	(void)unlink(PROBE2);
	(void)unlink("/tmp/rtbad");
	(void)unlink("/tmp/rtlink");
done:
	printf("RTACCESS done passed=%d failed=%d skipped=%d\n", passed,
	    failed, skipped);
	fflush(stdout);
	return failed != 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--probe") == 0)
		return probe(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "--second") == 0)
		return second();
	if (argc >= 2 && strcmp(argv[1], "--exit42") == 0)
		return 42;
	if (argc >= 2 && strcmp(argv[1], "--system") == 0)
		return system_view();
	return parent(argc >= 2 ? argv[1] : "default");
}
