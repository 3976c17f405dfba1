/*
 * psuite.h -- the in-OS process suite (tests/inos/proc): case table,
 * result reporting and the small helpers the case files share.
 *
 * Every case runs in its own forked child (a process group of its own,
 * alarm() watchdog, a hard deadline in the runner), so a crash or hang is
 * that case's FAIL and never the suite's.  A case passes by returning;
 * ps_fail()/ps_skip() report through the result pipe and end the case
 * process.  Grandchildren a case forks report by exit status only: they
 * must never call ps_fail() (it refuses to, see psuite.c).
 */
#ifndef PSUITE_H
#define PSUITE_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

struct ps_case {
	const char	*name;
	void		(*fn)(void);
	unsigned	 timeout;	/* seconds; 0 means the default */
};

/* Per-area tables, each ended by a { NULL } entry. */
extern const struct ps_case ps_cases_proc[];
extern const struct ps_case ps_cases_sig[];
extern const struct ps_case ps_cases_mm[];
extern const struct ps_case ps_cases_elf[];
extern const struct ps_case ps_cases_thr[];
extern const struct ps_case ps_cases_vdso[];
extern const struct ps_case ps_cases_sock[];
extern const struct ps_case ps_cases_dyn[];

/* Set by the runner before any case runs. */
extern const char *ps_helper;	/* path of psuite-child */
extern const char *ps_scratch;	/* writable per-run directory or NULL */
/*
 * -o: the pid orphans must be re-parented to (the suite's parent: initd
 * in RustOS, a child subreaper); 0 on the host, where only a change of
 * the orphan's parent is checked.
 */
extern pid_t ps_orphan_reaper;

void	ps_fail(const char *, ...) __attribute__((noreturn,
	    format(printf, 1, 2)));
void	ps_skip(const char *, ...) __attribute__((noreturn,
	    format(printf, 1, 2)));

#define CHECK(c, ...) do {						\
	if (!(c))							\
		ps_fail(__VA_ARGS__);					\
} while (0)

/* Expect a libc call to fail with errno e (-1 return). */
#define CHECK_ERRNO(call, e) do {					\
	long r_ = (long)(call);						\
	int e_ = errno;							\
	if (r_ != -1 || e_ != (e))					\
		ps_fail("%s: got %ld errno %d (%s), want errno %d (%s)", \
		    #call, r_, r_ == -1 ? e_ : 0,			\
		    r_ == -1 ? strerror(e_) : "-", (e), strerror(e));	\
} while (0)

/* Expect a libc call to succeed (not -1). */
#define CHECK_OK(call) do {						\
	if ((long)(call) == -1)						\
		ps_fail("%s: %s", #call, strerror(errno));		\
} while (0)

/* Fork; the child runs fn(arg) and _exits with its return value. */
pid_t	ps_spawn(int (*)(void *), void *);
/* Wait for pid (bounded by the case watchdog) and return its status. */
int	ps_wait(pid_t);
/* Fork+wait; fails the case unless the child exited with status 0. */
void	ps_run_child(const char *, int (*)(void *), void *);
/* Describe a wait status ("exit 3", "signal 11") into a static buffer. */
const char *ps_status_str(int);
/* Fail unless status is a termination by signal sig. */
void	ps_expect_signal(const char *, int, int);
/* Fail unless status is a normal exit with code. */
void	ps_expect_exit(const char *, int, int);

/*
 * Run ps_helper with argv (argv[0] is filled in), stdout captured into
 * out (NUL-terminated, at most cap-1 bytes); returns the wait status.
 * setup, when not NULL, runs in the child just before execve.
 */
int	ps_run_helper(char *const [], char *const [], char *, size_t,
	    void (*)(void));
/*
 * Run path with argv av and environment ev, stdout captured into out
 * (NUL-terminated, at most cap-1 bytes); returns the wait status (exit
 * 127: the execve failed).
 */
int	ps_run_capture(const char *, char *const [], char *const [], char *,
	    size_t);
/* Path of a program next to ps_helper (NAME.elf or NAME), or NULL. */
const char *ps_beside_helper(const char *);
/* Value of "key=value" line in a helper report, or NULL (static buffer). */
const char *ps_report_get(const char *, const char *);

/* Make a scratch file path (skips the case when there is no scratch). */
const char *ps_scratch_path(const char *);
/*
 * As root: skip the case unless a child can become uid/gid 65534 (a user
 * namespace may map root only).  Returns 1 when running as root, 0 not.
 */
int	ps_root_can_drop(void);
/* Sleep ms milliseconds (nanosleep, restarted on EINTR). */
void	ps_msleep(long);
long	ps_gettid(void);
/* An address the compiler cannot see through (hostile-pointer tests). */
void	*ps_addr(uintptr_t);

#endif /* !PSUITE_H */
