/*
 * signal.c -- POSIX signals of user processes and threads: queueing
 * (process- and thread-directed, real-time queue, ps_signal_send),
 * delivery on the way back to user mode through a Linux x86_64
 * rt_sigframe with the FXSAVE image (ps_signal_deliver) and rt_sigreturn,
 * syscall restart (-PS_ERESTARTSYS, SA_RESTART), job control (stop and
 * continue), CPU faults turned into SIGSEGV/SIGBUS/SIGFPE/SIGILL/SIGTRAP
 * (ps_signal_fault), and the Linux calls: kill/tkill/tgkill/
 * rt_(tg)sigqueueinfo (other processes: procd decides, PROC_SIGNAL_QUEUE_
 * BROKER queues), rt_sigaction, rt_sigprocmask, rt_sigpending,
 * rt_sigsuspend, rt_sigtimedwait, pause, sigaltstack, signalfd
 * (ps_signal_call).  fork copies and execve resets the dispositions
 * (ps_signal_fork, ps_signal_exec).  docs/ai/bootstrap.md "Signals".
 */
#include <ps/api.h>
#include <hal/api.h>
#include <mm/api.h>
#include <ipc-runtime/api.h>
#include <nucleus-core/api.h>

#include <rustos/ipc_services.h>
#include <rustos/offload.h>
#include <rustos/proc_broker.h>

#define EFAULT		14
#define ESRCH		3
#define EPERM		1
#define EINTR		4
#define ENOMEM		12
#define EBADF		9
#define SIGKILL		9
#define SIGSTOP		19

#define SI_USER		0
#define SI_KERNEL	0x80
#define SI_QUEUE	(-1)
#define SI_TKILL	(-6)
#define SIGRTMIN_K	32		/* the kernel's first real-time signal */
#define BIT(s)		(1ULL << ((s) - 1))
#define UNBLOCKABLE	(BIT(SIGKILL) | BIT(SIGSTOP))
#define NO_RESTART	(~0ULL)		/* tf->error after rt_sigreturn */

/*
 * Signals whose default action is to be ignored.  SIGCONT (18) is one:
 * its continuing happens when it is sent, whatever the disposition.
 */
static bool
default_ignored(int sig)
{
	return (sig == 17 || sig == 18 || sig == 23 || sig == 28);
}

/* SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU: the default action stops. */
static bool
is_stop(int sig)
{
	return (sig >= 19 && sig <= 22);
}

#define SIGCONT_K	18
#define SA_NOCLDSTOP	0x00000001ULL
#define CLD_STOPPED	5
#define CLD_CONTINUED	6
#define STOP_BITS	(BIT(19) | BIT(20) | BIT(21) | BIT(22))

/* Tell t's parent that t stopped or continued (wait, SIGCHLD). */
static void
notify_parent(struct ps_proc *t, int code, int status)
{
	struct ps_proc *parent = ps_proc_find(t->ppid);

	if (parent == NULL || parent == t)
		return;
	ps_proc_kick(parent);
	if (!(parent->sig_act[16][1] & SA_NOCLDSTOP))
		ps_signal_send(parent, 17, t->pid, code, status);
}

/*
 * Sending SIGCONT: pending stop signals are dropped and a stopped t runs
 * again (its parent may collect that with WCONTINUED).  Sending a stop
 * signal drops a pending SIGCONT.
 */
static void
job_control_on_send(struct ps_proc *t, int sig)
{
	struct ps_thread *th;

	if (sig == SIGCONT_K) {
		t->sig_pending &= ~STOP_BITS;
		for (th = t->threads; th != NULL; th = th->next)
			th->sig_pending &= ~STOP_BITS;
		if (t->stopped) {
			t->stopped = false;
			t->stop_report = false;
			t->cont_report = true;
			t->cont_event = 1;
			ps_proc_kick(t);
			notify_parent(t, CLD_CONTINUED, SIGCONT_K);
		}
	} else if (is_stop(sig)) {
		t->sig_pending &= ~BIT(SIGCONT_K);
		for (th = t->threads; th != NULL; th = th->next)
			th->sig_pending &= ~BIT(SIGCONT_K);
	}
}

/*
 * A stopped process's threads wait here, on their way back to user mode,
 * until SIGCONT (or SIGKILL, or an exit of the group).
 */
static void
stop_wait(struct ps_proc *p)
{
	while (p->stopped && p->sig_kill == 0 && !p->group_exit) {
		p->cont_event = 0;
		ps_park_until(hal_clock_ns() + 100000000ULL, &p->cont_event);
	}
}

int
ps_signal_child_report(struct ps_proc *c, uint64_t options, bool keep,
    int *status)
{
	if (c->zombie)
		return (-1);
	if ((options & 2) && c->stop_report) {
		*status = (c->stop_sig << 8) | 0x7f;
		if (!keep)
			c->stop_report = false;
		return (0);
	}
	if ((options & 8) && c->cont_report) {
		*status = 0xffff;
		if (!keep)
			c->cont_report = false;
		return (0);
	}
	return (-1);
}

/* Whether t's disposition of sig discards it (SIG_IGN, or a default one). */
static bool
disposition_ignores(const struct ps_proc *t, int sig)
{
	return ((t->sig_ignored & BIT(sig)) || (!(t->sig_handled & BIT(sig)) &&
	    default_ignored(sig)));
}

/* Every thread of t rechecks; one that does not block a signal takes it. */
static void
wake(struct ps_proc *t)
{
	ps_proc_kick(t);
}

/* Whether every live thread of t blocks bit (process-directed signals). */
static bool
all_block(const struct ps_proc *t, uint64_t bit)
{
	const struct ps_thread *th;

	for (th = t->threads; th != NULL; th = th->next)
		if (!th->dead && !(th->sig_mask & bit))
			return (false);
	return (t->threads != NULL);
}

/*
 * Make sig pending for t with its siginfo.  Standard signals collapse (the
 * first siginfo stays); real-time ones queue in order, up to PS_SIGQ_MAX:
 * beyond that a kill() still marks the signal pending (without siginfo of
 * its own) while sigqueue (must_queue) gets -EAGAIN, as on Linux.
 * Unblocked signals that t's disposition ignores are discarded; blocked
 * ones stay pending (sigwait may take them).  SIGKILL and default actions
 * take effect when t returns to user mode (ps_signal_deliver); a parked t
 * is woken so its blocking call returns -EINTR (or restarts).
 */
static int
queue_signal(struct ps_proc *t, const struct ps_siginfo *si, bool must_queue)
{
	int sig = si->signo;
	uint64_t bit = BIT(sig);

	if (t->zombie || t->sig_kill != 0)
		return (0);
	if (sig == SIGKILL) {
		t->sig_kill = sig;
		t->cont_event = 1;		/* a stopped t dies too */
		wake(t);
		return (0);
	}
	job_control_on_send(t, sig);
	if (!all_block(t, bit) && disposition_ignores(t, sig))
		return (0);
	if (sig < SIGRTMIN_K) {
		if (!(t->sig_pending & bit))
			t->sig_info[sig] = *si;
	} else if (t->sig_rtq_len < PS_SIGQ_MAX) {
		t->sig_rtq[t->sig_rtq_len++] = *si;
	} else if (must_queue) {
		return (-NC_EAGAIN);
	}
	t->sig_pending |= bit;
	if (!all_block(t, bit) || (t->sig_waiting & bit))
		wake(t);
	return (0);
}

/*
 * Thread-directed (tgkill, tkill, rt_tgsigqueueinfo): pending for th
 * only.  Standard signals keep their first siginfo in the thread;
 * real-time ones share the process queue (the thread's bit says one is
 * for it).
 */
static int
queue_thread_signal(struct ps_thread *th, const struct ps_siginfo *si,
    bool must_queue)
{
	struct ps_proc *t = th->proc;
	int sig = si->signo;
	uint64_t bit = BIT(sig);

	if (th->dead || t->zombie || t->sig_kill != 0)
		return (0);
	if (sig == SIGKILL) {
		t->sig_kill = sig;
		wake(t);
		return (0);
	}
	if (!(th->sig_mask & bit) && disposition_ignores(t, sig))
		return (0);
	if (sig < SIGRTMIN_K) {
		if (!(th->sig_pending & bit))
			th->sig_tinfo[sig] = *si;
	} else if (t->sig_rtq_len < PS_SIGQ_MAX) {
		t->sig_rtq[t->sig_rtq_len++] = *si;
	} else if (must_queue) {
		return (-NC_EAGAIN);
	}
	th->sig_pending |= bit;
	if (!(th->sig_mask & bit) || (t->sig_waiting & bit)) {
		t->child_event = 1;
		ps_unpark(th->ktid);
	}
	return (0);
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

/* Take pending sig off p's queue into *si. */
static void
dequeue(struct ps_proc *p, int sig, struct ps_siginfo *si)
{
	unsigned i, more = 0;
	bool found = false;

	if (sig < SIGRTMIN_K) {
		*si = p->sig_info[sig];
		p->sig_pending &= ~BIT(sig);
		return;
	}
	for (i = 0; i < p->sig_rtq_len; i++) {
		if (p->sig_rtq[i].signo != sig)
			continue;
		if (found) {
			more++;
			continue;
		}
		found = true;
		*si = p->sig_rtq[i];
		memmove(&p->sig_rtq[i], &p->sig_rtq[i + 1],
		    (p->sig_rtq_len - i - 1) * sizeof(p->sig_rtq[0]));
		p->sig_rtq_len--;
		i--;
	}
	if (!found) {				/* overflowed kill() */
		memset(si, 0, sizeof(*si));
		si->signo = sig;
		si->code = SI_USER;
	}
	if (more == 0)
		p->sig_pending &= ~BIT(sig);
}

/* Take pending sig for thread th: its own first, then the process's. */
static void
dequeue_for(struct ps_thread *th, int sig, struct ps_siginfo *si)
{
	struct ps_proc *p = th->proc;
	uint64_t keep;

	if (!(th->sig_pending & BIT(sig))) {
		dequeue(p, sig, si);
		return;
	}
	th->sig_pending &= ~BIT(sig);
	if (sig < SIGRTMIN_K) {
		*si = th->sig_tinfo[sig];
		return;
	}
	/* The shared RT queue: the process's own bit stays as it was. */
	keep = p->sig_pending & BIT(sig);
	dequeue(p, sig, si);
	p->sig_pending = (p->sig_pending & ~BIT(sig)) | keep;
}

/* Drop every pending instance of sig (its disposition became ignore). */
static void
flush_signal(struct ps_proc *p, int sig)
{
	struct ps_siginfo si;
	struct ps_thread *th;

	while (p->sig_pending & BIT(sig))
		dequeue(p, sig, &si);
	for (th = p->threads; th != NULL; th = th->next)
		while (th->sig_pending & BIT(sig))
			dequeue_for(th, sig, &si);
}

void
ps_signal_send(struct ps_proc *t, int sig, long pid, int code, int status)
{
	struct ps_siginfo si;

	if (sig <= 0 || sig > 64)
		return;
	si.signo = sig;
	si.code = code;
	si.w16 = (uint32_t)pid;			/* si_uid 0 */
	si.w24 = (uint32_t)status;
	(void)queue_signal(t, &si, false);
}

bool
ps_signal_autoreap(const struct ps_proc *p)
{
	/* SIGCHLD set to SIG_IGN, or SA_NOCLDWAIT (0x2) on its action. */
	return ((p->sig_ignored & BIT(17)) || (p->sig_act[16][1] & 2) != 0);
}

#define SS_ONSTACK	1
#define SS_DISABLE	2
#define SS_AUTODISARM	0x80000000U
#define MINSIGSTKSZ	2048
#define SA_NOCLDWAIT	0x00000002ULL
#define SA_ONSTACK	0x08000000ULL
#define SA_RESTART	0x10000000ULL
#define SA_NODEFER	0x40000000ULL
#define SA_RESETHAND	0x80000000ULL
/*
 * The Linux x86_64 rt_sigframe: pretcode, ucontext (uc_flags, uc_link,
 * uc_stack, uc_mcontext of 256 bytes, uc_sigmask) and siginfo (128); the
 * FXSAVE image uc_mcontext.fpstate points at sits above it, 64-aligned.
 */
#define FRAME_SIZE	440
#define UC_OFF		8
#define UC_STACK_OFF	(UC_OFF + 16)
#define MC_OFF		(UC_OFF + 40)
#define MASK_OFF	(UC_OFF + 296)
#define INFO_OFF	(UC_OFF + 304)
#define MC_FPSTATE	23		/* uc_mcontext.fpstate, in words */
#define MC_WORDS	24

/* The alternate stack is per thread (sigaltstack acts on the caller). */
static bool
on_altstack(const struct ps_thread *p, uint64_t sp)
{
	return (p->altstack_size != 0 && sp > p->altstack_sp &&
	    sp <= p->altstack_sp + p->altstack_size);
}

/*
 * Push an rt_sigframe for sig (siginfo si) on the user stack and point tf
 * at the handler.  Returns false when the frame cannot be written (the
 * caller then kills with SIGSEGV, as Linux does).  The handler starts
 * with a clean FPU; the interrupted code's state is in the frame.
 */
static bool
push_frame(struct ps_proc *p, struct hal_trap_frame *tf, int sig,
    const struct ps_siginfo *info, uint64_t cr2)
{
	uint64_t *act = p->sig_act[sig - 1], bit = BIT(sig);
	uint64_t f[FRAME_SIZE / 8], *mc, sp, old, handler = act[0], top, fx;
	uint8_t fpu[HAL_FPU_SIZE + 16], *fa;
	struct ps_thread *th = ps_thread_cur();
	bool on_alt;
	int32_t *si;

	old = th->sig_restore_mask ? th->sig_saved_mask : th->sig_mask;
	memset(f, 0, sizeof(f));
	f[0] = act[2];				/* sa_restorer */
	on_alt = on_altstack(th, tf->rsp);
	/* uc_stack (after uc_flags and uc_link): ss_sp, ss_flags, ss_size */
	f[UC_STACK_OFF / 8] = th->altstack_sp;
	f[UC_STACK_OFF / 8 + 1] = (th->altstack_size == 0 ? SS_DISABLE :
	    on_alt ? SS_ONSTACK : 0) | th->altstack_flags;
	f[UC_STACK_OFF / 8 + 2] = th->altstack_size;
	mc = &f[MC_OFF / 8];
	mc[0] = tf->r8; mc[1] = tf->r9; mc[2] = tf->r10; mc[3] = tf->r11;
	mc[4] = tf->r12; mc[5] = tf->r13; mc[6] = tf->r14; mc[7] = tf->r15;
	mc[8] = tf->rdi; mc[9] = tf->rsi; mc[10] = tf->rbp; mc[11] = tf->rbx;
	mc[12] = tf->rdx; mc[13] = tf->rax; mc[14] = tf->rcx; mc[15] = tf->rsp;
	mc[16] = tf->rip; mc[17] = tf->rflags;
	mc[18] = tf->cs | (tf->ss << 48);
	/* err/trapno of a fault; a syscall frame has neither. */
	if (tf->vector != HAL_VEC_SYSCALL) {
		mc[19] = tf->error;
		mc[20] = tf->vector;
	}
	mc[21] = old;
	mc[22] = cr2;
	f[MASK_OFF / 8] = old;
	si = (int32_t *)&f[INFO_OFF / 8];
	si[0] = sig;
	si[2] = info->code;
	memcpy(&si[4], &info->w16, 8);		/* si_pid/si_uid or si_addr */
	memcpy(&si[6], &info->w24, 8);		/* si_value or si_status */
	top = tf->rsp - 128;			/* the red zone */
	if ((act[1] & SA_ONSTACK) && th->altstack_size != 0 && !on_alt)
		top = th->altstack_sp + th->altstack_size;
	fx = (top - HAL_FPU_SIZE) & ~63ULL;
	mc[MC_FPSTATE] = fx;
	sp = ((fx - FRAME_SIZE) & ~15ULL) - 8;
	fa = (uint8_t *)(((uintptr_t)fpu + 15) & ~(uintptr_t)15);
	hal_fpu_save(fa);
	if (!mm_user_range_ok(sp, top - sp) ||
	    hal_copy_to_user(fx, fa, HAL_FPU_SIZE) != 0 ||
	    hal_copy_to_user(sp, f, FRAME_SIZE) != 0)
		return (false);
	hal_fpu_reset();
	/* SS_AUTODISARM: no alternate stack until rt_sigreturn restores it. */
	if (th->altstack_flags & SS_AUTODISARM)
		th->altstack_sp = th->altstack_size = th->altstack_flags = 0;
	th->sig_restore_mask = false;
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
	tf->rflags = (tf->rflags & ~0x40400ULL) | 0x202;  /* DF, AC clear */
	tf->r11 = tf->rflags;
	return (true);
}

/* Back to the syscall instruction, with the call number in rax again. */
static void
restart_syscall(struct hal_trap_frame *tf)
{
	tf->rax = tf->error;
	tf->rip -= 2;
	tf->rcx = tf->rip;
}

int
ps_signal_deliver(struct hal_trap_frame *tf)
{
	struct ps_proc *p = ps_proc_current();
	struct ps_thread *th = ps_thread_cur();
	struct ps_siginfo si;
	uint64_t ready;
	bool restart;
	int sig;

	/*
	 * A blocking call that saw a signal returned -PS_ERESTARTSYS (the
	 * syscall entry kept its number in tf->error): it runs again unless
	 * a handler without SA_RESTART runs, which makes it -EINTR.
	 */
	restart = tf->vector == HAL_VEC_SYSCALL && tf->error != NO_RESTART &&
	    (int64_t)tf->rax == -PS_ERESTARTSYS;
	/*
	 * The common return to user: nothing to do, and the answer is 0
	 * whether or not p is still listed, so the process-list walk below
	 * is skipped (it ran on every syscall return).
	 */
	if (!restart && p != NULL && th != NULL && !th->zapped &&
	    !p->group_exit && p->sig_kill == 0 && !p->stopped &&
	    ((th->sig_pending | p->sig_pending) & ~th->sig_mask) == 0)
		return (0);
	if (p == NULL || th == NULL || ps_proc_find(p->pid) != p ||
	    p->zombie) {
		if (restart)
			tf->rax = (uint64_t)-EINTR;
		return (0);
	}
	/* Another thread execs: this one ends (never the last one). */
	if (th->zapped)
		(void)ps_thread_leave(0, false);
	/* A group exit under way: leave; the last thread ends the process. */
	if (p->group_exit)
		return (p->group_status != 0 ? p->group_status : SIGKILL);
	if (p->sig_kill != 0)
		return (p->sig_kill);
	/* Every thread of a stopped process waits for SIGCONT here. */
	if (p->stopped) {
		stop_wait(p);
		if (p->sig_kill != 0 || p->group_exit)
			return (p->sig_kill != 0 ? p->sig_kill : SIGKILL);
	}
	while ((ready = (th->sig_pending | p->sig_pending) &
	    ~th->sig_mask) != 0) {
		sig = __builtin_ctzll(ready) + 1;
		/* Thread-directed first, as Linux dequeues. */
		dequeue_for(th, sig, &si);
		if (p->sig_handled & BIT(sig)) {
			if (restart && (p->sig_act[sig - 1][1] & SA_RESTART))
				restart_syscall(tf);
			else if (restart)
				tf->rax = (uint64_t)-EINTR;
			return (push_frame(p, tf, sig, &si, 0) ? 0 : 11);
		}
		if (disposition_ignores(p, sig))
			continue;
		if (is_stop(sig) && sig != SIGSTOP &&
		    ps_pgrp_orphaned(p->pgid, NULL)) {
			/*
			 * POSIX: SIGTSTP/SIGTTIN/SIGTTOU do not stop a member
			 * of an orphaned group (nobody could continue it);
			 * the signal is discarded.
			 */
			continue;
		}
		if (is_stop(sig)) {
			/* Default action: stop until SIGCONT. */
			p->stopped = true;
			p->stop_sig = sig;
			p->stop_report = true;
			p->cont_report = false;
			notify_parent(p, CLD_STOPPED, sig);
			stop_wait(p);
			if (p->sig_kill != 0)
				return (p->sig_kill);
			continue;
		}
		return (sig);
	}
	if (restart)
		restart_syscall(tf);
	return (0);
}

/* Linux's si_code for an FPU/SSE exception: the first unmasked flag. */
static int
fpu_code(unsigned vector)
{
	uint8_t raw[HAL_FPU_SIZE + 16], *fa;
	uint32_t mxcsr;
	uint16_t fsw, fcw;
	unsigned x;

	fa = (uint8_t *)(((uintptr_t)raw + 15) & ~(uintptr_t)15);
	hal_fpu_save(fa);
	memcpy(&fcw, fa, 2);
	memcpy(&fsw, fa + 2, 2);
	memcpy(&mxcsr, fa + 24, 4);
	x = vector == 19 ? (mxcsr & ~(mxcsr >> 7)) & 0x3f :
	    (fsw & ~fcw) & 0x3f;
	if (x & 0x01)
		return (7);			/* FPE_FLTINV */
	if (x & 0x04)
		return (3);			/* FPE_FLTDIV */
	if (x & 0x08)
		return (4);			/* FPE_FLTOVF */
	if (x & 0x12)
		return (5);			/* FPE_FLTUND */
	if (x & 0x20)
		return (6);			/* FPE_FLTRES */
	return (0);
}

int
ps_signal_fault(struct hal_trap_frame *tf, int sig, uint64_t addr)
{
	struct ps_proc *p = ps_proc_current();
	struct ps_thread *th = ps_thread_cur();
	struct ps_siginfo si;
	uint64_t bit = BIT(sig);

	/* A blocked or unhandled fault signal takes its default action. */
	if (p == NULL || th == NULL || ps_proc_find(p->pid) != p ||
	    !(p->sig_handled & bit) || (th->sig_mask & bit))
		return (0);
	memset(&si, 0, sizeof(si));
	si.signo = sig;
	si.w16 = tf->rip;
	switch (tf->vector) {
	case 0:					/* #DE */
		si.code = 1;			/* FPE_INTDIV */
		break;
	case 6:					/* #UD */
		si.code = 2;			/* ILL_ILLOPN */
		break;
	case 14:				/* #PF */
		/* SEGV_MAPERR 1 / SEGV_ACCERR 2; BUS_ADRERR 2 */
		si.code = sig == 7 ? 2 : (tf->error & 1) ? 2 : 1;
		si.w16 = addr;
		break;
	case 16:				/* x87 #MF */
	case 19:				/* SIMD #XM */
		si.code = fpu_code((unsigned)tf->vector);
		break;
	case 17:				/* #AC */
		si.code = 1;			/* BUS_ADRALN */
		si.w16 = 0;
		break;
	default:				/* int3, #GP, #SS...*/
		si.code = SI_KERNEL;
		si.w16 = 0;
		break;
	}
	return (push_frame(p, tf, sig, &si, tf->vector == 14 ? addr : 0) ?
	    1 : 0);
}

/*
 * Install stack_t ss {sp, flags, size} as th's alternate stack, sp_now
 * being the user stack pointer: -EPERM while on the current one, -EINVAL
 * for unknown flags, -ENOMEM below MINSIGSTKSZ, -EFAULT outside user
 * memory.  SS_ONSTACK as the mode means "enable" (old programs).
 */
static long
set_altstack(struct ps_thread *th, const uint64_t ss[3], uint64_t sp_now)
{
	uint32_t flags = (uint32_t)ss[1], mode = flags & ~SS_AUTODISARM;

	if (on_altstack(th, sp_now))
		return (-EPERM);
	if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE)
		return (-NC_EINVAL);
	if (mode == SS_DISABLE) {
		th->altstack_sp = th->altstack_size = th->altstack_flags = 0;
		return (0);
	}
	if (ss[2] < MINSIGSTKSZ)
		return (-ENOMEM);
	if (!mm_user_range_ok(ss[0], ss[2]))
		return (-EFAULT);
	th->altstack_sp = ss[0];
	th->altstack_size = ss[2];
	th->altstack_flags = flags & SS_AUTODISARM;
	return (0);
}

/*
 * rt_sigreturn: restore the context (and FPU state) saved by push_frame.
 * A frame that cannot be read or holds a bad FPU image kills with
 * SIGSEGV, as on Linux.
 */
static long
sys_rt_sigreturn(struct ps_proc *p, struct hal_trap_frame *tf)
{
	uint64_t mc[MC_WORDS], mask, base = tf->rsp - 8, ss[3];
	uint8_t fpu[HAL_FPU_SIZE + 16], *fa;

	fa = (uint8_t *)(((uintptr_t)fpu + 15) & ~(uintptr_t)15);
	if (hal_copy_from_user(mc, base + MC_OFF, sizeof(mc)) != 0 ||
	    hal_copy_from_user(&mask, base + MASK_OFF, 8) != 0 ||
	    hal_copy_from_user(ss, base + UC_STACK_OFF, sizeof(ss)) != 0 ||
	    !mm_user_range_ok(mc[16], 1) || (mc[MC_FPSTATE] != 0 &&
	    (hal_copy_from_user(fa, mc[MC_FPSTATE], HAL_FPU_SIZE) != 0 ||
	    !hal_fpu_valid(fa)))) {
		p->sig_kill = 11;		/* a broken frame: SIGSEGV */
		return (-EFAULT);
	}
	if (mc[MC_FPSTATE] != 0)
		hal_fpu_restore(fa);
	else
		hal_fpu_reset();
	tf->r8 = mc[0]; tf->r9 = mc[1]; tf->r10 = mc[2]; tf->r11 = mc[3];
	tf->r12 = mc[4]; tf->r13 = mc[5]; tf->r14 = mc[6]; tf->r15 = mc[7];
	tf->rdi = mc[8]; tf->rsi = mc[9]; tf->rbp = mc[10]; tf->rbx = mc[11];
	tf->rdx = mc[12]; tf->rcx = mc[14]; tf->rsp = mc[15];
	tf->rip = mc[16];
	tf->rflags = (mc[17] & 0x244dd5ULL) | 0x202;
	tf->cs = HAL_USER_CS;
	tf->ss = HAL_USER_SS;
	tf->error = NO_RESTART;		/* rax is the context's, not ours */
	ps_thread_cur()->sig_mask = mask & ~UNBLOCKABLE;
	/* uc_stack back in force, as on Linux (refusals are ignored). */
	(void)set_altstack(ps_thread_cur(), ss, tf->rsp);
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
		return (-EINTR);
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
	return (-EINTR);
}

/* rootd and services: apps may never signal them (a kernel invariant). */
static bool
is_system(const struct ps_proc *t)
{
	return (t->bootstrap || t->service_image);
}

/* Whether t is one of the processes kill(sel) from p names. */
static bool
selected(const struct ps_proc *p, const struct ps_proc *t, int64_t sel)
{
	if (sel > 0)
		return (t->pid == sel);
	if (sel == -1)
		return (t != p && t->pid != 1);
	return (t->pgid == (sel == 0 ? p->pgid : (long)-sel));
}

/*
 * Ask procd to send si to the processes kill(sel) names (signal policy:
 * who may signal whom, sigqueue's si_code rule).  The request lists the
 * candidates the kernel sees, 4 bytes each: pid | PROCD_KILL_SYSTEM
 * (rootd or a service) | PROCD_KILL_ZOMBIE; other apps first, the caller
 * last (a group that includes it got the signal first).  procd queues
 * each permitted one with PROC_SIGNAL_QUEUE_BROKER, which only acts for
 * this request while it is in flight.
 */
static long
kill_via_procd(struct ps_proc *p, int64_t sel, const struct ps_siginfo *si,
    bool must_queue, long tid)
{
	struct rustos_linux_syscall_offload_request rq;
	struct rustos_linux_syscall_offload_response rs;
	struct ps_proc *t;
	uint32_t rec, n = 0, pass;
	bool self_too = false;
	long r;

	memset(&rq, 0, sizeof(rq));
	rq.version = SYSCALL_OFFLOAD_ABI_VERSION;
	rq.op = 62;
	rq.pid = (uint64_t)p->pid;
	rq.tid = (uint64_t)p->pid;
	rq.parent_pid = (uint64_t)p->ppid;
	rq.arg0 = (uint64_t)sel;
	rq.arg1 = (uint64_t)si->signo;
	rq.arg2 = (uint64_t)(int64_t)si->code;
	rq.arg3 = si->w24;
	rq.dirfd = (uint64_t)tid;		/* the target thread, or 0 */
	rq.flags = (must_queue ? PROCD_KILL_QUEUE : 0) |
	    (tid != 0 ? PROCD_KILL_THREAD : 0);
	rq.mask = is_system(p) ? PROCD_KILL_SYSTEM : 0;
	for (pass = 0; pass < 2; pass++)
		for (t = ps_proc_first(); t != NULL; t = t->next) {
			/* Groups: live members only (pid > 0: zombies too). */
			if (!selected(p, t, sel) || (uint64_t)t->pid >=
			    PROCD_KILL_PID_LIMIT || is_system(t) != (pass == 1) ||
			    (sel <= 0 && t->zombie))
				continue;
			if (t == p) {
				self_too = true;
				continue;
			}
			if (n == SYSCALL_OFFLOAD_PATH_MAX / 4) {
				rq.flags |= PROCD_KILL_TRUNCATED;
				continue;
			}
			rec = (uint32_t)t->pid |
			    (is_system(t) ? PROCD_KILL_SYSTEM : 0) |
			    (t->zombie ? PROCD_KILL_ZOMBIE : 0) |
			    (t->sid == p->sid ? PROCD_KILL_SESSION : 0);
			memcpy(rq.path + 4 * n++, &rec, 4);
		}
	if (self_too) {
		if (n == SYSCALL_OFFLOAD_PATH_MAX / 4)
			n--;			/* the caller must stay listed */
		rec = (uint32_t)p->pid | PROCD_KILL_SESSION |
		    (is_system(p) ? PROCD_KILL_SYSTEM : 0);
		memcpy(rq.path + 4 * n++, &rec, 4);
	}
	rq.path_len = 4 * n;
	/* One request per process at a time (threads): the broker checks it. */
	while (p->sig_req_on) {
		volatile int never = 0;

		if (p->sig_kill != 0)
			return (-EINTR);
		ps_park_until(hal_clock_ns() + 1000000ULL, &never);
	}
	p->sig_req = *si;
	p->sig_req_sel = sel;
	p->sig_req_queue = must_queue;
	p->sig_req_tid = tid;
	p->sig_req_on = true;
	r = ipc_kernel_call(p, IPC_SERVICE_PROCD, &rq, sizeof(rq), &rs,
	    sizeof(rs));
	p->sig_req_on = false;
	if (r < 0)
		return (r == -NC_ENOMEM ? r : -NC_EAGAIN);
	if ((size_t)r < 16)
		return (-NC_EIO);
	return (rs.status < 0 ? rs.status : 0);
}

/* Queue si for process t, or for its thread tid (tid != 0). */
static long
queue_to(struct ps_proc *t, long tid, const struct ps_siginfo *si,
    bool must_queue)
{
	struct ps_thread *th;

	if (tid == 0)
		return (queue_signal(t, si, must_queue));
	if ((th = ps_thread_find(t, tid)) == NULL)
		return (-ESRCH);
	return (queue_thread_signal(th, si, must_queue));
}

/*
 * kill(pid, sig) and friends with siginfo si (si->signo 0: only the
 * permission and existence checks); tid != 0: that thread of process pid
 * (tgkill, tkill, rt_tgsigqueueinfo).  must_queue: sigqueue semantics
 * (-EAGAIN when the real-time queue is full).  A process signalling
 * itself or one of its threads stays in the kernel (raise, abort,
 * pthread_kill: the hot path); other targets are procd's decision.
 * procd itself signals directly.
 */
static long
send_to_pid(struct ps_proc *p, int64_t pid, struct ps_siginfo *si,
    bool must_queue, long tid)
{
	struct ps_proc *t;

	if (si->signo < 0 || si->signo > 64)
		return (-NC_EINVAL);
	if (ps_proc_find(p->pid) != p)
		return (-EPERM);
	if (pid == INT64_MIN || pid > INT32_MAX || pid < -(int64_t)INT32_MAX)
		return (-ESRCH);
	if (tid != 0 && ((t = ps_proc_find((long)pid)) == NULL || t->zombie ||
	    ps_thread_find(t, tid) == NULL))
		return (-ESRCH);
	if (pid == p->pid)
		return (si->signo == 0 ? 0 : queue_to(p, tid, si, must_queue));
	if (!(p->caps & IPC_SERVICE_CAP_PROCESS_POLICY))
		return (kill_via_procd(p, pid, si, must_queue, tid));
	/* procd: its own policy; only the kernel's invariants here. */
	if (pid > 0) {
		if ((t = ps_proc_find((long)pid)) == NULL)
			return (-ESRCH);
		return (si->signo == 0 ? 0 : queue_to(t, tid, si,
		    must_queue));
	}
	return (-NC_EINVAL);
}

/*
 * PROC_SIGNAL_QUEUE_BROKER (gate PROCESS_POLICY): procd queues the signal
 * of the kill request it is serving for one target that request names.
 * Apps never reach rootd or services, whatever procd says.
 */
long
ex_sys_proc_signal_queue_broker(uint64_t uargs, uint64_t a1, uint64_t a2,
    uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct rustos_proc_signal_args a;
	struct ps_proc *self = ps_proc_current(), *s, *t;

	if (hal_copy_from_user(&a, uargs, sizeof(a)) != 0)
		return (-EFAULT);
	if (a.sender_pid == 0 || a.sender_pid > INT32_MAX || a.pid == 0 ||
	    a.pid > INT32_MAX || a.signo > 64 || a.tid > INT32_MAX)
		return (-NC_EINVAL);
	s = ps_proc_find((long)a.sender_pid);
	if (s == NULL || !s->sig_req_on || self->serving_caller != s->pid ||
	    a.signo != (uint32_t)s->sig_req.signo ||
	    a.code != s->sig_req.code || a.value != s->sig_req.w24 ||
	    (long)a.tid != s->sig_req_tid)
		return (-NC_EINVAL);
	if ((t = ps_proc_find((long)a.pid)) == NULL)
		return (-ESRCH);
	if (!selected(s, t, s->sig_req_sel) && t != s)
		return (-NC_EINVAL);
	if (!is_system(s) && is_system(t))
		return (-EPERM);
	if (a.tid != 0 && (t->zombie || ps_thread_find(t, (long)a.tid) ==
	    NULL))
		return (-ESRCH);
	if (a.signo == 0)
		return (0);
	return (queue_to(t, (long)a.tid, &s->sig_req, s->sig_req_queue));
}

/*
 * A process-directed pid argument (kill, rt_sigqueueinfo) that names a
 * thread rather than a process: Linux looks the number up among all
 * tasks and signals the thread group of the one it finds, so the tid of a
 * non-main thread reaches its whole process.  Pids and tids share one
 * namespace, so a number is never both.  Others are returned unchanged.
 */
static int64_t
thread_group_of(int64_t pid)
{
	struct ps_thread *th;

	if (pid <= 0 || pid > INT32_MAX || ps_proc_find((long)pid) != NULL)
		return (pid);
	if ((th = ps_thread_find_any((long)pid)) == NULL)
		return (pid);
	return (th->proc->pid);
}

static long
sys_kill(struct ps_proc *p, int64_t pid, uint64_t sig, int code)
{
	struct ps_siginfo si;

	if (sig > 64)
		return (-NC_EINVAL);
	pid = thread_group_of(pid);
	si.signo = (int32_t)sig;
	si.code = code;
	si.w16 = (uint32_t)p->pid;		/* si_uid 0 */
	si.w24 = 0;
	return (send_to_pid(p, pid, &si, false, 0));
}

/*
 * rt_sigqueueinfo(tgid, sig, info) / rt_tgsigqueueinfo(tgid, tid, sig,
 * info): the caller's siginfo, except si_signo; only negative si_code
 * values other than SI_TKILL may be sent to another process (EPERM, procd's
 * rule).
 */
static long
sys_rt_sigqueueinfo(struct ps_proc *p, int32_t pid, int32_t tid, uint64_t sig,
    uint64_t uinfo)
{
	int32_t raw[8];
	struct ps_siginfo si;

	if (sig > 64)
		return (-NC_EINVAL);
	if (hal_copy_from_user(raw, uinfo, sizeof(raw)) != 0)
		return (-EFAULT);
	if (pid <= 0)
		return (pid == 0 ? -EPERM : -ESRCH);
	if (tid == 0)
		pid = (int32_t)thread_group_of(pid);
	si.signo = (int32_t)sig;
	si.code = raw[2];
	memcpy(&si.w16, &raw[4], 8);
	memcpy(&si.w24, &raw[6], 8);
	/* procd refuses si_code >= 0 and SI_TKILL for other processes. */
	return (send_to_pid(p, pid, &si, true, tid));
}

/* tgkill (tgid > 0) / tkill (tgid 0): one thread, SI_TKILL. */
static long
sys_tgkill(struct ps_proc *p, long tgid, long tid, uint64_t sig)
{
	struct ps_siginfo si;
	struct ps_thread *th;

	if (sig > 64)
		return (-NC_EINVAL);
	if (tgid == 0) {
		if ((th = ps_thread_find_any(tid)) == NULL)
			return (-ESRCH);
		tgid = th->proc->pid;
	}
	si.signo = (int32_t)sig;
	si.code = SI_TKILL;
	si.w16 = (uint32_t)p->pid;		/* si_uid 0 */
	si.w24 = 0;
	return (send_to_pid(p, tgid, &si, false, tid));
}

/* Copy si to the user's 128-byte siginfo_t. */
static long
put_siginfo(uint64_t uinfo, const struct ps_siginfo *si)
{
	int32_t raw[32];

	memset(raw, 0, sizeof(raw));
	raw[0] = si->signo;
	raw[2] = si->code;
	memcpy(&raw[4], &si->w16, 8);
	memcpy(&raw[6], &si->w24, 8);
	return (hal_copy_to_user(uinfo, raw, sizeof(raw)) != 0 ? -EFAULT : 0);
}

/*
 * rt_sigtimedwait(set, info, timeout, size): take a pending signal of set
 * (blocked or not) without running its handler.  -EAGAIN when the timeout
 * passes, -EINTR when another signal is to be delivered.
 */
static long
sys_rt_sigtimedwait(struct ps_proc *p, uint64_t uset, uint64_t uinfo,
    uint64_t uts, uint64_t size)
{
	struct ps_thread *th = ps_thread_cur();
	struct ps_siginfo si;
	uint64_t set, ready, deadline = 0, now;
	int64_t ts[2];
	int sig;

	if (size != 8)
		return (-NC_EINVAL);
	if (hal_copy_from_user(&set, uset, 8) != 0)
		return (-EFAULT);
	set &= ~UNBLOCKABLE;
	if (uts != 0) {
		if (hal_copy_from_user(ts, uts, sizeof(ts)) != 0)
			return (-EFAULT);
		if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
			return (-NC_EINVAL);
		if (ts[0] > 1000000000)
			ts[0] = 1000000000;	/* ~31 years: no overflow */
		deadline = hal_clock_ns() + (uint64_t)ts[0] * 1000000000ULL +
		    (uint64_t)ts[1];
	}
	for (;;) {
		if ((ready = (p->sig_pending | th->sig_pending) & set) != 0) {
			sig = __builtin_ctzll(ready) + 1;
			dequeue_for(th, sig, &si);
			if (uinfo != 0 && put_siginfo(uinfo, &si) != 0)
				return (-EFAULT);
			return (sig);
		}
		if (ps_signal_interrupts(p) || ps_proc_find(p->pid) != p)
			return (-EINTR);
		now = hal_clock_ns();
		if (uts != 0 && now >= deadline)
			return (-NC_EAGAIN);
		p->sig_waiting = set;
		p->child_event = 0;
		ps_park_until(uts != 0 && deadline - now < 1000000000ULL ?
		    deadline : now + 1000000000ULL, &p->child_event);
		p->sig_waiting = 0;
	}
}

/*
 * signalfd4(fd, mask, size, flags): an fd whose reads take the reader's
 * pending signals of mask (blocked ones, as a rule) as 128-byte
 * signalfd_siginfo records.  The fd holds only the mask (in offset) and
 * O_NONBLOCK: like Linux, it reads whoever reads it.  fd -1 makes one;
 * an existing signalfd gets the new mask.
 */
#define SFD_NONBLOCK	0x800ULL
#define SFD_CLOEXEC	0x80000ULL

static long
sys_signalfd4(struct ps_proc *p, int64_t fd, uint64_t umask, uint64_t size,
    uint64_t flags)
{
	struct ps_fd *f;
	uint64_t mask;
	long i;

	if (size != 8 || (flags & ~(SFD_NONBLOCK | SFD_CLOEXEC)) != 0)
		return (-NC_EINVAL);
	if (hal_copy_from_user(&mask, umask, 8) != 0)
		return (-EFAULT);
	mask &= ~UNBLOCKABLE;
	if (fd != -1) {
		if (ps_fd_at(p, fd) == NULL)
			return (-EBADF);
		if (p->fds[fd].kind != PS_FD_SIGNALFD)
			return (-NC_EINVAL);
		p->fds[fd].offset = mask;
		ps_poll_wake();
		return (fd);
	}
	if ((i = ps_fd_lowest(p, 0)) < 0)
		return (i);			/* EMFILE */
	f = &p->fds[i];
	memset(f, 0, sizeof(*f));
	f->kind = PS_FD_SIGNALFD;
	f->offset = mask;
	f->status_flags = (uint32_t)(flags & SFD_NONBLOCK);
	f->fd_flags = (flags & SFD_CLOEXEC) ? PS_FD_CLOEXEC : 0;
	return (i);
}

int
ps_signalfd_poll(struct ps_proc *p, const struct ps_fd *f)
{
	struct ps_thread *th = ps_thread_cur();

	return ((p->sig_pending | (th != NULL ? th->sig_pending : 0)) &
	    f->offset) != 0 ? 0x001 : 0;	/* POLLIN */
}

long
ps_signalfd_read(struct ps_proc *p, struct ps_fd *f, uint64_t buf,
    uint64_t len)
{
	struct ps_thread *th = ps_thread_cur();
	struct ps_siginfo si;
	uint64_t ready, done = 0;
	uint32_t r[32];
	int sig;

	if (th == NULL)
		return (-EBADF);
	if (len < sizeof(r))
		return (-NC_EINVAL);
	if (!mm_user_range_ok(buf, len))
		return (-EFAULT);
	for (;;) {
		while (done + sizeof(r) <= len && (ready = (p->sig_pending |
		    th->sig_pending) & f->offset) != 0) {
			sig = __builtin_ctzll(ready) + 1;
			dequeue_for(th, sig, &si);
			/* struct signalfd_siginfo */
			memset(r, 0, sizeof(r));
			r[0] = (uint32_t)sig;		/* ssi_signo */
			r[2] = (uint32_t)si.code;	/* ssi_code */
			r[3] = (uint32_t)si.w16;	/* ssi_pid */
			r[4] = (uint32_t)(si.w16 >> 32);	/* ssi_uid */
			r[10] = (uint32_t)si.w24;	/* ssi_status */
			r[11] = (uint32_t)si.w24;	/* ssi_int */
			memcpy(&r[12], &si.w24, 8);	/* ssi_ptr */
			if (hal_copy_to_user(buf + done, r, sizeof(r)) != 0)
				return (done > 0 ? (long)done : -EFAULT);
			done += sizeof(r);
		}
		if (done > 0)
			return ((long)done);
		if (f->status_flags & SFD_NONBLOCK)
			return (-NC_EAGAIN);
		if (ps_signal_interrupts(p) || ps_proc_find(p->pid) != p)
			return (-PS_ERESTARTSYS);
		/* A blocked signal of the mask must wake us too. */
		p->sig_waiting = f->offset;
		p->child_event = 0;
		ps_park_until(hal_clock_ns() + 1000000000ULL, &p->child_event);
		p->sig_waiting = 0;
	}
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
	if (uact != 0 && hal_copy_from_user(act, uact, sizeof(act)) != 0)
		return (-EFAULT);
	if (uold != 0 && hal_copy_to_user(uold, p->sig_act[sig - 1],
	    sizeof(act)) != 0)
		return (-EFAULT);
	if (uact == 0)
		return (0);
	memcpy(p->sig_act[sig - 1], act, sizeof(act));
	bit = BIT(sig);
	p->sig_ignored &= ~bit;
	p->sig_handled &= ~bit;
	if (act[0] == 1)			/* SIG_IGN */
		p->sig_ignored |= bit;
	else if (act[0] != 0)			/* a handler */
		p->sig_handled |= bit;
	/* POSIX: a pending signal whose action becomes "ignore" is gone. */
	if (disposition_ignores(p, (int)sig))
		flush_signal(p, (int)sig);
	return (0);
}

static long
sys_sigaltstack(struct ps_thread *p, struct hal_trap_frame *tf, uint64_t uss,
    uint64_t uold)
{
	uint64_t ss[3], old[3];
	long r;

	/* stack_t {ss_sp, ss_flags (int), ss_size} */
	old[0] = p->altstack_sp;
	old[1] = (p->altstack_size == 0 ? SS_DISABLE : on_altstack(p, tf->rsp) ?
	    SS_ONSTACK : 0) | p->altstack_flags;
	old[2] = p->altstack_size;
	if (uss != 0) {
		if (hal_copy_from_user(ss, uss, sizeof(ss)) != 0)
			return (-EFAULT);
		if ((r = set_altstack(p, ss, tf->rsp)) < 0)
			return (r);
	}
	if (uold != 0 && hal_copy_to_user(uold, old, sizeof(old)) != 0)
		return (-EFAULT);
	return (0);
}

void
ps_signal_fork(struct ps_proc *c, const struct ps_proc *parent)
{
	c->sig_ignored = parent->sig_ignored;
	c->sig_handled = parent->sig_handled;
	memcpy(c->sig_act, parent->sig_act, sizeof(c->sig_act));
}

void
ps_signal_exec(struct ps_proc *p)
{
	int i;

	/* Handled signals return to their default; ignored ones stay. */
	for (i = 0; i < 64; i++)
		if (p->sig_handled & (1ULL << i))
			memset(p->sig_act[i], 0, sizeof(p->sig_act[i]));
	p->sig_handled = 0;
	ps_thread_cur()->altstack_sp = ps_thread_cur()->altstack_size = 0;
	ps_thread_cur()->altstack_flags = 0;
}

long
ps_signal_call(struct hal_trap_frame *tf, uint64_t nr, bool *handled)
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
			return (-EINTR);	/* detached: nobody signals it */
		while (!ps_signal_interrupts(p)) {
			p->child_event = 0;
			ps_park_until(hal_clock_ns() + 1000000000ULL,
			    &p->child_event);
		}
		return (-EINTR);
	case 131:	/* sigaltstack */
		return (sys_sigaltstack(ps_thread_cur(), tf, a0, a1));
	case 129:	/* rt_sigqueueinfo(tgid, sig, info) */
		return (sys_rt_sigqueueinfo(p, (int32_t)a0, 0, a1, a2));
	case 297:	/* rt_tgsigqueueinfo(tgid, tid, sig, info) */
		if ((int32_t)a0 <= 0 || (int32_t)a1 <= 0)
			return (-NC_EINVAL);
		return (sys_rt_sigqueueinfo(p, (int32_t)a0, (int32_t)a1, a2,
		    tf->r10));
	case 282:	/* signalfd(fd, mask, size) */
		return (sys_signalfd4(p, (int32_t)a0, a1, a2, 0));
	case 289:	/* signalfd4(fd, mask, size, flags) */
		return (sys_signalfd4(p, (int32_t)a0, a1, a2, tf->r10));
	case 128:	/* rt_sigtimedwait */
		return (sys_rt_sigtimedwait(p, a0, a1, a2, tf->r10));
	case 15:	/* rt_sigreturn */
		return (sys_rt_sigreturn(p, tf));
	case 14:	/* rt_sigprocmask */
		return (sys_rt_sigprocmask(ps_thread_cur(), a0, a1, a2,
		    tf->r10));
	case 127: {	/* rt_sigpending(set, size): the blocked ones */
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
	}
	*handled = false;
	return (-NC_ENOSYS);
}
