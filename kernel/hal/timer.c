/*
 * timer.c -- time keeping.  The PIT (channel 2, gated by port 0x61, no IRQ)
 * is the reference: it calibrates the TSC, which gives the monotonic clock
 * in ns, and the LAPIC timer, which then runs periodic at the requested
 * rate and drives the scheduler tick.
 */
#include <hal/api.h>
#include <hal/internal.h>
#include <nucleus-core/api.h>

#define PIT_HZ		1193182
#define LAPIC_LVT_TIMER	0x320
#define LAPIC_TIMER_ICR	0x380
#define LAPIC_TIMER_CCR	0x390
#define LAPIC_TIMER_DCR	0x3e0
#define CALIBRATE_MS	10

static uint64_t tsc_base;
static uint64_t tsc_mult;		/* ns = (tsc delta * mult) >> 32 */
static uint64_t tsc_hz;
static volatile uint64_t ticks;
static void (*tick_fn)(void);

void
hal_pit_wait_start(unsigned ms)
{
	uint32_t count = (uint32_t)((uint64_t)PIT_HZ * ms / 1000);
	uint8_t v;

	/* Gate low, speaker off, then channel 2 mode 0 (terminal count). */
	v = hal_inb(0x61);
	hal_outb(0x61, (v & ~0x03) & 0xfd);
	hal_outb(0x43, 0xb0);
	hal_outb(0x42, count & 0xff);
	hal_outb(0x42, (count >> 8) & 0xff);
	v = hal_inb(0x61);
	hal_outb(0x61, (v & ~0x02) | 0x01);	/* gate high: start counting */
}

bool
hal_pit_wait_done(void)
{
	return ((hal_inb(0x61) & 0x20) != 0);
}

static bool
pit_wait(void)
{
	uint64_t spins = 0;

	while (!hal_pit_wait_done())
		if (++spins > 500000000ULL)
			return (false);
	return (true);
}

uint64_t
hal_clock_ns(void)
{
	uint64_t d;

	if (tsc_mult == 0)
		return (0);
	d = hal_rdtsc() - tsc_base;
	return ((uint64_t)(((unsigned __int128)d * tsc_mult) >> 32));
}

/*
 * The base of hal_clock_ns for the vDSO's vvar page: ns = (tsc - *base) *
 * *mult >> 32.  False before calibration.
 */
bool
hal_clock_base(uint64_t *base, uint64_t *mult, uint64_t *hz)
{
	*base = tsc_base;
	*mult = tsc_mult;
	*hz = tsc_hz;
	return (tsc_mult != 0);
}

uint64_t
hal_ticks(void)
{
	return (ticks);
}

void
hal_delay_us(uint64_t us)
{
	uint64_t end;

	if (tsc_mult == 0) {
		/* Before calibration: PIT-timed chunks (at most 50 ms each). */
		while (us > 0) {
			unsigned ms = us >= 50000 ? 50 : (unsigned)(us + 999) /
			    1000;

			hal_pit_wait_start(ms);
			if (!pit_wait())
				return;
			us = us >= (uint64_t)ms * 1000 ? us - ms * 1000 : 0;
		}
		return;
	}
	end = hal_clock_ns() + us * 1000;

	while (hal_clock_ns() < end)
		hal_pause();
}

static void
timer_irq(struct hal_trap_frame *tf)
{
	ticks++;
	hal_lapic_eoi();
	if (tick_fn != NULL)
		tick_fn();
}

int
hal_timer_init(unsigned hz, void (*tick)(void))
{
	uint64_t t0, t1, lapic_count;
	uint32_t ccr;

	if (hal_lapic_regs == NULL || hz == 0 || hz > 10000)
		return (-NC_EINVAL);

	/* Calibrate the TSC and the LAPIC timer in one PIT interval. */
	hal_lapic_reg_write(LAPIC_TIMER_DCR, 0x3);	/* divide by 16 */
	hal_lapic_reg_write(LAPIC_LVT_TIMER, 1 << 16);	/* masked, one-shot */
	hal_pit_wait_start(CALIBRATE_MS);
	hal_lapic_reg_write(LAPIC_TIMER_ICR, 0xffffffff);
	t0 = hal_rdtsc();
	if (!pit_wait()) {
		nc_error(BOOT, "timer: the PIT never reached terminal count");
		return (-NC_EIO);
	}
	t1 = hal_rdtsc();
	ccr = hal_lapic_reg_read(LAPIC_TIMER_CCR);
	hal_lapic_reg_write(LAPIC_TIMER_ICR, 0);
	lapic_count = 0xffffffffULL - ccr;
	tsc_hz = (t1 - t0) * (1000 / CALIBRATE_MS);
	if (tsc_hz < 1000000 || lapic_count < 100) {
		nc_error(BOOT, "timer: calibration failed (tsc %lu Hz, lapic "
		    "%lu counts per %u ms)", tsc_hz, lapic_count, CALIBRATE_MS);
		return (-NC_EIO);
	}
	tsc_mult = (1000000000ULL << 32) / tsc_hz;
	tsc_base = t0;

	tick_fn = tick;
	hal_irq_register(HAL_VEC_TIMER, timer_irq);
	hal_lapic_reg_write(LAPIC_TIMER_DCR, 0x3);
	hal_lapic_reg_write(LAPIC_LVT_TIMER, (1 << 17) | HAL_VEC_TIMER);
	hal_lapic_reg_write(LAPIC_TIMER_ICR,
	    (uint32_t)(lapic_count * (1000 / CALIBRATE_MS) / hz));
	nc_info(BOOT, "timer: tsc %lu kHz, lapic %lu counts/s (div 16), tick "
	    "%u Hz", tsc_hz / 1000, lapic_count * (1000 / CALIBRATE_MS), hz);
	return (0);
}
