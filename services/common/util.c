/*
 * util.c -- small helpers several musl services share (initd, runtimed):
 * a millisecond sleep and reading a whole registry file into memory.
 * Not for rootd, which runs without libc.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "svc.h"

void
svc_sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * The first max bytes of path, NUL-terminated, in a buffer the caller
 * frees; *len = the bytes read.  NULL (and a log line naming the file)
 * when it cannot be opened or memory is short.
 */
char *
svc_read_file(const char *path, size_t max, size_t *len)
{
	FILE *f;
	char *buf;
	size_t n;

	f = fopen(path, "r");
	if (f == NULL) {
		svc_log(SVC_LOG_WARN, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(max + 1);
	if (buf == NULL) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, max, f);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}
