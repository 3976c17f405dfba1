/*
 * tap.h -- minimal TAP output for the services unit tests: one "ok N -" or
 * "not ok N -" line per case, plan printed at the end.
 */
#ifndef TESTS_UNIT_SERVICES_TAP_H
#define TESTS_UNIT_SERVICES_TAP_H

#include <stdio.h>

static int tap_n, tap_failed;

#define CHECK(cond, ...) do { \
	int tap_ok_ = (cond) ? 1 : 0; \
	tap_n++; \
	if (tap_ok_) \
		printf("ok %d - ", tap_n); \
	else { \
		printf("not ok %d - ", tap_n); \
		tap_failed++; \
	} \
	printf(__VA_ARGS__); \
	printf("\n"); \
	if (!tap_ok_) \
		printf("# failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
} while (0)

static int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}

#endif /* TESTS_UNIT_SERVICES_TAP_H */
