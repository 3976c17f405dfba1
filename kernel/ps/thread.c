/*
 * thread.c -- threads of a process: CLONE_THREAD creation (on procd's
 * PROC_FORK_BROKER call), tids in the pid namespace, exit of one thread
 * versus exit_group, the thread-exit duties (CLONE_CHILD_CLEARTID /
 * set_tid_address word cleared and futex-woken, the robust-futex list
 * walked), execve ending the other threads, vfork's parent release, and
 * the kernel-direct hot paths futex, gettid, set_tid_address and
 * set/get_robust_list.
 *
 * Invariants: p->threads lists every thread of p (the embedded main one
 * first) until p is reaped; p->nthreads counts the ones not dead.  A dead
 * thread's kernel task is joined (its stack freed) by a later clone or by
 * the reaper of the process, never by itself.  The last thread to leave
 * ends the process (the caller of ps_thread_leave does, with the status
 * it returns).  One CPU and no preemption between safe points: the futex
 * queue and the thread lists need no lock, and reading a futex word and
 * queueing the waiter happen without another thread running in between
 * (no lost wake-up).
 */
#include <ps/api.h>
#include <hal/api.h>
#include <mm/api.h>
#include <nucleus-core/api.h>

#define EPERM		1
#define ESRCH		3
#define EINTR		4
#define EAGAIN		11
#define EFAULT		14
#define ETIMEDOUT	110

#define CLONE_SETTLS		0x80000ULL
#define CLONE_PARENT_SETTID	0x100000ULL
#define CLONE_CHILD_CLEARTID	0x200000ULL
#define CLONE_CHILD_SETTID	0x1000000ULL

/* Threads one process may have (procd's limit is lower; this bounds). */
#define THREADS_MAX		512

struct ps_thread *
ps_thread_cur(void)
{
	struct ps_thread *th = ps_current_uthread();
	struct ps_proc *p = ps_proc_current();

	if (th != NULL && th->proc == p)
		return (th);
	return (p != NULL ? &p->main_thr : NULL);
}

struct ps_thread *
ps_thread_find(struct ps_proc *p, long tid)
{
	struct ps_thread *t;

	if (tid <= 0)
		return (NULL);
	for (t = p->threads; t != NULL; t = t->next)
		if (t->tid == tid && !t->dead)
			return (t);
	return (NULL);
}

struct ps_thread *
ps_thread_find_any(long tid)
{
	struct ps_proc *p;
	struct ps_thread *t;

	for (p = ps_proc_first(); p != NULL; p = p->next)
		if (!p->zombie && (t = ps_thread_find(p, tid)) != NULL)
			return (t);
	return (NULL);
}

void
ps_proc_kick(struct ps_proc *p)
{
	struct ps_thread *t;

	p->child_event = 1;
	for (t = p->threads; t != NULL; t = t->next)
		if (!t->dead && t->ktid > 0)
			ps_unpark(t->ktid);
}

void
ps_thread_reap(struct ps_proc *p, bool all)
{
	struct ps_thread **pp, *t;

	for (pp = &p->threads; (t = *pp) != NULL;) {
		if (!t->dead && !all) {
			pp = &t->next;
			continue;
		}
		if (!t->reaped && t->ktid > 0) {
			p->reaped_cpu_ns += ps_thread_runtime_ns(t->ktid);
			(void)ps_thread_join(t->ktid);
		}
		t->reaped = true;
		if (t == &p->main_thr) {
			pp = &t->next;
			continue;
		}
		*pp = t->next;
		mm_kfree(t);
	}
}

uint64_t
ps_proc_runtime_ns(struct ps_proc *p)
{
	struct ps_thread *t;
	uint64_t ns = p->reaped_cpu_ns;

	for (t = p->threads; t != NULL; t = t->next)
		if (!t->reaped && t->ktid > 0)
			ns += ps_thread_runtime_ns(t->ktid);
	return (ns);
}

/* ---- creation ---- */

struct thread_start {
	struct ps_thread *th;
	uint64_t fs_base;
	uint64_t settid, psettid;	/* CHILD_SETTID / PARENT_SETTID */
	struct hal_trap_frame tf;
};

static void
thread_user_start(void *arg)
{
	struct thread_start *ts = arg;
	struct hal_trap_frame tf = ts->tf;
	struct ps_thread *th = ts->th;
	int32_t tid = (int32_t)th->tid;

	ps_current_set_user(th->proc, mm_uvm_cr3(th->proc->vm));
	ps_current_set_uthread(th);
	ps_current_set_fs_base(ts->fs_base);
	/*
	 * Before any user code of the thread: its tid words (PARENT_SETTID
	 * was also written when the thread was made, so clone's caller sees
	 * it whoever runs first).  A bad address is ignored, as Linux does.
	 */
	if (ts->settid != 0)
		(void)hal_copy_to_user(ts->settid, &tid, sizeof(tid));
	if (ts->psettid != 0)
		(void)hal_copy_to_user(ts->psettid, &tid, sizeof(tid));
	mm_kfree(ts);
	hal_enter_user(&tf);
}

long
ps_thread_clone(struct ps_proc *p, struct ps_thread *parent)
{
	struct thread_start *ts;
	struct ps_thread *nt, *t;
	unsigned n = 0;
	long ktid;

	if (parent->fork_tf == NULL || p->vm == NULL || p->zombie ||
	    p->group_exit || p->sig_kill != 0)
		return (-NC_EINVAL);
	ps_thread_reap(p, false);
	for (t = p->threads; t != NULL; t = t->next)
		n++;
	if (n >= THREADS_MAX)
		return (-EAGAIN);
	nt = mm_kzalloc(sizeof(*nt));
	ts = mm_kzalloc(sizeof(*ts));
	if (nt == NULL || ts == NULL) {
		mm_kfree(nt);
		mm_kfree(ts);
		return (-NC_ENOMEM);
	}
	nt->proc = p;
	nt->tid = ps_pid_alloc();
	/* A new thread inherits the mask; nothing is pending for it. */
	nt->sig_mask = parent->sig_mask;
	if (parent->fork_flags & CLONE_CHILD_CLEARTID)
		nt->clear_tid = parent->fork_ctid;
	ts->th = nt;
	ts->fs_base = (parent->fork_flags & CLONE_SETTLS) ? parent->fork_tls :
	    parent->fork_fs_base;
	if (parent->fork_flags & CLONE_CHILD_SETTID)
		ts->settid = parent->fork_ctid;
	if (parent->fork_flags & CLONE_PARENT_SETTID) {
		int32_t tid32 = (int32_t)nt->tid;

		/*
		 * Now, before the thread can run and exit (its CHILD_CLEARTID
		 * may be the same word: glibc's pthread_join waits on it).
		 */
		(void)mm_uvm_write(p->vm, parent->fork_ptid, &tid32,
		    sizeof(tid32));
		ts->psettid = parent->fork_ptid;
	}
	ts->tf = *parent->fork_tf;
	ts->tf.rax = 0;
	if (parent->fork_stack != 0)
		ts->tf.rsp = parent->fork_stack;
	ktid = ps_thread_create(p->name, thread_user_start, ts,
	    p->weight_micros);
	if (ktid < 0) {
		mm_kfree(nt);
		mm_kfree(ts);
		return (ktid);
	}
	nt->ktid = ktid;
	ps_thread_copy_fpu(ktid, parent->ktid);
	/* Append: the main thread stays first. */
	for (t = p->threads; t->next != NULL; t = t->next)
		;
	t->next = nt;
	p->nthreads++;
	nc_debug(PROCESS, "process %ld: thread %ld created", p->pid, nt->tid);
	return (nt->tid);
}

/* ---- futex ---- */

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_REQUEUE		3
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAKE_OP		5
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_BITSET_ANY	0xffffffffU

/* A thread waiting in FUTEX_WAIT: lives on its kernel stack. */
struct futex_waiter {
	struct mm_uvm *vm;		/* key: address space + address */
	uint64_t uaddr;
	uint32_t bitset;
	long ktid;
	volatile int woken;
	struct futex_waiter *next;
};

static struct futex_waiter *futex_q;

static void
futex_unlink(struct futex_waiter *w)
{
	struct futex_waiter **pp;

	for (pp = &futex_q; *pp != NULL; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			return;
		}
}

/*
 * Queue w (on the waiter's own stack: it unlinks itself, or a waker
 * does, before futex_wait returns).  Out of line so the compiler does
 * not take the lifetime for a dangling global.
 */
__attribute__((noinline)) static void
futex_enqueue(struct futex_waiter *w)
{
	w->next = futex_q;
	futex_q = w;
}

static long
futex_wake_bits(struct mm_uvm *vm, uint64_t uaddr, long n, uint32_t bits)
{
	struct futex_waiter **pp, *w;
	long woken = 0;

	for (pp = &futex_q; (w = *pp) != NULL && woken < n;) {
		if (w->vm != vm || w->uaddr != uaddr ||
		    (w->bitset & bits) == 0) {
			pp = &w->next;
			continue;
		}
		*pp = w->next;
		w->woken = 1;
		ps_unpark(w->ktid);
		woken++;
	}
	return (woken);
}

long
ps_futex_wake(struct mm_uvm *vm, uint64_t uaddr, int n)
{
	return (futex_wake_bits(vm, uaddr, n, FUTEX_BITSET_ANY));
}

/* A user timespec -> ns; -EFAULT / -EINVAL. */
static long
timespec_ns(uint64_t uts, uint64_t *out)
{
	int64_t ts[2];

	if (hal_copy_from_user(ts, uts, sizeof(ts)) != 0)
		return (-EFAULT);
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
		return (-NC_EINVAL);
	if (ts[0] > 1000000000)
		ts[0] = 1000000000;		/* ~31 years: no overflow */
	*out = (uint64_t)ts[0] * 1000000000ULL + (uint64_t)ts[1];
	return (0);
}

static long
futex_wait(struct ps_proc *p, uint64_t uaddr, uint32_t val, uint64_t deadline,
    uint32_t bitset)
{
	struct futex_waiter w;
	uint32_t cur;

	if (hal_copy_from_user(&cur, uaddr, sizeof(cur)) != 0)
		return (-EFAULT);
	if (cur != val)
		return (-EAGAIN);
	/* Detached processes (the fuzz self test) never block. */
	if (ps_proc_find(p->pid) != p)
		return (-ETIMEDOUT);
	memset(&w, 0, sizeof(w));
	w.vm = p->vm;
	w.uaddr = uaddr;
	w.bitset = bitset;
	w.ktid = ps_current_task_id();
	futex_enqueue(&w);
	for (;;) {
		if (w.woken)
			return (0);
		if (ps_signal_interrupts(p)) {
			futex_unlink(&w);
			return (-EINTR);
		}
		if (deadline != 0 && hal_clock_ns() >= deadline) {
			futex_unlink(&w);
			return (-ETIMEDOUT);
		}
		/* Re-checked at least every second (signals kick us). */
		ps_park_until(deadline != 0 && deadline < hal_clock_ns() +
		    1000000000ULL ? deadline : hal_clock_ns() + 1000000000ULL,
		    &w.woken);
	}
}

/* FUTEX_WAKE_OP's operation on the second word: old value out. */
static long
futex_wake_op(struct ps_proc *p, uint64_t uaddr, long n1, uint64_t uaddr2,
    long n2, uint32_t op)
{
	uint32_t old, nv, arg = (op >> 12) & 0xfff, cmparg = op & 0xfff;
	unsigned oper = (op >> 28) & 7, cmp = (op >> 24) & 15;
	bool hit;
	long r;

	if (op & (8U << 28))
		arg = arg < 32 ? 1U << arg : 0;	/* OPARG_SHIFT */
	if (uaddr2 & 3)
		return (-NC_EINVAL);
	if (hal_copy_from_user(&old, uaddr2, 4) != 0)
		return (-EFAULT);
	switch (oper) {
	case 0: nv = arg; break;		/* SET */
	case 1: nv = old + arg; break;		/* ADD */
	case 2: nv = old | arg; break;		/* OR */
	case 3: nv = old & ~arg; break;		/* ANDN */
	case 4: nv = old ^ arg; break;		/* XOR */
	default: return (-NC_ENOSYS);
	}
	switch (cmp) {
	case 0: hit = old == cmparg; break;
	case 1: hit = old != cmparg; break;
	case 2: hit = (int32_t)old < (int32_t)cmparg; break;
	case 3: hit = (int32_t)old <= (int32_t)cmparg; break;
	case 4: hit = (int32_t)old > (int32_t)cmparg; break;
	case 5: hit = (int32_t)old >= (int32_t)cmparg; break;
	default: return (-NC_ENOSYS);
	}
	if (hal_copy_to_user(uaddr2, &nv, 4) != 0)
		return (-EFAULT);
	r = ps_futex_wake(p->vm, uaddr, (int)n1);
	if (hit)
		r += ps_futex_wake(p->vm, uaddr2, (int)n2);
	return (r);
}

/*
 * Whether uaddr may name a futex, as Linux decides before any queue is
 * looked at: an address outside the user range is -EFAULT for every
 * futex; a shared one (no FUTEX_PRIVATE_FLAG) must also lie in a mapping,
 * because Linux keys it by the page it pins (an unmapped word: -EFAULT),
 * while a private one is keyed by the bare address (an unmapped word is
 * just a futex nobody waits on: WAKE returns 0).
 */
static bool
futex_addr_ok(struct ps_proc *p, uint64_t op, uint64_t uaddr)
{
	if (!mm_user_range_ok(uaddr, 4))
		return (false);
	if ((op & FUTEX_PRIVATE_FLAG) == 0 &&
	    !mm_uvm_range_mapped(p->vm, uaddr, 4))
		return (false);
	return (true);
}

/*
 * futex(uaddr, op, val, timeout/val2, uaddr2, val3).  Every futex is
 * keyed by (address space, address): process-private and shared ones
 * alike (no memory is shared between address spaces except a vfork
 * child's borrowed one, which has the same key).
 */
static long
sys_futex(struct ps_proc *p, uint64_t uaddr, uint64_t op, uint64_t val,
    uint64_t uts, uint64_t uaddr2, uint64_t val3)
{
	unsigned cmd = (unsigned)op & ~(FUTEX_PRIVATE_FLAG |
	    FUTEX_CLOCK_REALTIME);
	uint64_t deadline = 0, ns;
	uint32_t cur;
	long r, n, moved;
	struct futex_waiter *w;

	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT &&
	    cmd != FUTEX_WAIT_BITSET)
		return (-NC_ENOSYS);
	if (cmd != FUTEX_WAIT && cmd != FUTEX_WAKE && cmd != FUTEX_REQUEUE &&
	    cmd != FUTEX_CMP_REQUEUE && cmd != FUTEX_WAKE_OP &&
	    cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAKE_BITSET)
		return (-NC_ENOSYS);
	if ((uaddr & 3) != 0)
		return (-NC_EINVAL);
	if (!futex_addr_ok(p, op, uaddr))
		return (-EFAULT);
	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		if (cmd == FUTEX_WAIT_BITSET && (uint32_t)val3 == 0)
			return (-NC_EINVAL);
		if (uts != 0) {
			if ((r = timespec_ns(uts, &ns)) != 0)
				return (r);
			/*
			 * WAIT: relative; WAIT_BITSET: absolute on
			 * CLOCK_MONOTONIC or (flag) CLOCK_REALTIME.  Every
			 * clock reads hal_clock_ns (as clock_gettime).
			 */
			deadline = cmd == FUTEX_WAIT ? hal_clock_ns() + ns : ns;
			if (deadline == 0)
				deadline = 1;
		}
		return (futex_wait(p, uaddr, (uint32_t)val, deadline,
		    cmd == FUTEX_WAIT ? FUTEX_BITSET_ANY : (uint32_t)val3));
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		if (cmd == FUTEX_WAKE_BITSET && (uint32_t)val3 == 0)
			return (-NC_EINVAL);
		n = (int32_t)val;
		if (n <= 0)
			return (0);
		return (futex_wake_bits(p->vm, uaddr, n, cmd == FUTEX_WAKE ?
		    FUTEX_BITSET_ANY : (uint32_t)val3));
	case FUTEX_WAKE_OP:
		return (futex_wake_op(p, uaddr, (int32_t)val, uaddr2,
		    (int32_t)uts, (uint32_t)val3));
	default:			/* REQUEUE, CMP_REQUEUE */
		if ((int32_t)val < 0 || (int32_t)uts < 0)
			return (-NC_EINVAL);
		if ((uaddr2 & 3) != 0)
			return (-NC_EINVAL);
		if (!futex_addr_ok(p, op, uaddr2))
			return (-EFAULT);
		if (cmd == FUTEX_CMP_REQUEUE) {
			if (hal_copy_from_user(&cur, uaddr, 4) != 0)
				return (-EFAULT);
			if (cur != (uint32_t)val3)
				return (-EAGAIN);
		}
		r = futex_wake_bits(p->vm, uaddr, (int32_t)val,
		    FUTEX_BITSET_ANY);
		/* Move up to val2 (the timeout slot) of the rest. */
		moved = 0;
		for (w = futex_q; w != NULL && moved < (int32_t)uts;
		    w = w->next)
			if (w->vm == p->vm && w->uaddr == uaddr) {
				w->uaddr = uaddr2;
				moved++;
			}
		/* Woken plus requeued, as Linux counts. */
		return (r + moved);
	}
}

/* ---- exit of a thread ---- */

#define FUTEX_WAITERS		0x80000000U
#define FUTEX_OWNER_DIED	0x40000000U
#define FUTEX_TID_MASK		0x3fffffffU
#define ROBUST_LIST_LIMIT	2048

/* One robust-list entry: if th owns its lock word, mark it dead owner. */
static void
robust_release(struct ps_thread *th, uint64_t entry, int64_t off)
{
	uint64_t ua = (entry & ~1ULL) + (uint64_t)off;
	uint32_t v, nv;

	if ((ua & 3) != 0 || !mm_user_range_ok(ua, 4) ||
	    hal_copy_from_user(&v, ua, 4) != 0)
		return;
	if ((v & FUTEX_TID_MASK) != (uint32_t)th->tid)
		return;
	nv = (v & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
	if (hal_copy_to_user(ua, &nv, 4) != 0)
		return;
	if (v & FUTEX_WAITERS)
		(void)ps_futex_wake(th->proc->vm, ua, 1);
}

/*
 * Walk the robust list (struct robust_list_head {next, futex_offset,
 * list_op_pending}) in the thread's own address space: bounded, and any
 * unreadable word ends the walk (the list is user memory).
 */
static void
robust_walk(struct ps_thread *th)
{
	uint64_t head[3], e, next, pending;
	unsigned i;

	if (th->robust_head == 0 || hal_copy_from_user(head, th->robust_head,
	    sizeof(head)) != 0)
		return;
	pending = head[2];
	e = head[0];
	for (i = 0; i < ROBUST_LIST_LIMIT && (e & ~1ULL) != th->robust_head &&
	    e != 0; i++) {
		if (hal_copy_from_user(&next, e & ~1ULL, 8) != 0)
			break;
		if ((e & ~1ULL) != (pending & ~1ULL))
			robust_release(th, e, (int64_t)head[1]);
		e = next;
	}
	if (pending != 0)
		robust_release(th, pending, (int64_t)head[1]);
}

/* The duties of a thread leaving while its address space still exists. */
static void
thread_exit_duties(struct ps_proc *p, struct ps_thread *th)
{
	uint32_t zero = 0;

	if (p->vm == NULL)
		return;
	robust_walk(th);
	th->robust_head = 0;
	if (th->clear_tid != 0 && mm_user_range_ok(th->clear_tid, 4) &&
	    hal_copy_to_user(th->clear_tid, &zero, 4) == 0)
		(void)ps_futex_wake(p->vm, th->clear_tid, 1);
	th->clear_tid = 0;
}

int
ps_thread_leave(int wait_status, bool group)
{
	struct ps_proc *p = ps_proc_current();
	struct ps_thread *th = ps_thread_cur();

	if (p == NULL || th == NULL)
		ps_thread_exit();
	if (group || p->group_exit) {
		if (!p->group_exit) {
			p->group_exit = true;
			p->group_status = wait_status;
		}
		wait_status = p->group_status;
	}
	if (!th->dead && p->nthreads > 1) {
		/* Not the last one: the process goes on without us. */
		thread_exit_duties(p, th);
		th->dead = true;
		p->nthreads--;
		ps_proc_kick(p);
		ps_thread_exit();
	}
	/* The last thread: the caller ends the process with this status. */
	if (!th->dead) {
		thread_exit_duties(p, th);
		th->dead = true;
		p->nthreads = 0;
	}
	return (wait_status);
}

bool
ps_thread_must_leave(const struct ps_proc *p)
{
	const struct ps_thread *th = ps_thread_cur();

	if (p == NULL || th == NULL || th->proc != p || th->dead)
		return (false);
	return (p->group_exit || p->sig_kill != 0 || th->zapped);
}

long
ps_thread_zap_others(struct ps_proc *p)
{
	struct ps_thread *th = ps_thread_cur(), *t;
	unsigned rounds;

	if (p->nthreads <= 1)
		return (0);
	for (t = p->threads; t != NULL; t = t->next)
		if (t != th && !t->dead)
			t->zapped = true;
	/*
	 * They leave at their next return to user mode; blocking calls
	 * (IPC calls too, ps_thread_must_leave) return -EINTR for them.  A
	 * thread may sit in another bounded kernel wait, so wait up to 30 s,
	 * re-kicking.
	 */
	for (rounds = 0; p->nthreads > 1 && rounds < 600; rounds++) {
		if (p->sig_kill != 0 || p->group_exit)
			return (-EINTR);
		ps_proc_kick(p);
		p->child_event = 0;
		ps_park_until(hal_clock_ns() + 50000000ULL, &p->child_event);
	}
	if (p->nthreads > 1)
		return (-NC_EBUSY);
	ps_thread_reap(p, false);
	return (0);
}

void
ps_vfork_release(struct ps_proc *c)
{
	struct ps_proc *pp;
	struct ps_thread *t;

	if (c->vfork_parent_pid == 0)
		return;
	pp = ps_proc_find(c->vfork_parent_pid);
	t = pp != NULL ? ps_thread_find(pp, c->vfork_parent_tid) : NULL;
	c->vfork_parent_pid = c->vfork_parent_tid = 0;
	if (t != NULL) {
		t->vfork_done = 1;
		ps_unpark(t->ktid);
	}
}

/* ---- Linux calls ---- */

#define ROBUST_HEAD_SIZE	24

long
ps_thread_call(struct hal_trap_frame *tf, uint64_t nr, bool *handled)
{
	struct ps_proc *p = ps_proc_current();
	struct ps_thread *th = ps_thread_cur(), *t;
	uint64_t a0 = tf->rdi, a1 = tf->rsi, a2 = tf->rdx;

	*handled = true;
	switch (nr) {
	case 186:	/* gettid */
		return (th->tid);
	case 218:	/* set_tid_address */
		th->clear_tid = a0;
		return (th->tid);
	case 202:	/* futex */
		return (sys_futex(p, a0, a1, a2, tf->r10, tf->r8, tf->r9));
	case 273:	/* set_robust_list(head, len) */
		if (a1 != ROBUST_HEAD_SIZE)
			return (-NC_EINVAL);
		th->robust_head = a0;
		th->robust_len = a1;
		return (0);
	case 274: {	/* get_robust_list(tid, head_ptr, len_ptr) */
		uint64_t len = ROBUST_HEAD_SIZE;

		if ((int32_t)a0 < 0)
			return (-ESRCH);
		t = (int32_t)a0 == 0 ? th : ps_thread_find_any((int32_t)a0);
		if (t == NULL)
			return (-ESRCH);
		if (t->proc != p && !(p->bootstrap || p->service_image))
			return (-EPERM);
		if (hal_copy_to_user(a1, &t->robust_head, 8) != 0 ||
		    hal_copy_to_user(a2, &len, 8) != 0)
			return (-EFAULT);
		return (0);
	}
	case 334:	/* rseq: not implemented (glibc copes with ENOSYS) */
		return (-NC_ENOSYS);
	}
	*handled = false;
	return (-NC_ENOSYS);
}
