/*
 * creds.h -- syscalld's Linux credentials DB: per-process real, effective
 * and saved ids, seeded from the kernel's view in the first offload
 * request of a pid, changed only by set*id policy here (the kernel's own
 * credentials are never mutated by Linux set*id).  Pure; host unit-tested.
 */
#ifndef SERVICES_SYSCALLD_CREDS_H
#define SERVICES_SYSCALLD_CREDS_H

#include <stdint.h>

#define CREDS_MAX_PROCS	256
#define CREDS_KEEP	0xffffffffu	/* -1: leave this id unchanged */

struct creds {
	uint64_t	pid;		/* 0: free slot */
	uint32_t	ruid, euid, suid;
	uint32_t	rgid, egid, sgid;
};

struct creds_db {
	struct creds	p[CREDS_MAX_PROCS];
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
/* Forget a pid (its process exited). */
void creds_drop(struct creds_db *db, uint64_t pid);

#endif /* SERVICES_SYSCALLD_CREDS_H */
