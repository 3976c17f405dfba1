/*
 * cases_dev.c -- fsuite cases on devices, pipes and readiness: /dev/null,
 * /dev/zero, /dev/urandom, /dev/console (isatty, TCGETS, TIOCGWINSZ), an
 * unknown /dev name, pipe2 (flags, EOF, EPIPE and SIGPIPE, O_NONBLOCK
 * EAGAIN) and poll/ppoll/select on pipes and files.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "fsuite.h"

static int
c_dev_null(void)
{
	struct stat st;
	char buf[16];
	int fd;

	CHK_OK(fd = open("/dev/null", O_RDWR));
	CHECK(read(fd, buf, sizeof(buf)) == 0);
	CHECK(write(fd, "discarded", 9) == 9);
	CHK_OK(fstat(fd, &st));
	CHECK(S_ISCHR(st.st_mode));
	CHECK(!isatty(fd));
	EXPECT_ERR(ioctl(fd, TCGETS, &(struct termios){ 0 }), ENOTTY);
	return (FS_OK);
}

static int
c_dev_zero(void)
{
	char buf[4096];
	size_t i;
	int fd;

	CHK_OK(fd = open("/dev/zero", O_RDONLY));
	memset(buf, 0x5a, sizeof(buf));
	CHECK(read(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf));
	for (i = 0; i < sizeof(buf); i++)
		CHECK(buf[i] == 0);
	EXPECT_ERR(syscall(SYS_read, fd, FS_BADPTR, 16), EFAULT);
	return (FS_OK);
}

static int
c_dev_urandom(void)
{
	unsigned char a[32], b[32];
	int fd;

	CHK_OK(fd = open("/dev/urandom", O_RDONLY));
	CHECK(read(fd, a, sizeof(a)) == (ssize_t)sizeof(a));
	CHECK(read(fd, b, sizeof(b)) == (ssize_t)sizeof(b));
	/* 256 bits equal twice in a row: the device is not random. */
	CHECK(memcmp(a, b, sizeof(a)) != 0);
	return (FS_OK);
}

static int
c_dev_console(void)
{
	struct termios t;
	struct winsize ws;
	int fd;

	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0)
		return (fs_skip("open /dev/console: %s (no console here)",
		    fs_errname(errno)));
	if (!isatty(fd))
		return (fs_skip("/dev/console is not a terminal here"));
	CHK_OK(ioctl(fd, TCGETS, &t));
	CHK_OK(ioctl(fd, TIOCGWINSZ, &ws));
	CHECK(ws.ws_row < 10000 && ws.ws_col < 10000);
	EXPECT_ERR(ioctl(fd, TCGETS, FS_BADPTR), EFAULT);
	return (FS_OK);
}

static int
c_dev_enoent(void)
{
	EXPECT_ERR(open("/dev/fsuite-no-such-device", O_RDONLY), ENOENT);
	EXPECT_ERR(open("/dev/null/x", O_RDONLY), ENOTDIR);
	return (FS_OK);
}

static int
c_pipe_basic(void)
{
	char buf[16];
	int p[2];

	CHK_OK(pipe2(p, 0));
	CHECK(write(p[1], "through", 7) == 7);
	CHECK(read(p[0], buf, sizeof(buf)) == 7);
	CHECK(memcmp(buf, "through", 7) == 0);
	CHECK(!(fcntl(p[0], F_GETFD) & FD_CLOEXEC));
	CHECK((fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY);
	CHECK((fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY);
	EXPECT_ERR(write(p[0], "x", 1), EBADF);
	EXPECT_ERR(read(p[1], buf, 1), EBADF);
	return (FS_OK);
}

static int
c_pipe_flags(void)
{
	struct stat st;
	int p[2];

	CHK_OK(pipe2(p, O_CLOEXEC | O_NONBLOCK));
	CHECK(fcntl(p[0], F_GETFD) & FD_CLOEXEC);
	CHECK(fcntl(p[1], F_GETFD) & FD_CLOEXEC);
	CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
	CHK_OK(fstat(p[0], &st));
	CHECK(S_ISFIFO(st.st_mode));
	EXPECT_ERR(pipe2(p, 0x1 /* not a pipe2 flag */), EINVAL);
	EXPECT_ERR(syscall(SYS_pipe2, FS_BADPTR, 0), EFAULT);
	return (FS_OK);
}

static int
c_pipe_eof(void)
{
	char buf[4];
	int p[2];

	CHK_OK(pipe(p));
	CHECK(write(p[1], "ab", 2) == 2);
	CHK_OK(close(p[1]));
	CHECK(read(p[0], buf, sizeof(buf)) == 2);
	CHECK(read(p[0], buf, sizeof(buf)) == 0);
	return (FS_OK);
}

static int
c_pipe_epipe(void)
{
	int p[2];

	/* The runner ignores SIGPIPE, so the write fails with EPIPE. */
	CHK_OK(pipe(p));
	CHK_OK(close(p[0]));
	EXPECT_ERR(write(p[1], "x", 1), EPIPE);
	return (FS_OK);
}

static int
c_pipe_sigpipe(void)
{
	pid_t pid;
	int p[2], st;

	CHK_OK(pipe(p));
	pid = fork();
	if (pid < 0)
		return (fs_skip("fork: %s", fs_errname(errno)));
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		close(p[0]);
		/*
		 * The parent may not have closed its read end yet: keep
		 * writing (a full pipe blocks) until the last reader is gone
		 * and the write raises SIGPIPE.  One write raced the close.
		 */
		for (;;)
			if (write(p[1], "x", 1) < 0)
				_exit(errno == EPIPE ? 2 : 3);
	}
	close(p[0]);
	close(p[1]);
	CHK_OK(waitpid(pid, &st, 0));
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE);
	return (FS_OK);
}

static int
c_pipe_nonblock(void)
{
	static char chunk[4096];
	char c;
	long total;
	ssize_t n;
	int p[2];

	CHK_OK(pipe2(p, O_NONBLOCK));
	EXPECT_ERR(read(p[0], &c, 1), EAGAIN);
	/* Fill the pipe: a bounded buffer ends in EAGAIN, never blocks. */
	for (total = 0; total < (16L << 20); total += n) {
		n = write(p[1], chunk, sizeof(chunk));
		if (n < 0)
			break;
	}
	CHECK(total > 0 && total < (16L << 20));
	EXPECT_ERR(write(p[1], chunk, sizeof(chunk)), EAGAIN);
	CHECK(read(p[0], chunk, sizeof(chunk)) == (ssize_t)sizeof(chunk));
	return (FS_OK);
}

static int
c_poll_pipe(void)
{
	struct pollfd pf[2];
	int p[2];

	CHK_OK(pipe(p));
	pf[0].fd = p[0];
	pf[0].events = POLLIN;
	pf[1].fd = p[1];
	pf[1].events = POLLOUT;
	CHECK(poll(pf, 1, 0) == 0);
	CHECK(poll(pf + 1, 1, 0) == 1 && (pf[1].revents & POLLOUT));
	CHECK(poll(pf, 1, 10) == 0);
	CHECK(write(p[1], "x", 1) == 1);
	CHECK(poll(pf, 2, -1) == 2 && (pf[0].revents & POLLIN) &&
	    (pf[1].revents & POLLOUT));
	return (FS_OK);
}

static int
c_poll_hup(void)
{
	struct pollfd pf;
	int p[2];

	CHK_OK(pipe(p));
	CHK_OK(close(p[1]));
	pf.fd = p[0];
	pf.events = POLLIN;
	CHECK(poll(&pf, 1, 1000) == 1 && (pf.revents & POLLHUP));
	CHK_OK(pipe(p));
	CHK_OK(close(p[0]));
	pf.fd = p[1];
	pf.events = POLLOUT;
	CHECK(poll(&pf, 1, 1000) == 1 && (pf.revents & POLLERR));
	return (FS_OK);
}

static int
c_poll_file(void)
{
	struct pollfd pf;
	int fd;

	CHECK(fs_mkfile("pf", "x") == 0);
	CHK_OK(fd = open("pf", O_RDWR));
	pf.fd = fd;
	pf.events = POLLIN | POLLOUT;
	/* Regular files are always ready. */
	CHECK(poll(&pf, 1, 0) == 1);
	CHECK((pf.revents & (POLLIN | POLLOUT)) == (POLLIN | POLLOUT));
	return (FS_OK);
}

static int
c_poll_errors(void)
{
	struct pollfd pf;
	struct rlimit rl;
	int fd;

	CHK_OK(fd = open(".", O_RDONLY));
	CHK_OK(close(fd));
	pf.fd = fd;
	pf.events = POLLIN;
	CHECK(poll(&pf, 1, 0) == 1 && pf.revents == POLLNVAL);
	/* A negative fd is ignored. */
	pf.fd = -1;
	pf.revents = 0x7;
	CHECK(poll(&pf, 1, 0) == 0 && pf.revents == 0);
	EXPECT_ERR(syscall(SYS_poll, FS_BADPTR, 1, 0), EFAULT);
	CHK_OK(getrlimit(RLIMIT_NOFILE, &rl));
	if (rl.rlim_cur < (1UL << 30))
		EXPECT_ERR(syscall(SYS_poll, &pf, rl.rlim_cur + 1, 0), EINVAL);
	return (FS_OK);
}

static int
c_ppoll(void)
{
	struct timespec ts = { 0, 0 }, bad = { -1, 0 };
	struct timespec badns = { 0, 2000000000 };
	struct pollfd pf;
	int p[2];

	CHK_OK(pipe(p));
	pf.fd = p[0];
	pf.events = POLLIN;
	CHECK(ppoll(&pf, 1, &ts, NULL) == 0);
	CHECK(write(p[1], "x", 1) == 1);
	CHECK(ppoll(&pf, 1, NULL, NULL) == 1 && (pf.revents & POLLIN));
	EXPECT_ERR(ppoll(&pf, 1, &bad, NULL), EINVAL);
	EXPECT_ERR(ppoll(&pf, 1, &badns, NULL), EINVAL);
	return (FS_OK);
}

static int
c_select(void)
{
	struct timeval tv;
	fd_set rd, wr;
	int p[2], fd;

	CHK_OK(pipe(p));
	CHECK(fs_mkfile("sel", "x") == 0);
	CHK_OK(fd = open("sel", O_RDONLY));
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	CHECK(select(p[0] + 1, &rd, NULL, NULL, &tv) == 0);
	CHECK(!FD_ISSET(p[0], &rd));
	CHECK(write(p[1], "x", 1) == 1);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	FD_SET(fd, &rd);
	FD_ZERO(&wr);
	FD_SET(p[1], &wr);
	CHECK(select((fd > p[1] ? fd : p[1]) + 1, &rd, &wr, NULL, NULL) == 3);
	CHECK(FD_ISSET(p[0], &rd) && FD_ISSET(fd, &rd) && FD_ISSET(p[1], &wr));
	return (FS_OK);
}

static int
c_select_errors(void)
{
	struct timeval tv = { 0, 0 }, bad = { -1, 0 };
	fd_set rd;
	int fd;

	CHK_OK(fd = open(".", O_RDONLY));
	CHK_OK(close(fd));
	FD_ZERO(&rd);
	FD_SET(fd, &rd);
	EXPECT_ERR(select(fd + 1, &rd, NULL, NULL, &tv), EBADF);
	FD_ZERO(&rd);
	EXPECT_ERR(select(-1, &rd, NULL, NULL, &tv), EINVAL);
	EXPECT_ERR(select(1, &rd, NULL, NULL, &bad), EINVAL);
	EXPECT_ERR(syscall(SYS_select, 1, FS_BADPTR, NULL, NULL, &tv), EFAULT);
	return (FS_OK);
}

static volatile sig_atomic_t got_usr1;

static void
on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

/*
 * A child that sends its parent SIGUSR1 every 20 ms (at most 500 times,
 * or just once), so a parent blocked in a call is hit whenever it blocks.
 */
static pid_t
signal_parent(int times)
{
	struct timespec ts = { 0, 20 * 1000000L };
	pid_t pid, parent = getpid();

	pid = fork();
	if (pid == 0) {
		while (times-- > 0) {
			nanosleep(&ts, NULL);
			kill(parent, SIGUSR1);
		}
		_exit(0);
	}
	return (pid);
}

/*
 * A poll/select blocked without a timeout is interrupted by a handled
 * signal (sent by a child): EINTR, after the handler ran.
 */
static int
c_poll_eintr(void)
{
	struct sigaction sa, old;
	struct pollfd pf;
	fd_set rd;
	pid_t pid;
	int p[2], k, st;

	CHK_OK(pipe(p));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	CHK_OK(sigaction(SIGUSR1, &sa, &old));
	for (k = 0; k < 2; k++) {
		got_usr1 = 0;
		if ((pid = signal_parent(500)) < 0)
			return (fs_skip("fork: %s", fs_errname(errno)));
		pf.fd = p[0];
		pf.events = POLLIN;
		FD_ZERO(&rd);
		FD_SET(p[0], &rd);
		if (k == 0)
			EXPECT_ERR(poll(&pf, 1, -1), EINTR);
		else
			EXPECT_ERR(select(p[0] + 1, &rd, NULL, NULL, NULL),
			    EINTR);
		kill(pid, SIGKILL);
		CHECK(got_usr1 == 1);
		CHECK(waitpid(pid, &st, 0) == pid);
	}
	sigaction(SIGUSR1, &old, NULL);
	return (FS_OK);
}

/*
 * ppoll's mask holds for the wait only.  SIGUSR1 is made pending while
 * blocked; ppoll with a mask that blocks it too times out and leaves it
 * pending; ppoll with an empty mask ends in EINTR at once and the handler
 * runs; afterwards the old mask (blocking it) is back.
 */
static int
c_ppoll_sigmask(void)
{
	struct timespec ts = { 0, 0 };
	struct sigaction sa, old;
	sigset_t block, none, prev, now;
	struct pollfd pf;
	pid_t pid;
	int p[2], st;

	CHK_OK(pipe(p));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	CHK_OK(sigaction(SIGUSR1, &sa, &old));
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&none);
	pf.fd = p[0];
	pf.events = POLLIN;
	got_usr1 = 0;
	CHK_OK(sigprocmask(SIG_BLOCK, &block, &prev));
	if ((pid = signal_parent(1)) < 0)
		return (fs_skip("fork: %s", fs_errname(errno)));
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(ppoll(&pf, 1, &ts, &block) == 0 && got_usr1 == 0);
	ts.tv_sec = 5;
	EXPECT_ERR(ppoll(&pf, 1, &ts, &none), EINTR);
	CHECK(got_usr1 == 1);
	CHK_OK(sigprocmask(SIG_SETMASK, &prev, &now));
	CHECK(sigismember(&now, SIGUSR1));
	sigaction(SIGUSR1, &old, NULL);
	return (FS_OK);
}

const struct fs_case fs_cases_dev[] = {
	{ "dev.null", c_dev_null },
	{ "dev.zero", c_dev_zero },
	{ "dev.urandom", c_dev_urandom },
	{ "dev.console", c_dev_console },
	{ "dev.enoent", c_dev_enoent },
	{ "pipe2.basic", c_pipe_basic },
	{ "pipe2.flags", c_pipe_flags },
	{ "pipe.eof", c_pipe_eof },
	{ "pipe.epipe", c_pipe_epipe },
	{ "pipe.sigpipe", c_pipe_sigpipe },
	{ "pipe.nonblock", c_pipe_nonblock },
	{ "poll.pipe", c_poll_pipe },
	{ "poll.hup", c_poll_hup },
	{ "poll.file", c_poll_file },
	{ "poll.errors", c_poll_errors },
	{ "ppoll.basic", c_ppoll },
	{ "select.basic", c_select },
	{ "select.errors", c_select_errors },
	{ "poll.eintr", c_poll_eintr },
	{ "ppoll.sigmask", c_ppoll_sigmask },
	{ NULL, NULL },
};
