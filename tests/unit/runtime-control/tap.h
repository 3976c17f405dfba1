/*
 * tap.h -- minimal TAP output for the runtime-control tests: one line per
 * case, plan printed last.
 */
#ifndef RC_TEST_TAP_H
#define RC_TEST_TAP_H

#include <stdio.h>

static int tap_n, tap_bad;

static void
tap_ok(int cond, const char *name)
{
	tap_n++;
	if (!cond)
		tap_bad++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_n, name);
	fflush(stdout);
}

static int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_bad != 0;
}

#endif /* RC_TEST_TAP_H */
