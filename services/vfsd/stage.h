/*
 * stage.h -- vfsd's staged long paths (VFS_IPC_OP_PATH_STAGE, see
 * rustos/vfs.h): per-(pid, tid) buffers holding the leading bytes of a
 * path longer than the request's path[] (or payload[]), which the next
 * path op of that thread consumes.
 */
#ifndef SERVICES_VFSD_STAGE_H
#define SERVICES_VFSD_STAGE_H

#include <stddef.h>
#include <stdint.h>

#include <rustos/vfs.h>

typedef long (*stage_handler)(void *ctx, const void *req, size_t len,
    void *resp, size_t cap);

/* PATH_STAGE: append one chunk to the caller's stage. */
long	stage_op(void *ctx, const void *req, size_t len, void *resp,
	    size_t cap);
/*
 * Run path op fn for req: without staged marks (arg3) the thread's stage
 * (if any) is dropped and fn sees req as it is; with them fn sees a copy
 * with arg3 0 while stage_prefix answers the staged bytes, and the stage
 * is consumed.  -EINVAL for a mark without its stage,
 * -ENAMETOOLONG when prefix + tail exceed VFS_PATH_MAX - 1.
 */
long	stage_call(stage_handler fn, void *ctx, const void *req, size_t len,
	    void *resp, size_t cap);
/*
 * The staged prefix of field (q->path or q->payload of the request the
 * running op got) and its length in *len; NULL (and 0) when none.
 */
const char *stage_prefix(const struct rustos_vfs_ipc_request *q,
	    const uint8_t *field, size_t *len);
/* Drop every stage of pid (LIFECYCLE EXIT). */
void	stage_drop_pid(uint64_t pid);

#endif /* SERVICES_VFSD_STAGE_H */
