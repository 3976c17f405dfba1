/*
 * remote.c -- the fd-table side of vfsd-owned files (PS_FD_REMOTE): the
 * kernel asks vfsd before its fd table changes (close, dup, F_GETFL/
 * F_SETFL, exec's FD_CLOEXEC) and tells it about fork and exit, so a
 * remote fd mirrors one reference to a vfsd handle (an open file
 * description: cursor, status flags).  Dups and forked children name the
 * same handle and so share its cursor (docs/ai/bootstrap.md, "vfsd file
 * descriptions").
 *
 * All requests here are header-only VfsIpcRequests forwarded by the
 * kernel; the replies are read up to their fixed header (40 bytes).
 */
#include <ps/api.h>
#include <ipc-runtime/api.h>
#include <mm/api.h>
#include <nucleus-core/api.h>

#include <rustos/ipc_services.h>
#include <rustos/vfs.h>

#define EBADF		9
#define HDR_LEN		offsetof(struct rustos_vfs_ipc_response, payload)

/*
 * One request for pid `pid`, sent from the current task `via` (the
 * caller itself, or procd's task during a fork).  Returns the reply
 * status (negative errno; -EAGAIN without vfsd) and *value.
 */
static long
vfs_path_call(struct ps_proc *via, uint64_t pid, uint16_t op, uint32_t flags,
    uint64_t rid, uint64_t a0, uint64_t a1, uint64_t *value,
    const char *path, size_t path_len)
{
	struct rustos_vfs_ipc_request *rq;
	const uint8_t *rep;
	void *buf;
	uint16_t version;
	int32_t status;
	long n;

	/*
	 * vfsd itself (holding a vfsd fd someone sent it) must not call
	 * itself: it would wait for its own reply.  It holds no reference.
	 */
	if (via == NULL || (via->caps & IPC_SERVICE_CAP_VFS_POLICY) != 0)
		return (-EBADF);
	if ((rq = mm_kzalloc(sizeof(*rq))) == NULL)
		return (-NC_ENOMEM);
	rq->version = VFS_IPC_ABI_VERSION;
	rq->op = op;
	rq->flags = flags;
	rq->pid = pid;
	rq->tid = pid;
	rq->remote_id = rid;
	rq->dirfd = (uint64_t)-100;
	rq->arg0 = a0;
	rq->arg1 = a1;
	/* A long path is staged first (vfs_path.c); short: no extra call. */
	if (path_len > 0 && (n = ps_vfs_put_paths(via, rq, path, path_len,
	    NULL, 0)) < 0) {
		mm_kfree(rq);
		return (n);
	}
	/* rq becomes the message; vfsd's reply buffer comes back as is. */
	n = ipc_kernel_call_take(via, IPC_SERVICE_VFSD, rq, sizeof(*rq), &buf);
	if (n < 0)
		return (n);
	rep = buf;
	if ((size_t)n < HDR_LEN) {
		mm_kfree(buf);
		return (-NC_EIO);
	}
	memcpy(&version, rep, sizeof(version));
	memcpy(&status, rep + offsetof(struct rustos_vfs_ipc_response, status),
	    sizeof(status));
	if (version == VFS_IPC_ABI_VERSION && value != NULL)
		memcpy(value, rep + offsetof(struct rustos_vfs_ipc_response,
		    value), sizeof(*value));
	mm_kfree(buf);
	if (version != VFS_IPC_ABI_VERSION)
		return (-NC_EIO);
	return (status);
}

static long
vfs_hdr_call(struct ps_proc *via, uint64_t pid, uint16_t op, uint32_t flags,
    uint64_t rid, uint64_t a0, uint64_t a1, uint64_t *value)
{
	return (vfs_path_call(via, pid, op, flags, rid, a0, a1, value, NULL,
	    0));
}

/* Policy callers never hold vfsd fds, nor a vfsd cwd. */
static bool
uses_vfsd(const struct ps_proc *p)
{
	return (!p->bootstrap && p->caps == 0 && !p->service_image);
}

long
ps_remote_call(struct ps_proc *p, uint16_t op, uint32_t flags, uint64_t rid,
    uint64_t a0, uint64_t a1, uint64_t *value)
{
	return (vfs_hdr_call(p, (uint64_t)p->pid, op, flags, rid, a0, a1,
	    value));
}

long
ps_remote_close(struct ps_proc *p, struct ps_fd *f)
{
	long r = 0;

	if (f->kind == PS_FD_REMOTE)
		r = ps_remote_call(p, VFS_IPC_OP_CLOSE, 0, f->remote_id, 0, 0,
		    NULL);
	ps_fd_drop(f);
	return (r);
}

long
ps_remote_dup(struct ps_proc *p, const struct ps_fd *f)
{
	return (ps_remote_call(p, VFS_IPC_OP_DUP, 0, f->remote_id, 0, 0,
	    NULL));
}

long
ps_remote_fork(struct ps_proc *parent, long child)
{
	if (!uses_vfsd(parent))
		return (-NC_EPERM);
	return (vfs_hdr_call(ps_proc_current(), (uint64_t)parent->pid,
	    VFS_IPC_OP_LIFECYCLE, 0, 0, VFS_LIFECYCLE_FORK, (uint64_t)child,
	    NULL));
}

long
ps_remote_share(struct ps_proc *to, long from_pid, const struct ps_fd *f)
{
	/*
	 * Only app receivers: a service neither uses vfsd fds nor sends
	 * vfsd an exit notice (the reference would outlive it), and vfsd
	 * must not call itself.  They keep a copy without a reference.
	 */
	if (!uses_vfsd(to))
		return (-NC_EPERM);
	return (vfs_hdr_call(to, (uint64_t)from_pid, VFS_IPC_OP_LIFECYCLE, 0,
	    f->remote_id, VFS_LIFECYCLE_SHARE, (uint64_t)to->pid, NULL));
}

/*
 * An SCM_RIGHTS snapshot of p's vfsd fd f: the in-flight reference is
 * held by PS_RIGHTS_HOLDER_PID (no process has it), not by p, so p's
 * exit (LIFECYCLE EXIT drops every reference of p) leaves the open file
 * description alive until the message is read or discarded.
 */
long
ps_remote_park(struct ps_proc *p, const struct ps_fd *f)
{
	if (!uses_vfsd(p))
		return (-NC_EPERM);
	return (vfs_hdr_call(p, (uint64_t)p->pid, VFS_IPC_OP_LIFECYCLE, 0,
	    f->remote_id, VFS_LIFECYCLE_SHARE, (uint64_t)PS_RIGHTS_HOLDER_PID,
	    NULL));
}

void
ps_remote_exit(struct ps_proc *p)
{
	unsigned fd;
	long r = 0;

	if (!uses_vfsd(p))
		return;
	/* From the current task: p itself, or procd undoing a fork. */
	r = vfs_hdr_call(ps_proc_current(), (uint64_t)p->pid,
	    VFS_IPC_OP_LIFECYCLE, 0, 0, VFS_LIFECYCLE_EXIT, 0, NULL);
	if (r < 0)
		nc_warn(PROCESS, "process %ld: vfsd exit notice failed (%ld)",
		    p->pid, r);
	for (fd = 0; fd < p->fd_cap; fd++)
		if (p->fds[fd].kind == PS_FD_REMOTE)
			ps_fd_drop(&p->fds[fd]);
}

void
ps_remote_exec_cloexec(struct ps_proc *p)
{
	unsigned fd;

	for (fd = 0; fd < p->fd_cap; fd++)
		if (p->fds[fd].kind == PS_FD_REMOTE &&
		    (p->fds[fd].fd_flags & PS_FD_CLOEXEC))
			(void)ps_remote_close(p, &p->fds[fd]);
}

long
ps_remote_exec_access(struct ps_proc *p, const char *path, size_t len)
{
	if (!uses_vfsd(p))
		return (0);
	return (vfs_path_call(p, (uint64_t)p->pid, VFS_IPC_OP_ACCESS,
	    VFS_ACCESS_F_EXEC, 0, 1 /* X_OK */, 0, NULL, path, len));
}

long
ps_remote_exec_commit(struct ps_proc *p, uint64_t rid)
{
	if (!uses_vfsd(p))
		return (0);
	return (vfs_hdr_call(p, (uint64_t)p->pid, VFS_IPC_OP_LIFECYCLE, 0, rid,
	    VFS_LIFECYCLE_EXEC, 0, NULL));
}

long
ps_remote_unref(struct ps_proc *via, long pid, uint64_t rid)
{
	if (via == NULL || !uses_vfsd(via))
		return (-NC_EPERM);
	return (vfs_hdr_call(via, (uint64_t)pid, VFS_IPC_OP_CLOSE, 0, rid, 0,
	    0, NULL));
}
