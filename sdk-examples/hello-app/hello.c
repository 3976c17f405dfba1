/*
 * hello.c -- the smallest RustOS app package of the SDK: prints a greeting
 * on stdout and on the kernel debug console (SYS_RUSTOS_DEBUG_PRINT through
 * librustos-user-abi).  On a plain Linux host the private syscall answers
 * -ENOSYS, which the program reports instead of failing.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rustos/ipc.h>
#include <rustos/syscall_numbers.h>

int
main(int argc, char **argv)
{
	const char *who = argc > 1 ? argv[1] : "world";
	char line[128];
	long r;

	snprintf(line, sizeof(line), "hello-app: hello, %s\n", who);
	fputs(line, stdout);
	r = rustos_debug_puts(line);
	if (r == -ENOSYS)
		printf("hello-app: not running on RustOS (SYS_RUSTOS_DEBUG_PRINT 0x%x: %s)\n",
		    SYS_RUSTOS_DEBUG_PRINT, strerror(ENOSYS));
	else if (r < 0)
		printf("hello-app: debug console: %s\n", strerror((int)-r));
	return 0;
}
