/*
 * procd.c -- process policy service (IPC_SERVICE_PROCD).  This issue brings
 * the endpoint, PING, a process query and a handle echo for the transfer
 * tests; execve/fork/wait4/signals arrive with the processes issue.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <rustos/bootstrap_services.h>
#include <rustos/ipc.h>

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

static const struct svc_op ops[] = {
	{ RUSTOS_SERVICE_OP_PING, 1, 8, 8, 16, h_ping, 0 },
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
