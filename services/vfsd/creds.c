/*
 * creds.c -- vfsd's per-pid credential cache and Linux permission rules
 * (see creds.h).  The table is small and fixed: a pid is in it only once
 * it (or an ancestor) changed ids, so most processes never take a slot.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "services/vfsd/creds.h"

static struct vcred {
	uint64_t		pid;	/* 0: free */
	struct rustos_vfs_creds	c;
} tab[VCRED_MAX_PROCS];

static struct vcred *
slot_of(uint64_t pid)
{
	size_t i;

	for (i = 0; i < VCRED_MAX_PROCS; i++)
		if (tab[i].pid == pid)
			return &tab[i];
	return NULL;
}

const struct rustos_vfs_creds *
vcred_find(uint64_t pid)
{
	struct vcred *v;

	if (pid == 0 || (v = slot_of(pid)) == NULL)
		return NULL;
	return &v->c;
}

int
vcred_set(uint64_t pid, const struct rustos_vfs_creds *c)
{
	struct vcred *v;

	if (pid == 0 || c->ngroups > VFS_CREDS_NGROUPS_MAX ||
	    c->reserved0 != 0)
		return -EINVAL;
	if ((v = slot_of(pid)) == NULL && (v = slot_of(0)) == NULL)
		return -ENOMEM;
	v->pid = pid;
	v->c = *c;
	/* Unused group slots stay zero so copies compare equal. */
	memset(v->c.groups + c->ngroups, 0, (VFS_CREDS_NGROUPS_MAX -
	    c->ngroups) * sizeof(c->groups[0]));
	return 0;
}

int
vcred_fork(uint64_t parent, uint64_t child)
{
	const struct rustos_vfs_creds *p;

	if ((p = vcred_find(parent)) == NULL) {
		vcred_drop(child);
		return 0;
	}
	return vcred_set(child, p);
}

void
vcred_drop(uint64_t pid)
{
	struct vcred *v;

	if (pid != 0 && (v = slot_of(pid)) != NULL)
		memset(v, 0, sizeof(*v));
}

void
vcred_reset(void)
{
	memset(tab, 0, sizeof(tab));
}

int
vcred_in_group(const struct rustos_vfs_creds *c, uint32_t gid)
{
	uint32_t i;

	if (c->fsgid == gid)
		return 1;
	for (i = 0; i < c->ngroups && i < VFS_CREDS_NGROUPS_MAX; i++)
		if (c->groups[i] == gid)
			return 1;
	return 0;
}

int
vcred_perm(const struct rustos_vfs_creds *c, uint32_t uid, uint32_t gid,
    uint32_t mode, int dir, int want)
{
	uint32_t bits;

	want &= R_OK | W_OK | X_OK;
	if (c->fsuid == 0)
		return (want & X_OK) && !dir && !(mode & 0111) ? -EACCES : 0;
	if (c->fsuid == uid)
		bits = (mode >> 6) & 7;
	else if (vcred_in_group(c, gid))
		bits = (mode >> 3) & 7;
	else
		bits = mode & 7;
	/* R_OK 4, W_OK 2, X_OK 1: the same positions as rwx. */
	return ((uint32_t)want & ~bits) != 0 ? -EACCES : 0;
}

int
vcred_sticky(const struct rustos_vfs_creds *c, uint32_t dir_uid,
    uint32_t dir_mode, uint32_t victim_uid)
{
	if (!(dir_mode & 01000) || c->fsuid == 0 || c->fsuid == dir_uid ||
	    c->fsuid == victim_uid)
		return 0;
	return -EPERM;
}

int
vcred_may_chown(const struct rustos_vfs_creds *c, uint32_t uid, uint32_t gid,
    uint32_t nuid, uint32_t ngid)
{
	if (c->fsuid == 0)
		return 0;
	/* Linux chown_ok: only "to itself" by the owner. */
	if (nuid != VCRED_KEEP && !(c->fsuid == uid && nuid == uid))
		return -EPERM;
	/* chgrp_ok: the owner, to a group it is in (or the same group). */
	if (ngid != VCRED_KEEP && !(c->fsuid == uid &&
	    (ngid == gid || vcred_in_group(c, ngid))))
		return -EPERM;
	return 0;
}
