/*
 * creds.h -- vfsd's per-pid cache of Linux credentials and the
 * permission rules judged with them (pure; host-testable).
 *
 * syscalld owns the credentials (services/syscalld/creds.c) and pushes
 * every change here (VFS_IPC_OP_CREDS) before it answers the set*id
 * call, so the next file request of that process already sees them.  A
 * fork copies the parent's entry (LIFECYCLE FORK), an exit drops it.  A
 * pid without an entry never changed its ids: the request's own
 * uid/gid/euid/egid (the kernel's view, root) judge it, so the common
 * case costs no IPC at all.
 */
#ifndef SERVICES_VFSD_CREDS_H
#define SERVICES_VFSD_CREDS_H

#include <stdint.h>

#include <rustos/vfs.h>

#define VCRED_MAX_PROCS	256
#define VCRED_KEEP	0xffffffffu	/* chown: -1 leaves an id alone */

/* The entry of pid, or NULL. */
const struct rustos_vfs_creds *vcred_find(uint64_t pid);
/*
 * Validate and store c for pid: -EINVAL (pid 0, ngroups over the max,
 * reserved0 set), -ENOMEM (the table is full).
 */
int	vcred_set(uint64_t pid, const struct rustos_vfs_creds *c);
/*
 * fork: child gets a copy of parent's entry (nothing when the parent has
 * none).  -ENOMEM when the table is full: the caller must fail the fork,
 * or the child would run as root.
 */
int	vcred_fork(uint64_t parent, uint64_t child);
void	vcred_drop(uint64_t pid);
/* Forget everything (host tests). */
void	vcred_reset(void);

/* Whether gid is c's fsgid or one of its supplementary groups. */
int	vcred_in_group(const struct rustos_vfs_creds *c, uint32_t gid);
/*
 * Linux's permission rule for a node (uid, gid, mode bits 07777, dir or
 * not): want = R_OK|W_OK|X_OK judged with c's fs ids.  fsuid 0 may read
 * and write anything, search any directory and execute a file with at
 * least one x bit.  Others: the owner class if fsuid owns it, else the
 * group class if in the group, else other.  0 or -EACCES.
 */
int	vcred_perm(const struct rustos_vfs_creds *c, uint32_t uid, uint32_t gid,
	    uint32_t mode, int dir, int want);
/*
 * May c remove or rename the entry owned by victim_uid from a directory
 * (dir_uid, dir_mode)?  The sticky bit (01000) allows it only to root,
 * the entry's owner and the directory's owner: 0 or -EPERM.
 */
int	vcred_sticky(const struct rustos_vfs_creds *c, uint32_t dir_uid,
	    uint32_t dir_mode, uint32_t victim_uid);
/*
 * chown policy: may c change a node owned by (uid, gid) to (nuid, ngid)
 * (VCRED_KEEP: unchanged)?  Only root changes the owner; the owner may
 * change the group to one of its groups.  0 or -EPERM.
 */
int	vcred_may_chown(const struct rustos_vfs_creds *c, uint32_t uid,
	    uint32_t gid, uint32_t nuid, uint32_t ngid);

#endif /* SERVICES_VFSD_CREDS_H */
