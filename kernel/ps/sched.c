/*
 * sched.c -- kernel threads and the CFS-like scheduler.
 *
 * Each task carries a nanosecond vruntime charged at the periodic tick and
 * at every switch: delta * 100 / weight_micros, so a 300 µs budget earns
 * three times the CPU of the 100 µs default; weights never touch the
 * timer.  The ready task with the smallest vruntime runs next.  A waking
 * sleeper is placed no further back than min_vruntime - SLEEPER_CREDIT_NS
 * (bounded credit).  The idle task (the boot context) is outside fair
 * competition: it runs only when no task is ready.
 *
 * IPC handoff (seL4-style, bounded): a caller that wakes the receiver of
 * its call, or a replier that wakes its caller, names that task its
 * successor (ps_unpark_handoff).  When the namer then blocks, the
 * successor is switched to directly instead of by the leftmost pick, as
 * long as its vruntime is within PS_HANDOFF_CREDIT_NS of the leftmost
 * ready task's.  Nothing is added to or taken from anyone's vruntime, so
 * a client/server pair that runs ahead of the others by more than the
 * credit falls back to the fair pick, and the tick preempts it as any.
 *
 * The tick never switches inside an interrupted kernel frame: it only sets
 * need_resched, which is acted on at safe points (ps_cond_resched, yield,
 * blocking, the idle loop).  One CPU; interrupts off guard the state.
 */
#include <ps/api.h>
#include <ps/internal.h>
#include <hal/api.h>
#include <mm/api.h>

#define STACK_PAGES		4
#define SLEEPER_CREDIT_NS	PS_SLEEPER_CREDIT_NS
#define MIN_GRANULARITY_NS	1000000ULL	/* 1 ms of vruntime */

enum task_state { TASK_RUNNING, TASK_READY, TASK_BLOCKED, TASK_SLEEPING,
    TASK_DEAD };

struct ps_task {
	struct ps_rq_node node;		/* first: node <-> task cast */
	long tid;
	char name[16];
	enum task_state state;
	uint32_t weight_micros;
	uint64_t sum_exec_ns;
	uint64_t exec_start_ns;
	uint64_t wake_at_ns;
	uintptr_t sp;
	uint64_t stack_phys;
	void (*fn)(void *);
	void *arg;
	bool is_idle;
	bool wake_pending;		/* ps_wake_task before the block */
	struct ps_waitq *on_q;		/* wait queue blocked on, if any */
	struct ps_task *all_next;	/* every live task */
	struct ps_task *wait_next;	/* wait queue or sleep list */
	struct ps_waitq exitq;		/* joiners */
	/* User tasks: their process, address space and FS base. */
	void *proc;
	void *uthread;			/* its struct ps_thread */
	uint64_t cr3;			/* 0: the kernel tables */
	uint64_t fs_base;
	bool parked;			/* in ps_park_until (ps_unpark may wake) */
	/* User FPU/SSE state while switched out (FXSAVE image). */
	uint8_t fpu_raw[HAL_FPU_SIZE + 16];
};

/* The 16-byte aligned FXSAVE area inside t. */
static void *
task_fpu(struct ps_task *t)
{
	return ((void *)(((uintptr_t)t->fpu_raw + 15) & ~(uintptr_t)15));
}

static struct ps_task idle_task;
static struct ps_task *current = &idle_task;
static struct ps_task *all_tasks = &idle_task;
static struct ps_task *sleepers;
static struct ps_rq rq;
static uint64_t min_vruntime;
static volatile bool need_resched;
/* Named by ps_unpark_handoff; consumed (or forgotten) by the next switch. */
static struct ps_task *handoff_to, *handoff_from;
static long next_tid = 1;
static bool started;

static struct ps_task *
find_task(long tid)
{
	struct ps_task *t;

	for (t = all_tasks; t != NULL; t = t->all_next)
		if (t->tid == tid)
			return (t);
	return (NULL);
}

static struct ps_task *
node_task(struct ps_rq_node *n)
{
	return ((struct ps_task *)n);
}

long
ps_current_task_id(void)
{
	return (started ? current->tid : -1);
}

bool
ps_need_resched(void)
{
	return (need_resched);
}

/* min_vruntime follows the smallest runnable vruntime, never going back. */
static void
update_min_vruntime(void)
{
	bool have = false;
	uint64_t v = 0;

	if (!current->is_idle && current->state == TASK_RUNNING) {
		v = current->node.vruntime;
		have = true;
	}
	if (rq.first != NULL && (!have || rq.first->vruntime < v)) {
		v = rq.first->vruntime;
		have = true;
	}
	if (have && v > min_vruntime)
		min_vruntime = v;
}

/* Charge the CPU time since exec_start to the current task. */
static void
update_curr(void)
{
	uint64_t now = hal_clock_ns(), d;

	if (now <= current->exec_start_ns) {
		current->exec_start_ns = now;
		return;
	}
	d = now - current->exec_start_ns;
	current->exec_start_ns = now;
	current->sum_exec_ns += d;
	if (!current->is_idle)
		current->node.vruntime += ps_vruntime_delta(d,
		    current->weight_micros);
	update_min_vruntime();
}

static void
enqueue(struct ps_task *t)
{
	t->state = TASK_READY;
	ps_rq_insert(&rq, &t->node);
}

/* Place a task that has been away so it gets bounded credit, no more. */
static void
place_waking(struct ps_task *t)
{
	uint64_t floor = min_vruntime > SLEEPER_CREDIT_NS ?
	    min_vruntime - SLEEPER_CREDIT_NS : 0;

	if (t->node.vruntime < floor)
		t->node.vruntime = floor;
	enqueue(t);
}

static void
wake_sleepers(uint64_t now)
{
	struct ps_task **pp = &sleepers, *t;

	while ((t = *pp) != NULL) {
		if (t->wake_at_ns <= now) {
			*pp = t->wait_next;
			t->wait_next = NULL;
			place_waking(t);
		} else
			pp = &t->wait_next;
	}
}

void
ps_tick(void)
{
	if (!started)
		return;
	update_curr();
	wake_sleepers(hal_clock_ns());
	if (rq.first == NULL)
		return;
	if (current->is_idle ||
	    current->node.vruntime > rq.first->vruntime + MIN_GRANULARITY_NS)
		need_resched = true;
}

static uintptr_t
task_kstack_top(const struct ps_task *t)
{
	return ((uintptr_t)mm_phys_to_virt(t->stack_phys) +
	    STACK_PAGES * MM_PAGE_SIZE);
}

/* Address space, entry stack and FS base of the task about to run. */
static void
switch_space(struct ps_task *prev, struct ps_task *next)
{
	uint64_t want = next->cr3 != 0 ? next->cr3 : mm_kernel_cr3();

	/*
	 * Eager FPU switching: the registers hold the running user task's
	 * state (the kernel has no FPU code), kernel threads leave them be.
	 */
	if (prev->proc != NULL)
		hal_fpu_save(task_fpu(prev));
	if (next->proc != NULL) {
		hal_set_kernel_stack(task_kstack_top(next));
		hal_set_fs_base(next->fs_base);
		hal_fpu_restore(task_fpu(next));
	}
	if ((hal_read_cr3() & ~0xfffULL) != want)
		hal_write_cr3(want);
}

/*
 * The successor ps_unpark_handoff named, taken off the run queue, when
 * prev blocks (it is not READY: a preempted task gets the fair pick) and
 * the successor is ready within the credit; else NULL.  The name is used
 * once either way.
 */
static struct ps_task *
handoff_pick(struct ps_task *prev)
{
	struct ps_task *t = handoff_to;

	if (t == NULL)
		return (NULL);
	handoff_to = NULL;
	if (handoff_from != prev || prev->state == TASK_READY ||
	    t->state != TASK_READY || rq.first == NULL ||
	    t->node.vruntime > rq.first->vruntime + PS_HANDOFF_CREDIT_NS)
		return (NULL);
	ps_rq_remove(&rq, &t->node);
	return (t);
}

/* Switch away from current; its state was set by the caller.  IRQs off. */
static void
schedule_locked(void)
{
	struct ps_task *prev = current, *next;
	struct ps_rq_node *n;

	update_curr();
	need_resched = false;
	if (prev->state == TASK_RUNNING && !prev->is_idle)
		enqueue(prev);
	if ((next = handoff_pick(prev)) == NULL) {
		n = ps_rq_pop_min(&rq);
		next = n != NULL ? node_task(n) : &idle_task;
	}
	if (next == prev) {
		prev->state = TASK_RUNNING;
		return;
	}
	next->state = TASK_RUNNING;
	next->exec_start_ns = hal_clock_ns();
	current = next;
	switch_space(prev, next);
	hal_context_switch(&prev->sp, next->sp);
}

void
ps_schedule(void)
{
	bool on = hal_irq_save();

	if (current->state == TASK_READY)
		current->state = TASK_RUNNING;
	schedule_locked();
	hal_irq_restore(on);
}

void
ps_yield(void)
{
	ps_schedule();
}

void
ps_yield_to_others(void)
{
	bool on = hal_irq_save();

	update_curr();
	/* Go behind the leftmost ready task: it runs before we do again. */
	if (!current->is_idle && rq.first != NULL &&
	    current->node.vruntime <= rq.first->vruntime)
		current->node.vruntime = rq.first->vruntime + 1;
	if (current->state == TASK_READY)
		current->state = TASK_RUNNING;
	schedule_locked();
	hal_irq_restore(on);
}

void
ps_cond_resched(void)
{
	if (need_resched && started)
		ps_schedule();
}

void
ps_sleep_ms(uint64_t ms)
{
	bool on;

	if (current->is_idle) {
		hal_delay_us(ms * 1000);
		return;
	}
	on = hal_irq_save();
	current->wake_at_ns = hal_clock_ns() + ms * 1000000ULL;
	current->state = TASK_SLEEPING;
	current->wait_next = sleepers;
	sleepers = current;
	schedule_locked();
	hal_irq_restore(on);
}

void
ps_block_current_on(struct ps_waitq *q, struct nc_spinlock *l)
{
	struct ps_task **pp;
	bool irq_on = l->irq_on;

	if (current->is_idle)
		nc_panic("ps: the idle task must not block");
	/*
	 * Interrupts are off (l is an irq-saving lock) and stay off until
	 * the switch, so no wake-up can slip in between.
	 */
	for (pp = &q->head; *pp != NULL; pp = &(*pp)->wait_next)
		;
	current->wait_next = NULL;
	*pp = current;
	current->on_q = q;
	current->state = TASK_BLOCKED;
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	schedule_locked();
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) != 0)
		hal_pause();
	l->irq_on = irq_on;
}

static void
wake_task(struct ps_task *t)
{
	t->on_q = NULL;
	if (t->state == TASK_BLOCKED)
		place_waking(t);
}

int
ps_block_current_task(void)
{
	bool on;

	if (current->is_idle)
		return (-NC_EPERM);
	on = hal_irq_save();
	if (current->wake_pending)
		current->wake_pending = false;
	else {
		current->wait_next = NULL;
		current->on_q = NULL;
		current->state = TASK_BLOCKED;
		schedule_locked();
		current->wake_pending = false;
	}
	hal_irq_restore(on);
	return (0);
}

int
ps_wake_task(long tid)
{
	struct ps_task *t;
	bool on = hal_irq_save();

	t = find_task(tid);
	if (t == NULL || t->is_idle || t->state == TASK_DEAD) {
		hal_irq_restore(on);
		return (t == NULL || t->state == TASK_DEAD ? -NC_EINVAL :
		    -NC_EPERM);
	}
	if (t->state == TASK_BLOCKED && t->on_q != NULL) {
		/* Its wait queue's owner wakes it, not a wake by id. */
		hal_irq_restore(on);
		return (-NC_EBUSY);
	}
	if (t->state == TASK_BLOCKED) {
		place_waking(t);
		if (!current->is_idle &&
		    t->node.vruntime < current->node.vruntime)
			need_resched = true;
	} else
		t->wake_pending = true;
	hal_irq_restore(on);
	return (0);
}

void
ps_wake_one(struct ps_waitq *q)
{
	bool on = hal_irq_save();
	struct ps_task *t = q->head;

	if (t != NULL) {
		q->head = t->wait_next;
		t->wait_next = NULL;
		wake_task(t);
		if (!current->is_idle &&
		    t->node.vruntime < current->node.vruntime)
			need_resched = true;
	}
	hal_irq_restore(on);
}

void
ps_wake_all(struct ps_waitq *q)
{
	bool on = hal_irq_save();
	struct ps_task *t;

	while ((t = q->head) != NULL) {
		q->head = t->wait_next;
		t->wait_next = NULL;
		wake_task(t);
	}
	need_resched = true;
	hal_irq_restore(on);
}


static void
thread_main(void *arg)
{
	struct ps_task *t = arg;

	hal_sti();
	t->fn(t->arg);
	ps_thread_exit();
}

long
ps_thread_create(const char *name, void (*fn)(void *), void *arg,
    uint32_t weight_micros)
{
	struct ps_task *t;
	uint64_t stack;
	size_t i;
	bool on;

	if (fn == NULL || weight_micros == 0 || weight_micros > 1000000)
		return (-NC_EINVAL);
	t = mm_kzalloc(sizeof(*t));
	if (t == NULL)
		return (-NC_ENOMEM);
	stack = mm_frame_alloc_contig(STACK_PAGES);
	if (stack == 0) {
		mm_kfree(t);
		nc_error(SCHED, "thread %s: no memory for its stack", name);
		return (-NC_ENOMEM);
	}
	for (i = 0; i + 1 < sizeof(t->name) && name[i] != '\0'; i++)
		t->name[i] = name[i];
	t->stack_phys = stack;
	hal_fpu_init_area(task_fpu(t));
	t->weight_micros = weight_micros;
	t->fn = fn;
	t->arg = arg;
	t->sp = hal_context_init((uintptr_t)mm_phys_to_virt(stack) +
	    STACK_PAGES * MM_PAGE_SIZE, thread_main, t);
	on = hal_irq_save();
	t->tid = ++next_tid;
	t->node.vruntime = min_vruntime;
	t->all_next = all_tasks;
	all_tasks = t;
	enqueue(t);
	hal_irq_restore(on);
	nc_debug(SCHED, "thread %s tid %ld weight %u us", t->name, t->tid,
	    weight_micros);
	return (t->tid);
}

void
ps_thread_exit(void)
{
	struct ps_task *t;

	hal_cli();
	update_curr();
	current->state = TASK_DEAD;
	while ((t = current->exitq.head) != NULL) {
		current->exitq.head = t->wait_next;
		t->wait_next = NULL;
		wake_task(t);
	}
	schedule_locked();
	nc_panic("ps: a dead thread was scheduled");
}

int
ps_thread_join(long tid)
{
	struct ps_task *t, **pp;
	struct nc_spinlock dummy = NC_SPINLOCK_INIT;
	bool on;

	on = hal_irq_save();
	t = find_task(tid);
	if (t == NULL || t == current || t->is_idle) {
		hal_irq_restore(on);
		return (-NC_EINVAL);
	}
	while (t->state != TASK_DEAD) {
		dummy.locked = 1;
		ps_block_current_on(&t->exitq, &dummy);
	}
	for (pp = &all_tasks; *pp != t; pp = &(*pp)->all_next)
		;
	*pp = t->all_next;
	if (handoff_to == t)
		handoff_to = NULL;
	hal_irq_restore(on);
	mm_frame_free_contig(t->stack_phys, STACK_PAGES);
	mm_kfree(t);
	return (0);
}

uint64_t
ps_thread_runtime_ns(long tid)
{
	struct ps_task *t;
	uint64_t ns = 0;
	bool on = hal_irq_save();

	if (current->tid == tid)
		update_curr();
	t = find_task(tid);
	if (t != NULL)
		ns = t->sum_exec_ns;
	hal_irq_restore(on);
	return (ns);
}

uint64_t
ps_thread_vruntime(long tid)
{
	struct ps_task *t;
	uint64_t v = 0;
	bool on = hal_irq_save();

	if (current->tid == tid)
		update_curr();
	t = find_task(tid);
	if (t != NULL)
		v = t->node.vruntime;
	hal_irq_restore(on);
	return (v);
}

uint64_t
ps_ready_min_vruntime(void)
{
	return (rq.first != NULL ? rq.first->vruntime : UINT64_MAX);
}

uint64_t
ps_min_vruntime(void)
{
	return (min_vruntime);
}

void *
ps_current_proc(void)
{
	return (current->proc);
}

void
ps_current_set_user(void *proc, uint64_t cr3)
{
	bool on = hal_irq_save();

	/* Becoming a user task: load its state (initial, or a fork copy). */
	if (proc != NULL && current->proc == NULL)
		hal_fpu_restore(task_fpu(current));
	current->proc = proc;
	current->cr3 = cr3;
	hal_set_kernel_stack(task_kstack_top(current));
	hal_write_cr3(cr3 != 0 ? cr3 : mm_kernel_cr3());
	hal_irq_restore(on);
}

void *
ps_current_uthread(void)
{
	return (current->uthread);
}

void
ps_current_set_uthread(void *thr)
{
	current->uthread = thr;
}

void
ps_thread_copy_fpu(long to, long from)
{
	struct ps_task *d, *f;
	bool on = hal_irq_save();

	d = find_task(to);
	f = find_task(from);
	if (d != NULL && f != NULL && d != f) {
		if (f == current)
			hal_fpu_save(task_fpu(d));
		else
			memcpy(task_fpu(d), task_fpu(f), HAL_FPU_SIZE);
	}
	hal_irq_restore(on);
}

void
ps_current_fpu_reset(void)
{
	hal_fpu_reset();
}

void
ps_current_set_fs_base(uint64_t base)
{
	current->fs_base = base;
	hal_set_fs_base(base);
}

uint64_t
ps_current_fs_base(void)
{
	return (current->fs_base);
}

int
ps_thread_set_weight(long tid, uint32_t weight_micros)
{
	struct ps_task *t;
	bool on;

	if (weight_micros == 0 || weight_micros > 1000000)
		return (-NC_EINVAL);
	on = hal_irq_save();
	t = find_task(tid);
	if (t != NULL)
		t->weight_micros = weight_micros;
	hal_irq_restore(on);
	return (t != NULL ? 0 : -NC_EINVAL);
}

void
ps_thread_place_after_current(long tid)
{
	struct ps_task *t;
	uint64_t v;
	bool on = hal_irq_save();

	t = find_task(tid);
	if (t != NULL && t != current && t->state == TASK_READY &&
	    !current->is_idle) {
		update_curr();
		v = current->node.vruntime + MIN_GRANULARITY_NS;
		if (t->node.vruntime < v) {
			ps_rq_remove(&rq, &t->node);
			t->node.vruntime = v;
			ps_rq_insert(&rq, &t->node);
		}
	}
	hal_irq_restore(on);
}

void
ps_park_until(uint64_t deadline_ns, volatile int *cond)
{
	bool on = hal_irq_save();

	if (*cond == 0 && hal_clock_ns() < deadline_ns && !current->is_idle) {
		current->wake_at_ns = deadline_ns;
		current->state = TASK_SLEEPING;
		current->parked = true;
		current->wait_next = sleepers;
		sleepers = current;
		schedule_locked();
		current->parked = false;
	}
	hal_irq_restore(on);
}

static void
unpark(long tid, bool handoff)
{
	struct ps_task **pp, *t;
	bool on = hal_irq_save();

	/* Only a park ends early; ps_sleep_ms sleeps its full time. */
	for (pp = &sleepers; (t = *pp) != NULL; pp = &t->wait_next)
		if (t->tid == tid && t->parked) {
			*pp = t->wait_next;
			t->wait_next = NULL;
			place_waking(t);
			if (!current->is_idle &&
			    t->node.vruntime < current->node.vruntime)
				need_resched = true;
			if (handoff && !current->is_idle) {
				handoff_to = t;
				handoff_from = current;
			}
			break;
		}
	hal_irq_restore(on);
}

void
ps_unpark(long tid)
{
	unpark(tid, false);
}

void
ps_unpark_handoff(long tid)
{
	unpark(tid, true);
}

static void
resched_hook(void)
{
	ps_cond_resched();
}

void
ps_init(void)
{
	ps_rq_init(&rq);
	idle_task.tid = 1;
	memcpy(idle_task.name, "idle", 5);
	idle_task.is_idle = true;
	idle_task.state = TASK_RUNNING;
	idle_task.weight_micros = PS_DEFAULT_WEIGHT_MICROS;
	idle_task.exec_start_ns = hal_clock_ns();
	started = true;
	nc_set_resched_hook(resched_hook);
	nc_log_set_tid(ps_current_task_id);
	nc_info(SCHED, "scheduler: fair (vruntime), tick %u Hz, idle tid 1",
	    PS_TICK_HZ);
}

void
ps_idle_loop(void)
{
	for (;;) {
		hal_cli();
		if (rq.first != NULL) {
			schedule_locked();
			hal_sti();
			continue;
		}
		/* sti; hlt: the interrupt shadow closes the wake-up race. */
		__asm__ volatile("sti; hlt" ::: "memory");
	}
}
