/*
 * log.c -- the kernel log: structured lines to COM1 (and mirrored to the
 * debug console when [logging] serial_mirror is set), kept in a ring buffer
 * of [logging] ring_buffer_bytes; raw console printing; boot trace markers.
 */
#include <nucleus-core/api.h>
#include <nucleus-core/internal.h>
#include <hal/api.h>

static char ring_storage[RUSTOS_LOG_RING_BUFFER_BYTES];
static struct nc_ring ring;
static struct nc_spinlock log_lock = NC_SPINLOCK_INIT;
static uint64_t log_seq;
static uint64_t (*clock_ns)(void);
static uint64_t (*clock_ticks)(void);
static long (*current_tid)(void);

void
nc_log_init(void)
{
	nc_ring_init(&ring, ring_storage, sizeof(ring_storage));
}

void
nc_log_set_clock(uint64_t (*ns)(void), uint64_t (*ticks)(void))
{
	clock_ns = ns;
	clock_ticks = ticks;
}

void
nc_log_set_tid(long (*tid)(void))
{
	current_tid = tid;
}

void
nc_log(int cat, int lvl, const char *file, int line, const char *fmt, ...)
{
	char msg[NC_LOG_LINE_MAX / 2];
	char buf[NC_LOG_LINE_MAX];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	nc_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	nc_spin_lock(&log_lock);
	n = nc_log_format(buf, sizeof(buf), log_seq++,
	    clock_ns != NULL ? clock_ns() / 1000 : 0,
	    clock_ticks != NULL ? clock_ticks() : 0, lvl, cat, file, line, -1,
	    current_tid != NULL ? current_tid() : -1, msg);
	nc_ring_push(&ring, buf, n);
	/* A console session owns COM1: the lines go to the debug console. */
	if (!hal_serial_logs_quiet)
		hal_serial_write(buf, n);
	if (RUSTOS_LOG_SERIAL_MIRROR || hal_serial_logs_quiet)
		hal_debugcon_line(buf, n);
	nc_spin_unlock(&log_lock);
}

size_t
nc_log_snapshot(char *buf, size_t cap)
{
	size_t n;

	nc_spin_lock(&log_lock);
	n = nc_ring_snapshot(&ring, buf, cap);
	nc_spin_unlock(&log_lock);
	return (n);
}

uint64_t
nc_log_dropped_lines(void)
{
	return (ring.dropped);
}

void
nc_kprintf(const char *fmt, ...)
{
	char buf[NC_LOG_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = nc_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	hal_serial_write(buf, (size_t)n);
	hal_debugcon_write(buf, (size_t)n);
}

void
nc_debugcon_printf(const char *fmt, ...)
{
	char buf[NC_LOG_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = nc_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	hal_debugcon_write(buf, (size_t)n);
}

void
nc_boot_trace_init(void)
{
	hal_serial_init();
	nc_log_init();
	nc_boot_stage("entry");
}

void
nc_boot_stage(const char *name)
{
	if (!RUSTOS_LOG_BOOT_TRACE_ENABLED)
		return;
	nc_debugcon_printf("boot: stage=%s ok\n", name);
	nc_info(BOOT, "boot stage %s done", name);
}
