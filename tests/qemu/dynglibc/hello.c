/*
 * hello.c -- a dynamically linked glibc program for tests/qemu/dynglibc.sh,
 * built at test time with the host gcc as a PIE: PT_INTERP
 * /lib64/ld-linux-x86-64.so.2, DT_NEEDED libc.so.6, both copied from the
 * host into the test image.  It prints one line of facts (argc, the
 * argument, AT_BASE is where glibc's dynamic loader lies, libc.so.6 came
 * from its own file at another place, AT_ENTRY is our _start, a thread
 * sees its own thread-local variable) and then: run without arguments, it
 * execs itself with the argument "image"; run so, it copies itself to
 * /tmp and execs that copy with "tmp".  So a launch, an execve and an
 * execve of a program from a memory file system (which vfsd confines to
 * the linux-runtime access profile: glibc's loader must still find
 * libc.so.6 under /lib) all go through the interpreter.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char _start[];

#define TMP_COPY	"/tmp/glibcdyn-hello"

static unsigned long at_base;
static int ld_found;
static __thread int tls_value = 1;

/* A thread changes its own copy of tls_value only. */
static void *
thread_main(void *arg)
{
	tls_value = 2;
	*(int *)arg = tls_value;
	return NULL;
}

/* Copy path to TMP_COPY (mode 0755); 0 or -1. */
static int
copy_self(const char *path)
{
	char buf[4096];
	ssize_t n;
	int in, out, r = 0;

	if ((in = open(path, O_RDONLY)) < 0)
		return -1;
	out = open(TMP_COPY, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			r = -1;
	if (n < 0 || close(out) != 0)
		r = -1;
	close(in);
	return r;
}

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
	char *image[] = { argv[0], "image", NULL };
	char *tmp[] = { TMP_COPY, "tmp", NULL };
	const char *libc = "?";
	pthread_t t;
	int seen = 0;
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
	if (pthread_create(&t, NULL, thread_main, &seen) != 0 ||
	    pthread_join(t, NULL) != 0)
		seen = -1;
	printf("GLIBCDYN %s thread tls=%d,%d\n", argc > 1 ? argv[1] : "start",
	    tls_value, seen);
	fflush(stdout);
	if (argc == 1) {
		execv(argv[0], image);
		printf("GLIBCDYN execv failed: %s\n", strerror(errno));
		return 1;
	}
	if (strcmp(argv[1], "image") == 0) {
		if (copy_self(argv[0]) != 0) {
			printf("GLIBCDYN copy to %s failed: %s\n", TMP_COPY,
			    strerror(errno));
			return 1;
		}
		execv(TMP_COPY, tmp);
		printf("GLIBCDYN execv %s failed: %s\n", TMP_COPY,
		    strerror(errno));
		return 1;
	}
	return 0;
}
