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
#define SIGKILL		9
#define SIGSTOP		19
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

bool
ps_sigpipe_kills(struct ps_proc *p)
{
	return (((p->sig_ignored | p->sig_handled) & (1ULL << (13 - 1))) == 0);
}

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
		return (-EPERM);		/* as Linux for a kernel address */
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
	/* Linux writes the parent's word before clone returns. */
	tid32 = (int32_t)v;
	if (flags & CLONE_PARENT_SETTID)
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

/* ---- signals: default actions only (handlers are a follow-up) ---- */

/* Signals whose default action is to be ignored (or to stop/continue). */
static bool
default_ignored(int sig)
{
	return (sig == 17 || sig == 18 || sig == 23 || sig == 28 ||
	    (sig >= 19 && sig <= 22));
}

/*
 * Queue sig for t.  The default action "terminate" (the only one acted on
 * yet) takes effect when t returns from its current or next syscall; a
 * parked t is woken (wait4 and pipes return -EINTR).  A signal with an
 * installed handler stays pending: delivery needs rt_sigframe (later).
 */
static void
signal_info(struct ps_proc *t, int sig, long pid, int code, int status)
{
	uint64_t bit = 1ULL << (sig - 1);

	/* A standard signal already pending keeps its first siginfo. */
	if (sig < 1 || sig > 64 || (t->sig_pending & bit))
		return;
	t->sig_info[sig - 1][0] = (int32_t)pid;
	t->sig_info[sig - 1][1] = code;
	t->sig_info[sig - 1][2] = status;
}

/*
 * Process-directed: the process-wide pending set; every thread is woken
 * and the first one that does not block the signal takes it at its next
 * return to user mode (the others park again).
 */
static void
signal_to(struct ps_proc *t, int sig)
{
	uint64_t bit = 1ULL << (sig - 1);

	if (sig == 0 || t->zombie || t->sig_kill != 0)
		return;
	if (sig == SIGKILL) {
		t->sig_kill = sig;
	} else {
		/* Ignored signals are discarded, even while blocked. */
		if ((t->sig_ignored & bit) || (!(t->sig_handled & bit) &&
		    default_ignored(sig)))
			return;
		t->sig_pending |= bit;
	}
	ps_proc_kick(t);
}

/* Thread-directed (tgkill/tkill): that thread's own pending set. */
void
ps_signal_thread(struct ps_thread *th, int sig, long pid, int code)
{
	struct ps_proc *t = th->proc;
	uint64_t bit;

	if (sig < 1 || sig > 64 || th->dead || t->zombie || t->sig_kill != 0)
		return;
	bit = 1ULL << (sig - 1);
	if (sig == SIGKILL) {
		t->sig_kill = sig;
		ps_proc_kick(t);
		return;
	}
	if ((t->sig_ignored & bit) || (!(t->sig_handled & bit) &&
	    default_ignored(sig)))
		return;
	signal_info(t, sig, pid, code, 0);
	th->sig_pending |= bit;
	t->child_event = 1;
	ps_unpark(th->ktid);
}

bool
ps_signal_interrupts(const struct ps_proc *p)
{
	const struct ps_thread *th = ps_thread_cur();

	if (p->sig_kill != 0 || p->group_exit)
		return (true);
	if (th == NULL || th->proc != p)
		th = &p->main_thr;
	return (th->zapped ||
	    ((th->sig_pending | p->sig_pending) & ~th->sig_mask) != 0);
}

void
ps_signal_send(struct ps_proc *t, int sig, long pid, int code, int status)
{
	if (sig > 0 && sig <= 64) {
		signal_info(t, sig, pid, code, status);
		signal_to(t, sig);
	}
}

#define SA_NODEFER	0x40000000ULL
#define SA_RESETHAND	0x80000000ULL
#define UNBLOCKABLE	((1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1)))
#define FRAME_SIZE	440	/* pretcode + ucontext (304) + siginfo (128) */
#define UC_OFF		8
#define MC_OFF		(UC_OFF + 40)
#define MASK_OFF	(UC_OFF + 296)
#define INFO_OFF	(UC_OFF + 304)

/*
 * Push a Linux x86_64 rt_sigframe for sig on the user stack and point tf
 * at the handler.  Returns false when the frame cannot be written (the
 * caller then kills with SIGSEGV, as Linux does).
 */
#define SA_ONSTACK	0x08000000ULL

static bool
push_frame(struct ps_proc *p, struct hal_trap_frame *tf, int sig, int code,
    uint64_t addr, bool fault)
{
	uint64_t *act = p->sig_act[sig - 1], bit = 1ULL << (sig - 1);
	uint64_t f[FRAME_SIZE / 8], *mc, sp, old, handler = act[0], top;
	struct ps_thread *th = ps_thread_cur();
	bool on_alt;
	int32_t *si;

	old = th->sig_restore_mask ? th->sig_saved_mask : th->sig_mask;
	th->sig_restore_mask = false;
	memset(f, 0, sizeof(f));
	f[0] = act[2];				/* sa_restorer */
	on_alt = p->altstack_size != 0 && tf->rsp > p->altstack_sp &&
	    tf->rsp <= p->altstack_sp + p->altstack_size;
	f[UC_OFF / 8 + 1] = p->altstack_sp;	/* uc_stack */
	f[UC_OFF / 8 + 2] = p->altstack_size == 0 ? 2 : on_alt ? 1 : 0;
	f[UC_OFF / 8 + 3] = p->altstack_size;
	mc = &f[MC_OFF / 8];
	mc[0] = tf->r8; mc[1] = tf->r9; mc[2] = tf->r10; mc[3] = tf->r11;
	mc[4] = tf->r12; mc[5] = tf->r13; mc[6] = tf->r14; mc[7] = tf->r15;
	mc[8] = tf->rdi; mc[9] = tf->rsi; mc[10] = tf->rbp; mc[11] = tf->rbx;
	mc[12] = tf->rdx; mc[13] = tf->rax; mc[14] = tf->rcx; mc[15] = tf->rsp;
	mc[16] = tf->rip; mc[17] = tf->rflags;
	mc[18] = tf->cs | (tf->ss << 48);
	mc[19] = tf->error;
	mc[20] = tf->vector;
	mc[21] = old;
	mc[22] = addr;
	f[MASK_OFF / 8] = old;
	si = (int32_t *)&f[INFO_OFF / 8];
	si[0] = sig;
	if (fault) {
		si[2] = code;
		memcpy(&si[4], &addr, 8);	/* si_addr */
	} else {
		si[2] = p->sig_info[sig - 1][1];
		si[4] = p->sig_info[sig - 1][0];	/* si_pid; si_uid 0 */
		si[6] = p->sig_info[sig - 1][2];	/* si_status */
	}
	top = tf->rsp - 128;
	if ((act[1] & SA_ONSTACK) && p->altstack_size != 0 && !on_alt)
		top = p->altstack_sp + p->altstack_size;
	sp = ((top - FRAME_SIZE) & ~15ULL) - 8;
	if (!mm_user_range_ok(sp, FRAME_SIZE) ||
	    hal_copy_to_user(sp, f, FRAME_SIZE) != 0)
		return (false);
	th->sig_mask |= (act[3] | ((act[1] & SA_NODEFER) ? 0 : bit)) &
	    ~UNBLOCKABLE;
	if (act[1] & SA_RESETHAND) {
		memset(act, 0, 4 * sizeof(uint64_t));
		p->sig_handled &= ~bit;
	}
	tf->rip = tf->rcx = handler;
	tf->rsp = sp;
	tf->rdi = (uint64_t)sig;
	tf->rsi = sp + INFO_OFF;
	tf->rdx = sp + UC_OFF;
	tf->rax = 0;
	tf->rflags = (tf->rflags & ~0x400ULL) | 0x202;	/* DF clear */
	tf->r11 = tf->rflags;
	return (true);
}

int
ps_signal_deliver(struct hal_trap_frame *tf)
{
	struct ps_proc *p = ps_proc_current();
	struct ps_thread *th = ps_thread_cur();
	uint64_t ready, bit;
	int sig;

	if (p == NULL || ps_proc_find(p->pid) != p || p->zombie || th == NULL)
		return (0);
	/* Another thread execs: this one ends (never the last one). */
	if (th->zapped)
		(void)ps_thread_leave(0, false);
	/* A group exit under way: leave; the last thread ends the process. */
	if (p->group_exit)
		return (p->group_status != 0 ? p->group_status : SIGKILL);
	if (p->sig_kill != 0)
		return (p->sig_kill);
	while ((ready = (th->sig_pending | p->sig_pending) &
	    ~th->sig_mask) != 0) {
		sig = __builtin_ctzll(ready) + 1;
		bit = 1ULL << (sig - 1);
		/* Thread-directed first, as Linux dequeues. */
		if (th->sig_pending & bit)
			th->sig_pending &= ~bit;
		else
			p->sig_pending &= ~bit;
		if (p->sig_handled & bit)
			return (push_frame(p, tf, sig, 0, 0, false) ? 0 : 11);
		if ((p->sig_ignored & bit) || default_ignored(sig))
			continue;
		return (sig);
	}
	return (0);
}

int
ps_signal_fault(struct hal_trap_frame *tf, int sig, uint64_t addr)
{
	struct ps_proc *p = ps_proc_current();
	struct ps_thread *th = ps_thread_cur();
	uint64_t bit = 1ULL << (sig - 1);

	/* A blocked or unhandled fault signal takes its default action. */
	if (p == NULL || th == NULL || ps_proc_find(p->pid) != p ||
	    !(p->sig_handled & bit) || (th->sig_mask & bit))
		return (0);
	/*
	 * si_code: SEGV_MAPERR 1 / SEGV_ACCERR 2 (page present), FPE_INTDIV
	 * 1, ILL_ILLOPN 2, TRAP_BRKPT 1.
	 */
	return (push_frame(p, tf, sig, sig == 11 ? ((tf->error & 1) ? 2 : 1) :
	    sig == 4 ? 2 : 1, sig == 11 ? addr : tf->rip, true) ? 1 : 0);
}

/* rt_sigreturn: restore the context saved by push_frame. */
static long
sys_rt_sigreturn(struct ps_proc *p, struct hal_trap_frame *tf)
{
	uint64_t mc[23], mask, base = tf->rsp - 8;

	if (hal_copy_from_user(mc, base + MC_OFF, sizeof(mc)) != 0 ||
	    hal_copy_from_user(&mask, base + MASK_OFF, 8) != 0 ||
	    !mm_user_range_ok(mc[16], 1)) {
		p->sig_kill = 11;		/* a broken frame: SIGSEGV */
		return (-EFAULT);
	}
	tf->r8 = mc[0]; tf->r9 = mc[1]; tf->r10 = mc[2]; tf->r11 = mc[3];
	tf->r12 = mc[4]; tf->r13 = mc[5]; tf->r14 = mc[6]; tf->r15 = mc[7];
	tf->rdi = mc[8]; tf->rsi = mc[9]; tf->rbp = mc[10]; tf->rbx = mc[11];
	tf->rdx = mc[12]; tf->rcx = mc[14]; tf->rsp = mc[15];
	tf->rip = mc[16];
	tf->rflags = (mc[17] & 0x244dd5ULL) | 0x202;
	tf->cs = HAL_USER_CS;
	tf->ss = HAL_USER_SS;
	ps_thread_cur()->sig_mask = mask & ~UNBLOCKABLE;
	return ((long)mc[13]);			/* rax of the context */
}

static long
sys_rt_sigprocmask(struct ps_thread *p, uint64_t how, uint64_t uset,
    uint64_t uold, uint64_t size)
{
	uint64_t set, old = p->sig_mask;

	if (size != 8)
		return (-NC_EINVAL);
	if (uset != 0) {
		if (how > 2)
			return (-NC_EINVAL);
		if (hal_copy_from_user(&set, uset, 8) != 0)
			return (-EFAULT);
	}
	if (uold != 0 && hal_copy_to_user(uold, &old, 8) != 0)
		return (-EFAULT);
	if (uset == 0)
		return (0);
	if (how == 0)
		p->sig_mask |= set;
	else if (how == 1)
		p->sig_mask &= ~set;
	else
		p->sig_mask = set;
	p->sig_mask &= ~UNBLOCKABLE;
	return (0);
}

static long
sys_rt_sigsuspend(struct ps_proc *p, uint64_t uset, uint64_t size)
{
	struct ps_thread *th = ps_thread_cur();
	uint64_t set;

	if (size != 8)
		return (-NC_EINVAL);
	if (hal_copy_from_user(&set, uset, 8) != 0)
		return (-EFAULT);
	if (ps_proc_find(p->pid) != p)
		return (-4);
	th->sig_saved_mask = th->sig_mask;
	th->sig_mask = set & ~UNBLOCKABLE;
	while (!ps_signal_interrupts(p)) {
		p->child_event = 0;
		ps_park_until(hal_clock_ns() + 1000000000ULL, &p->child_event);
	}
	/* The handler frame carries the old mask; without one, restore. */
	th->sig_restore_mask = true;
	if (((p->sig_pending | th->sig_pending) & ~th->sig_mask &
	    p->sig_handled) == 0) {
		th->sig_mask = th->sig_saved_mask;
		th->sig_restore_mask = false;
	}
	return (-4);				/* EINTR */
}

static bool
may_signal(struct ps_proc *p, struct ps_proc *t)
{
	/* Apps never signal rootd or services (same uid or not). */
	return (p->bootstrap || p->service_image ||
	    (!t->bootstrap && !t->service_image));
}

static long
sys_kill(struct ps_proc *p, int64_t pid, uint64_t sig, int code)
{
	struct ps_proc *t;
	long pg, n = 0, denied = 0;

	if (sig > 64)
		return (-NC_EINVAL);
	if (ps_proc_find(p->pid) != p)
		return (-EPERM);
	if (pid > 0) {
		if (pid > INT32_MAX || (t = ps_proc_find((long)pid)) == NULL)
			return (-ESRCH);
		if (!may_signal(p, t))
			return (-EPERM);
		signal_info(t, (int)sig, p->pid, code, 0);
		signal_to(t, (int)sig);
		return (0);
	}
	if (pid == INT64_MIN || pid < -(int64_t)INT32_MAX)
		return (-ESRCH);
	/* 0: our group; -1: every app we may signal but us; -g: group g. */
	pg = pid == 0 ? p->pgid : (long)-pid;
	for (t = ps_proc_first(); t != NULL; t = t->next) {
		if (t->zombie || (pid == -1 ? t == p || t->pid == 1 :
		    t->pgid != pg))
			continue;
		if (!may_signal(p, t)) {
			denied++;
			continue;
		}
		n++;
		if (t != p) {
			signal_info(t, (int)sig, p->pid, code, 0);
			signal_to(t, (int)sig);
		}
	}
	/* Ourselves last, so the whole group got it first. */
	if (pid != -1 && p->pgid == pg) {
		signal_info(p, (int)sig, p->pid, code, 0);
		signal_to(p, (int)sig);
	}
	return (n > 0 ? 0 : denied > 0 ? -EPERM : -ESRCH);
}

/* tgkill (tgid > 0) / tkill (tgid 0): one thread, SI_TKILL. */
static long
sys_tgkill(struct ps_proc *p, long tgid, long tid, uint64_t sig)
{
	struct ps_thread *th;
	struct ps_proc *t;

	if (sig > 64)
		return (-NC_EINVAL);
	if (ps_proc_find(p->pid) != p)
		return (-EPERM);
	if (tgid > 0) {
		if ((t = ps_proc_find(tgid)) == NULL || t->zombie ||
		    (th = ps_thread_find(t, tid)) == NULL)
			return (-ESRCH);
	} else if ((th = ps_thread_find_any(tid)) == NULL)
		return (-ESRCH);
	if (!may_signal(p, th->proc))
		return (-EPERM);
	if (sig != 0)
		ps_signal_thread(th, (int)sig, p->pid, -6);	/* SI_TKILL */
	return (0);
}

static long
sys_rt_sigaction(struct ps_proc *p, uint64_t sig, uint64_t uact,
    uint64_t uold, uint64_t setsize)
{
	uint64_t act[4], bit;

	if (setsize != 8 || sig == 0 || sig > 64)
		return (-NC_EINVAL);
	if (uact != 0 && (sig == SIGKILL || sig == SIGSTOP))
		return (-NC_EINVAL);
	if (uold != 0 && hal_copy_to_user(uold, p->sig_act[sig - 1],
	    sizeof(act)) != 0)
		return (-EFAULT);
	if (uact == 0)
		return (0);
	if (hal_copy_from_user(act, uact, sizeof(act)) != 0)
		return (-EFAULT);
	memcpy(p->sig_act[sig - 1], act, sizeof(act));
	bit = 1ULL << (sig - 1);
	p->sig_ignored &= ~bit;
	p->sig_handled &= ~bit;
	if (act[0] == 1)			/* SIG_IGN */
		p->sig_ignored |= bit;
	else if (act[0] != 0)			/* a handler */
		p->sig_handled |= bit;
	return (0);
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

long
ps_linux_proc_call(struct hal_trap_frame *tf, uint64_t nr, bool *handled)
{
	struct ps_proc *p = ps_proc_current();
	uint64_t a0 = tf->rdi, a1 = tf->rsi, a2 = tf->rdx;

	*handled = true;
	switch (nr) {
	case 62:	/* kill */
		/* pid_t is an int: upper bits of the register are noise. */
		return (sys_kill(p, (int32_t)a0, a1, 0));	/* SI_USER */
	case 200:	/* tkill(tid, sig) */
		if ((int32_t)a0 <= 0)
			return (-NC_EINVAL);
		return (sys_tgkill(p, 0, (int32_t)a0, a1));
	case 234:	/* tgkill(tgid, tid, sig) */
		if ((int32_t)a0 <= 0 || (int32_t)a1 <= 0)
			return (-NC_EINVAL);
		return (sys_tgkill(p, (int32_t)a0, (int32_t)a1, a2));
	case 34:	/* pause */
		if (ps_proc_find(p->pid) != p)
			return (-4);		/* detached: nobody signals it */
		while (!ps_signal_interrupts(p)) {
			p->child_event = 0;
			ps_park_until(hal_clock_ns() + 1000000000ULL,
			    &p->child_event);
		}
		return (-4);			/* EINTR */
	case 131: {	/* sigaltstack(ss, old): stack_t {sp, flags, size} */
		uint64_t ss[3], old[3];
		bool on = p->altstack_size != 0 && tf->rsp > p->altstack_sp &&
		    tf->rsp <= p->altstack_sp + p->altstack_size;

		old[0] = p->altstack_sp;
		old[1] = p->altstack_size == 0 ? 2 : on ? 1 : 0;
		old[2] = p->altstack_size;
		if (a0 != 0) {
			if (hal_copy_from_user(ss, a0, sizeof(ss)) != 0)
				return (-EFAULT);
			if (on)
				return (-EPERM);
			if ((ss[1] & 0xffffffffULL & ~(2ULL | 0x80000000ULL)) != 0)
				return (-NC_EINVAL);
			if (ss[1] & 2) {		/* SS_DISABLE */
				p->altstack_sp = p->altstack_size = 0;
			} else {
				if (ss[2] < 2048)	/* MINSIGSTKSZ */
					return (-12);	/* ENOMEM */
				if (!mm_user_range_ok(ss[0], ss[2]))
					return (-EFAULT);
				p->altstack_sp = ss[0];
				p->altstack_size = ss[2];
			}
		}
		if (a1 != 0 && hal_copy_to_user(a1, old, sizeof(old)) != 0)
			return (-EFAULT);
		return (0);
	}
	case 230: {	/* clock_nanosleep(clock, flags, req, rem) */
		uint64_t ts[2], now = hal_clock_ns(), deadline, left;

		if (a0 > 11 || a0 == 2 || a0 == 3 || (a1 & ~1ULL) != 0)
			return (-NC_EINVAL);	/* CPU-time clocks: later */
		if (hal_copy_from_user(ts, a2, 16) != 0)
			return (-EFAULT);
		if ((int64_t)ts[0] < 0 || ts[1] >= 1000000000ULL)
			return (-NC_EINVAL);
		if (ts[0] > 1000000000ULL)
			ts[0] = 1000000000ULL;	/* ~31 years: no overflow */
		deadline = ts[0] * 1000000000ULL + ts[1];
		/* Every clock reads hal_clock_ns (clock_gettime does too). */
		if ((a1 & 1) == 0)
			deadline += now;
		while ((now = hal_clock_ns()) < deadline) {
			if (ps_proc_find(p->pid) == p &&
			    ps_signal_interrupts(p)) {
				left = deadline - now;
				ts[0] = left / 1000000000ULL;
				ts[1] = left % 1000000000ULL;
				if ((a1 & 1) == 0 && tf->r10 != 0)
					(void)hal_copy_to_user(tf->r10, ts, 16);
				return (-4);		/* EINTR */
			}
			p->child_event = 0;
			ps_park_until(deadline, &p->child_event);
		}
		return (0);
	}
	case 15:	/* rt_sigreturn */
		return (sys_rt_sigreturn(p, tf));
	case 14:	/* rt_sigprocmask */
		return (sys_rt_sigprocmask(ps_thread_cur(), a0, a1, a2,
		    tf->r10));
	case 127: {	/* rt_sigpending(set, size) */
		uint64_t pend = (p->sig_pending | ps_thread_cur()->sig_pending) &
		    ps_thread_cur()->sig_mask;

		if (a1 != 8)
			return (-NC_EINVAL);
		return (hal_copy_to_user(a0, &pend, 8) != 0 ? -EFAULT : 0);
	}
	case 130:	/* rt_sigsuspend */
		return (sys_rt_sigsuspend(p, a0, a1));
	case 13:	/* rt_sigaction */
		return (sys_rt_sigaction(p, a0, a1, a2, tf->r10));
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
