/*
 * procd.c -- process policy service (IPC_SERVICE_PROCD): PING, a process
 * query, a handle echo for the transfer tests, and the fork policy.  An
 * app's fork/vfork/clone reaches procd as a kernel-forwarded offload
 * request (op = Linux number 57); procd applies the process limit and has
 * the kernel copy the caller with PROC_FORK_BROKER (which only acts on a
 * process whose fork request procd is serving).  exec/kill/signals come
 * later (docs/ai/bootstrap.md "Processes").
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <rustos/bootstrap_services.h>
#include <rustos/ipc.h>
#include <rustos/offload.h>
#include <rustos/proc_broker.h>
#include <rustos/syscalls.h>

#include "services/common/svc.h"

static long
h_ping(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	return svc_status_reply(resp, cap, RUSTOS_SERVICE_OP_PING, 0);
}

static long
h_query(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	struct rustos_procd_query_reply q;
	size_t hl = sizeof(struct rustos_service_reply_header);

	memset(&q, 0, sizeof(q));
	q.procd_pid = (uint64_t)getpid();
	q.known = 0;
	memcpy((unsigned char *)resp + hl, &q, sizeof(q));
	return (long)(hl + sizeof(q));
}

/* Send the received handles back: proves a transfer yields usable fds. */
static long
h_echo(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const int32_t *fds;
	uint16_t n;

	n = svc_handles(&fds);
	svc_reply_handles(fds, n);
	return svc_status_reply(resp, cap, PROCD_OP_ECHO_HANDLES, 0);
}

/*
 * App processes (everything but rootd and services, zombies included) may
 * number at most this many: a fork bomb gets -EAGAIN and the system keeps
 * its memory.  All apps run as uid 0 today, so this is the per-uid limit.
 */
#define PROCD_NPROC_LIMIT	64
#define NR_FORK			57

static long
h_fork(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_linux_syscall_offload_request *q = req;
	struct rustos_linux_syscall_offload_response *o = resp;
	struct rustos_proc_fork_args a;
	static unsigned refused;
	uint64_t pid;
	long r;

	if (q->pid == 0 || cap < offsetof(
	    struct rustos_linux_syscall_offload_response, payload) + 8)
		return -EINVAL;
	if (q->arg1 >= PROCD_NPROC_LIMIT) {
		if (refused++ % 64 == 0)
			svc_log(SVC_LOG_WARN, "fork by pid %llu refused: %llu "
			    "processes (limit %d)", (unsigned long long)q->pid,
			    (unsigned long long)q->arg1, PROCD_NPROC_LIMIT);
		return -EAGAIN;
	}
	memset(&a, 0, sizeof(a));
	a.parent_pid = q->pid;
	a.parent_tid = q->tid;
	a.clone_flags = q->arg0;
	r = rustos_sys_proc_fork_broker(&a);
	if (r < 0)
		return r;
	pid = (uint64_t)r;
	o->status = 0;
	o->payload_len = 8;
	memcpy(o->payload, &pid, 8);
	return (long)(offsetof(struct rustos_linux_syscall_offload_response,
	    payload) + 8);
}

static const struct svc_op ops[] = {
	{ RUSTOS_SERVICE_OP_PING, 1, 8, 8, 16, h_ping, 0 },
	{ NR_FORK, 0, sizeof(struct rustos_linux_syscall_offload_request),
	    sizeof(struct rustos_linux_syscall_offload_request), 16, h_fork,
	    0 },
	{ PROCD_OP_QUERY, 1, 8, 8, 16, h_query, 0 },
	{ PROCD_OP_ECHO_HANDLES, 1, 8, 8, 16, h_echo, 1 },
};

static const struct svc_table table = {
	"procd", IPC_SERVICE_PROCD, RUSTOS_SERVICE_PROTOCOL_VERSION,
	ops, sizeof(ops) / sizeof(ops[0]),
	0	/* requests act for no other pid */
};

int
main(int argc, char **argv)
{
	svc_parse_args(argc, argv);
	return svc_serve(&table, NULL, NULL, NULL) < 0 ? 1 : 0;
}
