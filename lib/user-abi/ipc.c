/*
 * ipc.c -- IPC helpers of librustos-user-abi: bounded service lookup, the
 * with-handles wrappers (which fill the argument structs of <rustos/ipc.h>
 * and validate counts before entering the kernel), and debug output.
 *
 * Freestanding: no libc calls, no memcpy (structs are filled field by field).
 */
#include <errno.h>
#include <stdint.h>

#include <rustos/ipc.h>
#include <rustos/syscall_numbers.h>
#include <rustos/syscalls.h>

#include "raw_syscall.h"

#define DEBUG_PUTS_MAX	4096

RUSTOS_USER_ABI_EXPORT long
rustos_ipc_lookup_service(uint32_t service_id, uint32_t attempts)
{
	uint32_t i;
	long ep;

	if (service_id == 0 || attempts == 0)
		return -EINVAL;
	for (i = 0; i < attempts; i++) {
		ep = rustos_sys_ipc_lookup_service_endpoint(service_id);
		if (ep != 0)
			return ep;	/* an endpoint, or a negative errno */
		/* Unpublished yet: let the service run, then ask again. */
		rustos_raw_syscall0(USER_ABI_LINUX_SCHED_YIELD);
	}
	return -EAGAIN;
}

RUSTOS_USER_ABI_EXPORT long
rustos_ipc_call_service(uint32_t service_id, const void *req, uint64_t req_len,
    void *resp, uint64_t resp_cap)
{
	long ep;

	if (req == 0 || req_len == 0 || req_len > IPC_MAX_MESSAGE_BYTES ||
	    (resp == 0 && resp_cap != 0))
		return -EINVAL;
	ep = rustos_ipc_lookup_service(service_id, 64);
	if (ep < 0)
		return ep;
	return rustos_sys_ipc_call((uint64_t)ep, req, req_len, resp, resp_cap);
}

static int
fds_valid(const int32_t *fds, uint16_t count)
{
	uint16_t i;

	if (count > IPC_MAX_TRANSFER_HANDLES)
		return 0;
	if (count != 0 && fds == 0)
		return 0;
	for (i = 0; i < count; i++)
		if (fds[i] < 0)
			return 0;
	return 1;
}

RUSTOS_USER_ABI_EXPORT long
rustos_ipc_call_with_handles(uint64_t endpoint, const void *req,
    uint64_t req_len, void *resp, uint64_t resp_cap, const int32_t *send_fds,
    uint16_t send_count, uint64_t ticket, int32_t *recv_fds, uint16_t recv_cap,
    uint16_t *recv_count)
{
	struct rustos_ipc_call_with_handles_args a;

	if (recv_count == 0 || (req == 0 && req_len != 0) ||
	    req_len > IPC_MAX_MESSAGE_BYTES || (resp == 0 && resp_cap != 0))
		return -EINVAL;
	if (!fds_valid(send_fds, send_count) ||
	    recv_cap > IPC_MAX_TRANSFER_HANDLES || (recv_cap != 0 && recv_fds == 0))
		return -EINVAL;
	/* The kernel refuses a transfer without a ticket; say so up front. */
	if (send_count != 0 && ticket == 0)
		return -EINVAL;
	*recv_count = 0;
	a.endpoint = endpoint;
	a.request_ptr = (uint64_t)(uintptr_t)req;
	a.request_len = req_len;
	a.reply_ptr = (uint64_t)(uintptr_t)resp;
	a.reply_capacity = resp_cap;
	a.send_fds_ptr = (uint64_t)(uintptr_t)send_fds;
	a.send_fd_count = send_count;
	a.recv_fd_capacity = recv_cap;
	a.reserved0 = 0;
	a.recv_fds_ptr = (uint64_t)(uintptr_t)recv_fds;
	a.recv_fd_count_ptr = (uint64_t)(uintptr_t)recv_count;
	a.transfer_ticket = ticket;
	return rustos_sys_ipc_call_with_handles(&a);
}

RUSTOS_USER_ABI_EXPORT long
rustos_ipc_recv_with_handles(uint64_t endpoint, void *buf, uint64_t cap,
    uint64_t *reply_cap, int32_t *recv_fds, uint16_t recv_cap,
    uint16_t *recv_count)
{
	struct rustos_ipc_recv_with_handles_args a;

	if (buf == 0 || cap == 0 || reply_cap == 0 || recv_count == 0 ||
	    recv_cap > IPC_MAX_TRANSFER_HANDLES || (recv_cap != 0 && recv_fds == 0))
		return -EINVAL;
	*recv_count = 0;
	a.endpoint = endpoint;
	a.request_ptr = (uint64_t)(uintptr_t)buf;
	a.request_capacity = cap;
	a.reply_cap_ptr = (uint64_t)(uintptr_t)reply_cap;
	a.recv_fds_ptr = (uint64_t)(uintptr_t)recv_fds;
	a.recv_fd_count_ptr = (uint64_t)(uintptr_t)recv_count;
	a.recv_fd_capacity = recv_cap;
	a.reserved0 = 0;
	a.reserved1 = 0;
	return rustos_sys_ipc_recv_with_handles(&a);
}

RUSTOS_USER_ABI_EXPORT long
rustos_ipc_reply_with_handles(uint64_t reply_cap, const void *resp,
    uint64_t resp_len, const int32_t *send_fds, uint16_t send_count)
{
	struct rustos_ipc_reply_with_handles_args a;

	if ((resp == 0 && resp_len != 0) || resp_len > IPC_MAX_MESSAGE_BYTES ||
	    !fds_valid(send_fds, send_count))
		return -EINVAL;
	a.reply_cap = reply_cap;
	a.response_ptr = (uint64_t)(uintptr_t)resp;
	a.response_len = resp_len;
	a.send_fds_ptr = (uint64_t)(uintptr_t)send_fds;
	a.send_fd_count = send_count;
	a.reserved0 = 0;
	a.reserved1 = 0;
	return rustos_sys_ipc_reply_with_handles(&a);
}

RUSTOS_USER_ABI_EXPORT long
rustos_debug_puts(const char *s)
{
	uint64_t n;

	if (s == 0)
		return -EINVAL;
	for (n = 0; n < DEBUG_PUTS_MAX && s[n] != '\0'; n++)
		;
	if (n == DEBUG_PUTS_MAX)
		return -E2BIG;
	return rustos_sys_debug_print(s, n);
}
