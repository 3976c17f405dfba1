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

#include <rustos/bootstrap_services.h>
#include <rustos/ipc_services.h>
#include <rustos/offload.h>
#include <rustos/proc_broker.h>
#include <rustos/vfs.h>

#define EBADF		9
#define EFAULT		14
#define ENAMETOOLONG	36
#define ESRCH		3
#define EPERM		1
#define CSIGNAL		0xffULL
#define CLONE_VM	0x100ULL
#define CLONE_FS	0x200ULL
#define CLONE_FILES	0x400ULL
#define CLONE_SIGHAND	0x800ULL
#define CLONE_VFORK	0x4000ULL
#define CLONE_THREAD	0x10000ULL
#define CLONE_SYSVSEM	0x40000ULL
#define CLONE_SETTLS	0x80000ULL
#define CLONE_PARENT_SETTID	0x100000ULL
#define CLONE_CHILD_CLEARTID	0x200000ULL
#define CLONE_DETACHED	0x400000ULL
#define CLONE_CHILD_SETTID	0x1000000ULL
/* What a thread may ask for besides the required VM|SIGHAND|THREAD. */
#define CLONE_THREAD_OK	(CLONE_FS | CLONE_FILES | CLONE_SYSVSEM | \
	CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | \
	CLONE_DETACHED | CLONE_CHILD_SETTID)
#define CLONE_TID_FLAGS	(CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | \
	CLONE_CHILD_SETTID)
#define O_CLOEXEC_L	0x80000

/*
 * The clone flag combinations RustOS implements (the rest is -EINVAL, as
 * Linux answers impossible combinations; namespaces and sharing an fd
 * table or handlers between processes are not implemented):
 *   fork-like  exit signal + the CLONE_*_SETTID/CLEARTID words (glibc's
 *              fork passes CHILD_SETTID|CHILD_CLEARTID);
 *   vfork      CLONE_VM|CLONE_VFORK (+ a new stack: posix_spawn);
 *   thread     CLONE_VM|CLONE_SIGHAND|CLONE_THREAD (+ CLONE_THREAD_OK).
 * Linux's own rules come first: SIGHAND needs VM, THREAD needs SIGHAND.
 */
static long
clone_flags_check(uint64_t flags)
{
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return (-NC_EINVAL);
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return (-NC_EINVAL);
	if (flags & CLONE_THREAD) {
		if ((flags & ~(CSIGNAL | CLONE_VM | CLONE_SIGHAND |
		    CLONE_THREAD | CLONE_THREAD_OK)) != 0 ||
		    (flags & (CLONE_FILES | CLONE_FS)) !=
		    (CLONE_FILES | CLONE_FS))
			return (-NC_EINVAL);
		return (0);
	}
	if (flags & CLONE_VM)
		return ((flags & ~(CSIGNAL | CLONE_VM | CLONE_VFORK |
		    CLONE_TID_FLAGS)) != 0 || !(flags & CLONE_VFORK) ?
		    -NC_EINVAL : 0);
	return ((flags & ~(CSIGNAL | CLONE_VFORK | CLONE_TID_FLAGS)) != 0 ?
	    -NC_EINVAL : 0);
}

/*
 * fork/vfork/clone: upcall to procd with the caller's uid, the number of
 * processes counted against the limit (arg1) and, for threads, the
 * caller's thread count (mask); procd answers with the child pid/tid (it
 * called PROC_FORK_BROKER) or -EAGAIN/-EINVAL.  vfork: the parent thread
 * then waits until the child execs or exits (memory shared meanwhile).
 */
static long
sys_fork(struct ps_proc *p, struct hal_trap_frame *tf, uint64_t flags,
    uint64_t stack, uint64_t ptid, uint64_t ctid, uint64_t tls)
{
	struct rustos_linux_syscall_offload_request rq;
	struct rustos_linux_syscall_offload_response rs;
	struct ps_thread *th = ps_thread_cur(), *t;
	int32_t tid32;
	uint64_t v;
	long n, r;

	if ((r = clone_flags_check(flags)) != 0)
		return (r);
	if (ps_proc_find(p->pid) != p || th == NULL || th->fork_tf != NULL)
		return (-NC_EAGAIN);
	if ((flags & CLONE_SETTLS) && !mm_user_range_ok(tls, 0))
		return (-EPERM);	/* as Linux for a kernel address */
	memset(&rq, 0, sizeof(rq));
	rq.version = SYSCALL_OFFLOAD_ABI_VERSION;
	rq.op = 57;
	rq.pid = (uint64_t)p->pid;
	rq.tid = (uint64_t)th->tid;
	rq.parent_pid = (uint64_t)p->ppid;
	rq.arg0 = flags;
	rq.arg1 = ps_proc_count_apps();
	rq.arg2 = stack;
	rq.arg3 = tls;
	rq.mask = 0;
	for (t = p->threads; t != NULL; t = t->next)
		if (!t->dead)
			rq.mask++;
	th->fork_tf = tf;
	th->fork_flags = flags;
	th->fork_fs_base = ps_current_fs_base();
	th->fork_stack = stack;
	th->fork_tls = tls;
	th->fork_ptid = ptid;
	th->fork_ctid = ctid;
	th->vfork_done = 0;
	n = ipc_kernel_call(p, IPC_SERVICE_PROCD, &rq, sizeof(rq), &rs,
	    sizeof(rs));
	th->fork_tf = NULL;
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
	if (p->linux_policy_entry && (long)v > 0 &&
	    (flags & CLONE_THREAD) == 0) {
		rq.op = 57;
		rq.flags = 0x100;	/* SYSCALLD_FLAG_INHERIT */
		rq.arg0 = v;
		rq.arg1 = 0;
		(void)ipc_kernel_call(p, IPC_SERVICE_SYSCALLD, &rq, sizeof(rq),
		    &rs, sizeof(rs));
	}
	/*
	 * Linux writes the parent's word before the child can run.  A new
	 * thread writes it itself first thing (thread.c, psettid): writing
	 * it here again could undo its CHILD_CLEARTID when it already ran
	 * and exited (glibc uses one word for both: pthread_join would
	 * wait forever).
	 */
	tid32 = (int32_t)v;
	if ((flags & CLONE_PARENT_SETTID) && !(flags & CLONE_THREAD))
		(void)hal_copy_to_user(ptid, &tid32, sizeof(tid32));
	if ((flags & (CLONE_VFORK | CLONE_THREAD)) == CLONE_VFORK) {
		/* Killable only, as in Linux: fatal signals end the wait. */
		while (!th->vfork_done && p->sig_kill == 0 && !p->group_exit)
			ps_park_until(hal_clock_ns() + 100000000ULL,
			    &th->vfork_done);
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
	struct ps_thread *th;

	if (hal_copy_from_user(&a, uargs, sizeof(a)) != 0)
		return (-EFAULT);
	if (a.parent_pid == 0 || a.parent_pid > INT32_MAX)
		return (-NC_EINVAL);
	t = ps_proc_find((long)a.parent_pid);
	/*
	 * Only a process blocked in its fork upcall, whose request this
	 * caller is serving, with the flags it asked for.
	 */
	if (t == NULL || a.parent_tid > INT32_MAX ||
	    (th = ps_thread_find(t, a.parent_tid == 0 ? t->pid :
	    (long)a.parent_tid)) == NULL || th->fork_tf == NULL ||
	    self->serving_caller != t->pid || a.clone_flags != th->fork_flags ||
	    (a.child_stack != 0 && a.child_stack != th->fork_stack) ||
	    (a.tls != 0 && a.tls != th->fork_tls) ||
	    (a.child_tid_ptr != 0 && a.child_tid_ptr != th->fork_ctid) ||
	    (a.parent_tid_ptr != 0 && a.parent_tid_ptr != th->fork_ptid))
		return (-NC_EINVAL);
	if (clone_flags_check(a.clone_flags) != 0)
		return (-NC_EINVAL);
	if (a.clone_flags & CLONE_THREAD)
		return (ps_thread_clone(t, th));
	return (ps_proc_fork(t, th));
}

/*
 * execve/execveat: the kernel copies path/argv/envp and opens the
 * executable for the caller through vfsd (cwd, dirfd, AT_EMPTY_PATH:
 * exec_file.c), procd authorises (ticket) and has loaderd materialise the
 * image for the ticket, reading the file with PROC_EXEC_FILE_BROKER; on
 * success the image replaces ours inside this very syscall.  On failure
 * procd cancelled the ticket and we return its error with the old image
 * intact.  Policy callers (services) keep the boot-module path: loaderd
 * reads those by absolute path.
 */
#define AT_EMPTY_PATH		0x1000
#define AT_SYMLINK_NOFOLLOW	0x100

/*
 * The exec caller's Linux ids for the new image's auxv: syscalld keeps
 * them (the kernel's own credentials never change), so ask it with
 * getresuid/getresgid (ops 118/120) when the caller has a DB entry;
 * without one it is root (0).  ids = uid, euid, gid, egid.
 */
static long
exec_ids(struct ps_proc *p, uint32_t ids[4])
{
	struct rustos_linux_syscall_offload_request rq;
	struct rustos_linux_syscall_offload_response rs;
	uint32_t v[3];
	long n;
	int k;

	memset(ids, 0, 4 * sizeof(ids[0]));
	if (!p->linux_policy_entry)
		return (0);
	for (k = 0; k < 2; k++) {
		memset(&rq, 0, sizeof(rq));
		rq.version = SYSCALL_OFFLOAD_ABI_VERSION;
		rq.op = k == 0 ? 118 : 120;
		rq.pid = (uint64_t)p->pid;
		rq.tid = (uint64_t)p->pid;
		rq.parent_pid = (uint64_t)p->ppid;
		rq.flags = SYSCALLD_FLAG_INHERIT;
		n = ipc_kernel_call(p, IPC_SERVICE_SYSCALLD, &rq, sizeof(rq),
		    &rs, sizeof(rs));
		if (n < 0)
			return (n == -NC_ENOMEM ? n : -NC_EAGAIN);
		if ((size_t)n < 16 + sizeof(v) || rs.status < 0 ||
		    rs.payload_len < sizeof(v))
			return (rs.status < 0 ? rs.status : -NC_EIO);
		memcpy(v, rs.payload, sizeof(v));
		ids[2 * k] = v[0];		/* real */
		ids[2 * k + 1] = v[1];		/* effective */
	}
	return (0);
}

/*
 * After an exec committed, as Linux's execve: the saved set-user-ID and
 * set-group-ID become the effective ones (setresuid(-1, -1, euid) and
 * setresgid(-1, -1, egid), which syscalld always allows: the new saved
 * id is a current one).  ids: exec_ids's, read when the exec began (the
 * other threads are gone, so nothing changed them since).  The exec is
 * past its point of no return: a refusal is only logged.
 */
static void
exec_save_ids(struct ps_proc *p, const uint32_t ids[4])
{
	struct rustos_linux_syscall_offload_request rq;
	struct rustos_linux_syscall_offload_response rs;
	long n;
	int k;

	if (!p->linux_policy_entry)
		return;			/* root's defaults: all ids 0 */
	for (k = 0; k < 2; k++) {
		memset(&rq, 0, sizeof(rq));
		rq.version = SYSCALL_OFFLOAD_ABI_VERSION;
		rq.op = k == 0 ? 117 : 119;	/* setresuid, setresgid */
		rq.pid = (uint64_t)p->pid;
		rq.tid = (uint64_t)p->pid;
		rq.parent_pid = (uint64_t)p->ppid;
		rq.flags = SYSCALLD_FLAG_INHERIT;
		rq.arg0 = 0xffffffffu;
		rq.arg1 = 0xffffffffu;
		rq.arg2 = ids[2 * k + 1];	/* the effective id */
		n = ipc_kernel_call(p, IPC_SERVICE_SYSCALLD, &rq, sizeof(rq),
		    &rs, sizeof(rs));
		if (n < 16 || rs.status < 0)
			nc_warn(PROCESS, "exec pid %ld: saved id %d not set: "
			    "%ld", p->pid, k, n < 16 ? n : (long)rs.status);
	}
}

#define EXEC_PATH_SHORT	1024

static long exec_named(struct ps_proc *p, struct hal_trap_frame *tf,
    long dirfd, const char *full, size_t name_len, uint64_t uargv,
    uint64_t uenvp, uint64_t flags);

/*
 * execve/execveat: the path is copied up to Linux's PATH_MAX (4096, the
 * NUL included; vfsd gets a long one staged, kernel/ps/vfs_path.c).
 * Boot modules (policy callers) keep loaderd's 256-byte paths.
 */
static long
sys_execve(struct ps_proc *p, struct hal_trap_frame *tf, long dirfd,
    uint64_t upath, uint64_t uargv, uint64_t uenvp, uint64_t flags)
{
	bool policy = p->bootstrap || p->caps != 0 || p->service_image;
	char *full;
	size_t i;
	long r;

	if ((flags & ~(uint64_t)(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) != 0)
		return (-NC_EINVAL);
	/* A slab object for the usual short path, PATH_MAX when longer. */
	if ((full = mm_kmalloc(EXEC_PATH_SHORT)) == NULL)
		return (-NC_ENOMEM);
	for (i = 0;; i++) {
		r = -ENAMETOOLONG;
		if (i == VFS_PATH_MAX || (policy &&
		    i == SYSCALL_OFFLOAD_PATH_MAX))
			goto out;
		if (i == EXEC_PATH_SHORT) {
			char *big = mm_kmalloc(VFS_PATH_MAX);

			r = -NC_ENOMEM;
			if (big == NULL)
				goto out;
			memcpy(big, full, i);
			mm_kfree(full);
			full = big;
		}
		r = -EFAULT;
		if (hal_copy_from_user(&full[i], upath + i, 1) != 0)
			goto out;
		if (full[i] == '\0')
			break;
	}
	r = exec_named(p, tf, dirfd, full, i, uargv, uenvp, flags);
out:
	mm_kfree(full);
	return (r);
}

/* sys_execve with the path (name_len bytes) in full. */
static long
exec_named(struct ps_proc *p, struct hal_trap_frame *tf, long dirfd,
    const char *full, size_t name_len, uint64_t uargv, uint64_t uenvp,
    uint64_t flags)
{
	struct rustos_linux_syscall_offload_request rq;
	struct rustos_linux_syscall_offload_response rs;
	char path[SYSCALL_OFFLOAD_PATH_MAX];
	bool policy = p->bootstrap || p->caps != 0 || p->service_image;
	uint32_t ids[4];
	size_t i = name_len, k;
	long n, r;

	if (i == 0 && !(flags & AT_EMPTY_PATH))
		return (-NC_ENOENT);
	if (policy && (i == 0 || full[0] != '/'))
		return (-NC_ENOENT);	/* boot modules: absolute paths */
	/*
	 * x permission of a path vfsd resolves against our cwd; for the
	 * dirfd and fd forms loaderd checks the opened file's mode bits.
	 */
	if (i > 0 && (dirfd == -100 || full[0] == '/') &&
	    (r = ps_remote_exec_access(p, full, i)) != 0)
		return (r == -NC_EAGAIN ? -NC_ENOENT : r);
	if (ps_proc_find(p->pid) != p)
		return (-NC_EAGAIN);
	/*
	 * The executable is opened now, while our fd table and cwd are
	 * certain; path (or "/dev/fd/N" for AT_EMPTY_PATH) names it in the
	 * request for procd and loaderd's logs and the process name: a
	 * path too long for their 256 bytes goes as its last component.
	 */
	if (i == 0) {
		memcpy(path, "/dev/fd/", 8);
		i = 8 + nc_snprintf(path + 8, 16, "%d", (int)dirfd);
	} else if (i >= sizeof(path)) {
		for (k = i; k > 0 && full[k - 1] != '/'; k--)
			;
		i -= k;
		if (i == 0 || i >= sizeof(path))
			return (-ENAMETOOLONG);	/* a trailing '/' or long */
		memcpy(path, full + k, i);
	} else
		memcpy(path, full, i);
	if ((r = ps_exec_begin(p, path, i, uargv, uenvp)) != 0)
		return (r);
	if (!policy && (r = ps_exec_open_file(p, dirfd, full, name_len,
	    flags)) != 0) {
		ps_exec_clear(p);
		return (r);
	}
	if (!policy) {
		if ((r = exec_ids(p, ids)) != 0) {
			ps_exec_close_file(p);
			ps_exec_clear(p);
			return (r);
		}
		ps_exec_set_ids(p, ids);
	}
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
	else if ((r = ps_exec_finish(p, tf)) == 0 && !policy)
		exec_save_ids(p, ids);		/* finish closed the file */
	ps_exec_close_file(p);			/* failures: still ours */
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
		return (sys_execve(p, tf, -100, a0, a1, a2, 0));
	case 322:	/* execveat(dirfd, path, argv, envp, flags) */
		return (sys_execve(p, tf, (int32_t)a0, a1, a2, tf->r10,
		    tf->r8));
	case 57:	/* fork */
		return (sys_fork(p, tf, 17, 0, 0, 0, 0));	/* SIGCHLD */
	case 58:	/* vfork */
		return (sys_fork(p, tf, CLONE_VM | CLONE_VFORK | 17, 0, 0, 0,
		    0));
	case 56:	/* clone(flags, stack, ptid, ctid, tls) */
		return (sys_fork(p, tf, a0, a1, a2, tf->r10, tf->r8));
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
			return (a0 <= INT32_MAX && ps_fd_at(p, (long)a0) != NULL ?
			    (long)a0 : -EBADF);
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
