/*
 * jobs.c -- the shell's job table and job control: background jobs
 * (`cmd &`), jobs stopped by ^Z, the notices printed before a prompt
 * (`[n]+  Done ...`, `[n]+  Stopped ...`) and the builtins jobs, fg, bg,
 * wait and kill.
 *
 * A job is one pipeline (or, for `a && b &`, one subshell): its processes,
 * each RUNNING, STOPPED or DONE with its wait status.  Every child the
 * shell forks belongs to a job, so the shell can reap with waitpid(-1) and
 * file each status under its job; a foreground wait thus also collects
 * finished background jobs, reported at the next prompt.  With job control
 * (sh_jobctl) a job is a process group: ^Z stops all of it, fg hands it the
 * terminal (and the terminal modes it had when it stopped) and sends
 * SIGCONT to the group, bg only the SIGCONT.  The current job (`%+`, the
 * default of fg/bg/kill) is the one started or stopped last, `%-` the one
 * before.  Without job control (a script, `-c`) jobs still run in the
 * background and `wait`/`jobs`/`kill` work; fg and bg refuse.
 *
 * As bash: `wait PID` still gives the status of a background process
 * whose job was reported and forgotten (a plain `wait` empties that
 * list); `wait %n` of a forgotten job is "no such job" (127).  exit with
 * stopped jobs under job control only warns "There are stopped jobs.";
 * an exit on the next line leaves and hangs the stopped jobs up (bash
 * also lets `jobs` come between; here any other line warns again).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "shell.h"

#define SH_JOBS_MAX	32
#define JOB_TEXT_MAX	256

enum { P_RUNNING, P_STOPPED, P_DONE };

struct sh_job {
	int used;
	int id;			/* the n of %n */
	pid_t pgid;		/* with job control; else 0 */
	pid_t pids[SH_CMDS_MAX];
	int state[SH_CMDS_MAX];
	int wstatus[SH_CMDS_MAX];	/* last status waitpid gave */
	int npids;
	int background;		/* not the job the shell waits for */
	int notified;		/* its stop was reported */
	unsigned stamp;		/* started or stopped: higher is newer */
	int have_tmodes;	/* terminal modes saved when it stopped */
	struct termios tmodes;
	char text[JOB_TEXT_MAX];
};

static struct sh_job jobs[SH_JOBS_MAX];
static unsigned job_clock;

/*
 * Statuses of background processes whose job was reported and forgotten:
 * `wait PID` still gives them (bash keeps such a list; a plain `wait`
 * empties it, as bash's does).  Oldest entries are overwritten.
 */
#define SH_SAVED_MAX	64
static struct { pid_t pid; int status; } saved[SH_SAVED_MAX];
static unsigned saved_next;

/* exit with stopped jobs: the line count of the warning, + 1 (0: none). */
static unsigned long exit_warned_at;
static struct termios shell_tmodes;
static int have_shell_tmodes;

/* Job control: remember the terminal modes the shell wants back. */
void
sh_jobs_init(void)
{
	if (sh_jobctl && tcgetattr(0, &shell_tmodes) == 0)
		have_shell_tmodes = 1;
}

/* In a subshell child: the parent's jobs are not ours to wait for. */
void
sh_jobs_forget(void)
{
	memset(jobs, 0, sizeof(jobs));
}

struct sh_job *
sh_job_new(const char *text, int background)
{
	struct sh_job *j = NULL;
	int i, maxid = 0;

	for (i = 0; i < SH_JOBS_MAX; i++) {
		if (jobs[i].used && jobs[i].id > maxid)
			maxid = jobs[i].id;
		if (!jobs[i].used && j == NULL)
			j = &jobs[i];
	}
	if (j == NULL)
		return (NULL);
	memset(j, 0, sizeof(*j));
	j->used = 1;
	j->id = maxid + 1;
	j->background = background;
	j->stamp = ++job_clock;
	snprintf(j->text, sizeof(j->text), "%s", text != NULL ? text : "");
	return (j);
}

void
sh_job_add_pid(struct sh_job *j, pid_t pid)
{
	if (j->npids == 0)
		j->pgid = sh_jobctl ? pid : 0;
	if (j->npids < SH_CMDS_MAX) {
		j->pids[j->npids] = pid;
		j->state[j->npids] = P_RUNNING;
		j->npids++;
	}
}

pid_t
sh_job_pgid(const struct sh_job *j)
{
	return (j->pgid);
}

static int wstatus_status(int st);

static void
job_free(struct sh_job *j)
{
	int i;

	/* A background job's finished processes: `wait PID` answers. */
	for (i = 0; j->background && i < j->npids; i++) {
		if (j->state[i] != P_DONE)
			continue;
		saved[saved_next % SH_SAVED_MAX].pid = j->pids[i];
		saved[saved_next % SH_SAVED_MAX].status =
		    wstatus_status(j->wstatus[i]);
		saved_next++;
	}
	j->used = 0;
}

/* The saved status of pid, or -1 when none is kept. */
static int
saved_status(pid_t pid)
{
	unsigned i;

	for (i = saved_next; i-- > 0 && saved_next - i <= SH_SAVED_MAX;)
		if (saved[i % SH_SAVED_MAX].pid == pid)
			return (saved[i % SH_SAVED_MAX].status);
	return (-1);
}

static int
job_running(const struct sh_job *j)
{
	int i;

	for (i = 0; i < j->npids; i++)
		if (j->state[i] == P_RUNNING)
			return (1);
	return (0);
}

static int
job_stopped(const struct sh_job *j)
{
	int i;

	if (job_running(j))
		return (0);
	for (i = 0; i < j->npids; i++)
		if (j->state[i] == P_STOPPED)
			return (1);
	return (0);
}

static int
job_done(const struct sh_job *j)
{
	int i;

	for (i = 0; i < j->npids; i++)
		if (j->state[i] != P_DONE)
			return (0);
	return (1);
}

/* Files one waitpid result under its job; 0 if the pid is no job's. */
static int
record(pid_t pid, int st)
{
	int i, k;

	for (i = 0; i < SH_JOBS_MAX; i++) {
		if (!jobs[i].used)
			continue;
		for (k = 0; k < jobs[i].npids; k++) {
			if (jobs[i].pids[k] != pid)
				continue;
			if (WIFSTOPPED(st)) {
				jobs[i].state[k] = P_STOPPED;
				jobs[i].wstatus[k] = st;
			} else if (WIFCONTINUED(st)) {
				jobs[i].state[k] = P_RUNNING;
				jobs[i].notified = 0;
			} else {
				jobs[i].state[k] = P_DONE;
				jobs[i].wstatus[k] = st;
			}
			return (1);
		}
	}
	return (0);
}

/* $? for a finished process's wait status. */
static int
wstatus_status(int st)
{
	if (WIFSIGNALED(st))
		return (128 + WTERMSIG(st));
	return (WEXITSTATUS(st));
}

/* The status $? gets for a finished or stopped job: its last process. */
static int
job_status(const struct sh_job *j)
{
	int st;

	if (j->npids == 0)
		return (0);
	st = j->wstatus[j->npids - 1];
	if (j->state[j->npids - 1] == P_STOPPED)
		return (128 + WSTOPSIG(st));
	if (WIFSIGNALED(st))
		return (128 + WTERMSIG(st));
	return (WEXITSTATUS(st));
}

/* A stopped job's signal (any stopped member's). */
static int
job_stopsig(const struct sh_job *j)
{
	int i;

	for (i = 0; i < j->npids; i++)
		if (j->state[i] == P_STOPPED)
			return (WSTOPSIG(j->wstatus[i]));
	return (SIGTSTP);
}

/* '+' for the current job, '-' for the previous one, else ' '. */
static int
job_mark(const struct sh_job *j)
{
	unsigned first = 0, second = 0;
	int i;

	for (i = 0; i < SH_JOBS_MAX; i++) {
		if (!jobs[i].used)
			continue;
		if (jobs[i].stamp > first) {
			second = first;
			first = jobs[i].stamp;
		} else if (jobs[i].stamp > second)
			second = jobs[i].stamp;
	}
	return (j->stamp == first ? '+' : j->stamp == second ? '-' : ' ');
}

static const struct {
	int sig;
	const char *name;	/* for kill -NAME */
	const char *what;	/* in a job notice */
} signames[] = {
	{ SIGHUP, "HUP", "Hangup" },
	{ SIGINT, "INT", "Interrupt" },
	{ SIGQUIT, "QUIT", "Quit" },
	{ SIGILL, "ILL", "Illegal instruction" },
	{ SIGTRAP, "TRAP", "Trace/breakpoint trap" },
	{ SIGABRT, "ABRT", "Aborted" },
	{ SIGBUS, "BUS", "Bus error" },
	{ SIGFPE, "FPE", "Floating point exception" },
	{ SIGKILL, "KILL", "Killed" },
	{ SIGUSR1, "USR1", "User defined signal 1" },
	{ SIGSEGV, "SEGV", "Segmentation fault" },
	{ SIGUSR2, "USR2", "User defined signal 2" },
	{ SIGPIPE, "PIPE", "Broken pipe" },
	{ SIGALRM, "ALRM", "Alarm clock" },
	{ SIGTERM, "TERM", "Terminated" },
	{ SIGCHLD, "CHLD", "Child exited" },
	{ SIGCONT, "CONT", "Continued" },
	{ SIGSTOP, "STOP", "Stopped (signal)" },
	{ SIGTSTP, "TSTP", "Stopped" },
	{ SIGTTIN, "TTIN", "Stopped (tty input)" },
	{ SIGTTOU, "TTOU", "Stopped (tty output)" },
	{ SIGWINCH, "WINCH", "Window changed" },
};
#define NSIGNAMES	(sizeof(signames) / sizeof(signames[0]))

/* The state word of a notice or listing ("Running", "Exit 3", ...). */
static void
job_state_word(const struct sh_job *j, char *buf, size_t len)
{
	int st, sig;
	size_t i;

	if (!job_done(j) && !job_stopped(j)) {
		snprintf(buf, len, "Running");
		return;
	}
	if (job_stopped(j)) {
		sig = job_stopsig(j);
		snprintf(buf, len, "Stopped");
	} else {
		st = j->wstatus[j->npids - 1];
		if (WIFEXITED(st)) {
			if (WEXITSTATUS(st) == 0)
				snprintf(buf, len, "Done");
			else
				snprintf(buf, len, "Exit %d",
				    WEXITSTATUS(st));
			return;
		}
		sig = WTERMSIG(st);
		snprintf(buf, len, "Signal %d", sig);
	}
	for (i = 0; i < NSIGNAMES; i++)
		if (signames[i].sig == sig) {
			snprintf(buf, len, "%s", signames[i].what);
			break;
		}
}

/* `[n]+  Running                 text &` */
static void
job_print(int fd, const struct sh_job *j)
{
	char word[64];

	job_state_word(j, word, sizeof(word));
	dprintf(fd, "[%d]%c  %-24s%s%s\n", j->id, job_mark(j), word, j->text,
	    !job_done(j) && !job_stopped(j) && j->background ? " &" : "");
}

/* Gives the terminal back to the shell, with the shell's modes. */
static void
take_terminal(struct sh_job *j)
{
	struct termios now;

	if (!sh_jobctl)
		return;
	tcsetpgrp(0, getpgrp());
	if (j != NULL && job_stopped(j) && tcgetattr(0, &j->tmodes) == 0)
		j->have_tmodes = 1;
	if (have_shell_tmodes && tcgetattr(0, &now) == 0 &&
	    memcmp(&now, &shell_tmodes, sizeof(now)) != 0)
		tcsetattr(0, TCSADRAIN, &shell_tmodes);
}

/*
 * Waits until no process of j runs (all done, or stopped by ^Z).  The
 * caller gave j the terminal; the shell takes it back.  A stopped job
 * stays in the table and is reported; a finished one leaves it.  Returns
 * the job's status; the last process reports a signal that killed it.
 */
int
sh_job_wait_fg(struct sh_job *j)
{
	pid_t pid;
	int st, i, status;

	j->background = 0;
	while (job_running(j)) {
		pid = waitpid(-1, &st, sh_jobctl ? WUNTRACED : 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			/* ECHILD: nothing left to wait for. */
			for (i = 0; i < j->npids; i++)
				if (j->state[i] == P_RUNNING) {
					j->state[i] = P_DONE;
					j->wstatus[i] = 127 << 8;
				}
			break;
		}
		record(pid, st);
	}
	take_terminal(j);
	status = job_status(j);
	if (job_stopped(j)) {
		j->stamp = ++job_clock;
		j->notified = 1;
		dprintf(2, "\n");
		job_print(2, j);
		return (status);
	}
	st = j->wstatus[j->npids - 1];
	if (WIFSIGNALED(st)) {
		if (WTERMSIG(st) == SIGINT)
			dprintf(2, "\n");
		else
			dprintf(2, "[signal %d]\n", WTERMSIG(st));
	}
	job_free(j);
	return (status);
}

/* A job just started with `&`: `[n] pid` when interactive. */
void
sh_job_started_bg(struct sh_job *j)
{
	j->background = 1;
	if (j->npids > 0)
		sh_last_bg = j->pids[j->npids - 1];
	if (sh_interactive && j->npids > 0)
		dprintf(2, "[%d] %d\n", j->id, (int)j->pids[j->npids - 1]);
}

/*
 * Before a prompt (and after each command in a script): collects what
 * changed, reports finished and newly stopped background jobs when
 * interactive, and forgets the finished ones.
 */
static void
collect(void)
{
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG | WUNTRACED | WCONTINUED)) > 0)
		record(pid, st);
}

void
sh_jobs_notify(void)
{
	int i;

	collect();
	for (i = 0; i < SH_JOBS_MAX; i++) {
		if (!jobs[i].used)
			continue;
		if (job_done(&jobs[i])) {
			if (sh_interactive)
				job_print(2, &jobs[i]);
			job_free(&jobs[i]);
		} else if (job_stopped(&jobs[i]) && !jobs[i].notified) {
			jobs[i].notified = 1;
			jobs[i].stamp = ++job_clock;
			if (sh_interactive)
				job_print(2, &jobs[i]);
		}
	}
}

/*
 * A job spec: %n, %%, %+, %-, % or (spec NULL) the current job; %word
 * the job whose text starts with word.  NULL after a message.
 */
static struct sh_job *
find_job(const char *who, const char *spec)
{
	struct sh_job *best = NULL, *prev = NULL;
	char *end;
	long n;
	int i, minus;

	minus = spec != NULL && strcmp(spec, "%-") == 0;
	if (spec == NULL || strcmp(spec, "%") == 0 ||
	    strcmp(spec, "%%") == 0 || strcmp(spec, "%+") == 0 || minus) {
		for (i = 0; i < SH_JOBS_MAX; i++) {
			if (!jobs[i].used)
				continue;
			if (best == NULL || jobs[i].stamp > best->stamp) {
				prev = best;
				best = &jobs[i];
			} else if (prev == NULL ||
			    jobs[i].stamp > prev->stamp)
				prev = &jobs[i];
		}
		if (minus)
			best = prev;
		if (best == NULL)
			sh_err("%s: %s: no such job", who,
			    spec != NULL ? spec : "current");
		return (best);
	}
	if (spec[0] != '%') {
		sh_err("%s: %s: no such job", who, spec);
		return (NULL);
	}
	if (spec[1] >= '0' && spec[1] <= '9') {
		n = strtol(spec + 1, &end, 10);
		for (i = 0; *end == '\0' && i < SH_JOBS_MAX; i++)
			if (jobs[i].used && jobs[i].id == n)
				return (&jobs[i]);
	} else {
		for (i = 0; i < SH_JOBS_MAX; i++)
			if (jobs[i].used && strncmp(jobs[i].text, spec + 1,
			    strlen(spec + 1)) == 0)
				return (&jobs[i]);
	}
	sh_err("%s: %s: no such job", who, spec);
	return (NULL);
}

static void
job_continue(struct sh_job *j)
{
	int i;

	for (i = 0; i < j->npids; i++)
		if (j->state[i] == P_STOPPED)
			j->state[i] = P_RUNNING;
	j->notified = 0;
	if (j->pgid > 0)
		kill(-j->pgid, SIGCONT);
	else
		for (i = 0; i < j->npids; i++)
			if (j->state[i] != P_DONE)
				kill(j->pids[i], SIGCONT);
}

int
bi_jobs(int argc, char **argv)
{
	struct sh_job *j;
	int i, st = 0;

	collect();
	for (i = 1; i < argc; i++) {
		if ((j = find_job("jobs", argv[i])) == NULL)
			st = 1;
		else
			job_print(1, j);
	}
	for (i = 0; argc == 1 && i < SH_JOBS_MAX; i++)
		if (jobs[i].used)
			job_print(1, &jobs[i]);
	/* A finished job listed here is not reported again. */
	for (i = 0; i < SH_JOBS_MAX; i++)
		if (jobs[i].used && job_done(&jobs[i]) && (argc == 1 ||
		    jobs[i].background))
			job_free(&jobs[i]);
	return (st);
}

int
bi_fg(int argc, char **argv)
{
	struct sh_job *j;

	if (!sh_jobctl) {
		sh_err("fg: no job control");
		return (1);
	}
	if (argc > 2) {
		sh_err("usage: fg [%%JOB]");
		return (2);
	}
	if ((j = find_job("fg", argc == 2 ? argv[1] : NULL)) == NULL)
		return (1);
	dprintf(1, "%s\n", j->text);
	if (j->have_tmodes)
		tcsetattr(0, TCSADRAIN, &j->tmodes);
	j->have_tmodes = 0;
	tcsetpgrp(0, j->pgid);
	job_continue(j);
	return (sh_job_wait_fg(j));
}

int
bi_bg(int argc, char **argv)
{
	struct sh_job *j;
	int i, st = 0;

	if (!sh_jobctl) {
		sh_err("bg: no job control");
		return (1);
	}
	for (i = 1; i < argc || (argc == 1 && i == 1); i++) {
		if ((j = find_job("bg", argc == 1 ? NULL : argv[i])) ==
		    NULL) {
			st = 1;
			continue;
		}
		if (!job_stopped(j)) {
			sh_err("bg: job %d already in background", j->id);
			continue;
		}
		j->background = 1;
		job_continue(j);
		dprintf(1, "[%d]%c %s &\n", j->id, job_mark(j), j->text);
	}
	return (st);
}

/*
 * wait [%JOB|PID...]: until the jobs (all running background jobs when
 * none is named) finish; stopped jobs are not waited for.  ^C ends the
 * wait (status 130).  The status is the last named job's.
 */
int
bi_wait(int argc, char **argv)
{
	struct sh_job *j;
	char *end;
	pid_t pid;
	long n;
	int i, k, st, status = 0, any;

	for (i = 1; i < argc || argc == 1; i++) {
		j = NULL;
		if (argc > 1 && argv[i][0] != '%') {
			n = strtol(argv[i], &end, 10);
			for (k = 0; *end == '\0' && n > 0 &&
			    k < SH_JOBS_MAX * SH_CMDS_MAX; k++)
				if (jobs[k / SH_CMDS_MAX].used &&
				    k % SH_CMDS_MAX <
				    jobs[k / SH_CMDS_MAX].npids &&
				    jobs[k / SH_CMDS_MAX].pids[k %
				    SH_CMDS_MAX] == n)
					j = &jobs[k / SH_CMDS_MAX];
			if (j == NULL && *end == '\0' && n > 0 &&
			    (k = saved_status((pid_t)n)) >= 0) {
				status = k;
				continue;
			}
			if (j == NULL) {
				sh_err("wait: pid %s is not a child of this "
				    "shell", argv[i]);
				status = 127;
				continue;
			}
		} else if (argc > 1 && (j = find_job("wait", argv[i])) ==
		    NULL) {
			status = 127;
			continue;
		}
		for (;;) {
			any = 0;
			for (k = 0; k < SH_JOBS_MAX; k++)
				if (jobs[k].used && job_running(&jobs[k]) &&
				    (j == NULL || j == &jobs[k]))
					any = 1;
			if (!any)
				break;
			pid = waitpid(-1, &st, sh_jobctl ? WUNTRACED : 0);
			if (pid < 0 && errno == EINTR)
				return (128 + SIGINT);
			if (pid < 0)
				break;
			record(pid, st);
		}
		if (j != NULL)
			status = job_done(j) || job_stopped(j) ?
			    job_status(j) : 127;
		if (argc == 1) {
			saved_next = 0;
			memset(saved, 0, sizeof(saved));
			break;
		}
	}
	return (status);
}

/*
 * exit (sh_exit_requested set by the builtin) with stopped jobs under job
 * control, as bash: the first attempt only says "There are stopped
 * jobs." and the shell stays; an exit on the very next line leaves,
 * hanging the stopped jobs up (SIGHUP, then SIGCONT so they act on it).
 * Returns 1 when the shell may leave.
 */
int
sh_jobs_may_exit(unsigned long line_no)
{
	int i, any = 0;

	if (!sh_jobctl)
		return (1);
	collect();
	for (i = 0; i < SH_JOBS_MAX; i++)
		if (jobs[i].used && job_stopped(&jobs[i]))
			any = 1;
	if (!any)
		return (1);
	if (exit_warned_at != line_no) {
		dprintf(2, "There are stopped jobs.\n");
		exit_warned_at = line_no + 1;
		return (0);
	}
	for (i = 0; i < SH_JOBS_MAX; i++)
		if (jobs[i].used && job_stopped(&jobs[i]) &&
		    jobs[i].pgid > 0) {
			kill(-jobs[i].pgid, SIGHUP);
			kill(-jobs[i].pgid, SIGCONT);
		}
	return (1);
}

static int
parse_sig(const char *s)
{
	char *end;
	size_t i;
	long n;

	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	if (*s >= '0' && *s <= '9') {
		n = strtol(s, &end, 10);
		return (*end == '\0' && n >= 0 && n < 65 ? (int)n : -1);
	}
	for (i = 0; i < NSIGNAMES; i++)
		if (strcmp(signames[i].name, s) == 0)
			return (signames[i].sig);
	return (-1);
}

/* kill [-SIG | -s SIG] %JOB|PID... ; kill -l lists the names. */
int
bi_kill(int argc, char **argv)
{
	struct sh_job *j;
	char *end;
	size_t k;
	long pid;
	int i, sig = SIGTERM, st = 0, r;

	i = 1;
	if (argc > 1 && strcmp(argv[1], "-l") == 0) {
		for (k = 0; k < NSIGNAMES; k++)
			dprintf(1, "%d) SIG%s\n", signames[k].sig,
			    signames[k].name);
		return (0);
	}
	if (argc > 2 && strcmp(argv[1], "-s") == 0) {
		sig = parse_sig(argv[2]);
		i = 3;
	} else if (argc > 1 && argv[1][0] == '-' &&
	    !(argv[1][1] >= '0' && argv[1][1] <= '9' && argc == 2)) {
		sig = strcmp(argv[1], "--") == 0 ? SIGTERM :
		    parse_sig(argv[1] + 1);
		i = 2;
	}
	if (sig < 0) {
		sh_err("kill: %s: unknown signal", argv[i - 1]);
		return (2);
	}
	if (i >= argc) {
		sh_err("usage: kill [-SIG | -s SIG] %%JOB|PID...");
		return (2);
	}
	for (; i < argc; i++) {
		if (argv[i][0] == '%') {
			if ((j = find_job("kill", argv[i])) == NULL) {
				st = 1;
				continue;
			}
			if (j->pgid > 0)
				r = kill(-j->pgid, sig);
			else {
				r = 0;
				for (k = 0; k < (size_t)j->npids; k++)
					if (j->state[k] != P_DONE &&
					    kill(j->pids[k], sig) < 0)
						r = -1;
			}
			/* A stopped job acts on the signal once running. */
			if (r == 0 && job_stopped(j) && sig != SIGKILL &&
			    sig != SIGCONT && sig != 0)
				job_continue(j);
		} else {
			pid = strtol(argv[i], &end, 10);
			if (argv[i][0] == '\0' || *end != '\0') {
				sh_err("kill: %s: arguments must be process "
				    "or job IDs", argv[i]);
				st = 1;
				continue;
			}
			r = kill((pid_t)pid, sig);
		}
		if (r < 0) {
			sh_err("kill: %s: %s", argv[i], strerror(errno));
			st = 1;
		}
	}
	return (st);
}
