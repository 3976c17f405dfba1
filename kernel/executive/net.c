/*
 * net.c -- the kernel side of sockets: routing of the Linux socket calls
 * to netd and NET_BROKER, the broker netd acts through.
 *
 * Control calls (socket, socketpair, bind, listen, connect, getsockname,
 * getpeername, setsockopt, getsockopt, shutdown) go to netd as one
 * SOCKCALL request (include/rustos/netd.h) with the kernel's facts about
 * the fd and the copied-in arguments; netd decides and acts through
 * NET_BROKER; its reply status is the result and its `out` bytes are
 * copied back here, in the caller's own syscall (the broker never writes
 * another address space).  A forwarded call is a "pending" record while
 * the caller waits; process-touching broker ops act only on the pending
 * record of the pid the broker's caller is serving, and only on the
 * socket that call named.
 *
 * The data path -- read/write/readv/writev, send/recv(from|msg), accept,
 * poll -- never leaves the kernel (ps/sock.c).  accept is a data-path
 * operation: the endpoint was queued by netd's CONNECT decision.
 */
#include <executive/api.h>
#include <executive/internal.h>
#include <hal/api.h>
#include <ipc-runtime/api.h>
#include <mm/api.h>
#include <nucleus-core/api.h>
#include <ps/api.h>

#include <rustos/ipc_services.h>
#include <rustos/net_broker.h>
#include <rustos/netd.h>
#include <rustos/bootstrap_services.h>
#include <rustos/offload.h>
#include <rustos/vfs.h>

#define EBADF		9
#define EFAULT		14
#define EPIPE		32
#define ENOTSOCK	88
#define EMSGSIZE	90
#define EOPNOTSUPP	95
#define EISCONN		106
#define SIGPIPE		13
#define MAX_PENDING	16
#define IOV_MAX_L	1024
#define MSG_CHUNK	65536
#define NC_ENOBUFS_L	105
#define CONNECT_RETRY_MS	20

struct npend {
	long pid;
	long tid;			/* the calling thread */
	uint64_t sock_id;		/* the socket the call named, or 0 */
	struct ps_sock_cred cred;	/* the caller's */
	int nfd;
	int32_t fds[2];
	bool vfs;			/* bind/connect of a pathname */
	int32_t vfs_status;
	uint32_t vfs_mode;
	uint64_t vfs_ino;
};

static struct npend *pending[MAX_PENDING];

static long
pend_add(struct npend *pe)
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
pend_del(struct npend *pe)
{
	unsigned i;

	for (i = 0; i < MAX_PENDING; i++)
		if (pending[i] == pe)
			pending[i] = NULL;
}

/*
 * The pending call of pid (and thread tid, when given: threads of one
 * process may wait in socket calls at once), which the broker's caller
 * must be serving.
 */
static struct npend *
pend_find(uint64_t pid, uint64_t tid)
{
	struct ps_proc *self = ps_proc_current();
	unsigned i;

	if (self == NULL || pid == 0 || pid > INT32_MAX ||
	    self->serving_caller != (long)pid)
		return (NULL);
	for (i = 0; i < MAX_PENDING; i++)
		if (pending[i] != NULL && pending[i]->pid == (long)pid &&
		    (tid == 0 || pending[i]->tid == (long)tid))
			return (pending[i]);
	return (NULL);
}

/*
 * The caller's effective ids for SO_PEERCRED: syscalld keeps them (ask
 * geteuid/getegid through the offload when the caller has a DB entry;
 * without one it is root).
 */
static void
caller_cred(struct ps_proc *p, struct ps_sock_cred *c)
{
	struct rustos_linux_syscall_offload_request rq;
	struct rustos_linux_syscall_offload_response rs;
	uint32_t v[3];
	long n;
	int k;

	memset(c, 0, sizeof(*c));
	c->pid = p->pid;
	if (!p->linux_policy_entry)
		return;
	for (k = 0; k < 2; k++) {
		memset(&rq, 0, sizeof(rq));
		rq.version = SYSCALL_OFFLOAD_ABI_VERSION;
		rq.op = k == 0 ? 118 : 120;	/* getresuid, getresgid */
		rq.pid = (uint64_t)p->pid;
		rq.tid = (uint64_t)p->pid;
		rq.parent_pid = (uint64_t)p->ppid;
		rq.flags = SYSCALLD_FLAG_INHERIT;
		n = ipc_kernel_call(p, IPC_SERVICE_SYSCALLD, &rq, sizeof(rq),
		    &rs, sizeof(rs));
		if (n < 16 + (long)sizeof(v) || rs.status < 0 ||
		    rs.payload_len < sizeof(v))
			return;
		memcpy(v, rs.payload, sizeof(v));
		if (k == 0)
			c->uid = v[1];
		else
			c->gid = v[1];
	}
}

/* The socket behind fd, or -EBADF / -ENOTSOCK. */
static long
sock_fd(struct ps_proc *p, uint64_t fd, struct ps_fd **out)
{
	struct ps_fd *f = ps_fd_at(p, (long)fd);

	if ((int64_t)fd < 0 || f == NULL)
		return (-EBADF);
	if (f->kind != PS_FD_SOCK)
		return (-ENOTSOCK);
	if (ps_sock_id(f) == 0)
		return (-EBADF);
	*out = f;
	return (0);
}

/*
 * Forward one control call.  addr/alen: bytes copied in for netd;
 * out/out_cap receive netd's `out`, *out_len its length.
 */
static long
netd_call(struct ps_proc *p, uint64_t nr, const uint64_t a[6],
    struct ps_fd *f, const void *addr, size_t alen, struct npend *pe,
    void *out, size_t out_cap, size_t *out_len)
{
	struct rustos_netd_ipc_request *rq;
	struct rustos_netd_ipc_response rs;
	struct ps_sock_info si;
	long n, r;

	/* netd never waits on itself. */
	if (p->caps & IPC_SERVICE_CAP_NET_POLICY)
		return (-NC_EAGAIN);
	if ((rq = mm_kmalloc(sizeof(*rq))) == NULL)
		return (-NC_ENOMEM);
	memset(rq, 0, sizeof(*rq));
	rq->version = NETD_IPC_ABI_VERSION;
	rq->op = NETD_IPC_OP_SOCKCALL;
	rq->nr = (uint32_t)nr;
	rq->pid = (uint64_t)p->pid;
	memcpy(rq->args, a, sizeof(rq->args));
	/*
	 * The fd again: an earlier round trip of this call (credentials,
	 * vfsd) let other threads run, which may have closed it or moved
	 * the fd table.
	 */
	if (f != NULL && ((f = ps_fd_at(p, (long)a[0])) == NULL ||
	    f->kind != PS_FD_SOCK)) {
		mm_kfree(rq);
		return (-EBADF);
	}
	if (f != NULL && ps_sock_info(ps_sock_id(f), &si) == 0) {
		rq->sock_id = si.id;
		rq->sock_type = si.type;
		rq->sock_state = si.state;
		rq->name_len = si.name_len;
		memcpy(rq->name, si.name, sizeof(si.name));
		rq->peer_name_len = si.peer_name_len;
		memcpy(rq->peer_name, si.peer_name, sizeof(si.peer_name));
		rq->peer_pid = si.pcred.pid;
		rq->peer_uid = si.pcred.uid;
		rq->peer_gid = si.pcred.gid;
		rq->sndbuf = si.sndbuf;
		rq->rcvbuf = si.rcvbuf;
		pe->sock_id = si.id;
	}
	if (alen > NETD_ADDR_MAX)
		alen = NETD_ADDR_MAX;
	if (addr != NULL && alen > 0)
		memcpy(rq->addr, addr, alen);
	rq->addr_len = (uint32_t)alen;
	if (pe->vfs) {
		rq->vfs_dev = 2;		/* memfs */
		rq->vfs_ino = pe->vfs_ino;
		rq->vfs_status = pe->vfs_status;
		rq->vfs_mode = pe->vfs_mode;
	}
	pe->pid = p->pid;
	pe->tid = ps_current_uthread() != NULL ?
	    ((struct ps_thread *)ps_current_uthread())->tid : p->pid;
	rq->tid = (uint32_t)pe->tid;
	if ((r = pend_add(pe)) != 0) {
		mm_kfree(rq);
		return (r);
	}
	memset(&rs, 0, sizeof(rs));
	n = ipc_kernel_call(p, IPC_SERVICE_NETD, rq, sizeof(*rq), &rs,
	    sizeof(rs));
	pend_del(pe);
	mm_kfree(rq);
	if (n >= 0 && ((size_t)n < 16 || rs.version != NETD_IPC_ABI_VERSION))
		n = -NC_EIO;
	if (n >= 0 && rs.status >= 0 && (size_t)n < sizeof(rs))
		n = -NC_EIO;
	if (n >= 0 && rs.out_len > NETD_ADDR_MAX)
		n = -NC_EIO;
	if (n < 0 || rs.status < 0) {
		/* netd refused after the broker installed: take it back. */
		for (r = 0; r < pe->nfd; r++)
			if ((unsigned long)pe->fds[r] < p->fd_cap)
				ps_fd_drop(&p->fds[pe->fds[r]]);
		pe->nfd = 0;
		return (n < 0 ? n : rs.status);
	}
	if (out != NULL) {
		*out_len = rs.out_len;
		memcpy(out, rs.out, rs.out_len < out_cap ? rs.out_len :
		    out_cap);
	}
	return (rs.status);
}

/* Copy a result address/value out: *ulen is in/out (socklen_t). */
static long
copy_out_len(uint64_t ubuf, uint64_t ulen, const void *v, size_t vlen)
{
	uint32_t cap;

	if (hal_copy_from_user(&cap, ulen, 4) != 0)
		return (-EFAULT);
	if ((int32_t)cap < 0)
		return (-NC_EINVAL);
	if (cap > vlen)
		cap = (uint32_t)vlen;
	if (cap > 0 && hal_copy_to_user(ubuf, v, cap) != 0)
		return (-EFAULT);
	cap = (uint32_t)vlen;
	if (hal_copy_to_user(ulen, &cap, 4) != 0)
		return (-EFAULT);
	return (0);
}

/*
 * bind/connect.  A pathname (sun_path[0] != 0) lives in vfsd's namespace:
 * the kernel makes the socket node (bind: MKSOCK, -EEXIST is netd's
 * EADDRINUSE) or finds it (connect: stat, following links) as the caller,
 * so cwd, permissions and -ENOENT are vfsd's; netd gets the node's
 * identity and vfsd's status.  A bind netd refuses takes its node back.
 */
static long
addr_call(struct ps_proc *p, uint64_t nr, const uint64_t a[6],
    struct ps_fd *f, const uint8_t *addr, size_t alen, struct npend *pe,
    uint64_t *out, size_t *out_len)
{
	struct ps_sock_info si;
	uint64_t st[18], ino = 0;
	size_t plen;
	long vr = 0, r;
	bool made = false;

	if (alen <= 2 || alen > 110 || addr[0] != 1 || addr[1] != 0 ||
	    addr[2] == 0)
		return (netd_call(p, nr, a, f, addr, alen, pe, out,
		    out != NULL ? sizeof(*out) : 0, out_len));
	for (plen = 0; 2 + plen < alen && addr[2 + plen] != 0; plen++)
		continue;
	if (nr == 49) {
		if (ps_sock_info(ps_sock_id(f), &si) == 0 && si.name_len > 0)
			return (-NC_EINVAL);	/* already bound */
		vr = ex_vfs_kpath_op(p, VFS_IPC_OP_MKSOCK,
		    (const char *)addr + 2, plen, 0755, &ino, NULL, 0);
		made = vr >= 0;
		pe->vfs_mode = 0140755;
	} else {
		memset(st, 0, sizeof(st));
		vr = ex_vfs_kpath_op(p, VFS_IPC_OP_NEWFSTATAT,
		    (const char *)addr + 2, plen, 0, NULL, st, sizeof(st));
		ino = st[1];
		pe->vfs_mode = (uint32_t)st[3];
		if (vr >= 0 && st[0] != 2)
			ino = st[1] | st[0] << 48;	/* not memfs: unique */
	}
	pe->vfs = true;
	pe->vfs_status = (int32_t)(vr > 0 ? 0 : vr);
	pe->vfs_ino = ino;
	r = netd_call(p, nr, a, f, addr, alen, pe, out,
	    out != NULL ? sizeof(*out) : 0, out_len);
	if (r < 0 && made)
		(void)ex_vfs_kpath_op(p, VFS_IPC_OP_UNLINKAT,
		    (const char *)addr + 2, plen, 0, NULL, NULL, 0);
	return (r);
}

static long
control_call(struct ps_proc *p, uint64_t nr, const uint64_t a[6])
{
	struct npend pe;
	struct ps_fd *f = NULL;
	uint8_t addr[NETD_ADDR_MAX], out[NETD_ADDR_MAX];
	size_t alen = 0, olen = 0;
	struct ps_sock_cred cred;
	int32_t fds[2];
	long r;

	memset(&pe, 0, sizeof(pe));
	switch (nr) {
	case 41:	/* socket */
	case 53:	/* socketpair */
		caller_cred(p, &pe.cred);
		r = netd_call(p, nr, a, NULL, NULL, 0, &pe, NULL, 0, NULL);
		if (r < 0 || nr == 41)
			return (r);
		if (pe.nfd != 2)
			return (-NC_EIO);
		fds[0] = pe.fds[0];
		fds[1] = pe.fds[1];
		if (hal_copy_to_user(a[3], fds, sizeof(fds)) != 0) {
			ps_fd_drop(&p->fds[fds[0]]);
			ps_fd_drop(&p->fds[fds[1]]);
			return (-EFAULT);
		}
		return (0);
	}
	if ((r = sock_fd(p, a[0], &f)) < 0)
		return (r);
	switch (nr) {
	case 49:	/* bind */
	case 42:	/* connect */
		if ((int32_t)a[2] < 0)
			return (-NC_EINVAL);
		alen = (uint32_t)a[2] < sizeof(addr) ? (uint32_t)a[2] :
		    sizeof(addr);
		if (alen > 0 && hal_copy_from_user(addr, a[1], alen) != 0)
			return (-EFAULT);
		if (nr == 49)
			return (addr_call(p, nr, a, f, addr, alen, &pe, NULL,
			    NULL));
		caller_cred(p, &pe.cred);
		/*
		 * A full backlog: a blocking connect waits (re-asking netd
		 * every CONNECT_RETRY_MS) until the listener accepts, goes
		 * away or a signal comes, as Linux waits.
		 */
		for (;;) {
			r = addr_call(p, nr, a, f, addr, alen, &pe, NULL, NULL);
			if (r != -NC_EAGAIN)
				return (r);
			if ((f = ps_fd_at(p, (long)a[0])) == NULL ||
			    f->kind != PS_FD_SOCK)
				return (-EBADF);
			if (f->status_flags & PS_FL_NONBLOCK)
				return (r);
			if (ps_signal_interrupts(p))
				return (-PS_ERESTARTSYS);
			ps_sleep_ms(CONNECT_RETRY_MS);
			cred = pe.cred;
			memset(&pe, 0, sizeof(pe));
			pe.cred = cred;
		}
	case 50:	/* listen */
		caller_cred(p, &pe.cred);
		return (netd_call(p, nr, a, f, NULL, 0, &pe, NULL, 0, NULL));
	case 48:	/* shutdown */
		return (netd_call(p, nr, a, f, NULL, 0, &pe, NULL, 0, NULL));
	case 54:	/* setsockopt: the value travels in addr */
		if ((int32_t)a[4] < 0)
			return (-NC_EINVAL);
		alen = (uint32_t)a[4] < sizeof(addr) ? (uint32_t)a[4] :
		    sizeof(addr);
		if (alen > 0 && hal_copy_from_user(addr, a[3], alen) != 0)
			return (-EFAULT);
		return (netd_call(p, nr, a, f, addr, alen, &pe, NULL, 0,
		    NULL));
	case 55:	/* getsockopt */
	case 51:	/* getsockname */
	case 52: {	/* getpeername */
		uint64_t ulen = nr == 55 ? a[4] : a[2];
		uint64_t ubuf = nr == 55 ? a[3] : a[1];
		uint32_t cap;

		if (hal_copy_from_user(&cap, ulen, 4) != 0)
			return (-EFAULT);
		if ((int32_t)cap < 0)
			return (-NC_EINVAL);
		r = netd_call(p, nr, a, f, NULL, 0, &pe, out, sizeof(out),
		    &olen);
		if (r < 0)
			return (r);
		if (olen > sizeof(out))
			olen = sizeof(out);
		if (nr == 55 && olen > cap)
			olen = cap;	/* options are truncated, length too */
		r = copy_out_len(ubuf, ulen, out, olen);
		return (r);
	}
	}
	return (-NC_ENOSYS);
}

/* ---- the data path ---- */

static long
send_common(struct ps_proc *p, struct ps_fd *f, struct ps_iov_cur *cur,
    size_t len, unsigned flags, uint64_t to)
{
	long r = ps_sock_send(p, f, cur, len, flags, NULL, to);

	if (r == -EPIPE && !(flags & PS_MSG_NOSIGNAL))
		ps_signal_send(p, SIGPIPE, p->pid, 0, 0);
	return (r);
}

long
ex_sock_rw(struct ps_proc *p, struct ps_fd *f, uint64_t buf, uint64_t len,
    bool write)
{
	struct ps_iov v = { buf, len };
	struct ps_iov_cur cur = { &v, 1, 0, 0 };

	if (len > INT64_MAX)
		return (-NC_EINVAL);
	if (len > 0 && !mm_user_range_ok(buf, len))
		return (-EFAULT);
	if (write)
		return (send_common(p, f, &cur, (size_t)len, 0, 0));
	return (ps_sock_recv(p, f, &cur, (size_t)len, 0, NULL, NULL, NULL));
}

/*
 * ioctl on a socket: FIONREAD (SIOCINQ): bytes queued (a datagram
 * socket: the next datagram's size; a listener: -EINVAL); anything else
 * -ENOTTY.
 */
long
ex_sock_ioctl(struct ps_proc *p, struct ps_fd *f, uint32_t cmd, uint64_t arg)
{
	struct ps_sock_info si;
	int32_t v;

	(void)p;
	if (cmd != 0x541b)			/* FIONREAD */
		return (-25);			/* ENOTTY */
	if (ps_sock_info(ps_sock_id(f), &si) != 0)
		return (-EBADF);
	if (si.state == PS_SOCK_ST_LISTENING)
		return (-NC_EINVAL);
	v = (int32_t)ps_sock_nread(f);
	return (hal_copy_to_user(arg, &v, 4) != 0 ? -EFAULT : 0);
}

/* A user iovec, copied in and checked as Linux does. */
static long
iov_load(uint64_t uiov, uint64_t cnt, struct ps_iov **out, size_t *total)
{
	struct ps_iov *v;
	uint64_t i, sum = 0;

	*out = NULL;
	*total = 0;
	if (cnt > IOV_MAX_L)
		return (-EMSGSIZE);
	if (cnt == 0)
		return (0);
	if ((v = mm_kmalloc(cnt * sizeof(*v))) == NULL)
		return (-NC_ENOMEM);
	if (hal_copy_from_user(v, uiov, cnt * sizeof(*v)) != 0) {
		mm_kfree(v);
		return (-EFAULT);
	}
	for (i = 0; i < cnt; i++) {
		if (v[i].len > (uint64_t)INT64_MAX - sum) {
			mm_kfree(v);
			return (-NC_EINVAL);
		}
		sum += v[i].len;
		if (v[i].len > 0 && !mm_user_range_ok(v[i].base, v[i].len)) {
			mm_kfree(v);
			return (-EFAULT);
		}
	}
	*out = v;
	*total = (size_t)sum;
	return (0);
}

long
ex_sock_rwv(struct ps_proc *p, struct ps_fd *f, uint64_t uiov, uint64_t cnt,
    bool write)
{
	struct ps_iov *v;
	struct ps_iov_cur cur;
	size_t total;
	long r;

	if ((r = iov_load(uiov, cnt, &v, &total)) < 0)
		return (r == -EMSGSIZE ? -NC_EINVAL : r);
	cur.v = v;
	cur.cnt = (unsigned)cnt;
	cur.i = 0;
	cur.off = 0;
	r = write ? send_common(p, f, &cur, total, 0, 0) :
	    ps_sock_recv(p, f, &cur, total, 0, NULL, NULL, NULL);
	mm_kfree(v);
	return (r);
}

/* Linux struct msghdr (56 bytes). */
struct l_msghdr {
	uint64_t name;
	uint32_t namelen, pad0;
	uint64_t iov, iovlen;
	uint64_t control, controllen;
	int32_t flags, pad1;
};

#define SEND_FLAGS	(PS_MSG_DONTWAIT | PS_MSG_NOSIGNAL | 0x8000 /* MSG_MORE */ | \
			 0x800 /* MSG_EOR */)
#define RECV_FLAGS	(PS_MSG_PEEK | PS_MSG_TRUNC | PS_MSG_DONTWAIT | \
			 0x100 /* MSG_WAITALL */ | 0x40000000 /* CMSG_CLOEXEC */)

/*
 * Write the address of the sender `from` (a socket id) for recvfrom /
 * recvmsg: its bound name, or length 0 when it is unnamed or gone.
 */
static long
put_name_of(uint64_t from, uint64_t uaddr, uint64_t ulen)
{
	struct ps_sock_info si;
	uint32_t cap, n = 0;

	if (uaddr == 0 || ulen == 0)
		return (0);
	if (hal_copy_from_user(&cap, ulen, 4) != 0)
		return (-EFAULT);
	if ((int32_t)cap < 0)
		return (-NC_EINVAL);
	if (from != 0 && ps_sock_info(from, &si) == 0)
		n = si.name_len;
	if (n > 0 && hal_copy_to_user(uaddr, si.name, cap < n ? cap : n) != 0)
		return (-EFAULT);
	return (hal_copy_to_user(ulen, &n, 4) != 0 ? -EFAULT : 0);
}

/*
 * The destination of an addressed datagram (sendto/sendmsg with a name):
 * netd resolves it like connect and answers the target socket's id.  A
 * stream or seqpacket socket: -EISCONN when connected, else -EOPNOTSUPP
 * (Linux's AF_UNIX).
 */
static long
resolve_dest(struct ps_proc *p, struct ps_fd *f, uint64_t fd, uint64_t uaddr,
    uint64_t alen, uint64_t *to)
{
	struct ps_sock_info si;
	struct npend pe;
	uint8_t addr[NETD_ADDR_MAX];
	uint64_t a[6] = { 0 };
	size_t olen = 0;
	long r;

	*to = 0;
	if (ps_sock_info(ps_sock_id(f), &si) != 0)
		return (-EBADF);
	if (si.type != PS_SOCK_DGRAM)
		return (si.state == PS_SOCK_ST_CONNECTED ? -EISCONN :
		    -EOPNOTSUPP);
	if ((int32_t)alen < 0)
		return (-NC_EINVAL);
	if (alen > sizeof(addr))
		alen = sizeof(addr);
	if (hal_copy_from_user(addr, uaddr, (size_t)alen) != 0)
		return (-EFAULT);
	memset(&pe, 0, sizeof(pe));
	a[0] = fd;
	a[2] = alen;
	r = addr_call(p, 44, a, f, addr, (size_t)alen, &pe, to, &olen);
	if (r < 0)
		return (r);
	return (olen == sizeof(*to) && *to != 0 ? 0 : -NC_EIO);
}

/*
 * SCM_RIGHTS (sendmsg control data): Linux cmsghdr {u64 len; i32 level;
 * i32 type} + data, each padded to 8 bytes.  SOL_SOCKET/SCM_RIGHTS only
 * (SCM_CREDENTIALS and others: -EINVAL); every fd must be open (-EBADF);
 * at most PS_RIGHTS_MAX in all.  Each snapshot takes its reference now,
 * so the sender may close its fds at once.
 */
static long
rights_load(struct ps_proc *p, uint64_t uctl, uint64_t len,
    struct ps_rights **out)
{
	struct ps_rights *r;
	uint64_t off = 0, hdr[2], dlen, i;
	int32_t fd;
	long e;

	*out = NULL;
	if (len > 4096)
		return (-NC_ENOBUFS_L);
	if ((r = mm_kzalloc(sizeof(*r))) == NULL)
		return (-NC_ENOMEM);
	r->from_pid = PS_RIGHTS_HOLDER_PID;	/* vfsd fds: ps_remote_park */
	while (off + 16 <= len) {
		if (hal_copy_from_user(hdr, uctl + off, 16) != 0) {
			e = -EFAULT;
			goto bad;
		}
		if (hdr[0] < 16 || hdr[0] > len - off) {
			e = -NC_EINVAL;
			goto bad;
		}
		if ((uint32_t)hdr[1] != 1) {
			e = -NC_EINVAL;		/* not SOL_SOCKET */
			goto bad;
		}
		dlen = hdr[0] - 16;
		if ((uint32_t)(hdr[1] >> 32) == 2) {
			/*
			 * SCM_CREDENTIALS: the sender's own pid only (the
			 * receiver sees the socket's recorded ids anyway).
			 */
			int32_t cpid;

			if (dlen != 12) {
				e = -NC_EINVAL;
				goto bad;
			}
			if (hal_copy_from_user(&cpid, uctl + off + 16, 4) != 0) {
				e = -EFAULT;
				goto bad;
			}
			if (cpid != p->pid) {
				e = -NC_EPERM;
				goto bad;
			}
			off += (hdr[0] + 7) & ~(uint64_t)7;
			continue;
		}
		if ((uint32_t)(hdr[1] >> 32) != 1) {
			e = -NC_EINVAL;		/* not SCM_RIGHTS */
			goto bad;
		}
		if (dlen % 4 != 0 || r->n + dlen / 4 > PS_RIGHTS_MAX) {
			e = -NC_EINVAL;
			goto bad;
		}
		for (i = 0; i < dlen / 4; i++) {
			struct ps_fd *sf, *d = &r->fds[r->n];

			if (hal_copy_from_user(&fd, uctl + off + 16 + i * 4,
			    4) != 0) {
				e = -EFAULT;
				goto bad;
			}
			if (fd < 0 || (sf = ps_fd_at(p, fd)) == NULL) {
				e = -EBADF;
				goto bad;
			}
			if (sf->kind == PS_FD_REMOTE) {
				uint64_t rid = sf->remote_id;

				if ((e = ps_remote_park(p, sf)) < 0)
					goto bad;
				/*
				 * Another thread may have closed the fd or
				 * grown the table during the round trip.
				 */
				if ((sf = ps_fd_at(p, fd)) == NULL ||
				    sf->kind != PS_FD_REMOTE ||
				    sf->remote_id != rid) {
					(void)ps_remote_unref(p,
					    PS_RIGHTS_HOLDER_PID, rid);
					e = -EBADF;
					goto bad;
				}
			}
			*d = *sf;
			d->fd_flags = 0;
			ps_fd_hold(d);
			r->n++;
		}
		off += (hdr[0] + 7) & ~(uint64_t)7;
	}
	if (r->n == 0) {
		mm_kfree(r);
		return (0);
	}
	*out = r;
	return (0);
bad:
	ps_rights_free(r);
	return (e);
}

/*
 * Install delivered fds in the receiver and write one SCM_RIGHTS cmsg;
 * fds that do not fit the control buffer (or the fd table) are closed
 * and MSG_CTRUNC set, as Linux does.  Returns the control bytes used.
 */
static uint64_t
rights_deliver(struct ps_proc *p, struct ps_rights *r, uint64_t uctl,
    uint64_t cap, bool cloexec, unsigned *of)
{
	int32_t fds[PS_RIGHTS_MAX];
	uint64_t hdr[2];
	unsigned i, k = 0, room;
	long fd;

	if (r == NULL)
		return (0);
	room = cap >= 16 ? (unsigned)((cap - 16) / 4) : 0;
	for (i = 0; i < r->n; i++) {
		struct ps_fd *s = &r->fds[i];

		if (k >= room || (fd = ps_fd_lowest(p, 0)) < 0) {
			*of |= 0x8;			/* MSG_CTRUNC */
			continue;
		}
		if (s->kind == PS_FD_REMOTE) {
			/* The receiver's own reference, then the in-flight
			 * one (the holder's) goes. */
			if (ps_remote_share(p, r->from_pid, s) < 0 &&
			    p->caps == 0) {
				*of |= 0x8;
				continue;
			}
		}
		p->fds[fd] = *s;
		p->fds[fd].fd_flags = cloexec ? PS_FD_CLOEXEC : 0;
		if (s->kind == PS_FD_REMOTE)
			(void)ps_remote_unref(p, r->from_pid, s->remote_id);
		memset(s, 0, sizeof(*s));	/* the reference moved */
		fds[k++] = (int32_t)fd;
	}
	ps_rights_free(r);			/* what was not delivered */
	if (k == 0)
		return (0);
	hdr[0] = 16 + 4 * (uint64_t)k;
	hdr[1] = 1 | (uint64_t)1 << 32;		/* SOL_SOCKET, SCM_RIGHTS */
	if (hal_copy_to_user(uctl, hdr, 16) != 0 ||
	    hal_copy_to_user(uctl + 16, fds, 4 * k) != 0) {
		for (i = 0; i < k; i++)
			(void)ps_remote_close(p, &p->fds[fds[i]]);
		return (0);
	}
	return (hdr[0]);
}

/*
 * SO_PASSCRED on the receiving socket: one SCM_CREDENTIALS cmsg with the
 * sending socket's owner (pid, effective uid/gid when it was made or
 * connected); returns the control bytes used (CMSG_SPACE, or what is
 * left of cap), MSG_CTRUNC when it does not fit.
 */
static uint64_t
creds_put(struct ps_proc *p, uint64_t fd, uint64_t from, uint64_t uctl,
    uint64_t cap, unsigned *of)
{
	struct ps_sock_info si, fi;
	struct ps_fd *f = ps_fd_at(p, (long)fd);
	uint64_t hdr[2];
	struct {
		int32_t pid;
		uint32_t uid, gid;
	} c;

	if (f == NULL || ps_sock_info(ps_sock_id(f), &si) != 0 ||
	    !si.passcred)
		return (0);
	if (cap < 16 + sizeof(c)) {
		*of |= 0x8;				/* MSG_CTRUNC */
		return (0);
	}
	memset(&c, 0, sizeof(c));
	c.uid = c.gid = 65534;			/* unknown: overflow ids */
	if (from != 0 && ps_sock_info(from, &fi) == 0 && fi.cred.pid > 0) {
		c.pid = (int32_t)fi.cred.pid;
		c.uid = fi.cred.uid;
		c.gid = fi.cred.gid;
	}
	hdr[0] = 16 + sizeof(c);
	hdr[1] = 1 | (uint64_t)2 << 32;		/* SOL_SOCKET, SCM_CREDENTIALS */
	if (hal_copy_to_user(uctl, hdr, 16) != 0 ||
	    hal_copy_to_user(uctl + 16, &c, sizeof(c)) != 0)
		return (0);
	return (cap < 32 ? cap : 32);		/* CMSG_SPACE(12) */
}

static long
sys_sendmsg(struct ps_proc *p, uint64_t fd, uint64_t umsg, uint64_t flags)
{
	struct l_msghdr m;
	struct ps_fd *f;
	struct ps_iov *v;
	struct ps_iov_cur cur;
	struct ps_rights *rights = NULL;
	uint64_t to = 0;
	size_t total;
	long r;

	if ((r = sock_fd(p, fd, &f)) < 0)
		return (r);
	if (hal_copy_from_user(&m, umsg, sizeof(m)) != 0)
		return (-EFAULT);
	if ((flags & ~(uint64_t)SEND_FLAGS) != 0)
		return (-EOPNOTSUPP);
	if (m.name != 0 && m.namelen != 0 &&
	    (r = resolve_dest(p, f, fd, m.name, m.namelen, &to)) < 0)
		return (r);
	if ((f = ps_fd_at(p, (long)fd)) == NULL)
		return (-EBADF);
	if ((r = iov_load(m.iov, m.iovlen, &v, &total)) < 0)
		return (r);
	if (m.controllen != 0 && (r = rights_load(p, m.control,
	    m.controllen, &rights)) < 0) {
		mm_kfree(v);
		return (r);
	}
	cur.v = v;
	cur.cnt = (unsigned)m.iovlen;
	cur.i = 0;
	cur.off = 0;
	r = ps_sock_send(p, f, &cur, total, (unsigned)flags, rights, to);
	if (r < 0)
		ps_rights_free(rights);	/* not queued */
	if (r == -EPIPE && !(flags & PS_MSG_NOSIGNAL))
		ps_signal_send(p, SIGPIPE, p->pid, 0, 0);
	mm_kfree(v);
	return (r);
}

static long
sys_recvmsg(struct ps_proc *p, uint64_t fd, uint64_t umsg, uint64_t flags)
{
	struct l_msghdr m;
	struct ps_fd *f;
	struct ps_iov *v;
	struct ps_iov_cur cur;
	size_t total;
	unsigned of = 0;
	uint64_t zero = 0, used, from = 0;
	struct ps_rights *rights = NULL;
	int32_t oflags;
	long r, r2;

	if ((r = sock_fd(p, fd, &f)) < 0)
		return (r);
	if (hal_copy_from_user(&m, umsg, sizeof(m)) != 0)
		return (-EFAULT);
	if ((flags & ~(uint64_t)RECV_FLAGS) != 0)
		return (-EOPNOTSUPP);
	if ((r = iov_load(m.iov, m.iovlen, &v, &total)) < 0)
		return (r);
	cur.v = v;
	cur.cnt = (unsigned)m.iovlen;
	cur.i = 0;
	cur.off = 0;
	r = ps_sock_recv(p, f, &cur, total, (unsigned)flags, &of, &rights,
	    &from);
	mm_kfree(v);
	if (r < 0)
		return (r);
	/* SO_PASSCRED: the sender's SCM_CREDENTIALS first, as Linux. */
	used = creds_put(p, fd, from, m.control, m.controllen, &of);
	used += rights_deliver(p, rights, m.control + used, m.controllen -
	    used, (flags & 0x40000000) != 0, &of);
	oflags = (int32_t)of;
	if (hal_copy_to_user(umsg + 48, &oflags, 4) != 0 ||
	    hal_copy_to_user(umsg + 40, &used, 8) != 0)
		return (-EFAULT);
	if (m.name != 0) {
		if ((r2 = put_name_of(from, m.name, umsg + 8)) < 0)
			return (r2);
	} else if (hal_copy_to_user(umsg + 8, &zero, 4) != 0)
		return (-EFAULT);
	return (r);
}

static long
sys_accept(struct ps_proc *p, uint64_t fd, uint64_t uaddr, uint64_t ulen,
    uint64_t flags)
{
	struct ps_fd *f;
	uint32_t cap = 0;
	long r, nfd;

	if ((r = sock_fd(p, fd, &f)) < 0)
		return (r);
	if ((flags & ~(uint64_t)(PS_SOCK_NONBLOCK | PS_SOCK_CLOEXEC)) != 0)
		return (-NC_EINVAL);
	if (uaddr != 0 && (hal_copy_from_user(&cap, ulen, 4) != 0))
		return (-EFAULT);
	if (uaddr != 0 && (int32_t)cap < 0)
		return (-NC_EINVAL);
	if ((nfd = ps_sock_accept(p, f, (uint32_t)flags, NULL)) < 0)
		return (nfd == -NC_EINVAL ? -NC_EINVAL : nfd);
	if (uaddr != 0) {
		/* The client's address: {AF_UNIX} when it is unnamed. */
		struct ps_sock_info si;
		uint8_t unnamed[2] = { 1, 0 };
		const uint8_t *nm = unnamed;
		uint32_t n = 2;

		if (ps_sock_info(ps_sock_id(&p->fds[nfd]), &si) == 0 &&
		    si.peer_name_len > 0) {
			nm = si.peer_name;
			n = si.peer_name_len;
		}
		if ((cap > 0 && hal_copy_to_user(uaddr, nm, cap < n ? cap :
		    n) != 0) || hal_copy_to_user(ulen, &n, 4) != 0) {
			ps_fd_drop(&p->fds[nfd]);
			return (-EFAULT);
		}
	}
	return (nfd);
}

long
ex_net_linux_call(struct ps_proc *p, uint64_t nr, const uint64_t a[6],
    bool *handled)
{
	struct ps_fd *f;
	long r;

	*handled = true;
	switch (nr) {
	case 41: case 42: case 48: case 49: case 50: case 51: case 52:
	case 53: case 54: case 55:
		return (control_call(p, nr, a));
	case 43:	/* accept */
		return (sys_accept(p, a[0], a[1], a[2], 0));
	case 288:	/* accept4 */
		return (sys_accept(p, a[0], a[1], a[2], a[3]));
	case 44: {	/* sendto */
		struct ps_iov v = { a[1], a[2] };
		struct ps_iov_cur cur = { &v, 1, 0, 0 };
		uint64_t to = 0;

		if ((r = sock_fd(p, a[0], &f)) < 0)
			return (r);
		if ((a[3] & ~(uint64_t)SEND_FLAGS) != 0)
			return (-EOPNOTSUPP);
		if (a[4] != 0 && (uint32_t)a[5] != 0) {
			if ((r = resolve_dest(p, f, a[0], a[4],
			    (uint32_t)a[5], &to)) < 0)
				return (r);
			if ((f = ps_fd_at(p, (long)a[0])) == NULL)
				return (-EBADF);
		}
		if (a[2] > 0 && !mm_user_range_ok(a[1], a[2]))
			return (-EFAULT);
		return (send_common(p, f, &cur, (size_t)a[2], (unsigned)a[3],
		    to));
	}
	case 45: {	/* recvfrom */
		struct ps_iov v = { a[1], a[2] };
		struct ps_iov_cur cur = { &v, 1, 0, 0 };
		uint64_t from = 0;

		if ((r = sock_fd(p, a[0], &f)) < 0)
			return (r);
		if ((a[3] & ~(uint64_t)RECV_FLAGS) != 0)
			return (-EOPNOTSUPP);
		if (a[2] > 0 && !mm_user_range_ok(a[1], a[2]))
			return (-EFAULT);
		r = ps_sock_recv(p, f, &cur, (size_t)a[2], (unsigned)a[3],
		    NULL, NULL, &from);
		if (r >= 0 && a[4] != 0 && a[5] != 0) {
			long e = put_name_of(from, a[4], a[5]);

			if (e < 0)
				return (e);
		}
		return (r);
	}
	case 46:	/* sendmsg */
		return (sys_sendmsg(p, a[0], a[1], a[2]));
	case 47:	/* recvmsg */
		return (sys_recvmsg(p, a[0], a[1], a[2]));
	}
	*handled = false;
	return (0);
}

/* ---- NET_BROKER ---- */

long
ex_sys_net_broker(uint64_t uargs, uint64_t a1, uint64_t a2, uint64_t a3,
    uint64_t a4, uint64_t a5)
{
	struct rustos_net_broker_args a;
	struct ps_sock_info si;
	struct npend *pe;
	struct ps_proc *t;
	uint8_t name[NET_NAME_MAX];
	long r;

	(void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
	if (hal_copy_from_user(&a, uargs, sizeof(a)) != 0)
		return (-EFAULT);
	if (a.version != NET_BROKER_ABI_VERSION)
		return (-NC_EINVAL);
	if (a.op == NET_BROKER_OP_INFO) {
		if ((r = ps_sock_info(a.args[0], &si)) < 0)
			return (r);
		return ((long)(si.type | si.state << 8));
	}
	if ((pe = pend_find(a.pid, a.tid)) == NULL ||
	    (t = ps_proc_find((long)a.pid)) == NULL || t->zombie)
		return (-NC_EINVAL);
	switch (a.op) {
	case NET_BROKER_OP_SOCKET:
	case NET_BROKER_OP_SOCKETPAIR:
		if (pe->sock_id != 0 || pe->nfd != 0 ||
		    (a.args[1] & ~(uint64_t)(PS_SOCK_NONBLOCK |
		    PS_SOCK_CLOEXEC)) != 0 || !ps_sock_type_ok(a.args[0]))
			return (-NC_EINVAL);
		if (a.op == NET_BROKER_OP_SOCKET) {
			r = ps_sock_create(t, (int)a.args[0],
			    (uint32_t)a.args[1], &pe->cred, NULL);
			if (r >= 0) {
				pe->fds[0] = (int32_t)r;
				pe->nfd = 1;
			}
			return (r);
		}
		r = ps_sock_pair(t, (int)a.args[0], (uint32_t)a.args[1],
		    &pe->cred, pe->fds);
		if (r < 0)
			return (r);
		pe->nfd = 2;
		return (pe->fds[0]);
	}
	/* The other ops act on the socket the forwarded call named. */
	if (pe->sock_id == 0 || a.args[0] != pe->sock_id)
		return (-NC_EINVAL);
	switch (a.op) {
	case NET_BROKER_OP_LISTEN:
		if (a.args[1] > PS_SOCK_BACKLOG_MAX)
			return (-NC_EINVAL);
		return (ps_sock_listen(a.args[0], (unsigned)a.args[1],
		    &pe->cred));
	case NET_BROKER_OP_CONNECT:
		return (ps_sock_connect(a.args[0], a.args[1], &pe->cred));
	case NET_BROKER_OP_SETNAME:
		if (a.args[2] > NET_NAME_MAX)
			return (-NC_EINVAL);
		if (hal_copy_from_user(name, a.args[1], (size_t)a.args[2]) != 0)
			return (-EFAULT);
		return (ps_sock_setname(a.args[0], name, (size_t)a.args[2]));
	case NET_BROKER_OP_SHUTDOWN:
		return (ps_sock_shutdown(a.args[0], (unsigned)a.args[1]));
	case NET_BROKER_OP_SETOPT:
		return (ps_sock_setopt(a.args[0], (unsigned)a.args[1],
		    a.args[2]));
	}
	return (-NC_EINVAL);
}
