/*
 * syscalld.c -- Linux syscall offload policy (IPC_SERVICE_SYSCALLD): the
 * kernel forwards a generic process's memory calls (brk, mmap, munmap,
 * mprotect, mremap, madvise, memfd_create: mm.c checks them and asks the
 * MM broker for the change in the target) and the credential queries
 * here; get*id/set*id, groups and resource
 * limits answer from syscalld's per-process DB (creds.c), uname and
 * getrandom from sysinfo.c.  Conventions: rustos/bootstrap_services.h.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>

#include <rustos/bootstrap_services.h>
#include <rustos/ipc.h>
#include <rustos/offload.h>
#include <rustos/syscalls.h>
#include <rustos/vfs.h>

#include "services/common/svc.h"
#include "services/syscalld/creds.h"
#include "services/syscalld/mm.h"
#include "services/syscalld/sysinfo.h"

#define NR_GETUID	102
#define NR_GETGID	104
#define NR_SETUID	105
#define NR_SETGID	106
#define NR_GETEUID	107
#define NR_GETEGID	108
#define NR_SETREUID	113
#define NR_SETREGID	114
#define NR_FORK		57
#define NR_KILL		62
#define NR_UNAME	63
#define NR_GETGROUPS	115
#define NR_SETGROUPS	116
#define NR_SETRESUID	117
#define NR_GETRESUID	118
#define NR_SETRESGID	119
#define NR_GETRESGID	120
#define NR_SETFSUID	122
#define NR_SETFSGID	123
#define NR_PRLIMIT64	302
#define NR_GETRANDOM	318

static struct creds_db creds;
static struct sysinfo_rng rng;

/* Does pid name a live process?  (The MM broker answers -ESRCH if not.) */
static int
pid_alive(uint64_t pid)
{
	return syscalld_mm_pid_alive(pid);
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

/*
 * Tell vfsd the new credentials of c's process (VFS_IPC_OP_CREDS) before
 * the set*id call returns, so its very next file request is judged by
 * them (fs ids included: setfsuid/setfsgid).  No vfsd registered:
 * nothing judges files, 0.  Else vfsd's status.
 */
static long
push_vfsd(const struct creds *c)
{
	static struct rustos_vfs_ipc_request rq;
	static struct rustos_vfs_ipc_response rs;
	struct rustos_vfs_creds v;
	long ep, n;

	if ((ep = rustos_ipc_lookup_service(IPC_SERVICE_VFSD, 1)) <= 0)
		return 0;
	memset(&v, 0, sizeof(v));
	v.ruid = c->ruid;
	v.euid = c->euid;
	v.suid = c->suid;
	v.fsuid = c->fsuid;
	v.rgid = c->rgid;
	v.egid = c->egid;
	v.sgid = c->sgid;
	v.fsgid = c->fsgid;
	v.ngroups = c->ngroups;
	memcpy(v.groups, c->groups, c->ngroups * sizeof(v.groups[0]));
	memset(&rq, 0, sizeof(rq));
	rq.version = VFS_IPC_ABI_VERSION;
	rq.op = VFS_IPC_OP_CREDS;
	rq.pid = (uint64_t)getpid();	/* our own: vfsd checks our caps */
	rq.tid = rq.pid;
	rq.arg0 = c->pid;
	rq.payload_len = sizeof(v);
	memcpy(rq.payload, &v, sizeof(v));
	memset(&rs, 0, sizeof(rs));
	n = rustos_sys_ipc_call((uint64_t)ep, &rq, sizeof(rq), &rs,
	    sizeof(rs));
	if (n < 0)
		return n;
	if ((size_t)n < 8)
		return -EIO;
	return rs.status < 0 ? rs.status : 0;
}

/*
 * A set*id/setgroups op on c: apply it, and when the ids changed push
 * them to vfsd; if vfsd refuses, the old ids come back and the call
 * fails (-EAGAIN), so syscalld and vfsd never disagree.
 */
static long
set_and_push(struct creds *c, long r, const struct creds *old)
{
	long p;

	if (r < 0 || memcmp(old, c, sizeof(*c)) == 0)
		return r;
	if ((p = push_vfsd(c)) < 0) {
		svc_log(SVC_LOG_WARN, "creds of pid %llu: vfsd refused (%ld)",
		    (unsigned long long)c->pid, p);
		*c = *old;
		return -EAGAIN;
	}
	return r;
}

/* Credentials come from syscalld's DB, seeded by the kernel's view. */
static long
do_creds(const struct rustos_linux_syscall_offload_request *q,
    struct rustos_linux_syscall_offload_response *o, uint64_t *res)
{
	uint32_t g[SYSCALLD_NGROUPS_MAX];
	struct creds *c, old;

	if ((c = caller_creds(q)) == NULL)
		return -ENOMEM;
	*res = 0;
	old = *c;
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
		return set_and_push(c, creds_setuid(c, (uint32_t)q->arg0),
		    &old);
	case NR_SETGID:
		return set_and_push(c, creds_setgid(c, (uint32_t)q->arg0),
		    &old);
	case NR_SETREUID:
		return set_and_push(c, creds_setreuid(c, (uint32_t)q->arg0,
		    (uint32_t)q->arg1), &old);
	case NR_SETREGID:
		return set_and_push(c, creds_setregid(c, (uint32_t)q->arg0,
		    (uint32_t)q->arg1), &old);
	case NR_SETRESUID:
		return set_and_push(c, creds_setresuid(c, (uint32_t)q->arg0,
		    (uint32_t)q->arg1, (uint32_t)q->arg2), &old);
	case NR_SETRESGID:
		return set_and_push(c, creds_setresgid(c, (uint32_t)q->arg0,
		    (uint32_t)q->arg1, (uint32_t)q->arg2), &old);
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
	case NR_SETFSUID:
		*res = creds_setfsuid(c, (uint32_t)q->arg0);
		return set_and_push(c, 0, &old);
	case NR_SETFSGID:
		*res = creds_setfsgid(c, (uint32_t)q->arg0);
		return set_and_push(c, 0, &old);
	case NR_SETGROUPS:
		if (q->arg0 > SYSCALLD_NGROUPS_MAX ||
		    q->path_len != q->arg0 * 4)
			return -EINVAL;
		memcpy(g, q->path, q->path_len);
		return set_and_push(c, creds_setgroups(c, g,
		    (uint32_t)q->arg0), &old);
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

/*
 * procd's uid rule of kill(2): the ids of arg0 (public, as in Linux's
 * /proc/<pid>/status).  No entry: the process never changed its ids.
 */
static long
do_kill_creds(const struct rustos_linux_syscall_offload_request *q,
    struct rustos_linux_syscall_offload_response *o)
{
	const struct creds *c;

	if (q->arg0 == 0 || q->arg0 > 0x7fffffff)
		return -EINVAL;
	if ((c = creds_find(&creds, q->arg0)) == NULL)
		put_ids(o, 0, 0, 0);
	else
		put_ids(o, c->ruid, c->euid, c->suid);
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
	case NR_SETRESUID:
	case NR_SETRESGID:
	case NR_GETRESUID:
	case NR_GETRESGID:
	case NR_GETGROUPS:
	case NR_SETGROUPS:
	case NR_SETFSUID:
	case NR_SETFSGID:
		r = do_creds(q, o, &res);
		break;
	case NR_PRLIMIT64:
		r = do_prlimit(q, o);
		break;
	case NR_FORK:
		r = do_fork_note(q);
		break;
	case NR_KILL:
		r = do_kill_creds(q, o);
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
	OFFLOAD_OP(SYSCALLD_NR_MMAP),
	OFFLOAD_OP(SYSCALLD_NR_MPROTECT),
	OFFLOAD_OP(SYSCALLD_NR_MUNMAP),
	OFFLOAD_OP(SYSCALLD_NR_BRK),
	OFFLOAD_OP(SYSCALLD_NR_MREMAP),
	OFFLOAD_OP(SYSCALLD_NR_MADVISE),
	OFFLOAD_OP(SYSCALLD_NR_MEMFD_CREATE),
	OFFLOAD_OP(SYSCALLD_NR_MSYNC),
	OFFLOAD_OP(SYSCALLD_NR_MLOCK),
	OFFLOAD_OP(SYSCALLD_NR_MUNLOCK),
	OFFLOAD_OP(SYSCALLD_NR_MLOCK2),
	OFFLOAD_OP(SYSCALLD_NR_MLOCKALL),
	OFFLOAD_OP(SYSCALLD_NR_MUNLOCKALL),
	OFFLOAD_OP(NR_KILL),
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
	OFFLOAD_OP(NR_SETFSUID),
	OFFLOAD_OP(NR_SETFSGID),
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
