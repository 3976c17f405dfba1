/*
 * panic.c -- nc_panic: a panic without a trap frame (a failed invariant).
 */
#include <nucleus-core/api.h>
#include <hal/api.h>

void
nc_panic(const char *fmt, ...)
{
	char reason[200];
	va_list ap;

	va_start(ap, fmt);
	nc_vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	hal_panic_frame(NULL, "%s", reason);
}
