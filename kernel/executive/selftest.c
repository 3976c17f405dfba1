/*
 * selftest.c -- in-kernel self tests (test flag "selftest"): frame
 * allocator, W^X kernel mappings, heap (slab reuse, large allocations),
 * timer monotonicity, scheduler fairness between weighted kernel threads
 * and the bounded sleeper credit, the two
 * lock kinds, the fault-injection actions and the log ring.  One debugcon
 * line per case: "KTEST ok <name>" or "KTEST FAIL <name>: <reason>", then
 * "KTEST done passed=N failed=M".
 */
#include <executive/api.h>
#include <executive/internal.h>
#include <hal/api.h>
#include <io-manager/api.h>
#include <mm/api.h>
#include <nucleus-core/api.h>
#include <ps/api.h>

static unsigned passed, failed;

/* Record a case; reason is NULL on success. */
static void
report(const char *name, const char *reason)
{
	if (reason == NULL) {
		passed++;
		nc_debugcon_printf("KTEST ok %s\n", name);
		nc_info(DEBUG, "selftest %s ok", name);
	} else {
		failed++;
		nc_debugcon_printf("KTEST FAIL %s: %s\n", name, reason);
		nc_error(DEBUG, "selftest %s failed: %s", name, reason);
	}
}

static char why[160];

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		nc_snprintf(why, sizeof(why), __VA_ARGS__);		\
		return (why);						\
	}								\
} while (0)

static const char *
t_frame_alloc(void)
{
	uint64_t f[32];
	size_t before = mm_frame_free_count(), i, j;

	for (i = 0; i < NC_ARRAY_SIZE(f); i++) {
		f[i] = mm_frame_alloc();
		CHECK(f[i] != 0, "allocation %zu failed", i);
		CHECK(f[i] % MM_PAGE_SIZE == 0, "frame 0x%lx unaligned", f[i]);
		CHECK(f[i] >= (1UL << 20), "frame 0x%lx in the low 1 MiB",
		    f[i]);
		memset(mm_phys_to_virt(f[i]), (int)i, MM_PAGE_SIZE);
	}
	for (i = 0; i < NC_ARRAY_SIZE(f); i++)
		for (j = i + 1; j < NC_ARRAY_SIZE(f); j++)
			CHECK(f[i] != f[j], "frame 0x%lx handed out twice",
			    f[i]);
	for (i = 0; i < NC_ARRAY_SIZE(f); i++) {
		const uint8_t *p = mm_phys_to_virt(f[i]);

		CHECK(p[0] == (uint8_t)i && p[MM_PAGE_SIZE - 1] == (uint8_t)i,
		    "frame 0x%lx contents overwritten", f[i]);
	}
	CHECK(mm_frame_free_count() == before - NC_ARRAY_SIZE(f),
	    "free count %zu, expected %zu", mm_frame_free_count(),
	    before - NC_ARRAY_SIZE(f));
	for (i = 0; i < NC_ARRAY_SIZE(f); i++)
		mm_frame_free(f[i]);
	CHECK(mm_frame_free_count() == before, "free count not restored");
	return (NULL);
}

static const char *
t_frame_contig(void)
{
	size_t before = mm_frame_free_count();
	uint64_t f = mm_frame_alloc_contig(64);

	CHECK(f != 0, "64 contiguous frames not available");
	memset(mm_phys_to_virt(f), 0xa5, 64 * MM_PAGE_SIZE);
	mm_frame_free_contig(f, 64);
	CHECK(mm_frame_free_count() == before, "free count not restored");
	return (NULL);
}

static const uint32_t rodata_probe = 1;
static uint32_t data_probe;

static const char *
t_paging_wx(void)
{
	struct {
		const char *what;
		uintptr_t va;
		unsigned want;
	} cases[] = {
		{ "text", (uintptr_t)t_paging_wx, MM_PROT_PRESENT |
		    MM_PROT_EXEC },
		{ "rodata", (uintptr_t)&rodata_probe, MM_PROT_PRESENT },
		{ "data", (uintptr_t)&data_probe, MM_PROT_PRESENT |
		    MM_PROT_WRITE },
		{ "bss stack guard", mm_main_stack_guard(), 0 },
		{ "direct map", (uintptr_t)mm_phys_to_virt(0x100000),
		    MM_PROT_PRESENT | MM_PROT_WRITE },
		{ "identity map", 0x200000, 0 },
		{ "null page", 0, 0 },
	};
	size_t i;
	unsigned got;

	for (i = 0; i < NC_ARRAY_SIZE(cases); i++) {
		got = mm_query_prot(cases[i].va);
		CHECK(got == cases[i].want, "%s at %p: prot 0x%x, want 0x%x",
		    cases[i].what, (void *)cases[i].va, got, cases[i].want);
	}
	return (NULL);
}

static const char *
t_heap_small(void)
{
	void *p[64];
	size_t i, n;

	for (i = 0; i < NC_ARRAY_SIZE(p); i++) {
		n = 1 + i * 31;
		p[i] = mm_kmalloc(n);
		CHECK(p[i] != NULL, "kmalloc(%zu) failed", n);
		CHECK(((uintptr_t)p[i] & 7) == 0, "kmalloc(%zu) unaligned", n);
		memset(p[i], (int)i, n);
	}
	for (i = 0; i < NC_ARRAY_SIZE(p); i++) {
		n = 1 + i * 31;
		CHECK(((uint8_t *)p[i])[n - 1] == (uint8_t)i,
		    "object %zu overwritten", i);
	}
	for (i = 0; i < NC_ARRAY_SIZE(p); i++)
		mm_kfree(p[i]);
	return (NULL);
}

static const char *
t_heap_slab_reuse(void)
{
	void *a = mm_kmalloc(48), *b;

	CHECK(a != NULL, "kmalloc(48) failed");
	mm_kfree(a);
	b = mm_kmalloc(40);
	CHECK(b == a, "freed object %p not reused (got %p)", a, b);
	mm_kfree(b);
	return (NULL);
}

static const char *
t_heap_large(void)
{
	size_t before = mm_frame_free_count(), sizes[] = { 4096, 65536,
	    1 << 20 }, i, j;

	for (i = 0; i < NC_ARRAY_SIZE(sizes); i++) {
		uint8_t *p = mm_kmalloc(sizes[i]);

		CHECK(p != NULL, "kmalloc(%zu) failed", sizes[i]);
		for (j = 0; j < sizes[i]; j += 512)
			p[j] = (uint8_t)j;
		p[sizes[i] - 1] = 0x5a;
		CHECK(p[sizes[i] - 1] == 0x5a && p[512] == (uint8_t)512,
		    "large block %zu unusable", sizes[i]);
		mm_kfree(p);
	}
	CHECK(mm_frame_free_count() == before, "frames leaked: %zu -> %zu",
	    before, mm_frame_free_count());
	return (NULL);
}

static const char *
t_timer_monotonic(void)
{
	uint64_t prev = hal_clock_ns(), now, t0, k0;
	unsigned i;

	for (i = 0; i < 100000; i++) {
		now = hal_clock_ns();
		CHECK(now >= prev, "clock went back: %lu -> %lu", prev, now);
		prev = now;
	}
	t0 = hal_clock_ns();
	k0 = hal_ticks();
	ps_sleep_ms(20);
	CHECK(hal_clock_ns() - t0 >= 20000000ULL, "slept %lu ns < 20 ms",
	    hal_clock_ns() - t0);
	CHECK(hal_ticks() > k0, "no timer tick in 20 ms");
	return (NULL);
}

struct spin_arg {
	volatile bool *stop;
	volatile uint64_t loops;
};

static void
spinner(void *p)
{
	struct spin_arg *a = p;

	while (!*a->stop) {
		a->loops++;
		nc_cond_resched();
	}
}

/*
 * One 1-second measurement of two spinners with weights 100 and 300; the
 * ratio of their runtimes times 100.
 */
static const char *
fairness_once(uint64_t *ratio100)
{
	static volatile bool stop;
	static struct spin_arg a1, a3;
	long t1, t3;
	uint64_t r1, r3;

	stop = false;
	a1.stop = a3.stop = &stop;
	a1.loops = a3.loops = 0;
	t1 = ps_thread_create("w100", spinner, &a1, 100);
	t3 = ps_thread_create("w300", spinner, &a3, 300);
	CHECK(t1 > 0 && t3 > 0, "thread creation failed (%ld, %ld)", t1, t3);
	ps_sleep_ms(1000);
	r1 = ps_thread_runtime_ns(t1);
	r3 = ps_thread_runtime_ns(t3);
	stop = true;
	ps_thread_join(t1);
	ps_thread_join(t3);
	CHECK(r1 > 0 && r3 > 0, "a thread never ran (%lu, %lu ns)", r1, r3);
	*ratio100 = r3 * 100 / r1;
	nc_info(SCHED, "fairness: weight 100 ran %lu us, weight 300 ran %lu "
	    "us, ratio %lu.%02lu", r1 / 1000, r3 / 1000, *ratio100 / 100,
	    *ratio100 % 100);
	return (NULL);
}

/*
 * Expected ratio 3.0; the bound is generous (tick granularity, TCG).  Under
 * TCG the clock is the host's wall clock: while the host runs something
 * else, the running spinner is charged for it, so on a loaded host one
 * window can land far off (1.63 seen).  Those errors are random, a policy
 * bug is not: up to three windows, and one inside the bound passes, while
 * ignored weights (about 1.0) or swapped ones fail all three.
 */
static const char *
t_sched_fairness(void)
{
	const char *err;
	uint64_t ratio100 = 0;
	int attempt;

	for (attempt = 0; attempt < 3; attempt++) {
		err = fairness_once(&ratio100);
		if (err != NULL)
			return (err);
		if (ratio100 >= 200 && ratio100 <= 450)
			return (NULL);
	}
	CHECK(false, "runtime ratio %lu.%02lu outside [2.00, 4.50] in three "
	    "windows", ratio100 / 100, ratio100 % 100);
	return (NULL);
}

/*
 * A task that slept while another ran must come back no further than the
 * bounded sleeper credit behind min_vruntime, not with all the time it
 * was away (which would let it monopolise the CPU).
 */
static const char *
t_sched_sleeper_credit(void)
{
	static volatile bool stop;
	static struct spin_arg a;
	long me = ps_current_task_id(), t;
	uint64_t mine, minv, other;

	stop = false;
	a.stop = &stop;
	a.loops = 0;
	t = ps_thread_create("spin", spinner, &a, 100);
	CHECK(t > 0, "thread creation failed (%ld)", t);
	ps_sleep_ms(300);
	mine = ps_thread_vruntime(me);
	minv = ps_min_vruntime();
	other = ps_thread_vruntime(t);
	stop = true;
	ps_thread_join(t);
	nc_info(SCHED, "sleeper credit: woke at vruntime %lu us, min %lu us, "
	    "spinner %lu us", mine / 1000, minv / 1000, other / 1000);
	CHECK(other > 200000000ULL, "the spinner ran only %lu us of vruntime",
	    other / 1000);
	CHECK(mine + PS_SLEEPER_CREDIT_NS + 2000000ULL >= minv,
	    "woke %lu us behind min_vruntime (credit %llu us)",
	    (minv - mine) / 1000, PS_SLEEPER_CREDIT_NS / 1000);
	CHECK(mine + PS_SLEEPER_CREDIT_NS + 2000000ULL >= other,
	    "woke %lu us behind the running task", (other - mine) / 1000);
	return (NULL);
}

struct bw_arg {
	long waker;
	volatile unsigned stage;
};

static void
bw_worker(void *p)
{
	struct bw_arg *a = p;

	a->stage = 1;
	ps_block_current_task();	/* woken by the test */
	a->stage = 2;
	ps_wake_task(a->waker);		/* wakes the test, which may not */
	a->stage = 3;			/* have blocked yet: kept pending */
}

static const char *
t_sched_block_wake(void)
{
	static struct bw_arg a;
	long t;
	unsigned i;

	a.waker = ps_current_task_id();
	a.stage = 0;
	t = ps_thread_create("bw", bw_worker, &a, 100);
	CHECK(t > 0, "thread creation failed (%ld)", t);
	for (i = 0; i < 1000 && a.stage < 1; i++)
		ps_sleep_ms(1);
	ps_sleep_ms(5);
	CHECK(a.stage == 1, "worker did not block (stage %u)", a.stage);
	CHECK(ps_wake_task(t) == 0, "wake_task failed");
	ps_block_current_task();	/* returns once the worker wakes us */
	CHECK(a.stage >= 2, "woken before the worker ran (stage %u)",
	    a.stage);
	ps_thread_join(t);
	CHECK(a.stage == 3, "worker did not finish (stage %u)", a.stage);
	CHECK(ps_wake_task(t) == -NC_EINVAL, "wake of an exited task "
	    "accepted");
	CHECK(ps_wake_task(1) == -NC_EPERM, "wake of the idle task accepted");
	return (NULL);
}

/*
 * IPC handoff (ps_unpark_handoff): a parked "receiver" R that has run
 * `ahead` ns of vruntime past a blocked competitor C is woken with a
 * handoff just after C is woken; the test then blocks.  Within the credit
 * R runs first although C has the smaller vruntime; beyond it the fair
 * pick runs C first.
 */
struct ho_arg {
	long c_tid;
	uint64_t ahead;
	volatile unsigned stage;
	volatile char order[2];
	volatile unsigned n;
};

static void
ho_receiver(void *p)
{
	struct ho_arg *a = p;
	uint64_t v0 = ps_thread_vruntime(a->c_tid);
	long me = ps_current_task_id();
	volatile int never = 0;

	while (ps_thread_vruntime(me) < v0 + a->ahead)
		nc_cond_resched();
	a->stage = 1;
	ps_park_until(hal_clock_ns() + 2000000000ULL, &never);
	a->order[a->n++ & 1] = 'R';
}

static void
ho_competitor(void *p)
{
	struct ho_arg *a = p;

	ps_block_current_task();	/* woken by the test */
	a->order[a->n++ & 1] = 'C';
}

/*
 * One round; *first is who ran first after the handoff, *applies whether
 * the handoff's condition held when the test blocked (checked with
 * interrupts off up to the switch, so no wake-up changes the leftmost).
 */
static const char *
handoff_once(uint64_t ahead, char *first, bool *applies)
{
	static struct ho_arg a;
	long c, r;
	unsigned i;
	bool on, woke;

	memset((void *)&a, 0, sizeof(a));
	a.ahead = ahead;
	c = ps_thread_create("ho-c", ho_competitor, &a, 100);
	CHECK(c > 0, "thread creation failed (%ld)", c);
	a.c_tid = c;
	ps_sleep_ms(2);			/* C blocks */
	r = ps_thread_create("ho-r", ho_receiver, &a, 100);
	CHECK(r > 0, "thread creation failed (%ld)", r);
	for (i = 0; i < 2000 && a.stage < 1; i++)
		ps_sleep_ms(1);
	ps_sleep_ms(2);			/* R parks */
	CHECK(a.stage == 1 && a.n == 0, "setup failed (stage %u, n %u)",
	    a.stage, a.n);
	on = hal_irq_save();
	woke = ps_wake_task(c) == 0;
	ps_unpark_handoff(r);
	*applies = ps_thread_vruntime(r) <= ps_ready_min_vruntime() +
	    PS_HANDOFF_CREDIT_NS;
	ps_sleep_ms(5);			/* the handoff applies here */
	hal_irq_restore(on);
	CHECK(woke, "wake of the competitor failed");
	nc_info(SCHED, "handoff: receiver %lu us, competitor %lu us of "
	    "vruntime, within the credit: %d", ps_thread_vruntime(r) / 1000,
	    ps_thread_vruntime(c) / 1000, (int)*applies);
	ps_thread_join(r);
	ps_thread_join(c);
	CHECK(a.n == 2, "not both ran (%u)", a.n);
	*first = a.order[0];
	return (NULL);
}

static const char *
t_sched_handoff(void)
{
	const char *err;
	unsigned tries;
	bool applies;
	char first;

	/*
	 * Half the credit ahead of C: the handoff picks R over C, unless
	 * another ready task sat further behind (then nothing is claimed;
	 * a few rounds, as such a task is rare).
	 */
	for (tries = 0; tries < 4; tries++) {
		if ((err = handoff_once(PS_HANDOFF_CREDIT_NS / 2, &first,
		    &applies)) != NULL)
			return (err);
		CHECK(!applies || first == 'R',
		    "within the credit the fair pick ran first");
		if (applies)
			break;
	}
	/*
	 * Far ahead (C is floored at min_vruntime - sleeper credit, still
	 * more than the handoff credit behind R): C runs first.
	 */
	if ((err = handoff_once(PS_SLEEPER_CREDIT_NS +
	    4 * PS_HANDOFF_CREDIT_NS, &first, &applies)) != NULL)
		return (err);
	CHECK(first == 'C', "the handoff ignored its credit bound");
	return (NULL);
}

static const char *
t_spinlock(void)
{
	struct nc_spinlock l = NC_SPINLOCK_INIT;
	bool was_on = (hal_read_rflags() & 0x200) != 0;

	nc_spin_lock(&l);
	CHECK(nc_spin_held(&l), "lock not held after lock");
	CHECK((hal_read_rflags() & 0x200) == 0, "interrupts on while held");
	nc_spin_unlock(&l);
	CHECK(!nc_spin_held(&l), "lock held after unlock");
	CHECK(((hal_read_rflags() & 0x200) != 0) == was_on,
	    "interrupt state not restored");
	return (NULL);
}

struct wl_arg {
	struct ps_waitlock *lock;
	volatile int *inside;
	volatile int *bad;
	volatile uint64_t *counter;
};

static void
wl_worker(void *p)
{
	struct wl_arg *a = p;
	unsigned i;

	for (i = 0; i < 200; i++) {
		ps_waitlock_lock(a->lock);
		if ((*a->inside)++ != 0)
			(*a->bad)++;
		(*a->counter)++;
		if (i % 10 == 0)
			ps_yield();	/* sleepable section: others must wait */
		(*a->inside)--;
		ps_waitlock_unlock(a->lock);
	}
}

static const char *
t_waitlock(void)
{
	static struct ps_waitlock lock = PS_WAITLOCK_INIT;
	static volatile int inside, bad;
	static volatile uint64_t counter;
	static struct wl_arg arg;
	long t[3];
	unsigned i;

	inside = bad = 0;
	counter = 0;
	arg.lock = &lock;
	arg.inside = &inside;
	arg.bad = &bad;
	arg.counter = &counter;
	for (i = 0; i < 3; i++) {
		t[i] = ps_thread_create("wl", wl_worker, &arg, 100);
		CHECK(t[i] > 0, "thread creation failed (%ld)", t[i]);
	}
	for (i = 0; i < 3; i++)
		ps_thread_join(t[i]);
	CHECK(bad == 0, "%d overlapping critical sections", bad);
	CHECK(counter == 600, "counter %lu, expected 600", counter);
	CHECK(ps_waitlock_trylock(&lock), "lock still held after the test");
	ps_waitlock_unlock(&lock);
	return (NULL);
}

/* n calls at point p; returns a bit string of failures, bit i = call i. */
static uint32_t
fault_pattern(const char *p, unsigned n)
{
	uint32_t bits = 0;
	unsigned i;

	for (i = 0; i < n; i++)
		if (nc_fault_should_fail(p))
			bits |= 1u << i;
	return (bits);
}

static const char *
t_fault_actions(void)
{
	const char *r = "t.off=off;t.fail=fail;t.drop=drop-every:3;"
	    "t.after=fail-after:2;t.rate0=rate:0;t.rate1000=rate:1000;"
	    "t.delay=delay-ms:7";
	uint32_t b;

	CHECK(nc_fault_load(r, strlen(r)) == 7, "rule string not loaded");
	CHECK((b = fault_pattern("t.off", 8)) == 0, "off failed: 0x%x", b);
	CHECK((b = fault_pattern("t.fail", 8)) == 0xff, "fail: 0x%x", b);
	CHECK((b = fault_pattern("t.drop", 9)) == 0x124,
	    "drop-every:3: 0x%x", b);
	CHECK((b = fault_pattern("t.after", 6)) == 0x3c,
	    "fail-after:2: 0x%x", b);
	CHECK((b = fault_pattern("t.rate0", 16)) == 0, "rate:0: 0x%x", b);
	CHECK((b = fault_pattern("t.rate1000", 16)) == 0xffff,
	    "rate:1000: 0x%x", b);
	CHECK(nc_fault_delay_ms("t.delay") == 7, "delay-ms:7 not reported");
	CHECK(fault_pattern("t.delay", 4) == 0, "delay-ms made a call fail");
	CHECK(fault_pattern("t.unknown", 4) == 0, "a point without a rule "
	    "failed");
	/* A bad string is refused whole and clears the rules. */
	CHECK(nc_fault_load("t.fail=fail;bad", 15) == -NC_EINVAL,
	    "bad rule string accepted");
	CHECK(fault_pattern("t.fail", 2) == 0, "rules kept after a bad "
	    "string");
	nc_fault_clear();
	return (NULL);
}

static const char *
t_log_ring(void)
{
	static char snap[RUSTOS_LOG_RING_BUFFER_BYTES + 512];
	size_t n;

	nc_info(DEBUG, "selftest ring marker %u", 4242u);
	n = nc_log_snapshot(snap, sizeof(snap));
	CHECK(n > 0 && memcmp(snap, "seq=", 4) == 0,
	    "snapshot does not start with a structured line");
	CHECK(n >= 20 && strncmp(snap + n - 1, "\n", 1) == 0,
	    "snapshot does not end with a whole line");
	return (NULL);
}

/* The user copy survives bad pointers: -EFAULT, never a fault. */
static const char *
t_user_copy_efault(void)
{
	static const uint64_t bad[] = {
		0, 0x1000, HAL_USER_BASE + 0x1000, HAL_USER_END - 8,
		0xffff800000000000UL, KERNEL_VMA, ~0UL - 4,
	};
	uint8_t buf[16];
	size_t i;
	long r;

	for (i = 0; i < NC_ARRAY_SIZE(bad); i++) {
		r = hal_copy_from_user(buf, bad[i], sizeof(buf));
		CHECK(r == -14, "copy_from_user(0x%lx) = %ld", bad[i], r);
		r = hal_copy_to_user(bad[i], buf, sizeof(buf));
		CHECK(r == -14, "copy_to_user(0x%lx) = %ld", bad[i], r);
	}
	r = hal_copy_from_user(buf, HAL_USER_BASE, ~0UL);
	CHECK(r == -14, "length overflow accepted (%ld)", r);
	return (NULL);
}

/* A user address space: map, write, read back through it, tear down. */
static const char *
t_user_space(void)
{
	size_t before = mm_frame_free_count();
	uint64_t va = MM_USER_BASE + 0x400000, v = 0, want = 0x1122334455667788;
	struct mm_uvm *vm;
	bool on;
	long r;

	vm = mm_uvm_create();
	CHECK(vm != NULL, "no address space");
	r = mm_uvm_map_zero(vm, va, 2 * MM_PAGE_SIZE, MM_PROT_WRITE);
	CHECK(r == 0, "map_zero: %ld", r);
	CHECK(mm_uvm_range_mapped(vm, va, 2 * MM_PAGE_SIZE), "not mapped");
	CHECK(!mm_uvm_range_mapped(vm, va + 2 * MM_PAGE_SIZE, 1),
	    "page past the mapping is mapped");
	CHECK(mm_uvm_write(vm, va + MM_PAGE_SIZE - 4, &want, 8) == 0,
	    "write across the page boundary failed");
	on = hal_irq_save();
	hal_write_cr3(mm_uvm_cr3(vm));
	r = hal_copy_from_user(&v, va + MM_PAGE_SIZE - 4, 8);
	hal_write_cr3(mm_kernel_cr3());
	hal_irq_restore(on);
	CHECK(r == 0 && v == want, "read back %ld 0x%lx", r, v);
	CHECK(mm_uvm_map_zero(vm, va, (size_t)1 << 40, MM_PROT_WRITE) ==
	    -NC_EINVAL, "a mapping past the user range was accepted");
	mm_uvm_unmap(vm, va, MM_PAGE_SIZE);
	CHECK(!mm_uvm_range_mapped(vm, va, 1), "unmap left the page");
	mm_uvm_destroy(vm);
	CHECK(mm_frame_free_count() == before, "frames leaked: %zu -> %zu",
	    before, mm_frame_free_count());
	return (NULL);
}

static uint64_t
peek(struct mm_uvm *vm, uint64_t va)
{
	uint64_t v = ~0UL;
	bool on = hal_irq_save();

	hal_write_cr3(mm_uvm_cr3(vm));
	if (hal_copy_from_user(&v, va, 8) != 0)
		v = ~0UL;
	hal_write_cr3(mm_kernel_cr3());
	hal_irq_restore(on);
	return (v);
}

/*
 * Demand paging and copy-on-write: no frame before the first touch, a
 * fork shares every page, a write in the child copies one page and the
 * parent keeps its value, the last holder writes without a copy, faults
 * outside a mapping or against PROT_NONE are refused; after 40 rounds of
 * fork and teardown (either side first) the free frame count is back to
 * its baseline, and a double free would have panicked.
 */
static const char *
t_user_cow(void)
{
	uint64_t va = MM_USER_BASE + 0x800000, v, i;
	struct mm_uvm *a, *b;
	size_t before = 0, f0;
	unsigned round;
	long r;

	for (round = 0; round < 40; round++) {
		if (round == 1)
			before = mm_frame_free_count();
		CHECK((a = mm_uvm_create()) != NULL, "no address space");
		r = mm_uvm_mmap(a, va, 16 * MM_PAGE_SIZE, 3, MM_MAP_PRIVATE |
		    MM_MAP_FIXED, NULL, 0, 0, 0);
		CHECK(r == (long)va, "mmap: %ld", r);
		CHECK(mm_uvm_resident(a) == 0, "%zu pages before a touch",
		    mm_uvm_resident(a));
		for (i = 0; i < 16; i++)
			CHECK(mm_uvm_write(a, va + i * MM_PAGE_SIZE, &i, 8) == 0,
			    "write page %lu", i);
		CHECK(mm_uvm_resident(a) == 16, "resident %zu, want 16",
		    mm_uvm_resident(a));
		CHECK((b = mm_uvm_create()) != NULL, "no child space");
		CHECK(mm_uvm_fork(b, a) == 0, "fork failed");
		CHECK(mm_uvm_resident(b) == 16, "child resident %zu",
		    mm_uvm_resident(b));
		f0 = mm_frame_free_count();
		v = 100;
		CHECK(mm_uvm_write(b, va, &v, 8) == 0, "child write");
		CHECK(mm_frame_free_count() == f0 - 1, "a COW write took %zu "
		    "frames", f0 - mm_frame_free_count());
		CHECK(peek(a, va) == 0 && peek(b, va) == 100, "parent sees "
		    "%lu, child %lu", peek(a, va), peek(b, va));
		CHECK(peek(a, va + 5 * MM_PAGE_SIZE) == 5 &&
		    peek(b, va + 5 * MM_PAGE_SIZE) == 5, "shared page lost");
		/* The parent is the last holder of page 0: no copy. */
		f0 = mm_frame_free_count();
		CHECK(mm_uvm_fault(a, va, 3) == 0, "write fault refused");
		CHECK(mm_frame_free_count() == f0, "last holder copied");
		CHECK(mm_uvm_fault(a, va + 20 * MM_PAGE_SIZE, 0) == -14,
		    "fault outside a mapping resolved");
		CHECK(mm_uvm_protect(a, va + MM_PAGE_SIZE, MM_PAGE_SIZE, 0) ==
		    0, "mprotect PROT_NONE");
		CHECK(mm_uvm_fault(a, va + MM_PAGE_SIZE, 0) == -13,
		    "fault on PROT_NONE resolved");
		CHECK(mm_uvm_fault(b, va + 2 * MM_PAGE_SIZE, 3) == 0,
		    "child write fault");
		if (round % 2) {
			mm_uvm_destroy(b);
			mm_uvm_destroy(a);
		} else {
			mm_uvm_destroy(a);
			mm_uvm_destroy(b);
		}
	}
	CHECK(mm_frame_free_count() == before, "frames leaked: %zu -> %zu",
	    before, mm_frame_free_count());
	return (NULL);
}

/*
 * Sealed mappings (the vDSO and vvar pages): mprotect may take access
 * away but never add PROT_WRITE, the kernel's own writes refuse them,
 * they cannot grow, fork keeps the seal, and a writable mapping cannot
 * be sealed.
 */
static const char *
t_user_seal(void)
{
	uint64_t va = MM_USER_BASE + 0x800000, v = 1;
	struct mm_uvm *a, *b;
	struct mm_obj *o;

	CHECK((o = mm_obj_create(2 * MM_PAGE_SIZE)) != NULL, "no object");
	CHECK((a = mm_uvm_create()) != NULL, "no address space");
	CHECK(mm_uvm_mmap(a, va, 2 * MM_PAGE_SIZE, MM_PROT_READ,
	    MM_MAP_SHARED | MM_MAP_FIXED, o, 0, 0, 0) == (long)va, "mmap");
	mm_obj_put(o);			/* the mapping holds it now */
	CHECK(mm_uvm_seal(a, va, 2 * MM_PAGE_SIZE) == 0, "seal");
	CHECK(mm_uvm_protect(a, va, MM_PAGE_SIZE, MM_PROT_READ |
	    MM_PROT_WRITE) == -13, "PROT_WRITE granted on a sealed page");
	CHECK(mm_uvm_protect(a, va, MM_PAGE_SIZE, 0) == 0, "PROT_NONE");
	CHECK(mm_uvm_protect(a, va, MM_PAGE_SIZE, MM_PROT_READ) == 0,
	    "back to PROT_READ");
	CHECK(mm_uvm_write(a, va + 8, &v, 8) != 0, "kernel write went in");
	CHECK(mm_uvm_fault(a, va, 2) == -13, "write fault resolved");
	CHECK(mm_uvm_remap(a, va, MM_PAGE_SIZE, 4 * MM_PAGE_SIZE, 0, 0,
	    0) == -NC_EINVAL, "a sealed mapping grew");
	CHECK((b = mm_uvm_create()) != NULL, "no child space");
	CHECK(mm_uvm_fork(b, a) == 0, "fork failed");
	CHECK(mm_uvm_protect(b, va + MM_PAGE_SIZE, MM_PAGE_SIZE,
	    MM_PROT_WRITE) == -13, "fork dropped the seal");
	mm_uvm_destroy(b);
	mm_uvm_unmap(a, va, 2 * MM_PAGE_SIZE);
	CHECK(mm_uvm_mmap(a, va, MM_PAGE_SIZE, MM_PROT_READ | MM_PROT_WRITE,
	    MM_MAP_PRIVATE | MM_MAP_FIXED, NULL, 0, 0, 0) == (long)va, "mmap");
	CHECK(mm_uvm_seal(a, va, MM_PAGE_SIZE) == -13,
	    "a writable mapping was sealed");
	mm_uvm_destroy(a);
	return (NULL);
}

/*
 * Out of frames during a copy-on-write or demand fault: the fault says
 * -ENOMEM (the process gets SIGBUS), nothing is half-done, and once
 * frames are back the same fault succeeds; no frame leaks.
 */
static const char *
t_user_cow_oom(void)
{
	const char *rule = "alloc.frame=fail";
	uint64_t va = MM_USER_BASE + 0x800000, v = 9;
	struct mm_uvm *a, *b;
	size_t before;
	int r1, r2;

	CHECK((a = mm_uvm_create()) != NULL, "no address space");
	(void)mm_uvm_mmap(a, va, 4 * MM_PAGE_SIZE, 3, MM_MAP_PRIVATE |
	    MM_MAP_FIXED, NULL, 0, 0, 0);
	CHECK(mm_uvm_write(a, va, &v, 8) == 0, "write");
	CHECK((b = mm_uvm_create()) != NULL, "no child space");
	CHECK(mm_uvm_fork(b, a) == 0, "fork failed");
	/* Page tables of the second page exist: only the data frame fails. */
	before = mm_frame_free_count();
	CHECK(nc_fault_load(rule, strlen(rule)) == 1, "rule not loaded");
	r1 = mm_uvm_fault(b, va, 3);
	r2 = mm_uvm_fault(b, va + MM_PAGE_SIZE, 2);
	nc_fault_clear();
	CHECK(r1 == -NC_ENOMEM && r2 == -NC_ENOMEM, "faults without frames: "
	    "%d %d", r1, r2);
	CHECK(mm_frame_free_count() == before, "a failed fault kept frames");
	CHECK(peek(b, va) == 9, "the shared page changed");
	CHECK(mm_uvm_fault(b, va, 3) == 0, "fault after recovery");
	mm_uvm_destroy(b);
	mm_uvm_destroy(a);
	return (NULL);
}

/* bootfs names resolve exactly (no prefix or relative matches). */
static const char *
t_bootfs_lookup(void)
{
	const char *name;
	uint64_t size;

	CHECK(io_bootfs_lookup("/no/such/file", 13) == -NC_ENOENT,
	    "unknown path found");
	if (io_bootfs_count() == 0)
		return (NULL);
	CHECK(io_bootfs_entry(0, &name, NULL, &size) == 0, "entry 0");
	CHECK(io_bootfs_lookup(name, strlen(name)) == 0, "%s not found", name);
	CHECK(io_bootfs_lookup(name, strlen(name) - 1) != 0,
	    "a prefix of %s matched", name);
	CHECK(io_bootfs_entry(io_bootfs_count(), NULL, NULL, NULL) ==
	    -NC_ENOENT, "entry past the end");
	return (NULL);
}

/*
 * Random syscall numbers and arguments, unprivileged and with every
 * capability bit: the kernel must survive them all without a fault and
 * without losing memory.
 */
static const char *
t_syscall_fuzz(void)
{
	size_t before = mm_frame_free_count();
	unsigned long n;

	/* Fixed seeds: a failure must reproduce on the next boot. */
	n = ex_syscall_fuzz(20000, 0x5eed1234abcdULL, 0);
	CHECK(n > 10000, "only %lu unprivileged calls made", n);
	n = ex_syscall_fuzz(20000, 0x9e3779b97f4a7c15ULL, ~0ULL);
	CHECK(n > 10000, "only %lu privileged calls made", n);
	CHECK(mm_frame_free_count() + 64 >= before,
	    "frames lost: %zu -> %zu", before, mm_frame_free_count());
	return (NULL);
}

/*
 * Real user processes from a few bytes of machine code: bad accesses and
 * privileged instructions kill only the process (signal in the wait
 * status), exit_group reports its code, and results seen by user mode
 * (-EFAULT, -ENOSYS) come back in rax.
 */
static const char *
t_user_processes(void)
{
	static const uint8_t null_deref[] = { 0x31, 0xc0, 0x48, 0x8b, 0x00 };
	static const uint8_t kernel_read[] = { 0x48, 0xb8, 0, 0, 0, 0x80,
	    0xff, 0xff, 0xff, 0xff, 0x48, 0x8b, 0x00 };
	static const uint8_t hlt[] = { 0xf4 };
	static const uint8_t cli[] = { 0xfa };
	static const uint8_t ud2[] = { 0x0f, 0x0b };
	static const uint8_t exit7[] = { 0xb8, 0xe7, 0, 0, 0, 0xbf, 7, 0, 0, 0,
	    0x0f, 0x05 };
	/* write(1, NULL, 16); exit_group(result) */
	static const uint8_t efault[] = { 0xb8, 1, 0, 0, 0, 0xbf, 1, 0, 0, 0,
	    0x31, 0xf6, 0xba, 16, 0, 0, 0, 0x0f, 0x05, 0x89, 0xc7, 0xb8, 0xe7,
	    0, 0, 0, 0x0f, 0x05 };
	/* syscall 0x7fffffff; exit_group(result) */
	static const uint8_t enosys[] = { 0xb8, 0xff, 0xff, 0xff, 0x7f, 0x0f,
	    0x05, 0x89, 0xc7, 0xb8, 0xe7, 0, 0, 0, 0x0f, 0x05 };
	/* SPAWN_EXEC(path=NULL...) from a non-rootd process; exit(result) */
	static const uint8_t spawn[] = { 0xb8, 0x02, 0x00, 0x55, 0x52, 0x31,
	    0xff, 0x0f, 0x05, 0x89, 0xc7, 0xb8, 0xe7, 0, 0, 0, 0x0f, 0x05 };
	static const struct {
		const char *name;
		const uint8_t *code;
		size_t len;
		int status;
	} cases[] = {
		{ "null-deref", null_deref, sizeof(null_deref), 11 },
		{ "kernel-read", kernel_read, sizeof(kernel_read), 11 },
		{ "hlt", hlt, sizeof(hlt), 11 },
		{ "cli", cli, sizeof(cli), 11 },
		{ "ud2", ud2, sizeof(ud2), 4 },
		{ "exit7", exit7, sizeof(exit7), 7 << 8 },
		{ "efault", efault, sizeof(efault), (256 - 14) << 8 },
		{ "enosys", enosys, sizeof(enosys), (256 - 38) << 8 },
		{ "spawn-eacces", spawn, sizeof(spawn), (256 - 13) << 8 },
	};
	size_t i, before = mm_frame_free_count();
	int status, rc;
	long pid;

	for (i = 0; i < NC_ARRAY_SIZE(cases); i++) {
		pid = ps_proc_spawn_code(cases[i].code, cases[i].len,
		    cases[i].name);
		CHECK(pid > 0, "%s: spawn failed (%ld)", cases[i].name, pid);
		rc = ps_proc_wait_detached(pid, &status, 2000);
		CHECK(rc == 0, "%s: did not end (%d)", cases[i].name, rc);
		CHECK(status == cases[i].status, "%s: status 0x%x, want 0x%x",
		    cases[i].name, status, cases[i].status);
	}
	CHECK(mm_frame_free_count() + 16 >= before, "frames lost: %zu -> %zu",
	    before, mm_frame_free_count());
	return (NULL);
}

/* /dev path recognition (devfs.c): lexical normalisation, not a prefix. */
static const char *
t_dev_path(void)
{
	static const struct {
		const char *path, *want;	/* want NULL: not /dev */
	} cases[] = {
		{ "/dev/null", "null" }, { "/dev", "" }, { "/dev/", "" },
		{ "//dev//./zero", "zero" }, { "/tmp/../dev/tty", "tty" },
		{ "/dev/null/", "null/" }, { "/dev/null/x", "null/x" },
		{ "/dev/../tmp/x", NULL }, { "/device", NULL }, { "/devx/y", NULL },
		{ "dev/null", NULL }, { "/", NULL }, { "/tmp/dev/null", NULL },
		{ "/../dev/console", "console" },
	};
	char out[64];
	size_t i;
	long n;

	for (i = 0; i < NC_ARRAY_SIZE(cases); i++) {
		n = ex_dev_path(cases[i].path, strlen(cases[i].path), out,
		    sizeof(out));
		if (cases[i].want == NULL) {
			CHECK(n < 0, "%s taken as /dev/%s", cases[i].path, out);
			continue;
		}
		CHECK(n >= 0 && (size_t)n == strlen(cases[i].want) &&
		    strcmp(out, cases[i].want) == 0, "%s: got %ld '%s', want "
		    "'%s'", cases[i].path, n, n >= 0 ? out : "",
		    cases[i].want);
	}
	/* An output buffer too small is "not a /dev path", not an overflow. */
	CHECK(ex_dev_path("/dev/console", 12, out, 4) < 0,
	    "short buffer accepted");
	return (NULL);
}

/* The CSPRNG: different bytes each time, not all zero. */
static const char *
t_random(void)
{
	uint8_t a[64], b[64];
	size_t i, zeros = 0;

	io_random_bytes(a, sizeof(a));
	io_random_bytes(b, sizeof(b));
	CHECK(memcmp(a, b, sizeof(a)) != 0, "two reads returned equal bytes");
	for (i = 0; i < sizeof(a); i++)
		zeros += a[i] == 0;
	CHECK(zeros < 16, "%zu of 64 bytes are zero", zeros);
	return (NULL);
}

struct selftest {
	const char *name;
	const char *(*fn)(void);
};

static const struct selftest tests[] = {
	{ "frame.alloc-free", t_frame_alloc },
	{ "frame.contiguous", t_frame_contig },
	{ "paging.w-xor-x", t_paging_wx },
	{ "heap.small", t_heap_small },
	{ "heap.slab-reuse", t_heap_slab_reuse },
	{ "heap.large", t_heap_large },
	{ "timer.monotonic", t_timer_monotonic },
	{ "sched.fairness", t_sched_fairness },
	{ "sched.sleeper-credit", t_sched_sleeper_credit },
	{ "sched.block-wake", t_sched_block_wake },
	{ "sched.ipc-handoff", t_sched_handoff },
	{ "lock.spin", t_spinlock },
	{ "lock.wait", t_waitlock },
	{ "fault.actions", t_fault_actions },
	{ "log.ring", t_log_ring },
	{ "user.copy-efault", t_user_copy_efault },
	{ "user.address-space", t_user_space },
	{ "user.cow-fork", t_user_cow },
	{ "user.cow-oom", t_user_cow_oom },
	{ "user.seal", t_user_seal },
	{ "user.bootfs-lookup", t_bootfs_lookup },
	{ "dev.path", t_dev_path },
	{ "dev.random", t_random },
	{ "user.syscall-fuzz", t_syscall_fuzz },
	{ "user.processes", t_user_processes },
};

unsigned
ex_selftest_run(void)
{
	size_t i;

	passed = failed = 0;
	nc_info(DEBUG, "selftest: %zu cases", NC_ARRAY_SIZE(tests));
	for (i = 0; i < NC_ARRAY_SIZE(tests); i++)
		report(tests[i].name, tests[i].fn());
	nc_debugcon_printf("KTEST done passed=%u failed=%u\n", passed, failed);
	return (failed);
}
