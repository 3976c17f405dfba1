/*
 * creds.h -- syscalld's per-process Linux policy DB: real, effective and
 * saved ids, supplementary groups and resource limits.  An entry is
 * seeded from the kernel's view in the first offload request of a pid (or
 * copied from the parent's entry at fork), and changed only by the set*id
 * and setrlimit/prlimit64 policy here: the kernel's own credentials are
 * never mutated by Linux set*id.  Pure; host unit-tested.
 */
#ifndef SERVICES_SYSCALLD_CREDS_H
#define SERVICES_SYSCALLD_CREDS_H

#include <stdint.h>

#define CREDS_MAX_PROCS	256
#define CREDS_KEEP	0xffffffffu	/* -1: leave this id unchanged */
#define CREDS_NGROUPS_MAX 32		/* supplementary groups kept */
#define CREDS_RLIM_NLIMITS 16		/* RLIMIT_CPU .. RLIMIT_RTTIME */
#define CREDS_RLIM_INFINITY (~0ULL)
#define CREDS_RLIMIT_STACK 3
#define CREDS_RLIMIT_NPROC 6
#define CREDS_RLIMIT_NOFILE 7
/*
 * RLIMIT_NOFILE: Linux's defaults, soft 1024 and hard 4096 (also the
 * most the kernel's growing fd table holds: PS_MAX_FDS), so programs may
 * raise the soft limit up to 4096.
 */
#define CREDS_FD_TABLE	1024
#define CREDS_NR_OPEN	4096
/* The stack the kernel gives a new image today (docs/ai/bootstrap.md). */
#define CREDS_STACK_DEFAULT (512ULL * 1024)

struct creds {
	uint64_t	pid;		/* 0: free slot */
	uint32_t	ruid, euid, suid;
	uint32_t	rgid, egid, sgid;
	uint32_t	fsuid, fsgid;	/* follow euid/egid; setfsuid/setfsgid */
	uint32_t	ngroups;
	uint32_t	groups[CREDS_NGROUPS_MAX];
	uint64_t	rlim[CREDS_RLIM_NLIMITS][2];	/* cur, max */
};

struct creds_db {
	struct creds	p[CREDS_MAX_PROCS];
	/*
	 * Optional: 1 while pid is alive.  A full table then reuses only
	 * entries of dead processes (pids are never reused by the kernel);
	 * without it (host tests) a full table evicts by pid hash.
	 */
	int		(*alive)(uint64_t pid);
};

/* The entry of pid, created from uid/gid/euid/egid when first seen. */
struct creds *creds_get(struct creds_db *db, uint64_t pid, uint32_t uid,
    uint32_t gid, uint32_t euid, uint32_t egid);
/* Linux setuid/setgid rules: 0 or -EPERM / -EINVAL. */
int creds_setuid(struct creds *c, uint32_t uid);
int creds_setgid(struct creds *c, uint32_t gid);
/* setreuid/setregid (CREDS_KEEP leaves an id alone). */
int creds_setreuid(struct creds *c, uint32_t r, uint32_t e);
int creds_setregid(struct creds *c, uint32_t r, uint32_t e);
/* setresuid/setresgid (CREDS_KEEP leaves an id alone). */
int creds_setresuid(struct creds *c, uint32_t r, uint32_t e, uint32_t s);
int creds_setresgid(struct creds *c, uint32_t r, uint32_t e, uint32_t s);
/*
 * setfsuid/setfsgid: always the old fs id; the new one is taken when the
 * caller has euid 0 or it is one of the real, effective, saved or fs ids
 * (CREDS_KEEP: a query).  Every change of euid/egid above resets it.
 */
uint32_t creds_setfsuid(struct creds *c, uint32_t uid);
uint32_t creds_setfsgid(struct creds *c, uint32_t gid);
/* setgroups: n <= CREDS_NGROUPS_MAX (-EINVAL), euid 0 only (-EPERM). */
int creds_setgroups(struct creds *c, const uint32_t *g, uint32_t n);
/*
 * fork: the child's entry becomes a copy of the parent's, unless the
 * child already has one (it asked first; it then was seeded from the
 * parent while the parent was still blocked in fork).  -ENOMEM when the
 * table is full of live processes.
 */
int creds_fork(struct creds_db *db, uint64_t parent, uint64_t child);
/* The entry of pid if there is one (no seeding). */
struct creds *creds_find(struct creds_db *db, uint64_t pid);
/*
 * getrlimit/setrlimit policy of Linux: res < CREDS_RLIM_NLIMITS
 * (-EINVAL), cur <= max (-EINVAL), raising max needs a privileged caller
 * (euid 0; -EPERM), RLIMIT_NOFILE max <= CREDS_NR_OPEN (-EPERM).  old may
 * be NULL.
 */
int creds_getrlimit(const struct creds *c, uint32_t res, uint64_t old[2]);
int creds_setrlimit(struct creds *c, uint32_t res, const uint64_t lim[2],
    int privileged);
/*
 * May caller change or read the limits of target (prlimit64 on another
 * pid)?  Linux: euid 0, or the caller's real id equals all of the
 * target's uids and gids likewise.
 */
int creds_may_prlimit(const struct creds *caller, const struct creds *target);
/* Forget a pid (its process exited). */
void creds_drop(struct creds_db *db, uint64_t pid);

#endif /* SERVICES_SYSCALLD_CREDS_H */
