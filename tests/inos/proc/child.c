/*
 * child.c -- psuite-child, the helper program the process suite execs
 * (tests/inos/proc/psuite.c).  Modes (argv[1]):
 *	report [args...]  print what the new image got, one key=value per
 *	                  line: argc, argv0.., env0.., pid, ppid, fds (open
 *	                  fds 0..63), ign/hnd (signals ignored / handled),
 *	                  blocked/pending (masks, hex), nofile (RLIMIT_NOFILE
 *	                  soft limit), exe (/proc/self/exe), auxv
 *	                  (AT_UID,AT_EUID,AT_GID,AT_EGID,AT_SECURE), execfn,
 *	                  platform, hwcap ("sane": the x86_64 base bits),
 *	                  resids (getresuid/getresgid: r,e,s/r,e,s);
 *	                  then "end=1"
 *	exit N            exit with status N
 *	null              dereference NULL (must die with SIGSEGV)
 *	forkbomb          fork until fork fails (bounded by RLIMIT_NPROC,
 *	                  a count and a time limit); exit 0 when the failure
 *	                  was EAGAIN or ENOMEM and every child was reaped
 *	waiteof           read stdin until end of file, then exit 0
 *	vdso              call this image's own vDSO clock_gettime (exit 0)
 * Anything else exits 64 with a message on stderr.
 */
#define _GNU_SOURCE	/* getresuid, getresgid */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include "vdsosym.h"

#define BOMB_MAX	4096
#define BOMB_NPROC	64

static int
report(int argc, char **argv, char **envp)
{
	struct sigaction sa;
	struct rlimit rl;
	sigset_t blk, pend;
	unsigned long long bm, pm;
	int i, s;

	printf("argc=%d\n", argc - 1);
	/* argv0 of the report is the program's own argv[0]; mode excluded. */
	printf("argv0=%s\n", argv[0]);
	for (i = 2; i < argc; i++)
		printf("argv%d=%s\n", i - 1, argv[i]);
	for (i = 0; envp[i] != NULL; i++)
		printf("env%d=%s\n", i, envp[i]);
	printf("envc=%d\n", i);
	printf("pid=%d\nppid=%d\n", (int)getpid(), (int)getppid());
	{
		char exe[512];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

		exe[n > 0 ? n : 0] = '\0';
		printf("exe=%s\n", exe);
	}
	printf("auxv=%lu,%lu,%lu,%lu,%lu\n", getauxval(AT_UID),
	    getauxval(AT_EUID), getauxval(AT_GID), getauxval(AT_EGID),
	    getauxval(AT_SECURE));
	{
		/* FPU, TSC, CX8, CMOV, FXSR, SSE, SSE2: every x86_64 CPU. */
		const unsigned long want = 1ul << 0 | 1ul << 4 | 1ul << 8 |
		    1ul << 15 | 1ul << 24 | 1ul << 25 | 1ul << 26;
		const char *fn = (const char *)getauxval(AT_EXECFN);
		const char *pl = (const char *)getauxval(AT_PLATFORM);

		printf("execfn=%s\n", fn != NULL ? fn : "(none)");
		printf("platform=%s\n", pl != NULL ? pl : "(none)");
		printf("hwcap=%s\n", (getauxval(AT_HWCAP) & want) == want ?
		    "sane" : "insane");
	}
	{
		uid_t r, e, sv;
		gid_t gr, ge, gs;

		if (getresuid(&r, &e, &sv) == 0 &&
		    getresgid(&gr, &ge, &gs) == 0)
			printf("resids=%u,%u,%u/%u,%u,%u\n", (unsigned)r,
			    (unsigned)e, (unsigned)sv, (unsigned)gr,
			    (unsigned)ge, (unsigned)gs);
	}
	printf("fds=");
	for (i = 0; i < 64; i++)
		if (fcntl(i, F_GETFD) != -1)
			printf("%d,", i);
	printf("\nign=");
	for (s = 1; s < 65; s++)
		if (sigaction(s, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
			printf("%d,", s);
	printf("\nhnd=");
	for (s = 1; s < 65; s++)
		if (sigaction(s, NULL, &sa) == 0 &&
		    sa.sa_handler != SIG_IGN && sa.sa_handler != SIG_DFL)
			printf("%d,", s);
	printf("\n");
	sigprocmask(SIG_SETMASK, NULL, &blk);
	sigpending(&pend);
	bm = pm = 0;
	for (s = 1; s < 65; s++) {
		if (sigismember(&blk, s) == 1)
			bm |= 1ULL << (s - 1);
		if (sigismember(&pend, s) == 1)
			pm |= 1ULL << (s - 1);
	}
	printf("blocked=%llx\npending=%llx\n", bm, pm);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
		printf("nofile=%llu\n", (unsigned long long)rl.rlim_cur);
	printf("end=1\n");
	return (fflush(stdout) == 0 ? 0 : 1);
}

static int
forkbomb(void)
{
	struct timespec t0, now;
	struct rlimit rl = { BOMB_NPROC, BOMB_NPROC };
	int p[2], n, err, st, reaped;
	char c;
	pid_t pid;

	/* Root is exempt from RLIMIT_NPROC: become an unprivileged user. */
	if (setrlimit(RLIMIT_NPROC, &rl) == -1)
		fprintf(stderr, "forkbomb: setrlimit: %s\n", strerror(errno));
	if (getuid() == 0 && (setgid(65534) == -1 || setuid(65534) == -1)) {
		fprintf(stderr, "forkbomb: setuid: %s\n", strerror(errno));
		return (2);
	}
	if (pipe(p) == -1)
		return (3);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = 0;
	for (n = 0; n < BOMB_MAX; n++) {
		pid = fork();
		if (pid == -1) {
			err = errno;
			break;
		}
		if (pid == 0) {
			/* Live until the bomb closes (or dies): then EOF. */
			close(p[1]);
			while (read(p[0], &c, 1) == -1 && errno == EINTR)
				;
			_exit(0);
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec > 20)
			break;
	}
	close(p[1]);
	close(p[0]);
	reaped = 0;
	while ((pid = wait(&st)) > 0)
		reaped++;
	printf("forks=%d reaped=%d errno=%d\n", n, reaped, err);
	fflush(stdout);
	if (err != EAGAIN && err != ENOMEM)
		return (4);
	return (reaped == n ? 0 : 5);
}

/*
 * "stack N": touch N KiB of stack (one recursion level per KiB), then
 * exit 0; a stack smaller than that ends the helper with SIGSEGV.
 */
static int
use_stack(unsigned long kib)
{
	volatile char page[1024];

	page[0] = (char)kib;
	page[sizeof(page) - 1] = (char)kib;
	if (kib <= 1)
		return (page[0] == (char)kib ? 0 : 1);
	return (use_stack(kib - 1) + (page[sizeof(page) - 1] != (char)kib));
}

/*
 * "vdso": the image exec built has a vDSO of its own whose
 * __vdso_clock_gettime agrees with the syscall (exit 0, else 2..4).
 */
static int
vdso_mode(void)
{
	int (*cgt)(clockid_t, struct timespec *);
	struct timespec t, s;
	const char *why;

	cgt = (int (*)(clockid_t, struct timespec *))vdso_sym(
	    "__vdso_clock_gettime", "LINUX_2.6", &why);
	if (cgt == NULL) {
		fprintf(stderr, "psuite-child: vdso: %s\n", why);
		return (2);
	}
	if (cgt(CLOCK_MONOTONIC, &t) != 0 ||
	    clock_gettime(CLOCK_MONOTONIC, &s) != 0)
		return (3);
	return (s.tv_sec > t.tv_sec || (s.tv_sec == t.tv_sec &&
	    s.tv_nsec >= t.tv_nsec) ? 0 : 4);
}

int
main(int argc, char **argv, char **envp)
{
	volatile int *volatile np;
	char buf[256];

	if (argc < 2) {
		fprintf(stderr, "psuite-child: no mode\n");
		return (64);
	}
	if (strcmp(argv[1], "report") == 0)
		return (report(argc, argv, envp));
	if (strcmp(argv[1], "exit") == 0 && argc == 3)
		return (atoi(argv[2]));
	if (strcmp(argv[1], "null") == 0) {
		np = NULL;
		*np = 1;
		return (3);
	}
	if (strcmp(argv[1], "vdso") == 0)
		return (vdso_mode());
	if (strcmp(argv[1], "forkbomb") == 0)
		return (forkbomb());
	if (strcmp(argv[1], "stack") == 0 && argc == 3)
		return (use_stack(strtoul(argv[2], NULL, 10)));
	if (strcmp(argv[1], "waiteof") == 0) {
		while (read(0, buf, sizeof(buf)) > 0 || errno == EINTR)
			errno = 0;
		return (0);
	}
	fprintf(stderr, "psuite-child: unknown mode %s\n", argv[1]);
	return (64);
}
