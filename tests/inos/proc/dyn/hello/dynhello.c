/*
 * dynhello.c -- a dynamically linked musl program (a PIE whose PT_INTERP
 * is /lib/ld-musl-x86_64.so.1) for psuite's dyn_* cases.  It prints what
 * the dynamic loader and the kernel handed it, one fact per line, so the
 * case compares one exact text in RustOS and on the build host:
 *
 *	dynhello ARG [SO]:  argc, argv[1], $DYN_ENV; AT_BASE set and equal to
 *	the base of the libc (musl's libc.so is its own dynamic loader);
 *	AT_ENTRY is our _start; AT_PHDR/AT_PHNUM are our program headers; a
 *	thread-local variable set up by the loader; with ARG "dlopen", SO is
 *	opened with dlopen and two of its symbols are used (a function and a
 *	relocated data pointer).
 */
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

extern char _start[];
extern const ElfW(Ehdr) __ehdr_start;

static __thread int tls_seven = 7;

static int
use_library(const char *path)
{
	int (*answer)(int);
	const char *const *greeting;
	void *h;

	if ((h = dlopen(path, RTLD_NOW)) == NULL) {
		printf("dlopen failed: %s\n", dlerror());
		return 1;
	}
	answer = (int (*)(int))dlsym(h, "dyntest_answer");
	greeting = dlsym(h, "dyntest_greeting");
	if (answer == NULL || greeting == NULL) {
		printf("dlsym failed\n");
		return 1;
	}
	printf("dlopen answer=%d greeting=%s\n", answer(6), *greeting);
	return dlclose(h) == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	unsigned long base = getauxval(AT_BASE);
	unsigned long phdr = getauxval(AT_PHDR);
	const char *env = getenv("DYN_ENV");
	Dl_info di;

	printf("dynhello argc=%d arg=%s env=%s\n", argc,
	    argc > 1 ? argv[1] : "-", env != NULL ? env : "-");
	printf("at_base %s\n", base != 0 ? "set" : "zero");
	printf("libc %s\n", dladdr((void *)printf, &di) != 0 &&
	    (unsigned long)di.dli_fbase == base ? "at AT_BASE" : "elsewhere");
	printf("at_entry %s\n", getauxval(AT_ENTRY) ==
	    (unsigned long)(void *)_start ? "is _start" : "differs");
	printf("at_phdr %s\n", phdr == (unsigned long)&__ehdr_start +
	    __ehdr_start.e_phoff && getauxval(AT_PHNUM) == __ehdr_start.e_phnum ?
	    "is ours" : "differs");
	printf("tls %d\n", tls_seven);
	if (argc > 2 && strcmp(argv[1], "dlopen") == 0)
		return use_library(argv[2]);
	return 0;
}
