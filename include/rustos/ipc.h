/*
 * rustos/ipc.h -- RustOS IPC: service ids, capability bits and the argument
 * structs of IPC_{CALL,RECV,REPLY}_WITH_HANDLES.
 *
 * Handles are Linux fds: sent ones are the sender's, received ones are
 * installed in the receiver's fd table and returned as int32_t arrays with a
 * uint16_t count.  recv_fd_count_ptr is mandatory.  A byte-only IPC_RECV of a
 * message that carries handles fails (-ENOBUFS) instead of dropping them.
 */
#ifndef RUSTOS_IPC_H
#define RUSTOS_IPC_H

#include <stdint.h>

#include <rustos/abi_assert.h>
#include <rustos/ipc_services.h>

#define IPC_MAX_TRANSFER_HANDLES	16

/* Largest request or reply an endpoint queues (VFS replies fit). */
#define IPC_MAX_MESSAGE_BYTES		(64u * 1024u)

/*
 * Call with handles.  Change from the original (72 bytes of listed fields in
 * an 80-byte struct): the final 8 bytes are named transfer_ticket, the
 * nonzero ticket a handle transfer requires (0 when send_fd_count is 0).
 */
struct rustos_ipc_call_with_handles_args {
	uint64_t	endpoint;
	uint64_t	request_ptr;
	uint64_t	request_len;
	uint64_t	reply_ptr;
	uint64_t	reply_capacity;
	uint64_t	send_fds_ptr;		/* const int32_t[send_fd_count] */
	uint16_t	send_fd_count;		/* <= IPC_MAX_TRANSFER_HANDLES */
	uint16_t	recv_fd_capacity;	/* <= IPC_MAX_TRANSFER_HANDLES */
	uint32_t	reserved0;		/* must be 0 */
	uint64_t	recv_fds_ptr;		/* int32_t[recv_fd_capacity] */
	uint64_t	recv_fd_count_ptr;	/* uint16_t *, mandatory */
	uint64_t	transfer_ticket;
};
RUSTOS_ABI_SIZE(ipc_call_with_handles_args, 80);
RUSTOS_ABI_OFFSET(ipc_call_with_handles_args, endpoint, 0);
RUSTOS_ABI_OFFSET(ipc_call_with_handles_args, request_ptr, 8);
RUSTOS_ABI_OFFSET(ipc_call_with_handles_args, request_len, 16);
RUSTOS_ABI_OFFSET(ipc_call_with_handles_args, reply_ptr, 24);
RUSTOS_ABI_OFFSET(ipc_call_with_handles_args, reply_capacity, 32);
RUSTOS_ABI_OFFSET(ipc_call_with_handles_args, send_fds_ptr, 40);
RUSTOS_ABI_OFFSET(ipc_call_with_handles_args, send_fd_count, 48);
RUSTOS_ABI_OFFSET(ipc_call_with_handles_args, recv_fd_capacity, 50);
RUSTOS_ABI_OFFSET(ipc_call_with_handles_args, reserved0, 52);
RUSTOS_ABI_OFFSET(ipc_call_with_handles_args, recv_fds_ptr, 56);
RUSTOS_ABI_OFFSET(ipc_call_with_handles_args, recv_fd_count_ptr, 64);
RUSTOS_ABI_OFFSET(ipc_call_with_handles_args, transfer_ticket, 72);

struct rustos_ipc_recv_with_handles_args {
	uint64_t	endpoint;
	uint64_t	request_ptr;
	uint64_t	request_capacity;
	uint64_t	reply_cap_ptr;		/* uint64_t * */
	uint64_t	recv_fds_ptr;		/* int32_t[recv_fd_capacity] */
	uint64_t	recv_fd_count_ptr;	/* uint16_t *, mandatory */
	uint16_t	recv_fd_capacity;
	uint16_t	reserved0;
	uint32_t	reserved1;
};
RUSTOS_ABI_SIZE(ipc_recv_with_handles_args, 56);
RUSTOS_ABI_OFFSET(ipc_recv_with_handles_args, endpoint, 0);
RUSTOS_ABI_OFFSET(ipc_recv_with_handles_args, request_ptr, 8);
RUSTOS_ABI_OFFSET(ipc_recv_with_handles_args, request_capacity, 16);
RUSTOS_ABI_OFFSET(ipc_recv_with_handles_args, reply_cap_ptr, 24);
RUSTOS_ABI_OFFSET(ipc_recv_with_handles_args, recv_fds_ptr, 32);
RUSTOS_ABI_OFFSET(ipc_recv_with_handles_args, recv_fd_count_ptr, 40);
RUSTOS_ABI_OFFSET(ipc_recv_with_handles_args, recv_fd_capacity, 48);
RUSTOS_ABI_OFFSET(ipc_recv_with_handles_args, reserved0, 50);
RUSTOS_ABI_OFFSET(ipc_recv_with_handles_args, reserved1, 52);

struct rustos_ipc_reply_with_handles_args {
	uint64_t	reply_cap;
	uint64_t	response_ptr;
	uint64_t	response_len;
	uint64_t	send_fds_ptr;
	uint16_t	send_fd_count;
	uint16_t	reserved0;
	uint32_t	reserved1;
};
RUSTOS_ABI_SIZE(ipc_reply_with_handles_args, 40);
RUSTOS_ABI_OFFSET(ipc_reply_with_handles_args, reply_cap, 0);
RUSTOS_ABI_OFFSET(ipc_reply_with_handles_args, response_ptr, 8);
RUSTOS_ABI_OFFSET(ipc_reply_with_handles_args, response_len, 16);
RUSTOS_ABI_OFFSET(ipc_reply_with_handles_args, send_fds_ptr, 24);
RUSTOS_ABI_OFFSET(ipc_reply_with_handles_args, send_fd_count, 32);
RUSTOS_ABI_OFFSET(ipc_reply_with_handles_args, reserved0, 34);
RUSTOS_ABI_OFFSET(ipc_reply_with_handles_args, reserved1, 36);

/*
 * IPC_SENDER_INFO: who sent the request behind a reply capability.  Only
 * the process that received the request may ask.  KERNEL_FORWARDED means
 * the kernel built the request on behalf of pid (an app's syscall routed to
 * a policy service); without it, pid sent the bytes itself, so a service
 * must not believe a pid written inside them.  caps: the sender's
 * IPC_SERVICE_CAP_* bits when it sent the request (a service-only op
 * checks them; 0 for apps and for kernel-forwarded requests).  SYSTEM:
 * the sender is no app (rootd, a program its trusted builder marked as a
 * service image, or a holder of service caps) and sent the bytes itself;
 * launcher-only ops (loaderd SPAWN) require it.
 */
#define IPC_SENDER_FLAG_KERNEL_FORWARDED	(1u << 0)
#define IPC_SENDER_FLAG_SYSTEM			(1u << 1)

struct rustos_ipc_sender_info {
	uint64_t	pid;
	uint64_t	tid;
	uint32_t	flags;		/* IPC_SENDER_FLAG_* */
	uint32_t	caps;		/* IPC_SERVICE_CAP_* of the sender */
};
RUSTOS_ABI_SIZE(ipc_sender_info, 24);
RUSTOS_ABI_OFFSET(ipc_sender_info, pid, 0);
RUSTOS_ABI_OFFSET(ipc_sender_info, tid, 8);
RUSTOS_ABI_OFFSET(ipc_sender_info, flags, 16);
RUSTOS_ABI_OFFSET(ipc_sender_info, caps, 20);

#ifdef __cplusplus
extern "C" {
#endif

/*
 * librustos-user-abi helpers.  All return a non-negative result or a
 * negative errno; all validate counts against IPC_MAX_TRANSFER_HANDLES.
 */

/* Look a service up, yielding between tries; -EAGAIN after `attempts`. */
long rustos_ipc_lookup_service(uint32_t service_id, uint32_t attempts);
/* Look a service up (bounded) and IPC_CALL it; returns reply bytes. */
long rustos_ipc_call_service(uint32_t service_id, const void *req,
    uint64_t req_len, void *resp, uint64_t resp_cap);
long rustos_ipc_call_with_handles(uint64_t endpoint, const void *req,
    uint64_t req_len, void *resp, uint64_t resp_cap, const int32_t *send_fds,
    uint16_t send_count, uint64_t ticket, int32_t *recv_fds,
    uint16_t recv_cap, uint16_t *recv_count);
long rustos_ipc_recv_with_handles(uint64_t endpoint, void *buf, uint64_t cap,
    uint64_t *reply_cap, int32_t *recv_fds, uint16_t recv_cap,
    uint16_t *recv_count);
long rustos_ipc_reply_with_handles(uint64_t reply_cap, const void *resp,
    uint64_t resp_len, const int32_t *send_fds, uint16_t send_count);
/* DEBUG_PRINT a NUL-terminated string (at most 4096 bytes). */
long rustos_debug_puts(const char *s);

#ifdef __cplusplus
}
#endif

#endif /* RUSTOS_IPC_H */
