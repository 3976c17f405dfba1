/*
 * ipcbench.c -- RustOS-native IPC round-trip benchmark: IPC_CALL/IPC_REPLY
 * between this process and a running service (PING on procd by default;
 * `ipcbench ITERS [SERVICE_ID]`), timed with CLOCK_MONOTONIC.  Prints
 * "BENCH ipc_roundtrip iters=N min_ns=X med_ns=Y".  The server side is an
 * existing service because fork is not available yet.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rustos/ipc.h>
#include <rustos/service.h>
#include <rustos/syscalls.h>

#define DEFAULT_ITERS	2000
#define MAX_ITERS	100000

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int
main(int argc, char **argv)
{
	struct rustos_service_request_header q = {
		RUSTOS_SERVICE_PROTOCOL_VERSION, RUSTOS_SERVICE_OP_PING, 8 };
	struct rustos_service_reply_header r;
	unsigned long iters = DEFAULT_ITERS, sid = IPC_SERVICE_PROCD, i;
	uint64_t *t, t0;
	char *end;
	long ep, n;

	if (argc > 1) {
		iters = strtoul(argv[1], &end, 10);
		if (*end != '\0' || iters == 0 || iters > MAX_ITERS) {
			fprintf(stderr, "ipcbench: iterations must be 1..%d\n",
			    MAX_ITERS);
			return 2;
		}
	}
	if (argc > 2) {
		sid = strtoul(argv[2], &end, 10);
		if (*end != '\0' || sid == 0 || sid > IPC_SERVICE_ID_MAX) {
			fprintf(stderr, "ipcbench: bad service id\n");
			return 2;
		}
	}
	ep = rustos_ipc_lookup_service((uint32_t)sid, 1000);
	if (ep <= 0) {
		rustos_debug_puts("BENCH ipc_roundtrip error=no-server\n");
		return 1;
	}
	t = calloc(iters, sizeof(*t));
	if (t == NULL)
		return 1;
	for (i = 0; i < iters; i++) {
		t0 = now_ns();
		n = rustos_sys_ipc_call((uint64_t)ep, &q, sizeof(q), &r, sizeof(r));
		t[i] = now_ns() - t0;
		if (n < (long)sizeof(r) || r.status != 0) {
			char msg[96];

			snprintf(msg, sizeof(msg),
			    "BENCH ipc_roundtrip error=call-failed rc=%ld\n", n);
			rustos_debug_puts(msg);
			return 1;
		}
	}
	qsort(t, iters, sizeof(*t), cmp_u64);
	{
		char msg[128];

		snprintf(msg, sizeof(msg),
		    "BENCH ipc_roundtrip iters=%lu min_ns=%llu med_ns=%llu\n",
		    iters, (unsigned long long)t[0],
		    (unsigned long long)t[iters / 2]);
		/* The console mirrors to debugcon: print once, there. */
		rustos_debug_puts(msg);
	}
	free(t);
	return 0;
}
