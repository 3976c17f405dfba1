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
 * Every pipeline of forked children is a job (jobs.c).  With job control
 * (sh_jobctl: an interactive shell that owns its terminal) every pipeline
 * runs in its own process group, which gets the terminal while it runs in
 * the foreground, so the terminal's ^C/^\/^Z reach the job and not the
 * shell; the shell takes the terminal back afterwards.  A pipeline ended
 * by `&` is not waited for; an and-or list ended by `&` runs in a forked
 * copy of the shell.
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
unsigned long sh_line_no;
int sh_jobctl;
int sh_interactive;
pid_t sh_last_bg;

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

/*
 * A child's dispositions: the defaults, except that without job control a
 * background job ignores the terminal's ^C and ^\ (POSIX).
 */
static void
child_signals(int bg_nojc)
{
	signal(SIGINT, bg_nojc ? SIG_IGN : SIG_DFL);
	signal(SIGQUIT, bg_nojc ? SIG_IGN : SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	signal(SIGTTIN, SIG_DFL);
	signal(SIGTTOU, SIG_DFL);
}

/* In a child: redirections, then the builtin or the program. */
static void
child_run(const struct sh_cmd *c, int bg_nojc)
{
	struct expanded e;
	sh_builtin_fn fn;

	child_signals(bg_nojc);
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

/*
 * Runs one pipeline as a job: in the foreground (waited for, given the
 * terminal) or, with bg, in the background.  A lone builtin in the
 * foreground runs in the shell itself.
 */
static int
run_pipeline(const struct sh_pipeline *pl, int bg)
{
	struct sh_job *job;
	pid_t pid, pgid;
	int i, in, pfd[2], st, devnull;
	sh_builtin_fn fn;
	char *name;

	if (pl->ncmds == 1 && !bg) {
		const struct sh_cmd *c = &pl->cmds[0];

		if (c->nwords == 0)
			return (run_in_shell(c, NULL));
		name = sh_expand(c->words[0]);
		fn = sh_find_builtin(name);
		free(name);
		if (fn != NULL)
			return (run_in_shell(c, fn));
	}
	if ((job = sh_job_new(pl->text, bg)) == NULL) {
		sh_err("too many jobs");
		return (1);
	}
	in = -1;
	st = 0;
	pgid = 0;
	for (i = 0; i < pl->ncmds; i++) {
		pfd[0] = pfd[1] = -1;
		if (i + 1 < pl->ncmds && pipe2(pfd, O_CLOEXEC) < 0) {
			sh_err("pipe: %s", strerror(errno));
			st = 1;
			break;
		}
		pid = fork();
		if (pid < 0) {
			sh_err("fork: %s", strerror(errno));
			if (pfd[0] >= 0) {
				close(pfd[0]);
				close(pfd[1]);
			}
			st = 1;
			break;
		}
		if (pid == 0) {
			if (sh_jobctl) {
				/* Both sides set it: whoever runs first wins. */
				setpgid(0, pgid);
				if (pgid == 0 && !bg)
					tcsetpgrp(0, getpid());
			} else if (bg && i == 0 && in < 0 &&
			    (devnull = open("/dev/null", O_RDONLY)) >= 0)
				/* No job control: not the terminal's input. */
				move_fd(devnull, 0);
			if (in >= 0 && move_fd(in, 0) < 0)
				_exit(1);
			if (pfd[1] >= 0 && move_fd(pfd[1], 1) < 0)
				_exit(1);
			child_run(&pl->cmds[i], bg && !sh_jobctl);
		}
		if (sh_jobctl) {
			if (pgid == 0) {
				pgid = pid;
				setpgid(pid, pgid);
				if (!bg)
					tcsetpgrp(0, pgid);
			} else
				setpgid(pid, pgid);
		}
		sh_job_add_pid(job, pid);
		if (in >= 0)
			close(in);
		if (pfd[1] >= 0)
			close(pfd[1]);
		in = pfd[0];
	}
	if (in >= 0)
		close(in);
	if (bg) {
		sh_job_started_bg(job);
		return (st);
	}
	i = sh_job_wait_fg(job);
	return (st != 0 ? st : i);
}

/*
 * `a && b &`: the and-or list pipes[first..last] runs in a subshell, which
 * is the background job (one process, its own group with job control).
 */
static int
run_list_bg(struct sh_list *list, int first, int last)
{
	static struct sh_list sub;	/* big: not on the stack */
	struct sh_job *job;
	pid_t pid;
	int devnull;

	if ((job = sh_job_new(list->pipes[last].text, 1)) == NULL) {
		sh_err("too many jobs");
		return (1);
	}
	pid = fork();
	if (pid < 0) {
		sh_err("fork: %s", strerror(errno));
		return (1);
	}
	if (pid == 0) {
		if (sh_jobctl)
			setpgid(0, 0);
		else if ((devnull = open("/dev/null", O_RDONLY)) >= 0)
			move_fd(devnull, 0);
		child_signals(!sh_jobctl);
		sh_jobctl = 0;
		sh_interactive = 0;
		sh_jobs_forget();
		/* The words stay in list->store: pointers copy as they are. */
		memcpy(&sub, list, sizeof(sub));
		memmove(&sub.pipes[0], &list->pipes[first],
		    (last - first + 1) * sizeof(sub.pipes[0]));
		sub.npipes = last - first + 1;
		sub.pipes[last - first].background = 0;
		sub.pipes[last - first].join = JOIN_END;
		_exit(sh_run_list(&sub) & 0xff);
	}
	if (sh_jobctl)
		setpgid(pid, pid);
	sh_job_add_pid(job, pid);
	sh_job_started_bg(job);
	return (0);
}

int
sh_run_list(struct sh_list *list)
{
	enum sh_join prev;
	int i, last;

	prev = JOIN_END;
	for (i = 0; i < list->npipes && !sh_exit_requested; i++) {
		if (prev == JOIN_END) {
			/* The start of an and-or list: is it a job of `&`? */
			for (last = i; last + 1 < list->npipes &&
			    list->pipes[last].join != JOIN_END; last++)
				;
			if (list->pipes[last].background) {
				sh_status = last == i ?
				    run_pipeline(&list->pipes[i], 1) :
				    run_list_bg(list, i, last);
				i = last;
				prev = JOIN_END;
				continue;
			}
		}
		if ((prev == JOIN_AND && sh_status != 0) ||
		    (prev == JOIN_OR && sh_status == 0)) {
			/*
			 * Skipped; the status stays, so `a && b || c` runs c
			 * when a fails.
			 */
			prev = list->pipes[i].join;
			continue;
		}
		sh_status = run_pipeline(&list->pipes[i], 0);
		prev = list->pipes[i].join;
	}
	return (sh_status);
}
