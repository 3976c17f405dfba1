/*
 * linux_policy.c -- routing of the Linux identity calls to syscalld: the
 * credentials (get*id/set*id/getres*id/setres*id/getgroups/setgroups),
 * resource limits (prlimit64, getrlimit, setrlimit), uname and getrandom.
 * syscalld owns the policy and the per-process DB; the kernel only copies
 * user memory both ways and applies what a prlimit64 reply asks for: the
 * fd-table bound (RLIMIT_NOFILE, enforced at every fd allocation) and the
 * stack limit of the next exec, both kept in struct ps_proc, inherited at
 * fork and kept over exec.  getrusage (scheduler data) and prctl's child
 * subreaper flag (process-table state) are kernel-direct.
 *
 * Policy callers (rootd, services) never ask syscalld (it could be
 * themselves): their ids are 0 and the other calls answer -ENOSYS.
 * Wire conventions: include/rustos/bootstrap_services.h.
 */
#include <executive/api.h>
#include <executive/internal.h>
#include <hal/api.h>
#include <ipc-runtime/api.h>
#include <mm/api.h>
#include <nucleus-core/api.h>
#include <ps/api.h>

#include <rustos/bootstrap_services.h>
#include <rustos/ipc_services.h>
#include <rustos/offload.h>

#define ESRCH		3
#define EFAULT		14

static void
offload_init(struct ps_proc *p, struct rustos_linux_syscall_offload_request *rq,
    uint16_t nr)
{
	memset(rq, 0, sizeof(*rq));
	rq->version = SYSCALL_OFFLOAD_ABI_VERSION;
	rq->op = nr;
	rq->pid = (uint64_t)p->pid;
	rq->tid = (uint64_t)p->pid;
	rq->parent_pid = (uint64_t)p->ppid;
	if (p->linux_policy_entry)
		rq->flags = SYSCALLD_FLAG_INHERIT;
}

/*
 * One syscalld round trip; returns the reply status, the payload in rs.
 * A credentials or limits call marks p as having an entry in syscalld's
 * DB (fork notes follow).
 */
static long
offload(struct ps_proc *p, struct rustos_linux_syscall_offload_request *rq,
    struct rustos_linux_syscall_offload_response *rs)
{
	long n;

	n = ipc_kernel_call(p, IPC_SERVICE_SYSCALLD, rq, sizeof(*rq), rs,
	    sizeof(*rs));
	if (n < 0)
		return (n);
	if ((size_t)n < 16 || rs->payload_len > SYSCALL_OFFLOAD_PAYLOAD_MAX ||
	    (size_t)n < 16 + rs->payload_len)
		return (-NC_EIO);
	/* uname and getrandom leave no per-pid state in syscalld. */
	if (rq->op != 63 && rq->op != 318)
		p->linux_policy_entry = true;
	return (rs->status);
}

static long
id_call(struct ps_proc *p, uint16_t nr, uint64_t a0, uint64_t a1,
    uint64_t a2)
{
	struct rustos_linux_syscall_offload_request rq;
	struct rustos_linux_syscall_offload_response rs;
	uint64_t v = 0;
	long r;

	offload_init(p, &rq, nr);
	rq.arg0 = (uint32_t)a0;
	rq.arg1 = (uint32_t)a1;
	rq.arg2 = (uint32_t)a2;
	if ((r = offload(p, &rq, &rs)) < 0)
		return (r);
	if (rs.payload_len >= 8)
		memcpy(&v, rs.payload, 8);
	return ((long)v);
}

/* getresuid/getresgid: three u32 to three user pointers. */
static long
getres_call(struct ps_proc *p, uint16_t nr, uint64_t u0, uint64_t u1,
    uint64_t u2)
{
	struct rustos_linux_syscall_offload_request rq;
	struct rustos_linux_syscall_offload_response rs;
	uint32_t v[3];
	long r;

	offload_init(p, &rq, nr);
	if ((r = offload(p, &rq, &rs)) < 0)
		return (r);
	if (rs.payload_len < sizeof(v))
		return (-NC_EIO);
	memcpy(v, rs.payload, sizeof(v));
	if (hal_copy_to_user(u0, &v[0], 4) != 0 ||
	    hal_copy_to_user(u1, &v[1], 4) != 0 ||
	    hal_copy_to_user(u2, &v[2], 4) != 0)
		return (-EFAULT);
	return (0);
}

static long
getgroups_call(struct ps_proc *p, uint64_t size, uint64_t ulist)
{
	struct rustos_linux_syscall_offload_request rq;
	struct rustos_linux_syscall_offload_response rs;
	uint32_t n;
	long r;

	if ((int32_t)size < 0)
		return (-NC_EINVAL);
	offload_init(p, &rq, 115);
	if ((r = offload(p, &rq, &rs)) < 0)
		return (r);
	memcpy(&n, rs.payload, 4);
	if (rs.payload_len < 4 || n > SYSCALLD_NGROUPS_MAX ||
	    rs.payload_len < 4 + n * 4)
		return (-NC_EIO);
	if ((uint32_t)size == 0)
		return (n);
	if ((uint32_t)size < n)
		return (-NC_EINVAL);
	if (n != 0 && hal_copy_to_user(ulist, rs.payload + 4, n * 4) != 0)
		return (-EFAULT);
	return (n);
}

static long
setgroups_call(struct ps_proc *p, uint64_t size, uint64_t ulist)
{
	struct rustos_linux_syscall_offload_request rq;
	struct rustos_linux_syscall_offload_response rs;

	if (size > SYSCALLD_NGROUPS_MAX)
		return (-NC_EINVAL);
	offload_init(p, &rq, 116);
	rq.arg0 = size;
	rq.path_len = (uint32_t)size * 4;
	if (size != 0 && hal_copy_from_user(rq.path, ulist, size * 4) != 0)
		return (-EFAULT);
	return (offload(p, &rq, &rs));
}

/*
 * prlimit64(pid, res, new, old); getrlimit/setrlimit are the pid 0 forms.
 * The reply names the limits the kernel enforces for the target.
 */
static long
prlimit_call(struct ps_proc *p, int64_t pid, uint64_t res, uint64_t unew,
    uint64_t uold)
{
	struct rustos_linux_syscall_offload_request rq;
	struct rustos_linux_syscall_offload_response rs;
	struct rustos_syscalld_rlimit_reply rr;
	struct ps_proc *t;
	uint64_t lim[2];
	long r;

	if (pid < 0)
		return (-ESRCH);
	offload_init(p, &rq, 302);
	rq.arg0 = (uint64_t)pid;
	rq.arg1 = (uint32_t)res;
	if (unew != 0) {
		if (hal_copy_from_user(lim, unew, sizeof(lim)) != 0)
			return (-EFAULT);
		rq.flags |= SYSCALLD_FLAG_NEW;
		rq.arg2 = lim[0];
		rq.arg3 = lim[1];
	}
	if ((r = offload(p, &rq, &rs)) < 0)
		return (r);
	if (rs.payload_len < sizeof(rr))
		return (-NC_EIO);
	memcpy(&rr, rs.payload, sizeof(rr));
	if (rr.target_pid <= INT32_MAX &&
	    (t = ps_proc_find((long)rr.target_pid)) != NULL && !t->zombie) {
		t->fd_limit = rr.nofile_cur >= PS_MAX_FDS ? PS_MAX_FDS :
		    (uint32_t)rr.nofile_cur;
		t->stack_limit = rr.stack_cur;
	}
	if (uold != 0) {
		lim[0] = rr.old_cur;
		lim[1] = rr.old_max;
		if (hal_copy_to_user(uold, lim, sizeof(lim)) != 0)
			return (-EFAULT);
	}
	return (0);
}

static long
uname_call(struct ps_proc *p, uint64_t ubuf)
{
	struct rustos_linux_syscall_offload_request rq;
	struct rustos_linux_syscall_offload_response rs;
	long r;

	offload_init(p, &rq, 63);
	if ((r = offload(p, &rq, &rs)) < 0)
		return (r);
	if (rs.payload_len < 390)
		return (-NC_EIO);
	return (hal_copy_to_user(ubuf, rs.payload, 390) != 0 ? -EFAULT : 0);
}

/* getrandom: syscalld validates the flags and draws <= 512 bytes a trip. */
static long
getrandom_call(struct ps_proc *p, uint64_t ubuf, uint64_t len,
    uint64_t flags)
{
	struct rustos_linux_syscall_offload_request rq;
	struct rustos_linux_syscall_offload_response rs;
	uint64_t done = 0, n;
	long r;

	if (len > 0x1ffffff)			/* Linux: at most 32 MiB - 1 */
		len = 0x1ffffff;
	if (len != 0 && !mm_user_range_ok(ubuf, len))
		return (-EFAULT);
	do {
		n = len - done;
		if (n > SYSCALL_OFFLOAD_PAYLOAD_MAX)
			n = SYSCALL_OFFLOAD_PAYLOAD_MAX;
		offload_init(p, &rq, 318);
		rq.arg0 = n;
		rq.arg1 = flags;
		if ((r = offload(p, &rq, &rs)) < 0)
			return (done > 0 ? (long)done : r);
		if (rs.payload_len != n)
			return (done > 0 ? (long)done : -NC_EIO);
		if (n != 0 && hal_copy_to_user(ubuf + done, rs.payload, n) != 0)
			return (done > 0 ? (long)done : -EFAULT);
		done += n;
		/* A pending signal ends a long draw early, as in Linux. */
		if (done < len && ps_proc_find(p->pid) == p &&
		    ps_signal_interrupts(p))
			return ((long)done);
	} while (done < len);
	return ((long)done);
}

/*
 * getrusage: RUSAGE_SELF 0, RUSAGE_CHILDREN -1 (reaped children),
 * RUSAGE_THREAD 1.  CPU time is scheduler time, reported as user time;
 * the other fields are not accounted (0).
 */
static long
getrusage_call(struct ps_proc *p, int64_t who, uint64_t uru)
{
	int64_t ru[18];
	uint64_t ns;

	if (who != 0 && who != -1 && who != 1)
		return (-NC_EINVAL);
	ns = who == -1 ? p->children_cpu_ns : ps_proc_runtime_ns(p);
	memset(ru, 0, sizeof(ru));
	ru[0] = (int64_t)(ns / 1000000000ULL);
	ru[1] = (int64_t)(ns % 1000000000ULL / 1000);
	return (hal_copy_to_user(uru, ru, sizeof(ru)) != 0 ? -EFAULT : 0);
}

/*
 * prctl: PR_SET_CHILD_SUBREAPER (36) / PR_GET_CHILD_SUBREAPER (37), the
 * process-table flag that makes orphans below a process its children
 * (initd sets it, so it reaps orphans; Linux semantics, nothing
 * initd-specific here).  Other options: -EINVAL.
 */
static long
prctl_call(struct ps_proc *p, uint64_t opt, uint64_t a1, uint64_t a2,
    uint64_t a3, uint64_t a4)
{
	int32_t v;

	switch (opt) {
	case 36:
		p->child_subreaper = a1 != 0;
		return (0);
	case 37:
		v = p->child_subreaper ? 1 : 0;
		return (hal_copy_to_user(a1, &v, 4) != 0 ? -EFAULT : 0);
	}
	return (-NC_EINVAL);
}

long
ex_linux_policy_call(struct ps_proc *p, struct hal_trap_frame *tf,
    uint64_t nr, bool *handled)
{
	uint64_t a0 = tf->rdi, a1 = tf->rsi, a2 = tf->rdx, a3 = tf->r10;
	bool policy = ps_is_policy(p);

	*handled = true;
	switch (nr) {
	case 102: case 104: case 107: case 108:	/* getuid and friends */
		return (policy ? 0 : id_call(p, (uint16_t)nr, 0, 0, 0));
	case 105: case 106:			/* setuid, setgid */
	case 113: case 114:			/* setreuid, setregid */
	case 117: case 119:			/* setresuid, setresgid */
		return (policy ? -NC_EPERM : id_call(p, (uint16_t)nr, a0, a1,
		    a2));
	case 122: case 123:			/* setfsuid, setfsgid */
		return (policy ? 0 : id_call(p, (uint16_t)nr, a0, 0, 0));
	case 118: case 120:			/* getresuid, getresgid */
		if (policy) {
			uint32_t z[3] = { 0, 0, 0 };

			return (hal_copy_to_user(a0, &z[0], 4) != 0 ||
			    hal_copy_to_user(a1, &z[1], 4) != 0 ||
			    hal_copy_to_user(a2, &z[2], 4) != 0 ? -EFAULT : 0);
		}
		return (getres_call(p, (uint16_t)nr, a0, a1, a2));
	case 115:				/* getgroups */
		return (policy ? 0 : getgroups_call(p, a0, a1));
	case 116:				/* setgroups */
		return (policy ? -NC_EPERM : setgroups_call(p, a0, a1));
	case 302:				/* prlimit64 */
		return (policy ? -NC_ENOSYS : prlimit_call(p, (int32_t)a0, a1,
		    a2, a3));
	case 97:				/* getrlimit */
		return (policy ? -NC_ENOSYS : prlimit_call(p, 0, a0, 0, a1));
	case 160:				/* setrlimit */
		return (policy ? -NC_ENOSYS : prlimit_call(p, 0, a0, a1, 0));
	case 63:				/* uname */
		return (policy ? -NC_ENOSYS : uname_call(p, a0));
	case 318:				/* getrandom */
		return (policy ? -NC_ENOSYS : getrandom_call(p, a0, a1, a2));
	case 157:				/* prctl */
		return (prctl_call(p, a0, a1, a2, a3, tf->r8));
	case 98:				/* getrusage */
		return (getrusage_call(p, (int32_t)a0, a1));
	}
	*handled = false;
	return (-NC_ENOSYS);
}
