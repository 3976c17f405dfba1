/*
 * cases_thr.c -- thread, futex and vfork cases of psuite beyond the
 * pthread basics of cases_mm.c: raw clone with the tid words
 * (PARENT_SETTID, CHILD_SETTID, CHILD_CLEARTID + futex wake at exit),
 * clone flag combinations Linux refuses (EINVAL), futex errors and
 * timeouts (EFAULT, EINVAL, ETIMEDOUT for relative and absolute bitset
 * waits), a thread's fault ending the whole process, the process living
 * on after its main thread exits, tgkill targeting, a robust mutex whose
 * owner died, execve ending the other threads, a process-directed signal
 * taken by the thread that does not block it, per-thread sigaltstack,
 * vfork suspending the parent, and the static glibc programs (hello world
 * and a pthread program) staged next to psuite-child.  Every case passes
 * on the Linux build host too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "psuite.h"

/* From the Linux UAPI <linux/futex.h> (musl does not install it). */
#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_WAIT_BITSET	9
#define FUTEX_PRIVATE		128
#define FUTEX_CLOCK_RT		256

static long
futex(void *uaddr, int op, int val, const struct timespec *ts, void *uaddr2,
    int val3)
{

	return (syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3));
}

/* ---- raw clone and the tid words ---- */

static atomic_int child_ran;
static volatile pid_t ptid_word, ctid_word;
static volatile long child_gettid;

static int
raw_child(void *arg)
{

	/* No TLS of our own (no CLONE_SETTLS): raw syscalls only. */
	child_gettid = syscall(SYS_gettid);
	atomic_store(&child_ran, 1);
	return (0);
}

static void
clone_tid_words(void)
{
	size_t sz = 64 * 1024;
	char *stack;
	pid_t tid;
	int i;

	stack = mmap(NULL, sz, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(stack != MAP_FAILED, "mmap: %s", strerror(errno));
	ctid_word = -1;
	tid = clone(raw_child, stack + sz, CLONE_VM | CLONE_FS | CLONE_FILES |
	    CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
	    CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID,
	    NULL, (pid_t *)&ptid_word, NULL, (pid_t *)&ctid_word);
	CHECK(tid > 0, "clone: %s", strerror(errno));
	CHECK(ptid_word == tid, "PARENT_SETTID wrote %d, clone returned %d",
	    (int)ptid_word, (int)tid);
	CHECK(tid != getpid(), "thread tid equals the pid");
	/* CHILD_CLEARTID: 0 and a futex wake when the thread is gone. */
	for (i = 0; i < 1000 && ctid_word != 0; i++) {
		pid_t v = ctid_word;

		if (v != 0)
			futex((void *)&ctid_word, FUTEX_WAIT, v,
			    &(struct timespec){ 0, 10000000 }, NULL, 0);
	}
	CHECK(ctid_word == 0, "CHILD_CLEARTID word still %d",
	    (int)ctid_word);
	CHECK(atomic_load(&child_ran) == 1, "the thread never ran");
	CHECK(child_gettid == tid, "thread's gettid %ld, clone said %d",
	    child_gettid, (int)tid);
	munmap(stack, sz);
}

static void
clone_bad_flags(void)
{

	/* Linux's rules: SIGHAND needs VM, THREAD needs SIGHAND. */
	CHECK_ERRNO(syscall(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0),
	    EINVAL);
	CHECK_ERRNO(syscall(SYS_clone, CLONE_THREAD | CLONE_VM, 0, 0, 0, 0),
	    EINVAL);
	CHECK_ERRNO(syscall(SYS_clone, CLONE_THREAD | CLONE_SIGHAND, 0, 0, 0,
	    0), EINVAL);
}

/* ---- futex errors and timeouts ---- */

static void
futex_errors(void)
{
	static atomic_int w;
	struct timespec bad = { 0, 1000000000L };
	char *m;

	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED, "mmap: %s", strerror(errno));
	CHECK_OK(munmap(m, 4096));
	/* A wait must read the word: an unmapped one is EFAULT. */
	CHECK_ERRNO(futex(m, FUTEX_WAIT | FUTEX_PRIVATE, 0, NULL, NULL, 0),
	    EFAULT);
	CHECK_ERRNO(futex(m, FUTEX_WAIT_BITSET | FUTEX_PRIVATE, 0, NULL, NULL,
	    -1), EFAULT);
	CHECK_ERRNO(futex(&w, FUTEX_WAIT | FUTEX_PRIVATE, 0, &bad, NULL, 0),
	    EINVAL);
	CHECK_ERRNO(futex(&w, FUTEX_WAIT_BITSET | FUTEX_PRIVATE, 0, NULL,
	    NULL, 0), EINVAL);
	/* CLOCK_REALTIME only goes with the waits. */
	CHECK_ERRNO(futex(&w, FUTEX_WAKE | FUTEX_CLOCK_RT, 1, NULL, NULL, 0),
	    ENOSYS);
}

/*
 * Wakes on bad addresses, as Linux: an address outside the user range
 * (a kernel or non-canonical one) is EFAULT for every futex; an unmapped
 * user word is EFAULT for a shared futex (keyed by the page it pins) but
 * just a futex nobody waits on (0 woken) for a private one.
 */
static void
futex_wake_fault(void)
{
	static atomic_int w, w2;
	void *kern = ps_addr(0xffffffff80000000ULL);
	void *noncanon = ps_addr(0x800000000000ULL);
	char *m;

	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED, "mmap: %s", strerror(errno));
	CHECK_OK(munmap(m, 4096));
	CHECK_ERRNO(futex(kern, FUTEX_WAKE, 1, NULL, NULL, 0), EFAULT);
	CHECK_ERRNO(futex(kern, FUTEX_WAKE | FUTEX_PRIVATE, 1, NULL, NULL, 0),
	    EFAULT);
	CHECK_ERRNO(futex(noncanon, FUTEX_WAKE | FUTEX_PRIVATE, 1, NULL, NULL,
	    0), EFAULT);
	CHECK_ERRNO(futex(noncanon, FUTEX_WAKE, 1, NULL, NULL, 0), EFAULT);
	CHECK_ERRNO(futex(m, FUTEX_WAKE, 1, NULL, NULL, 0), EFAULT);
	CHECK_ERRNO(futex(m, 10 /* WAKE_BITSET */, 1, NULL, NULL, -1),
	    EFAULT);
	CHECK(futex(m, FUTEX_WAKE | FUTEX_PRIVATE, 1, NULL, NULL, 0) == 0,
	    "private wake of an unmapped word: %s", strerror(errno));
	CHECK(futex(m, 10 | FUTEX_PRIVATE, 1, NULL, NULL, -1) == 0,
	    "private WAKE_BITSET of an unmapped word: %s", strerror(errno));
	/* Mapped words: 0 woken, shared or private. */
	CHECK(futex(&w, FUTEX_WAKE, 1, NULL, NULL, 0) == 0,
	    "shared wake of a mapped word: %s", strerror(errno));
	CHECK(futex(&w, FUTEX_WAKE | FUTEX_PRIVATE, 1, NULL, NULL, 0) == 0,
	    "private wake of a mapped word: %s", strerror(errno));
	/* CMP_REQUEUE (4) to an unmapped word: shared EFAULT, private 0. */
	CHECK_ERRNO(futex(&w, 4, 1, ps_addr(1), m, 0), EFAULT);
	CHECK(futex(&w, 4 | FUTEX_PRIVATE, 1, ps_addr(1), m, 0) == 0,
	    "private CMP_REQUEUE to an unmapped word: %s", strerror(errno));
	CHECK(futex(&w, 4, 1, ps_addr(1), &w2, 0) == 0,
	    "shared CMP_REQUEUE between mapped words: %s", strerror(errno));
}

static void
futex_timeouts(void)
{
	static atomic_int w;
	struct timespec rel = { 0, 20000000 }, abs, t0, t1;
	long r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = futex(&w, FUTEX_WAIT | FUTEX_PRIVATE, 0, &rel, NULL, 0);
	CHECK(r == -1 && errno == ETIMEDOUT, "relative wait: %ld %s", r,
	    strerror(errno));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK((t1.tv_sec - t0.tv_sec) * 1000000000L + t1.tv_nsec - t0.tv_nsec
	    >= 20000000L, "relative wait returned early");
	/* WAIT_BITSET: absolute, CLOCK_MONOTONIC unless CLOCK_REALTIME. */
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 10000000;
	if (abs.tv_nsec >= 1000000000L) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000L;
	}
	r = futex(&w, FUTEX_WAIT_BITSET | FUTEX_PRIVATE, 0, &abs, NULL, -1);
	CHECK(r == -1 && errno == ETIMEDOUT, "monotonic deadline: %ld %s", r,
	    strerror(errno));
	clock_gettime(CLOCK_REALTIME, &abs);
	abs.tv_nsec += 10000000;
	if (abs.tv_nsec >= 1000000000L) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000L;
	}
	r = futex(&w, FUTEX_WAIT_BITSET | FUTEX_PRIVATE | FUTEX_CLOCK_RT, 0,
	    &abs, NULL, -1);
	CHECK(r == -1 && errno == ETIMEDOUT, "realtime deadline: %ld %s", r,
	    strerror(errno));
	/*
	 * A deadline in the past times out at once (the clock's zero when
	 * it started less than ten seconds ago: tv_sec must not go negative).
	 */
	if (abs.tv_sec >= 10)
		abs.tv_sec -= 10;
	else
		abs.tv_sec = abs.tv_nsec = 0;
	r = futex(&w, FUTEX_WAIT_BITSET | FUTEX_PRIVATE | FUTEX_CLOCK_RT, 0,
	    &abs, NULL, -1);
	CHECK(r == -1 && errno == ETIMEDOUT, "past deadline: %ld %s", r,
	    strerror(errno));
}

/* A handled signal without SA_RESTART ends a futex wait with EINTR. */
static volatile pid_t eintr_main;
static atomic_int eintr_caught, eintr_done;

static void
on_eintr_sig(int s)
{

	atomic_store(&eintr_caught, 1);
}

static void *
eintr_sender(void *arg)
{
	int i;

	/* Until the wait returned: one may land before the wait begins. */
	for (i = 0; i < 200 && atomic_load(&eintr_done) == 0; i++) {
		ps_msleep(10);
		syscall(SYS_tgkill, getpid(), eintr_main, SIGUSR1);
	}
	return (NULL);
}

static void
futex_eintr(void)
{
	static atomic_int w;
	struct sigaction sa;
	pthread_t t;
	long r;
	int e;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_eintr_sig;	/* no SA_RESTART */
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	eintr_main = (pid_t)syscall(SYS_gettid);
	CHECK(pthread_create(&t, NULL, eintr_sender, NULL) == 0, "create");
	r = futex(&w, FUTEX_WAIT | FUTEX_PRIVATE, 0, NULL, NULL, 0);
	e = errno;
	atomic_store(&eintr_done, 1);
	pthread_join(t, NULL);
	CHECK(r == -1 && e == EINTR, "futex wait: %ld %s, want EINTR", r,
	    strerror(e));
	CHECK(atomic_load(&eintr_caught) == 1, "handler did not run");
}

/* A bitset wake reaches only waiters whose bits intersect. */
static atomic_int bw, bw_done;

static void *
bitset_waiter(void *arg)
{

	while (atomic_load(&bw) == 0)
		futex(&bw, FUTEX_WAIT_BITSET | FUTEX_PRIVATE, 0, NULL, NULL,
		    2);
	atomic_store(&bw_done, 1);
	return (NULL);
}

static void
futex_bitset_wake(void)
{
	pthread_t t;
	long r;
	int i;

	CHECK(pthread_create(&t, NULL, bitset_waiter, NULL) == 0, "create");
	for (i = 0; i < 200; i++) {
		ps_msleep(5);
		/* Bits 1 do not match the waiter's 2: nobody is woken. */
		r = futex(&bw, 10 /* WAKE_BITSET */ | FUTEX_PRIVATE, 1, NULL,
		    NULL, 1);
		CHECK(r == 0, "WAKE_BITSET with foreign bits woke %ld", r);
		/* Wait until it sleeps, then wake it with its bit. */
		atomic_store(&bw, 1);
		r = futex(&bw, 10 | FUTEX_PRIVATE, 1, NULL, NULL, 2);
		if (r == 1)
			break;
		atomic_store(&bw, 0);
	}
	pthread_join(t, NULL);
	CHECK(atomic_load(&bw_done) == 1, "waiter not released");
}

/* ---- process-wide effects of one thread ---- */

static void *
segv_worker(void *arg)
{

	ps_msleep(10);
	*(volatile int *)ps_addr(8) = 1;
	return (NULL);
}

static int
thread_segv_child(void *arg)
{
	pthread_t t;

	if (pthread_create(&t, NULL, segv_worker, NULL) != 0)
		return (1);
	for (;;)
		pause();
}

static void
thread_segv_kills_process(void)
{

	ps_expect_signal("a thread's SIGSEGV ends the whole process",
	    ps_wait(ps_spawn(thread_segv_child, NULL)), SIGSEGV);
}

static void *
late_worker(void *arg)
{

	ps_msleep(30);
	exit(5);
}

static int
main_exits_child(void *arg)
{
	pthread_t t;

	if (pthread_create(&t, NULL, late_worker, NULL) != 0)
		return (1);
	/* Only the main thread ends; the worker decides the status. */
	syscall(SYS_exit, 9);
	return (2);
}

static void
thread_main_exit_process_lives(void)
{

	ps_expect_exit("the process outlives its main thread",
	    ps_wait(ps_spawn(main_exits_child, NULL)), 5);
}

static atomic_int tgkill_hits;
static volatile long tgkill_target;

static void
on_usr2(int s)
{

	if (syscall(SYS_gettid) == tgkill_target)
		atomic_fetch_add(&tgkill_hits, 1);
}

static void *
spin_worker(void *arg)
{
	int i;

	tgkill_target = syscall(SYS_gettid);
	for (i = 0; i < 2000 && atomic_load(&tgkill_hits) == 0; i++)
		ps_msleep(1);
	return (NULL);
}

static void
tgkill_errors_and_target(void)
{
	struct sigaction sa;
	pthread_t t;
	int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr2;
	CHECK_OK(sigaction(SIGUSR2, &sa, NULL));
	CHECK(pthread_create(&t, NULL, spin_worker, NULL) == 0, "create");
	for (i = 0; i < 2000 && tgkill_target == 0; i++)
		ps_msleep(1);
	/* The thread's tid under another tgid is no thread of that group. */
	CHECK_ERRNO(syscall(SYS_tgkill, getppid(), tgkill_target, 0), ESRCH);
	CHECK_ERRNO(syscall(SYS_tgkill, getpid(), tgkill_target, 65), EINVAL);
	CHECK_ERRNO(syscall(SYS_tgkill, getpid(), 0, SIGUSR2), EINVAL);
	CHECK_OK(syscall(SYS_tgkill, getpid(), tgkill_target, 0));
	CHECK_OK(syscall(SYS_tgkill, getpid(), tgkill_target, SIGUSR2));
	pthread_join(t, NULL);
	CHECK(atomic_load(&tgkill_hits) == 1, "handler ran %d times on the "
	    "target thread", (int)atomic_load(&tgkill_hits));
	/* A gone thread: ESRCH (join may return just before it is gone). */
	for (i = 0; i < 1000 && syscall(SYS_tgkill, getpid(), tgkill_target,
	    0) == 0; i++)
		ps_msleep(1);
	CHECK_ERRNO(syscall(SYS_tgkill, getpid(), tgkill_target, 0), ESRCH);
}

/*
 * kill() and sigqueue() with a non-main thread's tid: Linux finds the
 * task by that number and signals its whole thread group (process-
 * directed), from the process itself and from another one.
 */
static atomic_int ktid_hits;
static volatile long *ktid_word;

static void
on_usr1_count(int s)
{

	atomic_fetch_add(&ktid_hits, 1);
}

static void *
ktid_worker(void *arg)
{

	*ktid_word = syscall(SYS_gettid);
	for (;;)
		pause();
	return (NULL);
}

static int
ktid_child(void *arg)
{
	pthread_t t;

	if (pthread_create(&t, NULL, ktid_worker, NULL) != 0)
		return (1);
	for (;;)
		pause();
}

static void *
ktid_idle(void *arg)
{
	int i;

	*ktid_word = syscall(SYS_gettid);
	for (i = 0; i < 5000 && atomic_load(&ktid_hits) < 2; i++)
		ps_msleep(1);
	return (NULL);
}

static void
kill_thread_tid(void)
{
	struct sigaction sa;
	union sigval v;
	pthread_t t;
	pid_t pid;
	long tid;
	int i;

	ktid_word = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED |
	    MAP_ANONYMOUS, -1, 0);
	CHECK(ktid_word != MAP_FAILED, "mmap: %s", strerror(errno));
	/* Another process: SIGTERM to its second thread ends all of it. */
	*ktid_word = 0;
	pid = ps_spawn(ktid_child, NULL);
	for (i = 0; i < 5000 && *ktid_word == 0; i++)
		ps_msleep(1);
	tid = *ktid_word;
	CHECK(tid > 0 && tid != pid, "worker tid %ld (pid %d)", tid,
	    (int)pid);
	CHECK(kill((pid_t)tid, 0) == 0, "kill(tid, 0): %s", strerror(errno));
	CHECK(kill((pid_t)tid, SIGTERM) == 0, "kill(tid, SIGTERM): %s",
	    strerror(errno));
	ps_expect_signal("kill() with a thread's tid ends its process",
	    ps_wait(pid), SIGTERM);
	/* The own process: kill and sigqueue by a thread's tid. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1_count;
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	*ktid_word = 0;
	CHECK(pthread_create(&t, NULL, ktid_idle, NULL) == 0, "create");
	for (i = 0; i < 5000 && *ktid_word == 0; i++)
		ps_msleep(1);
	tid = *ktid_word;
	CHECK(tid > 0 && tid != getpid(), "own worker tid %ld", tid);
	CHECK(kill((pid_t)tid, SIGUSR1) == 0, "own kill(tid): %s",
	    strerror(errno));
	v.sival_int = 7;
	CHECK(sigqueue((pid_t)tid, SIGUSR1, v) == 0, "sigqueue(tid): %s",
	    strerror(errno));
	for (i = 0; i < 5000 && atomic_load(&ktid_hits) < 2; i++)
		ps_msleep(1);
	pthread_join(t, NULL);
	/*
	 * Both are process-directed: one pending SIGUSR1 at a time, so the
	 * second may merge with the first if neither was taken yet.
	 */
	CHECK(atomic_load(&ktid_hits) >= 1, "handler never ran");
	/* A gone thread's tid names nothing. */
	for (i = 0; i < 1000 && kill((pid_t)tid, 0) == 0; i++)
		ps_msleep(1);
	CHECK_ERRNO(kill((pid_t)tid, 0), ESRCH);
}

/*
 * procd's limit of 256 threads per process (RustOS only: Linux bounds
 * threads by RLIMIT_NPROC and threads-max, not per process).  A child
 * creates threads until pthread_create fails; that must be EAGAIN with
 * the main thread plus 255 others alive, and the process must still work
 * afterwards: once the threads are gone a new one can be created, and
 * fork still works.
 */
#define TLIM_MAX	300
static atomic_int tlim_go;

static void *
tlim_worker(void *arg)
{

	while (atomic_load(&tlim_go) == 0)
		futex(&tlim_go, FUTEX_WAIT | FUTEX_PRIVATE, 0, NULL, NULL, 0);
	return (NULL);
}

static int
tlim_child(void *arg)
{
	static pthread_t t[TLIM_MAX];
	pthread_attr_t a;
	pthread_t extra;
	pid_t pid;
	int i, n, e = 0, st;

	if (pthread_attr_init(&a) != 0 ||
	    pthread_attr_setstacksize(&a, 16384) != 0)
		return (10);
	for (n = 0; n < TLIM_MAX; n++)
		if ((e = pthread_create(&t[n], &a, tlim_worker, NULL)) != 0)
			break;
	atomic_store(&tlim_go, 1);
	futex(&tlim_go, FUTEX_WAKE | FUTEX_PRIVATE, INT_MAX, NULL, NULL, 0);
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	if (n != 255) {
		fprintf(stderr, "thread_limit: %d threads created (%s)\n", n,
		    strerror(e));
		return (20);		/* not the documented limit */
	}
	if (e != EAGAIN)
		return (21);
	/* Still alive and well: a thread and a child again. */
	if (pthread_create(&extra, &a, tlim_worker, NULL) != 0)
		return (22);
	pthread_join(extra, NULL);
	if ((pid = fork()) == -1)
		return (23);
	if (pid == 0)
		_exit(7);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 7)
		return (24);
	return (0);
}

static void
thread_limit(void)
{
	struct utsname u;
	int st;

	CHECK_OK(uname(&u));
	if (strstr(u.release, "rustos") == NULL)
		ps_skip("RustOS only: Linux has no per-process thread limit "
		    "(RLIMIT_NPROC and threads-max bound threads)");
	st = ps_wait(ps_spawn(tlim_child, NULL));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "thread limit child: %s "
	    "(20: not 255 threads, 21: not EAGAIN, 22/23/24: broken after)",
	    ps_status_str(st));
}

/*
 * A process whose thread is blocked in an IPC call (RustOS only: the
 * kernel's IPC) ends cleanly however it ends: exit_group from another
 * thread, SIGKILL from outside, or an execve by another thread.  The
 * server is a thread of the same process that received the request and
 * never answers, so the caller waits until the kernel interrupts it
 * (promptly since the waits check for a dying caller; the 5 s IPC bound
 * before, which this case cannot tell apart without timing).
 */
#define RUSTOS_IPC_ENDPOINT_CREATE	0x52550003L
#define RUSTOS_IPC_CALL			0x52550004L
#define RUSTOS_IPC_RECV			0x52550005L
static long ipcx_ep;
static atomic_int ipcx_got;
static volatile long ipcx_call_ret = -12345;

static void *
ipcx_server(void *arg)
{
	uint64_t rc;
	char buf[64];

	for (;;) {
		if (syscall(RUSTOS_IPC_RECV, ipcx_ep, buf, sizeof(buf),
		    &rc) >= 0)
			break;
	}
	atomic_store(&ipcx_got, 1);
	for (;;)
		pause();
	return (NULL);
}

static void *
ipcx_caller(void *arg)
{
	char resp[16];

	ipcx_call_ret = syscall(RUSTOS_IPC_CALL, ipcx_ep, "x", 1, resp,
	    sizeof(resp));
	return (NULL);
}

static int
ipcx_child(void *arg)
{
	int how = (int)(intptr_t)arg, i;
	pthread_t s, c;
	char *av[] = { (char *)ps_helper, "exit", "5", NULL };
	char *ev[] = { NULL };

	if ((ipcx_ep = syscall(RUSTOS_IPC_ENDPOINT_CREATE)) <= 0)
		return (10);
	if (pthread_create(&s, NULL, ipcx_server, NULL) != 0 ||
	    pthread_create(&c, NULL, ipcx_caller, NULL) != 0)
		return (11);
	for (i = 0; i < 5000 && atomic_load(&ipcx_got) == 0; i++)
		ps_msleep(1);
	if (atomic_load(&ipcx_got) == 0)
		return (12);
	ps_msleep(20);		/* the caller is parked on the reply */
	if (ipcx_call_ret != -12345)
		return (13);	/* the call returned without a reply */
	switch (how) {
	case 0:
		_exit(3);	/* exit_group */
	case 1:
		for (;;)
			pause();	/* the parent sends SIGKILL */
	default:
		execve(ps_helper, av, ev);
		return (14);
	}
}

static void
ipc_wait_dying_process(void)
{
	struct utsname u;
	pid_t pid;

	CHECK_OK(uname(&u));
	if (strstr(u.release, "rustos") == NULL)
		ps_skip("RustOS only: exercises the RustOS IPC syscalls");
	ps_expect_exit("exit_group while a thread waits for a reply",
	    ps_wait(ps_spawn(ipcx_child, (void *)0)), 3);
	pid = ps_spawn(ipcx_child, (void *)1);
	ps_msleep(200);
	CHECK_OK(kill(pid, SIGKILL));
	ps_expect_signal("SIGKILL while a thread waits for a reply",
	    ps_wait(pid), SIGKILL);
	ps_expect_exit("execve while another thread waits for a reply",
	    ps_wait(ps_spawn(ipcx_child, (void *)2)), 5);
}

/* The robust list: a lock owner that dies without unlocking. */
static pthread_mutex_t rmu;
static volatile int rmu_taken;

static void *
robust_owner(void *arg)
{

	pthread_mutex_lock(&rmu);
	rmu_taken = 1;
	/* Leave without pthread_exit: only the kernel's list walk helps. */
	syscall(SYS_exit, 0);
	return (NULL);
}

static void
robust_mutex_owner_died(void)
{
	pthread_mutexattr_t a;
	struct timespec ts;
	pthread_t t;
	int e;

	CHECK(pthread_mutexattr_init(&a) == 0, "attr");
	CHECK(pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST) == 0,
	    "setrobust");
	/*
	 * musl leaves private robust mutexes to pthread_exit; shared ones
	 * are on the kernel's robust list.
	 */
	CHECK(pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED) == 0,
	    "setpshared");
	CHECK(pthread_mutex_init(&rmu, &a) == 0, "init");
	rmu_taken = 0;
	CHECK(pthread_create(&t, NULL, robust_owner, NULL) == 0, "create");
	/* The owner must hold the lock before we ask for it (a loaded host
	 * may not have run it yet). */
	for (e = 0; !rmu_taken && e < 5000; e++)
		ps_msleep(1);
	CHECK(rmu_taken, "the owner thread never took the lock");
	/* Blocks until the owner is gone, then reports its death. */
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 5;
	e = pthread_mutex_timedlock(&rmu, &ts);
	CHECK(e == EOWNERDEAD, "lock after the owner died: %s, want "
	    "EOWNERDEAD", strerror(e));
	CHECK(pthread_mutex_consistent(&rmu) == 0, "consistent");
	CHECK(pthread_mutex_unlock(&rmu) == 0, "unlock");
	CHECK(pthread_mutex_lock(&rmu) == 0, "lock again");
	pthread_mutex_unlock(&rmu);
}

/* execve in a multi-threaded process ends the other threads. */
static void *
forever_worker(void *arg)
{

	for (;;)
		ps_msleep(5);
	return (NULL);
}

static int
exec_from_threads_child(void *arg)
{
	char *av[] = { (char *)ps_helper, "exit", "6", NULL };
	char *ev[] = { NULL };
	pthread_t t[3];
	int i;

	for (i = 0; i < 3; i++)
		if (pthread_create(&t[i], NULL, forever_worker, NULL) != 0)
			return (1);
	ps_msleep(10);
	execve(ps_helper, av, ev);
	return (2);
}

static void
thread_exec_ends_others(void)
{

	ps_expect_exit("execve from a process with 4 threads",
	    ps_wait(ps_spawn(exec_from_threads_child, NULL)), 6);
}

/* A process-directed signal goes to a thread that does not block it. */
static volatile long usr1_tid;
static volatile long open_tid;

static void
on_usr1(int s)
{

	usr1_tid = syscall(SYS_gettid);
}

static void *
open_worker(void *arg)
{
	sigset_t none;
	int i;

	sigemptyset(&none);
	pthread_sigmask(SIG_SETMASK, &none, NULL);
	open_tid = syscall(SYS_gettid);
	for (i = 0; i < 2000 && usr1_tid == 0; i++)
		ps_msleep(1);
	return (NULL);
}

static void
process_signal_unblocked_thread(void)
{
	struct sigaction sa;
	sigset_t block;
	pthread_t t;
	int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	CHECK(pthread_sigmask(SIG_BLOCK, &block, NULL) == 0, "block");
	CHECK(pthread_create(&t, NULL, open_worker, NULL) == 0, "create");
	for (i = 0; i < 2000 && open_tid == 0; i++)
		ps_msleep(1);
	CHECK_OK(kill(getpid(), SIGUSR1));
	pthread_join(t, NULL);
	CHECK(usr1_tid == open_tid, "handler ran on tid %ld, want the "
	    "unblocking thread %ld (main %d)", usr1_tid, open_tid,
	    (int)getpid());
}

/* Many short threads, joined and detached: nothing runs out. */
static atomic_int churned;

static void *
churn_worker(void *arg)
{

	atomic_fetch_add(&churned, 1);
	return (arg);
}

static void
thread_churn(void)
{
	pthread_attr_t da;
	pthread_t t;
	void *r;
	int i, e;

	for (i = 0; i < 200; i++) {
		e = pthread_create(&t, NULL, churn_worker, (void *)(intptr_t)i);
		CHECK(e == 0, "create %d: %s", i, strerror(e));
		CHECK(pthread_join(t, &r) == 0 && r == (void *)(intptr_t)i,
		    "join %d", i);
	}
	CHECK(pthread_attr_init(&da) == 0 && pthread_attr_setdetachstate(&da,
	    PTHREAD_CREATE_DETACHED) == 0, "detached attr");
	for (i = 0; i < 20; i++) {
		e = pthread_create(&t, &da, churn_worker, NULL);
		CHECK(e == 0, "create detached %d: %s", i, strerror(e));
	}
	for (i = 0; i < 2000 && atomic_load(&churned) < 220; i++)
		ps_msleep(1);
	CHECK(atomic_load(&churned) == 220, "%d of 220 threads ran",
	    (int)atomic_load(&churned));
}

/* sigaltstack is per thread; a new thread starts without one. */
static volatile int alt_thread_flags = -1;
static volatile uintptr_t alt_thread_sp;

static void *
alt_worker(void *arg)
{
	static char mine[16384];
	stack_t ss, old;

	if (sigaltstack(NULL, &old) != 0)
		return ((void *)1);
	alt_thread_flags = old.ss_flags;
	ss.ss_sp = mine;
	ss.ss_size = sizeof(mine);
	ss.ss_flags = 0;
	if (sigaltstack(&ss, NULL) != 0)
		return ((void *)2);
	if (sigaltstack(NULL, &old) != 0)
		return ((void *)3);
	alt_thread_sp = (uintptr_t)old.ss_sp;
	return (NULL);
}

static void
sigaltstack_per_thread(void)
{
	static char main_alt[16384];
	stack_t ss, old;
	pthread_t t;
	void *r;

	ss.ss_sp = main_alt;
	ss.ss_size = sizeof(main_alt);
	ss.ss_flags = 0;
	CHECK_OK(sigaltstack(&ss, NULL));
	CHECK(pthread_create(&t, NULL, alt_worker, NULL) == 0, "create");
	CHECK(pthread_join(t, &r) == 0 && r == NULL, "worker step %p", r);
	CHECK(alt_thread_flags == SS_DISABLE, "a new thread's ss_flags %d, "
	    "want SS_DISABLE", alt_thread_flags);
	CHECK(alt_thread_sp != (uintptr_t)main_alt, "the thread sees the "
	    "main thread's stack");
	CHECK_OK(sigaltstack(NULL, &old));
	CHECK(old.ss_sp == main_alt && old.ss_size == sizeof(main_alt),
	    "the thread's sigaltstack replaced the main thread's");
}

/* ---- vfork ---- */

static void
vfork_parent_waits(void)
{
	volatile int stage = 0;
	pid_t pid;
	int st;

	pid = vfork();
	CHECK(pid != -1, "vfork: %s", strerror(errno));
	if (pid == 0) {
		/* The parent is suspended while the child runs. */
		stage = 1;
		ps_msleep(20);
		stage = 2;
		_exit(0);
	}
	CHECK(stage == 2, "parent resumed at stage %d before the child left",
	    stage);
	st = ps_wait(pid);
	ps_expect_exit("vfork child", st, 0);
}

static void
vfork_exec(void)
{
	char *av[] = { (char *)ps_helper, "exit", "4", NULL };
	char *ev[] = { NULL };
	pid_t pid;

	pid = vfork();
	CHECK(pid != -1, "vfork: %s", strerror(errno));
	if (pid == 0) {
		execve(ps_helper, av, ev);
		_exit(127);
	}
	ps_expect_exit("vfork + execve of the helper", ps_wait(pid), 4);
}

/* musl's posix_spawn: CLONE_VM|CLONE_VFORK on a stack of its own. */
static void
posix_spawn_vfork(void)
{
	char *av[] = { (char *)ps_helper, "exit", "4", NULL };
	char *ev[] = { NULL };
	pid_t pid;
	int e;

	e = posix_spawn(&pid, ps_helper, NULL, NULL, av, ev);
	CHECK(e == 0, "posix_spawn: %s", strerror(e));
	ps_expect_exit("posix_spawn of the helper", ps_wait(pid), 4);
	e = posix_spawn(&pid, "/nonexistent/prog", NULL, NULL, av, ev);
	CHECK(e == ENOENT, "posix_spawn of a missing file: %s", strerror(e));
}

/* ---- static glibc programs ---- */

/* Run path ARG with stdout captured into out; returns the wait status. */
static int
run_capture(const char *path, const char *arg, char *out, size_t cap)
{
	char *av[] = { (char *)path, (char *)arg, NULL };
	char *ev[] = { "LC_ALL=C", NULL };

	return (ps_run_capture(path, av, ev, out, cap));
}

static void
glibc_static_hello(void)
{
	const char *path = ps_beside_helper("glibc-hello");
	char out[256];
	int st;

	if (path == NULL)
		ps_skip("glibc-hello not built beside %s", ps_helper);
	/* posix_spawn of the helper: glibc's CLONE_VM|CLONE_VFORK clone. */
	st = run_capture(path, ps_helper, out, sizeof(out));
	ps_expect_exit(path, st, 0);
	CHECK(strcmp(out, "hello from static glibc argc=2\n"
	    "spawned child exit 3\n") == 0, "output \"%s\"", out);
}

/* glibc's gettimeofday/time agree with clock_gettime and use the vDSO. */
static void
glibc_static_time(void)
{
	const char *path = ps_beside_helper("glibc-hello");
	char out[256];
	int st;

	if (path == NULL)
		ps_skip("glibc-hello not built beside %s", ps_helper);
	st = run_capture(path, "time", out, sizeof(out));
	CHECK(strcmp(out, "glibc time ok, vdso used\n") == 0,
	    "output \"%s\" (%s)", out, ps_status_str(st));
	ps_expect_exit(path, st, 0);
}

static void
glibc_static_threads(void)
{
	const char *path = ps_beside_helper("glibc-threads");
	char out[256];
	int st;

	if (path == NULL)
		ps_skip("glibc-threads not built beside %s", ps_helper);
	st = run_capture(path, "x", out, sizeof(out));
	CHECK(strcmp(out, "glibc threads ok total=80000 items=200\n") == 0,
	    "output \"%s\" (%s)", out, ps_status_str(st));
	ps_expect_exit(path, st, 0);
}

const struct ps_case ps_cases_thr[] = {
	{ "clone_tid_words", clone_tid_words, 0 },
	{ "clone_bad_flags", clone_bad_flags, 0 },
	{ "futex_errors", futex_errors, 0 },
	{ "futex_wake_fault", futex_wake_fault, 0 },
	{ "futex_timeouts", futex_timeouts, 0 },
	{ "futex_bitset_wake", futex_bitset_wake, 0 },
	{ "futex_eintr", futex_eintr, 0 },
	{ "thread_segv_kills_process", thread_segv_kills_process, 0 },
	{ "thread_main_exit_process_lives", thread_main_exit_process_lives,
	    0 },
	{ "tgkill_errors_and_target", tgkill_errors_and_target, 0 },
	{ "kill_thread_tid", kill_thread_tid, 0 },
	{ "robust_mutex_owner_died", robust_mutex_owner_died, 0 },
	{ "thread_exec_ends_others", thread_exec_ends_others, 0 },
	{ "process_signal_unblocked_thread", process_signal_unblocked_thread,
	    0 },
	{ "thread_churn", thread_churn, 60 },
	{ "thread_limit", thread_limit, 120 },
	{ "ipc_wait_dying_process", ipc_wait_dying_process, 60 },
	{ "sigaltstack_per_thread", sigaltstack_per_thread, 0 },
	{ "vfork_parent_waits", vfork_parent_waits, 0 },
	{ "vfork_exec", vfork_exec, 0 },
	{ "posix_spawn_vfork", posix_spawn_vfork, 0 },
	{ "glibc_static_hello", glibc_static_hello, 0 },
	{ "glibc_static_threads", glibc_static_threads, 30 },
	{ "glibc_static_time", glibc_static_time, 0 },
	{ NULL, NULL, 0 }
};
