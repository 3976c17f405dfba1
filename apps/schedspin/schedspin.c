/*
 * schedspin.c -- CPU-bound scheduler probe (test profile).  initd starts
 * two copies whose manifests give weight_micros 100 and 300; each spins
 * over the same 3-second window of CLOCK_MONOTONIC and prints
 * "SCHEDSPIN label=L window=S iters=N".  The window is agreed through
 * /tmp: the first copy creates /tmp/schedspin.start (O_EXCL), waits until
 * the other copy has created /tmp/schedspin.join, and only then writes a
 * start one whole second ahead, which the other reads; so however late a
 * loaded host spawns the second copy, both spin over the same window.  The
 * ratio of the two counts measures the CPU shares (tests/qemu/abitest.sh
 * expects about 1:3); nothing here asserts a speed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rustos/ipc.h>

#define WINDOW_S	3

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#define START_FILE	"/tmp/schedspin.start"
#define JOIN_FILE	"/tmp/schedspin.join"
#define WAIT_TRIES	3000	/* x 10 ms: how long one copy waits for the other */

/*
 * The window start both copies use, in whole seconds of CLOCK_MONOTONIC.
 * Without a writable /tmp, or when the other copy never shows up, a copy
 * falls back to the next whole second (and abitest.sh then reports the
 * missing or different window).
 */
static uint64_t
agreed_start(void)
{
	struct timespec nap = { 0, 10000000 };
	char buf[32];
	uint64_t start;
	ssize_t n;
	int fd, tries;

	fd = open(START_FILE, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd >= 0) {
		/* First: wait (sleeping, so the other copy runs) for it. */
		for (tries = 0; tries < WAIT_TRIES; tries++) {
			if (access(JOIN_FILE, F_OK) == 0)
				break;
			nanosleep(&nap, NULL);
		}
		start = now_ns() / 1000000000ull + 1;
		n = snprintf(buf, sizeof(buf), "%llu\n",
		    (unsigned long long)start);
		if (write(fd, buf, (size_t)n) != n)
			start = now_ns() / 1000000000ull + 1;
		close(fd);
		return (start);
	}
	if (errno != EEXIST)
		return (now_ns() / 1000000000ull + 1);
	/* Second: announce ourselves, then read the start once written. */
	fd = open(JOIN_FILE, O_WRONLY | O_CREAT, 0644);
	if (fd >= 0)
		close(fd);
	for (tries = 0; tries < WAIT_TRIES + 200; tries++) {
		fd = open(START_FILE, O_RDONLY);
		if (fd >= 0) {
			n = read(fd, buf, sizeof(buf) - 1);
			close(fd);
			if (n > 0 && buf[n - 1] == '\n') {
				buf[n] = '\0';
				return (strtoull(buf, NULL, 10));
			}
		}
		nanosleep(&nap, NULL);
	}
	return (now_ns() / 1000000000ull + 1);
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
	start = agreed_start() * 1000000000ull;
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
