/*
 * syscalld.c -- Linux syscall offload policy (IPC_SERVICE_SYSCALLD): the
 * kernel forwards a generic process's brk/mmap/munmap/mprotect (and the
 * credential queries) here; syscalld checks them (page alignment, limits,
 * prot and flag sets, per-process break bookkeeping) and asks the MM broker
 * for the PTE change in the target; get*id/set*id, groups and resource
 * limits answer from syscalld's per-process DB (creds.c), uname and
 * getrandom from sysinfo.c.  Conventions: rustos/bootstrap_services.h.
 */
#include <errno.h>
#include <string.h>
#include <sys/auxv.h>

#include <rustos/bootstrap_services.h>
#include <rustos/ipc.h>
#include <rustos/mm_broker.h>
#include <rustos/offload.h>
#include <rustos/syscalls.h>

#include "services/common/svc.h"
#include "services/syscalld/creds.h"
#include "services/syscalld/policy.h"
#include "services/syscalld/sysinfo.h"

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
#define NR_FORK		57
#define NR_UNAME	63
#define NR_GETGROUPS	115
#define NR_SETGROUPS	116
#define NR_SETRESUID	117
#define NR_GETRESUID	118
#define NR_SETRESGID	119
#define NR_GETRESGID	120
#define NR_PRLIMIT64	302
#define NR_GETRANDOM	318

#define MAX_PROCS	256

struct proc_brk {
	uint64_t	pid;
	uint64_t	start;
	uint64_t	cur;
};

static struct proc_brk brks[MAX_PROCS];
static struct creds_db creds;
static struct sysinfo_rng rng;

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

/* Does pid name a live process?  (The MM broker answers -ESRCH if not.) */
static int
pid_alive(uint64_t pid)
{
	struct rustos_mm_layout lay;

	return mm(MM_BROKER_OP_QUERY_LAYOUT, pid, 0, 0, 0, 0, &lay,
	    sizeof(lay)) >= 0;
}

/*
 * The caller's entry: seeded from its parent's when it inherited one at
 * fork and the fork note is still on its way, else from the kernel view.
 */
static struct creds *
caller_creds(const struct rustos_linux_syscall_offload_request *q)
{
	if ((q->flags & SYSCALLD_FLAG_INHERIT) &&
	    creds_find(&creds, q->pid) == NULL)
		(void)creds_fork(&creds, q->parent_pid, q->pid);
	return creds_get(&creds, q->pid, q->uid, q->gid, q->euid, q->egid);
}

static void
put_ids(struct rustos_linux_syscall_offload_response *o, uint32_t a,
    uint32_t b, uint32_t c)
{
	uint32_t v[3] = { a, b, c };

	memcpy(o->payload, v, sizeof(v));
	o->payload_len = sizeof(v);
}

/* Credentials come from syscalld's DB, seeded by the kernel's view. */
static long
do_creds(const struct rustos_linux_syscall_offload_request *q,
    struct rustos_linux_syscall_offload_response *o, uint64_t *res)
{
	uint32_t g[SYSCALLD_NGROUPS_MAX];
	struct creds *c;

	if ((c = caller_creds(q)) == NULL)
		return -ENOMEM;
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
	case NR_SETRESUID:
		return creds_setresuid(c, (uint32_t)q->arg0, (uint32_t)q->arg1,
		    (uint32_t)q->arg2);
	case NR_SETRESGID:
		return creds_setresgid(c, (uint32_t)q->arg0, (uint32_t)q->arg1,
		    (uint32_t)q->arg2);
	case NR_GETRESUID:
		put_ids(o, c->ruid, c->euid, c->suid);
		return 1;
	case NR_GETRESGID:
		put_ids(o, c->rgid, c->egid, c->sgid);
		return 1;
	case NR_GETGROUPS:
		memcpy(o->payload, &c->ngroups, 4);
		memcpy(o->payload + 4, c->groups, c->ngroups * 4);
		o->payload_len = 4 + c->ngroups * 4;
		return 1;
	case NR_SETGROUPS:
		if (q->arg0 > SYSCALLD_NGROUPS_MAX ||
		    q->path_len != q->arg0 * 4)
			return -EINVAL;
		memcpy(g, q->path, q->path_len);
		return creds_setgroups(c, g, (uint32_t)q->arg0);
	}
	return -ENOSYS;
}

/* prlimit64 (getrlimit/setrlimit arrive as prlimit64 on pid 0). */
static long
do_prlimit(const struct rustos_linux_syscall_offload_request *q,
    struct rustos_linux_syscall_offload_response *o)
{
	struct rustos_syscalld_rlimit_reply rr;
	struct creds *c, *t;
	uint64_t old[2], lim[2];
	uint64_t target;
	long r;

	if ((c = caller_creds(q)) == NULL)
		return -ENOMEM;
	if (q->arg1 >= CREDS_RLIM_NLIMITS)
		return -EINVAL;
	target = q->arg0 == 0 ? q->pid : q->arg0;
	if (target > 0x7fffffff)
		return -ESRCH;
	if (target == q->pid) {
		t = c;
	} else {
		if (!pid_alive(target))
			return -ESRCH;
		/* A process we have not seen yet has the default entry. */
		if ((t = creds_get(&creds, target, 0, 0, 0, 0)) == NULL)
			return -ENOMEM;
		if (!creds_may_prlimit(c, t))
			return -EPERM;
	}
	if ((r = creds_getrlimit(t, (uint32_t)q->arg1, old)) < 0)
		return r;
	if (q->flags & SYSCALLD_FLAG_NEW) {
		lim[0] = q->arg2;
		lim[1] = q->arg3;
		/* The caller's euid decides, as in Linux. */
		if ((r = creds_setrlimit(t, (uint32_t)q->arg1, lim,
		    c->euid == 0)) < 0)
			return r;
	}
	memset(&rr, 0, sizeof(rr));
	rr.old_cur = old[0];
	rr.old_max = old[1];
	rr.target_pid = target;
	rr.nofile_cur = t->rlim[CREDS_RLIMIT_NOFILE][0];
	rr.stack_cur = t->rlim[CREDS_RLIMIT_STACK][0];
	memcpy(o->payload, &rr, sizeof(rr));
	o->payload_len = sizeof(rr);
	return 1;
}

/* The fork note: only the kernel may send it (it names two pids). */
static long
do_fork_note(const struct rustos_linux_syscall_offload_request *q)
{
	if (!svc_kernel_forwarded)
		return -EPERM;
	return creds_fork(&creds, q->pid, q->arg0);
}

static long
do_getrandom(const struct rustos_linux_syscall_offload_request *q,
    struct rustos_linux_syscall_offload_response *o)
{
	uint32_t lo, hi;
	long r;

	if ((r = sysinfo_check_grnd((uint32_t)q->arg1)) < 0)
		return r;
	if (q->arg0 > SYSCALL_OFFLOAD_PAYLOAD_MAX)
		return -EINVAL;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	sysinfo_rng_draw(&rng, (uint64_t)hi << 32 | lo, o->payload,
	    (size_t)q->arg0);
	o->payload_len = (uint32_t)q->arg0;
	return 1;
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
	case NR_SETRESUID:
	case NR_SETRESGID:
	case NR_GETRESUID:
	case NR_GETRESGID:
	case NR_GETGROUPS:
	case NR_SETGROUPS:
		r = do_creds(q, o, &res);
		break;
	case NR_PRLIMIT64:
		r = do_prlimit(q, o);
		break;
	case NR_FORK:
		r = do_fork_note(q);
		break;
	case NR_UNAME:
		sysinfo_uname(o->payload);
		o->payload_len = SYSINFO_UTS_SIZE;
		r = 1;
		break;
	case NR_GETRANDOM:
		r = do_getrandom(q, o);
		break;
	default:
		r = -ENOSYS;
	}
	if (r < 0)
		return r;
	o->status = 0;
	/* r == 1: the handler filled a payload of its own. */
	if (r == 0) {
		o->payload_len = 8;
		memcpy(o->payload, &res, 8);
	}
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
	OFFLOAD_OP(NR_SETRESUID),
	OFFLOAD_OP(NR_SETRESGID),
	OFFLOAD_OP(NR_GETRESUID),
	OFFLOAD_OP(NR_GETRESGID),
	OFFLOAD_OP(NR_GETGROUPS),
	OFFLOAD_OP(NR_SETGROUPS),
	OFFLOAD_OP(NR_PRLIMIT64),
	OFFLOAD_OP(NR_FORK),
	OFFLOAD_OP(NR_UNAME),
	OFFLOAD_OP(NR_GETRANDOM),
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
	const void *at_random = (const void *)getauxval(AT_RANDOM);
	uint32_t lo, hi;

	svc_parse_args(argc, argv);
	/* The kernel's 16 AT_RANDOM bytes and the TSC seed getrandom. */
	if (at_random != NULL)
		sysinfo_rng_seed(&rng, at_random, 16);
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	sysinfo_rng_draw(&rng, (uint64_t)hi << 32 | lo, &lo, sizeof(lo));
	creds.alive = pid_alive;
	return svc_serve(&table, NULL, NULL, ready) < 0 ? 1 : 0;
}
