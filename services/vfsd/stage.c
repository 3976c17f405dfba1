/*
 * stage.c -- staged long paths (see stage.h and rustos/vfs.h): a path
 * longer than VFS_IPC_PATH_MAX reaches vfsd as PATH_STAGE chunks of its
 * leading bytes followed by the op carrying the tail.
 *
 * Invariants: a stage belongs to one (pid, tid); its buffers hold at most
 * VFS_PATH_MAX - 1 bytes; it lives from its first chunk to the next path
 * op of that thread (consumed or dropped), the exit of its pid, or its
 * eviction when every slot is taken (the oldest goes: its op then fails
 * with -EINVAL instead of seeing a wrong path).  vfsd is single-threaded,
 * so the "running op" state is plain statics.
 */
#include <errno.h>
#include <string.h>

#include "services/vfsd/stage.h"

#define STAGE_SLOTS	8
#define STAGE_CAP	(VFS_PATH_MAX - 1)	/* bytes, no NUL */

static struct stage {
	uint64_t	pid;		/* 0: free */
	uint64_t	tid;
	uint64_t	age;		/* eviction order */
	size_t		len[2];		/* VFS_STAGE_PATH, VFS_STAGE_PAYLOAD */
	char		buf[2][STAGE_CAP];
} stages[STAGE_SLOTS];
static uint64_t stage_clock;

/* The op running with a stage: its request copy, stage and flags. */
static const struct rustos_vfs_ipc_request *run_q;
static const struct stage *run_s;
static uint64_t run_flags;

static struct stage *
stage_find(uint64_t pid, uint64_t tid)
{
	size_t i;

	for (i = 0; i < STAGE_SLOTS; i++)
		if (stages[i].pid == pid && stages[i].tid == tid)
			return &stages[i];
	return NULL;
}

static void
stage_drop(struct stage *s)
{
	s->pid = 0;
	s->tid = 0;
	s->len[0] = s->len[1] = 0;
}

void
stage_drop_pid(uint64_t pid)
{
	size_t i;

	for (i = 0; i < STAGE_SLOTS; i++)
		if (pid != 0 && stages[i].pid == pid)
			stage_drop(&stages[i]);
}

long
stage_op(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	struct stage *s;
	size_t i, old = 0;
	uint64_t which = q->arg0, off = q->arg1;

	(void)ctx;
	(void)len;
	(void)cap;
	if (q->pid == 0 || which > VFS_STAGE_PAYLOAD || q->path_len == 0 ||
	    q->path_len > VFS_IPC_PATH_MAX || q->flags != 0)
		return -EINVAL;
	if (memchr(q->path, '\0', q->path_len) != NULL)
		return -EINVAL;
	if ((s = stage_find(q->pid, q->tid)) == NULL) {
		if (off != 0)
			return -EINVAL;
		for (i = 0; i < STAGE_SLOTS; i++) {
			if (stages[i].pid == 0)
				break;
			if (stages[i].age < stages[old].age)
				old = i;
		}
		s = &stages[i == STAGE_SLOTS ? old : i];
		stage_drop(s);
		s->pid = q->pid;
		s->tid = q->tid;
	}
	if (off == 0)
		s->len[which] = 0;
	if (off != s->len[which]) {
		stage_drop(s);
		return -EINVAL;
	}
	if (off + q->path_len > STAGE_CAP) {
		stage_drop(s);
		return -ENAMETOOLONG;
	}
	memcpy(s->buf[which] + off, q->path, q->path_len);
	s->len[which] = (size_t)off + q->path_len;
	s->age = ++stage_clock;
	o->status = 0;
	o->value = s->len[which];
	return (long)offsetof(struct rustos_vfs_ipc_response, payload);
}

long
stage_call(stage_handler fn, void *ctx, const void *req, size_t len,
    void *resp, size_t cap)
{
	static struct rustos_vfs_ipc_request qc;
	const struct rustos_vfs_ipc_request *q = req;
	uint64_t sf = q->arg3;
	struct stage *s = stage_find(q->pid, q->tid);
	long r;

	if (sf == 0) {
		/* A path op without the marks: a stale stage goes. */
		if (s != NULL && q->pid != 0)
			stage_drop(s);
		return fn(ctx, req, len, resp, cap);
	}
	if (s == NULL || q->pid == 0 || (sf & ~(uint64_t)(VFS_IPC_STAGED_PATH |
	    VFS_IPC_STAGED_PAYLOAD)) != 0)
		return -EINVAL;
	if (((sf & VFS_IPC_STAGED_PATH) && s->len[VFS_STAGE_PATH] == 0) ||
	    ((sf & VFS_IPC_STAGED_PAYLOAD) &&
	    s->len[VFS_STAGE_PAYLOAD] == 0)) {
		stage_drop(s);
		return -EINVAL;
	}
	if (((sf & VFS_IPC_STAGED_PATH) && (q->path_len == 0 ||
	    q->path_len > VFS_IPC_PATH_MAX)) ||
	    ((sf & VFS_IPC_STAGED_PAYLOAD) && (q->payload_len == 0 ||
	    q->payload_len > VFS_IPC_REQ_PAYLOAD_MAX))) {
		stage_drop(s);
		return -EINVAL;
	}
	if (((sf & VFS_IPC_STAGED_PATH) && s->len[VFS_STAGE_PATH] +
	    q->path_len > STAGE_CAP) || ((sf & VFS_IPC_STAGED_PAYLOAD) &&
	    s->len[VFS_STAGE_PAYLOAD] + q->payload_len > STAGE_CAP)) {
		stage_drop(s);
		return -ENAMETOOLONG;
	}
	memcpy(&qc, q, sizeof(qc));
	qc.arg3 = 0;
	run_q = &qc;
	run_s = s;
	run_flags = sf;
	r = fn(ctx, &qc, len, resp, cap);
	run_q = NULL;
	run_s = NULL;
	run_flags = 0;
	stage_drop(s);
	return r;
}

const char *
stage_prefix(const struct rustos_vfs_ipc_request *q, const uint8_t *field,
    size_t *len)
{
	*len = 0;
	if (run_s == NULL || q != run_q)
		return NULL;
	if (field == q->path && (run_flags & VFS_IPC_STAGED_PATH)) {
		*len = run_s->len[VFS_STAGE_PATH];
		return run_s->buf[VFS_STAGE_PATH];
	}
	if (field == q->payload && (run_flags & VFS_IPC_STAGED_PAYLOAD)) {
		*len = run_s->len[VFS_STAGE_PAYLOAD];
		return run_s->buf[VFS_STAGE_PAYLOAD];
	}
	return NULL;
}
