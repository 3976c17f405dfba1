/*
 * syscalld.c -- Linux syscall offload policy (IPC_SERVICE_SYSCALLD): the
 * kernel forwards a generic process's memory calls (brk, mmap, munmap,
 * mprotect, mremap, madvise, memfd_create: mm.c checks them and asks the
 * MM broker for the change in the target) and the credential queries
 * here; get*id/set*id answer from syscalld's credentials DB (creds.c).  Conventions: rustos/bootstrap_services.h.
 */
#include <errno.h>
#include <string.h>

#include <rustos/bootstrap_services.h>
#include <rustos/ipc.h>
#include <rustos/offload.h>
#include <rustos/syscalls.h>

#include "services/common/svc.h"
#include "services/syscalld/creds.h"
#include "services/syscalld/mm.h"

#define NR_GETUID	102
#define NR_GETGID	104
#define NR_SETUID	105
#define NR_SETGID	106
#define NR_GETEUID	107
#define NR_GETEGID	108
#define NR_SETREUID	113
#define NR_SETREGID	114

static struct creds_db creds;

/* Credentials come from syscalld's DB, seeded by the kernel's view. */
static long
do_creds(const struct rustos_linux_syscall_offload_request *q, uint64_t *res)
{
	struct creds *c;

	c = creds_get(&creds, q->pid, q->uid, q->gid, q->euid, q->egid);
	if (c == NULL)
		return -EINVAL;
	*res = 0;
	switch (q->op) {
	case NR_GETUID:
		*res = c->ruid;
		return 0;
	case NR_GETEUID:
		*res = c->euid;
		return 0;
	case NR_GETGID:
		*res = c->rgid;
		return 0;
	case NR_GETEGID:
		*res = c->egid;
		return 0;
	case NR_SETUID:
		return creds_setuid(c, (uint32_t)q->arg0);
	case NR_SETGID:
		return creds_setgid(c, (uint32_t)q->arg0);
	case NR_SETREUID:
		return creds_setreuid(c, (uint32_t)q->arg0, (uint32_t)q->arg1);
	case NR_SETREGID:
		return creds_setregid(c, (uint32_t)q->arg0, (uint32_t)q->arg1);
	}
	return -ENOSYS;
}

static long
h_offload(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_linux_syscall_offload_request *q = req;
	struct rustos_linux_syscall_offload_response *o = resp;
	uint64_t res = 0;
	long r;

	if (q->pid == 0 || q->path_len > SYSCALL_OFFLOAD_PATH_MAX)
		return -EINVAL;
	if (syscalld_mm_op(q->op))
		r = syscalld_mm_call(q, &res);
	else switch (q->op) {
	case NR_GETUID:
	case NR_GETEUID:
	case NR_GETGID:
	case NR_GETEGID:
	case NR_SETUID:
	case NR_SETGID:
	case NR_SETREUID:
	case NR_SETREGID:
		r = do_creds(q, &res);
		break;
	default:
		r = -ENOSYS;
	}
	if (r < 0)
		return r;
	o->status = 0;
	o->payload_len = 8;
	memcpy(o->payload, &res, 8);
	return (long)sizeof(*o);
}

static long
h_ping(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	return svc_status_reply(resp, cap, RUSTOS_SERVICE_OP_PING, 0);
}

#define OFFLOAD_OP(nr) { (nr), 0, \
	sizeof(struct rustos_linux_syscall_offload_request), \
	sizeof(struct rustos_linux_syscall_offload_request), \
	sizeof(struct rustos_linux_syscall_offload_response), h_offload, 0 }

static const struct svc_op ops[] = {
	{ RUSTOS_SERVICE_OP_PING, 1, 8, 8, 16, h_ping, 0 },
	OFFLOAD_OP(SYSCALLD_NR_MMAP),
	OFFLOAD_OP(SYSCALLD_NR_MPROTECT),
	OFFLOAD_OP(SYSCALLD_NR_MUNMAP),
	OFFLOAD_OP(SYSCALLD_NR_BRK),
	OFFLOAD_OP(SYSCALLD_NR_MREMAP),
	OFFLOAD_OP(SYSCALLD_NR_MADVISE),
	OFFLOAD_OP(SYSCALLD_NR_MEMFD_CREATE),
	OFFLOAD_OP(NR_GETUID),
	OFFLOAD_OP(NR_GETGID),
	OFFLOAD_OP(NR_GETEUID),
	OFFLOAD_OP(NR_GETEGID),
	OFFLOAD_OP(NR_SETUID),
	OFFLOAD_OP(NR_SETGID),
	OFFLOAD_OP(NR_SETREUID),
	OFFLOAD_OP(NR_SETREGID),
};

static const struct svc_table table = {
	"syscalld", IPC_SERVICE_SYSCALLD, SYSCALL_OFFLOAD_ABI_VERSION,
	ops, sizeof(ops) / sizeof(ops[0]),
	offsetof(struct rustos_linux_syscall_offload_request, pid)
};

static void
ready(void *ctx, uint64_t ep)
{
	long r;

	(void)ctx;
	/* The same endpoint is the kernel's Linux offload target. */
	r = rustos_sys_ipc_register_linux_syscall_endpoint(ep);
	if (r < 0)
		svc_log(SVC_LOG_ERROR, "offload endpoint registration: %ld", r);
}

int
main(int argc, char **argv)
{
	svc_parse_args(argc, argv);
	return svc_serve(&table, NULL, NULL, ready) < 0 ? 1 : 0;
}
