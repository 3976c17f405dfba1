/*
 * rustos/net_broker.h -- SYS_RUSTOS_NET_BROKER: the narrow socket primitive
 * netd acts through.  The kernel forwards a process's socket calls to netd
 * (include/rustos/netd.h); netd decides (domains, types, the AF_UNIX
 * namespace, backlogs) and has the kernel create or link kernel socket
 * endpoints with this call.  The kernel keeps the socket objects, the fd
 * tables and the data path (read/write/send/recv, poll).
 *
 * Every op that touches a process (SOCKET, SOCKETPAIR) acts only on the
 * pid whose forwarded request the caller is serving; ops on socket ids act
 * on live kernel sockets only (a stale id: -ENOENT).  A socket id is
 * (slot + 1) | generation << 32, never 0.
 */
#ifndef RUSTOS_NET_BROKER_H
#define RUSTOS_NET_BROKER_H

#include <stdint.h>

#include <rustos/abi_assert.h>

#define NET_BROKER_ABI_VERSION	2

/*
 * Ops (args[] meaning; the return value):
 *   SOCKET      type (SOCK_STREAM 1, SOCK_DGRAM 2, SOCK_SEQPACKET 5),
 *               flags (SOCK_NONBLOCK | SOCK_CLOEXEC): an unconnected
 *               socket in pid; returns the fd.
 *   SOCKETPAIR  type, flags: a connected pair in pid; returns the first
 *               fd (the kernel returns both to the caller).
 *   LISTEN      id, backlog (1..128): the socket accepts connections.
 *   CONNECT     id (the connecting socket), id of the listener (stream,
 *               seqpacket: a new endpoint is queued for accept; -EAGAIN
 *               when the backlog is full) or of the datagram target
 *               (dgram: the default destination).
 *   SETNAME     id, user pointer, length (<= 110: sa_family + path): the
 *               address getsockname reports; an accepted endpoint
 *               inherits its listener's.
 *   INFO        id: returns type | state << 8 (NET_SOCK_STATE_*), or
 *               -ENOENT when the socket is gone (names die with it).
 *   SHUTDOWN    id, how (SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2).
 *   SETOPT      id, NET_SOCKOPT_*, value.
 */
#define NET_BROKER_OP_SOCKET		1
#define NET_BROKER_OP_SOCKETPAIR	2
#define NET_BROKER_OP_LISTEN		3
#define NET_BROKER_OP_CONNECT		4
#define NET_BROKER_OP_SETNAME		5
#define NET_BROKER_OP_INFO		6
#define NET_BROKER_OP_SHUTDOWN		7
#define NET_BROKER_OP_SETOPT		8

#define NET_SOCK_STATE_UNCONNECTED	0
#define NET_SOCK_STATE_LISTENING	1
#define NET_SOCK_STATE_CONNECTED	2

#define NET_SOCKOPT_SNDBUF		1
#define NET_SOCKOPT_RCVBUF		2
#define NET_SOCKOPT_PASSCRED		3

#define NET_NAME_MAX			110	/* sizeof(struct sockaddr_un) */

/* Arguments (72 bytes). */
struct rustos_net_broker_args {
	uint32_t	version;	/* NET_BROKER_ABI_VERSION */
	uint32_t	op;		/* NET_BROKER_OP_* */
	uint64_t	pid;		/* target process (SOCKET, SOCKETPAIR) */
	uint64_t	tid;		/* its thread in the forwarded call (0: any) */
	uint64_t	args[6];
};
RUSTOS_ABI_SIZE(net_broker_args, 72);
RUSTOS_ABI_OFFSET(net_broker_args, version, 0);
RUSTOS_ABI_OFFSET(net_broker_args, op, 4);
RUSTOS_ABI_OFFSET(net_broker_args, pid, 8);
RUSTOS_ABI_OFFSET(net_broker_args, tid, 16);
RUSTOS_ABI_OFFSET(net_broker_args, args, 24);

#endif /* RUSTOS_NET_BROKER_H */
