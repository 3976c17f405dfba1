/*
 * exec.c -- running parsed lists: `;`/`&&`/`||` sequencing, pipelines of
 * forked children joined by pipes, redirections, PATH lookup (then the
 * RustOS app layout /apps/<name>/<name>.elf) and exit statuses.
 *
 * A lone builtin runs in the shell itself (so `cd` and `export` last) with
 * its redirections applied to saved copies of fds 0-2, restored afterwards.
 * In a pipeline every command, builtin or not, runs in a child.  A child
 * killed by signal N gives status 128+N and a `[signal N]` line (just a
 * newline for SIGINT, whose ^C the terminal already echoed).
 *
 * With job control (sh_jobctl: an interactive shell that owns its
 * terminal) every pipeline runs in its own process group, which gets the
 * terminal while it runs, so the terminal's ^C/^\ reach the job and not
 * the shell; the shell takes the terminal back afterwards.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shell.h"

extern char **environ;

int sh_status;
int sh_exit_requested;
int sh_jobctl;

struct expanded {
	char *argv[SH_WORDS_MAX + 1];
	int argc;
	char *targets[SH_REDIRS_MAX];
};

static void
expand_cmd(const struct sh_cmd *c, struct expanded *e)
{
	int i;

	for (i = 0; i < c->nwords; i++)
		e->argv[i] = sh_expand(c->words[i]);
	e->argv[i] = NULL;
	e->argc = c->nwords;
	for (i = 0; i < c->nredirs; i++)
		e->targets[i] = c->redirs[i].target != NULL ?
		    sh_expand(c->redirs[i].target) : NULL;
}

static void
free_expanded(const struct sh_cmd *c, struct expanded *e)
{
	int i;

	for (i = 0; i < e->argc; i++)
		free(e->argv[i]);
	for (i = 0; i < c->nredirs; i++)
		free(e->targets[i]);
}

static int
move_fd(int from, int to)
{
	if (from == to)
		return (0);
	if (dup2(from, to) < 0)
		return (-1);
	close(from);
	return (0);
}

/* Applies the redirections in order; returns 0 or -1 after a message. */
static int
apply_redirs(const struct sh_cmd *c, const struct expanded *e)
{
	const struct sh_redir *r;
	int i, fd, flags, target;

	for (i = 0; i < c->nredirs; i++) {
		r = &c->redirs[i];
		switch (r->kind) {
		case REDIR_ERR_TO_OUT:
			if (dup2(1, 2) < 0)
				goto dupfail;
			continue;
		case REDIR_OUT_TO_ERR:
			if (dup2(2, 1) < 0)
				goto dupfail;
			continue;
		case REDIR_IN:
			flags = O_RDONLY;
			target = 0;
			break;
		case REDIR_OUT:
			flags = O_WRONLY | O_CREAT | O_TRUNC;
			target = 1;
			break;
		case REDIR_APPEND:
			flags = O_WRONLY | O_CREAT | O_APPEND;
			target = 1;
			break;
		case REDIR_ERR:
			flags = O_WRONLY | O_CREAT | O_TRUNC;
			target = 2;
			break;
		default:
			flags = O_WRONLY | O_CREAT | O_APPEND;
			target = 2;
			break;
		}
		fd = open(e->targets[i], flags | O_CLOEXEC, 0644);
		if (fd < 0) {
			sh_err("%s: %s", e->targets[i], strerror(errno));
			return (-1);
		}
		/* dup2 clears FD_CLOEXEC on the copy. */
		if (fd == target) {
			if (fcntl(fd, F_SETFD, 0) < 0)
				goto dupfail;
		} else if (move_fd(fd, target) < 0)
			goto dupfail;
	}
	return (0);
dupfail:
	sh_err("redirection: %s", strerror(errno));
	return (-1);
}

/*
 * execve of argv[0] looked up like execvp, then as a RustOS app.  Returns
 * only on failure, with the status the shell reports (127 not found, 126
 * not executable).
 */
static int
exec_program(char **argv)
{
	char path[4096];
	const char *dirs, *end;
	size_t dlen, nlen;
	int saw_eacces;

	if (strchr(argv[0], '/') != NULL) {
		execve(argv[0], argv, environ);
		sh_err("%s: %s", argv[0], strerror(errno));
		return (errno == ENOENT || errno == ENOTDIR ? 127 : 126);
	}
	nlen = strlen(argv[0]);
	saw_eacces = 0;
	dirs = getenv("PATH");
	while (dirs != NULL && *dirs != '\0') {
		end = strchr(dirs, ':');
		dlen = end != NULL ? (size_t)(end - dirs) : strlen(dirs);
		if (dlen == 0)
			snprintf(path, sizeof(path), "%s", argv[0]);
		else if (dlen + nlen + 2 <= sizeof(path))
			snprintf(path, sizeof(path), "%.*s/%s", (int)dlen,
			    dirs, argv[0]);
		else
			path[0] = '\0';
		if (path[0] != '\0') {
			execve(path, argv, environ);
			if (errno == EACCES)
				saw_eacces = 1;
		}
		if (end == NULL)
			break;
		dirs = end + 1;
	}
	if (nlen + 13 <= sizeof(path) / 2) {
		snprintf(path, sizeof(path), "/apps/%s/%s.elf", argv[0],
		    argv[0]);
		execve(path, argv, environ);
		if (errno == EACCES)
			saw_eacces = 1;
	}
	if (saw_eacces) {
		sh_err("%s: %s", argv[0], strerror(EACCES));
		return (126);
	}
	sh_err("%s: command not found", argv[0]);
	return (127);
}

/* Only the last command of a pipeline reports its signal. */
static int
wait_status(pid_t pid, int report)
{
	int st;

	/*
	 * With job control a job can be stopped (^Z): the shell takes the
	 * terminal back and reports it; the job stays stopped (no fg/bg).
	 */
	while (waitpid(pid, &st, sh_jobctl ? WUNTRACED : 0) < 0) {
		if (errno != EINTR)
			return (127);
	}
	if (WIFSTOPPED(st)) {
		if (report)
			dprintf(2, "\n[stopped: pid %d]\n", (int)pid);
		return (128 + WSTOPSIG(st));
	}
	if (WIFSIGNALED(st)) {
		if (report && WTERMSIG(st) == SIGINT)
			dprintf(2, "\n");
		else if (report)
			dprintf(2, "[signal %d]\n", WTERMSIG(st));
		return (128 + WTERMSIG(st));
	}
	return (WEXITSTATUS(st));
}

/* In a child: redirections, then the builtin or the program. */
static void
child_run(const struct sh_cmd *c)
{
	struct expanded e;
	sh_builtin_fn fn;

	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	signal(SIGTTIN, SIG_DFL);
	signal(SIGTTOU, SIG_DFL);
	expand_cmd(c, &e);
	if (apply_redirs(c, &e) < 0)
		_exit(1);
	if (e.argc == 0)
		_exit(0);
	if ((fn = sh_find_builtin(e.argv[0])) != NULL)
		_exit(fn(e.argc, e.argv) & 0xff);
	_exit(exec_program(e.argv));
}

/* A builtin or a redirection-only command run in the shell process. */
static int
run_in_shell(const struct sh_cmd *c, sh_builtin_fn fn)
{
	struct expanded e;
	int saved[3], i, st;

	expand_cmd(c, &e);
	for (i = 0; i < 3; i++)
		saved[i] = fcntl(i, F_DUPFD_CLOEXEC, 10);
	st = apply_redirs(c, &e) < 0 ? 1 :
	    fn != NULL ? fn(e.argc, e.argv) : 0;
	for (i = 0; i < 3; i++) {
		if (saved[i] >= 0) {
			dup2(saved[i], i);
			close(saved[i]);
		} else
			close(i);
	}
	free_expanded(c, &e);
	return (st);
}

static int
run_pipeline(const struct sh_pipeline *pl)
{
	pid_t pids[SH_CMDS_MAX], pgid;
	int i, n, in, pfd[2], st, s, last;
	sh_builtin_fn fn;
	char *name;

	if (pl->ncmds == 1) {
		const struct sh_cmd *c = &pl->cmds[0];

		if (c->nwords == 0)
			return (run_in_shell(c, NULL));
		name = sh_expand(c->words[0]);
		fn = sh_find_builtin(name);
		free(name);
		if (fn != NULL)
			return (run_in_shell(c, fn));
	}
	in = -1;
	n = 0;
	st = 0;
	pgid = 0;
	for (i = 0; i < pl->ncmds; i++) {
		pfd[0] = pfd[1] = -1;
		if (i + 1 < pl->ncmds && pipe2(pfd, O_CLOEXEC) < 0) {
			sh_err("pipe: %s", strerror(errno));
			st = 1;
			break;
		}
		pids[n] = fork();
		if (pids[n] < 0) {
			sh_err("fork: %s", strerror(errno));
			if (pfd[0] >= 0) {
				close(pfd[0]);
				close(pfd[1]);
			}
			st = 1;
			break;
		}
		if (pids[n] == 0) {
			if (sh_jobctl) {
				/* Both sides set it: whoever runs first wins. */
				setpgid(0, pgid);
				if (pgid == 0)
					tcsetpgrp(0, getpid());
			}
			if (in >= 0 && move_fd(in, 0) < 0)
				_exit(1);
			if (pfd[1] >= 0 && move_fd(pfd[1], 1) < 0)
				_exit(1);
			child_run(&pl->cmds[i]);
		}
		if (sh_jobctl) {
			if (pgid == 0) {
				pgid = pids[n];
				setpgid(pids[n], pgid);
				tcsetpgrp(0, pgid);
			} else
				setpgid(pids[n], pgid);
		}
		n++;
		if (in >= 0)
			close(in);
		if (pfd[1] >= 0)
			close(pfd[1]);
		in = pfd[0];
	}
	if (in >= 0)
		close(in);
	for (i = 0; i < n; i++) {
		last = i == pl->ncmds - 1;
		s = wait_status(pids[i], last);
		if (last)
			st = s;
	}
	if (sh_jobctl)
		tcsetpgrp(0, getpgrp());	/* the terminal is ours again */
	return (st);
}

int
sh_run_list(struct sh_list *list)
{
	enum sh_join prev;
	int i;

	prev = JOIN_END;
	for (i = 0; i < list->npipes && !sh_exit_requested; i++) {
		if ((prev == JOIN_AND && sh_status != 0) ||
		    (prev == JOIN_OR && sh_status == 0)) {
			/*
			 * Skipped; the status stays, so `a && b || c` runs c
			 * when a fails.
			 */
			prev = list->pipes[i].join;
			continue;
		}
		sh_status = run_pipeline(&list->pipes[i]);
		prev = list->pipes[i].join;
	}
	return (sh_status);
}
