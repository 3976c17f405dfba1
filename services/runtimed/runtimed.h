/*
 * runtimed.h -- runtimed's pure logic (table.c): the launchable programs
 * of runtime-launch-programs.tsv, the scope=runtime environment, the table
 * of programs runtimed launched, and the loaderd spawn request built from
 * them.  No I/O here, so the host unit test (tests/unit/services) runs it.
 */
#ifndef RUNTIMED_H
#define RUNTIMED_H

#include <stddef.h>
#include <stdint.h>

#include <rustos/loader.h>
#include <rustos/runtime_control.h>

#define RTD_MAX_REG	64
#define RTD_MAX_ENV	64
#define RTD_MAX_PROGS	RUNTIME_CONTROL_MAX_RECORDS

/* A launch resolved from a request's text. */
struct rtd_launch {
	char		desktop_id[48];		/* "" for a path launch */
	char		display_name[48];
	char		exec[LOADER_EXEC_PATH_MAX];	/* absolute */
	uint32_t	weight_micros;		/* 0: loaderd's default */
	uint32_t	program_id;		/* 1-based registry index; 0 */
	const struct rustos_registry_desktop_program *entry;	/* or NULL */
};

struct rtd_running {
	uint64_t	pid;			/* 0: free */
	uint64_t	session;
	uint32_t	program_id;
	char		desktop_id[48];
	char		display_name[48];
	char		exec[64];
};

struct rtd_state {
	struct rustos_registry_desktop_program	progs[RTD_MAX_REG];
	size_t					nprogs;
	struct rustos_registry_env_entry	env[RTD_MAX_ENV];
	size_t					nenv;
	struct rtd_running			run[RTD_MAX_PROGS];
};

/* Where a registry line was refused (passed to the caller's logger). */
struct rtd_bad {
	unsigned	column;
	const char	*rule;
};
typedef void rtd_bad_fn(const char *file, unsigned lineno,
    const struct rtd_bad *bad);

/* Parse a registry file's bytes; malformed lines go to bad and are skipped. */
void rtd_load_programs(struct rtd_state *s, const char *buf, size_t len,
    const char *file, rtd_bad_fn *bad);
void rtd_load_env(struct rtd_state *s, const char *buf, size_t len,
    const char *file, rtd_bad_fn *bad);

/*
 * A desktop id of the registry, or an absolute path (an entry whose exec
 * or image is that path lends its weight, env and names).  -ENOENT for an
 * unknown desktop id, -EINVAL for a relative non-id text.
 */
int rtd_resolve(const struct rtd_state *s, const char *text,
    struct rtd_launch *out);
/* The loaderd SPAWN request of a launch (argv, env, weight); -E2BIG. */
int rtd_build_spawn(const struct rtd_state *s, const struct rtd_launch *l,
    struct rustos_loader_spawn_request *q);

int rtd_remember(struct rtd_state *s, uint64_t pid, uint64_t session,
    const struct rtd_launch *l);
/* 0 when pid was one of runtimed's programs (now dropped), else -ESRCH. */
int rtd_forget(struct rtd_state *s, uint64_t pid);
const struct rtd_running *rtd_find(const struct rtd_state *s, uint64_t pid);
/* The pids of the programs of a session (by_session) or of that pid. */
size_t rtd_match(const struct rtd_state *s, int by_session, uint64_t value,
    uint64_t *pids, size_t max);
/* Records of the running programs, in launch-slot order. */
uint32_t rtd_snapshot(const struct rtd_state *s,
    struct rustos_runtime_control_record *recs, uint32_t max);

#endif /* RUNTIMED_H */
