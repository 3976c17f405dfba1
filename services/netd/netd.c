/*
 * netd.c -- socket policy service (IPC_SERVICE_NETD): which sockets a
 * process may create, the AF_UNIX namespace (abstract names and pathname
 * sockets), listening, connecting and the socket options, decided for the
 * calls the kernel forwards (include/rustos/netd.h) and carried out
 * through NET_BROKER (include/rustos/net_broker.h).  The data path
 * (read/write/send/recv, accept, poll) never comes here.
 *
 * The namespace maps a name to the kernel socket id bound to it.  A name
 * lives as long as its socket: an entry whose socket is gone (NET_BROKER
 * INFO -ENOENT) is free again, so a closed server's abstract name can be
 * bound anew; a pathname's node stays in vfsd's namespace and a connect
 * to it is then -ECONNREFUSED, as on Linux.
 *
 * Only kernel-forwarded requests are served; the pid at offset 8 is the
 * process the call is for.  Anything else gets an error reply.
 */
#include <errno.h>
#include <string.h>

#include <rustos/net_broker.h>
#include <rustos/netd.h>
#include <rustos/syscalls.h>

#include "services/common/svc.h"

#define AF_UNIX_L	1
#define AF_MAX_L	46
#define SOCK_TYPE_MASK	0xf
#define SOCK_NONBLOCK_L	0x800
#define SOCK_CLOEXEC_L	0x80000
#define SOL_SOCKET_L	1
#define SO_REUSEADDR_L	2
#define SO_TYPE_L	3
#define SO_ERROR_L	4
#define SO_SNDBUF_L	7
#define SO_RCVBUF_L	8
#define SO_KEEPALIVE_L	9
#define SO_PASSCRED_L	16
#define SO_PEERCRED_L	17
#define SO_ACCEPTCONN_L	30
#define SO_PROTOCOL_L	38
#define SO_DOMAIN_L	39
#define SUN_PATH_OFF	2
#define MAX_NAMES	256

enum { NAME_ABSTRACT = 1, NAME_PATH };

struct name {
	int		kind;			/* 0: free */
	uint8_t		key[NETD_ADDR_MAX];	/* abstract: the bytes after NUL */
	uint32_t	klen;
	uint64_t	dev, ino;		/* pathname: the vfsd node */
	uint64_t	sock_id;
};

static struct name names[MAX_NAMES];
static uint32_t autobind_next = 1;

/* The thread whose forwarded call is being served (NET_BROKER's tid). */
static uint64_t serving_tid;

static long
broker(uint32_t op, uint64_t pid, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct rustos_net_broker_args a;

	memset(&a, 0, sizeof(a));
	a.version = NET_BROKER_ABI_VERSION;
	a.op = op;
	a.pid = pid;
	a.tid = pid != 0 ? serving_tid : 0;
	a.args[0] = a0;
	a.args[1] = a1;
	a.args[2] = a2;
	return rustos_sys_net_broker(&a);
}

static int
alive(uint64_t id)
{
	return id != 0 && broker(NET_BROKER_OP_INFO, 0, id, 0, 0) >= 0;
}

/* The live entry for a name, dropping dead ones on the way. */
static struct name *
lookup(int kind, const uint8_t *key, uint32_t klen, uint64_t dev,
    uint64_t ino)
{
	size_t i;

	for (i = 0; i < MAX_NAMES; i++) {
		struct name *n = &names[i];

		if (n->kind != kind)
			continue;
		if (kind == NAME_ABSTRACT && (n->klen != klen ||
		    memcmp(n->key, key, klen) != 0))
			continue;
		if (kind == NAME_PATH && (n->dev != dev || n->ino != ino))
			continue;
		if (!alive(n->sock_id)) {
			n->kind = 0;
			return NULL;
		}
		return n;
	}
	return NULL;
}

static struct name *
name_slot(void)
{
	size_t i;

	for (i = 0; i < MAX_NAMES; i++)
		if (names[i].kind == 0 || !alive(names[i].sock_id)) {
			memset(&names[i], 0, sizeof(names[i]));
			return &names[i];
		}
	return NULL;
}

/* socket/socketpair: Linux's checks in Linux's order. */
static long
check_create(const struct rustos_netd_ipc_request *rq, int *type,
    uint32_t *flags)
{
	uint64_t domain = rq->args[0], t = rq->args[1], proto = rq->args[2];

	*type = (int)(t & SOCK_TYPE_MASK);
	*flags = (uint32_t)(t & ~(uint64_t)SOCK_TYPE_MASK);
	if ((*flags & ~(uint32_t)(SOCK_NONBLOCK_L | SOCK_CLOEXEC_L)) != 0 ||
	    (t >> 32) != 0)
		return -EINVAL;
	if (*type >= 11)			/* SOCK_MAX */
		return -EINVAL;
	if ((uint32_t)domain >= AF_MAX_L || (domain >> 32) != 0)
		return -EAFNOSUPPORT;
	/* AF_UNIX only for now; inet comes later (documented). */
	if (domain != AF_UNIX_L)
		return -EAFNOSUPPORT;
	if ((uint32_t)proto != 0 && (uint32_t)proto != AF_UNIX_L)
		return -EPROTONOSUPPORT;
	if (*type == 3)			/* SOCK_RAW: a datagram socket */
		*type = 2;
	if (*type != 1 && *type != 2 && *type != 5)
		return -ESOCKTNOSUPPORT;
	return 0;
}

/*
 * Parse a sockaddr_un: 0 and the name kind/key; an unnamed address
 * (family only) gives kind 0.
 */
static long
parse_addr(const struct rustos_netd_ipc_request *rq, int *kind,
    const uint8_t **key, uint32_t *klen)
{
	uint32_t len = rq->addr_len;
	uint16_t fam;

	*kind = 0;
	/* The kernel clips what it copies at NETD_ADDR_MAX (> 110). */
	if (len > 110 || len < SUN_PATH_OFF)
		return -EINVAL;
	memcpy(&fam, rq->addr, 2);
	if (fam != AF_UNIX_L)
		return -EINVAL;
	if (len == SUN_PATH_OFF)
		return 0;
	if (rq->addr[SUN_PATH_OFF] == 0) {
		*kind = NAME_ABSTRACT;
		*key = rq->addr + SUN_PATH_OFF + 1;
		*klen = len - SUN_PATH_OFF - 1;
		return 0;
	}
	*kind = NAME_PATH;
	*key = rq->addr + SUN_PATH_OFF;
	*klen = (uint32_t)strnlen((const char *)*key, len - SUN_PATH_OFF);
	return 0;
}

static long
do_bind(const struct rustos_netd_ipc_request *rq)
{
	const uint8_t *key = NULL;
	uint8_t addr[NETD_ADDR_MAX];
	uint32_t klen = 0, alen;
	struct name *n;
	int kind;
	long r;

	if ((r = parse_addr(rq, &kind, &key, &klen)) < 0)
		return r;
	if (rq->name_len != 0)
		return -EINVAL;			/* already bound */
	memset(addr, 0, sizeof(addr));
	addr[0] = AF_UNIX_L;
	if (kind == 0) {
		/* Autobind: an abstract name of five hex digits. */
		static const char hex[] = "0123456789abcdef";
		uint8_t k[5];
		int i, tries;

		for (tries = 0; tries < 4096; tries++) {
			uint32_t v = autobind_next++ & 0xfffff;

			for (i = 0; i < 5; i++)
				k[i] = (uint8_t)hex[(v >> (16 - 4 * i)) & 0xf];
			if (lookup(NAME_ABSTRACT, k, 5, 0, 0) == NULL)
				break;
		}
		kind = NAME_ABSTRACT;
		memcpy(addr + SUN_PATH_OFF + 1, k, 5);
		key = addr + SUN_PATH_OFF + 1;
		klen = 5;
		alen = SUN_PATH_OFF + 1 + 5;
	} else if (kind == NAME_ABSTRACT) {
		if (lookup(kind, key, klen, 0, 0) != NULL)
			return -EADDRINUSE;
		alen = rq->addr_len;
		memcpy(addr, rq->addr, alen);
	} else {
		/*
		 * A pathname: the kernel made the socket node through vfsd
		 * before asking (vfs_status: -EEXIST -> EADDRINUSE).
		 */
		if (rq->vfs_status == -EEXIST)
			return -EADDRINUSE;
		if (rq->vfs_status < 0)
			return rq->vfs_status;
		if (rq->vfs_ino == 0)
			return -EOPNOTSUPP;
		alen = SUN_PATH_OFF + klen + 1;
		memcpy(addr + SUN_PATH_OFF, key, klen);
	}
	if ((n = name_slot()) == NULL)
		return -ENOBUFS;
	r = broker(NET_BROKER_OP_SETNAME, rq->pid, rq->sock_id,
	    (uint64_t)(uintptr_t)addr, alen);
	if (r < 0)
		return r;
	n->kind = kind;
	if (kind == NAME_ABSTRACT) {
		memcpy(n->key, key, klen);
		n->klen = klen;
	} else {
		n->dev = rq->vfs_dev;
		n->ino = rq->vfs_ino;
	}
	n->sock_id = rq->sock_id;
	return 0;
}

static long
do_connect(const struct rustos_netd_ipc_request *rq)
{
	const uint8_t *key = NULL;
	uint32_t klen = 0;
	struct name *n;
	long r, info;
	int kind;

	if (rq->addr_len >= 2 && rq->addr[0] == 0 && rq->addr[1] == 0 &&
	    rq->sock_type == 2)
		return 0;	/* AF_UNSPEC on a datagram socket: ok */
	if ((r = parse_addr(rq, &kind, &key, &klen)) < 0)
		return r;
	if (kind == 0)
		return -EINVAL;
	if (kind == NAME_PATH) {
		if (rq->vfs_status < 0)
			return rq->vfs_status;	/* -ENOENT, -EACCES, ... */
		if ((rq->vfs_mode & 0170000) != 0140000)
			return -ECONNREFUSED;
		n = lookup(kind, NULL, 0, rq->vfs_dev, rq->vfs_ino);
	} else
		n = lookup(kind, key, klen, 0, 0);
	if (n == NULL)
		return -ECONNREFUSED;
	info = broker(NET_BROKER_OP_INFO, 0, n->sock_id, 0, 0);
	if (info < 0)
		return -ECONNREFUSED;
	if ((uint32_t)(info & 0xff) != rq->sock_type)
		return -EPROTOTYPE;
	if (rq->sock_type != 2 && ((info >> 8) & 0xff) !=
	    NET_SOCK_STATE_LISTENING)
		return -ECONNREFUSED;
	if (rq->sock_type != 2 && rq->sock_state == NET_SOCK_STATE_LISTENING)
		return -EINVAL;
	return broker(NET_BROKER_OP_CONNECT, rq->pid, rq->sock_id,
	    n->sock_id, 0);
}

/*
 * sendto/sendmsg with an address on a datagram socket: resolve it as
 * connect does and answer the target's socket id (the kernel sends).
 */
static long
do_resolve(const struct rustos_netd_ipc_request *rq,
    struct rustos_netd_ipc_response *rs)
{
	const uint8_t *key = NULL;
	uint32_t klen = 0;
	struct name *n;
	long r, info;
	int kind;

	if (rq->sock_type != 2)
		return -EOPNOTSUPP;
	if ((r = parse_addr(rq, &kind, &key, &klen)) < 0)
		return r;
	if (kind == 0)
		return -EINVAL;
	if (kind == NAME_PATH) {
		if (rq->vfs_status < 0)
			return rq->vfs_status;
		if ((rq->vfs_mode & 0170000) != 0140000)
			return -ECONNREFUSED;
		n = lookup(kind, NULL, 0, rq->vfs_dev, rq->vfs_ino);
	} else
		n = lookup(kind, key, klen, 0, 0);
	if (n == NULL)
		return -ECONNREFUSED;
	info = broker(NET_BROKER_OP_INFO, 0, n->sock_id, 0, 0);
	if (info < 0)
		return -ECONNREFUSED;
	if ((info & 0xff) != 2)
		return -EPROTOTYPE;
	memcpy(rs->out, &n->sock_id, sizeof(n->sock_id));
	rs->out_len = sizeof(n->sock_id);
	return 0;
}

static uint32_t
put_name(struct rustos_netd_ipc_response *rs, const uint8_t *nm,
    uint32_t len)
{
	if (len == 0 || len > NETD_NAME_MAX) {
		rs->out[0] = AF_UNIX_L;
		rs->out[1] = 0;
		return 2;
	}
	memcpy(rs->out, nm, len);
	return len;
}

static long
do_setsockopt(const struct rustos_netd_ipc_request *rq)
{
	int32_t v;

	if ((uint32_t)rq->args[1] != SOL_SOCKET_L)
		return -ENOPROTOOPT;
	if (rq->addr_len < 4)
		return -EINVAL;
	memcpy(&v, rq->addr, 4);
	switch ((uint32_t)rq->args[2]) {
	case SO_SNDBUF_L:
	case SO_RCVBUF_L:
		/* Linux doubles the value (bookkeeping overhead). */
		if (v < 0)
			v = 0;
		return broker(NET_BROKER_OP_SETOPT, rq->pid, rq->sock_id,
		    (uint32_t)rq->args[2] == SO_SNDBUF_L ? NET_SOCKOPT_SNDBUF :
		    NET_SOCKOPT_RCVBUF, (uint64_t)v * 2);
	case SO_PASSCRED_L:
		return broker(NET_BROKER_OP_SETOPT, rq->pid, rq->sock_id,
		    NET_SOCKOPT_PASSCRED, v != 0);
	case SO_REUSEADDR_L:
	case SO_KEEPALIVE_L:
		return 0;		/* meaningless for AF_UNIX, accepted */
	}
	return -ENOPROTOOPT;
}

static long
do_getsockopt(const struct rustos_netd_ipc_request *rq,
    struct rustos_netd_ipc_response *rs)
{
	int32_t v;
	struct {
		int32_t pid;
		uint32_t uid, gid;
	} cred;

	if ((uint32_t)rq->args[1] != SOL_SOCKET_L)
		return -ENOPROTOOPT;
	switch ((uint32_t)rq->args[2]) {
	case SO_TYPE_L:
		v = (int32_t)rq->sock_type;
		break;
	case SO_ERROR_L:
		v = 0;
		break;
	case SO_SNDBUF_L:
		v = (int32_t)rq->sndbuf;
		break;
	case SO_RCVBUF_L:
		v = (int32_t)rq->rcvbuf;
		break;
	case SO_ACCEPTCONN_L:
		v = rq->sock_state == NET_SOCK_STATE_LISTENING;
		break;
	case SO_DOMAIN_L:
		v = AF_UNIX_L;
		break;
	case SO_PROTOCOL_L:
		v = 0;
		break;
	case SO_PEERCRED_L:
		if (rq->peer_pid > 0) {
			cred.pid = (int32_t)rq->peer_pid;
			cred.uid = rq->peer_uid;
			cred.gid = rq->peer_gid;
		} else {
			/* Linux: no peer, pid 0 and the overflow ids. */
			cred.pid = 0;
			cred.uid = cred.gid = 65534;
		}
		memcpy(rs->out, &cred, sizeof(cred));
		rs->out_len = sizeof(cred);
		return 0;
	default:
		return -ENOPROTOOPT;
	}
	memcpy(rs->out, &v, 4);
	rs->out_len = 4;
	return 0;
}

static long
h_ping(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	(void)ctx; (void)req; (void)len;
	return svc_status_reply(resp, cap, RUSTOS_SERVICE_OP_PING, 0);
}

static long
h_sockcall(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_netd_ipc_request *rq = req;
	struct rustos_netd_ipc_response *rs = resp;
	uint32_t flags;
	int type;
	long r;

	(void)ctx; (void)len; (void)cap;
	/* Only the kernel speaks for a process here. */
	if (!svc_kernel_forwarded)
		return -EPERM;
	if (rq->addr_len > NETD_ADDR_MAX || rq->name_len > NETD_NAME_MAX ||
	    rq->peer_name_len > NETD_NAME_MAX)
		return -EINVAL;
	serving_tid = rq->tid;
	if (rq->nr != 41 && rq->nr != 53 && rq->sock_id == 0)
		return -ENOTSOCK;
	switch (rq->nr) {
	case 41:	/* socket */
	case 53:	/* socketpair */
		if ((r = check_create(rq, &type, &flags)) < 0)
			return r;
		r = broker(rq->nr == 41 ? NET_BROKER_OP_SOCKET :
		    NET_BROKER_OP_SOCKETPAIR, rq->pid, (uint64_t)type, flags,
		    0);
		if (r < 0)
			return r;
		rs->status = rq->nr == 41 ? (int32_t)r : 0;
		return sizeof(*rs);
	case 49:	/* bind */
		r = do_bind(rq);
		break;
	case 42:	/* connect */
		r = do_connect(rq);
		break;
	case 44:	/* sendto/sendmsg with an address: resolve */
		r = do_resolve(rq, rs);
		break;
	case 50: {	/* listen */
		int64_t backlog = (int32_t)rq->args[1];

		if (rq->sock_type == 2)
			return -EOPNOTSUPP;
		if (rq->name_len == 0 ||
		    rq->sock_state == NET_SOCK_STATE_CONNECTED)
			return -EINVAL;
		/* Linux lets backlog + 1 connections wait; at most 128. */
		if (backlog < 0 || backlog > 127)
			backlog = 127;
		r = broker(NET_BROKER_OP_LISTEN, rq->pid, rq->sock_id,
		    (uint64_t)backlog + 1, 0);
		break;
	}
	case 48:	/* shutdown */
		if (rq->args[1] > 2)
			return -EINVAL;
		if (rq->sock_state == NET_SOCK_STATE_LISTENING ||
		    rq->sock_state == NET_SOCK_STATE_UNCONNECTED)
			return rq->sock_type == 2 ? 0 : -ENOTCONN;
		r = broker(NET_BROKER_OP_SHUTDOWN, rq->pid, rq->sock_id,
		    rq->args[1], 0);
		break;
	case 51:	/* getsockname */
		rs->out_len = put_name(rs, rq->name, rq->name_len);
		r = 0;
		break;
	case 52:	/* getpeername */
		if (rq->sock_state != NET_SOCK_STATE_CONNECTED)
			return -ENOTCONN;
		rs->out_len = put_name(rs, rq->peer_name, rq->peer_name_len);
		r = 0;
		break;
	case 54:	/* setsockopt */
		r = do_setsockopt(rq);
		break;
	case 55:	/* getsockopt */
		r = do_getsockopt(rq, rs);
		break;
	default:
		return -ENOSYS;
	}
	if (r < 0)
		return r;
	rs->status = (int32_t)r;
	return sizeof(*rs);
}

#define RQ	sizeof(struct rustos_netd_ipc_request)
#define RS	sizeof(struct rustos_netd_ipc_response)

static const struct svc_op ops[] = {
	{ RUSTOS_SERVICE_OP_PING, 1, 8, 8, 16, h_ping, 0 },
	{ NETD_IPC_OP_SOCKCALL, 0, RQ, RQ, RS, h_sockcall, 0 },
};

static const struct svc_table table = {
	"netd", IPC_SERVICE_NETD, NETD_IPC_ABI_VERSION,
	ops, sizeof(ops) / sizeof(ops[0]),
	8	/* the pid a request acts for */
};

int
main(int argc, char **argv)
{
	svc_parse_args(argc, argv);
	return svc_serve(&table, NULL, "netd: socket policy endpoint registered",
	    NULL) < 0 ? 1 : 0;
}
