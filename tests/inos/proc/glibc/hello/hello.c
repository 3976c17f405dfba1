/*
 * hello.c -- a static glibc hello world (built with the host gcc as a
 * static PIE, see tests/inos/proc/local.mk).  psuite's glibc_static_hello
 * runs it and expects exactly the line below on stdout, exit status 0.
 * It goes through glibc's whole static start-up: self-relocation, IRELATIVE
 * (ifunc) resolution, TLS setup on the brk heap, set_tid_address,
 * set_robust_list, rseq, prlimit64, readlink of /proc/self/exe, stdio.
 * With a program path as argv[1] it also posix_spawns "PATH exit 3"
 * (glibc: clone with CLONE_VM|CLONE_VFORK on a stack of its own) and
 * prints the child's exit status.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

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
