/*
 * validate.c -- request validation and error replies of the service loop.
 * Pure functions (no syscalls), so the host unit tests exercise them.
 *
 * Invariant: a request reaches a handler only when its version matches,
 * its op is in the table and the received byte count lies within the op's
 * bounds (and, for the generic framing, equals the header's length).
 */
#include <errno.h>
#include <string.h>

#include "svc.h"

static uint16_t
get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/* Set by the request loop (loop.c) for each request; 0 in host tests. */
int svc_kernel_forwarded;
uint32_t svc_sender_caps;
uint32_t svc_sender_flags;
int svc_want_sender;

long
svc_validate(const struct svc_table *t, const void *req, size_t len,
    uint16_t *op_out)
{
	const unsigned char *p = req;
	const struct svc_op *o;
	uint16_t version, op;
	size_t i;

	*op_out = 0;
	if (req == NULL || len < 4)
		return -EINVAL;
	version = get16(p);
	op = get16(p + 2);
	*op_out = op;
	if (version != t->version)
		return -EPROTO;
	for (i = 0; i < t->nops; i++) {
		o = &t->ops[i];
		if (o->op != op)
			continue;
		if (len < o->min_len || len > o->max_len)
			return -EINVAL;
		if (o->framed && (len < 8 || get32(p + 4) != len))
			return -EINVAL;
		return (long)i;
	}
	return -EOPNOTSUPP;
}

size_t
svc_error_reply(void *resp, size_t cap, uint16_t version, uint16_t op,
    int32_t status, size_t err_len, int framed)
{
	struct rustos_service_reply_header h;

	if (err_len < sizeof(h))
		err_len = sizeof(h);
	if (err_len > cap)
		err_len = cap;
	memset(resp, 0, err_len);
	/* version, op and status sit at 0/2/4 in every protocol's reply. */
	h.version = version;
	h.op = op;
	h.status = status;
	h.length = framed ? (uint32_t)err_len : 0;
	h.reserved = 0;
	if (framed)
		memcpy(resp, &h, sizeof(h));
	else
		memcpy(resp, &h, 8);
	return err_len;
}

long
svc_status_reply(void *resp, size_t cap, uint16_t op, int32_t status)
{
	return (long)svc_error_reply(resp, cap, RUSTOS_SERVICE_PROTOCOL_VERSION,
	    op, status, sizeof(struct rustos_service_reply_header), 1);
}

size_t
svc_handle(const struct svc_table *t, void *ctx, const void *req, size_t len,
    void *resp, size_t resp_cap)
{
	const struct svc_op *o;
	uint16_t op;
	long idx, n;

	idx = svc_validate(t, req, len, &op);
	if (idx == -EINVAL && len >= 4) {
		/* A known op with bad lengths: answer in that op's reply shape. */
		size_t i;

		for (i = 0; i < t->nops; i++)
			if (t->ops[i].op == op)
				return svc_error_reply(resp, resp_cap, t->version,
				    op, -EINVAL, t->ops[i].err_reply_len,
				    t->ops[i].framed);
	}
	if (idx < 0)
		/* Unknown ops and bad versions get the generic framing. */
		return svc_error_reply(resp, resp_cap, t->version, op,
		    (int32_t)idx, sizeof(struct rustos_service_reply_header), 1);
	o = &t->ops[idx];
	memset(resp, 0, o->err_reply_len > 16 ? o->err_reply_len : 16);
	n = o->handler(ctx, req, len, resp, resp_cap);
	if (n < 0)
		return svc_error_reply(resp, resp_cap, t->version, op,
		    (int32_t)n, o->err_reply_len, o->framed);
	if ((size_t)n < 8)
		n = 8;
	if ((size_t)n > resp_cap)
		n = (long)resp_cap;
	if (o->framed && (size_t)n >= sizeof(struct rustos_service_reply_header))
		((struct rustos_service_reply_header *)resp)->length =
		    (uint32_t)n;
	/* Every reply names the protocol version and the request's op. */
	((unsigned char *)resp)[0] = (unsigned char)t->version;
	((unsigned char *)resp)[1] = (unsigned char)(t->version >> 8);
	((unsigned char *)resp)[2] = (unsigned char)op;
	((unsigned char *)resp)[3] = (unsigned char)(op >> 8);
	return (size_t)n;
}
