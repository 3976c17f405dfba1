/*
 * storaged.c -- storage inventory policy (IPC_SERVICE_STORAGED): PING and
 * LIST, which passes the kernel's storage descriptors through
 * (SYS_RUSTOS_STORAGE_LIST_BROKER, gated by STORAGE_POLICY), and prints the
 * inventory once after registering.
 */
#include <errno.h>
#include <string.h>

#include <rustos/block_broker.h>
#include <rustos/bootstrap_services.h>
#include <rustos/ipc.h>
#include <rustos/syscalls.h>

#include "services/common/svc.h"

static unsigned char list_buf[STORAGED_LIST_MAX];

static long
h_ping(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	return svc_status_reply(resp, cap, RUSTOS_SERVICE_OP_PING, 0);
}

static long
h_list(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const size_t rl = sizeof(struct rustos_service_reply_header);
	uint32_t count, bytes = sizeof(list_buf);
	long r;

	memset(list_buf, 0, sizeof(list_buf));
	r = rustos_sys_storage_list_broker(list_buf, sizeof(list_buf));
	if (r < 0)
		return r;
	count = (uint32_t)r;
	memcpy((unsigned char *)resp + rl, &count, 4);
	memcpy((unsigned char *)resp + rl + 4, &bytes, 4);
	memcpy((unsigned char *)resp + rl + 8, list_buf, bytes);
	return (long)(rl + 8 + bytes);
}

static const struct svc_op ops[] = {
	{ RUSTOS_SERVICE_OP_PING, 1, 8, 8, 16, h_ping, 0 },
	{ STORAGED_OP_LIST, 1, 8, 8, 16, h_list, 0 },
};

static const struct svc_table table = {
	"storaged", IPC_SERVICE_STORAGED, RUSTOS_SERVICE_PROTOCOL_VERSION,
	ops, sizeof(ops) / sizeof(ops[0]),
	0	/* requests act for no other pid */
};

/*
 * After registering (the broker is gated by STORAGE_POLICY), print the
 * inventory once: "storaged: disk <id> bus=<n> sectors=<n> size=<n>
 * flags=0x<n> model=<model>" per device, then "storaged: <n> storage
 * device(s)".
 */
static void
ready(void *ctx, uint64_t ep)
{
	const struct rustos_storage_descriptor *d;
	char model[sizeof(d->model) + 1];
	long r, i;

	(void)ctx;
	(void)ep;
	memset(list_buf, 0, sizeof(list_buf));
	r = rustos_sys_storage_list_broker(list_buf, sizeof(list_buf));
	if (r < 0) {
		svc_marker("storaged: storage list failed: %ld", r);
		return;
	}
	for (i = 0; i < r && (size_t)(i + 1) * sizeof(*d) <= sizeof(list_buf);
	    i++) {
		d = (const struct rustos_storage_descriptor *)(void *)
		    (list_buf + (size_t)i * sizeof(*d));
		memcpy(model, d->model, sizeof(d->model));
		model[sizeof(d->model)] = '\0';
		svc_marker("storaged: disk %llu bus=%u sectors=%llu "
		    "sector_size=%u flags=0x%x model=%s",
		    (unsigned long long)d->device_id, d->bus,
		    (unsigned long long)d->sector_count, d->sector_size,
		    d->flags, model);
	}
	svc_marker("storaged: %ld storage device(s)", r);
}

int
main(int argc, char **argv)
{
	svc_parse_args(argc, argv);
	return svc_serve(&table, NULL, "storaged: storage policy endpoint registered",
	    ready) < 0 ? 1 : 0;
}
