/*
 * cases_vdso.c -- psuite cases for the vDSO (AT_SYSINFO_EHDR): a valid
 * ELF with the LINUX_2.6 time symbols, vDSO CLOCK_MONOTONIC never behind
 * the clock_gettime syscall when the two are interleaved, realtime,
 * gettimeofday and time agreeing with the syscall clock (a tolerance
 * about correctness, not speed), fork keeping and exec renewing the
 * mapping, and (RustOS) the vvar page and the image never writable.
 * The same cases run on the build host against Linux's vDSO.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "psuite.h"
#include "vdsosym.h"

typedef int (*cgt_fn)(clockid_t, struct timespec *);
typedef int (*gtod_fn)(struct timeval *, void *);
typedef time_t (*time_fn)(time_t *);
typedef int (*getcpu_fn)(unsigned *, unsigned *, void *);

/* Correctness bound between two reads of the same clock (not speed). */
#define AGREE_NS	(50LL * 1000000)

static void *
need(const char *name)
{
	const char *why;
	void *f = vdso_sym(name, "LINUX_2.6", &why);

	CHECK(f != NULL, "%s@LINUX_2.6: %s", name, why);
	return (f);
}

static long long
ts_ns(const struct timespec *t)
{
	return ((long long)t->tv_sec * 1000000000LL + t->tv_nsec);
}

static void
sys_clock(clockid_t c, struct timespec *t)
{
	long r = syscall(SYS_clock_gettime, c, t);

	CHECK(r == 0, "syscall clock_gettime(%d): %s", (int)c,
	    strerror(errno));
}

static void
vdso_symbols(void)
{
	static const char *const names[] = { "__vdso_clock_gettime",
	    "__vdso_gettimeofday", "__vdso_time", "__vdso_getcpu",
	    "__vdso_clock_getres" };
	const char *why;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		(void)need(names[i]);
	CHECK(vdso_sym("__vdso_clock_gettime", "LINUX_9.9", &why) == NULL,
	    "a wrong version matched");
	CHECK(vdso_sym("__vdso_no_such_call", NULL, &why) == NULL,
	    "a missing name matched");
}

static void
vdso_monotonic_interleave(void)
{
	cgt_fn cgt = (cgt_fn)need("__vdso_clock_gettime");
	struct timespec t;
	long long last = 0, now;
	int i;

	for (i = 0; i < 10000; i++) {
		if (i % 2 == 0)
			CHECK(cgt(CLOCK_MONOTONIC, &t) == 0,
			    "vdso call failed");
		else
			sys_clock(CLOCK_MONOTONIC, &t);
		CHECK(t.tv_nsec >= 0 && t.tv_nsec < 1000000000L,
		    "tv_nsec %ld", t.tv_nsec);
		now = ts_ns(&t);
		CHECK(now >= last, "step %d (%s) went back %lld ns", i,
		    i % 2 == 0 ? "vdso" : "syscall", last - now);
		last = now;
	}
}

static void
vdso_realtime_agrees(void)
{
	cgt_fn cgt = (cgt_fn)need("__vdso_clock_gettime");
	gtod_fn gtod = (gtod_fn)need("__vdso_gettimeofday");
	time_fn vtime = (time_fn)need("__vdso_time");
	getcpu_fn gcpu = (getcpu_fn)need("__vdso_getcpu");
	cgt_fn getres = (cgt_fn)need("__vdso_clock_getres");
	struct timespec a, b, s;
	struct timeval tv;
	time_t t1, t2;
	unsigned cpu = 9999, node = 9999;
	long long d;

	CHECK(cgt(CLOCK_REALTIME, &a) == 0, "vdso CLOCK_REALTIME failed");
	sys_clock(CLOCK_REALTIME, &s);
	d = ts_ns(&s) - ts_ns(&a);
	CHECK(d > -AGREE_NS && d < AGREE_NS,
	    "syscall realtime - vdso = %lld ns", d);
	CHECK(gtod(&tv, NULL) == 0, "vdso gettimeofday failed");
	sys_clock(CLOCK_REALTIME, &b);
	d = ts_ns(&b) - ((long long)tv.tv_sec * 1000000000LL +
	    tv.tv_usec * 1000LL);
	CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000 && d > -AGREE_NS &&
	    d < AGREE_NS, "gettimeofday %lld.%06ld vs realtime: %lld ns",
	    (long long)tv.tv_sec, (long)tv.tv_usec, d);
	t1 = vtime(&t2);
	sys_clock(CLOCK_REALTIME, &b);
	CHECK(t1 == t2 && t1 <= b.tv_sec && b.tv_sec - t1 <= 1,
	    "time %lld/%lld vs realtime %lld", (long long)t1, (long long)t2,
	    (long long)b.tv_sec);
	/* The syscalls behind them say the same. */
	CHECK(syscall(SYS_gettimeofday, &tv, NULL) == 0,
	    "syscall gettimeofday: %s", strerror(errno));
	sys_clock(CLOCK_REALTIME, &b);
	d = ts_ns(&b) - ((long long)tv.tv_sec * 1000000000LL +
	    tv.tv_usec * 1000LL);
	CHECK(d > -AGREE_NS && d < AGREE_NS, "syscall gettimeofday vs "
	    "realtime: %lld ns", d);
	t1 = vtime(NULL);
	t2 = (time_t)syscall(SYS_time, NULL);
	CHECK(t2 >= t1 && t2 - t1 <= 1, "syscall time %lld, vdso %lld",
	    (long long)t2, (long long)t1);
	CHECK(syscall(SYS_clock_getres, CLOCK_MONOTONIC, &a) == 0 &&
	    a.tv_sec == 0 && a.tv_nsec > 0 && a.tv_nsec <= 10000000L,
	    "syscall clock_getres");
	CHECK(gcpu(&cpu, &node, NULL) == 0, "vdso getcpu failed");
	CHECK(cpu < 4096 && node < 4096, "getcpu cpu %u node %u", cpu, node);
	{
		unsigned scpu = 9999, snode = 9999;

		CHECK(syscall(SYS_getcpu, &scpu, &snode, NULL) == 0 &&
		    scpu < 4096 && snode < 4096, "syscall getcpu: %s",
		    strerror(errno));
	}
	a.tv_sec = a.tv_nsec = -1;
	CHECK(getres(CLOCK_MONOTONIC, &a) == 0 && a.tv_sec == 0 &&
	    a.tv_nsec > 0 && a.tv_nsec <= 10000000L,
	    "clock_getres %lld.%09ld", (long long)a.tv_sec, a.tv_nsec);
	/* A clock the vvar does not describe takes the syscall. */
	CHECK(cgt(CLOCK_PROCESS_CPUTIME_ID, &a) == 0 && a.tv_nsec >= 0 &&
	    a.tv_nsec < 1000000000L, "vdso CLOCK_PROCESS_CPUTIME_ID");
	CHECK(cgt(-77, &a) == -EINVAL, "bad clock: want -EINVAL");
}

static int
fork_child_reads(void *arg)
{
	cgt_fn cgt = (cgt_fn)arg;
	struct timespec t, s;

	if (cgt(CLOCK_MONOTONIC, &t) != 0)
		return (2);
	if (syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &s) != 0)
		return (3);
	return (ts_ns(&s) >= ts_ns(&t) ? 0 : 4);
}

static void
vdso_fork_exec(void)
{
	cgt_fn cgt = (cgt_fn)need("__vdso_clock_gettime");
	char *av[] = { (char *)ps_helper, "vdso", NULL };
	char *ev[] = { NULL };
	pid_t pid;

	/* fork: the same address works in the child. */
	ps_run_child("fork child vdso read", fork_child_reads, (void *)cgt);
	/* exec: the new image finds its own vDSO through its auxv. */
	pid = fork();
	CHECK(pid != -1, "fork: %s", strerror(errno));
	if (pid == 0) {
		execve(ps_helper, av, ev);
		_exit(127);
	}
	ps_expect_exit("psuite-child vdso", ps_wait(pid), 0);
}

static int
on_rustos(void)
{
	struct utsname u;

	return (uname(&u) == 0 && strstr(u.release, "rustos") != NULL);
}

static int
write_vvar(void *arg)
{
	*(volatile char *)arg = 1;
	return (0);
}

static void
vdso_sealed(void)
{
	char *eh = (char *)getauxval(AT_SYSINFO_EHDR);
	char *vvar = eh - 4096;
	pid_t pid;
	int fd[2];

	if (!on_rustos())
		ps_skip("the vvar position and sealing are RustOS's");
	CHECK(eh != NULL, "no AT_SYSINFO_EHDR");
	CHECK_ERRNO(mprotect(vvar, 4096, PROT_READ | PROT_WRITE), EACCES);
	CHECK_ERRNO(mprotect(eh, 4096, PROT_READ | PROT_WRITE | PROT_EXEC),
	    EACCES);
	CHECK(mremap(eh, 4096, 1 << 20, 0) == MAP_FAILED,
	    "the vDSO grew in place");
	/* The kernel's copy-out honours the page's prot too. */
	CHECK_OK(pipe(fd));
	CHECK(write(fd[1], "xxxxxxxx", 8) == 8, "pipe write");
	CHECK_ERRNO(read(fd[0], vvar + 64, 8), EFAULT);
	close(fd[0]);
	close(fd[1]);
	pid = ps_spawn(write_vvar, vvar);
	ps_expect_signal("write to vvar", ps_wait(pid), SIGSEGV);
	/* Still intact for this process. */
	vdso_monotonic_interleave();
}

const struct ps_case ps_cases_vdso[] = {
	{ "vdso_symbols", vdso_symbols, 0 },
	{ "vdso_monotonic_interleave", vdso_monotonic_interleave, 0 },
	{ "vdso_realtime_agrees", vdso_realtime_agrees, 0 },
	{ "vdso_fork_exec", vdso_fork_exec, 0 },
	{ "vdso_sealed", vdso_sealed, 0 },
	{ NULL, NULL, 0 }
};
