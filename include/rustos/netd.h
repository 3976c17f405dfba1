/*
 * rustos/netd.h -- netd (IPC_SERVICE_NETD): the socket policy protocol.
 *
 * The kernel forwards a process's socket calls (socket, socketpair, bind,
 * listen, connect, getsockname, getpeername, setsockopt, getsockopt,
 * shutdown) to netd as one SOCKCALL request carrying the Linux syscall
 * number and arguments plus the kernel's facts about the fd (its socket
 * id, type, state, names, peer credentials) and the copied-in address.
 * netd decides (domains, types, the AF_UNIX namespace: abstract names and
 * pathname sockets keyed by the vfsd node the kernel created or found) and
 * acts through NET_BROKER (include/rustos/net_broker.h); its reply status
 * is the call's result and `out` the bytes the kernel copies back
 * (getsockname/getpeername: a sockaddr; getsockopt: the option value).
 * Only kernel-forwarded requests are served (-EPERM otherwise).
 */
#ifndef RUSTOS_NETD_H
#define RUSTOS_NETD_H

#include <stdint.h>

#include <rustos/abi_assert.h>

#define NETD_IPC_ABI_VERSION	1
#define NETD_IPC_OP_SOCKCALL	1
#define NETD_ADDR_MAX		128	/* sockaddr bytes carried each way */
#define NETD_NAME_MAX		112


/* Request (496 bytes); pid at offset 8 (the process the call is for). */
struct rustos_netd_ipc_request {
	uint16_t	version;	/* NETD_IPC_ABI_VERSION */
	uint16_t	op;		/* NETD_IPC_OP_SOCKCALL */
	uint32_t	nr;		/* Linux syscall number */
	uint64_t	pid;
	uint64_t	args[6];	/* Linux argument registers */
	uint64_t	sock_id;	/* socket of fd args[0], 0 if none */
	uint32_t	sock_type;	/* SOCK_STREAM 1, SOCK_DGRAM 2, SEQPACKET 5 */
	uint32_t	sock_state;	/* NET_SOCK_STATE_* */
	uint32_t	tid;		/* the calling thread: NET_BROKER's tid */
	uint32_t	addr_len;	/* bytes in addr (bind, connect, setsockopt) */
	uint8_t		addr[NETD_ADDR_MAX];
	uint32_t	name_len;	/* the socket's own address */
	uint32_t	peer_name_len;	/* the connected peer's */
	uint8_t		name[NETD_NAME_MAX];
	uint8_t		peer_name[NETD_NAME_MAX];
	int64_t		peer_pid;	/* SO_PEERCRED, 0 when unconnected */
	uint32_t	peer_uid, peer_gid;
	uint32_t	sndbuf, rcvbuf;
	uint64_t	vfs_dev, vfs_ino;	/* pathname: the socket node */
	int32_t		vfs_status;	/* pathname: vfsd's result */
	uint32_t	vfs_mode;	/* pathname connect: the node's mode */
};
RUSTOS_ABI_SIZE(netd_ipc_request, 496);
RUSTOS_ABI_OFFSET(netd_ipc_request, pid, 8);
RUSTOS_ABI_OFFSET(netd_ipc_request, args, 16);
RUSTOS_ABI_OFFSET(netd_ipc_request, sock_id, 64);
RUSTOS_ABI_OFFSET(netd_ipc_request, tid, 80);
RUSTOS_ABI_OFFSET(netd_ipc_request, addr, 88);
RUSTOS_ABI_OFFSET(netd_ipc_request, name, 224);
RUSTOS_ABI_OFFSET(netd_ipc_request, peer_pid, 448);
RUSTOS_ABI_OFFSET(netd_ipc_request, vfs_dev, 472);
RUSTOS_ABI_OFFSET(netd_ipc_request, vfs_status, 488);

/* Reply (144 bytes). */
struct rustos_netd_ipc_response {
	uint16_t	version;
	uint16_t	op;
	int32_t		status;		/* the call's result or -errno */
	uint32_t	out_len;	/* bytes of out for the kernel to copy */
	uint32_t	reserved;
	uint8_t		out[NETD_ADDR_MAX];
};
RUSTOS_ABI_SIZE(netd_ipc_response, 144);
RUSTOS_ABI_OFFSET(netd_ipc_response, status, 4);
RUSTOS_ABI_OFFSET(netd_ipc_response, out_len, 8);
RUSTOS_ABI_OFFSET(netd_ipc_response, out, 16);

#endif /* RUSTOS_NETD_H */
