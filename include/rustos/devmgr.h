/*
 * rustos/devmgr.h -- devmgrd: the /dev registry protocol vfsd uses
 * (DevmgrdIpcRequest/Response, LOOKUP and READDIR) and the device
 * open/ioctl broker argument structs.
 */
#ifndef RUSTOS_DEVMGR_H
#define RUSTOS_DEVMGR_H

#include <stdint.h>

#include <rustos/abi_assert.h>

#define DEVMGRD_IPC_ABI_VERSION		1
#define DEVMGRD_IPC_OP_LOOKUP		1
#define DEVMGRD_IPC_OP_READDIR		2
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
	uint32_t	reserved0;
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
RUSTOS_ABI_OFFSET(devmgrd_ipc_response, reserved0, 28);
RUSTOS_ABI_OFFSET(devmgrd_ipc_response, name, 32);

/* SYS_RUSTOS_DEVICE_OPEN_BROKER (24 bytes); returns the new fd. */
struct rustos_device_open_broker_args {
	uint64_t	pid;		/* target process */
	uint32_t	major;
	uint32_t	minor;
	uint32_t	open_flags;	/* Linux O_* */
	uint32_t	reserved0;
};
RUSTOS_ABI_SIZE(device_open_broker_args, 24);
RUSTOS_ABI_OFFSET(device_open_broker_args, pid, 0);
RUSTOS_ABI_OFFSET(device_open_broker_args, major, 8);
RUSTOS_ABI_OFFSET(device_open_broker_args, minor, 12);
RUSTOS_ABI_OFFSET(device_open_broker_args, open_flags, 16);
RUSTOS_ABI_OFFSET(device_open_broker_args, reserved0, 20);

/* SYS_RUSTOS_DEVICE_IOCTL_BROKER (32 bytes); result is the ioctl's. */
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
