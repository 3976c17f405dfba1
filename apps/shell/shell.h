/*
 * shell.h -- internal interface of the RustOS shell (apps/shell/).
 *
 * A line is parsed (parse.c) into a list of pipelines joined by `;`, `&&`
 * and `||`; words keep their raw text (quotes, escapes, `$`) and are
 * expanded only when their command runs, so `false; echo $?` sees the
 * status of `false`.  exec.c runs pipelines (fork, execve, wait4),
 * jobs.c keeps the job table (background jobs, stopped jobs, their
 * notifications and the jobs/fg/bg/wait/kill builtins) and builtin.c
 * holds the other builtins, which write through raw fds so the
 * redirections of a builtin run in the shell itself need no stdio flush.
 */
#ifndef SHELL_H
#define SHELL_H

#include <stddef.h>
#include <sys/types.h>

#define SH_LINE_MAX	4096
#define SH_WORDS_MAX	64
#define SH_REDIRS_MAX	16
#define SH_CMDS_MAX	8
#define SH_PIPES_MAX	16

enum sh_redir_kind {
	REDIR_IN,		/* <  */
	REDIR_OUT,		/* >  */
	REDIR_APPEND,		/* >> */
	REDIR_ERR,		/* 2> */
	REDIR_ERR_APPEND,	/* 2>> */
	REDIR_ERR_TO_OUT,	/* 2>&1 */
	REDIR_OUT_TO_ERR,	/* >&2 */
};

struct sh_redir {
	enum sh_redir_kind kind;
	char *target;		/* raw word; NULL for the fd duplications */
};

struct sh_cmd {
	char *words[SH_WORDS_MAX + 1];
	int nwords;
	struct sh_redir redirs[SH_REDIRS_MAX];
	int nredirs;
};

enum sh_join {
	JOIN_END,		/* last pipeline, or `;` */
	JOIN_AND,		/* && */
	JOIN_OR,		/* || */
};

struct sh_pipeline {
	struct sh_cmd cmds[SH_CMDS_MAX];
	int ncmds;
	enum sh_join join;	/* how the next pipeline depends on this one */
	int background;		/* ended by `&`: run as a background job */
	char *text;		/* its source text (job listings) */
};

struct sh_list {
	struct sh_pipeline pipes[SH_PIPES_MAX];
	int npipes;
	/* The raw words and the pipelines' texts, NUL-terminated. */
	char store[SH_LINE_MAX * 3];
};

/* parse.c */
int sh_parse(const char *line, struct sh_list *list, char *err, size_t errlen);
char *sh_expand(const char *raw);

/* exec.c */
extern int sh_status;
extern int sh_exit_requested;
/* Lines read so far (exit's stopped-jobs warning counts them). */
extern unsigned long sh_line_no;
/* Job control: each pipeline in its own process group, given the tty. */
extern int sh_jobctl;
/* Interactive (prompting): background jobs are announced and reported. */
extern int sh_interactive;
/* $!: the pid of the last process of the last background job. */
extern pid_t sh_last_bg;
int sh_run_list(struct sh_list *list);

/* jobs.c */
struct sh_job;
struct sh_job *sh_job_new(const char *text, int background);
void sh_job_add_pid(struct sh_job *j, pid_t pid);
int sh_job_wait_fg(struct sh_job *j);
void sh_job_started_bg(struct sh_job *j);
void sh_jobs_notify(void);
int sh_jobs_may_exit(unsigned long line_no);
void sh_jobs_init(void);
void sh_jobs_forget(void);
pid_t sh_job_pgid(const struct sh_job *j);
int bi_jobs(int argc, char **argv);
int bi_fg(int argc, char **argv);
int bi_bg(int argc, char **argv);
int bi_wait(int argc, char **argv);
int bi_kill(int argc, char **argv);

/* builtin.c */
typedef int (*sh_builtin_fn)(int argc, char **argv);
sh_builtin_fn sh_find_builtin(const char *name);
void sh_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
