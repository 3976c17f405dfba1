/*
 * creds.c -- the per-process Linux policy DB (see creds.h).  The rules
 * follow Linux without capabilities: euid 0 may set anything; others may
 * only switch among their real, effective and saved ids, and may lower
 * but never raise a hard resource limit.
 */
#include <errno.h>
#include <string.h>

#include "services/syscalld/creds.h"

/*
 * Linux's defaults, except where RustOS has a smaller real bound: procd's
 * process limit (64) and the stack a new image gets.
 */
static const uint64_t rlim_default[CREDS_RLIM_NLIMITS][2] = {
	{ CREDS_RLIM_INFINITY, CREDS_RLIM_INFINITY },	/* CPU */
	{ CREDS_RLIM_INFINITY, CREDS_RLIM_INFINITY },	/* FSIZE */
	{ CREDS_RLIM_INFINITY, CREDS_RLIM_INFINITY },	/* DATA */
	{ CREDS_STACK_DEFAULT, CREDS_RLIM_INFINITY },	/* STACK */
	{ 0, CREDS_RLIM_INFINITY },			/* CORE */
	{ CREDS_RLIM_INFINITY, CREDS_RLIM_INFINITY },	/* RSS */
	{ 64, 64 },					/* NPROC */
	{ CREDS_FD_TABLE, CREDS_NR_OPEN },		/* NOFILE */
	{ 8ULL << 20, 8ULL << 20 },			/* MEMLOCK */
	{ CREDS_RLIM_INFINITY, CREDS_RLIM_INFINITY },	/* AS */
	{ CREDS_RLIM_INFINITY, CREDS_RLIM_INFINITY },	/* LOCKS */
	{ 64, 64 },					/* SIGPENDING */
	{ 819200, 819200 },				/* MSGQUEUE */
	{ 0, 0 },					/* NICE */
	{ 0, 0 },					/* RTPRIO */
	{ CREDS_RLIM_INFINITY, CREDS_RLIM_INFINITY },	/* RTTIME */
};

struct creds *
creds_find(struct creds_db *db, uint64_t pid)
{
	size_t i;

	if (pid == 0)
		return NULL;
	for (i = 0; i < CREDS_MAX_PROCS; i++)
		if (db->p[i].pid == pid)
			return &db->p[i];
	return NULL;
}

/* A free slot, or one of a dead process; NULL when all are live. */
static struct creds *
creds_slot(struct creds_db *db, uint64_t pid)
{
	size_t i;

	for (i = 0; i < CREDS_MAX_PROCS; i++)
		if (db->p[i].pid == 0)
			return &db->p[i];
	if (db->alive == NULL)
		/* Full: evict by pid hash (the oldest pids are likely gone). */
		return &db->p[pid % CREDS_MAX_PROCS];
	for (i = 0; i < CREDS_MAX_PROCS; i++)
		if (!db->alive(db->p[i].pid)) {
			memset(&db->p[i], 0, sizeof(db->p[i]));
			return &db->p[i];
		}
	return NULL;
}

struct creds *
creds_get(struct creds_db *db, uint64_t pid, uint32_t uid, uint32_t gid,
    uint32_t euid, uint32_t egid)
{
	struct creds *free_slot;

	if (pid == 0)
		return NULL;
	if ((free_slot = creds_find(db, pid)) != NULL)
		return free_slot;
	if ((free_slot = creds_slot(db, pid)) == NULL)
		return NULL;
	memset(free_slot, 0, sizeof(*free_slot));
	memcpy(free_slot->rlim, rlim_default, sizeof(rlim_default));
	free_slot->pid = pid;
	free_slot->ruid = uid;
	free_slot->euid = euid;
	free_slot->suid = euid;
	free_slot->rgid = gid;
	free_slot->egid = egid;
	free_slot->sgid = egid;
	free_slot->fsuid = euid;
	free_slot->fsgid = egid;
	return free_slot;
}

void
creds_drop(struct creds_db *db, uint64_t pid)
{
	size_t i;

	for (i = 0; i < CREDS_MAX_PROCS; i++)
		if (db->p[i].pid == pid)
			memset(&db->p[i], 0, sizeof(db->p[i]));
}

int
creds_setuid(struct creds *c, uint32_t uid)
{
	if (uid == CREDS_KEEP)
		return -EINVAL;
	if (c->euid == 0) {
		c->ruid = c->euid = c->suid = c->fsuid = uid;
		return 0;
	}
	if (uid != c->ruid && uid != c->suid)
		return -EPERM;
	c->euid = c->fsuid = uid;
	return 0;
}

int
creds_setgid(struct creds *c, uint32_t gid)
{
	if (gid == CREDS_KEEP)
		return -EINVAL;
	if (c->euid == 0) {
		c->rgid = c->egid = c->sgid = c->fsgid = gid;
		return 0;
	}
	if (gid != c->rgid && gid != c->sgid)
		return -EPERM;
	c->egid = c->fsgid = gid;
	return 0;
}

int
creds_setreuid(struct creds *c, uint32_t r, uint32_t e)
{
	uint32_t old_r = c->ruid;

	if (c->euid != 0) {
		if (r != CREDS_KEEP && r != c->ruid && r != c->euid)
			return -EPERM;
		if (e != CREDS_KEEP && e != c->ruid && e != c->euid &&
		    e != c->suid)
			return -EPERM;
	}
	if (r != CREDS_KEEP)
		c->ruid = r;
	if (e != CREDS_KEEP)
		c->euid = e;
	/* Linux: the saved id follows the new euid when ruid was set or
	 * euid moved away from the old real id. */
	if (r != CREDS_KEEP || (e != CREDS_KEEP && e != old_r))
		c->suid = c->euid;
	c->fsuid = c->euid;
	return 0;
}

int
creds_setregid(struct creds *c, uint32_t r, uint32_t e)
{
	uint32_t old_r = c->rgid;

	if (c->euid != 0) {
		if (r != CREDS_KEEP && r != c->rgid && r != c->egid)
			return -EPERM;
		if (e != CREDS_KEEP && e != c->rgid && e != c->egid &&
		    e != c->sgid)
			return -EPERM;
	}
	if (r != CREDS_KEEP)
		c->rgid = r;
	if (e != CREDS_KEEP)
		c->egid = e;
	if (r != CREDS_KEEP || (e != CREDS_KEEP && e != old_r))
		c->sgid = c->egid;
	c->fsgid = c->egid;
	return 0;
}

int
creds_setresuid(struct creds *c, uint32_t r, uint32_t e, uint32_t s)
{
	const uint32_t v[3] = { r, e, s };
	int i;

	/* Unprivileged: each new id must be one of the current three. */
	if (c->euid != 0)
		for (i = 0; i < 3; i++)
			if (v[i] != CREDS_KEEP && v[i] != c->ruid &&
			    v[i] != c->euid && v[i] != c->suid)
				return -EPERM;
	if (r != CREDS_KEEP)
		c->ruid = r;
	if (e != CREDS_KEEP)
		c->euid = e;
	if (s != CREDS_KEEP)
		c->suid = s;
	c->fsuid = c->euid;
	return 0;
}

int
creds_setresgid(struct creds *c, uint32_t r, uint32_t e, uint32_t s)
{
	const uint32_t v[3] = { r, e, s };
	int i;

	if (c->euid != 0)
		for (i = 0; i < 3; i++)
			if (v[i] != CREDS_KEEP && v[i] != c->rgid &&
			    v[i] != c->egid && v[i] != c->sgid)
				return -EPERM;
	if (r != CREDS_KEEP)
		c->rgid = r;
	if (e != CREDS_KEEP)
		c->egid = e;
	if (s != CREDS_KEEP)
		c->sgid = s;
	c->fsgid = c->egid;
	return 0;
}

uint32_t
creds_setfsuid(struct creds *c, uint32_t uid)
{
	uint32_t old = c->fsuid;

	if (uid != CREDS_KEEP && (c->euid == 0 || uid == c->ruid ||
	    uid == c->euid || uid == c->suid || uid == c->fsuid))
		c->fsuid = uid;
	return old;
}

uint32_t
creds_setfsgid(struct creds *c, uint32_t gid)
{
	uint32_t old = c->fsgid;

	/* Linux: privilege is CAP_SETGID, i.e. euid 0 without caps. */
	if (gid != CREDS_KEEP && (c->euid == 0 || gid == c->rgid ||
	    gid == c->egid || gid == c->sgid || gid == c->fsgid))
		c->fsgid = gid;
	return old;
}

int
creds_setgroups(struct creds *c, const uint32_t *g, uint32_t n)
{
	if (n > CREDS_NGROUPS_MAX)
		return -EINVAL;
	if (c->euid != 0)
		return -EPERM;
	if (n != 0)
		memcpy(c->groups, g, n * sizeof(*g));
	c->ngroups = n;
	return 0;
}

int
creds_fork(struct creds_db *db, uint64_t parent, uint64_t child)
{
	struct creds *p, *c;

	if (child == 0 || creds_find(db, child) != NULL)
		return 0;
	if ((p = creds_find(db, parent)) == NULL)
		return 0;	/* the child starts from the kernel view too */
	if ((c = creds_slot(db, child)) == NULL)
		return -ENOMEM;
	/* creds_slot may have reused p's slot only if p was dead. */
	if (c == p)
		return 0;
	*c = *p;
	c->pid = child;
	return 0;
}

int
creds_getrlimit(const struct creds *c, uint32_t res, uint64_t old[2])
{
	if (res >= CREDS_RLIM_NLIMITS)
		return -EINVAL;
	if (old != NULL) {
		old[0] = c->rlim[res][0];
		old[1] = c->rlim[res][1];
	}
	return 0;
}

int
creds_setrlimit(struct creds *c, uint32_t res, const uint64_t lim[2],
    int privileged)
{
	if (res >= CREDS_RLIM_NLIMITS || lim[0] > lim[1])
		return -EINVAL;
	if (lim[1] > c->rlim[res][1] && !privileged)
		return -EPERM;
	if (res == CREDS_RLIMIT_NOFILE && lim[1] > CREDS_NR_OPEN)
		return -EPERM;
	c->rlim[res][0] = lim[0];
	c->rlim[res][1] = lim[1];
	return 0;
}

int
creds_may_prlimit(const struct creds *caller, const struct creds *target)
{
	if (caller == target || caller->euid == 0)
		return 1;
	return caller->ruid == target->ruid && caller->ruid == target->euid &&
	    caller->ruid == target->suid && caller->rgid == target->rgid &&
	    caller->rgid == target->egid && caller->rgid == target->sgid;
}
