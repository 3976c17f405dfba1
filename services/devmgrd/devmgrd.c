/*
 * devmgrd.c -- device policy service (IPC_SERVICE_DEVMGRD): the /dev
 * registry and the decisions about it (include/rustos/devmgr.h).
 *
 * Ops: PING (generic framing); LOOKUP and READDIR of /dev (the kernel's
 * stat/access and getdents64 of /dev); OPEN, which decides the access
 * mode and has the kernel install the fd in the asking process through
 * DEVICE_OPEN_BROKER; IOCTL, which allows a device's ioctls from an
 * allowlist and has the kernel perform them through DEVICE_IOCTL_BROKER.
 * The registry is explicit: an unknown name is -ENOENT, never a wildcard
 * success.  Requests act for the pid at offset 8, so only the kernel (on
 * that pid's behalf) or the pid itself may send them.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include <rustos/devmgr.h>
#include <rustos/ipc.h>
#include <rustos/syscalls.h>
#include <rustos/tty.h>

#include "services/common/svc.h"

struct node {
	const char	*name;
	uint32_t	major, minor;
	uint32_t	mode;
	int		is_tty;		/* terminal ioctls allowed */
};

/* Linux numbers: mem 1 (null 3, random 8, zero 5, urandom 9), tty 5. */
static const struct node registry[] = {
	{ "console", 5, 1, S_IFCHR | 0620, 1 },
	{ "null", 1, 3, S_IFCHR | 0666, 0 },
	{ "random", 1, 8, S_IFCHR | 0666, 0 },
	{ "tty", 5, 0, S_IFCHR | 0666, 1 },
	{ "urandom", 1, 9, S_IFCHR | 0666, 0 },
	{ "zero", 1, 5, S_IFCHR | 0666, 0 },
};
#define NNODES	(sizeof(registry) / sizeof(registry[0]))

/* Terminal ioctls devmgrd lets a process run on its console fds. */
static const uint32_t tty_ioctls[] = {
	RUSTOS_TCGETS, RUSTOS_TCSETS, RUSTOS_TCSETSW, RUSTOS_TCSETSF,
	RUSTOS_TIOCGWINSZ, RUSTOS_TIOCSWINSZ, RUSTOS_TIOCGPGRP,
	RUSTOS_TIOCSPGRP, RUSTOS_TIOCSCTTY, RUSTOS_TIOCNOTTY, RUSTOS_TIOCGSID,
	RUSTOS_FIONREAD, RUSTOS_TIOCOUTQ, RUSTOS_TCFLSH, RUSTOS_TCXONC,
	RUSTOS_TCSBRK,
};

/*
 * Resolve a name under /dev: NULL with *dir = 1 for /dev itself, the node,
 * or NULL with *err (-ENOENT unknown, -ENOTDIR below a device).
 */
static const struct node *
resolve(const uint8_t *path, uint32_t len, int *dir, int *err)
{
	const char *p = (const char *)path;
	size_t i, nl;

	*dir = 0;
	*err = -ENOENT;
	if (len == 0) {
		*dir = 1;
		return NULL;
	}
	if (memchr(p, '\0', len) != NULL) {
		*err = -EINVAL;
		return NULL;
	}
	nl = (const char *)memchr(p, '/', len) != NULL ?
	    (size_t)((const char *)memchr(p, '/', len) - p) : len;
	for (i = 0; i < NNODES; i++)
		if (strlen(registry[i].name) == nl &&
		    memcmp(registry[i].name, p, nl) == 0) {
			if (nl < len) {
				/* "null/" or "null/x": not a directory. */
				*err = -ENOTDIR;
				return NULL;
			}
			return &registry[i];
		}
	return NULL;
}

static void
fill(struct rustos_devmgrd_ipc_response *rs, const struct node *n,
    uint32_t cookie)
{
	rs->status = 0;
	rs->next_cookie = cookie;
	if (n == NULL) {
		rs->node_kind = DEVMGRD_NODE_DIR;
		rs->mode = S_IFDIR | 0755;
		return;
	}
	rs->node_kind = DEVMGRD_NODE_CHAR;
	rs->major = n->major;
	rs->minor = n->minor;
	rs->mode = n->mode;
	rs->name_len = (uint32_t)strlen(n->name);
	memcpy(rs->name, n->name, rs->name_len);
}

static long
h_ping(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	return svc_status_reply(resp, cap, RUSTOS_SERVICE_OP_PING, 0);
}

static long
h_lookup(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_devmgrd_ipc_request *rq = req;
	struct rustos_devmgrd_ipc_response *rs = resp;
	const struct node *n;
	int dir, err;

	if (rq->path_len > DEVMGRD_NAME_MAX)
		return -EINVAL;
	n = resolve(rq->path, rq->path_len, &dir, &err);
	if (n == NULL && !dir)
		return err;
	fill(rs, n, 0);
	return sizeof(*rs);
}

static long
h_readdir(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_devmgrd_ipc_request *rq = req;
	struct rustos_devmgrd_ipc_response *rs = resp;
	uint32_t c = rq->cookie;

	if (rq->path_len != 0)
		return rq->path_len > DEVMGRD_NAME_MAX ? -EINVAL : -ENOTDIR;
	rs->status = 0;
	/* Cookies: 0 ".", 1 "..", 2 + i the registry, then the end. */
	if (c < 2) {
		rs->node_kind = DEVMGRD_NODE_DIR;
		rs->mode = S_IFDIR | 0755;
		rs->name_len = c + 1;
		memcpy(rs->name, "..", c + 1);
		rs->next_cookie = c + 1;
	} else if (c - 2 < NNODES)
		fill(rs, &registry[c - 2], c + 1);
	else
		rs->next_cookie = c;	/* name_len 0: the end */
	return sizeof(*rs);
}

static long
h_open(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_devmgrd_ipc_request *rq = req;
	struct rustos_devmgrd_ipc_response *rs = resp;
	struct rustos_device_open_broker_args a;
	const struct node *n;
	uint32_t acc = rq->flags & O_ACCMODE;
	int dir, err;
	long fd;

	if (rq->path_len > DEVMGRD_NAME_MAX || acc == O_ACCMODE)
		return -EINVAL;
	n = resolve(rq->path, rq->path_len, &dir, &err);
	if (n == NULL && !dir)
		return err;
	if (n == NULL) {
		/* /dev itself: read-only; the kernel makes the fd. */
		if (acc != O_RDONLY || (rq->flags & O_CREAT))
			return -EISDIR;
		fill(rs, NULL, 0);
		return sizeof(*rs);
	}
	if (rq->flags & O_DIRECTORY)
		return -ENOTDIR;
	if ((rq->flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return -EEXIST;
	/*
	 * The decision: every node of the registry may be opened for what
	 * was asked; O_CREAT/O_TRUNC/O_APPEND mean nothing to a device and
	 * are not passed on, O_NONBLOCK and O_CLOEXEC are.  A terminal
	 * opened without O_NOCTTY may become the caller's controlling tty
	 * (the kernel applies the session rules): the console, the terminal
	 * itself here (Linux's ttyS0, not its /dev/console); never /dev/tty,
	 * which is already the caller's controlling tty or nothing.
	 */
	memset(&a, 0, sizeof(a));
	a.pid = rq->pid;
	a.major = n->major;
	a.minor = n->minor;
	a.open_flags = acc | (rq->flags & (O_NONBLOCK | O_CLOEXEC));
	a.ctty = n->is_tty && n->minor != 0 && !(rq->flags & O_NOCTTY);
	fd = rustos_sys_device_open_broker(&a);
	if (fd < 0)
		return fd;
	fill(rs, n, 0);
	rs->status = (int32_t)fd;
	return sizeof(*rs);
}

static long
h_ioctl(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_devmgrd_ioctl_request *rq = req;
	struct rustos_devmgrd_ipc_response *rs = resp;
	struct rustos_device_ioctl_broker_args a;
	const struct node *n = NULL;
	size_t i;
	long r;

	if (rq->reserved0 != 0)
		return -EINVAL;
	for (i = 0; i < NNODES; i++)
		if (registry[i].major == rq->major &&
		    registry[i].minor == rq->minor)
			n = &registry[i];
	if (n == NULL || !n->is_tty)
		return -ENOTTY;
	for (i = 0; i < sizeof(tty_ioctls) / sizeof(tty_ioctls[0]); i++)
		if (tty_ioctls[i] == rq->cmd)
			break;
	if (i == sizeof(tty_ioctls) / sizeof(tty_ioctls[0]))
		return -ENOTTY;
	memset(&a, 0, sizeof(a));
	a.pid = rq->pid;
	a.fd = rq->fd;
	a.cmd = rq->cmd;
	a.arg = rq->arg;
	r = rustos_sys_device_ioctl_broker(&a);
	if (r < 0)
		return r;
	rs->status = (int32_t)r;
	return sizeof(*rs);
}

#define RQ	sizeof(struct rustos_devmgrd_ipc_request)
#define RS	sizeof(struct rustos_devmgrd_ipc_response)
#define IQ	sizeof(struct rustos_devmgrd_ioctl_request)

static const struct svc_op ops[] = {
	{ RUSTOS_SERVICE_OP_PING, 1, 8, 8, 16, h_ping, 0 },
	{ DEVMGRD_IPC_OP_LOOKUP, 0, RQ, RQ, RS, h_lookup, 0 },
	{ DEVMGRD_IPC_OP_READDIR, 0, RQ, RQ, RS, h_readdir, 0 },
	{ DEVMGRD_IPC_OP_OPEN, 0, RQ, RQ, RS, h_open, 0 },
	{ DEVMGRD_IPC_OP_IOCTL, 0, IQ, IQ, RS, h_ioctl, 0 },
};

static const struct svc_table table = {
	"devmgrd", IPC_SERVICE_DEVMGRD, DEVMGRD_IPC_ABI_VERSION,
	ops, sizeof(ops) / sizeof(ops[0]),
	8	/* the pid a request acts for */
};

int
main(int argc, char **argv)
{
	svc_parse_args(argc, argv);
	return svc_serve(&table, NULL, "devmgrd: device policy endpoint registered",
	    NULL) < 0 ? 1 : 0;
}
