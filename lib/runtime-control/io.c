/*
 * io.c -- deadline-bounded socket I/O for libruntime-control.  Every wait
 * is a poll() with the time left, so no exchange can hang.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
rc_deadline_after(int timeout_ms)
{
	return now_ms() + (timeout_ms < 0 ? 0 : timeout_ms);
}

static int
wait_for(int fd, short events, int64_t deadline)
{
	struct pollfd p;
	int64_t left;
	int r;

	for (;;) {
		left = deadline - now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		p.fd = fd;
		p.events = events;
		p.revents = 0;
		r = poll(&p, 1, left > 1000000 ? 1000000 : (int)left);
		if (r > 0)
			return 0;	/* ready, or an error the next call reports */
		if (r == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

int
rc_write_all(int fd, const void *buf, size_t len, int64_t deadline)
{
	const unsigned char *p = buf;
	ssize_t n;
	int r;

	while (len > 0) {
		n = send(fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if ((r = wait_for(fd, POLLOUT, deadline)) < 0)
				return r;
			continue;
		}
		return n < 0 ? -errno : -EIO;
	}
	return 0;
}

int
rc_read_exact(int fd, void *buf, size_t len, int64_t deadline)
{
	unsigned char *p = buf;
	size_t got = 0;
	ssize_t n;
	int r;

	while (got < len) {
		n = recv(fd, p + got, len - got, MSG_DONTWAIT);
		if (n > 0) {
			got += (size_t)n;
			continue;
		}
		if (n == 0)
			return got == 0 ? -EPIPE : -EPROTO;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			if ((r = wait_for(fd, POLLIN, deadline)) < 0)
				return r;
			continue;
		}
		return -errno;
	}
	return 0;
}
