/*
 * ops.c -- vfsd's request handlers: the read-only namespace of the boot
 * modules (bootfs) for the kernel's file syscall forwarding: OPENAT,
 * READ/PREAD64, FSTAT, CLOSE and GETDENTS64 (struct
 * rustos_vfs_ipc_request/response, conventions in docs/ai/bootstrap.md).
 * The bootfs broker is a function pointer so host tests can fake it.
 * Once the FAT boot volume is mounted (fat.c) it serves "/" instead of
 * bootfs: lookups, reads and directory listings go through lib/fatfs, a
 * corrupt structure fails only that file with -EIO.
 *
 * Remote ids are vfsd's own: a handle records the owning pid, and a request
 * naming another pid's handle is refused (-EBADF) -- requests are hostile.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rustos/bootfs.h>
#include <rustos/ipc.h>
#include <rustos/vfs.h>

#include "services/common/svc.h"
#include "services/vfsd/ns.h"
#include "services/vfsd/vfsd.h"

#define MAX_ENTRIES	1024
#define MAX_HANDLES	256

struct handle {
	uint64_t	pid;		/* 0: free */
	int		kind;		/* VFS_HANDLE_KIND_FILE / _DIR */
	size_t		idx;		/* file: namespace entry */
	char		path[NS_PATH_MAX];
	int		fat;		/* served from the FAT volume */
	struct fatfs_node node;
	struct fatfs_file file;
	struct fatfs_dir dir;
};

static struct ns ns;
static long (*bootfs)(struct rustos_bootfs_broker_args *);
static struct handle handles[MAX_HANDLES];
/* Defined here, not in fat.c, so host tests of ops.c need no broker. */
struct fatfs vfsd_fat;
int vfsd_fat_mounted;

void
vfsd_load(long (*broker)(struct rustos_bootfs_broker_args *))
{
	struct rustos_bootfs_broker_args a;
	char name[NS_PATH_MAX];
	uint64_t i;
	long r;

	bootfs = broker;
	free(ns.e);
	ns.n = 0;
	memset(handles, 0, sizeof(handles));
	ns.e = calloc(MAX_ENTRIES, sizeof(*ns.e));
	if (ns.e == NULL)
		return;
	for (i = 0; i < MAX_ENTRIES; i++) {
		memset(&a, 0, sizeof(a));
		memset(name, 0, sizeof(name));
		a.op = BOOTFS_BROKER_OP_LIST;
		a.index = i;
		a.buf_ptr = (uint64_t)(uintptr_t)name;
		a.buf_len = sizeof(name) - 1;
		r = bootfs(&a);
		if (r < 0)
			break;
		name[sizeof(name) - 1] = '\0';
		if (ns_normalize(name, strnlen(name, sizeof(name)),
		    ns.e[ns.n].path, NS_PATH_MAX) < 0)
			continue;
		ns.e[ns.n].size = a.value;
		ns.e[ns.n].index = i;
		ns.n++;
	}
	svc_log(SVC_LOG_INFO, "bootfs: %zu entries", ns.n);
}

static struct handle *
get_handle(const struct rustos_vfs_ipc_request *q)
{
	struct handle *h;

	if (q->remote_id == 0 || q->remote_id > MAX_HANDLES)
		return NULL;
	h = &handles[q->remote_id - 1];
	return h->pid != 0 && h->pid == q->pid ? h : NULL;
}

static long
fat_open(const struct rustos_vfs_ipc_request *q,
    struct rustos_vfs_ipc_response *o, struct handle *h, size_t i,
    const char *norm)
{
	int r;

	memset(h, 0, sizeof(*h));
	r = fatfs_lookup(&vfsd_fat, norm, &h->node);
	if (r < 0)
		return r;
	if (h->node.attr & FATFS_ATTR_DIR) {
		if ((r = fatfs_opendir(&vfsd_fat, &h->node, &h->dir)) < 0)
			return r;
		h->kind = VFS_HANDLE_KIND_DIR;
	} else {
		if (q->flags & O_DIRECTORY)
			return -ENOTDIR;
		if ((r = fatfs_open(&vfsd_fat, &h->node, &h->file)) < 0)
			return r;
		h->kind = VFS_HANDLE_KIND_FILE;
	}
	h->fat = 1;
	h->pid = q->pid;
	memcpy(h->path, norm, strlen(norm) + 1);
	o->status = 0;
	o->handle_kind = (uint16_t)h->kind;
	o->remote_id = i + 1;
	o->value = h->kind == VFS_HANDLE_KIND_FILE ? h->node.size : 0;
	return (long)offsetof(struct rustos_vfs_ipc_response, payload);
}

static long
h_openat(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	char norm[NS_PATH_MAX];
	size_t idx = 0, i;
	int kind, r;

	if (q->pid == 0 || q->path_len == 0 || q->path_len > VFS_IPC_PATH_MAX)
		return -EINVAL;
	/* Read-only namespace: any write access or creation is refused. */
	if ((q->flags & O_ACCMODE) != O_RDONLY ||
	    (q->flags & (O_CREAT | O_TRUNC | O_APPEND)))
		return -EROFS;
	r = ns_normalize((const char *)q->path, q->path_len, norm, sizeof(norm));
	if (r < 0)
		return r;
	for (i = 0; i < MAX_HANDLES; i++)
		if (handles[i].pid == 0)
			break;
	if (i == MAX_HANDLES)
		return -ENFILE;
	if (vfsd_fat_mounted)
		return fat_open(q, o, &handles[i], i, norm);
	kind = ns_resolve(&ns, norm, &idx);
	if (kind < 0)
		return kind;
	if (kind == 1 && (q->flags & O_DIRECTORY))
		return -ENOTDIR;
	handles[i].pid = q->pid;
	handles[i].kind = kind == 1 ? VFS_HANDLE_KIND_FILE : VFS_HANDLE_KIND_DIR;
	handles[i].idx = idx;
	memcpy(handles[i].path, norm, sizeof(norm));
	o->status = 0;
	o->handle_kind = (uint16_t)handles[i].kind;
	o->remote_id = i + 1;
	o->value = kind == 1 ? ns.e[idx].size : 0;
	return (long)offsetof(struct rustos_vfs_ipc_response, payload);
}

static long
h_read(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	struct rustos_bootfs_broker_args a;
	struct handle *h = get_handle(q);
	uint64_t size, off = q->arg0, count = q->arg1;
	long r;

	if (h == NULL)
		return -EBADF;
	if (h->kind != VFS_HANDLE_KIND_FILE)
		return -EISDIR;
	if (count > VFS_IPC_RESP_PAYLOAD_MAX)
		count = VFS_IPC_RESP_PAYLOAD_MAX;
	if (h->fat) {
		r = fatfs_pread(&vfsd_fat, &h->file, o->payload, count, off);
		if (r < 0)
			return r;
		count = (uint64_t)r;
		goto done;
	}
	size = ns.e[h->idx].size;
	if (off >= size)
		count = 0;
	else if (count > size - off)
		count = size - off;
	if (count != 0) {
		memset(&a, 0, sizeof(a));
		a.op = BOOTFS_BROKER_OP_READ;
		a.index = ns.e[h->idx].index;
		a.offset = off;
		a.buf_ptr = (uint64_t)(uintptr_t)o->payload;
		a.buf_len = count;
		r = bootfs(&a);
		if (r < 0)
			return r;
		if ((uint64_t)r < count)
			count = (uint64_t)r;
	}
done:
	o->status = (int32_t)count;
	o->payload_len = (uint32_t)count;
	o->remote_id = q->remote_id;
	o->value = off + count;
	return (long)(offsetof(struct rustos_vfs_ipc_response, payload) + count);
}

static long
h_fstat(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	struct handle *h = get_handle(q);
	struct stat st;

	if (h == NULL)
		return -EBADF;
	memset(&st, 0, sizeof(st));
	st.st_nlink = 1;
	st.st_blksize = 4096;
	if (h->fat) {
		st.st_mode = h->node.mode;
		st.st_ino = h->node.ino;
		st.st_size = (off_t)h->node.size;
		st.st_blocks = (blkcnt_t)((h->node.size + 511) / 512);
		st.st_nlink = h->kind == VFS_HANDLE_KIND_DIR ? 2 : 1;
		st.st_mtim.tv_sec = h->node.mtime;
		st.st_atim.tv_sec = h->node.atime;
		st.st_ctim.tv_sec = h->node.mtime;
	} else if (h->kind == VFS_HANDLE_KIND_FILE) {
		st.st_mode = S_IFREG | 0444;
		st.st_size = (off_t)ns.e[h->idx].size;
		st.st_ino = 1000 + h->idx;
		st.st_blocks = (blkcnt_t)((ns.e[h->idx].size + 511) / 512);
	} else {
		st.st_mode = S_IFDIR | 0555;
		st.st_ino = 1;
		st.st_nlink = 2;
	}
	o->status = 0;
	o->payload_len = sizeof(st);
	o->remote_id = q->remote_id;
	memcpy(o->payload, &st, sizeof(st));
	return (long)(offsetof(struct rustos_vfs_ipc_response, payload) +
	    sizeof(st));
}

static long
h_close(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	struct handle *h = get_handle(q);

	if (h == NULL)
		return -EBADF;
	memset(h, 0, sizeof(*h));
	o->status = 0;
	return (long)offsetof(struct rustos_vfs_ipc_response, payload);
}

/* One linux_dirent64 record into buf; 0 when it does not fit. */
static size_t
put_dirent(unsigned char *buf, size_t cap, uint64_t ino, uint64_t next,
    unsigned char type, const char *name, size_t nlen)
{
	size_t reclen = (19 + nlen + 1 + 7) & ~(size_t)7;
	uint16_t rl = (uint16_t)reclen;

	if (reclen > cap)
		return 0;
	memset(buf, 0, reclen);
	memcpy(buf, &ino, 8);
	memcpy(buf + 8, &next, 8);
	memcpy(buf + 16, &rl, 2);
	buf[18] = type;
	memcpy(buf + 19, name, nlen);
	return reclen;
}

/*
 * FAT directory listing.  Cursor: for the root, 0 and 1 are the synthetic
 * "." and ".." (the FAT root has none stored) and fatfs positions follow
 * shifted by 2; elsewhere the cursor is the fatfs position.
 */
static long
fat_getdents(struct handle *h, uint64_t *cursor, unsigned char *buf,
    size_t cap)
{
	struct fatfs_node *n;
	uint64_t base = h->node.is_root ? 2 : 0;
	size_t used = 0, w;
	uint32_t pos;
	int r;

	while (h->node.is_root && *cursor < 2) {
		w = put_dirent(buf + used, cap - used, h->node.ino, *cursor + 1,
		    4, "..", (size_t)(*cursor + 1));
		if (w == 0)
			return used ? (long)used : -EINVAL;
		used += w;
		(*cursor)++;
	}
	if (*cursor - base > UINT32_MAX)
		return (long)used;
	if ((r = fatfs_seekdir(&vfsd_fat, &h->dir,
	    (uint32_t)(*cursor - base))) < 0)
		return used ? (long)used : r;
	if ((n = malloc(sizeof(*n))) == NULL)
		return used ? (long)used : -ENOMEM;
	for (;;) {
		pos = fatfs_telldir(&h->dir);
		r = fatfs_readdir(&vfsd_fat, &h->dir, n);
		if (r <= 0)
			break;
		w = put_dirent(buf + used, cap - used, n->ino,
		    fatfs_telldir(&h->dir) + base,
		    (n->attr & FATFS_ATTR_DIR) ? 4 : 8, n->name, n->name_len);
		if (w == 0) {
			(void)fatfs_seekdir(&vfsd_fat, &h->dir, pos);
			r = used ? 0 : -EINVAL;
			break;
		}
		used += w;
		*cursor = fatfs_telldir(&h->dir) + base;
	}
	free(n);
	if (r < 0 && used == 0)
		return r;
	return (long)used;
}

static long
h_getdents(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	struct handle *h = get_handle(q);
	uint64_t cursor = q->arg0, want = q->arg1;
	long r;

	if (h == NULL)
		return -EBADF;
	if (h->kind != VFS_HANDLE_KIND_DIR)
		return -ENOTDIR;
	if (want > VFS_IPC_RESP_PAYLOAD_MAX)
		want = VFS_IPC_RESP_PAYLOAD_MAX;
	if (h->fat)
		r = fat_getdents(h, &cursor, o->payload, (size_t)want);
	else
		r = ns_getdents(&ns, h->path, &cursor, o->payload,
		    (size_t)want);
	if (r < 0)
		return r;
	o->status = (int32_t)r;
	o->payload_len = (uint32_t)r;
	o->remote_id = q->remote_id;
	o->value = cursor;
	return (long)(offsetof(struct rustos_vfs_ipc_response, payload) +
	    (size_t)r);
}

static long
h_ping(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	return svc_status_reply(resp, cap, RUSTOS_SERVICE_OP_PING, 0);
}

#define VFS_OP(nr, fn) { (nr), 0, sizeof(struct rustos_vfs_ipc_request), \
	sizeof(struct rustos_vfs_ipc_request), \
	offsetof(struct rustos_vfs_ipc_response, payload), (fn), 0 }

static const struct svc_op ops[] = {
	{ RUSTOS_SERVICE_OP_PING, 1, 8, 8, 16, h_ping, 0 },
	VFS_OP(VFS_IPC_OP_OPENAT, h_openat),
	VFS_OP(VFS_IPC_OP_CLOSE, h_close),
	VFS_OP(VFS_IPC_OP_READ, h_read),
	VFS_OP(VFS_IPC_OP_PREAD64, h_read),
	VFS_OP(VFS_IPC_OP_FSTAT, h_fstat),
	VFS_OP(VFS_IPC_OP_GETDENTS64, h_getdents),
};

const struct svc_table vfsd_table = {
	"vfsd", IPC_SERVICE_VFSD, VFS_IPC_ABI_VERSION,
	ops, sizeof(ops) / sizeof(ops[0])
};

