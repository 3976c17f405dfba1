/*
 * hello.c -- a static glibc hello world (built with the host gcc as a
 * static PIE, see tests/inos/proc/local.mk).  psuite's glibc_static_hello
 * runs it and expects exactly the line below on stdout, exit status 0.
 * It goes through glibc's whole static start-up: self-relocation, IRELATIVE
 * (ifunc) resolution, TLS setup on the brk heap, set_tid_address,
 * set_robust_list, rseq, prlimit64, readlink of /proc/self/exe, stdio.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char **argv)
{
	char *p;

	/* malloc and a string function that glibc picks by ifunc. */
	p = malloc(64);
	if (p == NULL)
		return (2);
	strcpy(p, "hello from static glibc");
	printf("%s argc=%d\n", p, argc);
	free(p);
	return (0);
}
