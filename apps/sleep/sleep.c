/*
 * sleep.c -- `sleep SECONDS[.FRACTION]`: wait that long, exit 0 (usage
 * errors exit 2).  A small program of the console session (the shell runs
 * it as a job; ^C ends it).  Uses clock_nanosleep on CLOCK_MONOTONIC,
 * which a signal interrupts; the remainder is slept after a handled one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int
main(int argc, char **argv)
{
	struct timespec ts, rem;
	char *end;
	double secs;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: sleep SECONDS\n");
		return (2);
	}
	errno = 0;
	secs = strtod(argv[1], &end);
	if (errno != 0 || end == argv[1] || *end != '\0' || secs < 0 ||
	    secs > 86400.0 * 365) {
		fprintf(stderr, "sleep: invalid time interval '%s'\n", argv[1]);
		return (2);
	}
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	while ((r = clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &rem)) == EINTR)
		ts = rem;
	return (r == 0 ? 0 : 1);
}
