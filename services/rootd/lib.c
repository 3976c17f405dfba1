/*
 * lib.c -- rootd's freestanding helpers.  memcpy/memset/memmove/memcmp are
 * provided because gcc emits calls to them for struct copies and large
 * zero-initialisations even with -ffreestanding.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "services/rootd/rootd.h"

void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *
memcpy(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	while (n-- > 0)
		*dp++ = *sp++;
	return d;
}

void *
memmove(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if (dp < sp || dp >= sp + n)
		return memcpy(d, s, n);
	while (n-- > 0)
		dp[n] = sp[n];
	return d;
}

void *
memset(void *d, int c, size_t n)
{
	unsigned char *dp = d;

	while (n-- > 0)
		*dp++ = (unsigned char)c;
	return d;
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	size_t i;

	for (i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

int
rootd_memcmp(const void *a, const void *b, size_t n)
{
	return memcmp(a, b, n);
}

void *
rootd_memset(void *d, int c, size_t n)
{
	return memset(d, c, n);
}

size_t
rootd_strlen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	return n;
}

size_t
rootd_append(char *buf, size_t cap, size_t n, const char *s)
{
	while (*s != '\0' && n + 1 < cap)
		buf[n++] = *s++;
	if (n < cap)
		buf[n] = '\0';
	return n;
}

size_t
rootd_fmt_long(char *buf, size_t cap, long v)
{
	char tmp[24];
	unsigned long u;
	size_t n = 0, i = 0;

	if (cap == 0)
		return 0;
	u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
	do {
		tmp[i++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0 && i < sizeof(tmp));
	if (v < 0 && n + 1 < cap)
		buf[n++] = '-';
	while (i > 0 && n + 1 < cap)
		buf[n++] = tmp[--i];
	buf[n] = '\0';
	return n;
}

long
rootd_build_spawn(struct rustos_loader_spawn_request *r, const char *path,
    int crash)
{
	static const char flag[] = "--test-crash";
	size_t len = rootd_strlen(path);

	if (len == 0 || len >= LOADER_EXEC_PATH_MAX || len + 1 > LOADER_ARGV_BYTES)
		return -ENAMETOOLONG;
	memset(r, 0, sizeof(*r));
	r->version = LOADER_IPC_ABI_VERSION;
	r->op = LOADER_IPC_OP_SPAWN;
	/* Only core services are restarted through loaderd. */
	r->flags = LOADER_SPAWN_FLAG_SERVICE;
	r->weight_micros = 0;
	r->exec_path_len = (uint32_t)len;
	memcpy(r->exec_path, path, len);
	memcpy(r->argv, path, len + 1);
	r->argv_len = (uint32_t)(len + 1);
	r->argc = 1;
	if (crash) {
		memcpy(r->argv + len + 1, flag, sizeof(flag));
		r->argv_len += sizeof(flag);
		r->argc = 2;
	}
	r->envp_len = 0;
	r->envc = 0;
	return 0;
}
