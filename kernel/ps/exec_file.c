/*
 * exec_file.c -- the executable of an execve: the kernel opens it through
 * vfsd for the caller (the path relative to the caller's cwd or to
 * execveat's dirfd, or execveat's own fd with AT_EMPTY_PATH), and loaderd
 * reads it through PROC_EXEC_FILE_BROKER with the exec ticket.  So the
 * caller's namespace (cwd, fds, /tmp) decides what runs, and loaderd,
 * which must never call vfsd for its own start-up, needs no view of it.
 *
 * The handle is one more reference of the caller's (vfsd CLOSE drops it
 * once procd answered); an AT_EMPTY_PATH fd is borrowed, not closed.
 * x permission is vfsd's ACCESS X_OK: here for the dirfd form and (of
 * the handle itself) the fd form; the caller checks the cwd/absolute
 * forms.  The caller is blocked in execve the whole time, so its fd
 * table holds.
 *
 * A dynamic executable's PT_INTERP interpreter is opened the same way,
 * for the caller, when loaderd asks (INTERP_OPEN with the absolute path
 * it read and validated): vfsd applies the caller's namespace and
 * access rules, and the handle is closed with the executable's.
 */
#include <ps/api.h>
#include <ps/internal.h>
#include <hal/api.h>
#include <ipc-runtime/api.h>
#include <mm/api.h>
#include <nucleus-core/api.h>

#include <rustos/ipc_services.h>
#include <rustos/proc_broker.h>
#include <rustos/vfs.h>

#define EBADF		9
#define EACCES		13
#define EFAULT		14
#define ENOTDIR		20
#define AT_FDCWD	(-100)
#define AT_EMPTY_PATH	0x1000
#define HDR_LEN		offsetof(struct rustos_vfs_ipc_response, payload)

/*
 * One vfsd request for pid, sent from the current task; the reply goes
 * to rs (cap bytes).  Returns the status or -errno.
 */
static long
vfs_for(uint64_t pid, struct rustos_vfs_ipc_request *rq,
    struct rustos_vfs_ipc_response *rs, size_t cap)
{
	long n;

	rq->version = VFS_IPC_ABI_VERSION;
	rq->pid = pid;
	if (rq->tid == 0)		/* a staged path set the task's */
		rq->tid = pid;
	n = ipc_kernel_call(ps_proc_current(), IPC_SERVICE_VFSD, rq,
	    sizeof(*rq), rs, cap);
	if (n < 0)
		return (n);
	if ((size_t)n < HDR_LEN || rs->version != VFS_IPC_ABI_VERSION ||
	    rs->payload_len > cap - HDR_LEN || (size_t)n < HDR_LEN +
	    (rs->status > 0 ? rs->payload_len : 0))
		return (-NC_EIO);
	return (rs->status);
}

/*
 * ACCESS of the open handle itself (VFS_ACCESS_F_HANDLE) with mode and
 * extra flags: fexecve's x permission (EXEC, X_OK: the rule the path
 * forms get) or, mode 0, just its path.  The reply names the handle's
 * absolute, normalised path, which goes to xf->abs (what /proc/self/exe
 * shows after the exec, as Linux, whatever form named the file).
 */
static long
exec_handle_access(struct ps_proc *p, struct ps_exec_file *xf, uint64_t rid,
    uint32_t flags, uint64_t mode)
{
	struct rustos_vfs_ipc_request *rq;
	struct rustos_vfs_ipc_response *rs;
	void *rep;
	long n, r;

	if ((rq = mm_kzalloc(sizeof(*rq))) == NULL)
		return (-NC_ENOMEM);
	rq->version = VFS_IPC_ABI_VERSION;
	rq->op = VFS_IPC_OP_ACCESS;
	rq->pid = (uint64_t)p->pid;
	rq->tid = (uint64_t)p->pid;
	rq->flags = VFS_ACCESS_F_HANDLE | flags;
	rq->remote_id = rid;
	rq->arg0 = mode;
	/*
	 * The reply is taken, not copied: the path may be PATH_MAX long and
	 * a buffer that size per exec would cost the usual short one.
	 */
	n = ipc_kernel_call_take(ps_proc_current(), IPC_SERVICE_VFSD, rq,
	    sizeof(*rq), &rep);
	if (n < 0)
		return (n);
	rs = rep;
	if ((size_t)n < HDR_LEN || rs->version != VFS_IPC_ABI_VERSION ||
	    rs->payload_len > (size_t)n - HDR_LEN)
		r = -NC_EIO;
	else
		r = rs->status;
	xf->abs[0] = '\0';
	if (r >= 0 && rs->payload_len > 0 && rs->payload_len <
	    sizeof(xf->abs) && rs->payload[0] == '/') {
		memcpy(xf->abs, rs->payload, rs->payload_len);
		xf->abs[rs->payload_len] = '\0';
	}
	mm_kfree(rep);
	return (r < 0 ? r : 0);
}

long
ps_exec_open_file(struct ps_proc *p, long dirfd, const char *path,
    size_t len, uint64_t flags)
{
	struct ps_exec_file *xf = ps_exec_file_of(p);
	struct rustos_vfs_ipc_request *rq;
	struct rustos_vfs_ipc_response *rs;
	struct ps_fd *f;
	long r;

	if (xf == NULL)
		return (-NC_EINVAL);
	dirfd = (int)dirfd;		/* an int in the Linux ABI */
	if (len == 0) {
		if (!(flags & AT_EMPTY_PATH))
			return (-NC_ENOENT);
		/* fexecve: the fd itself, borrowed for the load. */
		if (ps_fd_at(p, dirfd) == NULL)
			return (-EBADF);
		f = &p->fds[dirfd];
		if (f->kind != PS_FD_REMOTE ||
		    f->remote_kind != VFS_HANDLE_KIND_FILE)
			return (-EACCES);
		if ((r = exec_handle_access(p, xf, f->remote_id,
		    VFS_ACCESS_F_EXEC, 1 /* X_OK */)) < 0)
			return (r);
		xf->rid = f->remote_id;
		xf->owned = false;
		xf->set = true;
		return (0);
	}
	if (len > VFS_PATH_MAX - 1)
		return (-36);		/* ENAMETOOLONG */
	rq = mm_kzalloc(sizeof(*rq));
	rs = mm_kmalloc(HDR_LEN);
	if (rq == NULL || rs == NULL) {
		mm_kfree(rq);
		mm_kfree(rs);
		return (-NC_ENOMEM);
	}
	rq->op = VFS_IPC_OP_OPENAT;
	rq->flags = 0;			/* O_RDONLY */
	rq->dirfd = (uint64_t)AT_FDCWD;
	if (dirfd != AT_FDCWD && path[0] != '/') {
		if (ps_fd_at(p, dirfd) == NULL) {
			r = -EBADF;
			goto out;
		}
		f = &p->fds[dirfd];
		if (f->kind != PS_FD_REMOTE ||
		    f->remote_kind != VFS_HANDLE_KIND_DIR) {
			r = -ENOTDIR;
			goto out;
		}
		rq->remote_id = f->remote_id;
	}
	/* A long path is staged before each request (vfs_path.c). */
	rq->pid = (uint64_t)p->pid;
	if (rq->remote_id != 0) {
		/*
		 * execveat(dirfd, name): vfsd checks x permission of the name
		 * under that directory (the AT_FDCWD and absolute forms were
		 * checked by the caller, ps_remote_exec_access).
		 */
		rq->op = VFS_IPC_OP_ACCESS;
		rq->flags = VFS_ACCESS_F_EXEC;
		rq->arg0 = 1;			/* X_OK */
		if ((r = ps_vfs_put_paths(ps_proc_current(), rq, path, len,
		    NULL, 0)) < 0 ||
		    (r = vfs_for((uint64_t)p->pid, rq, rs, HDR_LEN)) < 0)
			goto out;
		rq->op = VFS_IPC_OP_OPENAT;
		rq->flags = 0;
		rq->arg0 = 0;
	}
	if ((r = ps_vfs_put_paths(ps_proc_current(), rq, path, len, NULL,
	    0)) < 0)
		goto out;
	r = vfs_for((uint64_t)p->pid, rq, rs, HDR_LEN);
	if (r >= 0 && rs->handle_kind != VFS_HANDLE_KIND_FILE) {
		/* A directory (or device) is not executable: EACCES. */
		uint64_t rid = rs->remote_id;

		memset(rq, 0, sizeof(*rq));
		rq->op = VFS_IPC_OP_CLOSE;
		rq->remote_id = rid;
		(void)vfs_for((uint64_t)p->pid, rq, rs, HDR_LEN);
		r = -EACCES;
	} else if (r >= 0) {
		xf->rid = rs->remote_id;
		xf->owned = true;
		xf->set = true;
		/* Only the path: an old vfsd without it leaves abs empty. */
		(void)exec_handle_access(p, xf, xf->rid, 0, 0);
		r = 0;
	}
out:
	mm_kfree(rq);
	mm_kfree(rs);
	return (r);
}

/* Drop pid's vfsd handle rid (best effort: vfsd drops it at exit too). */
static void
vfs_close_for(uint64_t pid, uint64_t rid)
{
	struct rustos_vfs_ipc_request *rq;
	struct rustos_vfs_ipc_response *rs;

	rq = mm_kzalloc(sizeof(*rq));
	rs = mm_kmalloc(HDR_LEN);
	if (rq != NULL && rs != NULL) {
		rq->op = VFS_IPC_OP_CLOSE;
		rq->remote_id = rid;
		(void)vfs_for(pid, rq, rs, HDR_LEN);
	}
	mm_kfree(rq);
	mm_kfree(rs);
}

void
ps_exec_close_file(struct ps_proc *p)
{
	struct ps_exec_file *xf = ps_exec_file_of(p);

	if (xf == NULL)
		return;
	if (xf->interp_set) {
		xf->interp_set = false;
		vfs_close_for((uint64_t)p->pid, xf->interp_rid);
	}
	if (!xf->set)
		return;
	xf->set = false;
	if (xf->owned)
		vfs_close_for((uint64_t)p->pid, xf->rid);
}

/*
 * INTERP_OPEN: the interpreter path (len bytes, absolute, no NUL; up to
 * PATH_MAX - 1, a long one staged as the executable's is, vfs_path.c)
 * opened for t through vfsd after the execve ACCESS check (X_OK of a
 * regular file), as the executable's path forms are.  A second open
 * replaces the first.
 */
static long
exec_open_interp(struct ps_proc *t, struct ps_exec_file *xf,
    uint64_t uptr, uint64_t len)
{
	struct rustos_vfs_ipc_request *rq;
	struct rustos_vfs_ipc_response *rs;
	char *path;
	uint64_t i;
	long r;

	if (len == 0 || len >= VFS_PATH_MAX)
		return (len == 0 ? -NC_EINVAL : -36 /* ENAMETOOLONG */);
	rq = mm_kzalloc(sizeof(*rq));
	rs = mm_kmalloc(HDR_LEN);
	path = mm_kmalloc((size_t)len);
	if (rq == NULL || rs == NULL || path == NULL) {
		mm_kfree(rq);
		mm_kfree(rs);
		mm_kfree(path);
		return (-NC_ENOMEM);
	}
	if (!mm_user_range_ok(uptr, len) ||
	    hal_copy_from_user(path, uptr, (size_t)len) != 0) {
		r = -EFAULT;
		goto out;
	}
	for (i = 0; i < len && path[i] != '\0'; i++)
		;
	if (path[0] != '/' || i != len) {
		r = -NC_EINVAL;
		goto out;
	}
	if (xf->interp_set) {
		xf->interp_set = false;
		vfs_close_for((uint64_t)t->pid, xf->interp_rid);
	}
	rq->pid = (uint64_t)t->pid;
	rq->dirfd = (uint64_t)AT_FDCWD;
	rq->op = VFS_IPC_OP_ACCESS;
	rq->flags = VFS_ACCESS_F_EXEC;
	rq->arg0 = 1;			/* X_OK */
	/* A long path is staged before each request (vfs_path.c). */
	if ((r = ps_vfs_put_paths(ps_proc_current(), rq, path, (size_t)len,
	    NULL, 0)) < 0 ||
	    (r = vfs_for((uint64_t)t->pid, rq, rs, HDR_LEN)) < 0)
		goto out;
	rq->op = VFS_IPC_OP_OPENAT;
	rq->flags = 0;			/* O_RDONLY */
	rq->arg0 = 0;
	if ((r = ps_vfs_put_paths(ps_proc_current(), rq, path, (size_t)len,
	    NULL, 0)) < 0 ||
	    (r = vfs_for((uint64_t)t->pid, rq, rs, HDR_LEN)) < 0)
		goto out;
	if (rs->handle_kind != VFS_HANDLE_KIND_FILE) {
		vfs_close_for((uint64_t)t->pid, rs->remote_id);
		r = -EACCES;
		goto out;
	}
	xf->interp_rid = rs->remote_id;
	xf->interp_set = true;
	r = 0;
out:
	mm_kfree(rq);
	mm_kfree(rs);
	mm_kfree(path);
	return (r);
}

/* PROC_EXEC_FILE_BROKER (gate PROCESS_LOADER). */
long
ex_sys_proc_exec_file_broker(uint64_t uargs, uint64_t a1, uint64_t a2,
    uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct rustos_proc_exec_file_args a;
	struct rustos_vfs_ipc_request *rq;
	struct rustos_vfs_ipc_response *rs;
	struct ps_exec_file *xf;
	struct ps_proc *t;
	uint64_t rid;
	uint32_t mode, op;
	int64_t size;
	long r;

	if (hal_copy_from_user(&a, uargs, sizeof(a)) != 0)
		return (-EFAULT);
	if ((t = ps_exec_by_ticket(a.ticket)) == NULL)
		return (-NC_EINVAL);
	if ((xf = ps_exec_file_of(t)) == NULL || !xf->set)
		return (-NC_ENOENT);
	if (a.op < PROC_EXEC_FILE_OP_INFO ||
	    a.op > PROC_EXEC_FILE_OP_INTERP_READ)
		return (-NC_EINVAL);
	if (a.op == PROC_EXEC_FILE_OP_INTERP_OPEN)
		return (exec_open_interp(t, xf, a.buf_ptr, a.buf_len));
	/* INTERP_INFO/INTERP_READ: INFO/READ of the interpreter. */
	if (a.op >= PROC_EXEC_FILE_OP_INTERP_INFO) {
		if (!xf->interp_set)
			return (-NC_EINVAL);
		rid = xf->interp_rid;
		op = a.op - (PROC_EXEC_FILE_OP_INTERP_INFO -
		    PROC_EXEC_FILE_OP_INFO);
	} else {
		rid = xf->rid;
		op = a.op;
	}
	if (op == PROC_EXEC_FILE_OP_READ &&
	    (a.buf_len > PROC_EXEC_FILE_READ_MAX ||
	    !mm_user_range_ok(a.buf_ptr, a.buf_len)))
		return (a.buf_len > PROC_EXEC_FILE_READ_MAX ? -NC_EINVAL :
		    -EFAULT);
	rq = mm_kzalloc(sizeof(*rq));
	rs = mm_kmalloc(sizeof(*rs));
	if (rq == NULL || rs == NULL) {
		mm_kfree(rq);
		mm_kfree(rs);
		return (-NC_ENOMEM);
	}
	rq->remote_id = rid;
	if (op == PROC_EXEC_FILE_OP_INFO) {
		rq->op = VFS_IPC_OP_FSTAT;
		r = vfs_for((uint64_t)t->pid, rq, rs, sizeof(*rs));
		if (r >= 0 && rs->payload_len < 144)
			r = -NC_EIO;
		if (r >= 0) {
			/* Linux x86_64 struct stat: st_mode @24, st_size @48. */
			memcpy(&mode, rs->payload + 24, 4);
			memcpy(&size, rs->payload + 48, 8);
			a.mode = mode;
			a.size = size < 0 ? 0 : (uint64_t)size;
			a.stack_limit = t->stack_limit;
			r = hal_copy_to_user(uargs, &a, sizeof(a)) != 0 ?
			    -EFAULT : 0;
		}
	} else {
		rq->op = VFS_IPC_OP_PREAD64;
		rq->arg0 = a.offset;
		rq->arg1 = a.buf_len;
		r = vfs_for((uint64_t)t->pid, rq, rs, sizeof(*rs));
		if (r > 0 && ((uint64_t)r > a.buf_len ||
		    (uint64_t)r > rs->payload_len))
			r = -NC_EIO;
		if (r > 0 && hal_copy_to_user(a.buf_ptr, rs->payload,
		    (size_t)r) != 0)
			r = -EFAULT;
	}
	mm_kfree(rq);
	mm_kfree(rs);
	return (r);
}
