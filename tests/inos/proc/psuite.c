/*
 * psuite.c -- runner of the in-OS process suite: static musl program that
 * runs inside RustOS (test profile) and on the build host as the reference
 * (tests/unit/psuite.sh).  Output, one line per case:
 *	PSUITE ok <name>
 *	PSUITE FAIL <name>: <why>
 *	PSUITE skip <name>: <why>
 * then "PSUITE done passed=N failed=M skipped=K".
 *
 * Usage: psuite [-h helper] [-d scratch-dir] [-t seconds] [-l] [case...]
 * The helper defaults to psuite-child(.elf) beside argv[0]; the scratch
 * directory (for generated files and executables) defaults to /tmp and a
 * per-run subdirectory is made in it.
 *
 * Each case runs in a forked child that is its own process group leader,
 * arms alarm() as a watchdog and writes one result record to a pipe; the
 * runner polls for the child with a hard deadline of its own and kills the
 * whole group afterwards, so no case can hang the suite or leave helpers
 * behind (grandchildren that leave the group must end by themselves).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "psuite.h"

#define DEFAULT_TIMEOUT	10
#define RESULT_MAX	400

const char *ps_helper;
pid_t ps_orphan_reaper;
const char *ps_scratch;

static int result_fd = -1;
static pid_t case_pid;

static void
out(const char *fmt, ...)
{
	char buf[600];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	(void)write(1, buf, n);
}

static void __attribute__((noreturn))
report(char kind, const char *fmt, va_list ap)
{
	char buf[RESULT_MAX];
	int n;

	/* A grandchild must not speak for the case; it exits non-zero. */
	if (getpid() != case_pid)
		_exit(120);
	buf[0] = kind;
	n = vsnprintf(buf + 1, sizeof(buf) - 1, fmt, ap);
	if (n < 0)
		n = 0;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	/* One write below PIPE_BUF: the record arrives whole or not at all. */
	(void)write(result_fd, buf, n + 1);
	_exit(0);
}

void
ps_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report('F', fmt, ap);
}

void
ps_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report('S', fmt, ap);
}

int
ps_root_can_drop(void)
{
	pid_t pid;
	int st;

	if (geteuid() != 0)
		return (0);
	pid = fork();
	if (pid == -1)
		ps_fail("fork: %s", strerror(errno));
	if (pid == 0)
		_exit(setgid(65534) == 0 && setuid(65534) == 0 ? 0 : 1);
	st = ps_wait(pid);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		ps_skip("running as root but uid 65534 is unusable (user "
		    "namespace?)");
	return (1);
}

void
ps_msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

long
ps_gettid(void)
{

	return (syscall(SYS_gettid));
}

void *
ps_addr(uintptr_t a)
{

	__asm__("" : "+r"(a));
	return ((void *)a);
}

pid_t
ps_spawn(int (*fn)(void *), void *arg)
{
	pid_t pid;

	pid = fork();
	if (pid == -1)
		ps_fail("fork: %s", strerror(errno));
	if (pid == 0)
		_exit(fn(arg));
	return (pid);
}

int
ps_wait(pid_t pid)
{
	int st;
	pid_t r;

	do
		r = waitpid(pid, &st, 0);
	while (r == -1 && errno == EINTR);
	if (r != pid)
		ps_fail("waitpid(%d): %s", (int)pid,
		    r == -1 ? strerror(errno) : "wrong pid");
	return (st);
}

const char *
ps_status_str(int st)
{
	static char buf[64];

	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "signal %d (%s)", WTERMSIG(st),
		    strsignal(WTERMSIG(st)));
	else if (WIFSTOPPED(st))
		snprintf(buf, sizeof(buf), "stopped %d", WSTOPSIG(st));
	else
		snprintf(buf, sizeof(buf), "status %#x", st);
	return (buf);
}

void
ps_expect_signal(const char *what, int st, int sig)
{

	if (!WIFSIGNALED(st) || WTERMSIG(st) != sig)
		ps_fail("%s: %s, want signal %d (%s)", what,
		    ps_status_str(st), sig, strsignal(sig));
}

void
ps_expect_exit(const char *what, int st, int code)
{

	if (!WIFEXITED(st) || WEXITSTATUS(st) != code)
		ps_fail("%s: %s, want exit %d", what, ps_status_str(st),
		    code);
}

void
ps_run_child(const char *what, int (*fn)(void *), void *arg)
{

	ps_expect_exit(what, ps_wait(ps_spawn(fn, arg)), 0);
}

int
ps_run_helper(char *const argv[], char *const envp[], char *outbuf,
    size_t cap, void (*setup)(void))
{
	char *av[32];
	size_t n, len;
	ssize_t r;
	pid_t pid;
	int p[2], i;

	av[0] = (char *)ps_helper;
	for (i = 0; argv[i] != NULL && i < 30; i++)
		av[i + 1] = argv[i];
	av[i + 1] = NULL;
	if (pipe(p) == -1)
		ps_fail("pipe: %s", strerror(errno));
	pid = fork();
	if (pid == -1)
		ps_fail("fork: %s", strerror(errno));
	if (pid == 0) {
		close(p[0]);
		if (p[1] != 1) {
			dup2(p[1], 1);
			close(p[1]);
		}
		if (setup != NULL)
			setup();
		execve(ps_helper, av, envp);
		_exit(127);
	}
	close(p[1]);
	len = 0;
	for (;;) {
		n = cap > len + 1 ? cap - len - 1 : 0;
		if (n == 0)
			break;
		r = read(p[0], outbuf + len, n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += r;
	}
	if (cap > 0)
		outbuf[len] = '\0';
	close(p[0]);
	return (ps_wait(pid));
}

const char *
ps_report_get(const char *rep, const char *key)
{
	static char val[512];
	const char *p, *e;
	size_t kl, n;

	kl = strlen(key);
	for (p = rep; p != NULL && *p != '\0'; p = e != NULL ? e + 1 : NULL) {
		e = strchr(p, '\n');
		if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
			n = e != NULL ? (size_t)(e - p - kl - 1) :
			    strlen(p + kl + 1);
			if (n >= sizeof(val))
				n = sizeof(val) - 1;
			memcpy(val, p + kl + 1, n);
			val[n] = '\0';
			return (val);
		}
	}
	return (NULL);
}

const char *
ps_scratch_path(const char *name)
{
	static char buf[4][512];
	static int i;
	char *b;

	if (ps_scratch == NULL)
		ps_skip("no writable scratch directory");
	b = buf[i++ & 3];
	snprintf(b, sizeof(buf[0]), "%s/%s", ps_scratch, name);
	return (b);
}

/* Path of a program next to ps_helper (NAME.elf or NAME), or NULL. */
const char *
ps_beside_helper(const char *name)
{
	static char path[512];
	const char *slash = strrchr(ps_helper, '/');
	size_t dl = slash != NULL ? (size_t)(slash - ps_helper) + 1 : 0;
	struct stat st;

	snprintf(path, sizeof(path), "%.*s%s.elf", (int)dl, ps_helper, name);
	if (stat(path, &st) == 0)
		return (path);
	snprintf(path, sizeof(path), "%.*s%s", (int)dl, ps_helper, name);
	if (stat(path, &st) == 0)
		return (path);
	return (NULL);
}

int
ps_run_capture(const char *path, char *const av[], char *const ev[],
    char *out, size_t cap)
{
	size_t len = 0;
	ssize_t r;
	pid_t pid;
	int p[2];

	CHECK_OK(pipe(p));
	pid = fork();
	CHECK(pid != -1, "fork: %s", strerror(errno));
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], 1);
		close(p[1]);
		execve(path, av, ev);
		_exit(127);
	}
	close(p[1]);
	while (len + 1 < cap) {
		r = read(p[0], out + len, cap - len - 1);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += r;
	}
	out[len] = '\0';
	close(p[0]);
	return (ps_wait(pid));
}

/* Run one case in its own process; print its line; return 0 ok, 1 fail,
 * 2 skip. */
static int
run_case(const struct ps_case *c, unsigned dflt)
{
	struct timespec now, start, nap;
	char rec[RESULT_MAX + 1];
	unsigned timeout;
	int p[2], st, killed;
	ssize_t n;
	pid_t pid, r;
	long waited_ms;

	timeout = c->timeout != 0 ? c->timeout : dflt;
	if (pipe(p) == -1) {
		out("PSUITE FAIL %s: runner: pipe: %s", c->name,
		    strerror(errno));
		return (1);
	}
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	pid = fork();
	if (pid == -1) {
		out("PSUITE FAIL %s: runner: fork: %s", c->name,
		    strerror(errno));
		close(p[0]);
		close(p[1]);
		return (1);
	}
	if (pid == 0) {
		close(p[0]);
		result_fd = p[1];
		case_pid = getpid();
		setpgid(0, 0);
		alarm(timeout);
		c->fn();
		(void)write(result_fd, "O", 1);
		_exit(0);
	}
	/* Both sides set the group so neither order of events races. */
	setpgid(pid, pid);
	close(p[1]);
	clock_gettime(CLOCK_MONOTONIC, &start);
	killed = 0;
	nap.tv_sec = 0;
	nap.tv_nsec = 200000;
	for (;;) {
		r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			break;
		if (r == -1 && errno != EINTR) {
			st = -1;
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		waited_ms = (now.tv_sec - start.tv_sec) * 1000 +
		    (now.tv_nsec - start.tv_nsec) / 1000000;
		if (!killed && waited_ms > (long)(timeout + 3) * 1000) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			killed = 1;
		}
		nanosleep(&nap, NULL);
		if (nap.tv_nsec < 20000000)
			nap.tv_nsec *= 2;
	}
	kill(-pid, SIGKILL);
	n = read(p[0], rec, RESULT_MAX);
	close(p[0]);
	if (n < 0)
		n = 0;
	rec[n] = '\0';
	if (n > 0 && rec[0] == 'O' && st == 0) {
		out("PSUITE ok %s", c->name);
		return (0);
	}
	if (n > 0 && rec[0] == 'S') {
		out("PSUITE skip %s: %s", c->name, rec + 1);
		return (2);
	}
	if (n > 0 && rec[0] == 'F') {
		out("PSUITE FAIL %s: %s", c->name, rec + 1);
		return (1);
	}
	if (killed)
		out("PSUITE FAIL %s: hung, killed after %us", c->name,
		    timeout + 3);
	else if (st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
		out("PSUITE FAIL %s: watchdog: no result after %us", c->name,
		    timeout);
	else
		out("PSUITE FAIL %s: case process ended without a result "
		    "(%s)", c->name, st == -1 ? "lost" : ps_status_str(st));
	return (1);
}

static const struct ps_case *const tables[] = {
	ps_cases_proc, ps_cases_sig, ps_cases_mm, ps_cases_elf, ps_cases_thr,
	ps_cases_vdso, ps_cases_sock, ps_cases_dyn,
	NULL
};

static int
selected(const char *name, char **names, int nnames)
{
	int i;

	if (nnames == 0)
		return (1);
	for (i = 0; i < nnames; i++)
		if (strcmp(names[i], name) == 0)
			return (1);
	return (0);
}

static void
remove_scratch(const char *dir)
{
	char path[600];
	struct dirent *de;
	DIR *d;

	d = opendir(dir);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static char *
default_helper(const char *argv0)
{
	const char *slash, *suffix;
	size_t dl, al;
	char *h;

	slash = strrchr(argv0, '/');
	dl = slash != NULL ? (size_t)(slash - argv0 + 1) : 0;
	al = strlen(argv0);
	suffix = al > 4 && strcmp(argv0 + al - 4, ".elf") == 0 ? ".elf" : "";
	h = malloc(dl + sizeof("psuite-child.elf"));
	if (h == NULL)
		return (NULL);
	memcpy(h, argv0, dl);
	strcpy(h + dl, "psuite-child");
	strcat(h, suffix);
	return (h);
}

int
main(int argc, char **argv)
{
	static char scratch[512];
	const struct ps_case *const *t, *c;
	const char *base;
	unsigned timeout;
	int ch, list, passed, failed, skipped, r;

	base = "/tmp";
	timeout = DEFAULT_TIMEOUT;
	list = 0;
	while ((ch = getopt(argc, argv, "h:d:t:lo")) != -1) {
		switch (ch) {
		case 'o':
			/* Orphans must go to our parent (RustOS: initd). */
			ps_orphan_reaper = getppid();
			break;
		case 'h':
			ps_helper = optarg;
			break;
		case 'd':
			base = optarg;
			break;
		case 't':
			timeout = (unsigned)strtoul(optarg, NULL, 10);
			if (timeout == 0 || timeout > 600) {
				fprintf(stderr, "psuite: -t wants 1..600 "
				    "seconds, got %s\n", optarg);
				return (2);
			}
			break;
		case 'l':
			list = 1;
			break;
		default:
			fprintf(stderr, "usage: psuite [-h helper] "
			    "[-d scratch-dir] [-t seconds] [-l] [-o] [case...]\n");
			return (2);
		}
	}
	if (list) {
		for (t = tables; *t != NULL; t++)
			for (c = *t; c->name != NULL; c++)
				out("%s", c->name);
		return (0);
	}
	if (ps_helper == NULL)
		ps_helper = default_helper(argv[0]);
	/* The suite's own signal state is the default one, whatever the
	 * launcher left (a shell may ignore SIGINT or SIGQUIT). */
	{
		sigset_t none;
		int s;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		for (s = 1; s < 32; s++)
			if (s != SIGKILL && s != SIGSTOP)
				signal(s, SIG_DFL);
	}
	snprintf(scratch, sizeof(scratch), "%s/psuite.%d", base,
	    (int)getpid());
	if (mkdir(scratch, 0700) == 0)
		ps_scratch = scratch;
	else
		out("PSUITE note: no scratch directory %s: %s", scratch,
		    strerror(errno));
	passed = failed = skipped = 0;
	for (t = tables; *t != NULL; t++)
		for (c = *t; c->name != NULL; c++) {
			if (!selected(c->name, argv + optind, argc - optind))
				continue;
			r = run_case(c, timeout);
			if (r == 0)
				passed++;
			else if (r == 1)
				failed++;
			else
				skipped++;
		}
	if (ps_scratch != NULL)
		remove_scratch(ps_scratch);
	out("PSUITE done passed=%d failed=%d skipped=%d", passed, failed,
	    skipped);
	return (failed != 0);
}
