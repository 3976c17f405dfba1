/*
 * cases_proc.c -- process cases of psuite: fork and copy-on-write, vfork,
 * exec semantics (through psuite-child's report), wait4/waitid statuses,
 * zombies and orphans, process groups and sessions, credentials and
 * resource limits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "psuite.h"

static char report[8192];

static int	 global_var = 1;

/* A pid that surely names no process: a reaped child's. */
static pid_t
dead_pid(void)
{
	pid_t pid;

	pid = fork();
	if (pid == -1)
		ps_fail("fork: %s", strerror(errno));
	if (pid == 0)
		_exit(0);
	ps_wait(pid);
	return (pid);
}

/* ---- fork ---- */

static void
fork_returns_pid(void)
{
	pid_t pid;
	int st;

	pid = fork();
	CHECK(pid != -1, "fork: %s", strerror(errno));
	if (pid == 0)
		_exit(getpid() != 0 ? 7 : 1);
	CHECK(pid > 0, "fork returned %d", (int)pid);
	st = ps_wait(pid);
	ps_expect_exit("child", st, 7);
}

static int
cow_child(void *arg)
{
	char *heap = arg;
	int i;

	if (global_var != 1 || heap[0] != 'a')
		return (1);
	global_var = 2;
	for (i = 0; i < 4 << 20; i += 4096)
		heap[i] = 'b';
	return (global_var == 2 && heap[4096] == 'b' ? 0 : 2);
}

static void
fork_cow_memory(void)
{
	char *heap;
	pid_t pid;
	int i;

	heap = malloc(4 << 20);
	CHECK(heap != NULL, "malloc");
	memset(heap, 'a', 4 << 20);
	pid = ps_spawn(cow_child, heap);
	ps_expect_exit("child writing its copy", ps_wait(pid), 0);
	CHECK(global_var == 1, "child's write to a global reached the parent");
	for (i = 0; i < 4 << 20; i += 4096)
		CHECK(heap[i] == 'a', "child's write reached parent page %d",
		    i / 4096);
}

static int
cow_after_fork_child(void *arg)
{
	int *p = arg;
	int i;

	/* The parent writes after fork; this copy must not see it. */
	for (i = 0; i < 50; i++) {
		if (*p != 5)
			return (1);
		ps_msleep(2);
	}
	return (0);
}

static void
fork_cow_parent_write(void)
{
	int *p;
	pid_t pid;

	p = malloc(sizeof(*p));
	CHECK(p != NULL, "malloc");
	*p = 5;
	pid = ps_spawn(cow_after_fork_child, p);
	*p = 6;
	ps_expect_exit("child", ps_wait(pid), 0);
}

static int
offset_child(void *arg)
{
	int fd = *(int *)arg;

	return (write(fd, "child", 5) == 5 ? 0 : 1);
}

static void
fork_fd_shared_offset(void)
{
	const char *path;
	char buf[16];
	int fd;

	path = ps_scratch_path("offset");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd != -1, "open %s: %s", path, strerror(errno));
	CHECK(write(fd, "par", 3) == 3, "write");
	ps_run_child("child writes", offset_child, &fd);
	CHECK(lseek(fd, 0, SEEK_CUR) == 8, "parent offset %ld, want 8 "
	    "(offset not shared)", (long)lseek(fd, 0, SEEK_CUR));
	CHECK(pread(fd, buf, 8, 0) == 8 && memcmp(buf, "parchild", 8) == 0,
	    "file content not 'parchild'");
	close(fd);
	unlink(path);
}

static int
close_child(void *arg)
{
	int *p = arg;

	close(p[0]);
	close(p[1]);
	return (0);
}

static void
fork_fd_close_independent(void)
{
	int p[2];
	char c;

	CHECK_OK(pipe(p));
	ps_run_child("child closes", close_child, p);
	CHECK(write(p[1], "x", 1) == 1, "parent write after child close: %s",
	    strerror(errno));
	CHECK(read(p[0], &c, 1) == 1 && c == 'x', "parent read");
}

static int
ppid_child(void *arg)
{

	return (getppid() == *(pid_t *)arg && getpid() != *(pid_t *)arg ?
	    0 : 1);
}

static void
fork_child_ids(void)
{
	pid_t me = getpid();

	ps_run_child("child getppid/getpid", ppid_child, &me);
}

static void
fork_many_children(void)
{
	pid_t pids[32];
	int i, st;

	for (i = 0; i < 32; i++) {
		pids[i] = fork();
		CHECK(pids[i] != -1, "fork %d: %s", i, strerror(errno));
		if (pids[i] == 0)
			_exit(i + 1);
	}
	for (i = 31; i >= 0; i--) {
		st = ps_wait(pids[i]);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == i + 1,
		    "child %d: %s", i, ps_status_str(st));
	}
	CHECK_ERRNO(wait(NULL), ECHILD);
}

static void
vfork_shares_memory(void)
{
	volatile int shared = 0;
	pid_t pid;
	int st;

	pid = vfork();
	CHECK(pid != -1, "vfork: %s", strerror(errno));
	if (pid == 0) {
		shared = 1;
		_exit(9);
	}
	st = ps_wait(pid);
	ps_expect_exit("vfork child", st, 9);
	CHECK(shared == 1, "vfork child's store not seen by the parent");
}

/* ---- exec ---- */

static void
exec_argv_env(void)
{
	char *av[] = { "report", "one", "", "two words", NULL };
	char *ev[] = { "PSUITE_A=1", "PSUITE_B=x y", NULL };
	const char *v;
	int st;

	st = ps_run_helper(av, ev, report, sizeof(report), NULL);
	ps_expect_exit("helper", st, 0);
	CHECK((v = ps_report_get(report, "argc")) && strcmp(v, "4") == 0,
	    "argc %s, want 4", v ? v : "missing");
	CHECK((v = ps_report_get(report, "argv1")) && strcmp(v, "one") == 0,
	    "argv1");
	CHECK((v = ps_report_get(report, "argv2")) && *v == '\0', "argv2");
	CHECK((v = ps_report_get(report, "argv3")) &&
	    strcmp(v, "two words") == 0, "argv3");
	CHECK((v = ps_report_get(report, "envc")) && strcmp(v, "2") == 0,
	    "envc %s, want 2", v ? v : "missing");
	CHECK((v = ps_report_get(report, "env1")) &&
	    strcmp(v, "PSUITE_B=x y") == 0, "env1");
}

static void
exec_empty_env(void)
{
	char *av[] = { "report", NULL };
	char *ev[] = { NULL };
	const char *v;

	ps_expect_exit("helper", ps_run_helper(av, ev, report, sizeof(report),
	    NULL), 0);
	CHECK((v = ps_report_get(report, "envc")) && strcmp(v, "0") == 0,
	    "envc %s, want 0", v ? v : "missing");
}

static void
exec_pid_kept(void)
{
	char *ev[] = { NULL };
	char *out;
	int p[2], st;
	char want[32];
	pid_t pid;
	const char *v;
	ssize_t n;

	/* Fork here so the pid of the exec'ing process is known. */
	CHECK_OK(pipe(p));
	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0) {
		char *a[] = { (char *)ps_helper, "report", NULL };

		dup2(p[1], 1);
		execve(ps_helper, a, ev);
		_exit(127);
	}
	close(p[1]);
	out = report;
	n = 0;
	while (n < (ssize_t)sizeof(report) - 1) {
		ssize_t r = read(p[0], out + n, sizeof(report) - 1 - n);
		if (r <= 0)
			break;
		n += r;
	}
	report[n] = '\0';
	st = ps_wait(pid);
	ps_expect_exit("helper", st, 0);
	snprintf(want, sizeof(want), "%d", (int)pid);
	CHECK((v = ps_report_get(report, "pid")) && strcmp(v, want) == 0,
	    "pid after exec %s, want %s", v ? v : "missing", want);
	snprintf(want, sizeof(want), "%d", (int)getpid());
	CHECK((v = ps_report_get(report, "ppid")) && strcmp(v, want) == 0,
	    "ppid after exec %s, want %s", v ? v : "missing", want);
}

static int fd_keep, fd_cloexec, fd_ocloexec;

static void
setup_fds(void)
{
	int fl;

	/* Fixed numbers so the report names them. */
	dup2(fd_keep, 40);
	dup2(fd_cloexec, 41);
	fl = fcntl(41, F_GETFD);
	fcntl(41, F_SETFD, fl | FD_CLOEXEC);
	dup3(fd_ocloexec, 42, O_CLOEXEC);
}

static int
has_fd(const char *list, int fd)
{
	char key[16];
	char buf[600];

	snprintf(key, sizeof(key), ",%d,", fd);
	snprintf(buf, sizeof(buf), ",%s", list);
	return (strstr(buf, key) != NULL);
}

static void
exec_fds(void)
{
	char *av[] = { "report", NULL };
	char *ev[] = { NULL };
	const char *v;

	fd_keep = open("/", O_RDONLY);
	fd_cloexec = open("/", O_RDONLY);
	fd_ocloexec = open("/", O_RDONLY);
	CHECK(fd_keep != -1 && fd_cloexec != -1 && fd_ocloexec != -1,
	    "open /: %s", strerror(errno));
	ps_expect_exit("helper", ps_run_helper(av, ev, report,
	    sizeof(report), setup_fds), 0);
	v = ps_report_get(report, "fds");
	CHECK(v != NULL, "no fds line");
	CHECK(has_fd(v, 1), "stdout (the report pipe) missing: %s", v);
	CHECK(has_fd(v, 40), "fd 40 without FD_CLOEXEC was closed: %s", v);
	CHECK(!has_fd(v, 41), "fd 41 with FD_CLOEXEC stayed open: %s", v);
	CHECK(!has_fd(v, 42), "fd 42 dup3(O_CLOEXEC) stayed open: %s", v);
}

static void
on_usr(int s)
{
}

static void
setup_sigs(void)
{
	sigset_t set;

	signal(SIGUSR1, on_usr);
	signal(SIGUSR2, SIG_IGN);
	signal(SIGTERM, on_usr);
	signal(SIGHUP, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGRTMIN + 2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGINT);
}

static void
exec_signal_state(void)
{
	char *av[] = { "report", NULL };
	char *ev[] = { NULL };
	const char *v;
	unsigned long long m, want;

	ps_expect_exit("helper", ps_run_helper(av, ev, report,
	    sizeof(report), setup_sigs), 0);
	CHECK((v = ps_report_get(report, "hnd")) && *v == '\0',
	    "handled signals survived exec: %s", v ? v : "missing");
	v = ps_report_get(report, "ign");
	CHECK(v != NULL && has_fd(v, SIGUSR2) && has_fd(v, SIGHUP),
	    "ignored SIGUSR2/SIGHUP not kept: ign=%s", v ? v : "missing");
	CHECK(!has_fd(v, SIGUSR1) && !has_fd(v, SIGTERM),
	    "handled signal became ignored: ign=%s", v);
	v = ps_report_get(report, "blocked");
	CHECK(v != NULL, "no blocked line");
	m = strtoull(v, NULL, 16);
	want = 1ULL << (SIGINT - 1) | 1ULL << (SIGRTMIN + 2 - 1);
	CHECK((m & want) == want, "mask not kept across exec: %llx", m);
	v = ps_report_get(report, "pending");
	CHECK(v != NULL && (strtoull(v, NULL, 16) & 1ULL << (SIGINT - 1)),
	    "pending blocked SIGINT lost across exec: %s", v ? v : "-");
}

static void
exec_errors(void)
{
	char *av[] = { "x", NULL };
	char *ev[] = { NULL };
	int keep = 77;

	CHECK_ERRNO(execve("/nonexistent/psuite", av, ev), ENOENT);
	CHECK_ERRNO(execve("/", av, ev), EACCES);
	CHECK_ERRNO(execve(ps_addr(8), av, ev), EFAULT);
	CHECK_ERRNO(execve("", av, ev), ENOENT);
	/* The caller is intact after the failures. */
	CHECK(keep == 77 && getpid() > 0, "caller damaged");
}

static void
exec_execveat(void)
{
	char *av[] = { "execveat", "exit", "44", NULL };
	char *ev[] = { NULL };
	char dir[512], *slash;
	pid_t pid;
	int fd, dfd;

	fd = open(ps_helper, O_RDONLY | O_CLOEXEC);
	CHECK(fd != -1, "open %s: %s", ps_helper, strerror(errno));
	snprintf(dir, sizeof(dir), "%s", ps_helper);
	slash = strrchr(dir, '/');
	CHECK(slash != NULL, "helper path %s is not absolute", ps_helper);
	*slash = '\0';
	dfd = open(dir[0] != '\0' ? dir : "/", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC);
	CHECK(dfd != -1, "open %s: %s", dir, strerror(errno));
	/* By fd (AT_EMPTY_PATH), the way fexecve does it. */
	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0) {
		syscall(SYS_execveat, fd, "", av, ev, AT_EMPTY_PATH);
		_exit(errno == ENOSYS ? 98 : 97);
	}
	ps_expect_exit("execveat(fd, \"\", AT_EMPTY_PATH)", ps_wait(pid), 44);
	/* Relative to a directory fd. */
	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0) {
		syscall(SYS_execveat, dfd, slash + 1, av, ev, 0);
		_exit(97);
	}
	ps_expect_exit("execveat(dirfd, name)", ps_wait(pid), 44);
	CHECK_ERRNO(syscall(SYS_execveat, fd, "", av, ev,
	    AT_EMPTY_PATH | 0x40000000), EINVAL);
	CHECK_ERRNO(syscall(SYS_execveat, 999, "x", av, ev, 0), EBADF);
	CHECK_ERRNO(syscall(SYS_execveat, fd, "", av, ev, 0), ENOENT);
	CHECK_ERRNO(syscall(SYS_execveat, fd, "x", av, ev, 0), ENOTDIR);
}

/* execve of a relative path resolves against the caller's cwd. */
static void
exec_relative_cwd(void)
{
	char *av[] = { "relative", "exit", "45", NULL };
	char *ev[] = { NULL };
	char dir[512], *slash;
	pid_t pid;

	snprintf(dir, sizeof(dir), "%s", ps_helper);
	slash = strrchr(dir, '/');
	CHECK(slash != NULL && slash != dir, "helper path %s is not absolute "
	    "below /", ps_helper);
	*slash = '\0';
	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0) {
		if (chdir(dir) != 0)
			_exit(96);
		execve(slash + 1, av, ev);
		_exit(97);
	}
	ps_expect_exit("execve(name) after chdir(helper's directory)",
	    ps_wait(pid), 45);
	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0) {
		if (chdir("/") != 0)
			_exit(96);
		execve(slash + 1, av, ev);
		_exit(errno == ENOENT ? 0 : 98);
	}
	ps_expect_exit("the same name from / (ENOENT)", ps_wait(pid), 0);
}

static void
wait4_rusage(void)
{
	struct rusage ru;
	pid_t pid;
	int st;

	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0)
		_exit(4);
	memset(&ru, 0xff, sizeof(ru));
	CHECK(wait4(pid, &st, 0, &ru) == pid, "wait4: %s", strerror(errno));
	ps_expect_exit("child", st, 4);
	CHECK(ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec >= 0 &&
	    ru.ru_utime.tv_usec < 1000000 && ru.ru_stime.tv_sec >= 0 &&
	    ru.ru_stime.tv_usec >= 0 && ru.ru_stime.tv_usec < 1000000,
	    "rusage times not filled in");
	CHECK_OK(getrusage(RUSAGE_SELF, &ru));
	CHECK_ERRNO(getrusage(99, &ru), EINVAL);
}

static void
exec_exit_status(void)
{
	char *av[] = { "exit", "37", NULL };
	char *ev[] = { NULL };
	char out[64];

	ps_expect_exit("helper exit 37", ps_run_helper(av, ev, out,
	    sizeof(out), NULL), 37);
}

static void
exec_null_deref(void)
{
	char *av[] = { "null", NULL };
	char *ev[] = { NULL };
	char out[64];

	ps_expect_signal("helper null", ps_run_helper(av, ev, out,
	    sizeof(out), NULL), SIGSEGV);
}

static void
exec_rlimit_kept(void)
{
	char *av[] = { "report", NULL };
	char *ev[] = { NULL };
	struct rlimit rl;
	const char *v;

	CHECK_OK(getrlimit(RLIMIT_NOFILE, &rl));
	rl.rlim_cur = 77;
	CHECK_OK(setrlimit(RLIMIT_NOFILE, &rl));
	ps_expect_exit("helper", ps_run_helper(av, ev, report,
	    sizeof(report), NULL), 0);
	CHECK((v = ps_report_get(report, "nofile")) && strcmp(v, "77") == 0,
	    "RLIMIT_NOFILE after fork+exec %s, want 77", v ? v : "-");
}

/*
 * RLIMIT_STACK at exec: with a 4 MiB soft limit the new image can use
 * 2 MiB of stack (RustOS's default stack is 512 KiB, so this needs the
 * limit to be honoured); a 256 KiB limit stops a 2 MiB user with SIGSEGV.
 */
static void
exec_rlimit_stack(void)
{
	char *av[] = { "stack", "2048", NULL };
	char *ev[] = { NULL };
	char out[64];
	struct rlimit rl, old;

	CHECK_OK(getrlimit(RLIMIT_STACK, &old));
	rl = old;
	rl.rlim_cur = 4UL << 20;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < rl.rlim_cur)
		ps_skip("hard RLIMIT_STACK %llu below 4 MiB",
		    (unsigned long long)rl.rlim_max);
	CHECK_OK(setrlimit(RLIMIT_STACK, &rl));
	ps_expect_exit("2 MiB of stack under a 4 MiB RLIMIT_STACK",
	    ps_run_helper(av, ev, out, sizeof(out), NULL), 0);
	rl.rlim_cur = 256UL << 10;
	CHECK_OK(setrlimit(RLIMIT_STACK, &rl));
	ps_expect_signal("2 MiB of stack under a 256 KiB RLIMIT_STACK",
	    ps_run_helper(av, ev, out, sizeof(out), NULL), SIGSEGV);
	CHECK_OK(setrlimit(RLIMIT_STACK, &old));
}

static void
forkbomb_bounded(void)
{
	char *av[] = { "forkbomb", NULL };
	char *ev[] = { NULL };
	char out[128];
	pid_t pid;
	int st;

	/* Root ignores RLIMIT_NPROC: the helper becomes uid 65534 first. */
	ps_root_can_drop();
	st = ps_run_helper(av, ev, out, sizeof(out), NULL);
	ps_expect_exit(out[0] ? out : "forkbomb", st, 0);
	/* The system keeps working afterwards. */
	pid = fork();
	CHECK(pid != -1, "fork after the fork bomb: %s", strerror(errno));
	if (pid == 0)
		_exit(0);
	ps_expect_exit("fork after the bomb", ps_wait(pid), 0);
}

/* ---- wait ---- */

static void
wait_exit_codes(void)
{
	static const int codes[] = { 0, 1, 42, 255, 256 };
	pid_t pid;
	int i, st;

	for (i = 0; i < 5; i++) {
		pid = fork();
		CHECK(pid != -1, "fork");
		if (pid == 0)
			_exit(codes[i]);
		st = ps_wait(pid);
		ps_expect_exit("child", st, codes[i] & 0xff);
	}
}

static void
wait_signaled(void)
{
	pid_t pid;

	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		kill(getpid(), SIGTERM);
		_exit(1);
	}
	ps_expect_signal("child", ps_wait(pid), SIGTERM);
	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0) {
		pause();
		_exit(1);
	}
	CHECK_OK(kill(pid, SIGKILL));
	ps_expect_signal("killed child", ps_wait(pid), SIGKILL);
}

static void
wait_wnohang(void)
{
	int p[2], st;
	char c;
	pid_t pid;

	CHECK_OK(pipe(p));
	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0) {
		close(p[1]);
		read(p[0], &c, 1);
		_exit(3);
	}
	close(p[0]);
	CHECK(waitpid(pid, &st, WNOHANG) == 0, "WNOHANG on a running child "
	    "did not return 0");
	close(p[1]);
	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		CHECK(r != -1, "waitpid: %s", strerror(errno));
		if (r == pid)
			break;
		ps_msleep(1);
	}
	ps_expect_exit("child", st, 3);
}

static void
wait_echild(void)
{
	int st;

	CHECK_ERRNO(wait4(-1, &st, 0, NULL), ECHILD);
	CHECK_ERRNO(wait4(-1, &st, WNOHANG, NULL), ECHILD);
	CHECK_ERRNO(waitpid(getppid(), &st, 0), ECHILD);
	CHECK_ERRNO(waitpid(dead_pid(), &st, 0), ECHILD);
}

static void
wait_errors(void)
{
	pid_t pid;

	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0)
		_exit(0);
	CHECK_ERRNO(wait4(pid, NULL, 0x100, NULL), EINVAL);
	CHECK_ERRNO(wait4(pid, (int *)8, 0, NULL), EFAULT);
	/* The bad-pointer wait may or may not have reaped it; no hang. */
	waitpid(pid, NULL, WNOHANG);
}

static void
wait_specific_pid(void)
{
	pid_t a, b;
	int p[2];
	char c;

	CHECK_OK(pipe(p));
	a = fork();
	CHECK(a != -1, "fork");
	if (a == 0) {
		close(p[1]);
		read(p[0], &c, 1);
		_exit(1);
	}
	b = fork();
	CHECK(b != -1, "fork");
	if (b == 0)
		_exit(2);
	ps_expect_exit("second child", ps_wait(b), 2);
	close(p[1]);
	ps_expect_exit("first child", ps_wait(a), 1);
}

static void
waitid_statuses(void)
{
	siginfo_t si;
	pid_t pid;

	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0)
		_exit(5);
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_PID, pid, &si, WEXITED));
	CHECK(si.si_pid == pid && si.si_signo == SIGCHLD &&
	    si.si_code == CLD_EXITED && si.si_status == 5,
	    "waitid: pid %d signo %d code %d status %d", (int)si.si_pid,
	    si.si_signo, si.si_code, si.si_status);
	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0) {
		pause();
		_exit(0);
	}
	kill(pid, SIGKILL);
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_PID, pid, &si, WEXITED));
	CHECK(si.si_code == CLD_KILLED && si.si_status == SIGKILL,
	    "waitid killed: code %d status %d", si.si_code, si.si_status);
}

static void
waitid_wnowait(void)
{
	siginfo_t si;
	pid_t pid;

	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0)
		_exit(6);
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	CHECK(si.si_pid == pid && si.si_status == 6, "WNOWAIT peek");
	ps_expect_exit("reaped after WNOWAIT", ps_wait(pid), 6);
	CHECK_ERRNO(waitid(P_PID, pid, &si, WEXITED), ECHILD);
	CHECK_ERRNO(waitid(P_ALL, 0, &si, 0), EINVAL);
	CHECK_ERRNO(waitid(99, 0, &si, WEXITED), EINVAL);
}

static void
wait_stop_continue(void)
{
	pid_t pid;
	int st;

	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0) {
		for (;;)
			pause();
	}
	CHECK_OK(kill(pid, SIGSTOP));
	CHECK(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) &&
	    WSTOPSIG(st) == SIGSTOP, "stop: %s", ps_status_str(st));
	CHECK_OK(kill(pid, SIGCONT));
	CHECK(waitpid(pid, &st, WCONTINUED) == pid && WIFCONTINUED(st),
	    "continue: status %#x", st);
	kill(pid, SIGKILL);
	ps_expect_signal("child", ps_wait(pid), SIGKILL);
}

static void
wait_process_group(void)
{
	pid_t a, b, r;
	int st, n;

	a = fork();
	CHECK(a != -1, "fork");
	if (a == 0) {
		setpgid(0, 0);
		_exit(1);
	}
	setpgid(a, a);
	b = fork();
	CHECK(b != -1, "fork");
	if (b == 0)
		_exit(2);
	/* wait4(0): only children in the caller's own group (b). */
	r = wait4(0, &st, 0, NULL);
	CHECK(r == b, "wait4(0) returned %d, want %d", (int)r, (int)b);
	n = 0;
	while (waitpid(-a, &st, 0) == a)
		n++;
	CHECK(n == 1, "wait for -pgid reaped %d", n);
}

static void
zombie_reaped(void)
{
	siginfo_t si;
	pid_t pid;

	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0)
		_exit(0);
	/* Until it is reaped the zombie keeps its pid. */
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	CHECK_OK(kill(pid, 0));
	ps_wait(pid);
	CHECK_ERRNO(kill(pid, 0), ESRCH);
}

static void
orphan_reparented(void)
{
	int p[2], q[2];
	pid_t mid, old, now;
	char c;
	int i;

	CHECK_OK(pipe(p));
	CHECK_OK(pipe(q));
	mid = fork();
	CHECK(mid != -1, "fork");
	if (mid == 0) {
		old = getpid();
		if (fork() == 0) {
			/* Grandchild: wait until the middle process is gone. */
			close(p[0]);
			close(q[1]);
			read(q[0], &c, 1);
			for (i = 0; i < 2000; i++) {
				now = getppid();
				if (now != old)
					break;
				ps_msleep(1);
			}
			c = now != old && now > 0 && (ps_orphan_reaper == 0 ||
			    now == ps_orphan_reaper) ? 'y' : 'n';
			write(p[1], &c, 1);
			_exit(0);
		}
		_exit(0);
	}
	close(p[1]);
	close(q[0]);
	ps_expect_exit("middle process", ps_wait(mid), 0);
	close(q[1]);
	c = 0;
	CHECK(read(p[0], &c, 1) == 1, "grandchild did not report");
	CHECK(c == 'y', "orphan's getppid() did not change after its "
	    "parent exited%s", ps_orphan_reaper != 0 ? " to the suite's "
	    "parent (initd, the child subreaper)" : "");
}

/* ---- process groups and sessions ---- */

static void
pgrp_basics(void)
{
	pid_t pid;
	int p[2];
	char c;

	CHECK(getpgid(0) == getpgrp(), "getpgid(0) != getpgrp()");
	CHECK(getpgid(0) == getpid(), "case process is not its group leader");
	CHECK_OK(pipe(p));
	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0) {
		close(p[1]);
		read(p[0], &c, 1);
		_exit(getpgid(0) == getpid() ? 0 : 1);
	}
	CHECK(getpgid(pid) == getpid(), "child not in parent's group");
	CHECK_OK(setpgid(pid, pid));
	CHECK(getpgid(pid) == pid, "setpgid(child, child) not seen");
	CHECK_OK(setpgid(pid, getpid()));
	CHECK(getpgid(pid) == getpid(), "moving back failed");
	CHECK_OK(setpgid(pid, 0));
	close(p[1]);
	ps_expect_exit("child", ps_wait(pid), 0);
}

static void
pgrp_errors(void)
{
	pid_t dead = dead_pid();

	CHECK_ERRNO(setpgid(dead, 0), ESRCH);
	CHECK_ERRNO(getpgid(dead), ESRCH);
	CHECK_ERRNO(getsid(dead), ESRCH);
	CHECK_ERRNO(setpgid(0, -1), EINVAL);
	/* A group leader cannot start a session. */
	CHECK_ERRNO(setsid(), EPERM);
}

static int
setsid_child(void *arg)
{
	pid_t sid;

	sid = setsid();
	if (sid != getpid())
		return (1);
	if (getsid(0) != sid || getpgid(0) != sid)
		return (2);
	/* A session leader cannot change its group. */
	if (setpgid(0, 0) != 0 && errno != EPERM)
		return (3);
	return (setsid() == -1 && errno == EPERM ? 0 : 4);
}

static void
session_new(void)
{

	/*
	 * getsid(0) is 0, not an error, when the session leader lives outside
	 * the caller's pid namespace (a CI sandbox); only -1 is a failure.
	 */
	CHECK(getsid(0) != -1, "getsid(0): %s", strerror(errno));
	ps_run_child("setsid child", setsid_child, NULL);
}

static void
setpgid_other_session(void)
{
	int p[2], q[2];
	pid_t pid;
	char c;

	CHECK_OK(pipe(p));
	CHECK_OK(pipe(q));
	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0) {
		close(p[0]);
		close(q[1]);
		c = setsid() == getpid() ? 'y' : 'n';
		write(p[1], &c, 1);
		read(q[0], &c, 1);
		_exit(0);
	}
	close(p[1]);
	close(q[0]);
	CHECK(read(p[0], &c, 1) == 1 && c == 'y', "child setsid failed");
	CHECK_ERRNO(setpgid(pid, getpid()), EPERM);
	close(q[1]);
	ps_expect_exit("child", ps_wait(pid), 0);
}

static void
setpgid_after_exec(void)
{
	char *av[3];
	char *ev[] = { NULL };
	int in[2], sync[2];
	pid_t pid;
	char c;

	/* sync is close-on-exec: its EOF says the exec happened. */
	CHECK_OK(pipe(in));
	CHECK_OK(pipe2(sync, O_CLOEXEC));
	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0) {
		close(sync[0]);
		dup2(in[0], 0);
		close(in[0]);
		close(in[1]);
		av[0] = (char *)ps_helper;
		av[1] = "waiteof";
		av[2] = NULL;
		execve(ps_helper, av, ev);
		_exit(127);
	}
	close(in[0]);
	close(sync[1]);
	CHECK(read(sync[0], &c, 1) == 0, "sync pipe");
	CHECK_ERRNO(setpgid(pid, pid), EACCES);
	close(in[1]);
	ps_expect_exit("helper", ps_wait(pid), 0);
}

static void
kill_process_group(void)
{
	pid_t pids[3];
	int i;

	for (i = 0; i < 3; i++) {
		pids[i] = fork();
		CHECK(pids[i] != -1, "fork");
		if (pids[i] == 0) {
			setpgid(0, i == 0 ? 0 : pids[0]);
			for (;;)
				pause();
		}
		/* Both sides set it, so the group exists before kill. */
		CHECK_OK(setpgid(pids[i], pids[0]));
	}
	CHECK_OK(kill(-pids[0], SIGTERM));
	for (i = 0; i < 3; i++)
		ps_expect_signal("group member", ps_wait(pids[i]), SIGTERM);
}

/* ---- credentials ---- */

static void
cred_consistent(void)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;
	gid_t groups[256];

	CHECK_OK(getresuid(&r, &e, &s));
	CHECK(r == getuid() && e == geteuid(), "getresuid disagrees with "
	    "getuid/geteuid");
	CHECK_OK(getresgid(&gr, &ge, &gs));
	CHECK(gr == getgid() && ge == getegid(), "getresgid disagrees");
	CHECK(getgroups(256, groups) >= 0, "getgroups: %s", strerror(errno));
	CHECK(syscall(SYS_getresuid, (uid_t *)8, &e, &s) == -1 &&
	    errno == EFAULT, "getresuid(bad pointer) did not fail EFAULT");
}

static void
cred_setuid_drop(void)
{
	uid_t r, e, s;

	if (!ps_root_can_drop())
		ps_skip("needs root (uid %d)", (int)geteuid());
	CHECK_OK(seteuid(65534));
	CHECK(geteuid() == 65534 && getuid() == 0, "seteuid");
	CHECK_OK(seteuid(0));
	CHECK(geteuid() == 0, "seteuid back to the saved uid 0");
	CHECK_OK(setgid(65534));
	CHECK_OK(setuid(65534));
	CHECK_OK(getresuid(&r, &e, &s));
	CHECK(r == 65534 && e == 65534 && s == 65534, "setuid as root "
	    "left %d/%d/%d", (int)r, (int)e, (int)s);
	CHECK_ERRNO(setuid(0), EPERM);
	CHECK_ERRNO(seteuid(0), EPERM);
	CHECK_ERRNO(setgid(0), EPERM);
}

static void
cred_nonroot_eperm(void)
{
	pid_t pid;

	if (!ps_root_can_drop()) {
		CHECK_ERRNO(setuid(0), EPERM);
		return;
	}
	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0) {
		if (setuid(65534) == -1)
			_exit(1);
		if (setresuid(0, 0, 0) != -1 || errno != EPERM)
			_exit(2);
		_exit(0);
	}
	ps_expect_exit("unprivileged child", ps_wait(pid), 0);
}

static void
kill_eperm(void)
{
	pid_t victim, pid;
	int st;

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
		if (kill(victim, 0) != -1 || errno != EPERM)
			_exit(2);
		if (kill(victim, SIGTERM) != -1 || errno != EPERM)
			_exit(3);
		_exit(0);
	}
	st = ps_wait(pid);
	kill(victim, SIGKILL);
	ps_wait(victim);
	ps_expect_exit("unprivileged killer", st, 0);
}

/*
 * The new image's auxv ids are the Linux credentials at exec: AT_UID/
 * AT_EUID/AT_GID/AT_EGID the real and effective ids, AT_SECURE 1 when
 * they differ (an unprivileged real uid keeping another effective one).
 */
static void
auxv_drop_all(void)
{

	if (setresgid(65534, 65534, 65534) == -1 ||
	    setresuid(65534, 65534, 65534) == -1)
		_exit(125);
}

static void
auxv_drop_euid(void)
{

	if (setresuid(0, 65534, 0) == -1)
		_exit(125);
}

static void
exec_auxv_creds(void)
{
	static const struct {
		void		(*setup)(void);
		const char	*want;
	} c[] = {
		{ NULL, "0,0,0,0,0" },
		{ auxv_drop_all, "65534,65534,65534,65534,0" },
		{ auxv_drop_euid, "0,65534,0,0,1" },
	};
	char *av[] = { "report", NULL };
	char *ev[] = { NULL };
	char out[4096];
	const char *got;
	pid_t pid;
	size_t i;
	int st;

	if (!ps_root_can_drop())
		ps_skip("needs root to make a process of another uid");
	/* uid 65534 must be able to run the helper at all. */
	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0) {
		if (setuid(65534) == -1)
			_exit(1);
		_exit(access(ps_helper, X_OK) == 0 ? 0 : 2);
	}
	st = ps_wait(pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 2)
		ps_skip("uid 65534 cannot execute %s", ps_helper);
	ps_expect_exit("access probe", st, 0);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		st = ps_run_helper(av, ev, out, sizeof(out), c[i].setup);
		ps_expect_exit("helper", st, 0);
		got = ps_report_get(out, "auxv");
		CHECK(got != NULL && strcmp(got, c[i].want) == 0,
		    "auxv ids %s, want %s", got != NULL ? got : "(none)",
		    c[i].want);
	}
}

/*
 * The rest of the auxv a libc or a dynamic loader reads: AT_EXECFN the
 * name execve was given (a string on the new stack), AT_PLATFORM
 * "x86_64", AT_HWCAP CPUID.1:EDX (the bits every x86_64 CPU has).
 */
static void
exec_auxv_names(void)
{
	char *av[] = { "report", NULL };
	char *ev[] = { NULL };
	char out[4096];
	const char *got;
	int st;

	st = ps_run_helper(av, ev, out, sizeof(out), NULL);
	ps_expect_exit("helper", st, 0);
	got = ps_report_get(out, "execfn");
	CHECK(got != NULL && strcmp(got, ps_helper) == 0,
	    "AT_EXECFN %s, want %s", got != NULL ? got : "(none)", ps_helper);
	got = ps_report_get(out, "platform");
	CHECK(got != NULL && strcmp(got, "x86_64") == 0, "AT_PLATFORM %s",
	    got != NULL ? got : "(none)");
	got = ps_report_get(out, "hwcap");
	CHECK(got != NULL && strcmp(got, "sane") == 0, "AT_HWCAP %s",
	    got != NULL ? got : "(none)");
}

/*
 * execve sets the saved set-user-ID and set-group-ID to the effective
 * ones (Linux): a root process with real and saved 0 but effective 65534
 * (uid and gid) execs; the new image has saved 65534, not 0.
 */
static void
saved_ids_setup(void)
{

	if (setresgid(0, 65534, 0) == -1 || setresuid(0, 65534, 0) == -1)
		_exit(125);
}

static void
exec_saved_ids(void)
{
	char *av[] = { "report", NULL };
	char *ev[] = { NULL };
	char out[4096];
	const char *got;
	int st;

	if (!ps_root_can_drop())
		ps_skip("needs root to make a process of another uid");
	st = ps_run_helper(av, ev, out, sizeof(out), saved_ids_setup);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		ps_skip("effective uid 65534 cannot execute %s", ps_helper);
	ps_expect_exit("helper", st, 0);
	got = ps_report_get(out, "resids");
	CHECK(got != NULL && strcmp(got, "0,65534,65534/0,65534,65534") == 0,
	    "getresuid/getresgid after exec %s, want "
	    "0,65534,65534/0,65534,65534", got != NULL ? got : "(none)");
}

/* ---- resource limits ---- */

static void
rlimit_stack(void)
{
	struct rlimit rl, old;

	CHECK_OK(getrlimit(RLIMIT_STACK, &rl));
	CHECK(rl.rlim_cur > 0 && (rl.rlim_max == RLIM_INFINITY ||
	    rl.rlim_cur <= rl.rlim_max), "RLIMIT_STACK %llu/%llu",
	    (unsigned long long)rl.rlim_cur,
	    (unsigned long long)rl.rlim_max);
	CHECK(syscall(SYS_prlimit64, 0, RLIMIT_STACK, NULL, &old) == 0,
	    "prlimit64: %s", strerror(errno));
	CHECK(old.rlim_cur == rl.rlim_cur && old.rlim_max == rl.rlim_max,
	    "prlimit64 and getrlimit disagree");
	CHECK(syscall(SYS_prlimit64, getpid(), RLIMIT_STACK, NULL, &old) == 0,
	    "prlimit64(own pid): %s", strerror(errno));
}

static void
rlimit_errors(void)
{
	struct rlimit rl;

	CHECK_ERRNO(getrlimit(99, &rl), EINVAL);
	CHECK_OK(getrlimit(RLIMIT_NOFILE, &rl));
	if (rl.rlim_max != RLIM_INFINITY) {
		rl.rlim_cur = rl.rlim_max + 1;
		CHECK_ERRNO(setrlimit(RLIMIT_NOFILE, &rl), EINVAL);
	}
	CHECK_ERRNO(syscall(SYS_prlimit64, dead_pid(), RLIMIT_STACK, NULL,
	    &rl), ESRCH);
	CHECK_ERRNO(syscall(SYS_prlimit64, 0, RLIMIT_STACK, NULL,
	    (void *)8), EFAULT);
}

static void
rlimit_lower_hard(void)
{
	struct rlimit rl;
	pid_t pid;

	ps_root_can_drop();
	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0) {
		if (getuid() == 0 && setuid(65534) == -1)
			_exit(1);
		if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
			_exit(2);
		rl.rlim_max = rl.rlim_cur = 32;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			_exit(3);
		rl.rlim_max = 64;
		if (setrlimit(RLIMIT_NOFILE, &rl) != -1 || errno != EPERM)
			_exit(4);
		_exit(0);
	}
	ps_expect_exit("raising a lowered hard limit unprivileged fails EPERM",
	    ps_wait(pid), 0);
}

static void
rlimit_nofile_emfile(void)
{
	struct rlimit rl;
	int i, fd, fd0, last;

	fd0 = open("/", O_RDONLY);
	CHECK(fd0 != -1, "open /: %s", strerror(errno));
	CHECK_OK(getrlimit(RLIMIT_NOFILE, &rl));
	rl.rlim_cur = 16;
	CHECK_OK(setrlimit(RLIMIT_NOFILE, &rl));
	last = -1;
	for (i = 0; i < 64; i++) {
		fd = dup(fd0);
		if (fd == -1)
			break;
		last = fd;
	}
	CHECK(i < 64, "dup never failed with RLIMIT_NOFILE 16");
	CHECK(errno == EMFILE, "dup failed with %s, want EMFILE",
	    strerror(errno));
	CHECK(last <= 15, "got fd %d above the limit", last);
	CHECK_ERRNO(open("/", O_RDONLY), EMFILE);
	CHECK_ERRNO(fcntl(fd0, F_DUPFD, 16), EINVAL);
}

const struct ps_case ps_cases_proc[] = {
	{ "fork_returns_pid", fork_returns_pid, 0 },
	{ "fork_cow_memory", fork_cow_memory, 0 },
	{ "fork_cow_parent_write", fork_cow_parent_write, 0 },
	{ "fork_fd_shared_offset", fork_fd_shared_offset, 0 },
	{ "fork_fd_close_independent", fork_fd_close_independent, 0 },
	{ "fork_child_ids", fork_child_ids, 0 },
	{ "fork_many_children", fork_many_children, 0 },
	{ "vfork_shares_memory", vfork_shares_memory, 0 },
	{ "exec_argv_env", exec_argv_env, 0 },
	{ "exec_empty_env", exec_empty_env, 0 },
	{ "exec_pid_kept", exec_pid_kept, 0 },
	{ "exec_fds_cloexec", exec_fds, 0 },
	{ "exec_signal_state", exec_signal_state, 0 },
	{ "exec_errors", exec_errors, 0 },
	{ "exec_execveat", exec_execveat, 0 },
	{ "exec_exit_status", exec_exit_status, 0 },
	{ "exec_null_deref_sigsegv", exec_null_deref, 0 },
	{ "exec_rlimit_kept", exec_rlimit_kept, 0 },
	{ "exec_rlimit_stack", exec_rlimit_stack, 0 },
	{ "exec_relative_cwd", exec_relative_cwd, 0 },
	{ "forkbomb_bounded", forkbomb_bounded, 40 },
	{ "wait_exit_codes", wait_exit_codes, 0 },
	{ "wait_signaled", wait_signaled, 0 },
	{ "wait_wnohang", wait_wnohang, 0 },
	{ "wait_echild", wait_echild, 0 },
	{ "wait4_rusage", wait4_rusage, 0 },
	{ "wait_errors", wait_errors, 0 },
	{ "wait_specific_pid", wait_specific_pid, 0 },
	{ "waitid_statuses", waitid_statuses, 0 },
	{ "waitid_wnowait", waitid_wnowait, 0 },
	{ "wait_stop_continue", wait_stop_continue, 0 },
	{ "wait_process_group", wait_process_group, 0 },
	{ "zombie_reaped", zombie_reaped, 0 },
	{ "orphan_reparented", orphan_reparented, 0 },
	{ "pgrp_basics", pgrp_basics, 0 },
	{ "pgrp_errors", pgrp_errors, 0 },
	{ "session_new", session_new, 0 },
	{ "setpgid_other_session", setpgid_other_session, 0 },
	{ "setpgid_after_exec", setpgid_after_exec, 0 },
	{ "kill_process_group", kill_process_group, 0 },
	{ "cred_consistent", cred_consistent, 0 },
	{ "cred_setuid_drop", cred_setuid_drop, 0 },
	{ "cred_nonroot_eperm", cred_nonroot_eperm, 0 },
	{ "kill_eperm", kill_eperm, 0 },
	{ "exec_auxv_creds", exec_auxv_creds, 0 },
	{ "exec_auxv_names", exec_auxv_names, 0 },
	{ "exec_saved_ids", exec_saved_ids, 0 },
	{ "rlimit_stack", rlimit_stack, 0 },
	{ "rlimit_errors", rlimit_errors, 0 },
	{ "rlimit_lower_hard", rlimit_lower_hard, 0 },
	{ "rlimit_nofile_emfile", rlimit_nofile_emfile, 0 },
	{ NULL, NULL, 0 }
};
