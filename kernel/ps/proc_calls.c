/*
 * proc_calls.c -- the Linux process calls ps/ owns, reached from the
 * executive's Linux dispatcher for numbers it does not handle itself:
 * pipe/pipe2 and dup/dup2/dup3 (kernel fd-table data paths, pipe.c), and
 * fork/vfork/clone without CLONE_VM: the kernel asks procd (process
 * policy: limits), and procd has the child made with PROC_FORK_BROKER,
 * which only acts on a process whose fork upcall is in flight.
 */
#include <ps/api.h>
#include <hal/api.h>
#include <mm/api.h>
#include <ipc-runtime/api.h>
#include <nucleus-core/api.h>

#include <rustos/ipc_services.h>
#include <rustos/offload.h>
#include <rustos/proc_broker.h>

#define EBADF		9
#define EFAULT		14
#define ENAMETOOLONG	36
#define ESRCH		3
#define EPERM		1
#define CLONE_VM	0x100ULL
#define CLONE_VFORK	0x4000ULL
#define CSIGNAL		0xffULL
#define O_CLOEXEC_L	0x80000

/*
 * fork/vfork/clone(no CLONE_VM): upcall to procd with the caller's uid
 * and the number of processes counted against the limit; procd answers
 * with the child pid (it called PROC_FORK_BROKER) or -EAGAIN.  vfork is a
 * plain fork here (allowed by POSIX; the parent does not wait).
 */
static long
sys_fork(struct ps_proc *p, struct hal_trap_frame *tf, uint64_t flags)
{
	struct rustos_linux_syscall_offload_request rq;
	struct rustos_linux_syscall_offload_response rs;
	uint64_t v;
	long n;

	/* Threads and CLONE_VM children come with the threads work. */
	if ((flags & ~(CSIGNAL | CLONE_VFORK)) != 0)
		return (-NC_ENOSYS);
	if (ps_proc_find(p->pid) != p || p->fork_tf != NULL)
		return (-NC_EAGAIN);
	memset(&rq, 0, sizeof(rq));
	rq.version = SYSCALL_OFFLOAD_ABI_VERSION;
	rq.op = 57;
	rq.pid = (uint64_t)p->pid;
	rq.tid = (uint64_t)p->pid;
	rq.parent_pid = (uint64_t)p->ppid;
	rq.arg0 = flags;
	rq.arg1 = ps_proc_count_apps();
	p->fork_tf = tf;
	p->fork_flags = flags;
	p->fork_fs_base = ps_current_fs_base();
	n = ipc_kernel_call(p, IPC_SERVICE_PROCD, &rq, sizeof(rq), &rs,
	    sizeof(rs));
	p->fork_tf = NULL;
	if (n < 0)
		return (n == -NC_ENOMEM ? n : -NC_EAGAIN);
	if ((size_t)n < 16)
		return (-NC_EAGAIN);
	if (rs.status < 0)
		return (rs.status);
	if ((size_t)n < 16 + 8 || rs.payload_len < 8)
		return (-NC_EAGAIN);
	memcpy(&v, rs.payload, 8);
	/*
	 * syscalld copies the parent's credentials/limits entry to the
	 * child before fork returns, so the child inherits them even if
	 * the parent changes its own right after.
	 */
	if (p->linux_policy_entry && (long)v > 0) {
		rq.op = 57;
		rq.flags = 0x100;	/* SYSCALLD_FLAG_INHERIT */
		rq.arg0 = v;
		rq.arg1 = 0;
		(void)ipc_kernel_call(p, IPC_SERVICE_SYSCALLD, &rq, sizeof(rq),
		    &rs, sizeof(rs));
	}
	return ((long)v);
}

/* PROC_FORK_BROKER (gate PROCESS_POLICY): procd copies a waiting caller. */
long
ex_sys_proc_fork_broker(uint64_t uargs, uint64_t a1, uint64_t a2,
    uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct rustos_proc_fork_args a;
	struct ps_proc *self = ps_proc_current(), *t;

	if (hal_copy_from_user(&a, uargs, sizeof(a)) != 0)
		return (-EFAULT);
	if (a.parent_pid == 0 || a.parent_pid > INT32_MAX)
		return (-NC_EINVAL);
	t = ps_proc_find((long)a.parent_pid);
	/*
	 * Only a process blocked in its fork upcall, whose request this
	 * caller is serving, with the flags it asked for.
	 */
	if (t == NULL || t->fork_tf == NULL ||
	    self->serving_caller != t->pid || a.clone_flags != t->fork_flags ||
	    a.child_stack != 0 || a.tls != 0)
		return (-NC_EINVAL);
	return (ps_proc_fork(t));
}

/*
 * execve: the kernel copies path/argv/envp, procd authorises (ticket) and
 * has loaderd materialise the image for the ticket; on success the image
 * replaces ours inside this very syscall.  On failure procd cancelled the
 * ticket and we return its error with the old image intact.
 */
static long
sys_execve(struct ps_proc *p, struct hal_trap_frame *tf, uint64_t upath,
    uint64_t uargv, uint64_t uenvp)
{
	struct rustos_linux_syscall_offload_request rq;
	struct rustos_linux_syscall_offload_response rs;
	char path[SYSCALL_OFFLOAD_PATH_MAX];
	size_t i;
	long n, r;

	for (i = 0;; i++) {
		if (i == sizeof(path))
			return (-ENAMETOOLONG);
		if (hal_copy_from_user(&path[i], upath + i, 1) != 0)
			return (-EFAULT);
		if (path[i] == '\0')
			break;
	}
	if (i == 0)
		return (-NC_ENOENT);
	if ((r = ps_remote_exec_access(p, path, i)) != 0)
		return (r == -NC_EAGAIN ? -NC_ENOENT : r);
	if (path[0] != '/')
		return (-NC_ENOENT);	/* relative exec: with cwd, later */
	if (ps_proc_find(p->pid) != p)
		return (-NC_EAGAIN);
	if ((r = ps_exec_begin(p, path, i, uargv, uenvp)) != 0)
		return (r);
	memset(&rq, 0, sizeof(rq));
	rq.version = SYSCALL_OFFLOAD_ABI_VERSION;
	rq.op = 59;
	rq.pid = (uint64_t)p->pid;
	rq.tid = (uint64_t)p->pid;
	rq.parent_pid = (uint64_t)p->ppid;
	rq.path_len = (uint32_t)i;
	memcpy(rq.path, path, i);
	n = ipc_kernel_call(p, IPC_SERVICE_PROCD, &rq, sizeof(rq), &rs,
	    sizeof(rs));
	if (n < 0)
		r = n == -NC_ENOMEM ? n : -NC_EAGAIN;
	else if ((size_t)n < 16)
		r = -NC_EIO;
	else if (rs.status < 0)
		r = rs.status;
	else
		r = ps_exec_finish(p, tf);
	ps_exec_clear(p);
	return (r);
}

long
ex_sys_proc_authorize_exec_broker(uint64_t uargs, uint64_t a1, uint64_t a2,
    uint64_t a3, uint64_t a4, uint64_t a5)
{
	return (ps_exec_authorize(uargs));
}

long
ex_sys_proc_exec_target_broker(uint64_t uargs, uint64_t a1, uint64_t a2,
    uint64_t a3, uint64_t a4, uint64_t a5)
{
	return (ps_exec_target(uargs));
}

long
ex_sys_proc_cancel_exec_broker(uint64_t ticket, uint64_t a1, uint64_t a2,
    uint64_t a3, uint64_t a4, uint64_t a5)
{
	return (ps_exec_cancel(ticket));
}

static long
sys_setpgid(struct ps_proc *p, int64_t pid, int64_t pgid)
{
	struct ps_proc *t, *c;

	if (pgid < 0 || pid < 0 || pid > INT32_MAX || pgid > INT32_MAX)
		return (-NC_EINVAL);
	t = pid == 0 ? p : ps_proc_find((long)pid);
	if (t == NULL || (t != p && t->ppid != p->pid))
		return (-ESRCH);
	if (t != p && t->did_exec)
		return (-13);			/* EACCES */
	if (t->sid != p->sid)
		return (-EPERM);
	if (t->pgid == t->pid && t->sid == t->pid)
		return (-EPERM);		/* a session leader */
	if (pgid == 0)
		pgid = t->pid;
	if (pgid != t->pid) {
		/* Joining a group: it must exist in our session. */
		for (c = ps_proc_first(); c != NULL; c = c->next)
			if (!c->zombie && c->pgid == pgid && c->sid == p->sid)
				break;
		if (c == NULL)
			return (-EPERM);
	}
	t->pgid = (long)pgid;
	return (0);
}

static long
sys_setsid(struct ps_proc *p)
{
	struct ps_proc *c;

	for (c = ps_proc_first(); c != NULL; c = c->next)
		if (c->pgid == p->pid && !c->zombie)
			return (-EPERM);	/* already a group leader */
	p->pgid = p->sid = p->pid;
	return (p->pid);
}

/*
 * nanosleep/clock_nanosleep: relative or TIMER_ABSTIME.  A signal to be
 * delivered ends the sleep with -EINTR and, for relative sleeps, the time
 * left in *urem (never restarted, as with Linux's handlers).
 */
long
ps_clock_nanosleep(struct ps_proc *p, uint64_t clock, uint64_t flags,
    uint64_t ureq, uint64_t urem)
{
	uint64_t ts[2], now = hal_clock_ns(), deadline, left;

	if (clock > 11 || clock == 2 || clock == 3 || (flags & ~1ULL) != 0)
		return (-NC_EINVAL);	/* CPU-time clocks: later */
	if (hal_copy_from_user(ts, ureq, 16) != 0)
		return (-EFAULT);
	if ((int64_t)ts[0] < 0 || ts[1] >= 1000000000ULL)
		return (-NC_EINVAL);
	if (ts[0] > 1000000000ULL)
		ts[0] = 1000000000ULL;	/* ~31 years: no overflow */
	deadline = ts[0] * 1000000000ULL + ts[1];
	/* Every clock reads hal_clock_ns (clock_gettime does too). */
	if ((flags & 1) == 0)
		deadline += now;
	if (deadline <= now)
		ps_yield();		/* a zero sleep still gives way */
	while ((now = hal_clock_ns()) < deadline) {
		if (ps_proc_find(p->pid) == p && ps_signal_interrupts(p)) {
			left = deadline - now;
			ts[0] = left / 1000000000ULL;
			ts[1] = left % 1000000000ULL;
			if ((flags & 1) == 0 && urem != 0)
				(void)hal_copy_to_user(urem, ts, 16);
			return (-4);		/* EINTR */
		}
		p->child_event = 0;
		ps_park_until(deadline, &p->child_event);
	}
	return (0);
}

long
ps_linux_proc_call(struct hal_trap_frame *tf, uint64_t nr, bool *handled)
{
	struct ps_proc *p = ps_proc_current();
	uint64_t a0 = tf->rdi, a1 = tf->rsi, a2 = tf->rdx;

	long r;

	r = ps_signal_call(tf, nr, handled);
	if (*handled)
		return (r);
	*handled = true;
	switch (nr) {
	case 230:	/* clock_nanosleep(clock, flags, req, rem) */
		return (ps_clock_nanosleep(p, a0, a1, a2, tf->r10));
	case 109:	/* setpgid */
		if (ps_proc_find(p->pid) != p)
			return (-EPERM);
		return (sys_setpgid(p, (int64_t)a0, (int64_t)a1));
	case 121:	/* getpgid */
	case 124: {	/* getsid */
		struct ps_proc *t = a0 == 0 ? p : a0 > INT32_MAX ? NULL :
		    ps_proc_find((long)a0);

		if (t == NULL)
			return (-ESRCH);
		return (nr == 121 ? t->pgid : t->sid);
	}
	case 111:	/* getpgrp */
		return (p->pgid);
	case 112:	/* setsid */
		if (ps_proc_find(p->pid) != p)
			return (-EPERM);
		return (sys_setsid(p));
	case 247:	/* waitid */
		return (ps_proc_waitid(a0, a1, a2, tf->r10));
	case 204:	/* sched_getaffinity(pid, len, mask): one CPU */
		if (a0 != 0 && (a0 > INT32_MAX || ps_proc_find((long)a0) ==
		    NULL))
			return (-ESRCH);
		if (a1 < 8 || (a1 & 7) != 0)
			return (-NC_EINVAL);
		{
			uint64_t one = 1;

			return (hal_copy_to_user(a2, &one, 8) != 0 ? -EFAULT :
			    8);
		}
	case 229: {	/* clock_getres: 1 ns for the clocks we have */
		uint64_t ts[2] = { 0, 1 };

		if (a0 > 11)
			return (-NC_EINVAL);
		return (a1 == 0 ? 0 : hal_copy_to_user(a1, ts, 16) != 0 ?
		    -EFAULT : 0);
	}
	case 59:	/* execve */
		return (sys_execve(p, tf, a0, a1, a2));
	case 322:	/* execveat(dirfd, path, argv, envp, flags) */
		if ((int64_t)a0 != -100 || tf->r8 != 0)
			return (-NC_EINVAL);	/* AT_FDCWD only, for now */
		return (sys_execve(p, tf, a1, a2, tf->r10));
	case 57:	/* fork */
	case 58:	/* vfork */
		return (sys_fork(p, tf, 17));	/* SIGCHLD */
	case 56:	/* clone(flags, stack, ptid, ctid, tls) */
		if (a1 != 0)
			return (-NC_ENOSYS);	/* new stack: threads, later */
		return (sys_fork(p, tf, a0));
	case 22:	/* pipe */
	case 293:	/* pipe2 */
		/*
		 * Detached processes (the syscall fuzz self test) get no
		 * pipes: nobody else could ever unblock their reads.
		 */
		if (ps_proc_find(p->pid) != p)
			return (-NC_EAGAIN);
		return (ps_pipe2(p, a0, nr == 22 ? 0 : a1));
	case 7:		/* poll */
		return (ps_sys_poll(p, a0, a1, (int)a2));
	case 271:	/* ppoll */
		return (ps_sys_ppoll(p, a0, a1, a2, tf->r10, tf->r8));
	case 23:	/* select */
		return (ps_sys_select(p, (int)a0, a1, a2, tf->r10, tf->r8));
	case 270:	/* pselect6 */
		return (ps_sys_pselect6(p, (int)a0, a1, a2, tf->r10, tf->r8,
		    tf->r9));
	case 32:	/* dup */
		return (ps_fd_dup(p, a0, -1, 0, false));
	case 33:	/* dup2 */
		if (a0 == a1)
			return (a0 < PS_MAX_FDS &&
			    p->fds[a0].kind != PS_FD_NONE ? (long)a0 : -EBADF);
		return (a1 > INT32_MAX ? -EBADF :
		    ps_fd_dup(p, a0, (long)a1, 0, false));
	case 292:	/* dup3 */
		if (a0 == a1 || (a2 & ~(uint64_t)O_CLOEXEC_L) != 0)
			return (-NC_EINVAL);
		return (a1 > INT32_MAX ? -EBADF :
		    ps_fd_dup(p, a0, (long)a1, 0, (a2 & O_CLOEXEC_L) != 0));
	}
	*handled = false;
	return (-NC_ENOSYS);
}
