/*
 * ps/api.h -- processes and threads: kernel threads, the CFS-like fair
 * scheduler (per-task ns vruntime, weights from weight_micros, periodic
 * tick, deferred reschedule, cond_resched), sleeping and the sleeping
 * KernelWaitLock.  User mode comes later.  The only header other
 * subsystems may include from ps/.
 *
 * The kernel core runs on one CPU: scheduler state is protected by
 * disabling interrupts.
 */
#ifndef KERNEL_PS_API_H
#define KERNEL_PS_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nucleus-core/api.h>

#define PS_DEFAULT_WEIGHT_MICROS	100
#define PS_TICK_HZ			1000

/* Turn the boot context into the idle task and start accounting. */
void	ps_init(void);
/* The periodic tick (timer interrupt context). */
void	ps_tick(void);

/* Create a ready kernel thread; returns its tid (> 0) or -errno. */
long	ps_thread_create(const char *name, void (*fn)(void *), void *arg,
	    uint32_t weight_micros);
__attribute__((noreturn)) void ps_thread_exit(void);
/* Wait until thread tid has exited and release it; returns 0 or -errno. */
int	ps_thread_join(long tid);
/* CPU time a thread has consumed (ns), or 0 for an unknown tid. */
uint64_t ps_thread_runtime_ns(long tid);

/* Scheduler state for tests and diagnostics (ns of vruntime). */
uint64_t ps_thread_vruntime(long tid);
uint64_t ps_min_vruntime(void);
#define PS_SLEEPER_CREDIT_NS	3000000ULL	/* bounded wake-up credit */

long	ps_current_task_id(void);
void	ps_yield(void);
void	ps_schedule(void);
/* Safe point: switch if a tick asked for a reschedule. */
void	ps_cond_resched(void);
bool	ps_need_resched(void);
void	ps_sleep_ms(uint64_t ms);
/* The idle loop of the boot context (never returns). */
__attribute__((noreturn)) void ps_idle_loop(void);

/*
 * Scheduler-aware waiting by task id (contract: current_task_id,
 * block_current_task, wake_task).  A wake that reaches a task before it
 * blocks is remembered, so the block then returns at once: no lost
 * wake-ups.  Returns 0, or -EINVAL (unknown tid) / -EPERM (idle task).
 */
int	ps_block_current_task(void);
int	ps_wake_task(long tid);

/* Block the current task on a wait queue, wake one or all of its tasks. */
struct ps_task;
struct ps_waitq {
	struct ps_task *head;
};
#define PS_WAITQ_INIT	{ NULL }
/* Called with `l` held; releases it while blocked, retakes it after. */
void	ps_block_current_on(struct ps_waitq *q, struct nc_spinlock *l);
void	ps_wake_one(struct ps_waitq *q);
void	ps_wake_all(struct ps_waitq *q);

/* KernelWaitLock: a sleeping mutex for long critical sections. */
struct ps_waitlock {
	struct nc_spinlock guard;
	bool held;
	long owner;
	struct ps_waitq waiters;
};
#define PS_WAITLOCK_INIT	{ NC_SPINLOCK_INIT, false, 0, PS_WAITQ_INIT }
void	ps_waitlock_lock(struct ps_waitlock *l);
void	ps_waitlock_unlock(struct ps_waitlock *l);
bool	ps_waitlock_trylock(struct ps_waitlock *l);

#endif /* KERNEL_PS_API_H */
