/*
 * schedspin.c -- CPU-bound scheduler probe (test profile).  initd starts
 * two copies whose manifests give weight_micros 100 and 300; each spins
 * over the same 3-second window of CLOCK_MONOTONIC (starting at the next
 * whole second) and prints "SCHEDSPIN label=L window=S iters=N".  The
 * ratio of the two counts measures the CPU shares (tests/qemu/abitest.sh
 * expects about 1:3); nothing here asserts a speed.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rustos/ipc.h>

#define WINDOW_S	3

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int
main(int argc, char **argv)
{
	const char *label = argc > 1 ? argv[1] : "?";
	volatile uint64_t sink = 0;
	uint64_t start, end, t, iters = 0;
	char line[128];
	unsigned i;

	if (strlen(label) > 16)
		label = "?";
	/* Both copies start within milliseconds: align on the next second. */
	start = (now_ns() / 1000000000ull + 1) * 1000000000ull;
	end = start + WINDOW_S * 1000000000ull;
	while ((t = now_ns()) < start)
		for (i = 0; i < 1024; i++)
			sink += i;
	while (t < end) {
		for (i = 0; i < 4096; i++)
			sink += i;
		iters++;
		t = now_ns();
	}
	snprintf(line, sizeof(line), "SCHEDSPIN label=%s window=%llu iters=%llu\n",
	    label, (unsigned long long)(start / 1000000000ull),
	    (unsigned long long)iters);
	rustos_debug_puts(line);
	return 0;
}
