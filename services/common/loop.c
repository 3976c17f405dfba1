/*
 * loop.c -- the service request loop: endpoint creation and registration,
 * then IPC_RECV (bounded; -ETIMEDOUT just loops) → svc_handle → IPC_REPLY.
 * A malformed request gets an error reply; nothing a client sends ends the
 * loop.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rustos/ipc.h>
#include <rustos/syscalls.h>

#include "svc.h"

static unsigned char svc_req[SVC_MAX_REQUEST];
static int32_t in_fds[IPC_MAX_TRANSFER_HANDLES], out_fds[IPC_MAX_TRANSFER_HANDLES];
static uint16_t in_n, out_n;

uint16_t
svc_handles(const int32_t **fds)
{
	*fds = in_fds;
	return in_n;
}

void
svc_reply_handles(const int32_t *fds, uint16_t n)
{
	uint16_t i;

	if (n > IPC_MAX_TRANSFER_HANDLES)
		n = IPC_MAX_TRANSFER_HANDLES;
	for (i = 0; i < n; i++)
		out_fds[i] = fds[i];
	out_n = n;
}

/* The op of a received request accepts handles (and is well formed). */
static int
takes_handles(const struct svc_table *t, size_t len)
{
	uint16_t op;
	long idx;

	idx = svc_validate(t, svc_req, len, &op);
	return idx >= 0 && t->ops[idx].accepts_handles;
}
static int svc_test_crash;

void
svc_parse_args(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (argv[i] != NULL && strcmp(argv[i], "--test-crash") == 0)
			svc_test_crash = 1;
}
static unsigned char svc_resp[SVC_MAX_REPLY];

long
svc_register(const struct svc_table *t, const char *marker)
{
	long ep, r;

	ep = rustos_sys_ipc_endpoint_create();
	if (ep <= 0) {
		svc_log(SVC_LOG_ERROR, "%s: endpoint create failed: %ld",
		    t->name, ep);
		return ep < 0 ? ep : -EIO;
	}
	r = rustos_sys_ipc_register_service_endpoint(t->service_id,
	    (uint64_t)ep);
	if (r < 0) {
		svc_log(SVC_LOG_ERROR, "%s: register id=%u failed: %ld",
		    t->name, t->service_id, r);
		return r;
	}
	svc_marker("%s: endpoint registered id=%u", t->name, t->service_id);
	if (marker != NULL)
		svc_marker("%s", marker);
	return ep;
}

/*
 * May the sender of the request behind reply_cap act for the pid the request
 * names?  Yes when the kernel forwarded it for that pid or the pid is the
 * sender's own.  A malformed request is left to svc_handle, which answers
 * the framing error itself.
 */
static int
sender_may_act(const struct svc_table *t, uint64_t reply_cap,
    const unsigned char *req, size_t len)
{
	struct rustos_ipc_sender_info si;
	uint64_t claimed;
	uint16_t op;

	svc_kernel_forwarded = 0;
	svc_sender_caps = 0;
	svc_sender_flags = 0;
	if (t->behalf_pid_offset == 0) {
		/* No pid to check; svc_want_sender services still learn who. */
		if (svc_want_sender &&
		    rustos_sys_ipc_sender_info(reply_cap, &si) == 0) {
			svc_sender_caps = si.caps;
			svc_sender_flags = si.flags;
		}
		return 1;
	}
	if (len < t->behalf_pid_offset + 8 ||
	    svc_validate(t, req, len, &op) < 0)
		return 1;
	if (rustos_sys_ipc_sender_info(reply_cap, &si) != 0)
		return 0;
	svc_sender_caps = si.caps;
	svc_sender_flags = si.flags;
	if (si.flags & IPC_SENDER_FLAG_KERNEL_FORWARDED) {
		svc_kernel_forwarded = 1;
		return 1;
	}
	memcpy(&claimed, req + t->behalf_pid_offset, sizeof(claimed));
	return claimed == si.pid;
}

static size_t
refuse_sender(const struct svc_table *t, const unsigned char *req, size_t len)
{
	svc_log(SVC_LOG_WARN, "%s: request names a pid its sender may not act "
	    "for: -EPERM", t->name);
	return svc_error_reply(svc_resp, sizeof(svc_resp), t->version,
	    len >= 4 ? (uint16_t)(req[2] | req[3] << 8) : 0, -EPERM,
	    sizeof(struct rustos_service_reply_header), 1);
}

long
svc_serve_once(const struct svc_table *t, void *ctx, uint64_t ep)
{
	uint64_t reply_cap = 0;
	size_t n;
	long r;

	r = rustos_sys_ipc_recv(ep, svc_req, sizeof(svc_req), &reply_cap);
	if (r == -ETIMEDOUT || r == -EAGAIN || r == -EINTR)
		return 0;
	if (r == -ENOBUFS) {
		/*
		 * The message carries handles (the byte-only recv left it
		 * queued): take it with its handles; ops that accept handles
		 * see them, every other request is refused.  Received fds
		 * are closed once the reply is out.
		 */
		uint16_t i;

		in_n = out_n = 0;
		r = rustos_ipc_recv_with_handles(ep, svc_req, sizeof(svc_req),
		    &reply_cap, in_fds, IPC_MAX_TRANSFER_HANDLES, &in_n);
		if (r < 0)
			return r == -ETIMEDOUT || r == -EAGAIN ? 0 : r;
		if (in_n > IPC_MAX_TRANSFER_HANDLES)
			in_n = IPC_MAX_TRANSFER_HANDLES;
		/* The message taken may carry no handles after all. */
		if (!sender_may_act(t, reply_cap, svc_req, (size_t)r))
			n = refuse_sender(t, svc_req, (size_t)r);
		else if (in_n == 0 || takes_handles(t, (size_t)r))
			n = svc_handle(t, ctx, svc_req, (size_t)r, svc_resp,
			    sizeof(svc_resp));
		else
			n = svc_error_reply(svc_resp, sizeof(svc_resp),
			    t->version, r >= 4 ? (uint16_t)(svc_req[2] |
			    svc_req[3] << 8) : 0, -EINVAL,
			    sizeof(struct rustos_service_reply_header), 1);
		if (out_n != 0)
			r = rustos_ipc_reply_with_handles(reply_cap, svc_resp, n,
			    out_fds, out_n);
		else
			r = rustos_sys_ipc_reply(reply_cap, svc_resp, n);
		if (r < 0)
			svc_log(SVC_LOG_WARN, "%s: reply with handles: %ld",
			    t->name, r);
		for (i = 0; i < in_n; i++)
			close(in_fds[i]);
		in_n = out_n = 0;
		return 0;
	}
	if (r < 0)
		return r;
	if (!sender_may_act(t, reply_cap, svc_req, (size_t)r))
		n = refuse_sender(t, svc_req, (size_t)r);
	else
		n = svc_handle(t, ctx, svc_req, (size_t)r, svc_resp,
		    sizeof(svc_resp));
	r = rustos_sys_ipc_reply(reply_cap, svc_resp, n);
	if (r < 0 && r != -EPIPE && r != -ESRCH)
		svc_log(SVC_LOG_WARN, "%s: reply failed: %ld", t->name, r);
	return 0;
}

long
svc_serve(const struct svc_table *t, void *ctx, const char *marker,
    void (*ready)(void *ctx, uint64_t ep))
{
	unsigned errors = 0;
	long ep, r;

	ep = svc_register(t, marker);
	if (ep < 0)
		return ep;
	if (ready != NULL)
		ready(ctx, (uint64_t)ep);
	if (svc_test_crash) {
		struct timespec ts = { 0, 200 * 1000000L };

		nanosleep(&ts, NULL);
		svc_marker("%s: test crash", t->name);
		_exit(3);
	}
	for (;;) {
		r = svc_serve_once(t, ctx, (uint64_t)ep);
		if (r == 0) {
			errors = 0;
			continue;
		}
		/* A broken endpoint: say so once in a while, never spin hot. */
		if (errors++ % 64 == 0)
			svc_log(SVC_LOG_ERROR, "%s: recv failed: %ld", t->name, r);
		{
			struct timespec ts = { 0, 10 * 1000000L };

			nanosleep(&ts, NULL);
		}
	}
}
