/*
 * rustos/net_broker.h -- SYS_RUSTOS_NET_BROKER: netd routes the Linux socket
 * calls of a target process through this primitive; the kernel keeps handle
 * installation, user-memory copy and the socket substrate.
 */
#ifndef RUSTOS_NET_BROKER_H
#define RUSTOS_NET_BROKER_H

#include <stdint.h>

#include <rustos/abi_assert.h>

#define NET_BROKER_ABI_VERSION	1

/* Arguments (72 bytes); op is the Linux syscall number (socket, bind, ...). */
struct rustos_net_broker_args {
	uint32_t	version;	/* NET_BROKER_ABI_VERSION */
	uint32_t	op;		/* RUSTOS_LINUX_SYS_* of a socket call */
	uint64_t	pid;		/* target process */
	uint64_t	tid;
	uint64_t	args[6];	/* the Linux argument registers */
};
RUSTOS_ABI_SIZE(net_broker_args, 72);
RUSTOS_ABI_OFFSET(net_broker_args, version, 0);
RUSTOS_ABI_OFFSET(net_broker_args, op, 4);
RUSTOS_ABI_OFFSET(net_broker_args, pid, 8);
RUSTOS_ABI_OFFSET(net_broker_args, tid, 16);
RUSTOS_ABI_OFFSET(net_broker_args, args, 24);

#endif /* RUSTOS_NET_BROKER_H */
