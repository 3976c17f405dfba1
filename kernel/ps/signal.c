/*
 * signal.c -- POSIX signals of user processes, delivered by the kernel:
 * queueing (ps_signal_send), delivery on the way back to user mode through
 * a Linux x86_64 rt_sigframe (ps_signal_deliver) and rt_sigreturn, CPU
 * faults turned into SIGSEGV/SIGBUS/SIGFPE/SIGILL/SIGTRAP
 * (ps_signal_fault), and the Linux calls kill/tkill/tgkill,
 * rt_sigaction, rt_sigprocmask, rt_sigpending, rt_sigsuspend, pause and
 * sigaltstack (ps_signal_call).  fork copies and execve resets the
 * dispositions (ps_signal_fork, ps_signal_exec).
 */
#include <ps/api.h>
#include <hal/api.h>
#include <mm/api.h>
#include <nucleus-core/api.h>

#define EFAULT		14
#define ESRCH		3
#define EPERM		1
#define EINTR		4
#define ENOMEM		12
#define SIGKILL		9
#define SIGSTOP		19

bool
ps_sigpipe_kills(struct ps_proc *p)
{
	return (((p->sig_ignored | p->sig_handled) & (1ULL << (13 - 1))) == 0);
}

/* Signals whose default action is to be ignored (or to stop/continue). */
static bool
default_ignored(int sig)
{
	return (sig == 17 || sig == 18 || sig == 23 || sig == 28 ||
	    (sig >= 19 && sig <= 22));
}

/* Record the siginfo of sig for t (before it becomes pending). */
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
 * Make sig pending for t.  SIGKILL and default actions take effect when t
 * returns to user mode (ps_signal_deliver); a parked t is woken, so its
 * blocking call returns -EINTR (or restarts).
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
		if (t->sig_mask & bit)
			return;
	}
	t->child_event = 1;
	ps_unpark(t->tid);
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
	bool on_alt;
	int32_t *si;

	old = p->sig_restore_mask ? p->sig_saved_mask : p->sig_mask;
	p->sig_restore_mask = false;
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
	p->sig_mask |= (act[3] | ((act[1] & SA_NODEFER) ? 0 : bit)) &
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
	uint64_t ready, bit;
	int sig;

	if (p == NULL || ps_proc_find(p->pid) != p || p->zombie)
		return (0);
	if (p->sig_kill != 0)
		return (p->sig_kill);
	while ((ready = p->sig_pending & ~p->sig_mask) != 0) {
		sig = __builtin_ctzll(ready) + 1;
		bit = 1ULL << (sig - 1);
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
	uint64_t bit = 1ULL << (sig - 1);

	/* A blocked or unhandled fault signal takes its default action. */
	if (p == NULL || ps_proc_find(p->pid) != p ||
	    !(p->sig_handled & bit) || (p->sig_mask & bit))
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
	p->sig_mask = mask & ~UNBLOCKABLE;
	return ((long)mc[13]);			/* rax of the context */
}

static long
sys_rt_sigprocmask(struct ps_proc *p, uint64_t how, uint64_t uset,
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
	uint64_t set;

	if (size != 8)
		return (-NC_EINVAL);
	if (hal_copy_from_user(&set, uset, 8) != 0)
		return (-EFAULT);
	if (ps_proc_find(p->pid) != p)
		return (-EINTR);
	p->sig_saved_mask = p->sig_mask;
	p->sig_mask = set & ~UNBLOCKABLE;
	while (!ps_signal_interrupts(p)) {
		p->child_event = 0;
		ps_park_until(hal_clock_ns() + 1000000000ULL, &p->child_event);
	}
	/* The handler frame carries the old mask; without one, restore. */
	p->sig_restore_mask = true;
	if ((p->sig_pending & ~p->sig_mask & p->sig_handled) == 0) {
		p->sig_mask = p->sig_saved_mask;
		p->sig_restore_mask = false;
	}
	return (-EINTR);
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


void
ps_signal_fork(struct ps_proc *c, const struct ps_proc *parent)
{
	c->sig_ignored = parent->sig_ignored;
	c->sig_handled = parent->sig_handled;
	c->sig_mask = parent->sig_mask;
	c->altstack_sp = parent->altstack_sp;
	c->altstack_size = parent->altstack_size;
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
	p->altstack_sp = p->altstack_size = 0;
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
	case 200:	/* tkill(tid, sig): one thread per process */
		return ((int32_t)a0 <= 0 ? -NC_EINVAL : sys_kill(p,
		    (int32_t)a0, a1, -6));			/* SI_TKILL */
	case 234:	/* tgkill(tgid, tid, sig) */
		if ((int32_t)a0 <= 0 || (int32_t)a1 <= 0)
			return (-NC_EINVAL);
		if ((int32_t)a0 != (int32_t)a1)
			return (-ESRCH);
		return (sys_kill(p, (int32_t)a1, a2, -6));
	case 34:	/* pause */
		if (ps_proc_find(p->pid) != p)
			return (-EINTR);	/* detached: nobody signals it */
		while (!ps_signal_interrupts(p)) {
			p->child_event = 0;
			ps_park_until(hal_clock_ns() + 1000000000ULL,
			    &p->child_event);
		}
		return (-EINTR);
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
					return (-ENOMEM);
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
	case 15:	/* rt_sigreturn */
		return (sys_rt_sigreturn(p, tf));
	case 14:	/* rt_sigprocmask */
		return (sys_rt_sigprocmask(p, a0, a1, a2, tf->r10));
	case 127: {	/* rt_sigpending(set, size) */
		uint64_t pend = p->sig_pending;

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
