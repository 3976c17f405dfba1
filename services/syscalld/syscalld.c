/*
 * syscalld.c -- Linux syscall offload policy (IPC_SERVICE_SYSCALLD): the
 * kernel forwards a generic process's brk/mmap/munmap/mprotect (and the
 * credential queries) here; syscalld checks them (page alignment, limits,
 * prot and flag sets, per-process break bookkeeping) and asks the MM broker
 * for the PTE change in the target; get*id/set*id answer from syscalld's
 * credentials DB (creds.c).  Conventions: rustos/bootstrap_services.h.
 */
#include <errno.h>
#include <string.h>

#include <rustos/bootstrap_services.h>
#include <rustos/ipc.h>
#include <rustos/mm_broker.h>
#include <rustos/offload.h>
#include <rustos/syscalls.h>

#include "services/common/svc.h"
#include "services/syscalld/creds.h"
#include "services/syscalld/policy.h"

#define NR_MMAP		9
#define NR_MPROTECT	10
#define NR_MUNMAP	11
#define NR_BRK		12
#define NR_GETUID	102
#define NR_GETGID	104
#define NR_SETUID	105
#define NR_SETGID	106
#define NR_GETEUID	107
#define NR_GETEGID	108
#define NR_SETREUID	113
#define NR_SETREGID	114

#define MAX_PROCS	256

struct proc_brk {
	uint64_t	pid;
	uint64_t	start;
	uint64_t	cur;
};

static struct proc_brk brks[MAX_PROCS];
static struct creds_db creds;

static long
mm(uint32_t op, uint64_t pid, uint64_t addr, uint64_t len, uint32_t prot,
    uint32_t flags, void *out, uint64_t out_len)
{
	struct rustos_mm_broker_args a;

	memset(&a, 0, sizeof(a));
	a.version = MM_BROKER_ABI_VERSION;
	a.op = op;
	a.pid = pid;
	a.addr = addr;
	a.len = len;
	a.prot = prot;
	a.flags = flags;
	a.fd = -1;
	a.out_ptr = (uint64_t)(uintptr_t)out;
	a.out_len = out_len;
	return rustos_sys_mm_broker(&a);
}

static struct proc_brk *
brk_state(uint64_t pid)
{
	struct rustos_mm_layout lay;
	struct proc_brk *free_slot = NULL;
	size_t i;
	long r;

	for (i = 0; i < MAX_PROCS; i++) {
		if (brks[i].pid == pid)
			return &brks[i];
		if (brks[i].pid == 0 && free_slot == NULL)
			free_slot = &brks[i];
	}
	memset(&lay, 0, sizeof(lay));
	r = mm(MM_BROKER_OP_QUERY_LAYOUT, pid, 0, 0, 0, 0, &lay, sizeof(lay));
	if (r < 0 || lay.brk_start == 0)
		return NULL;
	if (free_slot == NULL)
		/* Table full: reuse the first slot (its process may be gone). */
		free_slot = &brks[pid % MAX_PROCS];
	free_slot->pid = pid;
	free_slot->start = lay.brk_start;
	free_slot->cur = lay.brk_current >= lay.brk_start ? lay.brk_current :
	    lay.brk_start;
	return free_slot;
}

static long
do_brk(const struct rustos_linux_syscall_offload_request *q, uint64_t *res)
{
	struct proc_brk *b;
	struct brk_plan p;
	long r;

	b = brk_state(q->pid);
	if (b == NULL)
		return -ENOMEM;
	*res = b->cur;
	if (syscalld_plan_brk(b->start, b->cur, q->arg0, SYSCALLD_BRK_LIMIT,
	    &p) < 0)
		return 0;	/* refused: answer the unchanged break */
	if (p.map_len != 0) {
		r = mm(MM_BROKER_OP_MAP_ANON, q->pid, p.map_addr, p.map_len,
		    SYSCALLD_PROT_READ | SYSCALLD_PROT_WRITE,
		    SYSCALLD_MAP_PRIVATE | SYSCALLD_MAP_ANONYMOUS |
		    SYSCALLD_MAP_FIXED, NULL, 0);
		if (r < 0)
			return 0;
	}
	if (p.unmap_len != 0)
		(void)mm(MM_BROKER_OP_UNMAP, q->pid, p.unmap_addr, p.unmap_len,
		    0, 0, NULL, 0);
	b->cur = q->arg0;
	*res = b->cur;
	return 0;
}

static long
do_mmap(const struct rustos_linux_syscall_offload_request *q, uint64_t *res)
{
	uint64_t out = 0, len;
	long r;

	r = syscalld_check_mmap(q->arg0, q->arg1, (uint32_t)q->arg2,
	    (uint32_t)q->arg3, (int64_t)q->dirfd, q->flags, &len);
	if (r < 0)
		return r;
	r = mm(MM_BROKER_OP_MAP_ANON, q->pid, q->arg0, len, (uint32_t)q->arg2,
	    (uint32_t)q->arg3, &out, sizeof(out));
	if (r < 0)
		return r;
	/* The broker returns the address; out_ptr carries it as well. */
	*res = r > 0 ? (uint64_t)r : out;
	return *res != 0 ? 0 : -ENOMEM;
}

static long
do_munmap(const struct rustos_linux_syscall_offload_request *q)
{
	uint64_t len;
	long r;

	r = syscalld_check_range(q->arg0, q->arg1, &len);
	if (r < 0)
		return r;
	r = mm(MM_BROKER_OP_UNMAP, q->pid, q->arg0, len, 0, 0, NULL, 0);
	return r < 0 ? r : 0;
}

static long
do_mprotect(const struct rustos_linux_syscall_offload_request *q)
{
	uint64_t len;
	long r;

	r = syscalld_check_range(q->arg0, q->arg1, &len);
	if (r < 0)
		return r;
	if (syscalld_check_prot((uint32_t)q->arg2) < 0)
		return -EINVAL;
	r = mm(MM_BROKER_OP_PROTECT, q->pid, q->arg0, len, (uint32_t)q->arg2,
	    0, NULL, 0);
	return r < 0 ? r : 0;
}

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
	switch (q->op) {
	case NR_BRK:
		r = do_brk(q, &res);
		break;
	case NR_MMAP:
		r = do_mmap(q, &res);
		break;
	case NR_MUNMAP:
		r = do_munmap(q);
		break;
	case NR_MPROTECT:
		r = do_mprotect(q);
		break;
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
	OFFLOAD_OP(NR_MMAP),
	OFFLOAD_OP(NR_MPROTECT),
	OFFLOAD_OP(NR_MUNMAP),
	OFFLOAD_OP(NR_BRK),
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
