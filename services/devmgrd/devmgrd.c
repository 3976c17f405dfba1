/*
 * devmgrd.c -- device policy service (IPC_SERVICE_DEVMGRD): the /dev
 * registry.  This issue brings PING and LOOKUP on a static registry;
 * open/ioctl authorisation arrives with the devices issue.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <rustos/bootstrap_services.h>
#include <rustos/ipc.h>

#include "services/common/svc.h"

static const struct rustos_devmgrd_device registry[] = {
	{ 5, 1, S_IFCHR | 0620, 0, "console" },
	{ 1, 3, S_IFCHR | 0666, 0, "null" },
	{ 1, 5, S_IFCHR | 0666, 0, "zero" },
	{ 1, 9, S_IFCHR | 0666, 0, "urandom" },
};

static long
h_ping(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	return svc_status_reply(resp, cap, RUSTOS_SERVICE_OP_PING, 0);
}

static long
h_lookup(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const size_t hl = sizeof(struct rustos_service_request_header);
	const size_t rl = sizeof(struct rustos_service_reply_header);
	const char *name = (const char *)req + hl;
	size_t n = len - hl, i;

	if (memchr(name, '\0', n) != NULL)
		return -EINVAL;
	for (i = 0; i < sizeof(registry) / sizeof(registry[0]); i++)
		if (strlen(registry[i].name) == n &&
		    memcmp(registry[i].name, name, n) == 0) {
			memcpy((unsigned char *)resp + rl, &registry[i],
			    sizeof(registry[i]));
			return (long)(rl + sizeof(registry[i]));
		}
	return -ENOENT;
}

static const struct svc_op ops[] = {
	{ RUSTOS_SERVICE_OP_PING, 1, 8, 8, 16, h_ping, 0 },
	{ DEVMGRD_OP_LOOKUP, 1, 9, 8 + DEVMGRD_NAME_MAX, 16, h_lookup, 0 },
};

static const struct svc_table table = {
	"devmgrd", IPC_SERVICE_DEVMGRD, RUSTOS_SERVICE_PROTOCOL_VERSION,
	ops, sizeof(ops) / sizeof(ops[0]),
	0	/* requests act for no other pid */
};

int
main(int argc, char **argv)
{
	svc_parse_args(argc, argv);
	return svc_serve(&table, NULL, "devmgrd: device policy endpoint registered",
	    NULL) < 0 ? 1 : 0;
}
