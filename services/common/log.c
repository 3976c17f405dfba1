/*
 * log.c -- the services' logging client and marker output: lines in the
 * kernel's structured format (spec/observability-and-faults.md), cat=service,
 * written to the debug console with SYS_RUSTOS_DEBUG_PRINT.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#include <rustos/syscalls.h>

#include "svc.h"

static uint64_t log_seq;

size_t
svc_log_format(char *buf, size_t cap, uint64_t seq, uint64_t ts_us,
    const char *lvl, const char *file, int line, long pid, long tid,
    const char *msg)
{
	const char *base;
	size_t n, i;
	int r;

	if (cap < 8)
		return 0;
	base = strrchr(file, '/');
	base = base != NULL ? base + 1 : file;
	r = snprintf(buf, cap, "seq=%llu ts_us=%llu tick=0 lvl=%s cat=service "
	    "mod=%s line=%d pid=%ld tid=%ld msg=\"", (unsigned long long)seq,
	    (unsigned long long)ts_us, lvl, base, line, pid, tid);
	if (r < 0)
		return 0;
	/* Keep room for an escaped byte, the closing quote, "\n" and NUL. */
	n = (size_t)r < cap - 4 ? (size_t)r : cap - 4;
	/* Quotes, backslashes and control bytes would break the line format. */
	for (i = 0; msg[i] != '\0' && n + 4 < cap; i++) {
		unsigned char c = (unsigned char)msg[i];

		if (c == '"' || c == '\\') {
			buf[n++] = '\\';
			buf[n++] = (char)c;
		} else if (c < 0x20 || c == 0x7f)
			buf[n++] = '?';
		else
			buf[n++] = (char)c;
	}
	buf[n++] = '"';
	buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}

void
svc_log_at(const char *lvl, const char *file, int line, const char *fmt, ...)
{
	char msg[512], out[768];
	struct timespec ts;
	uint64_t us = 0;
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (clock_gettime(CLOCK_MONOTONIC, &ts) == 0)
		us = (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
	n = svc_log_format(out, sizeof(out), ++log_seq, us, lvl, file, line,
	    (long)getpid(), syscall(SYS_gettid), msg);
	rustos_sys_debug_print(out, n);
}

void
svc_marker(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	rustos_sys_debug_print(buf, (uint64_t)n);
}
