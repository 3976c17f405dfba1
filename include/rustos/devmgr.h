/*
 * rustos/devmgr.h -- devmgrd: the /dev registry protocol
 * (DevmgrdIpcRequest/Response: LOOKUP, READDIR, OPEN), the ioctl
 * authorization request (IOCTL) and the device open/ioctl broker argument
 * structs.  The kernel forwards a generic process's open/stat of a /dev
 * path and its ioctl on a device fd to devmgrd (docs/ai/bootstrap.md,
 * "Console, /dev and ioctl"); devmgrd decides and has the kernel act
 * through DEVICE_OPEN_BROKER / DEVICE_IOCTL_BROKER.
 */
#ifndef RUSTOS_DEVMGR_H
#define RUSTOS_DEVMGR_H

#include <stdint.h>

#include <rustos/abi_assert.h>

#define DEVMGRD_IPC_ABI_VERSION		1
#define DEVMGRD_IPC_OP_LOOKUP		1
#define DEVMGRD_IPC_OP_READDIR		2
#define DEVMGRD_IPC_OP_OPEN		3	/* flags = Linux O_*; status = fd */
#define DEVMGRD_IPC_OP_IOCTL		4	/* struct rustos_devmgrd_ioctl_request */
#define DEVMGRD_NAME_MAX		128

#define DEVMGRD_NODE_CHAR		1
#define DEVMGRD_NODE_DIR		2

/* Request (152 bytes): LOOKUP names a path under /dev; READDIR a dir + cookie. */
struct rustos_devmgrd_ipc_request {
	uint16_t	version;
	uint16_t	op;
	uint32_t	flags;
	uint64_t	pid;
	uint32_t	cookie;		/* READDIR: 0 first, then next_cookie */
	uint32_t	path_len;	/* <= DEVMGRD_NAME_MAX */
	uint8_t		path[DEVMGRD_NAME_MAX];
};
RUSTOS_ABI_SIZE(devmgrd_ipc_request, 152);
RUSTOS_ABI_OFFSET(devmgrd_ipc_request, version, 0);
RUSTOS_ABI_OFFSET(devmgrd_ipc_request, op, 2);
RUSTOS_ABI_OFFSET(devmgrd_ipc_request, flags, 4);
RUSTOS_ABI_OFFSET(devmgrd_ipc_request, pid, 8);
RUSTOS_ABI_OFFSET(devmgrd_ipc_request, cookie, 16);
RUSTOS_ABI_OFFSET(devmgrd_ipc_request, path_len, 20);
RUSTOS_ABI_OFFSET(devmgrd_ipc_request, path, 24);

/* Response (160 bytes). */
struct rustos_devmgrd_ipc_response {
	uint16_t	version;
	uint16_t	op;
	int32_t		status;		/* 0, -ENOENT, ...; READDIR end: 0 with name_len 0 */
	uint32_t	node_kind;	/* DEVMGRD_NODE_* */
	uint32_t	major;
	uint32_t	minor;
	uint32_t	next_cookie;
	uint32_t	name_len;
	uint32_t	mode;		/* S_IFCHR/S_IFDIR | permissions (was reserved0) */
	uint8_t		name[DEVMGRD_NAME_MAX];
};
RUSTOS_ABI_SIZE(devmgrd_ipc_response, 160);
RUSTOS_ABI_OFFSET(devmgrd_ipc_response, version, 0);
RUSTOS_ABI_OFFSET(devmgrd_ipc_response, op, 2);
RUSTOS_ABI_OFFSET(devmgrd_ipc_response, status, 4);
RUSTOS_ABI_OFFSET(devmgrd_ipc_response, node_kind, 8);
RUSTOS_ABI_OFFSET(devmgrd_ipc_response, major, 12);
RUSTOS_ABI_OFFSET(devmgrd_ipc_response, minor, 16);
RUSTOS_ABI_OFFSET(devmgrd_ipc_response, next_cookie, 20);
RUSTOS_ABI_OFFSET(devmgrd_ipc_response, name_len, 24);
RUSTOS_ABI_OFFSET(devmgrd_ipc_response, mode, 28);
RUSTOS_ABI_OFFSET(devmgrd_ipc_response, name, 32);

/*
 * IOCTL (40 bytes): the kernel asks whether process pid may run ioctl cmd
 * on its fd (device major/minor); devmgrd answers -ENOTTY/-EACCES itself
 * or calls DEVICE_IOCTL_BROKER with the same pid/fd/cmd/arg and replies
 * with the broker's result (a rustos_devmgrd_ipc_response, status).
 */
struct rustos_devmgrd_ioctl_request {
	uint16_t	version;
	uint16_t	op;		/* DEVMGRD_IPC_OP_IOCTL */
	uint32_t	cmd;
	uint64_t	pid;
	int32_t		fd;
	uint32_t	major;
	uint32_t	minor;
	uint32_t	reserved0;
	uint64_t	arg;
};
RUSTOS_ABI_SIZE(devmgrd_ioctl_request, 40);
RUSTOS_ABI_OFFSET(devmgrd_ioctl_request, cmd, 4);
RUSTOS_ABI_OFFSET(devmgrd_ioctl_request, pid, 8);
RUSTOS_ABI_OFFSET(devmgrd_ioctl_request, fd, 16);
RUSTOS_ABI_OFFSET(devmgrd_ioctl_request, major, 20);
RUSTOS_ABI_OFFSET(devmgrd_ioctl_request, minor, 24);
RUSTOS_ABI_OFFSET(devmgrd_ioctl_request, arg, 32);

/*
 * SYS_RUSTOS_DEVICE_OPEN_BROKER (24 bytes); returns the new fd.  Acts only
 * on a process blocked in a kernel-forwarded OPEN the caller is serving;
 * open_flags carries the access mode devmgrd granted plus O_NONBLOCK and
 * O_CLOEXEC (other bits -EINVAL).  ctty (formerly reserved0; 0 or 1, else
 * -EINVAL) is devmgrd's decision that the open may make a terminal the
 * target's controlling tty (an open without O_NOCTTY): the kernel does it
 * for the console (5,1) when the target is a session leader and no live
 * session has the console.
 */
struct rustos_device_open_broker_args {
	uint64_t	pid;		/* target process */
	uint32_t	major;
	uint32_t	minor;
	uint32_t	open_flags;	/* Linux O_* */
	uint32_t	ctty;		/* 1: may become the controlling tty */
};
RUSTOS_ABI_SIZE(device_open_broker_args, 24);
RUSTOS_ABI_OFFSET(device_open_broker_args, pid, 0);
RUSTOS_ABI_OFFSET(device_open_broker_args, major, 8);
RUSTOS_ABI_OFFSET(device_open_broker_args, minor, 12);
RUSTOS_ABI_OFFSET(device_open_broker_args, open_flags, 16);
RUSTOS_ABI_OFFSET(device_open_broker_args, ctty, 20);

/*
 * SYS_RUSTOS_DEVICE_IOCTL_BROKER (32 bytes); result is the ioctl's.  Acts
 * only on the forwarded IOCTL (same pid, fd, cmd, arg) the caller is
 * serving; the kernel copies the argument in and out in the target's own
 * syscall, before and after the round trip.
 */
struct rustos_device_ioctl_broker_args {
	uint64_t	pid;		/* target process */
	int32_t		fd;
	uint32_t	cmd;		/* RUSTOS_IOC encoding */
	uint64_t	arg;		/* pointer in the target process */
	uint64_t	reserved0;
};
RUSTOS_ABI_SIZE(device_ioctl_broker_args, 32);
RUSTOS_ABI_OFFSET(device_ioctl_broker_args, pid, 0);
RUSTOS_ABI_OFFSET(device_ioctl_broker_args, fd, 8);
RUSTOS_ABI_OFFSET(device_ioctl_broker_args, cmd, 12);
RUSTOS_ABI_OFFSET(device_ioctl_broker_args, arg, 16);
RUSTOS_ABI_OFFSET(device_ioctl_broker_args, reserved0, 24);

#endif /* RUSTOS_DEVMGR_H */
