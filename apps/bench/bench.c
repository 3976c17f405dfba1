/*
 * bench.c -- the micro-benchmark `make bench` runs, byte-identical, inside
 * RustOS and inside Linux (spec: testing-and-benchmarks.md).  A static musl
 * program linked like every RustOS program, so it also runs on the build
 * host.
 *
 * Each operation runs W warm-up repetitions, then R timed repetitions of N
 * iterations; a repetition's figure is its elapsed CLOCK_MONOTONIC time
 * divided by N (and the same for rdtsc).  One line per operation:
 *
 *   BENCH <name> iters=N min_ns=X med_ns=Y reps=R min_tsc=A med_tsc=B
 *   BENCH <name> n/a reason=<call>:<ERRNO>
 *
 * An operation whose set-up or any call fails is reported n/a with the
 * failing call and errno, and the run continues with the next operation: a
 * system that lacks a syscall (RustOS before the files and processes issues)
 * never gets a made-up figure.  Output goes through write(2) one whole line
 * at a time, so a fork never duplicates buffered text.
 *
 * Under QEMU -icount shift=0 one nanosecond of guest time is one guest
 * instruction, so the ns figures read as instructions per operation (-d
 * only says so in the header; the counting is QEMU's).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <rustos/ipc.h>
#include <rustos/service.h>
#include <rustos/syscalls.h>

#define BENCH_VERSION	1
#define MAX_REPS	1000
#define MAX_ITERS	10000000ul
#define PAGE		4096
#define IOSZ		4096

extern char **environ;

/* Iteration classes: a fork costs ~1000 times a getpid. */
enum { CLS_FAST, CLS_MED, CLS_SLOW, NCLS };

struct sample {
	uint64_t	t0, c0;
	uint64_t	ns, tsc;	/* elapsed over the timed part */
};

struct op {
	const char	*name;
	int		cls;
	const char	*what;
	int		(*run)(unsigned long, struct sample *);
};

static struct {
	unsigned long	iters[NCLS];
	unsigned	reps, warmup;
	const char	*file, *truepath;
	int		deterministic, use_tsc;
	unsigned long	ipc_service;
} cfg = {
	{ 2000, 200, 10 }, 5, 1, "/apps/bench/bench.elf",
	"/apps/bench/true.elf", 0, 1, IPC_SERVICE_PROCD
};

/* The failing call of the current operation, for its n/a line. */
static char reason[96];

static void
out(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	size_t off, len;
	ssize_t w;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	len = (size_t)n < sizeof(buf) - 1 ? (size_t)n : sizeof(buf) - 2;
	buf[len++] = '\n';
	for (off = 0; off < len; off += (size_t)w) {
		w = write(1, buf + off, len - off);
		if (w <= 0 && errno != EINTR)
			return;
		if (w < 0)
			w = 0;
	}
}

static const char *
errname(int e)
{
	static char other[16];
	static const struct { int e; const char *n; } t[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
		{ EINTR, "EINTR" }, { EIO, "EIO" }, { E2BIG, "E2BIG" },
		{ ENOEXEC, "ENOEXEC" }, { EBADF, "EBADF" },
		{ ECHILD, "ECHILD" }, { EAGAIN, "EAGAIN" },
		{ ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
		{ EFAULT, "EFAULT" }, { EEXIST, "EEXIST" },
		{ ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" },
		{ EINVAL, "EINVAL" }, { ENFILE, "ENFILE" },
		{ EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" },
		{ EROFS, "EROFS" }, { EPIPE, "EPIPE" },
		{ ENAMETOOLONG, "ENAMETOOLONG" }, { ENOSYS, "ENOSYS" },
		{ EPROTO, "EPROTO" }, { ENOTSOCK, "ENOTSOCK" },
		{ EPROTONOSUPPORT, "EPROTONOSUPPORT" },
		{ EOPNOTSUPP, "EOPNOTSUPP" },
		{ EAFNOSUPPORT, "EAFNOSUPPORT" }, { ENOBUFS, "ENOBUFS" },
		{ ENOTCONN, "ENOTCONN" }, { ETIMEDOUT, "ETIMEDOUT" },
		{ ECONNREFUSED, "ECONNREFUSED" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].e == e)
			return (t[i].n);
	snprintf(other, sizeof(other), "errno%d", e);
	return (other);
}

/* Records why the operation is n/a; returns -1 for `return (fail(...))`. */
static int
fail(const char *call, int e)
{
	snprintf(reason, sizeof(reason), "%s:%s", call, errname(e));
	return (-1);
}

static int
fail_msg(const char *call, const char *what)
{
	snprintf(reason, sizeof(reason), "%s:%s", call, what);
	return (-1);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return (0);
	return ((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
}

static uint64_t
tsc(void)
{
	uint32_t lo, hi;

	if (!cfg.use_tsc)
		return (0);
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (((uint64_t)hi << 32) | lo);
}

static void
begin(struct sample *s)
{
	s->c0 = tsc();
	s->t0 = now_ns();
}

static void
end(struct sample *s)
{
	uint64_t t = now_ns(), c = tsc();

	s->ns = t - s->t0;
	s->tsc = c - s->c0;
}

/* Reaps pid; a child that did not exit with 0 makes the operation n/a. */
static int
reap(pid_t pid, const char *what)
{
	int st;
	pid_t r;

	do
		r = waitpid(pid, &st, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return (fail("waitpid", errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		char m[32];

		snprintf(m, sizeof(m), "%s-status-%d", what,
		    WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
		return (fail_msg("waitpid", m));
	}
	return (0);
}

static int
op_getpid(unsigned long n, struct sample *s)
{
	unsigned long i;

	begin(s);
	for (i = 0; i < n; i++)
		(void)getpid();
	end(s);
	return (0);
}

static int
op_clock(unsigned long n, struct sample *s)
{
	struct timespec ts;
	unsigned long i;

	begin(s);
	for (i = 0; i < n; i++)
		if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
			return (fail("clock_gettime", errno));
	end(s);
	return (0);
}

static char iobuf[IOSZ];

static int
op_pread(unsigned long n, struct sample *s)
{
	unsigned long i;
	ssize_t r;
	int fd;

	fd = open(cfg.file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return (fail("open", errno));
	/* The first read brings the file into the cache before timing. */
	r = pread(fd, iobuf, IOSZ, 0);
	if (r != IOSZ) {
		close(fd);
		return (r < 0 ? fail("pread", errno) : fail_msg("pread",
		    "short"));
	}
	begin(s);
	for (i = 0; i < n; i++)
		if (pread(fd, iobuf, IOSZ, 0) != IOSZ) {
			r = errno;
			close(fd);
			return (fail("pread", (int)r));
		}
	end(s);
	close(fd);
	return (0);
}

static int
op_open_read_close(unsigned long n, struct sample *s)
{
	unsigned long i;
	ssize_t r;
	int fd;

	begin(s);
	for (i = 0; i < n; i++) {
		fd = open(cfg.file, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return (fail("open", errno));
		r = read(fd, iobuf, IOSZ);
		if (r != IOSZ) {
			int e = errno;

			close(fd);
			return (r < 0 ? fail("read", e) : fail_msg("read",
			    "short"));
		}
		if (close(fd) != 0)
			return (fail("close", errno));
	}
	end(s);
	return (0);
}

/*
 * A child that echoes one byte per round trip until its input ends; shared
 * by the pipe and socketpair ping-pongs.
 */
static void
echo_child(int rfd, int wfd)
{
	char c;

	while (read(rfd, &c, 1) == 1)
		if (write(wfd, &c, 1) != 1)
			_exit(3);
	_exit(0);
}

static void
close4(int a, int b, int c, int d)
{
	close(a);
	if (b != a)
		close(b);
	close(c);
	if (d != c)
		close(d);
}

/*
 * Round trips of one byte: the parent writes on pw and reads on pr, the
 * forked child echoes from cr to cw (pw == pr and cr == cw for a socket).
 */
static int
pingpong(unsigned long n, struct sample *s, int pw, int pr, int cr, int cw)
{
	unsigned long i;
	pid_t pid;
	char c = 'x';
	int e;

	pid = fork();
	if (pid < 0) {
		e = errno;
		close4(pw, pr, cr, cw);
		return (fail("fork", e));
	}
	if (pid == 0) {
		close(pw);
		if (pr != pw)
			close(pr);
		echo_child(cr, cw);
	}
	close(cr);
	if (cw != cr)
		close(cw);
	begin(s);
	for (i = 0; i < n; i++)
		if (write(pw, &c, 1) != 1 || read(pr, &c, 1) != 1) {
			e = errno != 0 ? errno : EPIPE;
			close(pw);
			if (pr != pw)
				close(pr);
			(void)reap(pid, "echo");
			return (fail("pingpong", e));
		}
	end(s);
	/* End of input ends the child. */
	if (pw == pr)
		shutdown(pw, SHUT_WR);
	else
		close(pw);
	e = reap(pid, "echo");
	close(pr);
	return (e);
}

static int
op_pipe(unsigned long n, struct sample *s)
{
	int to[2], from[2], e;

	if (pipe(to) != 0)
		return (fail("pipe", errno));
	if (pipe(from) != 0) {
		e = errno;
		close(to[0]);
		close(to[1]);
		return (fail("pipe", e));
	}
	return (pingpong(n, s, to[1], from[0], to[0], from[1]));
}

static int
op_socketpair(unsigned long n, struct sample *s)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return (fail("socketpair", errno));
	return (pingpong(n, s, sv[0], sv[0], sv[1], sv[1]));
}

static int
op_yield(unsigned long n, struct sample *s)
{
	unsigned long i;

	begin(s);
	for (i = 0; i < n; i++)
		if (sched_yield() != 0)
			return (fail("sched_yield", errno));
	end(s);
	return (0);
}

static int
op_mmap(unsigned long n, struct sample *s)
{
	unsigned long i;
	void *p;

	begin(s);
	for (i = 0; i < n; i++) {
		p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return (fail("mmap", errno));
		if (munmap(p, PAGE) != 0)
			return (fail("munmap", errno));
	}
	end(s);
	return (0);
}

/* n pages are mapped untouched; the timed loop writes one byte to each. */
static int
op_pagefault(unsigned long n, struct sample *s)
{
	volatile char *p;
	unsigned long i;

	if (n > (1ul << 30) / PAGE)
		return (fail("mmap", E2BIG));
	p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return (fail("mmap", errno));
	begin(s);
	for (i = 0; i < n; i++)
		p[i * PAGE] = 1;
	end(s);
	if (munmap((void *)p, n * PAGE) != 0)
		return (fail("munmap", errno));
	return (0);
}

static int
op_fork(unsigned long n, struct sample *s)
{
	unsigned long i;
	pid_t pid;

	begin(s);
	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0)
			return (fail("fork", errno));
		if (pid == 0)
			_exit(0);
		if (reap(pid, "child") != 0)
			return (-1);
	}
	end(s);
	return (0);
}

/*
 * The program to start must be there, or every child would fail with 127;
 * checked with open() (which every system here has) rather than stat().
 */
static int
have_true(void)
{
	int fd;

	fd = open(cfg.truepath, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return (fail("open", errno));
	close(fd);
	return (0);
}

static int
op_fork_exec(unsigned long n, struct sample *s)
{
	char *argv[] = { (char *)cfg.truepath, NULL };
	unsigned long i;
	pid_t pid;

	if (have_true() != 0)
		return (-1);
	begin(s);
	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0)
			return (fail("fork", errno));
		if (pid == 0) {
			execve(cfg.truepath, argv, environ);
			_exit(127);
		}
		if (reap(pid, "exec") != 0)
			return (-1);
	}
	end(s);
	return (0);
}

static int
op_spawn(unsigned long n, struct sample *s)
{
	char *argv[] = { (char *)cfg.truepath, NULL };
	unsigned long i;
	pid_t pid;
	int e;

	if (have_true() != 0)
		return (-1);
	begin(s);
	for (i = 0; i < n; i++) {
		e = posix_spawn(&pid, cfg.truepath, NULL, NULL, argv, environ);
		if (e != 0)
			return (fail("posix_spawn", e));
		if (reap(pid, "spawn") != 0)
			return (-1);
	}
	end(s);
	return (0);
}

/*
 * RustOS-native call/reply round trip (PING on a service, as
 * apps/ipcbench): n/a on Linux, where the RustOS syscalls are -ENOSYS.
 */
static int
op_ipc(unsigned long n, struct sample *s)
{
	struct rustos_service_request_header q = {
		RUSTOS_SERVICE_PROTOCOL_VERSION, RUSTOS_SERVICE_OP_PING,
		sizeof(q) };
	struct rustos_service_reply_header r;
	unsigned long i;
	long ep, k;

	ep = rustos_ipc_lookup_service((uint32_t)cfg.ipc_service, 64);
	if (ep < 0)
		return (fail("ipc_lookup", (int)-ep));
	if (ep == 0)
		return (fail_msg("ipc_lookup", "no-server"));
	begin(s);
	for (i = 0; i < n; i++) {
		k = rustos_sys_ipc_call((uint64_t)ep, &q, sizeof(q), &r,
		    sizeof(r));
		if (k < 0)
			return (fail("ipc_call", (int)-k));
		if (k < (long)sizeof(r) || r.status != 0)
			return (fail_msg("ipc_call", "bad-reply"));
	}
	end(s);
	return (0);
}

static const struct op ops[] = {
	{ "getpid", CLS_FAST, "getpid()", op_getpid },
	{ "clock_gettime", CLS_FAST, "clock_gettime(CLOCK_MONOTONIC)",
	    op_clock },
	{ "pread_4k", CLS_FAST, "pread 4 KiB of a cached file", op_pread },
	{ "open_read_close", CLS_MED, "open + read 4 KiB + close",
	    op_open_read_close },
	{ "pipe_pingpong", CLS_MED, "pipe round trip between 2 processes",
	    op_pipe },
	{ "unix_pingpong", CLS_MED, "AF_UNIX socketpair round trip",
	    op_socketpair },
	{ "sched_yield", CLS_FAST, "sched_yield()", op_yield },
	{ "mmap_munmap_4k", CLS_MED, "mmap + munmap 4 KiB anonymous",
	    op_mmap },
	{ "page_fault", CLS_MED, "first touch of an anonymous page",
	    op_pagefault },
	{ "fork_exit_wait", CLS_SLOW, "fork + _exit + waitpid", op_fork },
	{ "fork_exec_wait", CLS_SLOW, "fork + execve static true + waitpid",
	    op_fork_exec },
	{ "posix_spawn", CLS_SLOW, "posix_spawn static true + waitpid",
	    op_spawn },
	{ "ipc_roundtrip", CLS_MED, "RustOS IPC call/reply (PING)", op_ipc },
};
#define NOPS	(sizeof(ops) / sizeof(ops[0]))

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y ? -1 : x > y);
}

/* Median of a sorted array (lower middle for an even count). */
static uint64_t
median(const uint64_t *v, unsigned n)
{
	return (v[(n - 1) / 2]);
}

static void
run_op(const struct op *o)
{
	uint64_t ns[MAX_REPS], tc[MAX_REPS];
	unsigned long n = cfg.iters[o->cls];
	struct sample s;
	unsigned r, k;

	reason[0] = '\0';
	for (r = 0, k = 0; r < cfg.warmup + cfg.reps; r++) {
		memset(&s, 0, sizeof(s));
		errno = 0;
		if (o->run(n, &s) != 0) {
			out("BENCH %s n/a reason=%s", o->name,
			    reason[0] != '\0' ? reason : "failed");
			return;
		}
		if (r < cfg.warmup)
			continue;
		/* Round to the nearest unit per iteration. */
		ns[k] = (s.ns + n / 2) / n;
		tc[k] = (s.tsc + n / 2) / n;
		k++;
	}
	qsort(ns, k, sizeof(ns[0]), cmp_u64);
	qsort(tc, k, sizeof(tc[0]), cmp_u64);
	out("BENCH %s iters=%lu min_ns=%llu med_ns=%llu reps=%u min_tsc=%llu "
	    "med_tsc=%llu", o->name, n, (unsigned long long)ns[0],
	    (unsigned long long)median(ns, k), k,
	    (unsigned long long)tc[0], (unsigned long long)median(tc, k));
}

static void
usage(FILE *f)
{
	fprintf(f,
"usage: bench [-dlT] [-i FAST] [-m MEDIUM] [-s SLOW] [-r REPS] [-w WARMUP]\n"
"             [-f FILE] [-t TRUE] [-p SERVICE] [-o OP,...]\n"
"  -i N   iterations per repetition of the fast ops (default 2000)\n"
"  -m N   ... of the medium ops: files, ping-pongs, mmap, faults (200)\n"
"  -s N   ... of the process ops: fork, exec, spawn (10)\n"
"  -r N   timed repetitions (5), -w N warm-up repetitions (1)\n"
"  -f F   file for pread/open (/apps/bench/bench.elf, >= 4 KiB)\n"
"  -t T   static program that exits 0 (/apps/bench/true.elf)\n"
"  -p ID  RustOS service id for ipc_roundtrip (procd)\n"
"  -o L   comma list of operations to run (default all; -l lists them)\n"
"  -d     deterministic mode header: figures read as instructions when\n"
"         QEMU runs with -icount shift=0,sleep=off\n"
"  -T     do not use rdtsc (min_tsc/med_tsc print 0)\n");
}

static int
number(const char *s, unsigned long lo, unsigned long hi, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return (-1);
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || *v < lo || *v > hi)
		return (-1);
	return (0);
}

/* Is name an item of the comma list (NULL: every name)? */
static int
selected(const char *list, const char *name)
{
	const char *p;
	size_t l;

	if (list == NULL)
		return (1);
	for (p = list;; p += l + 1) {
		l = strcspn(p, ",");
		if (l == strlen(name) && strncmp(p, name, l) == 0)
			return (1);
		if (p[l] == '\0')
			return (0);
	}
}

int
main(int argc, char **argv)
{
	const char *only = NULL, *p;
	unsigned long v;
	size_t i, l;
	int c, found;

	while ((c = getopt(argc, argv, "di:lm:o:p:r:s:t:f:Tw:h")) != -1) {
		switch (c) {
		case 'i': case 'm': case 's':
			if (number(optarg, 1, MAX_ITERS, &v) != 0) {
				fprintf(stderr, "bench: -%c: expected 1..%lu, "
				    "got '%s'\n", c, MAX_ITERS, optarg);
				return (2);
			}
			cfg.iters[c == 'i' ? CLS_FAST : c == 'm' ? CLS_MED :
			    CLS_SLOW] = v;
			break;
		case 'r': case 'w':
			if (number(optarg, c == 'r' ? 1 : 0, MAX_REPS / 2,
			    &v) != 0) {
				fprintf(stderr, "bench: -%c: expected %d..%d, "
				    "got '%s'\n", c, c == 'r', MAX_REPS / 2,
				    optarg);
				return (2);
			}
			if (c == 'r')
				cfg.reps = (unsigned)v;
			else
				cfg.warmup = (unsigned)v;
			break;
		case 'p':
			if (number(optarg, 1, IPC_SERVICE_ID_MAX, &v) != 0) {
				fprintf(stderr, "bench: -p: expected a service "
				    "id 1..%d, got '%s'\n", IPC_SERVICE_ID_MAX,
				    optarg);
				return (2);
			}
			cfg.ipc_service = v;
			break;
		case 'f': cfg.file = optarg; break;
		case 't': cfg.truepath = optarg; break;
		case 'o': only = optarg; break;
		case 'd': cfg.deterministic = 1; break;
		case 'T': cfg.use_tsc = 0; break;
		case 'l':
			for (i = 0; i < NOPS; i++)
				printf("%-16s %s\n", ops[i].name, ops[i].what);
			return (0);
		case 'h':
			usage(stdout);
			return (0);
		default:
			usage(stderr);
			return (2);
		}
	}
	if (optind != argc) {
		fprintf(stderr, "bench: unexpected argument '%s'\n",
		    argv[optind]);
		return (2);
	}
	/* Every name in -o must exist: a typo is not a silent no-op. */
	for (p = only; p != NULL && *p != '\0'; p += l + (p[l] != '\0')) {
		l = strcspn(p, ",");
		for (i = 0, found = 0; i < NOPS; i++)
			found |= strlen(ops[i].name) == l &&
			    strncmp(ops[i].name, p, l) == 0;
		if (!found) {
			fprintf(stderr, "bench: -o: unknown operation "
			    "'%.*s' (-l lists them)\n", (int)l, p);
			return (2);
		}
	}
	/* Children must not be left behind by a failed ping-pong write. */
	signal(SIGPIPE, SIG_IGN);
	out("BENCH-INFO version=%d mode=%s reps=%u warmup=%u iters=%lu/%lu/%lu "
	    "clock=monotonic tsc=%s", BENCH_VERSION,
	    cfg.deterministic ? "icount" : "time", cfg.reps, cfg.warmup,
	    cfg.iters[CLS_FAST], cfg.iters[CLS_MED], cfg.iters[CLS_SLOW],
	    cfg.use_tsc ? "rdtsc" : "off");
	if (cfg.deterministic)
		out("BENCH-INFO under -icount shift=0 one ns of guest time is "
		    "one guest instruction: *_ns read as instructions per op");
	for (i = 0; i < NOPS; i++)
		if (selected(only, ops[i].name))
			run_op(&ops[i]);
	out("BENCH-DONE");
	return (0);
}
