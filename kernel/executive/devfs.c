/*
 * devfs.c -- the kernel side of /dev: device fds (the console, null, zero,
 * urandom/random), the /dev directory fd, the routing of /dev paths and of
 * device ioctls to devmgrd, and the two brokers devmgrd acts through
 * (DEVICE_OPEN_BROKER, DEVICE_IOCTL_BROKER).
 *
 * Policy lives in devmgrd (the registry, who may open what with which
 * access mode, which ioctls a device allows); the kernel keeps the
 * mechanism: the device objects, the fd table and the user copies.  A
 * forwarded open or ioctl is a "pending" record while the caller waits in
 * its IPC call; a broker acts only on a pending record of the process
 * whose request the broker's caller is serving, so devmgrd cannot touch a
 * process that did not ask.  Ioctl arguments are copied in before and out
 * after the round trip in the caller's own syscall, so the broker never
 * writes another address space.
 *
 * Before devmgrd registers, and for policy callers (rootd, services: they
 * must never call a service that might call them), ioctls run directly;
 * that is the contract's "direct ioctl fallback".  Opens of /dev paths
 * always go to devmgrd (-EAGAIN while it is absent).
 */
#include <executive/api.h>
#include <executive/internal.h>
#include <hal/api.h>
#include <io-manager/api.h>
#include <ipc-runtime/api.h>
#include <mm/api.h>
#include <nucleus-core/api.h>
#include <ps/api.h>

#include <rustos/devmgr.h>
#include <rustos/ipc_services.h>
#include <rustos/tty.h>

#define EPERM		1
#define ENXIO		6
#define EBADF		9
#define EACCES		13
#define EFAULT		14
#define ENODEV		19
#define ENOTDIR		20
#define EISDIR		21
#define EMFILE		24
#define ENOTTY		25
#define O_ACCMODE_L	3
#define O_NONBLOCK_L	0x800
#define O_CLOEXEC_L	0x80000
#define FIONCLEX_L	0x5450
#define FIOCLEX_L	0x5451

#define MAJ_MEM		1
#define MAJ_TTY		5
#define DEV_READ_MAX	(1u << 20)	/* per read of zero/urandom */
#define MAX_PENDING	16
#define IOCTL_DATA_MAX	64
#define PATH_MAX_DEV	512

enum { PEND_OPEN = 1, PEND_IOCTL };

struct pending {
	int kind;
	bool done;
	long pid;
	int32_t fd;			/* IOCTL: the fd; OPEN: the new fd */
	uint32_t cmd;
	uint64_t arg;
	uint8_t *data;			/* IOCTL: IOCTL_DATA_MAX bytes */
};

static struct pending *pending[MAX_PENDING];

static long
pend_add(struct pending *pe)
{
	unsigned i;

	for (i = 0; i < MAX_PENDING; i++)
		if (pending[i] == NULL) {
			pending[i] = pe;
			return (0);
		}
	return (-NC_EAGAIN);
}

static void
pend_del(struct pending *pe)
{
	unsigned i;

	for (i = 0; i < MAX_PENDING; i++)
		if (pending[i] == pe)
			pending[i] = NULL;
}

/* The caller's pending record for pid (it must be serving that pid). */
static struct pending *
pend_find(int kind, long pid, int32_t fd, uint32_t cmd, uint64_t arg)
{
	struct ps_proc *self = ps_proc_current();
	unsigned i;

	if (self == NULL || pid <= 0 || self->serving_caller != pid)
		return (NULL);
	for (i = 0; i < MAX_PENDING; i++) {
		struct pending *pe = pending[i];

		if (pe == NULL || pe->kind != kind || pe->pid != pid ||
		    pe->done)
			continue;
		if (kind == PEND_IOCTL && (pe->fd != fd || pe->cmd != cmd ||
		    pe->arg != arg))
			continue;
		return (pe);
	}
	return (NULL);
}

/* ---- /dev paths ---- */

/*
 * If path (absolute) names /dev or something under it after lexical
 * normalisation ("//", ".", ".."), write the part after "/dev/" to out
 * ("" for /dev itself; a trailing "/" is kept) and return its length;
 * otherwise -1.
 */
long
ex_dev_path(const char *path, size_t len, char *out, size_t cap)
{
	char norm[PATH_MAX_DEV];
	size_t i = 0, n = 0, start;
	bool trail;

	if (len == 0 || path[0] != '/' || len >= sizeof(norm))
		return (-1);
	trail = path[len - 1] == '/';
	while (i < len) {
		while (i < len && path[i] == '/')
			i++;
		start = i;
		while (i < len && path[i] != '/')
			i++;
		if (i == start || (i - start == 1 && path[start] == '.'))
			continue;
		if (i - start == 2 && path[start] == '.' &&
		    path[start + 1] == '.') {
			while (n > 0 && norm[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
			continue;
		}
		norm[n++] = '/';
		memcpy(norm + n, path + start, i - start);
		n += i - start;
	}
	if (n < 4 || memcmp(norm, "/dev", 4) != 0 ||
	    (n > 4 && norm[4] != '/'))
		return (-1);
	n = n > 4 ? n - 5 : 0;		/* the name after "/dev/" */
	if (n + 2 > cap)
		return (-1);
	memcpy(out, norm + 5, n);
	if (trail && n > 0)
		out[n++] = '/';
	out[n] = '\0';
	return ((long)n);
}

static long
devmgrd_call(struct ps_proc *p, uint16_t op, const char *name, size_t nlen,
    uint32_t flags, uint32_t cookie, struct rustos_devmgrd_ipc_response *rs)
{
	struct rustos_devmgrd_ipc_request rq;
	long n;

	if (nlen > DEVMGRD_NAME_MAX)
		return (-36);		/* ENAMETOOLONG */
	/* devmgrd never waits on itself. */
	if (p->caps & IPC_SERVICE_CAP_DEVICE_POLICY)
		return (-NC_ENOENT);
	memset(&rq, 0, sizeof(rq));
	rq.version = DEVMGRD_IPC_ABI_VERSION;
	rq.op = op;
	rq.flags = flags;
	rq.pid = (uint64_t)p->pid;
	rq.cookie = cookie;
	rq.path_len = (uint32_t)nlen;
	memcpy(rq.path, name, nlen);
	memset(rs, 0, sizeof(*rs));
	n = ipc_kernel_call(p, IPC_SERVICE_DEVMGRD, &rq, sizeof(rq), rs,
	    sizeof(*rs));
	if (n < 0)
		return (n);
	if ((size_t)n < 8 || rs->version != DEVMGRD_IPC_ABI_VERSION)
		return (-NC_EIO);
	if ((size_t)n < sizeof(*rs) && rs->status >= 0)
		return (-NC_EIO);
	if (rs->name_len > DEVMGRD_NAME_MAX)
		return (-NC_EIO);
	return (rs->status);
}

static long
free_fd(struct ps_proc *p)
{
	return (ps_fd_lowest(p, 0));
}

long
ex_dev_openat(struct ps_proc *p, const char *name, size_t nlen,
    uint64_t flags)
{
	struct rustos_devmgrd_ipc_response rs;
	struct pending pe;
	long r, fd;

	memset(&pe, 0, sizeof(pe));
	pe.kind = PEND_OPEN;
	pe.pid = p->pid;
	pe.fd = -1;
	if ((r = pend_add(&pe)) != 0)
		return (r);
	r = devmgrd_call(p, DEVMGRD_IPC_OP_OPEN, name, nlen, (uint32_t)flags,
	    0, &rs);
	pend_del(&pe);
	if (r < 0) {
		/* devmgrd refused after installing: take it back. */
		if (pe.fd >= 0 && (unsigned long)pe.fd < p->fd_cap)
			ps_fd_drop(&p->fds[pe.fd]);
		return (r);
	}
	if (rs.node_kind == DEVMGRD_NODE_DIR) {
		/* The /dev directory itself: listing needs no device right. */
		if (pe.fd >= 0)
			return (-NC_EIO);
		if ((fd = free_fd(p)) < 0)
			return (fd);
		memset(&p->fds[fd], 0, sizeof(p->fds[fd]));
		p->fds[fd].kind = PS_FD_DEVDIR;
		p->fds[fd].fd_flags = (flags & O_CLOEXEC_L) ? PS_FD_CLOEXEC : 0;
		return (fd);
	}
	if (pe.fd < 0)
		return (-NC_EIO);	/* "success" without an fd */
	return (pe.fd);
}

long
ex_sys_device_open_broker(uint64_t uargs, uint64_t a1, uint64_t a2,
    uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct rustos_device_open_broker_args a;
	struct pending *pe;
	struct ps_proc *t;
	struct ps_fd *f;
	uint8_t kind;
	long fd;

	if (hal_copy_from_user(&a, uargs, sizeof(a)) != 0)
		return (-EFAULT);
	if (a.ctty > 1 || (a.open_flags & ~(uint32_t)(O_ACCMODE_L |
	    O_NONBLOCK_L | O_CLOEXEC_L)) != 0 ||
	    (a.open_flags & O_ACCMODE_L) == O_ACCMODE_L)
		return (-NC_EINVAL);
	if (a.pid > INT32_MAX ||
	    (pe = pend_find(PEND_OPEN, (long)a.pid, 0, 0, 0)) == NULL ||
	    (t = ps_proc_find((long)a.pid)) == NULL || t->zombie)
		return (-NC_EINVAL);
	if (a.major == MAJ_TTY && (a.minor == 1 || a.minor == 0)) {
		/* /dev/tty is the console only for its session. */
		if (a.minor == 0 && !io_tty_is_ctty(t))
			return (-ENXIO);
		kind = PS_FD_CONSOLE;
	} else if (a.major == MAJ_MEM && (a.minor == 3 || a.minor == 5 ||
	    a.minor == 8 || a.minor == 9))
		kind = PS_FD_DEVICE;
	else
		return (-ENXIO);
	if ((fd = free_fd(t)) < 0)
		return (fd);
	f = &t->fds[fd];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->fd_flags = (a.open_flags & O_CLOEXEC_L) ? PS_FD_CLOEXEC : 0;
	f->status_flags = a.open_flags & O_NONBLOCK_L;
	f->index = PS_DEVNO(a.major, a.minor);
	f->remote_kind = (uint16_t)(a.open_flags & O_ACCMODE_L);
	pe->fd = (int32_t)fd;
	pe->done = true;
	/* devmgrd's decision (no O_NOCTTY); the tty checks the rest. */
	if (a.ctty && kind == PS_FD_CONSOLE && a.minor == 1)
		io_tty_open_ctty(t);
	return (fd);
}

/* ---- stat ---- */

static uint64_t
linux_makedev(uint32_t maj, uint32_t min)
{
	return (((uint64_t)(maj & 0xfff) << 8) | (min & 0xff) |
	    ((uint64_t)(min & ~0xffu) << 12) |
	    ((uint64_t)(maj & ~0xfffu) << 32));
}

static void
fill_stat(uint64_t st[18], uint32_t mode, uint32_t maj, uint32_t min,
    bool dir)
{
	memset(st, 0, 18 * sizeof(uint64_t));
	st[0] = 5;				/* st_dev: the device fs */
	st[1] = dir ? 1 : 2 + ((uint64_t)maj << 8 | min);	/* st_ino */
	st[2] = dir ? 2 : 1;			/* st_nlink */
	st[3] = mode;				/* st_mode, uid 0 */
	st[5] = dir ? 0 : linux_makedev(maj, min);	/* st_rdev */
	st[7] = 4096;				/* st_blksize */
}

void
ex_dev_fstat(const struct ps_fd *f, uint64_t st[18])
{
	uint32_t maj = f->index >> 20, min = f->index & 0xfffff;

	switch (f->kind) {
	case PS_FD_DEVDIR:
		fill_stat(st, 040755, 0, 0, true);
		break;
	case PS_FD_DEVICE:
		fill_stat(st, 020666, maj, min, false);
		break;
	default:			/* the console */
		fill_stat(st, 020620, MAJ_TTY, 1, false);
		break;
	}
}

/*
 * stat/lstat/newfstatat/statx/access of a /dev path: devmgrd's LOOKUP.
 * statx gets the basic fields (mask STATX_BASIC_STATS).
 */
long
ex_dev_path_call(struct ps_proc *p, uint16_t op, const char *name,
    size_t nlen, uint64_t uout, uint64_t arg0)
{
	struct rustos_devmgrd_ipc_response rs;
	uint64_t st[18];
	uint8_t sx[256];
	bool dir;
	long r;

	r = devmgrd_call(p, DEVMGRD_IPC_OP_LOOKUP, name, nlen, 0, 0, &rs);
	if (r < 0)
		return (r);
	dir = rs.node_kind == DEVMGRD_NODE_DIR;
	fill_stat(st, rs.mode, rs.major, rs.minor, dir);
	switch (op) {
	case EX_DEV_ACCESS:
		/* Devices and /dev are not executable files. */
		return ((arg0 & 1) != 0 && !dir ? -EACCES : 0);
	case EX_DEV_STAT:
		return (hal_copy_to_user(uout, st, sizeof(st)) != 0 ?
		    -EFAULT : 0);
	case EX_DEV_STATX: {
		uint32_t u32;
		uint16_t mode = (uint16_t)rs.mode;

		memset(sx, 0, sizeof(sx));
		u32 = 0x7ff;			/* STATX_BASIC_STATS */
		memcpy(sx + 0, &u32, 4);
		u32 = 4096;
		memcpy(sx + 4, &u32, 4);
		u32 = (uint32_t)st[2];
		memcpy(sx + 16, &u32, 4);
		memcpy(sx + 28, &mode, 2);
		memcpy(sx + 32, &st[1], 8);
		if (!dir) {
			memcpy(sx + 128, &rs.major, 4);
			memcpy(sx + 132, &rs.minor, 4);
		}
		u32 = 5;
		memcpy(sx + 140, &u32, 4);	/* stx_dev_minor */
		return (hal_copy_to_user(uout, sx, sizeof(sx)) != 0 ?
		    -EFAULT : 0);
	}
	}
	return (-NC_EINVAL);
}

/* ---- read, write, getdents ---- */

long
ex_dev_read(struct ps_proc *p, struct ps_fd *f, uint64_t buf, uint64_t len)
{
	uint8_t chunk[256];
	uint32_t min = f->index & 0xfffff;
	uint64_t done = 0;

	if (f->kind == PS_FD_CONSOLE)
		return (io_tty_read(p, buf, len,
		    (f->status_flags & PS_FL_NONBLOCK) != 0));
	if (f->kind == PS_FD_DEVDIR)
		return (-EISDIR);
	if ((f->remote_kind & O_ACCMODE_L) == 1)
		return (-EBADF);		/* O_WRONLY */
	if (!mm_user_range_ok(buf, len))
		return (-EFAULT);
	if (min == 3)
		return (0);			/* null: EOF */
	if (len > DEV_READ_MAX)
		len = DEV_READ_MAX;
	if (min == 5)
		memset(chunk, 0, sizeof(chunk));
	while (done < len) {
		size_t n = len - done > sizeof(chunk) ? sizeof(chunk) :
		    (size_t)(len - done);

		if (min != 5)
			io_random_bytes(chunk, n);
		if (hal_copy_to_user(buf + done, chunk, n) != 0)
			return (done > 0 ? (long)done : -EFAULT);
		done += n;
	}
	return ((long)done);
}

long
ex_dev_write(struct ps_proc *p, struct ps_fd *f, uint64_t buf, uint64_t len)
{
	if (f->kind == PS_FD_CONSOLE)
		return (io_tty_write(p, buf, len));
	if (f->kind == PS_FD_DEVDIR)
		return (-EBADF);
	if ((f->remote_kind & O_ACCMODE_L) == 0)
		return (-EBADF);		/* O_RDONLY */
	if (!mm_user_range_ok(buf, len))
		return (-EFAULT);
	return ((long)len);		/* null, zero, urandom: discarded */
}

/* getdents64 of /dev: devmgrd's READDIR, one entry per round trip. */
long
ex_dev_getdents(struct ps_proc *p, struct ps_fd *f, uint64_t buf,
    uint64_t len)
{
	struct rustos_devmgrd_ipc_response rs;
	uint8_t rec[24 + DEVMGRD_NAME_MAX + 8];
	uint64_t done = 0, ino;
	uint16_t reclen;
	long r;

	if (f->kind != PS_FD_DEVDIR)
		return (-ENOTDIR);
	if (!mm_user_range_ok(buf, len))
		return (-EFAULT);
	for (;;) {
		r = devmgrd_call(p, DEVMGRD_IPC_OP_READDIR, "", 0, 0,
		    (uint32_t)f->offset, &rs);
		if (r < 0)
			return (done > 0 ? (long)done : r);
		if (rs.name_len == 0)
			break;			/* the end */
		reclen = (uint16_t)((19 + rs.name_len + 1 + 7) & ~7u);
		if (done + reclen > len) {
			if (done == 0)
				return (-NC_EINVAL);
			break;
		}
		memset(rec, 0, sizeof(rec));
		ino = rs.node_kind == DEVMGRD_NODE_DIR ? 1 :
		    2 + ((uint64_t)rs.major << 8 | rs.minor);
		memcpy(rec, &ino, 8);
		memcpy(rec + 8, &(int64_t){ rs.next_cookie }, 8);
		memcpy(rec + 16, &reclen, 2);
		rec[18] = rs.node_kind == DEVMGRD_NODE_DIR ? 4 : 2;
		memcpy(rec + 19, rs.name, rs.name_len);
		if (hal_copy_to_user(buf + done, rec, reclen) != 0)
			return (done > 0 ? (long)done : -EFAULT);
		done += reclen;
		f->offset = rs.next_cookie;
	}
	return ((long)done);
}

/* ---- ioctl ---- */

/* The device operation itself (no user memory: data is a kernel copy). */
static long
dev_do_ioctl(struct ps_proc *t, const struct ps_fd *f, uint32_t cmd,
    uint64_t arg, void *data)
{
	if (f->kind == PS_FD_CONSOLE)
		return (io_tty_ioctl(t, cmd, arg, data));
	return (-ENOTTY);
}

long
ex_dev_ioctl(struct ps_proc *p, uint64_t fd, uint64_t ucmd, uint64_t arg)
{
	struct rustos_devmgrd_ioctl_request rq;
	struct rustos_devmgrd_ipc_response rs;
	uint8_t data[IOCTL_DATA_MAX];
	uint32_t cmd = (uint32_t)ucmd;
	struct pending pe;
	struct ps_fd *f;
	bool in = false, absent;
	long size, r, n;
	int32_t v;

	if ((f = ps_fd_at(p, fd)) == NULL)
		return (-EBADF);
	/* fd-level requests of every kind of fd: no device involved. */
	switch (cmd) {
	case RUSTOS_FIONBIO:
		if (hal_copy_from_user(&v, arg, 4) != 0)
			return (-EFAULT);
		if (v)
			f->status_flags |= PS_FL_NONBLOCK;
		else
			f->status_flags &= ~(uint32_t)PS_FL_NONBLOCK;
		return (0);
	case FIOCLEX_L:
		f->fd_flags |= PS_FD_CLOEXEC;
		return (0);
	case FIONCLEX_L:
		f->fd_flags &= ~PS_FD_CLOEXEC;
		return (0);
	}
	/* Sockets: FIONREAD (net.c). */
	if (f->kind == PS_FD_SOCK)
		return (ex_sock_ioctl(p, f, cmd, arg));
	/* Pipes, files, directories: not terminals. */
	if (f->kind != PS_FD_CONSOLE && f->kind != PS_FD_DEVICE)
		return (-ENOTTY);
	/* Nothing to authorize when the device has no such operation. */
	if (f->kind != PS_FD_CONSOLE ||
	    (size = io_tty_ioctl_size(cmd, &in)) < 0)
		return (-ENOTTY);
	/* A background process changing its terminal: SIGTTOU first. */
	if ((r = io_tty_ioctl_check(p, cmd)) != 0)
		return (r);
	memset(data, 0, sizeof(data));
	if (in && hal_copy_from_user(data, arg, (size_t)size) != 0)
		return (-EFAULT);
	r = -NC_EAGAIN;
	absent = true;
	if (!ps_is_policy(p)) {
		memset(&pe, 0, sizeof(pe));
		pe.kind = PEND_IOCTL;
		pe.pid = p->pid;
		pe.fd = (int32_t)fd;
		pe.cmd = cmd;
		pe.arg = arg;
		pe.data = data;
		if ((r = pend_add(&pe)) != 0)
			return (r);
		memset(&rq, 0, sizeof(rq));
		rq.version = DEVMGRD_IPC_ABI_VERSION;
		rq.op = DEVMGRD_IPC_OP_IOCTL;
		rq.cmd = cmd;
		rq.pid = (uint64_t)p->pid;
		rq.fd = (int32_t)fd;
		rq.major = f->kind == PS_FD_CONSOLE ? MAJ_TTY : f->index >> 20;
		rq.minor = f->kind == PS_FD_CONSOLE ? 1 : f->index & 0xfffff;
		rq.arg = arg;
		memset(&rs, 0, sizeof(rs));
		n = ipc_kernel_call(p, IPC_SERVICE_DEVMGRD, &rq, sizeof(rq),
		    &rs, sizeof(rs));
		pend_del(&pe);
		if (n >= 0) {
			if ((size_t)n < 8 || rs.version != DEVMGRD_IPC_ABI_VERSION)
				r = -NC_EIO;
			else if (rs.status >= 0 && !pe.done)
				r = -NC_EIO;	/* "allowed" without the broker */
			else
				r = rs.status;
			absent = false;
		} else {
			r = n;
			/* ipc_kernel_call's -EAGAIN: devmgrd is not there. */
			absent = n == -NC_EAGAIN;
		}
	}
	/* The direct fallback: policy callers, or devmgrd not registered. */
	if (absent)
		r = dev_do_ioctl(p, f, cmd, arg, data);
	if (r >= 0 && !in && size > 0 &&
	    hal_copy_to_user(arg, data, (size_t)size) != 0)
		return (-EFAULT);
	return (r);
}

long
ex_sys_device_ioctl_broker(uint64_t uargs, uint64_t a1, uint64_t a2,
    uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct rustos_device_ioctl_broker_args a;
	struct pending *pe;
	struct ps_proc *t;
	struct ps_fd *f;
	long r;

	if (hal_copy_from_user(&a, uargs, sizeof(a)) != 0)
		return (-EFAULT);
	if (a.reserved0 != 0 || a.pid > INT32_MAX)
		return (-NC_EINVAL);
	if ((pe = pend_find(PEND_IOCTL, (long)a.pid, a.fd, a.cmd,
	    a.arg)) == NULL || (t = ps_proc_find((long)a.pid)) == NULL ||
	    t->zombie)
		return (-NC_EINVAL);
	if (a.fd < 0 || (f = ps_fd_at(t, (uint64_t)a.fd)) == NULL ||
	    (f->kind != PS_FD_CONSOLE && f->kind != PS_FD_DEVICE))
		return (-EBADF);
	r = dev_do_ioctl(t, f, a.cmd, a.arg, pe->data);
	pe->done = true;
	return (r);
}
