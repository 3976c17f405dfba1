/*
 * vdso.c -- the user-mode side of the vDSO: clock_gettime, gettimeofday,
 * time, getcpu and clock_getres answered from the vvar page without
 * entering the kernel.  Built position-independent into vdso.so (see
 * vdso.lds and kernel/local.mk) and linked into nucleus.elf as bytes;
 * the kernel maps it read+exec into every Linux process with the vvar
 * page right below it and passes its address as AT_SYSINFO_EHDR.
 *
 * The code has no relocations and no data of its own: the vvar page is
 * reached PC-relative through the hidden symbol vvar_page that vdso.lds
 * puts one page below the image.  Clocks the vvar does not describe, and
 * every call while VVAR_TSC_OK is clear, go to the real syscall, so the
 * result is always what the kernel would have said.
 */
#include <stdint.h>
#include "vvar.h"

#define SYS_gettimeofday	96
#define SYS_time		201
#define SYS_clock_gettime	228
#define SYS_clock_getres	229
#define SYS_getcpu		309

#define CLOCK_REALTIME		0
#define CLOCK_MONOTONIC		1
#define CLOCK_MONOTONIC_RAW	4
#define CLOCK_REALTIME_COARSE	5
#define CLOCK_MONOTONIC_COARSE	6
#define CLOCK_BOOTTIME		7

#define NSEC_PER_SEC		1000000000ULL
#define EFAULT			14

struct vts {
	int64_t tv_sec;
	int64_t tv_nsec;
};

struct vtv {
	int64_t tv_sec;
	int64_t tv_usec;
};

struct vtz {
	int tz_minuteswest;
	int tz_dsttime;
};

extern const struct vdso_vvar vvar_page __attribute__((visibility("hidden")));

static long
sys2(long nr, long a, long b)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(nr), "D"(a), "S"(b)
	    : "rcx", "r11", "memory");
	return (r);
}

static long
sys3(long nr, long a, long b, long c)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(nr), "D"(a), "S"(b),
	    "d"(c) : "rcx", "r11", "memory");
	return (r);
}

static inline uint64_t
rdtsc(void)
{
	uint32_t lo, hi;

	/* Not reordered before the seq load: lfence orders rdtsc. */
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (((uint64_t)hi << 32) | lo);
}

/*
 * ns since boot now, plus real_offset_ns when realtime; false when the
 * vvar has no usable time base (the caller takes the syscall).
 */
static int
read_ns(int realtime, uint64_t *out)
{
	const struct vdso_vvar *v = &vvar_page;
	uint32_t s;
	uint64_t ns, t, base, mult, mono;
	int64_t off;

	do {
		while ((s = v->seq) & 1)
			__asm__ volatile("pause");
		__asm__ volatile("" ::: "memory");
		if (v->version != VVAR_VERSION || !(v->flags & VVAR_TSC_OK))
			return (0);
		base = v->tsc_base;
		mult = v->tsc_mult;
		mono = v->mono_base_ns;
		off = v->real_offset_ns;
		t = rdtsc();
		__asm__ volatile("" ::: "memory");
	} while (v->seq != s);
	/* The kernel's own formula (hal_clock_ns): same TSC, same value. */
	ns = mono + (uint64_t)(((unsigned __int128)(t - base) * mult) >> 32);
	if (realtime)
		ns += (uint64_t)off;
	*out = ns;
	return (1);
}

static int
clock_kind(long clk)
{
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		return (1);
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		return (0);
	default:
		return (-1);
	}
}

long
__vdso_clock_gettime(long clk, struct vts *ts)
{
	int kind = clock_kind(clk);
	uint64_t ns;

	if (kind < 0 || !read_ns(kind, &ns))
		return (sys2(SYS_clock_gettime, clk, (long)ts));
	ts->tv_sec = (int64_t)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (int64_t)(ns % NSEC_PER_SEC);
	return (0);
}

long
__vdso_gettimeofday(struct vtv *tv, struct vtz *tz)
{
	uint64_t ns;

	if (!read_ns(1, &ns))
		return (sys2(SYS_gettimeofday, (long)tv, (long)tz));
	if (tv != 0) {
		tv->tv_sec = (int64_t)(ns / NSEC_PER_SEC);
		tv->tv_usec = (int64_t)(ns % NSEC_PER_SEC / 1000);
	}
	if (tz != 0) {
		tz->tz_minuteswest = 0;
		tz->tz_dsttime = 0;
	}
	return (0);
}

long
__vdso_time(int64_t *t)
{
	uint64_t ns;
	int64_t s;

	if (!read_ns(1, &ns))
		return (sys2(SYS_time, (long)t, 0));
	s = (int64_t)(ns / NSEC_PER_SEC);
	if (t != 0)
		*t = s;
	return (s);
}

long
__vdso_getcpu(unsigned *cpu, unsigned *node, void *cache)
{
	const struct vdso_vvar *v = &vvar_page;

	if (v->version != VVAR_VERSION)
		return (sys3(SYS_getcpu, (long)cpu, (long)node, (long)cache));
	if (cpu != 0)
		*cpu = v->cpu;
	if (node != 0)
		*node = 0;
	return (0);
}

long
__vdso_clock_getres(long clk, struct vts *res)
{
	const struct vdso_vvar *v = &vvar_page;

	if (clock_kind(clk) < 0 || v->version != VVAR_VERSION ||
	    !(v->flags & VVAR_TSC_OK))
		return (sys2(SYS_clock_getres, clk, (long)res));
	/* The TSC clocks resolve to the nanosecond. */
	if (res != 0) {
		res->tv_sec = 0;
		res->tv_nsec = 1;
	}
	return (0);
}

/* The unprefixed names Linux's vDSO exports too (weak aliases). */
long clock_gettime(long, struct vts *)
    __attribute__((weak, alias("__vdso_clock_gettime")));
long gettimeofday(struct vtv *, struct vtz *)
    __attribute__((weak, alias("__vdso_gettimeofday")));
long time(int64_t *) __attribute__((weak, alias("__vdso_time")));
long getcpu(unsigned *, unsigned *, void *)
    __attribute__((weak, alias("__vdso_getcpu")));
long clock_getres(long, struct vts *)
    __attribute__((weak, alias("__vdso_clock_getres")));
