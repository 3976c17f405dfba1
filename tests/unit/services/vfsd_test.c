/*
 * vfsd_test.c -- vfsd's handlers through the service loop's dispatcher
 * (svc_handle with vfsd_table) over a fake bootfs: open/read/fstat/close,
 * directories, read-only refusals, foreign and stale remote ids, handle
 * exhaustion, malformed requests, a failing bootfs broker, and the
 * credential rules (CREDS pushes, owners, search, sticky, chown).
 */
#define _GNU_SOURCE	/* memmem */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rustos/ipc_services.h>
#include <rustos/vfs.h>

#include "services/common/svc.h"
#include "services/vfsd/vfsd.h"
#include "tests/unit/services/tap.h"

static const struct { const char *name, *data; } files[] = {
	{ "/services/vfsd/vfsd.elf", "ELF-bytes-of-vfsd" },
	{ "/system/registry/system/startup-programs.tsv", "line1\nline2\n" },
	{ "bad-relative", "x" },
};
static int read_fails;

static long
fake_bootfs(struct rustos_bootfs_broker_args *a)
{
	size_t n = sizeof(files) / sizeof(files[0]), l;
	const char *d;

	if (a->index >= n)
		return -ENOENT;
	switch (a->op) {
	case BOOTFS_BROKER_OP_LIST:
		l = strlen(files[a->index].name);
		if (l > a->buf_len)
			return -ENAMETOOLONG;
		memcpy((void *)(uintptr_t)a->buf_ptr, files[a->index].name, l);
		a->value = strlen(files[a->index].data);
		return (long)l;
	case BOOTFS_BROKER_OP_READ:
		if (read_fails)
			return -EIO;
		d = files[a->index].data;
		l = strlen(d);
		if (a->offset >= l)
			return 0;
		l -= a->offset;
		if (l > a->buf_len)
			l = a->buf_len;
		memcpy((void *)(uintptr_t)a->buf_ptr, d + a->offset, l);
		return (long)l;
	}
	return -EINVAL;
}

static struct rustos_vfs_ipc_request q;
static struct rustos_vfs_ipc_response r;

static size_t
req(uint16_t op, uint64_t pid, uint64_t rid, const char *path, uint32_t flags,
    uint64_t a0, uint64_t a1)
{
	memset(&q, 0, sizeof(q));
	memset(&r, 0xee, sizeof(r));
	q.version = VFS_IPC_ABI_VERSION;
	q.op = op;
	q.pid = pid;
	q.remote_id = rid;
	q.flags = flags;
	q.arg0 = a0;
	q.arg1 = a1;
	if (path != NULL) {
		q.path_len = (uint32_t)strlen(path);
		memcpy(q.path, path, q.path_len);
	}
	return svc_handle(&vfsd_table, NULL, &q, sizeof(q), &r, sizeof(r));
}

/* SYMLINK: path = the link, payload = target. */
static void
symlink_req(uint64_t pid, const char *path, const char *target)
{
	memset(&q, 0, sizeof(q));
	memset(&r, 0xee, sizeof(r));
	q.version = VFS_IPC_ABI_VERSION;
	q.op = VFS_IPC_OP_SYMLINK;
	q.pid = pid;
	q.path_len = (uint32_t)strlen(path);
	memcpy(q.path, path, q.path_len);
	q.payload_len = (uint32_t)strlen(target);
	memcpy(q.payload, target, q.payload_len);
	(void)svc_handle(&vfsd_table, NULL, &q, sizeof(q), &r, sizeof(r));
}

/* One PATH_STAGE chunk of pid 21 (tid 5): s at offset off of `which`. */
static void
stage_req(uint64_t which, uint64_t off, const char *s, size_t n)
{
	memset(&q, 0, sizeof(q));
	memset(&r, 0xee, sizeof(r));
	q.version = VFS_IPC_ABI_VERSION;
	q.op = VFS_IPC_OP_PATH_STAGE;
	q.pid = 21;
	q.tid = 5;
	q.arg0 = which;
	q.arg1 = off;
	q.path_len = (uint32_t)n;
	memcpy(q.path, s, n);
	(void)svc_handle(&vfsd_table, NULL, &q, sizeof(q), &r, sizeof(r));
}

/* req() for pid 21 (tid 5) with a staged path: prefix staged, tail sent. */
static void
staged_req(uint16_t op, const char *path, uint32_t flags, uint64_t a0,
    uint64_t a1)
{
	size_t n = strlen(path), pre = n > 512 ? n - 512 : 0, off;

	for (off = 0; off < pre; off += 512)
		stage_req(VFS_STAGE_PATH, off, path + off,
		    pre - off > 512 ? 512 : pre - off);
	memset(&q, 0, sizeof(q));
	memset(&r, 0xee, sizeof(r));
	q.version = VFS_IPC_ABI_VERSION;
	q.op = op;
	q.pid = 21;
	q.tid = 5;
	q.flags = flags;
	q.arg3 = pre > 0 ? VFS_IPC_STAGED_PATH : 0;
	q.arg0 = a0;
	q.arg1 = a1;
	q.path_len = (uint32_t)(n - pre);
	memcpy(q.path, path + pre, n - pre);
	(void)svc_handle(&vfsd_table, NULL, &q, sizeof(q), &r, sizeof(r));
}

/* Long paths: a chain of 200-byte directories under /tmp to ~4000 bytes. */
/* CREDS of pid from a sender with the given capability bits. */
static void
creds_req(uint32_t caps, uint64_t pid, uint32_t uid, uint32_t gid,
    uint32_t group2, uint32_t len)
{
	struct rustos_vfs_creds c;

	memset(&c, 0, sizeof(c));
	c.ruid = c.euid = c.suid = c.fsuid = uid;
	c.rgid = c.egid = c.sgid = c.fsgid = gid;
	c.ngroups = group2 != 0;
	c.groups[0] = group2;
	memset(&q, 0, sizeof(q));
	memset(&r, 0xee, sizeof(r));
	q.version = VFS_IPC_ABI_VERSION;
	q.op = VFS_IPC_OP_CREDS;
	q.pid = 99;
	q.arg0 = pid;
	q.payload_len = len;
	memcpy(q.payload, &c, sizeof(c));
	svc_sender_caps = caps;
	(void)svc_handle(&vfsd_table, NULL, &q, sizeof(q), &r, sizeof(r));
	svc_sender_caps = 0;
}

/*
 * Credentials: CREDS is syscalld's only; pushed ids judge later requests
 * of that pid (owners, groups, search, sticky, chmod, chown), a fork
 * copies them, an exit drops them.
 */
static void
cred_cases(void)
{
	const uint32_t sys = IPC_SERVICE_CAP_LINUX_SYSCALL_POLICY;
	struct stat st;
	uint64_t rid;

	creds_req(0, 40, 1000, 1000, 0, sizeof(struct rustos_vfs_creds));
	CHECK(r.status == -EACCES,
	    "CREDS without LINUX_SYSCALL_POLICY: -EACCES");
	creds_req(IPC_SERVICE_CAP_VFS_POLICY, 40, 1000, 1000, 0,
	    sizeof(struct rustos_vfs_creds));
	CHECK(r.status == -EACCES, "CREDS from another service: -EACCES");
	svc_kernel_forwarded = 1;
	creds_req(sys, 40, 1000, 1000, 0, sizeof(struct rustos_vfs_creds));
	svc_kernel_forwarded = 0;
	CHECK(r.status == -EACCES, "CREDS forwarded by the kernel: -EACCES");
	creds_req(sys, 40, 1000, 1000, 0, 12);
	CHECK(r.status == -EINVAL, "CREDS with a short payload: -EINVAL");
	creds_req(sys, 0, 1000, 1000, 0, sizeof(struct rustos_vfs_creds));
	CHECK(r.status == -EINVAL, "CREDS for pid 0: -EINVAL");
	/* Root (pid 41, no entry) makes the files first. */
	req(VFS_IPC_OP_MKDIR, 41, 0, "/tmp/cr", 0, 0755, 0);
	req(VFS_IPC_OP_OPENAT, 41, 0, "/tmp/cr/root600", O_RDWR | O_CREAT,
	    0600, 0);
	req(VFS_IPC_OP_CLOSE, 41, r.remote_id, NULL, 0, 0, 0);
	req(VFS_IPC_OP_MKDIR, 41, 0, "/tmp/cr/pub", 0, 01777, 0);
	req(VFS_IPC_OP_CHMOD, 41, 0, "/tmp/cr/pub", 0, 01777, 0);
	req(VFS_IPC_OP_OPENAT, 41, 0, "/tmp/cr/pub/rootf", O_RDWR | O_CREAT,
	    0666, 0);
	req(VFS_IPC_OP_CLOSE, 41, r.remote_id, NULL, 0, 0, 0);
	creds_req(sys, 40, 1000, 1000, 1001, sizeof(struct rustos_vfs_creds));
	CHECK(r.status == 0, "CREDS from syscalld is taken");
	req(VFS_IPC_OP_OPENAT, 40, 0, "/tmp/cr/root600", O_RDONLY, 0, 0);
	CHECK(r.status == -EACCES, "uid 1000 may not read root's 0600 file");
	req(VFS_IPC_OP_OPENAT, 41, 0, "/tmp/cr/root600", O_RDONLY, 0, 0);
	CHECK(r.status == 0, "root (no entry) still may");
	req(VFS_IPC_OP_CLOSE, 41, r.remote_id, NULL, 0, 0, 0);
	req(VFS_IPC_OP_OPENAT, 40, 0, "/tmp/cr/new", O_RDWR | O_CREAT, 0644, 0);
	CHECK(r.status == -EACCES, "no w on root's 0755 directory: -EACCES");
	req(VFS_IPC_OP_OPENAT, 40, 0, "/tmp/cr/pub/mine", O_RDWR | O_CREAT,
	    0644, 0);
	rid = r.remote_id;
	CHECK(r.status == 0, "create in a 1777 directory");
	req(VFS_IPC_OP_FSTAT, 40, rid, NULL, 0, 0, 0);
	memcpy(&st, r.payload, sizeof(st));
	CHECK(st.st_uid == 1000 && st.st_gid == 1000,
	    "a new file belongs to the caller's fsuid and fsgid");
	req(VFS_IPC_OP_CHOWN, 40, rid, NULL, 0, 0xffffffffu, 1001);
	CHECK(r.status == 0, "fchown to a supplementary group");
	req(VFS_IPC_OP_CHOWN, 40, rid, NULL, 0, 0xffffffffu, 2000);
	CHECK(r.status == -EPERM, "fchown to a foreign group: -EPERM");
	req(VFS_IPC_OP_CHOWN, 40, rid, NULL, 0, 0, 0xffffffffu);
	CHECK(r.status == -EPERM, "giving a file away: -EPERM");
	req(VFS_IPC_OP_CHOWN, 40, rid, NULL, 0, 1ull << 32, 0xffffffffu);
	CHECK(r.status == -EINVAL, "a uid over 32 bits: -EINVAL");
	req(VFS_IPC_OP_CLOSE, 40, rid, NULL, 0, 0, 0);
	req(VFS_IPC_OP_UNLINKAT, 40, 0, "/tmp/cr/pub/rootf", 0, 0, 0);
	CHECK(r.status == -EPERM, "sticky directory: root's file stays");
	req(VFS_IPC_OP_CHMOD, 40, 0, "/tmp/cr/root600", 0, 0666, 0);
	CHECK(r.status == -EPERM, "chmod of root's file: -EPERM");
	req(VFS_IPC_OP_CHOWN, 41, 0, "/tmp/cr/root600", 0, 1000, 1000);
	CHECK(r.status == 0, "root gives its file away");
	req(VFS_IPC_OP_OPENAT, 40, 0, "/tmp/cr/root600", O_RDWR, 0, 0);
	CHECK(r.status == 0, "now the owner class lets uid 1000 in");
	req(VFS_IPC_OP_CLOSE, 40, r.remote_id, NULL, 0, 0, 0);
	req(VFS_IPC_OP_CHMOD, 41, 0, "/tmp/cr", 0, 0700, 0);
	req(VFS_IPC_OP_NEWFSTATAT, 40, 0, "/tmp/cr/root600", 0, 0, 0);
	CHECK(r.status == -EACCES, "no search permission on the way: -EACCES");
	svc_kernel_forwarded = 1;
	req(VFS_IPC_OP_LIFECYCLE, 40, 0, NULL, 0, VFS_LIFECYCLE_FORK, 42);
	req(VFS_IPC_OP_NEWFSTATAT, 42, 0, "/tmp/cr/root600", 0, 0, 0);
	CHECK(r.status == -EACCES, "a forked child keeps the parent's ids");
	req(VFS_IPC_OP_LIFECYCLE, 42, 0, NULL, 0, VFS_LIFECYCLE_EXIT, 0);
	req(VFS_IPC_OP_LIFECYCLE, 40, 0, NULL, 0, VFS_LIFECYCLE_EXIT, 0);
	svc_kernel_forwarded = 0;
	req(VFS_IPC_OP_NEWFSTATAT, 40, 0, "/tmp/cr/root600", 0, 0, 0);
	CHECK(r.status == 0, "an exit drops the entry");
}

static void
stage_cases(void)
{
	static char p[5000];
	size_t n;
	int ok = 1;

	n = (size_t)snprintf(p, sizeof(p), "/tmp/lp");
	staged_req(VFS_IPC_OP_MKDIR, p, 0, 0755, 0);
	while (n + 201 < 4000 && ok) {
		p[n++] = '/';
		memset(p + n, 'd', 200);
		n += 200;
		p[n] = '\0';
		staged_req(VFS_IPC_OP_MKDIR, p, 0, 0755, 0);
		ok = r.status == 0;
	}
	CHECK(ok && n > 3800, "MKDIR of a ~4000-byte chain (staged paths)");
	staged_req(VFS_IPC_OP_CHDIR, p, 0, 0, 0);
	CHECK(r.status == 0, "CHDIR to the deep directory");
	req(VFS_IPC_OP_GETCWD, 21, 0, NULL, 0, 0, 4096);
	CHECK(r.status == (int32_t)n + 1 && memcmp(r.payload, p, n + 1) == 0,
	    "GETCWD: the whole ~4000-byte cwd");
	strcat(p, "/f");
	staged_req(VFS_IPC_OP_OPENAT, p, O_RDWR | O_CREAT, 0644, 0);
	CHECK(r.status == 0 && r.handle_kind == VFS_HANDLE_KIND_FILE,
	    "OPENAT O_CREAT with a staged path");
	req(VFS_IPC_OP_CLOSE, 21, r.remote_id, NULL, 0, 0, 0);
	stage_req(VFS_STAGE_PATH, 0, p, 512);
	staged_req(VFS_IPC_OP_NEWFSTATAT, "/tmp/lp", 0, 0, 0);
	CHECK(r.status == 0, "a path op without the flag drops the stage");
	memset(&q, 0, sizeof(q));
	q.version = VFS_IPC_ABI_VERSION;
	q.op = VFS_IPC_OP_NEWFSTATAT;
	q.pid = 21;
	q.tid = 5;
	q.arg3 = VFS_IPC_STAGED_PATH;
	q.path_len = 1;
	q.path[0] = 'f';
	(void)svc_handle(&vfsd_table, NULL, &q, sizeof(q), &r, sizeof(r));
	CHECK(r.status == -EINVAL, "the staged mark without a stage: -EINVAL");
	stage_req(VFS_STAGE_PATH, 100, p, 10);
	CHECK(r.status == -EINVAL, "a chunk at the wrong offset: -EINVAL");
	memset(p, 'a', 4600);
	p[0] = '/';
	stage_req(VFS_STAGE_PATH, 0, p, 512);
	for (n = 512; n < 4096 && r.status == 0; n += 512)
		stage_req(VFS_STAGE_PATH, n, p + n, 512);
	CHECK(r.status == -ENAMETOOLONG, "a stage past PATH_MAX - 1: "
	    "-ENAMETOOLONG");
	memset(p, 'b', 300);
	memcpy(p, "/tmp/", 5);
	p[300] = '\0';
	req(VFS_IPC_OP_NEWFSTATAT, 21, 0, p, 0, 0, 0);
	CHECK(r.status == -ENAMETOOLONG, "a 295-byte component: -ENAMETOOLONG");
	/* Malformed chunks: NUL inside, unknown buffer, flags, empty. */
	stage_req(VFS_STAGE_PATH, 0, "/t\0p", 4);
	CHECK(r.status == -EINVAL, "a chunk with a NUL: -EINVAL");
	stage_req(2, 0, "/tmp", 4);
	CHECK(r.status == -EINVAL, "an unknown stage buffer: -EINVAL");
	stage_req(VFS_STAGE_PATH, 0, "", 0);
	CHECK(r.status == -EINVAL, "an empty chunk: -EINVAL");
	/* A staged second path: RENAMEAT's new name, SYMLINK's target. */
	memset(p, 0, sizeof(p));
	n = (size_t)snprintf(p, sizeof(p), "/tmp/lp");
	while (n + 201 < 4000) {
		p[n++] = '/';
		memset(p + n, 'd', 200);
		n += 200;
	}
	strcpy(p + n, "/g");
	stage_req(VFS_STAGE_PAYLOAD, 0, p, 512);
	for (n = 512; n + 512 < strlen(p) && r.status == 0; n += 512)
		stage_req(VFS_STAGE_PAYLOAD, n, p + n, 512);
	memset(&q, 0, sizeof(q));
	q.version = VFS_IPC_ABI_VERSION;
	q.op = VFS_IPC_OP_RENAMEAT;
	q.pid = 21;
	q.tid = 5;
	q.arg3 = VFS_IPC_STAGED_PAYLOAD;
	q.path_len = 1;
	q.path[0] = 'f';		/* the cwd is the deep directory */
	q.payload_len = (uint32_t)(strlen(p) - n);
	memcpy(q.payload, p + n, q.payload_len);
	(void)svc_handle(&vfsd_table, NULL, &q, sizeof(q), &r, sizeof(r));
	CHECK(r.status == 0, "RENAMEAT with a staged new name");
	staged_req(VFS_IPC_OP_NEWFSTATAT, p, 0, 0, 0);
	CHECK(r.status == 0, "the renamed file under its long name");
	/* A 4000-byte symlink target, read back whole. */
	stage_req(VFS_STAGE_PAYLOAD, 0, p, 512);
	for (n = 512; n + 512 < strlen(p) && r.status == 0; n += 512)
		stage_req(VFS_STAGE_PAYLOAD, n, p + n, 512);
	memset(&q, 0, sizeof(q));
	q.version = VFS_IPC_ABI_VERSION;
	q.op = VFS_IPC_OP_SYMLINK;
	q.pid = 21;
	q.tid = 5;
	q.arg3 = VFS_IPC_STAGED_PAYLOAD;
	q.path_len = 8;
	memcpy(q.path, "/tmp/lpl", 8);
	q.payload_len = (uint32_t)(strlen(p) - n);
	memcpy(q.payload, p + n, q.payload_len);
	(void)svc_handle(&vfsd_table, NULL, &q, sizeof(q), &r, sizeof(r));
	CHECK(r.status == 0, "SYMLINK with a staged ~4000-byte target");
	req(VFS_IPC_OP_READLINKAT, 21, 0, "/tmp/lpl", 0, 0, 4096);
	CHECK(r.status == (int32_t)strlen(p) && memcmp(r.payload, p,
	    strlen(p)) == 0, "READLINKAT: the whole target");
	stage_req(VFS_STAGE_PATH, 0, "/tmp", 4);
	req(VFS_IPC_OP_LIFECYCLE, 21, 0, NULL, 0, VFS_LIFECYCLE_EXIT, 0);
	CHECK(r.status == -EPERM || r.status == 0, "LIFECYCLE EXIT");
}

int
main(void)
{
	const size_t hdr = offsetof(struct rustos_vfs_ipc_response, payload);
	uint64_t rid, dir, first = 0;
	struct stat st;
	size_t n;
	int i, full = 0;

	vfsd_load(fake_bootfs);
	n = req(VFS_IPC_OP_OPENAT, 7, 0, "/services/vfsd/vfsd.elf", O_RDONLY, 0, 0);
	CHECK(n == hdr && r.status == 0 && r.handle_kind == VFS_HANDLE_KIND_FILE &&
	    r.remote_id != 0 && r.value == 17 && r.version == 1 &&
	    r.op == VFS_IPC_OP_OPENAT, "open a file: remote id, kind, size");
	rid = r.remote_id;
	n = req(VFS_IPC_OP_READ, 7, rid, NULL, 0, 4, 3);
	CHECK(n == hdr + 3 && r.status == 3 && r.payload_len == 3 &&
	    memcmp(r.payload, "byt", 3) == 0 && r.value == 7,
	    "read at an offset");
	n = req(VFS_IPC_OP_READ, 7, rid, NULL, 0, 17, 100);
	CHECK(n == hdr && r.status == 0, "read at EOF: 0 bytes");
	n = req(VFS_IPC_OP_READ, 7, rid, NULL, 0, ~0ull, ~0ull);
	CHECK(r.status == 0, "huge offset and count: 0 bytes, no overflow");
	n = req(VFS_IPC_OP_PREAD64, 7, rid, NULL, 0, 0, 1000000);
	CHECK(r.status == 17 && memcmp(r.payload, "ELF-bytes-of-vfsd", 17) == 0,
	    "pread64 whole file, count clipped");
	n = req(VFS_IPC_OP_READ, 8, rid, NULL, 0, 0, 4);
	CHECK(r.status == -EBADF, "another pid's remote id: -EBADF");
	n = req(VFS_IPC_OP_READ, 7, 100000, NULL, 0, 0, 4);
	CHECK(r.status == -EBADF, "out-of-range remote id: -EBADF");
	n = req(VFS_IPC_OP_FSTAT, 7, rid, NULL, 0, 0, 0);
	memcpy(&st, r.payload, sizeof(st));
	CHECK(r.status == 0 && r.payload_len == sizeof(st) &&
	    S_ISREG(st.st_mode) && st.st_size == 17, "fstat of a file");
	read_fails = 1;
	n = req(VFS_IPC_OP_READ, 7, rid, NULL, 0, 0, 4);
	CHECK(n >= 8 && r.status == -EIO, "broker failure becomes the status");
	read_fails = 0;
	n = req(VFS_IPC_OP_CLOSE, 7, rid, NULL, 0, 0, 0);
	CHECK(r.status == 0, "close");
	n = req(VFS_IPC_OP_CLOSE, 7, rid, NULL, 0, 0, 0);
	CHECK(r.status == -EBADF, "double close: -EBADF");
	n = req(VFS_IPC_OP_READ, 7, rid, NULL, 0, 0, 4);
	CHECK(r.status == -EBADF, "read after close: -EBADF");

	n = req(VFS_IPC_OP_OPENAT, 7, 0, "/services/../services/vfsd", O_RDONLY |
	    O_DIRECTORY, 0, 0);
	CHECK(r.status == 0 && r.handle_kind == VFS_HANDLE_KIND_DIR,
	    "open a synthesised directory through ..");
	dir = r.remote_id;
	n = req(VFS_IPC_OP_GETDENTS64, 7, dir, NULL, 0, 0, 4096);
	CHECK(r.status > 0 && (size_t)r.status == r.payload_len &&
	    r.value == 3 && memmem(r.payload, r.payload_len, "vfsd.elf", 8),
	    "getdents64 lists the file, cursor advances");
	n = req(VFS_IPC_OP_GETDENTS64, 7, dir, NULL, 0, r.value, 4096);
	CHECK(r.status == 0, "getdents64 at the end: 0");
	n = req(VFS_IPC_OP_READ, 7, dir, NULL, 0, 0, 4);
	CHECK(r.status == -EISDIR, "read of a directory: -EISDIR");
	n = req(VFS_IPC_OP_OPENAT, 7, 0, "/services/vfsd/vfsd.elf",
	    O_RDONLY | O_DIRECTORY, 0, 0);
	CHECK(r.status == -ENOTDIR, "O_DIRECTORY on a file: -ENOTDIR");
	n = req(VFS_IPC_OP_OPENAT, 7, 0, "/services/vfsd/vfsd.elf", O_RDWR, 0, 0);
	CHECK(r.status == -EROFS, "write access: -EROFS");
	n = req(VFS_IPC_OP_OPENAT, 7, 0, "/new", O_RDONLY | O_CREAT, 0, 0);
	CHECK(r.status == -EROFS, "O_CREAT: -EROFS");
	n = req(VFS_IPC_OP_OPENAT, 7, 0, "/nope", O_RDONLY, 0, 0);
	CHECK(r.status == -ENOENT, "missing path: -ENOENT");
	n = req(VFS_IPC_OP_OPENAT, 0, 0, "/services", O_RDONLY, 0, 0);
	CHECK(r.status == -EINVAL, "pid 0 refused");
	n = req(VFS_IPC_OP_OPENAT, 7, 0, "/bad-relative", O_RDONLY, 0, 0);
	CHECK(r.status == 0, "bootfs names are normalised too");
	req(VFS_IPC_OP_CLOSE, 7, r.remote_id, NULL, 0, 0, 0);
	req(VFS_IPC_OP_OPENAT, 7, 0, "/", O_RDONLY, 0, 0);
	q.path_len = VFS_IPC_PATH_MAX + 1;
	svc_handle(&vfsd_table, NULL, &q, sizeof(q), &r, sizeof(r));
	CHECK(r.status == -EINVAL, "path_len over the maximum: -EINVAL");
	n = svc_handle(&vfsd_table, NULL, &q, 100, &r, sizeof(r));
	CHECK(n == hdr && r.status == -EINVAL, "short request: -EINVAL");
	q.version = 3;
	n = svc_handle(&vfsd_table, NULL, &q, sizeof(q), &r, sizeof(r));
	CHECK(r.status == -EPROTO, "bad version: -EPROTO");
	q.version = 1;
	q.op = VFS_IPC_OP_POLL_QUERY;
	n = svc_handle(&vfsd_table, NULL, &q, sizeof(q), &r, sizeof(r));
	CHECK(r.status == -EOPNOTSUPP, "unsupported op: -EOPNOTSUPP");

	for (i = 0; i < 300; i++) {
		req(VFS_IPC_OP_OPENAT, 9, 0, "/", O_RDONLY, 0, 0);
		if (r.status == -ENFILE) {
			full = 1;
			break;
		}
		if (i == 0)
			first = r.remote_id;
	}
	CHECK(full, "handle table exhaustion: -ENFILE, no crash");
	req(VFS_IPC_OP_CLOSE, 9, first, NULL, 0, 0, 0);
	req(VFS_IPC_OP_OPENAT, 9, 0, "/", O_RDONLY, 0, 0);
	CHECK(r.status == 0 && r.remote_id == first, "a closed slot is reused");

	/* Open file descriptions: DUP, the shared cursor, fork and exit. */
	svc_kernel_forwarded = 1;
	n = req(VFS_IPC_OP_LIFECYCLE, 9, 0, NULL, 0, VFS_LIFECYCLE_EXIT, 0);
	CHECK(r.status == 0 && r.value >= 200, "exit closes all of a pid's handles");
	svc_kernel_forwarded = 0;
	n = req(VFS_IPC_OP_OPENAT, 11, 0, "/services/vfsd/vfsd.elf", O_RDONLY, 0, 0);
	rid = r.remote_id;
	n = req(VFS_IPC_OP_DUP, 11, rid, NULL, 0, 0, 0);
	CHECK(r.status == 0 && r.remote_id == rid, "dup: the same handle");
	n = req(VFS_IPC_OP_READ, 11, rid, NULL, VFS_IPC_F_CURSOR, 99, 4);
	CHECK(r.status == 4 && memcmp(r.payload, "ELF-", 4) == 0,
	    "cursor read ignores arg0");
	n = req(VFS_IPC_OP_CLOSE, 11, rid, NULL, 0, 0, 0);
	n = req(VFS_IPC_OP_READ, 11, rid, NULL, VFS_IPC_F_CURSOR, 0, 5);
	CHECK(r.status == 5 && memcmp(r.payload, "bytes", 5) == 0,
	    "after one close the dup reads on at the shared cursor");
	n = req(VFS_IPC_OP_LSEEK, 11, rid, NULL, 0, (uint64_t)-2, SEEK_END);
	CHECK(r.status == 0 && r.value == 15, "lseek SEEK_END");
	n = req(VFS_IPC_OP_LSEEK, 11, rid, NULL, 0, (uint64_t)-20, SEEK_CUR);
	CHECK(r.status == -EINVAL, "lseek before 0: -EINVAL");
	n = req(VFS_IPC_OP_FCNTL, 11, rid, NULL, 0, F_SETFL, O_NONBLOCK | O_RDWR);
	n = req(VFS_IPC_OP_FCNTL, 11, rid, NULL, 0, F_GETFL, 0);
	CHECK(r.status == (O_RDONLY | O_NONBLOCK), "F_SETFL keeps the access mode");
	n = req(VFS_IPC_OP_LIFECYCLE, 11, 0, NULL, 0, VFS_LIFECYCLE_FORK, 12);
	CHECK(r.status == -EPERM, "lifecycle from a process: -EPERM");
	svc_kernel_forwarded = 1;
	n = req(VFS_IPC_OP_LIFECYCLE, 11, 0, NULL, 0, VFS_LIFECYCLE_FORK, 12);
	CHECK(r.status == 0 && r.value >= 1, "fork copies the references");
	n = req(VFS_IPC_OP_READ, 12, rid, NULL, VFS_IPC_F_CURSOR, 0, 2);
	CHECK(r.status == 2 && memcmp(r.payload, "sd", 2) == 0,
	    "the child shares the parent's cursor");
	n = req(VFS_IPC_OP_LIFECYCLE, 11, 0, NULL, 0, VFS_LIFECYCLE_EXIT, 0);
	n = req(VFS_IPC_OP_READ, 11, rid, NULL, VFS_IPC_F_CURSOR, 0, 2);
	CHECK(r.status == -EBADF, "exit drops the parent's references");
	n = req(VFS_IPC_OP_LSEEK, 12, rid, NULL, 0, 0, SEEK_SET);
	CHECK(r.status == 0, "the child's reference outlives the parent");
	n = req(VFS_IPC_OP_LIFECYCLE, 12, 0, NULL, 0, VFS_LIFECYCLE_EXIT, 0);
	n = req(VFS_IPC_OP_LSEEK, 12, rid, NULL, 0, 0, SEEK_SET);
	CHECK(r.status == -EBADF, "the last exit frees the handle");
	svc_kernel_forwarded = 0;

	/* Modes (CHMOD, ACCESS, the execve check) and tmpfs mounts. */
	n = req(VFS_IPC_OP_MKDIR, 13, 0, "/tmp/vt", 0, 0755, 0);
	CHECK(r.status == 0, "mkdir /tmp/vt");
	n = req(VFS_IPC_OP_OPENAT, 13, 0, "/tmp/vt/f", O_RDWR | O_CREAT, 0640, 0);
	rid = r.remote_id;
	n = req(VFS_IPC_OP_FSTAT, 13, rid, NULL, 0, 0, 0);
	memcpy(&st, r.payload, sizeof(st));
	CHECK(r.status == 0 && (st.st_mode & 07777) == 0640,
	    "a created file takes the open's mode");
	n = req(VFS_IPC_OP_ACCESS, 13, 0, "/tmp/vt/f", 0, X_OK, 0);
	CHECK(r.status == -EACCES, "no execute bit: X_OK is -EACCES for root");
	n = req(VFS_IPC_OP_CHMOD, 13, 0, "/tmp/vt/f", 0, 0755, 0);
	n = req(VFS_IPC_OP_ACCESS, 13, 0, "/tmp/vt/f", VFS_ACCESS_F_EXEC, X_OK, 0);
	CHECK(r.status == 0, "chmod 0755: the execve check passes");
	n = req(VFS_IPC_OP_ACCESS, 13, 0, "/tmp/vt", VFS_ACCESS_F_EXEC, X_OK, 0);
	CHECK(r.status == -EACCES, "the execve check of a directory: -EACCES");
	q.path_len = 0;
	n = req(VFS_IPC_OP_CHMOD, 13, rid, NULL, 0, 0600, 0);
	n = req(VFS_IPC_OP_FSTAT, 13, rid, NULL, 0, 0, 0);
	memcpy(&st, r.payload, sizeof(st));
	CHECK((st.st_mode & 07777) == 0600, "fchmod through the handle");
	n = req(VFS_IPC_OP_CHMOD, 13, 0, "/services", 0, 0755, 0);
	CHECK(r.status == -EROFS, "chmod on the read-only root: -EROFS");
	req(VFS_IPC_OP_CLOSE, 13, rid, NULL, 0, 0, 0);
	memset(&q, 0, sizeof(q));
	q.version = VFS_IPC_ABI_VERSION;
	q.op = VFS_IPC_OP_MOUNT;
	q.pid = 13;
	q.path_len = 7;
	memcpy(q.path, "/tmp/vt", 7);
	q.payload_len = 5;
	memcpy(q.payload, "tmpfs", 5);
	q.euid = 1000;
	svc_handle(&vfsd_table, NULL, &q, sizeof(q), &r, sizeof(r));
	CHECK(r.status == -EPERM, "mount by a non-root euid: -EPERM");
	q.euid = 0;
	memcpy(q.payload, "ext4x", 5);
	svc_handle(&vfsd_table, NULL, &q, sizeof(q), &r, sizeof(r));
	CHECK(r.status == -ENODEV, "unknown file system type: -ENODEV");
	memcpy(q.payload, "tmpfs", 5);
	svc_handle(&vfsd_table, NULL, &q, sizeof(q), &r, sizeof(r));
	CHECK(r.status == 0, "mount tmpfs on /tmp/vt");
	n = req(VFS_IPC_OP_OPENAT, 13, 0, "/tmp/vt/f", O_RDONLY, 0, 0);
	CHECK(r.status == -ENOENT, "the mount hides the directory's file");
	n = req(VFS_IPC_OP_UMOUNT2, 13, 0, "/tmp/vt", 0, 0x80, 0);
	CHECK(r.status == -EINVAL, "umount2 with unknown flags: -EINVAL");
	n = req(VFS_IPC_OP_UMOUNT2, 13, 0, "/tmp/vt", 0, 0, 0);
	CHECK(r.status == 0, "umount2");
	n = req(VFS_IPC_OP_UMOUNT2, 13, 0, "/tmp/vt", 0, 0, 0);
	CHECK(r.status == -EINVAL, "umount2 of a plain directory: -EINVAL");
	n = req(VFS_IPC_OP_OPENAT, 13, 0, "/tmp/vt/f", O_RDONLY, 0, 0);
	CHECK(r.status == 0, "the file shows again");

	/*
	 * Hostile requests: random fields on every op (paths from a small
	 * alphabet so they resolve now and then), kernel-forwarded or not.
	 * vfsd must answer each with a well-formed reply and keep serving.
	 */
	{
		static const char alpha[] = "/tmp/.ab";
		unsigned seed = 12345, k, bad = 0;
		size_t rl;
		uint32_t j;

		for (k = 0; k < 20000; k++) {
			memset(&q, 0, sizeof(q));
			q.version = VFS_IPC_ABI_VERSION;
			seed = seed * 1103515245u + 12345u;
			q.op = (uint16_t)(1 + (seed >> 16) % 26);
			seed = seed * 1103515245u + 12345u;
			q.pid = 20 + (seed >> 16) % 4;
			q.remote_id = (seed >> 8) % 300;
			seed = seed * 1103515245u + 12345u;
			q.flags = seed;
			q.arg0 = (seed >> 3) % 5 == 0 ? (uint64_t)-1 : seed % 70000;
			q.arg1 = seed % 5 == 0 ? 20 + seed % 4 : seed;
			q.euid = seed % 3 == 0 ? seed : 0;
			seed = seed * 1103515245u + 12345u;
			q.path_len = (seed >> 16) % 40;
			if ((seed & 0xff) == 7)
				q.path_len = VFS_IPC_PATH_MAX + (seed >> 24);
			q.payload_len = (seed >> 8) % 16;
			for (j = 0; j < q.path_len && j < VFS_IPC_PATH_MAX; j++) {
				seed = seed * 1103515245u + 12345u;
				q.path[j] = (uint8_t)alpha[(seed >> 16) % 8];
			}
			memcpy(q.payload, "tmpfs", 5);
			svc_kernel_forwarded = (seed >> 20) & 1;
			memset(&r, 0xee, sizeof(r));
			rl = svc_handle(&vfsd_table, NULL, &q, sizeof(q), &r,
			    sizeof(r));
			/* Errors of unknown ops are 16-byte generic replies. */
			if (rl < 16 || rl > sizeof(r) || r.version != 1 ||
			    (rl < hdr && r.status != -EOPNOTSUPP) ||
			    (rl >= hdr &&
			    r.payload_len > VFS_IPC_RESP_PAYLOAD_MAX) ||
			    (r.status >= 0 && rl < hdr + (r.op ==
			    VFS_IPC_OP_READ ? (size_t)r.status : 0))) {
				if (bad++ < 5)
					fprintf(stderr, "bad: op %u rl %zu ver %u "
					    "st %d plen %u\n", q.op, rl, r.version,
					    r.status, r.payload_len);
			}
		}
		svc_kernel_forwarded = 1;
		for (k = 20; k < 24; k++)
			req(VFS_IPC_OP_LIFECYCLE, k, 0, NULL, 0,
			    VFS_LIFECYCLE_EXIT, 0);
		svc_kernel_forwarded = 0;
		CHECK(bad == 0, "20000 hostile requests: well-formed replies");
	}
	n = req(VFS_IPC_OP_OPENAT, 30, 0, "/services/vfsd/vfsd.elf", O_RDONLY, 0, 0);
	CHECK(r.status == 0, "vfsd still opens files after them");
	/* Symbolic links: created, read back, followed or not. */
	symlink_req(13, "/tmp/vt/l", "f");
	CHECK(r.status == 0, "SYMLINK /tmp/vt/l -> f");
	symlink_req(13, "/tmp/vt/l", "g");
	CHECK(r.status == -EEXIST, "SYMLINK over a name: -EEXIST");
	symlink_req(13, "/services/l", "f");
	CHECK(r.status == -EROFS, "SYMLINK on the read-only root: -EROFS");
	n = req(VFS_IPC_OP_READLINKAT, 13, 0, "/tmp/vt/l", 0, 0, 64);
	CHECK(n == hdr + 1 && r.status == 1 && r.payload[0] == 'f',
	    "READLINKAT: the target, no NUL");
	n = req(VFS_IPC_OP_READLINKAT, 13, 0, "/tmp/vt/f", 0, 0, 64);
	CHECK(r.status == -EINVAL, "READLINKAT of a file: -EINVAL");
	n = req(VFS_IPC_OP_NEWFSTATAT, 13, 0, "/tmp/vt/l", 0x100, 0, 0);
	memcpy(&st, r.payload, sizeof(st));
	CHECK(r.status == 0 && S_ISLNK(st.st_mode) && st.st_size == 1,
	    "NEWFSTATAT NOFOLLOW: S_IFLNK, size = target length");
	n = req(VFS_IPC_OP_NEWFSTATAT, 13, 0, "/tmp/vt/l", 0, 0, 0);
	memcpy(&st, r.payload, sizeof(st));
	CHECK(r.status == 0 && S_ISREG(st.st_mode), "NEWFSTATAT follows");
	symlink_req(13, "/tmp/vt/la", "lb");
	symlink_req(13, "/tmp/vt/lb", "la");
	n = req(VFS_IPC_OP_NEWFSTATAT, 13, 0, "/tmp/vt/la", 0, 0, 0);
	CHECK(r.status == -ELOOP, "a link cycle: -ELOOP");
	symlink_req(13, "/tmp/vt/ls", "/services");
	n = req(VFS_IPC_OP_OPENAT, 13, 0, "/tmp/vt/ls/vfsd/vfsd.elf",
	    O_RDONLY, 0, 0);
	CHECK(r.status == 0 && r.handle_kind == VFS_HANDLE_KIND_FILE,
	    "a link into the read-only root");
	req(VFS_IPC_OP_CLOSE, 13, r.remote_id, NULL, 0, 0, 0);
	cred_cases();
	stage_cases();
	return tap_done();
}
