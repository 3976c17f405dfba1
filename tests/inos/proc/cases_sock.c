/*
 * cases_sock.c -- psuite: AF_UNIX sockets (netd's policy, the kernel's
 * data path): socketpair of every type, message boundaries, abstract and
 * pathname names with bind/listen/connect/accept, the errors Linux gives
 * (EADDRINUSE, ECONNREFUSED, ENOENT, ENOTSOCK, EBADF, EFAULT, EINVAL,
 * EAFNOSUPPORT), EPIPE with SIGPIPE and MSG_NOSIGNAL, non-blocking EAGAIN,
 * poll readiness, SO_PEERCRED and the basic options, shutdown, EOF when
 * the peer closes.  Each case checks against Linux's behaviour; the same
 * binary is the host reference (tests/unit/psuite.sh).
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "psuite.h"

static void
pair(int type, int sv[2])
{
	CHECK_OK(socketpair(AF_UNIX, type, 0, sv));
	CHECK(sv[0] >= 0 && sv[1] >= 0 && sv[0] != sv[1], "fds %d %d",
	    sv[0], sv[1]);
}

/* An abstract address unique to this process and tag. */
static socklen_t
abstract_addr(struct sockaddr_un *a, const char *tag)
{
	int n;

	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	n = snprintf(a->sun_path + 1, sizeof(a->sun_path) - 1,
	    "psuite-%s-%d", tag, (int)getpid());
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

static void
sock_pair_stream(void)
{
	int sv[2], type;
	char buf[16];
	socklen_t l = sizeof(type);

	pair(SOCK_STREAM, sv);
	CHECK(write(sv[0], "hello", 5) == 5, "write: %s", strerror(errno));
	CHECK(read(sv[1], buf, sizeof(buf)) == 5 && memcmp(buf, "hello",
	    5) == 0, "read back");
	/* Both directions. */
	CHECK(send(sv[1], "back", 4, 0) == 4, "send: %s", strerror(errno));
	CHECK(recv(sv[0], buf, sizeof(buf), 0) == 4 && memcmp(buf, "back",
	    4) == 0, "recv back");
	CHECK_OK(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &l));
	CHECK(type == SOCK_STREAM && l == sizeof(type), "SO_TYPE %d", type);
}

static void
sock_pair_dgram(void)
{
	int sv[2], type;
	char buf[16];
	socklen_t l = sizeof(type);

	pair(SOCK_DGRAM, sv);
	CHECK(send(sv[0], "one", 3, 0) == 3, "send: %s", strerror(errno));
	CHECK(send(sv[0], "two!", 4, 0) == 4, "send 2");
	CHECK(recv(sv[1], buf, sizeof(buf), 0) == 3 && memcmp(buf, "one",
	    3) == 0, "first datagram");
	CHECK(recv(sv[1], buf, sizeof(buf), 0) == 4 && memcmp(buf, "two!",
	    4) == 0, "second datagram");
	CHECK_OK(getsockopt(sv[1], SOL_SOCKET, SO_TYPE, &type, &l));
	CHECK(type == SOCK_DGRAM, "SO_TYPE %d", type);
}

static void
sock_pair_seqpacket(void)
{
	int sv[2];
	char buf[16];

	pair(SOCK_SEQPACKET, sv);
	CHECK(write(sv[1], "abc", 3) == 3, "write");
	CHECK(write(sv[1], "de", 2) == 2, "write 2");
	CHECK(read(sv[0], buf, sizeof(buf)) == 3, "record 1");
	CHECK(read(sv[0], buf, sizeof(buf)) == 2 && memcmp(buf, "de", 2) == 0,
	    "record 2");
	close(sv[1]);
	CHECK(read(sv[0], buf, sizeof(buf)) == 0, "EOF after close");
}

static void
sock_msg_boundaries(void)
{
	int sv[2];
	char buf[64];
	struct iovec iov[2];
	struct msghdr m;

	pair(SOCK_SEQPACKET, sv);
	/* A record of two iovecs stays one record. */
	iov[0].iov_base = "ab";
	iov[0].iov_len = 2;
	iov[1].iov_base = "cdef";
	iov[1].iov_len = 4;
	memset(&m, 0, sizeof(m));
	m.msg_iov = iov;
	m.msg_iovlen = 2;
	CHECK(sendmsg(sv[0], &m, 0) == 6, "sendmsg: %s", strerror(errno));
	CHECK(send(sv[0], "xyz", 3, 0) == 3, "send");
	/* A short read truncates the record (MSG_TRUNC) and drops the rest. */
	iov[0].iov_base = buf;
	iov[0].iov_len = 4;
	m.msg_iovlen = 1;
	CHECK(recvmsg(sv[1], &m, 0) == 4 && memcmp(buf, "abcd", 4) == 0,
	    "truncated record");
	CHECK(m.msg_flags & MSG_TRUNC, "MSG_TRUNC not set (flags %#x)",
	    m.msg_flags);
	CHECK(recv(sv[1], buf, sizeof(buf), 0) == 3 && memcmp(buf, "xyz",
	    3) == 0, "next record whole");
	/* MSG_PEEK leaves the record queued. */
	pair(SOCK_DGRAM, sv);
	CHECK(send(sv[0], "peek", 4, 0) == 4, "send");
	CHECK(recv(sv[1], buf, sizeof(buf), MSG_PEEK) == 4, "peek");
	CHECK(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT) == 4, "after peek");
	CHECK_ERRNO(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	/* A stream merges writes. */
	pair(SOCK_STREAM, sv);
	CHECK(write(sv[0], "ab", 2) == 2 && write(sv[0], "cd", 2) == 2, "w");
	CHECK(read(sv[1], buf, sizeof(buf)) == 4, "stream merges");
}

static int
server_accept_echo(void *arg)
{
	int l = *(int *)arg, c;
	char buf[32];
	ssize_t n;

	if ((c = accept(l, NULL, NULL)) < 0)
		return 1;
	if ((n = read(c, buf, sizeof(buf))) <= 0)
		return 2;
	if (write(c, buf, (size_t)n) != n)
		return 3;
	close(c);
	return 0;
}

static void
connect_and_echo(int l, const struct sockaddr *a, socklen_t al)
{
	int c, st;
	pid_t pid;
	char buf[32];

	pid = ps_spawn(server_accept_echo, &l);
	CHECK((c = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0, "socket: %s",
	    strerror(errno));
	CHECK_OK(connect(c, a, al));
	CHECK(write(c, "ping", 4) == 4, "write");
	CHECK(read(c, buf, sizeof(buf)) == 4 && memcmp(buf, "ping", 4) == 0,
	    "echo");
	CHECK(read(c, buf, sizeof(buf)) == 0, "EOF after the server closed");
	st = ps_wait(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "server %s",
	    ps_status_str(st));
	close(c);
}

static void
sock_abstract(void)
{
	struct sockaddr_un a, got;
	socklen_t al = abstract_addr(&a, "abs"), gl = sizeof(got);
	int l;

	CHECK((l = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0, "socket: %s",
	    strerror(errno));
	CHECK_OK(bind(l, (struct sockaddr *)&a, al));
	CHECK_OK(getsockname(l, (struct sockaddr *)&got, &gl));
	CHECK(gl == al && memcmp(&got, &a, al) == 0, "getsockname len %u",
	    (unsigned)gl);
	CHECK_OK(listen(l, 4));
	connect_and_echo(l, (struct sockaddr *)&a, al);
	close(l);
}

static void
sock_path(void)
{
	struct sockaddr_un a;
	const char *p = ps_scratch_path("sock");
	struct stat st;
	socklen_t al;
	int l;

	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", p);
	al = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    strlen(a.sun_path) + 1);
	unlink(p);
	CHECK((l = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0, "socket");
	CHECK_OK(bind(l, (struct sockaddr *)&a, al));
	CHECK_OK(stat(p, &st));
	CHECK(S_ISSOCK(st.st_mode), "mode %o is not a socket",
	    (unsigned)st.st_mode);
	CHECK_OK(listen(l, 4));
	connect_and_echo(l, (struct sockaddr *)&a, al);
	close(l);
	unlink(p);
}

static void
sock_eaddrinuse(void)
{
	struct sockaddr_un a;
	socklen_t al = abstract_addr(&a, "inuse");
	int s1, s2, s3;

	CHECK((s1 = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0, "socket");
	CHECK((s2 = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0, "socket");
	CHECK_OK(bind(s1, (struct sockaddr *)&a, al));
	CHECK_ERRNO(bind(s2, (struct sockaddr *)&a, al), EADDRINUSE);
	/* Binding a bound socket again: EINVAL. */
	CHECK_ERRNO(bind(s1, (struct sockaddr *)&a, al), EINVAL);
	/* An abstract name dies with its socket. */
	close(s1);
	CHECK((s3 = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0, "socket");
	CHECK_OK(bind(s3, (struct sockaddr *)&a, al));
}

static void
sock_econnrefused(void)
{
	struct sockaddr_un a;
	socklen_t al = abstract_addr(&a, "refused");
	int s, l;

	CHECK((s = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0, "socket");
	/* Nobody has the name. */
	CHECK_ERRNO(connect(s, (struct sockaddr *)&a, al), ECONNREFUSED);
	/* Bound but not listening. */
	CHECK((l = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0, "socket");
	CHECK_OK(bind(l, (struct sockaddr *)&a, al));
	CHECK_ERRNO(connect(s, (struct sockaddr *)&a, al), ECONNREFUSED);
}

static void
sock_enoent(void)
{
	struct sockaddr_un a;
	int s;

	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	snprintf(a.sun_path, sizeof(a.sun_path), "/tmp/psuite-no-such-%d",
	    (int)getpid());
	CHECK((s = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0, "socket");
	CHECK_ERRNO(connect(s, (struct sockaddr *)&a, sizeof(a)), ENOENT);
}

static void
sock_enotsock(void)
{
	int fds[2];
	char b;
	socklen_t l = 4;
	int v;

	CHECK_OK(pipe(fds));
	CHECK_ERRNO(send(fds[1], "x", 1, 0), ENOTSOCK);
	CHECK_ERRNO(recv(fds[0], &b, 1, MSG_DONTWAIT), ENOTSOCK);
	CHECK_ERRNO(listen(fds[0], 1), ENOTSOCK);
	CHECK_ERRNO(getsockopt(fds[0], SOL_SOCKET, SO_TYPE, &v, &l), ENOTSOCK);
	CHECK_ERRNO(accept(fds[0], NULL, NULL), ENOTSOCK);
	CHECK_ERRNO(shutdown(fds[1], SHUT_WR), ENOTSOCK);
}

static void
sock_ebadf(void)
{
	char b;

	CHECK_ERRNO(send(999, "x", 1, 0), EBADF);
	CHECK_ERRNO(recv(-1, &b, 1, 0), EBADF);
	CHECK_ERRNO(listen(999, 1), EBADF);
	CHECK_ERRNO(accept(999, NULL, NULL), EBADF);
	CHECK_ERRNO(shutdown(999, SHUT_RDWR), EBADF);
}

static void
sock_efault(void)
{
	int sv[2];

	CHECK_ERRNO(socketpair(AF_UNIX, SOCK_STREAM, 0, ps_addr(8)), EFAULT);
	pair(SOCK_STREAM, sv);
	CHECK_ERRNO(send(sv[0], ps_addr(8), 4, 0), EFAULT);
	CHECK_ERRNO(bind(sv[0], ps_addr(8), 12), EFAULT);
	CHECK(write(sv[1], "data", 4) == 4, "write");
	CHECK_ERRNO(recv(sv[0], ps_addr(8), 4, 0), EFAULT);
}

static void
sock_einval(void)
{
	struct sockaddr_un a;
	int s;

	CHECK_ERRNO(socket(AF_UNIX, 0, 0), ESOCKTNOSUPPORT);
	CHECK_ERRNO(socket(AF_UNIX, 4, 0), ESOCKTNOSUPPORT);	/* SOCK_RDM */
	CHECK_ERRNO(socket(AF_UNIX, 12, 0), EINVAL);
	CHECK_ERRNO(socket(AF_UNIX, SOCK_STREAM | 0x100, 0), EINVAL);
	CHECK_ERRNO(socket(AF_UNIX, SOCK_STREAM, 7), EPROTONOSUPPORT);
	CHECK_ERRNO(socket(AF_INET6 + 1000, SOCK_STREAM, 0), EAFNOSUPPORT);
	CHECK((s = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0, "socket");
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	/* Too short, wrong family, too long. */
	CHECK_ERRNO(bind(s, (struct sockaddr *)&a, 1), EINVAL);
	a.sun_family = AF_UNIX + 1;
	CHECK_ERRNO(bind(s, (struct sockaddr *)&a, sizeof(a)), EINVAL);
	a.sun_family = AF_UNIX;
	CHECK_ERRNO(bind(s, (struct sockaddr *)&a, sizeof(a) + 1), EINVAL);
	/* listen on an unbound stream socket. */
	CHECK_ERRNO(listen(s, 1), EINVAL);
	/* accept on a socket that does not listen. */
	CHECK_ERRNO(accept(s, NULL, NULL), EINVAL);
	CHECK_ERRNO(shutdown(s, 7), EINVAL);
}

static volatile sig_atomic_t got_pipe;

static void
on_pipe(int sig)
{
	(void)sig;
	got_pipe = 1;
}

static int
write_to_closed(void *arg)
{
	int sv[2];

	(void)arg;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return 10;
	close(sv[1]);
	(void)write(sv[0], "x", 1);
	return 11;		/* SIGPIPE should have ended us */
}

static void
sock_epipe(void)
{
	int sv[2];

	/* The default action of SIGPIPE ends the writer. */
	ps_expect_signal("write to a closed peer", ps_wait(ps_spawn(
	    write_to_closed, NULL)), SIGPIPE);
	/* Handled: EPIPE and the signal. */
	signal(SIGPIPE, on_pipe);
	pair(SOCK_STREAM, sv);
	close(sv[1]);
	got_pipe = 0;
	CHECK_ERRNO(write(sv[0], "x", 1), EPIPE);
	CHECK(got_pipe, "no SIGPIPE");
	/* MSG_NOSIGNAL: EPIPE without the signal. */
	got_pipe = 0;
	CHECK_ERRNO(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
	CHECK(!got_pipe, "SIGPIPE despite MSG_NOSIGNAL");
	/* After shutdown(SHUT_WR) too. */
	pair(SOCK_STREAM, sv);
	CHECK_OK(shutdown(sv[0], SHUT_WR));
	CHECK_ERRNO(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
}

static void
sock_nonblock(void)
{
	int sv[2], n = 0;
	char buf[4096];
	ssize_t r;

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0, sv));
	CHECK(fcntl(sv[0], F_GETFL) & O_NONBLOCK, "no O_NONBLOCK");
	CHECK(fcntl(sv[0], F_GETFD) & FD_CLOEXEC, "no FD_CLOEXEC");
	CHECK_ERRNO(read(sv[0], buf, sizeof(buf)), EAGAIN);
	memset(buf, 'x', sizeof(buf));
	/* Fill the peer's buffer until EAGAIN. */
	while ((r = write(sv[0], buf, sizeof(buf))) > 0 && n < 100000)
		n++;
	CHECK(r == -1 && errno == EAGAIN, "fill ended with %zd (%s)", r,
	    strerror(errno));
	/* MSG_DONTWAIT on a blocking socket. */
	pair(SOCK_DGRAM, sv);
	CHECK_ERRNO(recv(sv[0], buf, 1, MSG_DONTWAIT), EAGAIN);
	CHECK_ERRNO(accept(sv[0], NULL, NULL), EOPNOTSUPP);
	CHECK((n = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0, "socket");
	CHECK_ERRNO(accept4(n, NULL, NULL, 0x1234), EINVAL);
}

static void
sock_poll(void)
{
	int sv[2];
	struct pollfd p[2];
	char b[8];

	pair(SOCK_STREAM, sv);
	p[0].fd = sv[0];
	p[0].events = POLLIN | POLLOUT;
	p[1].fd = sv[1];
	p[1].events = POLLIN;
	CHECK(poll(p, 2, 0) == 1, "poll: %s", strerror(errno));
	CHECK(p[0].revents == POLLOUT, "revents %#x", p[0].revents);
	CHECK(p[1].revents == 0, "sv1 revents %#x", p[1].revents);
	CHECK(write(sv[0], "x", 1) == 1, "write");
	CHECK(poll(p, 2, 1000) == 2, "poll after write");
	CHECK(p[1].revents == POLLIN, "sv1 revents %#x", p[1].revents);
	CHECK(read(sv[1], b, sizeof(b)) == 1, "read");
	/* The other way, and the peer's close: POLLIN|POLLHUP (EOF). */
	CHECK(write(sv[1], "y", 1) == 1, "write back");
	p[0].events = POLLIN;
	CHECK(poll(p, 1, 1000) == 1 && (p[0].revents & POLLIN), "back");
	close(sv[1]);
	CHECK(read(sv[0], b, sizeof(b)) == 1, "read back");
	CHECK(poll(p, 1, 1000) == 1 && (p[0].revents & POLLIN) &&
	    (p[0].revents & POLLHUP), "after close revents %#x",
	    p[0].revents);
}

static void
sock_peercred(void)
{
	int sv[2];
	struct ucred c;
	socklen_t l = sizeof(c);

	pair(SOCK_STREAM, sv);
	CHECK_OK(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &c, &l));
	CHECK(l == sizeof(c), "len %u", (unsigned)l);
	CHECK(c.pid == getpid() && c.uid == geteuid() && c.gid == getegid(),
	    "cred %d/%u/%u, want %d/%u/%u", (int)c.pid, (unsigned)c.uid,
	    (unsigned)c.gid, (int)getpid(), (unsigned)geteuid(),
	    (unsigned)getegid());
	/* SO_PASSCRED: each message brings SCM_CREDENTIALS. */
	{
		int one = 1;
		union {
			struct cmsghdr h;
			char b[64];
		} u;
		char byte;
		struct iovec iov = { &byte, 1 };
		struct msghdr m;
		struct cmsghdr *cm;
		struct ucred got;
		int seen = 0;

		pair(SOCK_DGRAM, sv);
		CHECK_OK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one,
		    sizeof(one)));
		CHECK(send(sv[0], "c", 1, 0) == 1, "send");
		memset(&m, 0, sizeof(m));
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = u.b;
		m.msg_controllen = sizeof(u.b);
		CHECK(recvmsg(sv[1], &m, 0) == 1, "recvmsg: %s",
		    strerror(errno));
		for (cm = CMSG_FIRSTHDR(&m); cm != NULL;
		    cm = CMSG_NXTHDR(&m, cm))
			if (cm->cmsg_level == SOL_SOCKET &&
			    cm->cmsg_type == SCM_CREDENTIALS) {
				memcpy(&got, CMSG_DATA(cm), sizeof(got));
				seen = 1;
			}
		CHECK(seen, "no SCM_CREDENTIALS (controllen %zu)",
		    (size_t)m.msg_controllen);
		CHECK(got.pid == getpid() && got.uid == getuid() &&
		    got.gid == getgid(), "creds %d/%u/%u", (int)got.pid,
		    (unsigned)got.uid, (unsigned)got.gid);
	}
}

struct target {
	struct sockaddr_un a;
	socklen_t len;
};

static int
connect_and_hold(void *arg)
{
	struct target *t = arg;
	int s;
	char b;

	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		return 1;
	if (connect(s, (struct sockaddr *)&t->a, t->len) != 0)
		return 2;
	/* Wait for the server to close. */
	return read(s, &b, 1) == 0 ? 0 : 3;
}

static void
sock_peercred_accept(void)
{
	struct target t;
	socklen_t l;
	struct ucred c;
	pid_t pid;
	int s, cs, st;

	t.len = abstract_addr(&t.a, "cred");
	CHECK((s = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0, "socket");
	CHECK_OK(bind(s, (struct sockaddr *)&t.a, t.len));
	CHECK_OK(listen(s, 1));
	pid = ps_spawn(connect_and_hold, &t);
	CHECK((cs = accept(s, NULL, NULL)) >= 0, "accept: %s",
	    strerror(errno));
	l = sizeof(c);
	CHECK_OK(getsockopt(cs, SOL_SOCKET, SO_PEERCRED, &c, &l));
	CHECK(c.pid == pid, "peer pid %d, want %d", (int)c.pid, (int)pid);
	close(cs);
	st = ps_wait(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "client %s",
	    ps_status_str(st));
}

static void
sock_shutdown(void)
{
	int sv[2];
	char b[8];

	pair(SOCK_STREAM, sv);
	CHECK(write(sv[0], "abc", 3) == 3, "write");
	CHECK_OK(shutdown(sv[0], SHUT_WR));
	/* The peer reads what was sent, then EOF; it can still write. */
	CHECK(read(sv[1], b, sizeof(b)) == 3, "data before EOF");
	CHECK(read(sv[1], b, sizeof(b)) == 0, "EOF after SHUT_WR");
	CHECK(write(sv[1], "z", 1) == 1, "the other direction");
	CHECK(read(sv[0], b, sizeof(b)) == 1, "read the other direction");
	/* SHUT_RD: reads see EOF at once. */
	CHECK_OK(shutdown(sv[1], SHUT_RD));
	CHECK(read(sv[1], b, sizeof(b)) == 0, "EOF after SHUT_RD");
	CHECK_ERRNO(shutdown(sv[0], 3), EINVAL);
}

static void
sock_peer_close_eof(void)
{
	int sv[2];
	char b[8];
	pid_t pid;
	int st;

	pair(SOCK_STREAM, sv);
	/* The peer end is shared with a child; EOF only after both close. */
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		(void)write(sv[1], "k", 1);
		_exit(0);
	}
	CHECK(pid > 0, "fork: %s", strerror(errno));
	close(sv[1]);
	CHECK(read(sv[0], b, sizeof(b)) == 1 && b[0] == 'k', "child's data");
	CHECK(read(sv[0], b, sizeof(b)) == 0, "EOF when the child exited");
	st = ps_wait(pid);
	CHECK(WIFEXITED(st), "child %s", ps_status_str(st));
	/* getpeername on a pair: unnamed AF_UNIX. */
	pair(SOCK_STREAM, sv);
	{
		struct sockaddr_un a;
		socklen_t l = sizeof(a);

		CHECK_OK(getpeername(sv[0], (struct sockaddr *)&a, &l));
		CHECK(l == sizeof(sa_family_t) && a.sun_family == AF_UNIX,
		    "len %u family %d", (unsigned)l, a.sun_family);
	}
}

static void
sock_options(void)
{
	int s, v;
	socklen_t l = sizeof(v);

	CHECK((s = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0, "socket");
	CHECK_OK(getsockopt(s, SOL_SOCKET, SO_ERROR, &v, &l));
	CHECK(v == 0, "SO_ERROR %d", v);
	v = 8192;
	CHECK_OK(setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)));
	l = sizeof(v);
	CHECK_OK(getsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, &l));
	CHECK(v >= 8192, "SO_RCVBUF %d", v);
	l = sizeof(v);
	CHECK_OK(getsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, &l));
	CHECK(v > 0, "SO_SNDBUF %d", v);
	CHECK_ERRNO(getsockopt(s, SOL_SOCKET, 12345, &v, &l), ENOPROTOOPT);
	/* FIONREAD: queued bytes; a datagram socket's next datagram. */
	{
		int sv[2];

		pair(SOCK_STREAM, sv);
		CHECK(write(sv[0], "abcde", 5) == 5, "write");
		CHECK_OK(ioctl(sv[1], FIONREAD, &v));
		CHECK(v == 5, "FIONREAD %d", v);
		pair(SOCK_DGRAM, sv);
		CHECK(send(sv[0], "abc", 3, 0) == 3 &&
		    send(sv[0], "defgh", 5, 0) == 5, "send");
		CHECK_OK(ioctl(sv[1], FIONREAD, &v));
		CHECK(v == 3, "FIONREAD dgram %d", v);
	}
	{
		struct sockaddr_un a;
		socklen_t al = sizeof(a);

		CHECK_ERRNO(getpeername(s, (struct sockaddr *)&a, &al),
		    ENOTCONN);
	}
	/* fstat says socket. */
	{
		struct stat st;

		CHECK_OK(fstat(s, &st));
		CHECK(S_ISSOCK(st.st_mode), "mode %o", (unsigned)st.st_mode);
	}
}

/* sendmsg one byte with the fds in an SCM_RIGHTS message. */
static ssize_t
send_fds(int s, const int *fds, int n)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int) * 8)];
	} u;
	struct iovec iov = { "F", 1 };
	struct msghdr m;
	struct cmsghdr *c;

	memset(&u, 0, sizeof(u));
	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.b;
	m.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n);
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)n);
	memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)n);
	return sendmsg(s, &m, 0);
}

/* recvmsg one byte and up to 8 fds; returns how many fds came. */
static int
recv_fds(int s, int *fds, size_t ctl, int *flags)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int) * 8)];
	} u;
	char byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr m;
	struct cmsghdr *c;
	int n = 0;

	memset(&u, 0, sizeof(u));
	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.b;
	m.msg_controllen = ctl;
	if (recvmsg(s, &m, 0) != 1)
		return -1;
	*flags = m.msg_flags;
	for (c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			memcpy(fds, CMSG_DATA(c), sizeof(int) * (size_t)n);
		}
	return n;
}

static int
rights_child(void *arg)
{
	int s = *(int *)arg, fds[8], fl = 0;
	char buf[32];

	if (recv_fds(s, fds, CMSG_SPACE(sizeof(int) * 8), &fl) != 3)
		return 1;
	/* The pipe's read end: the parent writes after sending. */
	if (read(fds[0], buf, 9) != 9 || memcmp(buf, "pipe-data", 9) != 0)
		return 2;
	/* The file. */
	if (pread(fds[1], buf, 9, 0) != 9 || memcmp(buf, "file-data", 9) != 0)
		return 3;
	/* The socket: the parent holds its peer. */
	if (write(fds[2], "sock", 4) != 4)
		return 4;
	return 0;
}

static void
sock_scm_rights(void)
{
	int sv[2], pp[2], sp[2], fds[3], file, st, fl = 0, got[8];
	const char *path = ps_scratch_path("rights");
	char buf[8];
	pid_t pid;

	pair(SOCK_STREAM, sv);
	pair(SOCK_STREAM, sp);
	CHECK_OK(pipe(pp));
	CHECK((file = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600)) >= 0,
	    "open %s: %s", path, strerror(errno));
	CHECK(write(file, "file-data", 9) == 9, "write file");
	pid = ps_spawn(rights_child, &sv[1]);
	fds[0] = pp[0];
	fds[1] = file;
	fds[2] = sp[0];
	CHECK(send_fds(sv[0], fds, 3) == 1, "sendmsg: %s", strerror(errno));
	/* Our copies go; the ones in flight keep the objects. */
	close(pp[0]);
	close(file);
	close(sp[0]);
	CHECK(write(pp[1], "pipe-data", 9) == 9, "write pipe");
	CHECK(read(sp[1], buf, sizeof(buf)) == 4 && memcmp(buf, "sock", 4) == 0,
	    "the child wrote on the passed socket");
	st = ps_wait(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child %s",
	    ps_status_str(st));
	/* A bad fd: EBADF; too small a control buffer: MSG_CTRUNC. */
	fds[0] = 999;
	CHECK_ERRNO(send_fds(sv[0], fds, 1), EBADF);
	close(pp[1]);
	CHECK_OK(pipe(pp));
	fds[0] = pp[1];
	fds[1] = sv[0];
	CHECK(send_fds(sv[0], fds, 2) == 1, "sendmsg 2: %s", strerror(errno));
	CHECK(recv_fds(sv[1], got, CMSG_LEN(sizeof(int)), &fl) == 1,
	    "one fd fits");
	CHECK(fl & MSG_CTRUNC, "no MSG_CTRUNC (flags %#x)", fl);
	CHECK(write(got[0], "x", 1) == 1 && read(pp[0], buf, 1) == 1,
	    "the passed pipe end works");
	unlink(path);
}

/*
 * A vfsd fd in flight outlives its sender: the child opens a file,
 * sends it and exits before the parent reads the message; the open
 * file description (its offset too) must still be there.
 */
static int rights_exit_sv;

static int
rights_exit_child(void *arg)
{
	const char *path = arg;
	int sv1 = rights_exit_sv, fd;

	if ((fd = open(path, O_RDONLY)) < 0)
		return (1);
	if (lseek(fd, 5, SEEK_SET) != 5)
		return (2);
	if (send_fds(sv1, &fd, 1) != 1)
		return (3);
	return (0);			/* exits with fd and sv1 open */
}

static void
sock_rights_sender_exit(void)
{
	const char *path = ps_scratch_path("rights-exit");
	int sv[2], file, got[8], fl = 0, st;
	char buf[16];
	pid_t pid;

	pair(SOCK_STREAM, sv);
	CHECK((file = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600)) >= 0,
	    "open %s: %s", path, strerror(errno));
	CHECK(write(file, "head-body", 9) == 9, "write file");
	close(file);
	rights_exit_sv = sv[1];
	pid = ps_spawn(rights_exit_child, (void *)path);
	st = ps_wait(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child %s",
	    ps_status_str(st));
	CHECK(recv_fds(sv[0], got, CMSG_SPACE(sizeof(int) * 8), &fl) == 1,
	    "no fd arrived (flags %#x)", fl);
	CHECK(!(fl & MSG_CTRUNC), "MSG_CTRUNC: the fd was lost");
	/* The sender's offset: the same open file description. */
	CHECK(read(got[0], buf, 4) == 4 && memcmp(buf, "body", 4) == 0,
	    "read through the passed fd");
	close(got[0]);
	close(sv[0]);
	close(sv[1]);
	unlink(path);
}

/*
 * Sockets only messages in flight refer to are collected: a socket sent
 * into its own receive queue, and two sent into each other's, then
 * every fd closed.  Without collection each round leaks three endpoints
 * for good (RustOS has 256), so socketpair starts failing long before
 * the last round.
 */
#define SOCK_GC_ROUNDS	200

static void
sock_gc_cycles(void)
{
	int a[2], b[2], i;

	for (i = 0; i < SOCK_GC_ROUNDS; i++) {
		CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, a) == 0,
		    "round %d: socketpair: %s", i, strerror(errno));
		/* a[0] into its own queue (sent from its peer). */
		CHECK(send_fds(a[1], &a[0], 1) == 1, "round %d: sendmsg: %s",
		    i, strerror(errno));
		close(a[0]);
		close(a[1]);
		CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, b) == 0,
		    "round %d: socketpair 2: %s", i, strerror(errno));
		/* Each into the other's queue. */
		CHECK(send_fds(b[0], &b[0], 1) == 1 &&
		    send_fds(b[1], &b[1], 1) == 1, "round %d: sendmsg 2: %s",
		    i, strerror(errno));
		close(b[0]);
		close(b[1]);
	}
	/* A live pair still carries fds both ways. */
	{
		int got[8], fl = 0;

		pair(SOCK_STREAM, a);
		CHECK(send_fds(a[0], &a[0], 1) == 1, "sendmsg: %s",
		    strerror(errno));
		CHECK(recv_fds(a[1], got, CMSG_SPACE(sizeof(int) * 8), &fl) ==
		    1, "no fd arrived (flags %#x)", fl);
		close(got[0]);
		close(a[0]);
		close(a[1]);
	}
}

static void
sock_dgram_addressed(void)
{
	struct sockaddr_un sa, ca, got, pa;
	socklen_t sl = abstract_addr(&sa, "dgs"), cl = abstract_addr(&ca,
	    "dgc"), gl;
	const char *path = ps_scratch_path("dgram");
	int s, c, u, st, sv[2];
	char buf[16];

	CHECK((s = socket(AF_UNIX, SOCK_DGRAM, 0)) >= 0, "socket");
	CHECK((c = socket(AF_UNIX, SOCK_DGRAM, 0)) >= 0, "socket");
	CHECK((u = socket(AF_UNIX, SOCK_DGRAM, 0)) >= 0, "socket");
	CHECK_OK(bind(s, (struct sockaddr *)&sa, sl));
	CHECK_OK(bind(c, (struct sockaddr *)&ca, cl));
	CHECK(sendto(c, "hi", 2, 0, (struct sockaddr *)&sa, sl) == 2,
	    "sendto: %s", strerror(errno));
	gl = sizeof(got);
	CHECK(recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&got,
	    &gl) == 2 && memcmp(buf, "hi", 2) == 0, "recvfrom");
	CHECK(gl == cl && memcmp(&got, &ca, cl) == 0, "sender address len %u",
	    (unsigned)gl);
	/* An unbound sender has no address. */
	CHECK(sendto(u, "x", 1, 0, (struct sockaddr *)&sa, sl) == 1, "sendto");
	gl = sizeof(got);
	CHECK(recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&got,
	    &gl) == 1 && gl == 0, "unbound sender: len %u", (unsigned)gl);
	/* Nobody there; a stream socket with an address. */
	close(s);
	CHECK_ERRNO(sendto(c, "x", 1, 0, (struct sockaddr *)&sa, sl),
	    ECONNREFUSED);
	pair(SOCK_STREAM, sv);
	CHECK_ERRNO(sendto(sv[0], "x", 1, 0, (struct sockaddr *)&ca, cl),
	    EISCONN);
	/* A pathname datagram socket. */
	memset(&pa, 0, sizeof(pa));
	pa.sun_family = AF_UNIX;
	snprintf(pa.sun_path, sizeof(pa.sun_path), "%s", path);
	unlink(path);
	CHECK((s = socket(AF_UNIX, SOCK_DGRAM, 0)) >= 0, "socket");
	CHECK_OK(bind(s, (struct sockaddr *)&pa, sizeof(pa)));
	CHECK(sendto(u, "path", 4, 0, (struct sockaddr *)&pa, sizeof(pa)) == 4,
	    "sendto path: %s", strerror(errno));
	CHECK(recv(s, buf, sizeof(buf), 0) == 4, "recv path");
	unlink(path);
	CHECK_ERRNO(sendto(u, "x", 1, 0, (struct sockaddr *)&pa, sizeof(pa)),
	    ENOENT);
	(void)st;
}

static int
connect_blocking(void *arg)
{
	struct target *t = arg;
	int s;

	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		return 1;
	/* The backlog is full: this waits for the server's accept. */
	return connect(s, (struct sockaddr *)&t->a, t->len) == 0 ? 0 : 2;
}

static void
sock_backlog(void)
{
	struct target t;
	int l, c1, c2, a1, a2, st;
	pid_t pid;

	t.len = abstract_addr(&t.a, "backlog");
	CHECK((l = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0, "socket");
	CHECK_OK(bind(l, (struct sockaddr *)&t.a, t.len));
	CHECK_OK(listen(l, 0));		/* one connection may wait */
	CHECK((c1 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0)) >= 0,
	    "socket");
	CHECK((c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0)) >= 0,
	    "socket");
	CHECK_OK(connect(c1, (struct sockaddr *)&t.a, t.len));
	CHECK_ERRNO(connect(c2, (struct sockaddr *)&t.a, t.len), EAGAIN);
	/* A blocking connect waits until the queue has room. */
	pid = ps_spawn(connect_blocking, &t);
	ps_msleep(200);
	CHECK((a1 = accept(l, NULL, NULL)) >= 0, "accept: %s", strerror(errno));
	CHECK((a2 = accept(l, NULL, NULL)) >= 0, "accept 2: %s",
	    strerror(errno));
	st = ps_wait(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "blocked client %s",
	    ps_status_str(st));
	/* The first client's connection is the first accepted. */
	CHECK(write(c1, "1", 1) == 1, "write c1");
	{
		char b;

		CHECK(read(a1, &b, 1) == 1 && b == '1', "order");
	}
}

static void *
pairs_thread(void *arg)
{
	int i, sv[2];

	(void)arg;
	for (i = 0; i < 40; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
			return (void *)(long)errno;
		close(sv[0]);
		close(sv[1]);
	}
	return NULL;
}

/* Threads of one process in socket calls at once (netd serves each). */
static void
sock_threads(void)
{
	pthread_t t[3];
	void *r;
	int i, e;

	for (i = 0; i < 3; i++)
		CHECK((e = pthread_create(&t[i], NULL, pairs_thread, NULL)) == 0,
		    "pthread_create: %s", strerror(e));
	for (i = 0; i < 3; i++) {
		CHECK(pthread_join(t[i], &r) == 0, "join");
		CHECK(r == NULL, "thread %d: socketpair failed: %s", i,
		    strerror((int)(long)r));
	}
}

const struct ps_case ps_cases_sock[] = {
	{ "sock_pair_stream", sock_pair_stream, 0 },
	{ "sock_pair_dgram", sock_pair_dgram, 0 },
	{ "sock_pair_seqpacket", sock_pair_seqpacket, 0 },
	{ "sock_msg_boundaries", sock_msg_boundaries, 0 },
	{ "sock_abstract", sock_abstract, 0 },
	{ "sock_path", sock_path, 0 },
	{ "sock_eaddrinuse", sock_eaddrinuse, 0 },
	{ "sock_econnrefused", sock_econnrefused, 0 },
	{ "sock_enoent", sock_enoent, 0 },
	{ "sock_enotsock", sock_enotsock, 0 },
	{ "sock_ebadf", sock_ebadf, 0 },
	{ "sock_efault", sock_efault, 0 },
	{ "sock_einval", sock_einval, 0 },
	{ "sock_epipe", sock_epipe, 0 },
	{ "sock_nonblock", sock_nonblock, 0 },
	{ "sock_poll", sock_poll, 0 },
	{ "sock_peercred", sock_peercred, 0 },
	{ "sock_peercred_accept", sock_peercred_accept, 0 },
	{ "sock_shutdown", sock_shutdown, 0 },
	{ "sock_peer_close_eof", sock_peer_close_eof, 0 },
	{ "sock_options", sock_options, 0 },
	{ "sock_scm_rights", sock_scm_rights, 0 },
	{ "sock_rights_sender_exit", sock_rights_sender_exit, 0 },
	{ "sock_gc_cycles", sock_gc_cycles, 0 },
	{ "sock_dgram_addressed", sock_dgram_addressed, 0 },
	{ "sock_backlog", sock_backlog, 0 },
	{ "sock_threads", sock_threads, 0 },
	{ NULL, NULL, 0 }
};
