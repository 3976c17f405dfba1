/*
 * svc_test.c -- services/common: request validation (version, op, length
 * bounds, generic framing length), error replies and dispatch, and the
 * structured log line format.
 */
#include <errno.h>
#include <string.h>

#include "services/common/svc.h"
#include "tests/unit/services/tap.h"

static int called;

static long
h_ok(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	called++;
	return svc_status_reply(resp, cap, 0, 0);
}

static long
h_fail(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	called++;
	return -ENOENT;
}

static const struct svc_op ops[] = {
	{ 0, 1, 8, 8, 16, h_ok, 0 },
	{ 16, 1, 9, 40, 16, h_fail, 0 },
	{ 1, 0, 24, 24, 24, h_ok, 0 },
};
static const struct svc_table t = { "testd", 99, 1, ops, 3 };

static void
mk(unsigned char *b, unsigned v, unsigned op, unsigned len)
{
	b[0] = (unsigned char)v; b[1] = (unsigned char)(v >> 8);
	b[2] = (unsigned char)op; b[3] = (unsigned char)(op >> 8);
	b[4] = (unsigned char)len; b[5] = (unsigned char)(len >> 8);
	b[6] = (unsigned char)(len >> 16); b[7] = (unsigned char)(len >> 24);
}

int
main(void)
{
	unsigned char req[64], resp[128];
	struct rustos_service_reply_header *h = (void *)resp;
	char line[256];
	uint16_t op;
	size_t n;

	memset(req, 0, sizeof(req));
	mk(req, 1, 0, 8);
	CHECK(svc_validate(&t, req, 8, &op) == 0 && op == 0, "ping validates");
	CHECK(svc_validate(&t, req, 3, &op) == -EINVAL, "3 bytes: -EINVAL");
	CHECK(svc_validate(&t, NULL, 8, &op) == -EINVAL, "NULL: -EINVAL");
	mk(req, 2, 0, 8);
	CHECK(svc_validate(&t, req, 8, &op) == -EPROTO, "bad version: -EPROTO");
	mk(req, 1, 7, 8);
	CHECK(svc_validate(&t, req, 8, &op) == -EOPNOTSUPP && op == 7,
	    "unknown op: -EOPNOTSUPP");
	mk(req, 1, 0, 12);
	CHECK(svc_validate(&t, req, 8, &op) == -EINVAL,
	    "framed length field disagrees: -EINVAL");
	mk(req, 1, 0, 6);
	CHECK(svc_validate(&t, req, 6, &op) == -EINVAL, "short ping: -EINVAL");
	mk(req, 1, 16, 41);
	CHECK(svc_validate(&t, req, 41, &op) == -EINVAL, "over max: -EINVAL");
	mk(req, 1, 16, 9);
	CHECK(svc_validate(&t, req, 9, &op) == 1, "within bounds: index 1");
	mk(req, 1, 1, 0);
	CHECK(svc_validate(&t, req, 24, &op) == 2,
	    "unframed op ignores the length field");
	CHECK(svc_validate(&t, req, 23, &op) == -EINVAL,
	    "unframed op still checks the received length");

	called = 0;
	mk(req, 9, 0, 8);
	n = svc_handle(&t, NULL, req, 8, resp, sizeof(resp));
	CHECK(n == 16 && h->status == -EPROTO && h->version == 1 &&
	    h->length == 16 && called == 0, "bad version: error reply, no handler");
	mk(req, 1, 0, 8);
	n = svc_handle(&t, NULL, req, 8, resp, sizeof(resp));
	CHECK(n == 16 && h->status == 0 && h->op == 0 && h->length == 16 &&
	    called == 1, "ping answered");
	mk(req, 1, 16, 12);
	n = svc_handle(&t, NULL, req, 12, resp, sizeof(resp));
	CHECK(n == 16 && h->status == -ENOENT && h->op == 16 && called == 2,
	    "handler error becomes the status");
	mk(req, 1, 1234, 8);
	n = svc_handle(&t, NULL, req, 8, resp, sizeof(resp));
	CHECK(n == 16 && h->status == -EOPNOTSUPP && h->op == 1234,
	    "unknown op reply names the op");
	mk(req, 1, 1, 0);
	n = svc_handle(&t, NULL, req, 20, resp, sizeof(resp));
	CHECK(n == 24 && h->status == -EINVAL && h->op == 1 && h->length == 0,
	    "known op, bad length: error in the op's reply shape");
	memset(resp, 0xaa, sizeof(resp));
	mk(req, 1, 1, 0);
	n = svc_error_reply(resp, sizeof(resp), 1, 1, -EIO, 24, 0);
	CHECK(n == 24 && h->status == -EIO && h->length == 0 && resp[23] == 0,
	    "unframed error reply: zeroed, no length field");
	n = svc_error_reply(resp, 10, 1, 1, -EIO, 24, 1);
	CHECK(n == 10, "error reply clipped to capacity");

	n = svc_log_format(line, sizeof(line), 3, 1500, "info",
	    "services/vfsd/vfsd.c", 42, 7, 8, "a \"quoted\"\nline");
	CHECK(strcmp(line, "seq=3 ts_us=1500 tick=0 lvl=info cat=service "
	    "mod=vfsd.c line=42 pid=7 tid=8 msg=\"a \\\"quoted\\\"?line\"\n") == 0
	    && n == strlen(line), "log line format and escaping: %s", line);
	n = svc_log_format(line, 40, 1, 1, "warn", "x.c", 1, 1, 1,
	    "a long message that cannot fit");
	CHECK(n < 40 && line[n] == '\0' && line[n - 1] == '\n',
	    "log line truncated but terminated");
	return tap_done();
}
