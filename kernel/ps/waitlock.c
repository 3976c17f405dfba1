/*
 * waitlock.c -- KernelWaitLock: a mutex whose waiters sleep on a wait
 * queue, for critical sections too long for a spinlock (disk, filesystem,
 * IPC, large copies).  Ownership passes to the woken waiter only when it
 * runs, so no lock convoy forms on one CPU.
 */
#include <ps/api.h>

void
ps_waitlock_lock(struct ps_waitlock *l)
{
	nc_spin_lock(&l->guard);
	while (l->held)
		ps_block_current_on(&l->waiters, &l->guard);
	l->held = true;
	l->owner = ps_current_task_id();
	nc_spin_unlock(&l->guard);
}

bool
ps_waitlock_trylock(struct ps_waitlock *l)
{
	bool got = false;

	nc_spin_lock(&l->guard);
	if (!l->held) {
		l->held = true;
		l->owner = ps_current_task_id();
		got = true;
	}
	nc_spin_unlock(&l->guard);
	return (got);
}

void
ps_waitlock_unlock(struct ps_waitlock *l)
{
	nc_spin_lock(&l->guard);
	if (!l->held || l->owner != ps_current_task_id()) {
		nc_spin_unlock(&l->guard);
		nc_panic("waitlock %p released by tid %ld, owner %ld", l,
		    ps_current_task_id(), l->owner);
	}
	l->held = false;
	l->owner = 0;
	nc_spin_unlock(&l->guard);
	ps_wake_one(&l->waiters);
}
