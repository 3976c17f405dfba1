/*
 * hello.c -- a static glibc hello world (built with the host gcc as a
 * static PIE, see tests/inos/proc/local.mk).  psuite's glibc_static_hello
 * runs it and expects exactly the line below on stdout, exit status 0.
 * It goes through glibc's whole static start-up: self-relocation, IRELATIVE
 * (ifunc) resolution, TLS setup on the brk heap, set_tid_address,
 * set_robust_list, rseq, prlimit64, readlink of /proc/self/exe, stdio.
 * With a program path as argv[1] it also posix_spawns "PATH exit 3"
 * (glibc: clone with CLONE_VM|CLONE_VFORK on a stack of its own) and
 * prints the child's exit status.  With "time" it checks glibc's
 * gettimeofday, time and clock_gettime against each other, then that
 * glibc calls the vDSO for gettimeofday and time: in a child that unmapped
 * the vDSO (AT_SYSINFO_EHDR, its PT_LOAD) each call dies of SIGSEGV.  It
 * prints "glibc time ok, vdso used".
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <elf.h>
#include <signal.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * In a child: unmap the vDSO, then call gettimeofday (which 0) or time
 * (which 1).  True when the child died of SIGSEGV, i.e. glibc jumped into
 * the vDSO.
 */
static int
vdso_used(int which)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)getauxval(AT_SYSINFO_EHDR);
	const Elf64_Phdr *ph;
	size_t len = 0, i;
	struct timeval tv;
	pid_t pid;
	int st;

	if (eh == NULL)
		return (0);
	ph = (const Elf64_Phdr *)((const char *)eh + eh->e_phoff);
	for (i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD)
			len = (ph[i].p_vaddr + ph[i].p_memsz + 4095) & ~4095UL;
	if (len == 0)
		return (0);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		if (munmap((void *)eh, len) != 0)
			_exit(2);
		if (which == 0)
			(void)gettimeofday(&tv, NULL);
		else
			(void)time(NULL);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return (0);
	return (WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
}

/* glibc's time calls agree within 50 ms (correctness, not speed). */
static int
time_mode(void)
{
	struct timespec ts;
	struct timeval tv;
	long long a, b;
	time_t t;

	if (gettimeofday(&tv, NULL) != 0) {
		printf("gettimeofday failed\n");
		return (1);
	}
	t = time(NULL);
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || t == (time_t)-1) {
		printf("clock_gettime or time failed\n");
		return (1);
	}
	a = (long long)tv.tv_sec * 1000000 + tv.tv_usec;
	b = (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	if (b - a < -50000 || b - a > 50000 || t > ts.tv_sec ||
	    ts.tv_sec - t > 1) {
		printf("glibc time disagrees: tv %lld us, ts %lld us, t %lld\n",
		    a, b, (long long)t);
		return (1);
	}
	if (!vdso_used(0) || !vdso_used(1)) {
		printf("glibc time ok, vdso not used (gettimeofday %d "
		    "time %d)\n", vdso_used(0), vdso_used(1));
		return (1);
	}
	printf("glibc time ok, vdso used\n");
	return (0);
}

int
main(int argc, char **argv)
{
	char *p;

	if (argc == 2 && strcmp(argv[1], "time") == 0)
		return (time_mode());
	/* malloc and a string function that glibc picks by ifunc. */
	p = malloc(64);
	if (p == NULL)
		return (2);
	strcpy(p, "hello from static glibc");
	printf("%s argc=%d\n", p, argc);
	free(p);
	if (argc > 1 && argv[1][0] == '/') {
		char *av[] = { argv[1], "exit", "3", NULL };
		char *ev[] = { NULL };
		pid_t pid;
		int st, e;

		fflush(stdout);
		e = posix_spawn(&pid, argv[1], NULL, NULL, av, ev);
		if (e != 0 || waitpid(pid, &st, 0) != pid) {
			printf("posix_spawn failed: %s\n", strerror(e));
			return (1);
		}
		printf("spawned child exit %d\n", WIFEXITED(st) ?
		    WEXITSTATUS(st) : -1);
	}
	return (0);
}
