/*
 * cases_sig.c -- signal cases of psuite: rt_sigaction/rt_sigprocmask/
 * rt_sigpending/rt_sigsuspend/sigaltstack and their errors, handlers with
 * SA_SIGINFO/SA_RESTART/SA_ONSTACK/SA_RESETHAND, default actions, SIGCHLD,
 * kill/tgkill/tkill, and SIGSEGV/SIGBUS/SIGFPE/SIGILL from real faults
 * (the faulting child dies with that signal and the parent sees it),
 * rt_sigtimedwait/rt_sigqueueinfo, signalfd, and the FPU/SSE state kept
 * across a handler (rt_sigframe fpstate) and across context switches.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <poll.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "psuite.h"

static volatile sig_atomic_t hits;
static volatile int got_signo, got_code, got_pid, got_uid, got_val;
static volatile long got_tid;
static volatile void *got_addr;
static volatile uintptr_t handler_sp;
static volatile int handler_onstack;
static sigjmp_buf jb;

static void
on_count(int s)
{

	hits++;
}

static void
on_info(int s, siginfo_t *si, void *uc)
{

	hits++;
	got_signo = si->si_signo;
	got_code = si->si_code;
	got_pid = si->si_pid;
	got_uid = si->si_uid;
	got_val = si->si_value.sival_int;
	got_tid = ps_gettid();
}

static void
set_handler(int sig, void (*h)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = h;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(sig, &sa, NULL) == 0, "sigaction(%d): %s", sig,
	    strerror(errno));
}

static void
set_info_handler(int sig, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(sig, &sa, NULL) == 0, "sigaction(%d): %s", sig,
	    strerror(errno));
}

static void
block(int sig, int how)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, sig);
	CHECK_OK(sigprocmask(how, &s, NULL));
}

/* ---- handlers ---- */

static void
sig_handler_runs(void)
{

	set_handler(SIGUSR1, on_count, 0);
	CHECK_OK(raise(SIGUSR1));
	CHECK(hits == 1, "handler ran %d times", (int)hits);
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK(hits == 2, "handler ran %d times after kill", (int)hits);
}

static void
sig_siginfo_kill(void)
{

	set_info_handler(SIGUSR1, 0);
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK(hits == 1, "handler did not run");
	CHECK(got_signo == SIGUSR1 && got_code == SI_USER &&
	    got_pid == getpid() && got_uid == (int)getuid(),
	    "siginfo signo %d code %d pid %d uid %d", got_signo, got_code,
	    got_pid, got_uid);
}

static void
sig_siginfo_from_child(void)
{
	sigset_t none;
	pid_t me, pid;

	set_info_handler(SIGUSR2, 0);
	block(SIGUSR2, SIG_BLOCK);
	me = getpid();
	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0)
		_exit(kill(me, SIGUSR2) == 0 ? 0 : 1);
	sigemptyset(&none);
	while (hits == 0)
		sigsuspend(&none);
	CHECK(got_pid == pid && got_code == SI_USER, "si_pid %d (child %d) "
	    "si_code %d", got_pid, (int)pid, got_code);
	ps_expect_exit("child", ps_wait(pid), 0);
}

static void
sig_sigqueue_value(void)
{
	union sigval v;

	set_info_handler(SIGRTMIN + 1, 0);
	v.sival_int = 4242;
	CHECK_OK(sigqueue(getpid(), SIGRTMIN + 1, v));
	CHECK(hits == 1 && got_code == SI_QUEUE && got_val == 4242,
	    "hits %d code %d value %d", (int)hits, got_code, got_val);
}

static void
sig_rt_queued(void)
{
	sigset_t none;
	int i;

	/* Real-time signals queue; standard ones collapse while blocked. */
	set_handler(SIGRTMIN + 3, on_count, 0);
	block(SIGRTMIN + 3, SIG_BLOCK);
	for (i = 0; i < 3; i++)
		CHECK_OK(kill(getpid(), SIGRTMIN + 3));
	block(SIGRTMIN + 3, SIG_UNBLOCK);
	CHECK(hits == 3, "queued RT signal delivered %d times, want 3",
	    (int)hits);
	hits = 0;
	set_handler(SIGUSR1, on_count, 0);
	block(SIGUSR1, SIG_BLOCK);
	for (i = 0; i < 3; i++)
		CHECK_OK(kill(getpid(), SIGUSR1));
	sigemptyset(&none);
	block(SIGUSR1, SIG_UNBLOCK);
	CHECK(hits == 1, "standard signal delivered %d times, want 1",
	    (int)hits);
}

static void
sig_mask_pending(void)
{
	sigset_t pend;

	set_handler(SIGUSR1, on_count, 0);
	block(SIGUSR1, SIG_BLOCK);
	CHECK_OK(raise(SIGUSR1));
	CHECK(hits == 0, "blocked signal was delivered");
	CHECK_OK(sigpending(&pend));
	CHECK(sigismember(&pend, SIGUSR1) == 1, "not pending");
	block(SIGUSR1, SIG_UNBLOCK);
	CHECK(hits == 1, "not delivered on unblock");
	CHECK_OK(sigpending(&pend));
	CHECK(sigismember(&pend, SIGUSR1) == 0, "still pending");
}

static void
sig_mask_errors(void)
{
	sigset_t s, old;
	uint64_t raw;

	sigemptyset(&s);
	CHECK_ERRNO(sigprocmask(99, &s, NULL), EINVAL);
	raw = 0;
	CHECK_ERRNO(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &raw, NULL, 4),
	    EINVAL);
	{
		uint64_t big[4];

		CHECK_ERRNO(syscall(SYS_rt_sigpending, big, 32), EINVAL);
	}
	CHECK_ERRNO(syscall(SYS_rt_sigprocmask, SIG_BLOCK, (void *)8, NULL,
	    8), EFAULT);
	/* SIGKILL and SIGSTOP cannot be blocked: silently dropped. */
	sigaddset(&s, SIGKILL);
	sigaddset(&s, SIGSTOP);
	CHECK_OK(sigprocmask(SIG_BLOCK, &s, NULL));
	CHECK_OK(sigprocmask(SIG_BLOCK, NULL, &old));
	CHECK(sigismember(&old, SIGKILL) == 0 &&
	    sigismember(&old, SIGSTOP) == 0, "SIGKILL/SIGSTOP blocked");
}

static void
sig_action_errors(void)
{
	struct sigaction sa, old;
	uint64_t raw[4];

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_count;
	CHECK_ERRNO(sigaction(SIGKILL, &sa, NULL), EINVAL);
	CHECK_ERRNO(sigaction(SIGSTOP, &sa, NULL), EINVAL);
	CHECK_ERRNO(sigaction(0, &sa, NULL), EINVAL);
	CHECK_ERRNO(sigaction(65, &sa, NULL), EINVAL);
	CHECK_OK(sigaction(SIGKILL, NULL, &old));
	memset(raw, 0, sizeof(raw));
	CHECK_ERRNO(syscall(SYS_rt_sigaction, SIGUSR1, raw, NULL, 4), EINVAL);
	CHECK_ERRNO(syscall(SYS_rt_sigaction, SIGUSR1, (void *)8, NULL, 8),
	    EFAULT);
	/* The old action reads back what was set. */
	sa.sa_flags = SA_RESTART;
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	CHECK_OK(sigaction(SIGUSR1, NULL, &old));
	CHECK(old.sa_handler == on_count && (old.sa_flags & SA_RESTART),
	    "sigaction read-back");
}

static void
sig_sigsuspend(void)
{
	sigset_t none;
	pid_t me, pid;
	int r;

	set_handler(SIGUSR1, on_count, 0);
	block(SIGUSR1, SIG_BLOCK);
	me = getpid();
	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0) {
		ps_msleep(10);
		_exit(kill(me, SIGUSR1) == 0 ? 0 : 1);
	}
	sigemptyset(&none);
	r = sigsuspend(&none);
	CHECK(r == -1 && errno == EINTR, "sigsuspend returned %d (%s)", r,
	    strerror(errno));
	CHECK(hits == 1, "handler did not run");
	/* The old mask is back: SIGUSR1 blocked again. */
	CHECK_OK(sigprocmask(SIG_BLOCK, NULL, &none));
	CHECK(sigismember(&none, SIGUSR1) == 1, "mask not restored");
	ps_expect_exit("child", ps_wait(pid), 0);
}

static volatile int mask_in_handler_ok;

static void
on_mask_check(int s)
{
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	mask_in_handler_ok = sigismember(&cur, SIGUSR1) == 1 &&
	    sigismember(&cur, SIGUSR2) == 1;
}

static void
sig_mask_in_handler(void)
{
	struct sigaction sa;
	sigset_t cur;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_mask_check;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	raise(SIGUSR1);
	CHECK(mask_in_handler_ok, "inside the handler the signal and sa_mask "
	    "were not blocked");
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK(sigismember(&cur, SIGUSR1) == 0 && sigismember(&cur, SIGUSR2)
	    == 0, "mask not restored by sigreturn");
}

static void
sig_resethand(void)
{
	pid_t pid;

	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_count;
		sa.sa_flags = SA_RESETHAND;
		sigaction(SIGUSR1, &sa, NULL);
		raise(SIGUSR1);
		if (hits != 1)
			_exit(1);
		raise(SIGUSR1);
		_exit(2);
	}
	ps_expect_signal("SA_RESETHAND child", ps_wait(pid), SIGUSR1);
}

static volatile double fpu_in;

static void
on_fpu(int s)
{
	volatile double x = 3.0;
	int i;

	for (i = 0; i < 10; i++)
		x = x * 1.5 - 0.25;
	fpu_in = x;
}

static void
sig_context_preserved(void)
{
	volatile double a = 1.25, b;
	register long r12 __asm__("r12") = 0x1234567;
	long r12_after;

	set_handler(SIGUSR1, on_fpu, 0);
	b = a * 2.0;
	__asm__ volatile("" : "+r"(r12));
	raise(SIGUSR1);
	__asm__ volatile("" : "+r"(r12));
	r12_after = r12;
	CHECK(b == 2.5 && a * 2.0 == 2.5, "FPU state changed by a handler");
	CHECK(r12_after == 0x1234567, "r12 changed by a handler");
	CHECK(fpu_in != 0.0, "handler did not run");
}

/* ---- SA_RESTART, EINTR ---- */

/*
 * The interrupting signal comes from a child after a delay; when the
 * caller was slow and the signal arrived before the blocking call began
 * ("early"), the attempt proves nothing and is repeated with a longer
 * delay.
 */
static volatile sig_atomic_t armed, early;

static void
on_armed(int s)
{

	hits++;
	if (!armed)
		early = 1;
}

/*
 * Wait (up to 2 s) until process pid sleeps, where /proc/PID/stat exists
 * (the build host): on a loaded host the parent may not have reached its
 * read() when a fixed delay ends, and a signal taken before the read blocks
 * cannot interrupt it.  Without /proc the fixed delay alone has to do.
 */
static void
wait_until_sleeping(pid_t pid)
{
	char path[64], buf[256], *p;
	ssize_t n;
	int fd, i;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (i = 0; i < 2000; i++) {
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			return;
		buf[n] = '\0';
		p = strrchr(buf, ')');
		if (p != NULL && p[1] == ' ' && p[2] == 'S')
			return;
		ps_msleep(1);
	}
}

static int
interrupt_read(int restart, int *res, int *err, char *c)
{
	int p[2], attempt;
	pid_t me, pid;

	set_handler(SIGUSR1, on_armed, restart ? SA_RESTART : 0);
	me = getpid();
	for (attempt = 1; attempt <= 5; attempt++) {
		hits = early = armed = 0;
		CHECK_OK(pipe(p));
		pid = fork();
		CHECK(pid != -1, "fork");
		if (pid == 0) {
			close(p[0]);
			ps_msleep(30 * attempt);
			wait_until_sleeping(me);
			kill(me, SIGUSR1);
			ps_msleep(30 * attempt);
			write(p[1], "z", 1);
			_exit(0);
		}
		close(p[1]);
		armed = 1;
		*res = read(p[0], c, 1);
		*err = errno;
		armed = 0;
		ps_wait(pid);
		close(p[0]);
		if (!early)
			return (0);
	}
	ps_skip("the signal arrived before read() blocked in 5 attempts");
}

static void
sig_restart_read(void)
{
	int r, e;
	char c = 0;

	interrupt_read(1, &r, &e, &c);
	CHECK(hits == 1, "handler did not run");
	CHECK(r == 1 && c == 'z', "read returned %d (%s), want the byte "
	    "(SA_RESTART)", r, r == -1 ? strerror(e) : "-");
}

static void
sig_eintr_read(void)
{
	int r, e;
	char c = 0;

	interrupt_read(0, &r, &e, &c);
	CHECK(hits == 1, "handler did not run");
	CHECK(r == -1 && e == EINTR, "read returned %d (%s), want EINTR", r,
	    r == -1 ? strerror(e) : "-");
}

static void
sig_nanosleep_eintr(void)
{
	struct timespec ts, rem;
	pid_t me, pid;
	int r, e, attempt;

	set_handler(SIGUSR1, on_armed, SA_RESTART);
	me = getpid();
	for (attempt = 1; attempt <= 5; attempt++) {
		hits = early = armed = 0;
		pid = fork();
		CHECK(pid != -1, "fork");
		if (pid == 0) {
			ps_msleep(20 * attempt);
			_exit(kill(me, SIGUSR1) == 0 ? 0 : 1);
		}
		/* nanosleep is never restarted, even with SA_RESTART. */
		ts.tv_sec = 1;
		ts.tv_nsec = 0;
		armed = 1;
		r = nanosleep(&ts, &rem);
		e = errno;
		armed = 0;
		ps_wait(pid);
		/* Early, or the child too slow to interrupt at all. */
		if (early || (r == 0 && hits == 0))
			continue;
		CHECK(r == -1 && e == EINTR, "nanosleep returned %d (%s)", r,
		    strerror(e));
		CHECK(rem.tv_sec <= 1 && rem.tv_nsec >= 0 &&
		    rem.tv_nsec < 1000000000, "remaining time %ld.%09ld",
		    (long)rem.tv_sec, rem.tv_nsec);
		return;
	}
	ps_skip("the signal arrived before nanosleep() in 5 attempts");
}

/* ---- sigaltstack ---- */

static char *alt_base;
static size_t alt_size;

static void
on_alt(int s)
{
	stack_t cur;
	char here;

	handler_sp = (uintptr_t)&here;
	handler_onstack = sigaltstack(NULL, &cur) == 0 &&
	    (cur.ss_flags & SS_ONSTACK);
}

static void
sig_onstack(void)
{
	stack_t ss, old;

	alt_size = 64 * 1024;
	alt_base = malloc(alt_size);
	CHECK(alt_base != NULL, "malloc");
	ss.ss_sp = alt_base;
	ss.ss_size = alt_size;
	ss.ss_flags = 0;
	CHECK_OK(sigaltstack(&ss, &old));
	set_handler(SIGUSR1, on_alt, SA_ONSTACK);
	raise(SIGUSR1);
	CHECK(handler_sp >= (uintptr_t)alt_base &&
	    handler_sp < (uintptr_t)alt_base + alt_size,
	    "handler stack %#lx outside the alternate stack %p+%#zx",
	    (unsigned long)handler_sp, (void *)alt_base, alt_size);
	CHECK(handler_onstack, "sigaltstack in the handler: no SS_ONSTACK");
	CHECK_OK(sigaltstack(NULL, &old));
	CHECK(old.ss_sp == alt_base && !(old.ss_flags & SS_ONSTACK),
	    "sigaltstack read-back");
	/* Without SA_ONSTACK the handler stays on the normal stack. */
	set_handler(SIGUSR1, on_alt, 0);
	raise(SIGUSR1);
	CHECK(handler_sp < (uintptr_t)alt_base ||
	    handler_sp >= (uintptr_t)alt_base + alt_size,
	    "handler without SA_ONSTACK ran on the alternate stack");
}

static void
sigaltstack_errors(void)
{
	stack_t ss;
	char buf[256];

	ss.ss_sp = buf;
	ss.ss_size = sizeof(buf);
	ss.ss_flags = 0;
	CHECK_ERRNO(sigaltstack(&ss, NULL), ENOMEM);
	ss.ss_size = 1 << 16;
	ss.ss_flags = 0x1234;
	CHECK_ERRNO(sigaltstack(&ss, NULL), EINVAL);
	CHECK_ERRNO(syscall(SYS_sigaltstack, (void *)8, NULL), EFAULT);
	ss.ss_flags = SS_DISABLE;
	CHECK_OK(sigaltstack(&ss, NULL));
	CHECK_OK(sigaltstack(NULL, &ss));
	CHECK(ss.ss_flags & SS_DISABLE, "SS_DISABLE not reported");
}

/* ---- default actions, SIGCHLD ---- */

static int
raise_child(void *arg)
{
	int sig = (int)(intptr_t)arg;

	signal(sig, SIG_DFL);
	raise(sig);
	return (0);
}

static void
sig_default_actions(void)
{
	int st;

	st = ps_wait(ps_spawn(raise_child, (void *)(intptr_t)SIGUSR1));
	ps_expect_signal("SIGUSR1 default", st, SIGUSR1);
	st = ps_wait(ps_spawn(raise_child, (void *)(intptr_t)SIGTERM));
	ps_expect_signal("SIGTERM default", st, SIGTERM);
	st = ps_wait(ps_spawn(raise_child, (void *)(intptr_t)SIGURG));
	ps_expect_exit("SIGURG default (ignore)", st, 0);
	st = ps_wait(ps_spawn(raise_child, (void *)(intptr_t)SIGWINCH));
	ps_expect_exit("SIGWINCH default (ignore)", st, 0);
	st = ps_wait(ps_spawn(raise_child, (void *)(intptr_t)SIGCHLD));
	ps_expect_exit("SIGCHLD default (ignore)", st, 0);
}

static void
sig_ignored(void)
{

	signal(SIGTERM, SIG_IGN);
	CHECK_OK(raise(SIGTERM));
	signal(SIGUSR1, SIG_IGN);
	CHECK_OK(kill(getpid(), SIGUSR1));
}

static void
sigchld_on_exit(void)
{
	sigset_t none;
	pid_t pid;

	set_info_handler(SIGCHLD, 0);
	block(SIGCHLD, SIG_BLOCK);
	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0)
		_exit(3);
	sigemptyset(&none);
	while (hits == 0)
		sigsuspend(&none);
	CHECK(got_signo == SIGCHLD && got_code == CLD_EXITED &&
	    got_pid == pid, "SIGCHLD info signo %d code %d pid %d (child %d)",
	    got_signo, got_code, got_pid, (int)pid);
	ps_expect_exit("child", ps_wait(pid), 3);
}

static void
sigchld_ignored_autoreap(void)
{
	pid_t pid;
	int r;

	signal(SIGCHLD, SIG_IGN);
	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0)
		_exit(0);
	/* With SIGCHLD ignored children are reaped by the system. */
	r = waitpid(pid, NULL, 0);
	CHECK(r == -1 && errno == ECHILD, "waitpid returned %d (%s), want "
	    "ECHILD", r, strerror(errno));
}

/* ---- kill, tgkill, tkill ---- */

static void
kill_errors(void)
{
	pid_t pid;

	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0)
		_exit(0);
	ps_wait(pid);
	CHECK_ERRNO(kill(pid, SIGUSR1), ESRCH);
	CHECK_ERRNO(kill(pid, 0), ESRCH);
	CHECK_ERRNO(kill(getpid(), 99), EINVAL);
	CHECK_ERRNO(kill(getpid(), -1), EINVAL);
	CHECK_OK(kill(getpid(), 0));
	CHECK_ERRNO(kill(-pid, 0), ESRCH);
}

static void
tgkill_tkill(void)
{
	long tid = ps_gettid();

	CHECK(tid == getpid(), "main thread tid %ld != pid %d", tid,
	    (int)getpid());
	set_info_handler(SIGUSR1, 0);
	CHECK(syscall(SYS_tgkill, getpid(), tid, SIGUSR1) == 0, "tgkill: %s",
	    strerror(errno));
	CHECK(hits == 1 && got_code == SI_TKILL, "tgkill: hits %d code %d",
	    (int)hits, got_code);
	CHECK(syscall(SYS_tkill, tid, SIGUSR1) == 0, "tkill: %s",
	    strerror(errno));
	CHECK(hits == 2, "tkill not delivered");
	CHECK(syscall(SYS_tgkill, getpid(), tid, 0) == 0, "tgkill sig 0");
	CHECK_ERRNO(syscall(SYS_tgkill, getpid(), 0x3ffffff0, SIGUSR1),
	    ESRCH);
	CHECK_ERRNO(syscall(SYS_tgkill, 0, tid, SIGUSR1), EINVAL);
	CHECK_ERRNO(syscall(SYS_tgkill, getpid(), tid, 99), EINVAL);
	CHECK_ERRNO(syscall(SYS_tgkill, getppid(), tid, SIGUSR1), ESRCH);
	CHECK_ERRNO(syscall(SYS_tkill, -1, SIGUSR1), EINVAL);
	CHECK_ERRNO(syscall(SYS_tkill, 0x3ffffff0, SIGUSR1), ESRCH);
}

/* ---- faults ---- */

static void
on_fault(int s, siginfo_t *si, void *uc)
{

	got_signo = si->si_signo;
	got_code = si->si_code;
	got_addr = si->si_addr;
	siglongjmp(jb, 1);
}

static void
catch_faults(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	CHECK_OK(sigaction(sig, &sa, NULL));
}

static int
segv_child(void *arg)
{
	volatile int *p = arg;

	*p = 1;
	return (0);
}

static void
fault_segv_null(void)
{

	ps_expect_signal("NULL store", ps_wait(ps_spawn(segv_child, NULL)),
	    SIGSEGV);
	ps_expect_signal("kernel-half store", ps_wait(ps_spawn(segv_child,
	    (void *)0xffff800000001000ULL)), SIGSEGV);
}

static void
fault_segv_siginfo(void)
{
	volatile int *p = ps_addr(0x10);

	catch_faults(SIGSEGV);
	if (sigsetjmp(jb, 1) == 0) {
		*p = 1;
		ps_fail("store to 0x10 did not fault");
	}
	CHECK(got_signo == SIGSEGV && got_code == SEGV_MAPERR &&
	    got_addr == (void *)0x10, "siginfo signo %d code %d addr %p",
	    got_signo, got_code, (void *)got_addr);
	/* The process carries on after the handler left by longjmp. */
	if (sigsetjmp(jb, 1) == 0) {
		*p = 2;
		ps_fail("second store did not fault");
	}
	CHECK(got_code == SEGV_MAPERR, "second fault");
}

static int
rodata_child(void *arg)
{
	static const char ro[] = "read-only";

	*(volatile char *)ro = 'x';
	return (0);
}

static void
fault_write_rodata(void)
{

	ps_expect_signal("store to .rodata", ps_wait(ps_spawn(rodata_child,
	    NULL)), SIGSEGV);
}

static int
fpe_child(void *arg)
{
	volatile int zero = 0, one = 1;

	return (one / zero);
}

static void
fault_sigfpe(void)
{
	volatile int zero = 0, x = 7;

	ps_expect_signal("integer divide by zero", ps_wait(ps_spawn(fpe_child,
	    NULL)), SIGFPE);
	catch_faults(SIGFPE);
	if (sigsetjmp(jb, 1) == 0) {
		x = x / zero;
		ps_fail("division did not trap");
	}
	CHECK(got_signo == SIGFPE && got_code == FPE_INTDIV,
	    "siginfo signo %d code %d", got_signo, got_code);
}

static int
ill_child(void *arg)
{

	__asm__ volatile("ud2");
	return (0);
}

static void
fault_sigill(void)
{

	ps_expect_signal("ud2", ps_wait(ps_spawn(ill_child, NULL)), SIGILL);
	catch_faults(SIGILL);
	if (sigsetjmp(jb, 1) == 0) {
		__asm__ volatile("ud2");
		ps_fail("ud2 did not trap");
	}
	CHECK(got_signo == SIGILL && got_code == ILL_ILLOPN,
	    "siginfo signo %d code %d", got_signo, got_code);
}

static int
trap_child(void *arg)
{

	__asm__ volatile("int3");
	return (0);
}

static void
fault_sigtrap(void)
{

	ps_expect_signal("int3", ps_wait(ps_spawn(trap_child, NULL)),
	    SIGTRAP);
}

static int
bus_child(void *arg)
{
	volatile char *m;
	const char *path = arg;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd == -1 || write(fd, "x", 1) != 1)
		return (1);
	m = mmap(NULL, 2 * 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED)
		return (2);
	if (m[0] != 'x')
		return (3);
	/* Past the end of the file, inside the mapping: SIGBUS. */
	return (m[4096] == 0 ? 4 : 5);
}

static void
fault_sigbus(void)
{
	const char *path = ps_scratch_path("bus");
	int st;

	st = ps_wait(ps_spawn(bus_child, (void *)path));
	unlink(path);
	ps_expect_signal("read past the end of a mapped file", st, SIGBUS);
}

static int
nx_child(void *arg)
{
	unsigned char *code = arg;
	void (*fn)(void);

	code[0] = 0xc3;		/* ret, on a non-executable page */
	fn = (void (*)(void))code;
	fn();
	return (0);
}

static void
fault_exec_nx(void)
{
	void *m;

	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED, "mmap: %s", strerror(errno));
	ps_expect_signal("jump to PROT_READ|PROT_WRITE page",
	    ps_wait(ps_spawn(nx_child, m)), SIGSEGV);
}

static int
recurse(int n)
{
	volatile char pad[512];

	pad[0] = (char)n;
	if (n == 0x7fffffff)
		return (0);
	return (recurse(n + 1) + pad[0]);
}

static int
overflow_child(void *arg)
{
	struct rlimit rl = { 256 * 1024, 256 * 1024 };

	setrlimit(RLIMIT_STACK, &rl);
	return (recurse(0));
}

static void
fault_stack_overflow(void)
{

	ps_expect_signal("unbounded recursion", ps_wait(ps_spawn(
	    overflow_child, NULL)), SIGSEGV);
}

static volatile int overflow_caught;

static void
on_overflow(int s)
{

	overflow_caught = 1;
	_exit(0);
}

static int
overflow_alt_child(void *arg)
{
	struct rlimit rl = { 256 * 1024, 256 * 1024 };
	stack_t ss;

	setrlimit(RLIMIT_STACK, &rl);
	ss.ss_sp = malloc(64 * 1024);
	ss.ss_size = 64 * 1024;
	ss.ss_flags = 0;
	if (ss.ss_sp == NULL || sigaltstack(&ss, NULL) == -1)
		return (2);
	{
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_overflow;
		sa.sa_flags = SA_ONSTACK;
		sigaction(SIGSEGV, &sa, NULL);
	}
	return (recurse(0) ? 3 : 4);
}

static void
fault_overflow_altstack(void)
{

	ps_expect_exit("stack overflow caught on the alternate stack",
	    ps_wait(ps_spawn(overflow_alt_child, NULL)), 0);
}

/* ---- more handler flags, sigtimedwait, sigqueue errors ---- */

static volatile int nest_depth, nest_max;

static void
on_nest(int s)
{

	nest_depth++;
	if (nest_depth > nest_max)
		nest_max = nest_depth;
	/* With SA_NODEFER this nests; without, it waits for our return. */
	if (hits++ == 0)
		raise(s);
	nest_depth--;
}

static void
sig_nodefer(void)
{

	set_handler(SIGUSR1, on_nest, SA_NODEFER);
	CHECK_OK(raise(SIGUSR1));
	CHECK(hits == 2 && nest_max == 2, "SA_NODEFER: hits %d depth %d, "
	    "want 2 nested", (int)hits, nest_max);
	hits = nest_max = 0;
	set_handler(SIGUSR1, on_nest, 0);
	CHECK_OK(raise(SIGUSR1));
	CHECK(hits == 2 && nest_max == 1, "without SA_NODEFER: hits %d "
	    "depth %d, want 2 one after the other", (int)hits, nest_max);
}

static volatile int resethand_seen;

static void
on_resethand(int s)
{
	struct sigaction cur;

	hits++;
	/* The action is already back to SIG_DFL inside the handler. */
	resethand_seen = sigaction(s, NULL, &cur) == 0 &&
	    cur.sa_handler == SIG_DFL;
}

static void
sig_resethand_nodefer(void)
{
	struct sigaction sa;
	sigset_t cur;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_resethand;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	/* SIGURG: its default action (ignore) is harmless to the case. */
	CHECK_OK(sigaction(SIGURG, &sa, NULL));
	CHECK_OK(raise(SIGURG));
	CHECK(hits == 1 && resethand_seen, "hits %d, SIG_DFL in the handler "
	    "%d", (int)hits, resethand_seen);
	CHECK_OK(raise(SIGURG));
	CHECK(hits == 1, "handler ran again after SA_RESETHAND");
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK(sigismember(&cur, SIGURG) == 0, "mask not restored");
}

static stack_t inside;
static int inside_set_errno;

static void
on_alt_eperm(int s)
{
	stack_t ss;

	sigaltstack(NULL, &inside);
	ss.ss_sp = malloc(1 << 16);
	ss.ss_size = 1 << 16;
	ss.ss_flags = 0;
	inside_set_errno = sigaltstack(&ss, NULL) == -1 ? errno : 0;
	free(ss.ss_sp);
}

static void
sigaltstack_eperm(void)
{
	stack_t ss, old;

	ss.ss_sp = malloc(1 << 16);
	ss.ss_size = 1 << 16;
	ss.ss_flags = 0;
	CHECK(ss.ss_sp != NULL, "malloc");
	CHECK_OK(sigaltstack(&ss, NULL));
	set_handler(SIGUSR1, on_alt_eperm, SA_ONSTACK);
	CHECK_OK(raise(SIGUSR1));
	CHECK(inside.ss_flags & SS_ONSTACK, "no SS_ONSTACK in the handler "
	    "(flags %#x)", inside.ss_flags);
	CHECK(inside_set_errno == EPERM, "changing the stack while on it: "
	    "%s, want EPERM", strerror(inside_set_errno));
	/* Outside the handler the change is allowed again. */
	CHECK_OK(sigaltstack(NULL, &old));
	CHECK(old.ss_sp == ss.ss_sp && old.ss_size == ss.ss_size &&
	    old.ss_flags == 0, "stack changed by the refused call");
	ss.ss_flags = SS_DISABLE;
	CHECK_OK(sigaltstack(&ss, NULL));
	ss.ss_flags = 0;
	ss.ss_size = MINSIGSTKSZ - 1;
	CHECK_ERRNO(sigaltstack(&ss, NULL), ENOMEM);
	ss.ss_size = 1 << 16;
	ss.ss_flags = SS_ONSTACK | 0x100;
	CHECK_ERRNO(sigaltstack(&ss, NULL), EINVAL);
}

static int
block_all_child(void *arg)
{
	sigset_t all;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	signal(SIGTERM, SIG_IGN);
	for (;;)
		pause();
	return (0);
}

static void
sig_kill_uncatchable(void)
{
	struct sigaction sa;
	pid_t pid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	CHECK_ERRNO(sigaction(SIGKILL, &sa, NULL), EINVAL);
	CHECK_ERRNO(sigaction(SIGSTOP, &sa, NULL), EINVAL);
	CHECK(signal(SIGKILL, SIG_IGN) == SIG_ERR && errno == EINVAL,
	    "signal(SIGKILL, SIG_IGN) accepted");
	/* Everything blocked, SIGTERM ignored: SIGKILL still ends it. */
	pid = ps_spawn(block_all_child, NULL);
	ps_msleep(20);
	CHECK_OK(kill(pid, SIGTERM));
	CHECK_OK(kill(pid, SIGKILL));
	ps_expect_signal("SIGKILL with every signal blocked", ps_wait(pid),
	    SIGKILL);
}

static void
sig_ignore_discards_pending(void)
{
	sigset_t pend;

	set_handler(SIGUSR2, on_count, 0);
	block(SIGUSR2, SIG_BLOCK);
	CHECK_OK(raise(SIGUSR2));
	CHECK_OK(sigpending(&pend));
	CHECK(sigismember(&pend, SIGUSR2) == 1, "blocked SIGUSR2 not pending");
	/* Setting SIG_IGN discards a pending instance (POSIX). */
	signal(SIGUSR2, SIG_IGN);
	CHECK_OK(sigpending(&pend));
	CHECK(sigismember(&pend, SIGUSR2) == 0, "ignored signal still "
	    "pending");
	set_handler(SIGUSR2, on_count, 0);
	block(SIGUSR2, SIG_UNBLOCK);
	CHECK(hits == 0, "discarded signal delivered");
}

static void
sig_timedwait(void)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	siginfo_t si;
	sigset_t set;
	union sigval v;
	int r;

	set_handler(SIGUSR1, on_count, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGRTMIN + 4);
	CHECK_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	/* Nothing pending: the timeout ends it with EAGAIN. */
	CHECK_ERRNO(sigtimedwait(&set, &si, &ts), EAGAIN);
	ts.tv_nsec = 1000000000;
	CHECK_ERRNO(sigtimedwait(&set, &si, &ts), EINVAL);
	ts.tv_sec = 0;
	ts.tv_nsec = 0;
	CHECK_ERRNO(sigtimedwait(&set, &si, &ts), EAGAIN);
	/* A pending signal is taken without running its handler. */
	CHECK_OK(kill(getpid(), SIGUSR1));
	memset(&si, 0, sizeof(si));
	r = sigwaitinfo(&set, &si);
	CHECK(r == SIGUSR1 && si.si_signo == SIGUSR1 && si.si_code == SI_USER
	    && si.si_pid == getpid(), "sigwaitinfo: %d signo %d code %d "
	    "pid %d", r, si.si_signo, si.si_code, (int)si.si_pid);
	CHECK(hits == 0, "the handler ran for a waited-for signal");
	/* Queued real-time signals come out in order, with their values. */
	v.sival_int = 11;
	CHECK_OK(sigqueue(getpid(), SIGRTMIN + 4, v));
	v.sival_int = 22;
	CHECK_OK(sigqueue(getpid(), SIGRTMIN + 4, v));
	ts.tv_sec = 1;
	ts.tv_nsec = 0;
	r = sigtimedwait(&set, &si, &ts);
	CHECK(r == SIGRTMIN + 4 && si.si_code == SI_QUEUE &&
	    si.si_value.sival_int == 11, "first: %d code %d value %d", r,
	    si.si_code, si.si_value.sival_int);
	r = sigtimedwait(&set, &si, &ts);
	CHECK(r == SIGRTMIN + 4 && si.si_value.sival_int == 22,
	    "second: %d value %d", r, si.si_value.sival_int);
	CHECK_ERRNO(syscall(SYS_rt_sigtimedwait, &set, NULL, NULL, 4), EINVAL);
}

static int
pause_child(void *arg)
{

	for (;;)
		pause();
	return (0);
}

static void
sig_sigqueue_errors(void)
{
	siginfo_t si;
	pid_t pid;

	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR1;
	si.si_code = SI_QUEUE;
	CHECK_ERRNO(syscall(SYS_rt_sigqueueinfo, getpid(), 99, &si), EINVAL);
	CHECK_ERRNO(syscall(SYS_rt_sigqueueinfo, 0x3ffffff0, SIGUSR1, &si),
	    ESRCH);
	CHECK_ERRNO(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1,
	    (void *)8), EFAULT);
	pid = ps_spawn(pause_child, NULL);
	/* Only negative si_code values (not SI_TKILL) to another process. */
	si.si_code = SI_USER;
	CHECK_ERRNO(syscall(SYS_rt_sigqueueinfo, pid, SIGUSR1, &si), EPERM);
	si.si_code = SI_KERNEL;
	CHECK_ERRNO(syscall(SYS_rt_sigqueueinfo, pid, SIGUSR1, &si), EPERM);
	si.si_code = SI_TKILL;
	CHECK_ERRNO(syscall(SYS_rt_sigqueueinfo, pid, SIGUSR1, &si), EPERM);
	si.si_code = SI_QUEUE;
	CHECK(syscall(SYS_rt_sigqueueinfo, pid, SIGUSR1, &si) == 0,
	    "rt_sigqueueinfo SI_QUEUE to a child: %s", strerror(errno));
	ps_expect_signal("child", ps_wait(pid), SIGUSR1);
}

/* ---- FPU/SSE state ---- */

static volatile unsigned handler_mxcsr;

static void
on_fpu_clobber(int s)
{
	unsigned m = 0x7f80;		/* round toward zero */
	volatile long double ld = 1.0L;

	__asm__ volatile("stmxcsr %0" : "=m"(handler_mxcsr));
	/* Trash what the interrupted code keeps in the FPU. */
	__asm__ volatile("ldmxcsr %0\n\t"
	    "pcmpeqd %%xmm7, %%xmm7\n\t"
	    "pxor %%xmm0, %%xmm0\n\t"
	    : : "m"(m) : "xmm0", "xmm7");
	ld = ld / 3.0L;
	hits++;
}

static void
sig_fpu_state(void)
{
	uint64_t pattern = 0x400921fb54442d18ULL, out = 0;	/* pi */
	unsigned mset = 0x3f80, mout = 0, mdef = 0x1f80;	/* round down */
	long double x87 = 0;
	long r;

	set_handler(SIGUSR1, on_fpu_clobber, 0);
	/*
	 * xmm7, MXCSR and x87 st(0) hold values across a kill() of
	 * ourselves; the handler runs on the way back and changes all
	 * three.  rt_sigreturn must bring them back.
	 */
	__asm__ volatile(
	    "ldmxcsr %[ms]\n\t"
	    "movq %[pat], %%xmm7\n\t"
	    "fldpi\n\t"
	    "syscall\n\t"
	    "fstpt %[x]\n\t"
	    "movq %%xmm7, %[out]\n\t"
	    "stmxcsr %[mo]\n\t"
	    "ldmxcsr %[md]\n\t"
	    : "=a"(r), [out] "=r"(out), [mo] "=m"(mout), [x] "=m"(x87)
	    : "a"((long)SYS_kill), "D"((long)getpid()), "S"((long)SIGUSR1),
	      [ms] "m"(mset), [md] "m"(mdef), [pat] "r"(pattern)
	    : "rcx", "r11", "xmm7", "memory");
	CHECK(r == 0 && hits == 1, "kill %ld, handler ran %d times", r,
	    (int)hits);
	CHECK(handler_mxcsr == 0x1f80, "the handler started with MXCSR %#x, "
	    "want the default 0x1f80", handler_mxcsr);
	CHECK(out == pattern, "xmm7 %#llx after the handler, want %#llx",
	    (unsigned long long)out, (unsigned long long)pattern);
	CHECK(mout == mset, "MXCSR %#x after the handler, want %#x", mout,
	    mset);
	CHECK(x87 > 3.14159L && x87 < 3.14160L, "x87 st(0) %Lf after the "
	    "handler, want pi", x87);
}

/*
 * Floating-point work whose result depends on the SSE rounding mode and
 * on xmm registers kept live across the loop: two processes running it at
 * once with different modes must both get what one gets alone.
 */
static double
fpu_work(unsigned mxcsr, long n)
{
	unsigned def = 0x1f80;
	double acc = 0.0, k;
	long i;

	__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
	for (i = 1; i <= n; i++) {
		k = (double)i;
		acc += 1.0 / (k * k) + 1.0 / 3.0;
		__asm__ volatile("" : "+x"(acc));
	}
	__asm__ volatile("ldmxcsr %0" : : "m"(def));
	return (acc);
}

#define FPU_N	400000L

static int
fpu_child(void *arg)
{
	unsigned mode = (unsigned)(uintptr_t)arg;
	double want, got;
	int round;

	want = fpu_work(mode, FPU_N);
	for (round = 0; round < 3; round++) {
		got = fpu_work(mode, FPU_N);
		if (memcmp(&got, &want, sizeof(got)) != 0)
			return (1);
	}
	return (0);
}

static void
fpu_concurrent(void)
{
	double down, up;
	pid_t a, b;
	int sa, sb;

	down = fpu_work(0x3f80, 1000);
	up = fpu_work(0x5f80, 1000);
	CHECK(down != up, "rounding modes give the same result: the case "
	    "would prove nothing");
	/* Round down vs round up, both busy for many scheduler ticks. */
	a = ps_spawn(fpu_child, (void *)(uintptr_t)0x3f80);
	b = ps_spawn(fpu_child, (void *)(uintptr_t)0x5f80);
	sa = ps_wait(a);
	sb = ps_wait(b);
	ps_expect_exit("round-down process", sa, 0);
	ps_expect_exit("round-up process", sb, 0);
}

/* ---- more fault signals ---- */

static volatile int after_int3;

static void
fault_sigtrap_info(void)
{

	set_info_handler(SIGTRAP, 0);
	__asm__ volatile("int3");
	after_int3 = 1;
	CHECK(hits == 1 && got_signo == SIGTRAP && got_code == SI_KERNEL,
	    "int3: hits %d signo %d code %#x, want SIGTRAP/SI_KERNEL",
	    (int)hits, got_signo, got_code);
	CHECK(after_int3, "did not resume after int3");
}

/*
 * waitpid interrupted by a handled signal from another child: restarted
 * with SA_RESTART (it then reaps the child it waited for), -EINTR without.
 */
static void
interrupt_wait(int restart)
{
	pid_t me, slow, sig, r;
	int attempt, st, e;

	set_handler(SIGUSR1, on_armed, restart ? SA_RESTART : 0);
	me = getpid();
	for (attempt = 1; attempt <= 5; attempt++) {
		hits = early = armed = 0;
		slow = fork();
		CHECK(slow != -1, "fork");
		if (slow == 0) {
			ps_msleep(120 * attempt);
			_exit(7);
		}
		sig = fork();
		CHECK(sig != -1, "fork");
		if (sig == 0) {
			ps_msleep(30 * attempt);
			_exit(kill(me, SIGUSR1) == 0 ? 0 : 1);
		}
		armed = 1;
		r = waitpid(slow, &st, 0);
		e = errno;
		armed = 0;
		if (r == -1)
			(void)waitpid(slow, &st, 0);
		ps_expect_exit("signalling child", ps_wait(sig), 0);
		if (early || hits == 0)
			continue;
		if (restart) {
			CHECK(r == slow && WIFEXITED(st) && WEXITSTATUS(st) == 7,
			    "waitpid returned %d (%s), want the child (SA_RESTART)",
			    (int)r, r == -1 ? strerror(e) : "-");
		} else {
			CHECK(r == -1 && e == EINTR, "waitpid returned %d (%s), "
			    "want EINTR", (int)r, r == -1 ? strerror(e) : "-");
		}
		return;
	}
	ps_skip("the signal arrived before waitpid() blocked in 5 attempts");
}

static void
sig_restart_wait(void)
{

	interrupt_wait(1);
}

static void
sig_eintr_wait(void)
{

	interrupt_wait(0);
}

/* rt_sigtimedwait takes a blocked signal another process sends. */
static void
sig_timedwait_from_child(void)
{
	struct timespec ts = { 10, 0 };
	siginfo_t si;
	sigset_t set;
	pid_t me, pid;
	int r;

	set_handler(SIGUSR2, on_count, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	CHECK_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	me = getpid();
	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0) {
		ps_msleep(30);
		_exit(kill(me, SIGUSR2) == 0 ? 0 : 1);
	}
	memset(&si, 0, sizeof(si));
	r = sigtimedwait(&set, &si, &ts);
	CHECK(r == SIGUSR2 && si.si_pid == pid && si.si_code == SI_USER,
	    "sigtimedwait: %d (%s) pid %d (child %d) code %d", r,
	    r == -1 ? strerror(errno) : "-", (int)si.si_pid, (int)pid,
	    si.si_code);
	CHECK(hits == 0, "the handler ran for a waited-for signal");
	ps_expect_exit("child", ps_wait(pid), 0);
}

/* ---- signalfd ---- */

static void
sig_signalfd(void)
{
	struct signalfd_siginfo ssi;
	struct pollfd pfd;
	sigset_t set;
	char small[64];
	int fd, fd2, devnull;
	ssize_t n;

	set_handler(SIGUSR1, on_count, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	CHECK_ERRNO(syscall(SYS_signalfd4, -1, &set, 8, 0x1), EINVAL);
	CHECK_ERRNO(syscall(SYS_signalfd4, -1, &set, 4, 0), EINVAL);
	CHECK_ERRNO(syscall(SYS_signalfd4, -1, (void *)8, 8, 0), EFAULT);
	devnull = open("/dev/null", O_RDONLY);
	if (devnull >= 0) {
		CHECK_ERRNO(signalfd(devnull, &set, 0), EINVAL);
		close(devnull);
	}
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	CHECK(fd >= 0, "signalfd: %s", strerror(errno));
	CHECK((fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0, "SFD_CLOEXEC lost");
	CHECK_ERRNO(read(fd, &ssi, sizeof(ssi)), EAGAIN);
	pfd.fd = fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	CHECK(poll(&pfd, 1, 0) == 0, "poll: ready with nothing pending");
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN), "poll: not "
	    "readable with SIGUSR1 pending (revents %#x)", pfd.revents);
	CHECK_ERRNO(read(fd, small, sizeof(small)), EINVAL);
	n = read(fd, &ssi, sizeof(ssi));
	CHECK(n == (ssize_t)sizeof(ssi), "read %zd (%s)", n,
	    n < 0 ? strerror(errno) : "-");
	CHECK(ssi.ssi_signo == SIGUSR1 && ssi.ssi_code == SI_USER &&
	    ssi.ssi_pid == (uint32_t)getpid(), "signo %u code %d pid %u",
	    ssi.ssi_signo, ssi.ssi_code, ssi.ssi_pid);
	CHECK(hits == 0, "the handler ran for a signal read from signalfd");
	CHECK_OK(sigpending(&set));
	CHECK(sigismember(&set, SIGUSR1) == 0, "SIGUSR1 still pending");
	/* A new mask on the same fd; a blocking read is woken. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	CHECK_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	fd2 = signalfd(fd, &set, 0);
	CHECK(fd2 == fd, "signalfd(fd) returned %d, want %d", fd2, fd);
	fd2 = signalfd(-1, &set, 0);
	CHECK(fd2 >= 0, "blocking signalfd: %s", strerror(errno));
	{
		pid_t me = getpid(), pid = fork();

		CHECK(pid != -1, "fork");
		if (pid == 0) {
			ps_msleep(30);
			_exit(kill(me, SIGUSR2) == 0 ? 0 : 1);
		}
		n = read(fd2, &ssi, sizeof(ssi));
		CHECK(n == (ssize_t)sizeof(ssi) && ssi.ssi_signo == SIGUSR2 &&
		    ssi.ssi_pid == (uint32_t)pid, "blocking read %zd signo %u "
		    "pid %u (child %d)", n, n > 0 ? ssi.ssi_signo : 0,
		    n > 0 ? ssi.ssi_pid : 0, (int)pid);
		ps_expect_exit("child", ps_wait(pid), 0);
	}
	close(fd2);
	close(fd);
}

/* ---- two threads signalling another process at once ---- */

#define KT_EACH		20

static pid_t kt_target;
static volatile int kt_failed;

static void *
kt_sender(void *arg)
{
	union sigval v;
	int i;

	for (i = 0; i < KT_EACH; i++) {
		v.sival_int = i;
		if (sigqueue(kt_target, SIGRTMIN + 5, v) != 0)
			kt_failed = errno;
	}
	return (NULL);
}

static void
sig_kill_from_threads(void)
{
	struct timespec ts = { 10, 0 };
	pthread_t a, b;
	sigset_t set;
	int p[2], got;
	char c;

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 5);
	CHECK_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	CHECK_OK(pipe(p));
	kt_target = fork();
	CHECK(kt_target != -1, "fork");
	if (kt_target == 0) {
		close(p[0]);
		if (write(p[1], "r", 1) != 1)
			_exit(2);
		for (got = 0; got < 2 * KT_EACH; got++)
			if (sigtimedwait(&set, NULL, &ts) != SIGRTMIN + 5)
				break;
		_exit(got == 2 * KT_EACH ? 0 : 1);
	}
	close(p[1]);
	CHECK(read(p[0], &c, 1) == 1, "child not ready");
	close(p[0]);
	CHECK(pthread_create(&a, NULL, kt_sender, NULL) == 0, "create");
	CHECK(pthread_create(&b, NULL, kt_sender, NULL) == 0, "create");
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	CHECK(kt_failed == 0, "sigqueue from a thread failed: %s",
	    strerror(kt_failed));
	ps_expect_exit("receiver of 40 queued signals", ps_wait(kt_target), 0);
}

/* ---- SS_AUTODISARM ---- */

static stack_t ad_inside, ad_saved;
static volatile uintptr_t ad_sp;

static void
on_autodisarm(int s, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	char here;

	ad_sp = (uintptr_t)&here;
	sigaltstack(NULL, &ad_inside);
	ad_saved = uc->uc_stack;
	hits++;
}

static void
sig_autodisarm(void)
{
	struct sigaction sa;
	stack_t ss, cur;
	size_t size = 1 << 16;

	ss.ss_sp = malloc(size);
	ss.ss_size = size;
	ss.ss_flags = SS_AUTODISARM;
	CHECK(ss.ss_sp != NULL, "malloc");
	if (sigaltstack(&ss, NULL) == -1 && errno == EINVAL)
		ps_skip("SS_AUTODISARM not supported by this kernel");
	CHECK_OK(sigaltstack(NULL, &cur));
	CHECK(cur.ss_sp == ss.ss_sp && cur.ss_size == size &&
	    (unsigned)cur.ss_flags == SS_AUTODISARM, "read back sp %p size %zu flags "
	    "%#x", cur.ss_sp, cur.ss_size, cur.ss_flags);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_autodisarm;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	CHECK_OK(raise(SIGUSR1));
	CHECK(hits == 1, "handler did not run");
	CHECK(ad_sp >= (uintptr_t)ss.ss_sp && ad_sp < (uintptr_t)ss.ss_sp +
	    size, "handler not on the alternate stack");
	/* Inside the handler the stack is disarmed... */
	CHECK(ad_inside.ss_flags == SS_DISABLE, "inside: flags %#x, want "
	    "SS_DISABLE", ad_inside.ss_flags);
	/* ...its description is in uc_stack, and sigreturn re-arms it. */
	CHECK(ad_saved.ss_sp == ss.ss_sp && ad_saved.ss_size == size &&
	    (ad_saved.ss_flags & SS_AUTODISARM), "uc_stack sp %p size %zu "
	    "flags %#x", ad_saved.ss_sp, ad_saved.ss_size, ad_saved.ss_flags);
	CHECK_OK(sigaltstack(NULL, &cur));
	CHECK(cur.ss_sp == ss.ss_sp && cur.ss_size == size &&
	    (unsigned)cur.ss_flags == SS_AUTODISARM, "after: sp %p size %zu flags %#x",
	    cur.ss_sp, cur.ss_size, cur.ss_flags);
}

/* SIGCONT needs no uid match inside the session; other signals do. */
static void
kill_sigcont_session(void)
{
	pid_t victim, pid;

	if (!ps_root_can_drop())
		ps_skip("needs root to make a process of another uid");
	victim = fork();
	CHECK(victim != -1, "fork");
	if (victim == 0) {
		for (;;)
			pause();
	}
	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0) {
		if (setuid(65534) == -1)
			_exit(1);
		if (kill(victim, SIGTERM) != -1 || errno != EPERM)
			_exit(2);
		if (kill(victim, SIGCONT) != 0)
			_exit(3);
		_exit(0);
	}
	ps_expect_exit("unprivileged sender", ps_wait(pid), 0);
	kill(victim, SIGKILL);
	ps_expect_signal("victim", ps_wait(victim), SIGKILL);
}

/*
 * The orphaned process group rules (POSIX): a group whose members have
 * no parent in another group of their session is orphaned.  When the
 * exit of its last link orphans a group with a stopped member, every
 * member gets SIGHUP then SIGCONT; SIGTSTP/SIGTTIN/SIGTTOU with the
 * default action do not stop a member of an orphaned group (discarded).
 * Layout: a new session S (so the orphans' new parent, whoever reaps
 * them, is in another session), its child P leads group G, P's child K
 * is in G.  K reports over a pipe; P's exit orphans G.
 */
static int orph_fd = -1;

static void
orph_note(int s)
{
	char c = s == SIGHUP ? 'H' : 'C';

	(void)write(orph_fd, &c, 1);
}

/* K of the first part: stop, then report what woke it. */
static int
orph_stopped_k(void *arg)
{
	struct sigaction sa;
	int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = orph_note;
	if (sigaction(SIGHUP, &sa, NULL) == -1 ||
	    sigaction(SIGCONT, &sa, NULL) == -1)
		return (1);
	raise(SIGSTOP);
	for (i = 0; i < 100; i++)
		ps_msleep(1);		/* both handlers run meanwhile */
	(void)write(orph_fd, "E", 1);
	return (0);
}

/* K of the second part: once orphaned, job-control stops are no-ops. */
static int
orph_tstp_k(void *arg)
{
	pid_t p = (pid_t)(intptr_t)arg, me = getpid();
	int i;

	(void)write(orph_fd, &me, sizeof(me));
	for (i = 0; i < 5000 && getppid() == p; i++)
		ps_msleep(1);
	if (getppid() == p)
		return (1);
	raise(SIGTSTP);
	raise(SIGTTIN);
	raise(SIGTTOU);
	(void)write(orph_fd, "T", 1);
	return (0);
}

static int
orph_p(void *arg)
{
	int how = (int)(intptr_t)arg, st;
	pid_t k;

	if (setpgid(0, 0) == -1)
		return (20);
	if (how == 0) {
		k = ps_spawn(orph_stopped_k, NULL);
		/* Leave only once K is stopped: our exit orphans G. */
		if (k == -1 || waitpid(k, &st, WUNTRACED) != k ||
		    !WIFSTOPPED(st))
			return (21);
	} else if (ps_spawn(orph_tstp_k, (void *)(intptr_t)getpid()) == -1)
		return (22);
	return (0);
}

static int
orph_s(void *arg)
{
	pid_t p;
	int st;

	if (setsid() == -1)
		return (30);
	p = ps_spawn(orph_p, arg);
	if (p == -1 || waitpid(p, &st, 0) != p)
		return (31);
	return (WIFEXITED(st) ? WEXITSTATUS(st) : 32);
}

/* Read up to n bytes of the report, each within 10 s; returns the count. */
static size_t
orph_read(int fd, char *buf, size_t n)
{
	struct pollfd pf = { fd, POLLIN, 0 };
	size_t got = 0;
	ssize_t r;

	while (got < n && poll(&pf, 1, 10000) == 1) {
		r = read(fd, buf + got, n - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return (got);
}

static void
orphaned_pgrp(void)
{
	char buf[16];
	int p[2], i;
	size_t n;
	pid_t s, k2;

	/* 1: the orphaned group's stopped member gets SIGHUP + SIGCONT. */
	CHECK_OK(pipe(p));
	orph_fd = p[1];
	s = ps_spawn(orph_s, (void *)0);
	close(p[1]);
	ps_expect_exit("session leader (stopped member)", ps_wait(s), 0);
	n = orph_read(p[0], buf, 3);
	close(p[0]);
	buf[n] = '\0';
	CHECK(n == 3 && strchr(buf, 'H') != NULL && strchr(buf, 'C') != NULL &&
	    buf[2] == 'E', "the stopped member of the orphaned group reported "
	    "\"%s\", want SIGHUP and SIGCONT (H, C) then E", buf);
	/* 2: SIGTSTP/SIGTTIN/SIGTTOU do not stop an orphaned group's member. */
	CHECK_OK(pipe(p));
	orph_fd = p[1];
	s = ps_spawn(orph_s, (void *)1);
	close(p[1]);
	ps_expect_exit("session leader (job-control stops)", ps_wait(s), 0);
	n = orph_read(p[0], (char *)&k2, sizeof(k2));
	CHECK(n == sizeof(k2) && k2 > 0, "no pid from the orphan");
	n = orph_read(p[0], buf, 1);
	close(p[0]);
	if (n != 1 || buf[0] != 'T') {
		for (i = 0; i < 3; i++)
			kill(k2, SIGKILL);
		ps_fail("an orphaned group's member stopped on SIGTSTP/SIGTTIN/"
		    "SIGTTOU (no report)");
	}
}

const struct ps_case ps_cases_sig[] = {
	{ "sig_handler_runs", sig_handler_runs, 0 },
	{ "sig_siginfo_kill", sig_siginfo_kill, 0 },
	{ "sig_siginfo_from_child", sig_siginfo_from_child, 0 },
	{ "sig_sigqueue_value", sig_sigqueue_value, 0 },
	{ "sig_rt_queued", sig_rt_queued, 0 },
	{ "sig_mask_pending", sig_mask_pending, 0 },
	{ "sig_mask_errors", sig_mask_errors, 0 },
	{ "sig_action_errors", sig_action_errors, 0 },
	{ "sig_sigsuspend", sig_sigsuspend, 0 },
	{ "sig_mask_in_handler", sig_mask_in_handler, 0 },
	{ "sig_resethand", sig_resethand, 0 },
	{ "sig_context_preserved", sig_context_preserved, 0 },
	{ "sig_restart_read", sig_restart_read, 0 },
	{ "sig_eintr_read", sig_eintr_read, 0 },
	{ "sig_nanosleep_eintr", sig_nanosleep_eintr, 0 },
	{ "sig_onstack", sig_onstack, 0 },
	{ "sigaltstack_errors", sigaltstack_errors, 0 },
	{ "sig_default_actions", sig_default_actions, 0 },
	{ "sig_ignored", sig_ignored, 0 },
	{ "sigchld_on_exit", sigchld_on_exit, 0 },
	{ "sigchld_ignored_autoreap", sigchld_ignored_autoreap, 0 },
	{ "kill_errors", kill_errors, 0 },
	{ "tgkill_tkill", tgkill_tkill, 0 },
	{ "fault_segv_null", fault_segv_null, 0 },
	{ "fault_segv_siginfo", fault_segv_siginfo, 0 },
	{ "fault_write_rodata", fault_write_rodata, 0 },
	{ "fault_sigfpe", fault_sigfpe, 0 },
	{ "fault_sigill", fault_sigill, 0 },
	{ "fault_sigtrap", fault_sigtrap, 0 },
	{ "fault_sigbus", fault_sigbus, 0 },
	{ "fault_exec_nx", fault_exec_nx, 0 },
	{ "fault_stack_overflow", fault_stack_overflow, 0 },
	{ "fault_overflow_altstack", fault_overflow_altstack, 0 },
	{ "sig_nodefer", sig_nodefer, 0 },
	{ "sig_resethand_nodefer", sig_resethand_nodefer, 0 },
	{ "sigaltstack_eperm", sigaltstack_eperm, 0 },
	{ "sig_kill_uncatchable", sig_kill_uncatchable, 0 },
	{ "sig_ignore_discards_pending", sig_ignore_discards_pending, 0 },
	{ "sig_timedwait", sig_timedwait, 0 },
	{ "sig_sigqueue_errors", sig_sigqueue_errors, 0 },
	{ "sig_fpu_state", sig_fpu_state, 0 },
	{ "fpu_concurrent", fpu_concurrent, 60 },
	{ "fault_sigtrap_info", fault_sigtrap_info, 0 },
	{ "sig_restart_wait", sig_restart_wait, 0 },
	{ "sig_eintr_wait", sig_eintr_wait, 0 },
	{ "sig_timedwait_from_child", sig_timedwait_from_child, 0 },
	{ "sig_signalfd", sig_signalfd, 0 },
	{ "sig_kill_from_threads", sig_kill_from_threads, 0 },
	{ "sig_autodisarm", sig_autodisarm, 0 },
	{ "kill_sigcont_session", kill_sigcont_session, 0 },
	{ "orphaned_pgrp", orphaned_pgrp, 60 },
	{ NULL, NULL, 0 }
};
