/*
 * string.c -- freestanding mem and str helpers for the kernel.
 */
#include <nucleus-core/api.h>

/*
 * memset and memcpy move 8 bytes per step with rep stosq/movsq, then the
 * tail with rep stosb/movsb: the IPC path copies whole messages (a 4 KiB
 * file read crosses the kernel twice), and a byte loop cost five
 * instructions per byte, which TCG pays in full.  The direction flag is
 * clear in the kernel (the SysV ABI guarantees it at every call).
 */
void *
memset(void *d, int c, size_t n)
{
	uint64_t v = 0x0101010101010101ULL * (unsigned char)c;
	void *p = d;
	size_t q = n / 8, r = n % 8;

	__asm__ volatile("rep stosq" : "+D"(p), "+c"(q) : "a"(v) : "memory");
	__asm__ volatile("rep stosb" : "+D"(p), "+c"(r) : "a"(v) : "memory");
	return (d);
}

void *
memcpy(void *d, const void *s, size_t n)
{
	void *dp = d;
	const void *sp = s;
	size_t q = n / 8, r = n % 8;

	__asm__ volatile("rep movsq" : "+D"(dp), "+S"(sp), "+c"(q) : :
	    "memory");
	__asm__ volatile("rep movsb" : "+D"(dp), "+S"(sp), "+c"(r) : :
	    "memory");
	return (d);
}

void *
memmove(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if (dp < sp || dp >= sp + n)
		return (memcpy(d, s, n));
	while (n-- > 0)
		dp[n] = sp[n];
	return (d);
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n > 0; n--, x++, y++)
		if (*x != *y)
			return (*x - *y);
	return (0);
}

size_t
strlen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	return (n);
}

int
strcmp(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return ((unsigned char)*a - (unsigned char)*b);
}

int
strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b)
			return ((unsigned char)*a - (unsigned char)*b);
		if (*a == '\0')
			break;
	}
	return (0);
}
