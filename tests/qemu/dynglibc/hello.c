/*
 * hello.c -- a dynamically linked glibc program for tests/qemu/dynglibc.sh,
 * built at test time with the host gcc as a PIE: PT_INTERP
 * /lib64/ld-linux-x86-64.so.2, DT_NEEDED libc.so.6, both copied from the
 * host into the test image.  It prints one line of facts (argc, the
 * argument, AT_BASE is where glibc's dynamic loader lies, libc.so.6 came
 * from its own file at another place, AT_ENTRY is our _start) and, run
 * without arguments, execs itself with the argument "again", so both a
 * launch and an execve go through the interpreter.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char _start[];

static unsigned long at_base;
static int ld_found;

static int
find_ld(struct dl_phdr_info *info, size_t size, void *arg)
{
	if (info->dlpi_addr == at_base && info->dlpi_name != NULL &&
	    strstr(info->dlpi_name, "ld-linux-x86-64.so.2") != NULL)
		ld_found = 1;
	return 0;
}

int
main(int argc, char **argv)
{
	char *again[] = { argv[0], "again", NULL };
	const char *libc = "?";
	Dl_info di;

	at_base = getauxval(AT_BASE);
	dl_iterate_phdr(find_ld, NULL);
	if (dladdr((void *)printf, &di) != 0 && di.dli_fname != NULL &&
	    (unsigned long)di.dli_fbase != at_base)
		libc = strrchr(di.dli_fname, '/') != NULL ?
		    strrchr(di.dli_fname, '/') + 1 : di.dli_fname;
	printf("GLIBCDYN %s argc=%d ld.so=%s libc=%s entry=%s\n",
	    argc > 1 ? argv[1] : "start", argc,
	    ld_found ? "at AT_BASE" : "missing", libc,
	    getauxval(AT_ENTRY) == (unsigned long)(void *)_start ?
	    "_start" : "other");
	fflush(stdout);
	if (argc == 1) {
		execv(argv[0], again);
		printf("GLIBCDYN execv failed: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
