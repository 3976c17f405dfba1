/*
 * creds.c -- the credentials DB (see creds.h).  The rules follow Linux
 * without capabilities: euid 0 may set anything; others may only switch
 * among their real, effective and saved ids.
 */
#include <errno.h>
#include <string.h>

#include "services/syscalld/creds.h"

struct creds *
creds_get(struct creds_db *db, uint64_t pid, uint32_t uid, uint32_t gid,
    uint32_t euid, uint32_t egid)
{
	struct creds *free_slot = NULL;
	size_t i;

	if (pid == 0)
		return NULL;
	for (i = 0; i < CREDS_MAX_PROCS; i++) {
		if (db->p[i].pid == pid)
			return &db->p[i];
		if (db->p[i].pid == 0 && free_slot == NULL)
			free_slot = &db->p[i];
	}
	if (free_slot == NULL)
		/* Full: evict by pid hash (the oldest pids are likely gone). */
		free_slot = &db->p[pid % CREDS_MAX_PROCS];
	free_slot->pid = pid;
	free_slot->ruid = uid;
	free_slot->euid = euid;
	free_slot->suid = euid;
	free_slot->rgid = gid;
	free_slot->egid = egid;
	free_slot->sgid = egid;
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
		c->ruid = c->euid = c->suid = uid;
		return 0;
	}
	if (uid != c->ruid && uid != c->suid)
		return -EPERM;
	c->euid = uid;
	return 0;
}

int
creds_setgid(struct creds *c, uint32_t gid)
{
	if (gid == CREDS_KEEP)
		return -EINVAL;
	if (c->euid == 0) {
		c->rgid = c->egid = c->sgid = gid;
		return 0;
	}
	if (gid != c->rgid && gid != c->sgid)
		return -EPERM;
	c->egid = gid;
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
	return 0;
}
