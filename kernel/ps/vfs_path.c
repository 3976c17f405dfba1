/*
 * vfs_path.c -- long paths to vfsd within the pinned request layout
 * (rustos/vfs.h, "Long paths"): a path up to VFS_IPC_PATH_MAX bytes goes
 * into the request as it is, with no extra message (the common case).  A
 * longer one (up to VFS_PATH_MAX - 1) leaves its last VFS_IPC_PATH_MAX
 * bytes in the request and sends the leading bytes first as PATH_STAGE
 * chunks; the request then carries VFS_IPC_STAGED_PATH in arg3.  The
 * same for a second path in payload[] (VFS_IPC_STAGED_PAYLOAD).  The stage is
 * keyed by (pid, tid): tid is the current task, so two threads of one
 * process never mix their chunks.  Paths here come from user memory
 * already copied (path_from_user): no NUL inside.
 */
#include <ps/api.h>
#include <ipc-runtime/api.h>
#include <mm/api.h>
#include <nucleus-core/api.h>

#include <rustos/ipc_services.h>
#include <rustos/vfs.h>

#define ENAMETOOLONG	36
#define HDR_LEN		offsetof(struct rustos_vfs_ipc_response, payload)

/* Send the first len bytes of s as the stage `which` of rq's thread. */
static long
stage_send(struct ps_proc *via, const struct rustos_vfs_ipc_request *rq,
    uint64_t which, const char *s, size_t len)
{
	struct rustos_vfs_ipc_request *st;
	uint8_t rep[HDR_LEN];
	uint16_t version;
	int32_t status;
	size_t off, n;
	long r = 0;

	if ((st = mm_kzalloc(sizeof(*st))) == NULL)
		return (-NC_ENOMEM);
	for (off = 0; off < len && r == 0; off += n) {
		n = len - off > VFS_IPC_PATH_MAX ? VFS_IPC_PATH_MAX :
		    len - off;
		memset(st, 0, sizeof(*st));
		st->version = VFS_IPC_ABI_VERSION;
		st->op = VFS_IPC_OP_PATH_STAGE;
		st->pid = rq->pid;
		st->tid = rq->tid;
		st->dirfd = (uint64_t)-100;
		st->arg0 = which;
		st->arg1 = off;
		st->path_len = (uint32_t)n;
		memcpy(st->path, s + off, n);
		r = ipc_kernel_call(via, IPC_SERVICE_VFSD, st, sizeof(*st), rep,
		    sizeof(rep));
		if (r < 0)
			break;
		if ((size_t)r < HDR_LEN) {
			r = -NC_EIO;
			break;
		}
		memcpy(&version, rep, sizeof(version));
		memcpy(&status, rep + offsetof(struct rustos_vfs_ipc_response,
		    status), sizeof(status));
		r = version != VFS_IPC_ABI_VERSION ? -NC_EIO : status;
	}
	mm_kfree(st);
	return (r < 0 ? r : 0);
}

long
ps_vfs_put_paths(struct ps_proc *via, struct rustos_vfs_ipc_request *rq,
    const char *path, size_t len, const char *second, size_t len2)
{
	size_t pre = 0, pre2 = 0;
	long r;

	if (len > VFS_PATH_MAX - 1 || len2 > VFS_PATH_MAX - 1)
		return (-ENAMETOOLONG);
	if (len > VFS_IPC_PATH_MAX)
		pre = len - VFS_IPC_PATH_MAX;
	if (second != NULL && len2 > VFS_IPC_REQ_PAYLOAD_MAX)
		pre2 = len2 - VFS_IPC_REQ_PAYLOAD_MAX;
	if (pre > 0 || pre2 > 0) {
		rq->tid = (uint64_t)ps_current_task_id();
		if (pre > 0 && (r = stage_send(via, rq, VFS_STAGE_PATH, path,
		    pre)) < 0)
			return (r);
		if (pre2 > 0 && (r = stage_send(via, rq, VFS_STAGE_PAYLOAD,
		    second, pre2)) < 0)
			return (r);
	}
	rq->arg3 = (pre > 0 ? VFS_IPC_STAGED_PATH : 0) |
	    (pre2 > 0 ? VFS_IPC_STAGED_PAYLOAD : 0);
	memcpy(rq->path, path + pre, len - pre);
	rq->path_len = (uint32_t)(len - pre);
	if (second != NULL) {
		memcpy(rq->payload, second + pre2, len2 - pre2);
		rq->payload_len = (uint32_t)(len2 - pre2);
	}
	return (0);
}
