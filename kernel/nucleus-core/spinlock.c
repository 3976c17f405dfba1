/*
 * spinlock.c -- KernelSpinLock: an irq-saving test-and-set lock.  Interrupts
 * stay off while it is held, so a holder must not sleep or run long copies
 * (use the sleeping wait lock of ps/ for those).
 */
#include <nucleus-core/api.h>
#include <hal/api.h>

void
nc_spin_lock(struct nc_spinlock *l)
{
	bool on = hal_irq_save();

	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) != 0)
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED) != 0)
			hal_pause();
	l->irq_on = on;
}

void
nc_spin_unlock(struct nc_spinlock *l)
{
	bool on = l->irq_on;

	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	hal_irq_restore(on);
}

bool
nc_spin_held(const struct nc_spinlock *l)
{
	return (__atomic_load_n(&l->locked, __ATOMIC_RELAXED) != 0);
}

static void (*resched_hook)(void);

void
nc_set_resched_hook(void (*fn)(void))
{
	resched_hook = fn;
}

void
nc_cond_resched(void)
{
	if (resched_hook != NULL)
		resched_hook();
}
