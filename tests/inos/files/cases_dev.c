/*
 * cases_dev.c -- fsuite cases on devices, pipes and readiness: /dev/null,
 * /dev/zero, /dev/urandom, /dev/console (isatty, TCGETS, TIOCGWINSZ, a
 * TCSETS round trip, TIOCSWINSZ, non-canonical VMIN/VTIME and O_NONBLOCK
 * reads, poll; a session taking it as controlling terminal: /dev/tty,
 * TIOCSPGRP ESRCH/EPERM, EIO for a background reader; the controlling
 * terminal rules on the console or, on the build host, a pty: an open
 * without O_NOCTTY acquires it, TIOCNOTTY, SIGTTOU/SIGTTIN for background
 * groups, the hangup when the session leader exits), the /dev directory
 * (also as the cwd and as an openat dirfd),
 * ENOTTY for non-terminals, an unknown /dev
 * name, the device brokers refusing an unprivileged caller, pipe2 (flags,
 * EOF, EPIPE and SIGPIPE, O_NONBLOCK EAGAIN) and poll/ppoll/select on
 * pipes and files.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <dirent.h>
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

/* Whether this is RustOS (its device broker answers; Linux: ENOSYS). */
static int
in_rustos(void)
{
	errno = 0;
	return (!(syscall(0x52550032L, NULL) == -1 && errno == ENOSYS));
}

/*
 * The terminal for a terminal case, or a skip reason: the console in
 * RustOS; on the build host a fresh pseudo-terminal (a real Linux tty as
 * the reference, without touching the machine's console).
 */
static int
console_fd(int flags, int *fd)
{
	int master;
	char *name;

	if (in_rustos()) {
		*fd = open("/dev/console", O_RDWR | O_NOCTTY | flags);
		if (*fd < 0)
			return (fs_skip("open /dev/console: %s",
			    fs_errname(errno)));
	} else {
		/* The master stays open for the case (the runner closes it). */
		if ((master = posix_openpt(O_RDWR | O_NOCTTY)) < 0 ||
		    grantpt(master) != 0 || unlockpt(master) != 0)
			return (fs_skip("no pseudo-terminal on this host: %s",
			    fs_errname(errno)));
		if ((name = ptsname(master)) == NULL ||
		    (*fd = open(name, O_RDWR | O_NOCTTY | flags)) < 0)
			return (fs_skip("pty slave: %s", fs_errname(errno)));
	}
	if (!isatty(*fd))
		return (fs_skip("the console is not a terminal here"));
	return (FS_OK);
}

static int
c_dev_termios(void)
{
	struct termios old, t, back;
	int fd, r;

	if ((r = console_fd(0, &fd)) != FS_OK)
		return (r);
	CHK_OK(tcgetattr(fd, &old));
	t = old;
	t.c_lflag ^= ECHOE;
	t.c_cc[VKILL] = 0x18;
	CHK_OK(tcsetattr(fd, TCSANOW, &t));
	r = tcgetattr(fd, &back);
	/* Put the console back before judging. */
	CHK_OK(tcsetattr(fd, TCSADRAIN, &old));
	CHK_OK(r);
	CHECK((back.c_lflag & ECHOE) == (t.c_lflag & ECHOE));
	CHECK(back.c_cc[VKILL] == 0x18);
	CHK_OK(tcgetattr(fd, &back));
	CHECK(back.c_lflag == old.c_lflag && back.c_cc[VKILL] ==
	    old.c_cc[VKILL]);
	EXPECT_ERR(ioctl(fd, TCSETS, FS_BADPTR), EFAULT);
	/* An ioctl no terminal has. */
	EXPECT_ERR(ioctl(fd, _IOR('Z', 99, int), &r), ENOTTY);
	return (FS_OK);
}

static int
c_dev_winsize(void)
{
	struct winsize old, ws, back;
	int fd, r;

	if ((r = console_fd(0, &fd)) != FS_OK)
		return (r);
	CHK_OK(ioctl(fd, TIOCGWINSZ, &old));
	ws = old;
	ws.ws_row = 50;
	ws.ws_col = 132;
	CHK_OK(ioctl(fd, TIOCSWINSZ, &ws));
	r = ioctl(fd, TIOCGWINSZ, &back);
	CHK_OK(ioctl(fd, TIOCSWINSZ, &old));
	CHK_OK(r);
	CHECK(back.ws_row == 50 && back.ws_col == 132);
	EXPECT_ERR(ioctl(fd, TIOCGWINSZ, FS_BADPTR), EFAULT);
	return (FS_OK);
}

/* Non-canonical reads with nothing typed: VMIN 0 / VTIME 0 and 1. */
static int
c_dev_noncanon(void)
{
	struct termios old, t;
	struct timespec a, b;
	char c;
	long ms;
	int fd, r;
	ssize_t n1, n2, n3;

	if ((r = console_fd(0, &fd)) != FS_OK)
		return (r);
	CHK_OK(tcgetattr(fd, &old));
	t = old;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	CHK_OK(tcsetattr(fd, TCSANOW, &t));
	n1 = read(fd, &c, 1);
	t.c_cc[VTIME] = 2;		/* 0.2 s */
	tcsetattr(fd, TCSANOW, &t);
	clock_gettime(CLOCK_MONOTONIC, &a);
	n2 = read(fd, &c, 1);
	clock_gettime(CLOCK_MONOTONIC, &b);
	CHK_OK(tcsetattr(fd, TCSANOW, &old));
	/* Back in canonical mode: no line, so O_NONBLOCK says EAGAIN. */
	CHK_OK(fcntl(fd, F_SETFL, O_NONBLOCK));
	n3 = read(fd, &c, 1);
	r = errno;
	if (n1 > 0 || n2 > 0 || n3 > 0)
		return (fs_skip("someone is typing on the console"));
	CHECK(n1 == 0 && n2 == 0);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	/* VTIME's timer ran (no upper bound: the machine may be slow). */
	CHECK(ms >= 150);
	CHECK(n3 == -1 && r == EAGAIN);
	return (FS_OK);
}

/* poll on the console: writable, not readable while nothing is typed. */
static int
c_dev_poll(void)
{
	struct pollfd pf;
	int fd, r;

	if ((r = console_fd(0, &fd)) != FS_OK)
		return (r);
	pf.fd = fd;
	pf.events = POLLIN | POLLOUT;
	r = poll(&pf, 1, 0);
	if (r == 1 && (pf.revents & POLLIN))
		return (fs_skip("someone is typing on the console"));
	CHECK(r == 1 && (pf.revents & POLLOUT) && !(pf.revents & POLLIN));
	pf.events = POLLIN;
	CHECK(poll(&pf, 1, 50) == 0);
	return (FS_OK);
}

/*
 * Steps of the session case, run in a child that made itself a session
 * leader; returns 0 or the failing step (the parent reports it).
 */
static int
session_child(void)
{
	int fd, st, p[2];
	pid_t g;
	char c;

	/* A new session has no controlling terminal yet. */
	if (open("/dev/tty", O_RDWR) != -1 || errno != ENXIO)
		return (1);
	if ((fd = open("/dev/console", O_RDWR | O_NOCTTY)) < 0)
		return (2);
	if (ioctl(fd, TIOCSCTTY, 0) != 0)
		return (errno == EPERM ? 100 : 3);	/* 100: skip */
	if (tcgetpgrp(fd) != getpgrp() || tcgetsid(fd) != getsid(0))
		return (4);
	if (open("/dev/tty", O_RDWR) < 0)
		return (5);
	/* No such group: ESRCH; the parent's group (another session): EPERM. */
	if (tcsetpgrp(fd, 0x7ffffff0) != -1 || errno != ESRCH)
		return (6);
	if (tcsetpgrp(fd, getpgid(getppid())) != -1 || errno != EPERM)
		return (10);
	/*
	 * A background group reading its terminal: EIO (SIGTTIN ignored,
	 * as Linux does then; RustOS never stops the reader).
	 */
	if (pipe(p) != 0)
		return (7);
	g = fork();
	if (g == 0) {
		signal(SIGTTIN, SIG_IGN);
		setpgid(0, 0);
		c = read(fd, &c, 1) == -1 && errno == EIO ? 'y' : 'n';
		(void)write(p[1], &c, 1);
		_exit(0);
	}
	close(p[1]);
	if (g < 0 || read(p[0], &c, 1) != 1 || waitpid(g, &st, 0) != g)
		return (8);
	if (c != 'y')
		return (9);
	return (0);
}

static int
c_dev_session(void)
{
	pid_t pid;
	int st;

	/*
	 * Only inside RustOS: on the build host /dev/console may be the
	 * machine's real console, which a test must not take over.
	 */
	if (!in_rustos())
		return (fs_skip("takes the console as controlling terminal: "
		    "RustOS only"));
	pid = fork();
	if (pid < 0)
		return (fs_skip("fork: %s", fs_errname(errno)));
	if (pid == 0) {
		if (setsid() < 0)
			_exit(99);
		_exit(session_child());
	}
	CHK_OK(waitpid(pid, &st, 0));
	CHECK(WIFEXITED(st));
	if (WEXITSTATUS(st) == 100 || WEXITSTATUS(st) == 2)
		return (fs_skip("the console is no terminal we may own here "
		    "(step %d)", WEXITSTATUS(st)));
	if (WEXITSTATUS(st) != 0)
		return (fs_fail("session step %d failed", WEXITSTATUS(st)));
	return (FS_OK);
}

/*
 * The terminal of the controlling-terminal cases, by name (they open it
 * themselves): the console in RustOS, a fresh pseudo-terminal's slave on
 * the build host (its master in *master, -1 in RustOS; the caller closes
 * it).  FS_OK or a skip.
 */
static int
ctty_name(char *name, size_t len, int *master)
{
	char *pts;

	*master = -1;
	if (in_rustos()) {
		snprintf(name, len, "/dev/console");
		return (FS_OK);
	}
	if ((*master = posix_openpt(O_RDWR | O_NOCTTY)) < 0 ||
	    grantpt(*master) != 0 || unlockpt(*master) != 0 ||
	    (pts = ptsname(*master)) == NULL)
		return (fs_skip("no pseudo-terminal on this host: %s",
		    fs_errname(errno)));
	snprintf(name, len, "%s", pts);
	return (FS_OK);
}

/* Runs fn(name) in a new session; its exit code (100: skip, 99: setsid). */
static int
in_new_session(int (*fn)(const char *), const char *name, int master,
    const char *what)
{
	pid_t pid;
	int st;

	pid = fork();
	if (pid < 0)
		return (fs_skip("fork: %s", fs_errname(errno)));
	if (pid == 0) {
		if (master >= 0)
			close(master);
		signal(SIGHUP, SIG_DFL);
		signal(SIGTTIN, SIG_DFL);
		signal(SIGTTOU, SIG_DFL);
		if (setsid() < 0)
			_exit(99);
		alarm(60);
		_exit(fn(name));
	}
	if (waitpid(pid, &st, 0) != pid)
		return (fs_fail("waitpid: %s", fs_errname(errno)));
	if (master >= 0)
		close(master);
	if (!WIFEXITED(st))
		return (fs_fail("%s: the session leader died (status %#x)",
		    what, st));
	if (WEXITSTATUS(st) == 100)
		return (fs_skip("the terminal belongs to another session"));
	if (WEXITSTATUS(st) != 0)
		return (fs_fail("%s step %d failed", what, WEXITSTATUS(st)));
	return (FS_OK);
}

/* After a failed acquisition: 100 if another session owns the terminal. */
static int
busy_or(int fd, int step)
{
	if (ioctl(fd, TIOCSCTTY, 0) != 0 && errno == EPERM)
		return (100);
	return (step);
}

static int
ctty_child(const char *name)
{
	int fd1, fd2, fd;
	pid_t g;
	int st;

	/* A new session has no controlling terminal: /dev/tty is ENXIO. */
	if (open("/dev/tty", O_RDWR) != -1 || errno != ENXIO)
		return (1);
	/* O_NOCTTY: the terminal opens but is not made ours. */
	if ((fd1 = open(name, O_RDWR | O_NOCTTY)) < 0)
		return (2);
	if (tcgetsid(fd1) != -1 || errno != ENOTTY)
		return (3);
	/* Without O_NOCTTY a session leader without one takes it. */
	if ((fd2 = open(name, O_RDWR)) < 0)
		return (4);
	if (tcgetsid(fd2) != getsid(0))
		return (busy_or(fd2, 5));
	if (tcgetpgrp(fd1) != getpgrp())
		return (6);
	if ((fd = open("/dev/tty", O_RDWR)) < 0)
		return (7);
	close(fd);
	/* TIOCNOTTY by the leader: the session loses it (SIGHUP ignored). */
	signal(SIGHUP, SIG_IGN);
	if (ioctl(fd2, TIOCNOTTY) != 0)
		return (8);
	if (open("/dev/tty", O_RDWR) != -1 || errno != ENXIO)
		return (9);
	if (tcgetsid(fd2) != -1 || errno != ENOTTY)
		return (10);
	/* A member that is not the leader never takes it by opening. */
	g = fork();
	if (g == 0) {
		fd = open(name, O_RDWR);
		_exit(fd < 0 ? 1 : tcgetsid(fd) == -1 && errno == ENOTTY ?
		    0 : 2);
	}
	if (g < 0 || waitpid(g, &st, 0) != g || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0)
		return (11);
	return (0);
}

/*
 * Opening a terminal without O_NOCTTY makes it the controlling terminal of
 * a session leader that has none (Linux); O_NOCTTY, a non-leader and
 * TIOCNOTTY; /dev/tty is ENXIO without one.
 */
static int
c_dev_ctty(void)
{
	char name[64];
	int master, r;

	if ((r = ctty_name(name, sizeof(name), &master)) != FS_OK)
		return (r);
	return (in_new_session(ctty_child, name, master, "ctty"));
}

/*
 * In a child of its own process group (the background): op on the
 * terminal; the child's status as waitpid(WUNTRACED) saw it, the child
 * killed if it stopped.  ign: that signal is ignored first.
 */
enum { OP_SETPGRP, OP_WRITE, OP_READ };

static int
bg_op(int fd, int op, int ign)
{
	pid_t c, w;
	char ch;
	int st, r;

	c = fork();
	if (c < 0)
		return (-1);
	if (c == 0) {
		setpgid(0, 0);
		if (ign != 0)
			signal(ign, SIG_IGN);
		alarm(20);
		switch (op) {
		case OP_SETPGRP:
			r = tcsetpgrp(fd, getpgrp());
			/* Give the terminal back to the leader's group. */
			if (r == 0 && tcsetpgrp(fd, getpgid(getppid())) != 0)
				_exit(3);
			_exit(r == 0 ? 0 : 2);
		case OP_WRITE:
			_exit(write(fd, "", 0) == 0 ? 0 : 2);
		default:
			r = (int)read(fd, &ch, 1);
			_exit(r < 0 && errno == EIO ? 4 : 2);
		}
	}
	setpgid(c, c);
	while ((w = waitpid(c, &st, WUNTRACED)) < 0 && errno == EINTR)
		;
	if (w != c)
		return (-1);
	if (WIFSTOPPED(st)) {
		kill(c, SIGKILL);
		waitpid(c, NULL, 0);
	}
	return (st);
}

static int
jobctl_child(const char *name)
{
	struct termios old, t;
	int fd, st;

	if ((fd = open(name, O_RDWR | O_NOCTTY)) < 0)
		return (1);
	if (ioctl(fd, TIOCSCTTY, 0) != 0)
		return (errno == EPERM ? 100 : 2);
	/* tcsetpgrp from the background: SIGTTOU stops the caller. */
	st = bg_op(fd, OP_SETPGRP, 0);
	if (st == -1 || !WIFSTOPPED(st) || WSTOPSIG(st) != SIGTTOU)
		return (3);
	if (tcgetpgrp(fd) != getpgrp())
		return (4);
	/* ... unless SIGTTOU is ignored: then it is done. */
	st = bg_op(fd, OP_SETPGRP, SIGTTOU);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return (5);
	if (tcgetpgrp(fd) != getpgrp())
		return (6);
	/* A background write with TOSTOP: SIGTTOU. */
	if (tcgetattr(fd, &old) != 0)
		return (7);
	t = old;
	t.c_lflag |= TOSTOP;
	if (tcsetattr(fd, TCSANOW, &t) != 0)
		return (8);
	st = bg_op(fd, OP_WRITE, 0);
	tcsetattr(fd, TCSANOW, &old);
	if (st == -1 || !WIFSTOPPED(st) || WSTOPSIG(st) != SIGTTOU)
		return (9);
	/* Without TOSTOP the background writes. */
	st = bg_op(fd, OP_WRITE, 0);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return (10);
	/* A background read: SIGTTIN stops it; ignored, EIO. */
	st = bg_op(fd, OP_READ, 0);
	if (st == -1 || !WIFSTOPPED(st) || WSTOPSIG(st) != SIGTTIN)
		return (11);
	st = bg_op(fd, OP_READ, SIGTTIN);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 4)
		return (12);
	return (0);
}

/*
 * Job control on the controlling terminal: tcsetpgrp from a background
 * group (SIGTTOU; allowed with it ignored), a background write under
 * TOSTOP (SIGTTOU), a background read (SIGTTIN; EIO with it ignored).
 */
static int
c_dev_jobctl(void)
{
	char name[64];
	int master, r;

	if ((r = ctty_name(name, sizeof(name), &master)) != FS_OK)
		return (r);
	return (in_new_session(jobctl_child, name, master, "jobctl"));
}

static volatile sig_atomic_t got_hup;

static void
on_hup(int sig)
{
	got_hup = 1;
}

static int hangup_pipe = -1;

static int
hangup_leader(const char *name)
{
	struct sigaction sa;
	sigset_t block, none;
	int fd, rp[2];
	pid_t c;
	char ch;

	if ((fd = open(name, O_RDWR | O_NOCTTY)) < 0)
		return (1);
	if (ioctl(fd, TIOCSCTTY, 0) != 0)
		return (errno == EPERM ? 100 : 2);
	if (pipe(rp) != 0)
		return (3);
	sigemptyset(&block);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);
	c = fork();
	if (c < 0)
		return (4);
	if (c == 0) {
		/* In the foreground group: wait for the hangup. */
		close(rp[0]);
		close(fd);
		(void)write(rp[1], "r", 1);
		close(rp[1]);
		sigemptyset(&none);
		alarm(20);
		while (!got_hup)
			sigsuspend(&none);
		ch = open("/dev/tty", O_RDWR) == -1 && errno == ENXIO ?
		    'h' : 't';
		(void)write(hangup_pipe, &ch, 1);
		_exit(0);
	}
	close(rp[1]);
	if (read(rp[0], &ch, 1) != 1)
		return (5);
	/* The leader leaves with the terminal still its session's. */
	return (0);
}

/*
 * The session leader exits: its terminal's foreground group gets SIGHUP
 * and the session has no controlling terminal any more (/dev/tty ENXIO).
 */
static int
c_dev_hangup(void)
{
	struct pollfd pf;
	char name[64], ch;
	int master, r, p[2];

	if ((r = ctty_name(name, sizeof(name), &master)) != FS_OK)
		return (r);
	if (pipe(p) != 0) {
		if (master >= 0)
			close(master);
		return (fs_fail("pipe: %s", fs_errname(errno)));
	}
	hangup_pipe = p[1];
	r = in_new_session(hangup_leader, name, master, "hangup");
	close(p[1]);
	if (r != FS_OK) {
		close(p[0]);
		return (r);
	}
	pf.fd = p[0];
	pf.events = POLLIN;
	/* No upper bound asserted: generous, the machine may be slow. */
	r = poll(&pf, 1, 30000);
	ch = 0;
	if (r == 1 && read(p[0], &ch, 1) != 1)
		ch = 0;
	close(p[0]);
	CHECK(r == 1);
	CHECK(ch == 'h');
	return (FS_OK);
}

/*
 * /dev as the cwd and as a directory fd: relative names are devices
 * (open, stat, access, readdir of "."), `..` leaves /dev, openat and
 * fstatat with a /dev fd, fchdir to it.
 */
static int
c_dev_relative(void)
{
	char buf[256];
	struct stat st;
	struct dirent *de;
	int fd, dfd, null = 0;
	DIR *d;

	CHK_OK(chdir("/dev"));
	CHECK(getcwd(buf, sizeof(buf)) != NULL && strcmp(buf, "/dev") == 0);
	CHK_OK(fd = open("null", O_RDWR));
	CHECK(read(fd, buf, 1) == 0);
	CHK_OK(close(fd));
	CHK_OK(stat("zero", &st));
	CHECK(S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 &&
	    minor(st.st_rdev) == 5);
	CHK_OK(access("./urandom", R_OK));
	EXPECT_ERR(open("fsuite-no-such-device", O_RDONLY), ENOENT);
	CHECK((d = opendir(".")) != NULL);
	while ((de = readdir(d)) != NULL)
		null |= strcmp(de->d_name, "null") == 0;
	closedir(d);
	CHECK(null);
	/* `..` from /dev is the root. */
	CHK_OK(stat("..", &st));
	CHECK(S_ISDIR(st.st_mode));
	CHK_OK(chdir(".."));
	CHECK(getcwd(buf, sizeof(buf)) != NULL && strcmp(buf, "/") == 0);
	CHK_OK(stat("dev/null", &st));
	CHECK(S_ISCHR(st.st_mode));
	/* A /dev directory fd. */
	CHK_OK(dfd = open("/dev", O_RDONLY | O_DIRECTORY));
	CHK_OK(fd = openat(dfd, "zero", O_RDONLY));
	CHECK(read(fd, buf, 4) == 4 && buf[0] == 0);
	CHK_OK(close(fd));
	CHK_OK(fstatat(dfd, "null", &st, 0));
	CHECK(S_ISCHR(st.st_mode) && minor(st.st_rdev) == 3);
	CHK_OK(fd = openat(dfd, "..", O_RDONLY | O_DIRECTORY));
	CHK_OK(fstat(fd, &st));
	CHECK(S_ISDIR(st.st_mode));
	CHK_OK(close(fd));
	CHK_OK(fchdir(dfd));
	CHECK(getcwd(buf, sizeof(buf)) != NULL && strcmp(buf, "/dev") == 0);
	CHK_OK(fd = open("zero", O_RDONLY));
	CHK_OK(close(fd));
	CHK_OK(close(dfd));
	CHK_OK(chdir(fs_workdir));
	return (FS_OK);
}

static int
c_dev_notty(void)
{
	struct termios t;
	int p[2], fd;

	CHK_OK(pipe(p));
	errno = 0;
	CHECK(!isatty(p[0]) && errno == ENOTTY);
	EXPECT_ERR(ioctl(p[0], TCGETS, &t), ENOTTY);
	EXPECT_ERR(ioctl(p[1], TIOCGWINSZ, &(struct winsize){ 0 }), ENOTTY);
	CHECK(fs_mkfile("nt", "x") == 0);
	CHK_OK(fd = open("nt", O_RDONLY));
	EXPECT_ERR(ioctl(fd, TCGETS, &t), ENOTTY);
	CHK_OK(close(fd));
	EXPECT_ERR(ioctl(fd, TCGETS, &t), EBADF);
	errno = 0;
	CHECK(!isatty(fd) && errno == EBADF);
	return (FS_OK);
}

static int
c_dev_dir(void)
{
	struct dirent *de;
	struct stat st;
	int null = 0, zero = 0, console = 0;
	DIR *d;

	if ((d = opendir("/dev")) == NULL)
		return (fs_fail("opendir /dev: %s", fs_errname(errno)));
	while ((de = readdir(d)) != NULL) {
		null |= strcmp(de->d_name, "null") == 0;
		zero |= strcmp(de->d_name, "zero") == 0;
		console |= strcmp(de->d_name, "console") == 0;
	}
	closedir(d);
	CHECK(null && zero && console);
	CHK_OK(stat("/dev/null", &st));
	CHECK(S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 &&
	    minor(st.st_rdev) == 3);
	CHK_OK(stat("/dev", &st));
	CHECK(S_ISDIR(st.st_mode));
	CHK_OK(access("/dev/zero", R_OK | W_OK));
	EXPECT_ERR(stat("/dev/fsuite-no-such-device", &st), ENOENT);
	return (FS_OK);
}

/*
 * The device brokers are devmgrd's (gate DEVICE_POLICY): anyone else gets
 * EACCES.  RustOS-private numbers; the build host has no such calls.
 */
static int
c_dev_brokers(void)
{
	uint64_t open_args[3] = { 0, 0, 0 }, ioctl_args[4] = { 0, 0, 0, 0 };
	long r;

	open_args[0] = (uint64_t)getpid();
	open_args[1] = 1 | (uint64_t)3 << 32;	/* major 1, minor 3: null */
	errno = 0;
	r = syscall(0x52550032L, open_args);	/* DEVICE_OPEN_BROKER */
	if (r == -1 && errno == ENOSYS)
		return (fs_skip("no RustOS device brokers here (ENOSYS)"));
	CHECK(r == -1 && errno == EACCES);
	ioctl_args[0] = (uint64_t)getpid();
	ioctl_args[1] = (uint64_t)TCGETS << 32;	/* fd 0 */
	EXPECT_ERR(syscall(0x5255001fL, ioctl_args), EACCES);
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
	{ "dev.termios", c_dev_termios },
	{ "dev.winsize", c_dev_winsize },
	{ "dev.noncanon", c_dev_noncanon },
	{ "dev.poll", c_dev_poll },
	{ "dev.session", c_dev_session },
	{ "dev.ctty", c_dev_ctty },
	{ "dev.jobctl", c_dev_jobctl },
	{ "dev.hangup", c_dev_hangup },
	{ "dev.notty", c_dev_notty },
	{ "dev.dir", c_dev_dir },
	{ "dev.relative", c_dev_relative },
	{ "dev.brokers", c_dev_brokers },
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
