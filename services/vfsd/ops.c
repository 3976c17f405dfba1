/*
 * ops.c -- vfsd's request handlers: the read-only namespace of the boot
 * modules (bootfs) for the kernel's file syscall forwarding: OPENAT,
 * READ/PREAD64, FSTAT, CLOSE and GETDENTS64 (struct
 * rustos_vfs_ipc_request/response, conventions in docs/ai/bootstrap.md).
 * The bootfs broker is a function pointer so host tests can fake it.
 * Once the FAT boot volume is mounted (fat.c) it serves "/" instead of
 * bootfs: lookups, reads and directory listings go through lib/fatfs, a
 * corrupt structure fails only that file with -EIO.  /tmp and /run are
 * writable memory file systems (memfs.c) on top of either.
 * Every path lookup passes access.c's hook (full_path_f): a pid with
 * the linux-runtime profile sees only the registry's grants of the
 * boot volume, and its directory listings are filtered.
 *
 * Remote ids are vfsd's own.  A handle is an open file description: its
 * cursor, status flags and backing object.  Each pid that mirrors it in
 * its kernel fd table holds counted references (open, DUP, a fork's
 * LIFECYCLE); a request naming a handle its pid holds no reference to is
 * refused (-EBADF) -- requests are hostile.  The handle lives until the
 * last reference goes (CLOSE, or LIFECYCLE exit of the pid).
 *
 * Permissions follow Linux with each caller's credentials (creds.h:
 * syscalld pushes them, CREDS; cred_of falls back to the request's ids):
 * memfs nodes have owners, and search, create, delete, sticky, chmod and
 * chown rules apply; the FAT root and bootfs are root's and read-only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rustos/bootfs.h>
#include <rustos/ipc.h>
#include <rustos/ipc_services.h>
#include <rustos/vfs.h>

#include "services/common/svc.h"
#include "services/vfsd/access.h"
#include "services/vfsd/creds.h"
#include "services/vfsd/memfs.h"
#include "services/vfsd/ns.h"
#include "services/vfsd/stage.h"
#include "services/vfsd/vfsd.h"

#define MAX_ENTRIES	1024
#define MAX_HANDLES	256

struct handle {
	uint32_t	refs;		/* references of all pids; 0: free */
	int		kind;		/* VFS_HANDLE_KIND_FILE / _DIR */
	size_t		idx;		/* file: namespace entry */
	int		fat;		/* served from the FAT volume */
	int		mem;		/* served from memfs (mid) */
	uint32_t	mid;
	int		writable;	/* opened for writing (memfs only) */
	int		wronly;		/* O_WRONLY: reads are -EBADF */
	int		append;
	uint32_t	oflags;		/* Linux open status flags (F_GETFL) */
	uint64_t	cursor;		/* file offset or directory cursor */
	int		rta_filter;	/* opened confined: list grants only */
	struct fatfs_node node;
	struct fatfs_file file;
	struct fatfs_dir dir;
	/*
	 * Last, and cleared only up to its first byte (handle_clear): a
	 * PATH_MAX buffer zeroed on every open and close would cost the
	 * common short path for nothing.  Read as a C string only.
	 */
	char		path[NS_PATH_MAX];
};

/* A handle emptied: every field zero, path "". */
static void
handle_clear(struct handle *h)
{
	memset(h, 0, offsetof(struct handle, path) + 1);
}

static struct ns ns;
static int node_perm(const struct rustos_vfs_ipc_request *q, uint32_t id,
    int want);
static int search_check(const struct rustos_vfs_ipc_request *q,
    const char *norm);
static long (*bootfs)(struct rustos_bootfs_broker_args *);
static struct handle handles[MAX_HANDLES];

/*
 * References: (pid, handle slot, count).  Invariant: a handle's refs is
 * the sum of the counts naming it; an entry with count 0 is free.
 */
#define MAX_REFS	1024
static struct href {
	uint64_t	pid;
	uint32_t	slot;
	uint32_t	n;
} hrefs[MAX_REFS];
/* Defined here, not in fat.c, so host tests of ops.c need no broker. */
struct fatfs vfsd_fat;
int vfsd_fat_mounted;

void
vfsd_load(long (*broker)(struct rustos_bootfs_broker_args *))
{
	struct rustos_bootfs_broker_args a;
	char name[NS_ENTRY_MAX];
	uint64_t i;
	long r;

	bootfs = broker;
	free(ns.e);
	ns.n = 0;
	memset(handles, 0, sizeof(handles));
	memset(hrefs, 0, sizeof(hrefs));
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
		    ns.e[ns.n].path, NS_ENTRY_MAX) < 0)
			continue;
		ns.e[ns.n].size = a.value;
		ns.e[ns.n].index = i;
		ns.n++;
	}
	svc_log(SVC_LOG_INFO, "bootfs: %zu entries", ns.n);
}

static struct href *
href_find(uint64_t pid, uint64_t slot)
{
	size_t i;

	for (i = 0; i < MAX_REFS; i++)
		if (hrefs[i].n != 0 && hrefs[i].pid == pid &&
		    hrefs[i].slot == slot)
			return &hrefs[i];
	return NULL;
}

/* Add n references of pid to handle slot: 0 or -ENFILE. */
static int
href_add(uint64_t pid, uint32_t slot, uint32_t n)
{
	struct href *r = href_find(pid, slot);
	size_t i;

	if (r == NULL) {
		for (i = 0; i < MAX_REFS; i++)
			if (hrefs[i].n == 0)
				break;
		if (i == MAX_REFS)
			return -ENFILE;
		r = &hrefs[i];
		r->pid = pid;
		r->slot = slot;
		r->n = 0;
	}
	r->n += n;
	handles[slot].refs += n;
	return 0;
}

static void
handle_release(struct handle *h)
{
	if (h->mem)
		memfs_close(h->mid);
	handle_clear(h);
}

/* Drop n references of entry r; the handle goes with its last one. */
static void
href_put(struct href *r, uint32_t n)
{
	struct handle *h = &handles[r->slot];

	if (n > r->n)
		n = r->n;
	r->n -= n;
	h->refs = h->refs > n ? h->refs - n : 0;
	if (h->refs == 0)
		handle_release(h);
}

/* The handle remote id rid of pid, when pid holds a reference to it. */
static struct handle *
handle_for(uint64_t pid, uint64_t rid)
{
	if (rid == 0 || rid > MAX_HANDLES || pid == 0 ||
	    handles[rid - 1].refs == 0 || href_find(pid, rid - 1) == NULL)
		return NULL;
	return &handles[rid - 1];
}

static struct handle *
get_handle(const struct rustos_vfs_ipc_request *q)
{
	return handle_for(q->pid, q->remote_id);
}

/*
 * Current directories, per pid (absolute, normalised).  A pid without an
 * entry is at "/".  The table is bounded: when it is full the slot of the
 * lowest pid is reused (that process falls back to "/").
 */
#define MAX_CWDS	128
static struct cwd {
	uint64_t	pid;
	char		path[NS_PATH_MAX];
} cwds[MAX_CWDS];

static const char *
cwd_get(uint64_t pid)
{
	size_t i;

	for (i = 0; i < MAX_CWDS; i++)
		if (cwds[i].pid == pid)
			return cwds[i].path;
	return "/";
}

static void
cwd_set(uint64_t pid, const char *path)
{
	size_t i, low = 0;

	for (i = 0; i < MAX_CWDS; i++)
		if (cwds[i].pid == pid || cwds[i].pid == 0)
			break;
	if (i == MAX_CWDS) {
		for (i = 1; i < MAX_CWDS; i++)
			if (cwds[i].pid < cwds[low].pid)
				low = i;
		i = low;
	}
	cwds[i].pid = pid;
	snprintf(cwds[i].path, sizeof(cwds[i].path), "%s", path);
}

static void
cwd_drop(uint64_t pid)
{
	size_t i;

	for (i = 0; i < MAX_CWDS; i++)
		if (cwds[i].pid == pid)
			memset(&cwds[i], 0, sizeof(cwds[i]));
}

/*
 * Resolve the request's path (relative ones against the caller's cwd)
 * into norm and a detached handle h (kind, FAT node or bootfs index).
 * -ENOENT, -ENOTDIR (a file named with a trailing '/'), -ENAMETOOLONG,
 * -EINVAL (NUL inside), -EIO (corrupt FAT directory on the way).
 */
/*
 * Absolute, normalised form of path (n bytes).  A relative path is taken
 * against the directory handle dir (the kernel's dirfd of an *at call),
 * or the caller's cwd when dir is 0.
 */
static int
full_path_raw(const struct rustos_vfs_ipc_request *q, const uint8_t *path,
    size_t n, uint64_t dir, char *norm)
{
	/* cwd + '/' + a staged prefix + the tail: static (single thread). */
	static char joined[NS_PATH_MAX + VFS_PATH_MAX + 2];
	const struct handle *d;
	const char *cwd, *pre;
	size_t cl = 0, pl;

	if (n == 0)
		return -ENOENT;
	if (n > VFS_IPC_PATH_MAX)
		return -ENAMETOOLONG;
	pre = stage_prefix(q, path, &pl);
	if ((pl > 0 ? pre[0] : path[0]) != '/') {
		cwd = cwd_get(q->pid);
		if (dir != 0) {
			if ((d = handle_for(q->pid, dir)) == NULL)
				return -EBADF;
			if (d->kind != VFS_HANDLE_KIND_DIR)
				return -ENOTDIR;
			cwd = d->path;
		}
		cl = strlen(cwd);
		memcpy(joined, cwd, cl);
		joined[cl++] = '/';
	}
	if (pl > 0)
		memcpy(joined + cl, pre, pl);
	memcpy(joined + cl + pl, path, n);
	n += cl + pl;
	/* ns_normalize: a component over NAME_MAX is -ENAMETOOLONG. */
	return ns_normalize(joined, n, norm, NS_PATH_MAX);
}

/* Links followed one after another before a lookup gives up: -ELOOP. */
#define VFSD_MAX_LINKS	40

/*
 * Expand memfs symbolic links in the absolute, normalised path norm (in
 * place), component by component; the last component stays as it is
 * when nofollow.  A link's target replaces the prefix that named it (a
 * relative target is taken against the link's directory) and the walk
 * restarts at the top with the new path, so a link may lead into the
 * FAT root and back.  -ELOOP after VFSD_MAX_LINKS links, -ENAMETOOLONG
 * when the expansion does not fit NS_PATH_MAX.
 */
static int
follow_links(char *norm, int nofollow)
{
	static char buf[NS_PATH_MAX + MEMFS_LINK_MAX + 2];
	char prefix[NS_PATH_MAX];
	const struct memfs_node *n;
	size_t i, dl, rl;
	uint32_t id;
	int hops = 0, last, r;

restart:
	for (i = 1;; i++) {
		if (norm[i] != '/' && norm[i] != '\0')
			continue;
		last = norm[i] == '\0';
		if (last && nofollow)
			return 0;
		memcpy(prefix, norm, i);
		prefix[i] = '\0';
		if (memfs_owns(prefix) && memfs_lookup(prefix, &id) == 0 &&
		    (n = memfs_node(id))->link) {
			if (++hops > VFSD_MAX_LINKS)
				return -ELOOP;
			dl = 0;
			if (n->data[0] != '/') {
				/* The link's directory: up to the last '/'. */
				dl = (size_t)(strrchr(prefix, '/') - prefix);
				memcpy(buf, prefix, dl);
				buf[dl++] = '/';
			}
			memcpy(buf + dl, n->data, n->size);
			dl += n->size;
			rl = strlen(norm + i);
			if (dl + rl > sizeof(buf))
				return -ENAMETOOLONG;
			memcpy(buf + dl, norm + i, rl);
			if ((r = ns_normalize(buf, dl + rl, norm,
			    NS_PATH_MAX)) < 0)
				return r;
			goto restart;
		}
		if (last)
			return 0;
	}
}

/* full_path_raw, then memfs links expanded (all components: follow). */
static int
full_path_f(const struct rustos_vfs_ipc_request *q, const uint8_t *path,
    size_t n, uint64_t dir, char *norm, int follow)
{
	int r;

	if ((r = full_path_raw(q, path, n, dir, norm)) < 0)
		return r;
	if ((r = follow_links(norm, !follow)) < 0)
		return r;
	/* The linux-runtime profile judges boot-volume paths (access.c). */
	if (!memfs_owns(norm) && (r = rta_path_check(q->pid, norm,
	    vfsd_fat_mounted ? &vfsd_fat : NULL)) < 0)
		return r;
	return search_check(q, norm);
}

/* The last component not followed (lstat, unlink, rename, symlink...). */
static int
full_path_nf(const struct rustos_vfs_ipc_request *q, const uint8_t *path,
    size_t n, uint64_t dir, char *norm)
{
	return full_path_f(q, path, n, dir, norm, 0);
}

/*
 * Look up q's path into h; a symbolic link as the last component is
 * followed unless nofollow (then h names the link itself).
 */
static int
resolve_f(const struct rustos_vfs_ipc_request *q, char *norm,
    struct handle *h, int nofollow)
{
	int r;

	if ((r = full_path_f(q, q->path, q->path_len, q->remote_id, norm,
	    !nofollow)) < 0)
		return r;
	handle_clear(h);
	if (memfs_owns(norm)) {
		if ((r = memfs_lookup(norm, &h->mid)) < 0)
			return r;
		h->mem = 1;
		h->kind = memfs_node(h->mid)->dir ? VFS_HANDLE_KIND_DIR :
		    VFS_HANDLE_KIND_FILE;
	} else if (vfsd_fat_mounted) {
		if ((r = fatfs_lookup(&vfsd_fat, norm, &h->node)) < 0)
			return r;
		h->fat = 1;
		h->kind = (h->node.attr & FATFS_ATTR_DIR) ?
		    VFS_HANDLE_KIND_DIR : VFS_HANDLE_KIND_FILE;
	} else {
		if ((r = ns_resolve(&ns, norm, &h->idx)) < 0)
			return r;
		h->kind = r == 1 ? VFS_HANDLE_KIND_FILE : VFS_HANDLE_KIND_DIR;
	}
	if (h->kind == VFS_HANDLE_KIND_FILE && q->path[q->path_len - 1] == '/')
		return -ENOTDIR;
	memcpy(h->path, norm, strlen(norm) + 1);
	return 0;
}

static int
resolve(const struct rustos_vfs_ipc_request *q, char *norm,
    struct handle *h)
{
	return resolve_f(q, norm, h, 0);
}

static uint64_t
handle_size(const struct handle *h)
{
	if (h->kind != VFS_HANDLE_KIND_FILE)
		return 0;
	if (h->mem)
		return memfs_node(h->mid)->size;
	return h->fat ? h->node.size : ns.e[h->idx].size;
}

static void
fill_stat(const struct handle *h, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_nlink = 1;
	st->st_blksize = 4096;
	if (h->mem) {
		const struct memfs_node *n = memfs_node(h->mid);

		st->st_mode = (n->link ? S_IFLNK : n->dir ? S_IFDIR :
		    n->sock ? S_IFSOCK : S_IFREG) | n->perm;
		st->st_ino = n->ino;
		st->st_size = (off_t)n->size;
		st->st_blocks = (blkcnt_t)((n->size + 511) / 512);
		st->st_nlink = n->dir ? 2 : 1;
		st->st_dev = 2;
		st->st_uid = n->uid;
		st->st_gid = n->gid;
	} else if (h->fat) {
		st->st_mode = h->node.mode;
		st->st_ino = h->node.ino;
		st->st_size = (off_t)h->node.size;
		st->st_blocks = (blkcnt_t)((h->node.size + 511) / 512);
		st->st_nlink = h->kind == VFS_HANDLE_KIND_DIR ? 2 : 1;
		st->st_mtim.tv_sec = h->node.mtime;
		st->st_atim.tv_sec = h->node.atime;
		st->st_ctim.tv_sec = h->node.mtime;
	} else if (h->kind == VFS_HANDLE_KIND_FILE) {
		st->st_mode = S_IFREG | 0444;
		st->st_size = (off_t)ns.e[h->idx].size;
		st->st_ino = 1000 + h->idx;
		st->st_blocks = (blkcnt_t)((ns.e[h->idx].size + 511) / 512);
	} else {
		st->st_mode = S_IFDIR | 0555;
		st->st_ino = 1;
		st->st_nlink = 2;
	}
}

/* Status flags F_GETFL reports and F_SETFL may change. */
#define OFLAGS_KEPT	(O_ACCMODE | O_APPEND | O_NONBLOCK | O_DSYNC | \
	O_SYNC | O_DIRECT | O_NOATIME | O_ASYNC | O_LARGEFILE | O_PATH)
#define OFLAGS_SETFL	(O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | \
	O_NOATIME)

/* A freshly opened handle h (slot i) becomes the caller's. */
static long
attach(const struct rustos_vfs_ipc_request *q,
    struct rustos_vfs_ipc_response *o, struct handle *h, size_t i)
{
	if (href_add(q->pid, (uint32_t)i, 1) < 0) {
		handle_release(h);
		return -ENFILE;
	}
	h->oflags = q->flags & OFLAGS_KEPT;
	h->cursor = 0;
	h->rta_filter = !h->mem && rta_confined(q->pid);
	o->status = 0;
	o->handle_kind = (uint16_t)h->kind;
	o->remote_id = i + 1;
	o->value = handle_size(h);
	return (long)offsetof(struct rustos_vfs_ipc_response, payload);
}

/*
 * Credentials (creds.h).  cred_real: access(2) judges with the real ids
 * (Linux swaps them in for the whole call); set by h_access only.
 */
static int cred_real;

/*
 * The caller's credentials: syscalld's last push for the pid, else the
 * request's ids (the kernel's view).  Valid until the next call.
 */
static const struct rustos_vfs_creds *
cred_of(const struct rustos_vfs_ipc_request *q)
{
	static struct rustos_vfs_creds c;
	const struct rustos_vfs_creds *e = vcred_find(q->pid);

	if (e != NULL) {
		c = *e;
	} else {
		memset(&c, 0, sizeof(c));
		c.ruid = q->uid;
		c.euid = c.suid = c.fsuid = q->euid;
		c.rgid = q->gid;
		c.egid = c.sgid = c.fsgid = q->egid;
	}
	if (cred_real) {
		c.fsuid = c.ruid;
		c.fsgid = c.rgid;
	}
	return &c;
}

/* Permission of memfs node id for the caller (R_OK|W_OK|X_OK in want). */
static int
node_perm(const struct rustos_vfs_ipc_request *q, uint32_t id, int want)
{
	const struct memfs_node *n = memfs_node(id);

	if (n == NULL)
		return -ENOENT;
	return vcred_perm(cred_of(q), n->uid, n->gid, n->perm, n->dir, want);
}

/*
 * Search (x) permission on every memfs directory above the last
 * component of the absolute, normalised norm: -EACCES.  A missing or
 * non-directory component stops the check: the lookup reports it.  Root
 * searches everything, so its requests skip the walk.  (The walk is over
 * the resolved path; Linux skips the components above a dirfd or cwd.)
 */
static int
search_check(const struct rustos_vfs_ipc_request *q, const char *norm)
{
	char prefix[NS_PATH_MAX];
	const struct memfs_node *n;
	uint32_t id;
	size_t i;
	int r;

	if (cred_of(q)->fsuid == 0)
		return 0;
	for (i = 1; norm[i] != '\0'; i++) {
		if (norm[i] != '/')
			continue;
		memcpy(prefix, norm, i);
		prefix[i] = '\0';
		if (!memfs_owns(prefix))
			continue;
		if (memfs_lookup(prefix, &id) < 0 ||
		    !(n = memfs_node(id))->dir)
			return 0;
		if ((r = node_perm(q, id, X_OK)) < 0)
			return r;
	}
	return 0;
}

/*
 * The memfs directory holding norm: 1 with *id; 0 when there is none (a
 * mount root's parent is the read-only root, or the lookup fails: the
 * operation itself reports that).
 */
static int
parent_of(const char *norm, uint32_t *id)
{
	char parent[NS_PATH_MAX];
	const char *slash = strrchr(norm, '/');
	size_t n;

	if (slash == NULL)
		return 0;
	n = slash == norm ? 1 : (size_t)(slash - norm);
	memcpy(parent, norm, n);
	parent[n] = '\0';
	if (!memfs_owns(parent) || memfs_lookup(parent, id) < 0 ||
	    !memfs_node(*id)->dir)
		return 0;
	return 1;
}

/* May the caller add a name to the directory holding norm?  (w and x.) */
static int
create_check(const struct rustos_vfs_ipc_request *q, const char *norm)
{
	uint32_t dir;

	if (parent_of(norm, &dir) == 0)
		return 0;
	return node_perm(q, dir, W_OK | X_OK);
}

/*
 * May the caller remove (or rename away) the existing name norm?  w and
 * x on its directory (-EACCES), then the sticky rule (-EPERM).  A name
 * that does not exist passes: the operation reports -ENOENT.
 */
static int
delete_check(const struct rustos_vfs_ipc_request *q, const char *norm)
{
	const struct memfs_node *d;
	uint32_t dir, id;
	int r;

	if (memfs_lookup(norm, &id) < 0 || parent_of(norm, &dir) == 0)
		return 0;
	if ((r = node_perm(q, dir, W_OK | X_OK)) < 0)
		return r;
	d = memfs_node(dir);
	return vcred_sticky(cred_of(q), d->uid, d->perm, memfs_node(id)->uid);
}

/*
 * A node the caller just made (id, named norm) belongs to its fsuid and
 * fsgid, or to the directory's group when that directory is set-gid (a
 * new subdirectory then inherits S_ISGID), as on Linux.
 */
static void
own_new(const struct rustos_vfs_ipc_request *q, const char *norm, uint32_t id)
{
	const struct rustos_vfs_creds *c = cred_of(q);
	const struct memfs_node *p;
	struct memfs_node *n;
	uint32_t dir, gid = c->fsgid;

	if ((n = memfs_node(id)) == NULL)
		return;
	if (parent_of(norm, &dir) == 1 && ((p = memfs_node(dir))->perm &
	    02000)) {
		gid = p->gid;
		if (n->dir)
			(void)memfs_chmod(id, n->perm | 02000);
	}
	(void)memfs_chown(id, c->fsuid, gid);
}

static long
mem_open(const struct rustos_vfs_ipc_request *q,
    struct rustos_vfs_ipc_response *o, struct handle *h, size_t i,
    const char *norm)
{
	int acc = q->flags & O_ACCMODE, mf = 0, r, existed;

	if (acc == O_ACCMODE)
		return -EINVAL;
	if (q->flags & O_CREAT)
		mf |= MEMFS_O_CREAT;
	if (q->flags & O_EXCL)
		mf |= MEMFS_O_EXCL;
	if (q->flags & O_TRUNC)
		mf |= MEMFS_O_TRUNC;
	if (q->flags & O_DIRECTORY)
		mf |= MEMFS_O_DIRECTORY;
	if (acc != O_RDONLY)
		mf |= MEMFS_O_WRITE;
	handle_clear(h);
	existed = memfs_lookup(norm, &h->mid) == 0;
	/* A socket node cannot be opened (Linux: ENXIO). */
	if (existed && memfs_node(h->mid)->sock &&
	    (q->flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL))
		return -ENXIO;
	/* O_CREAT|O_EXCL of an existing name is -EEXIST before any check. */
	if (existed && (q->flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL) &&
	    (r = node_perm(q, h->mid, (acc != O_WRONLY ? R_OK : 0) |
	    (acc != O_RDONLY || (q->flags & O_TRUNC) ? W_OK : 0))) < 0)
		return r;
	if (!existed && (q->flags & O_CREAT) &&
	    (r = create_check(q, norm)) < 0)
		return r;
	if ((r = memfs_open(norm, mf, &h->mid)) < 0)
		return r;
	/* A new node takes the open's mode (arg0; no umask is kept). */
	if (!existed) {
		(void)memfs_chmod(h->mid, (uint32_t)q->arg0);
		own_new(q, norm, h->mid);
	}
	h->mem = 1;
	h->kind = memfs_node(h->mid)->dir ? VFS_HANDLE_KIND_DIR :
	    VFS_HANDLE_KIND_FILE;
	if (h->kind == VFS_HANDLE_KIND_FILE &&
	    q->path[q->path_len - 1] == '/') {
		memfs_close(h->mid);
		handle_clear(h);
		return -ENOTDIR;
	}
	h->writable = acc != O_RDONLY;
	h->wronly = acc == O_WRONLY;
	h->append = (q->flags & O_APPEND) != 0;
	memcpy(h->path, norm, strlen(norm) + 1);
	return attach(q, o, h, i);
}

/*
 * Whether the directory holding norm exists on the read-only root: 0, or
 * the lookup's error (-ENOENT, -ENOTDIR).
 */
static int
rofs_parent_error(const char *norm)
{
	static struct fatfs_node node;
	char parent[NS_PATH_MAX];
	const char *slash;
	size_t idx, n;
	int r;

	slash = strrchr(norm, '/');
	n = slash == NULL || slash == norm ? 1 : (size_t)(slash - norm);
	memcpy(parent, norm, n);
	parent[n] = '\0';
	if (vfsd_fat_mounted) {
		if ((r = fatfs_lookup(&vfsd_fat, parent, &node)) < 0)
			return r;
		return (node.attr & FATFS_ATTR_DIR) ? 0 : -ENOTDIR;
	}
	if ((r = ns_resolve(&ns, parent, &idx)) < 0)
		return r;
	return r == 1 ? -ENOTDIR : 0;
}

/*
 * A write or create open on the read-only root fails the way Linux orders
 * the checks: a missing directory on the way is -ENOENT/-ENOTDIR, an
 * existing name with O_CREAT|O_EXCL -EEXIST, a directory opened for
 * writing -EISDIR, anything else -EROFS (a shell's `echo > /nosuch/f`
 * must say the directory is missing, not that the volume is read-only).
 */
static long
rofs_open_error(const struct rustos_vfs_ipc_request *q, const char *norm)
{
	static struct handle h;
	char tmp[NS_PATH_MAX];
	int r;

	r = resolve(q, tmp, &h);
	if (r == 0) {
		if ((q->flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
			return -EEXIST;
		if (h.kind == VFS_HANDLE_KIND_DIR &&
		    (q->flags & O_ACCMODE) != O_RDONLY)
			return -EISDIR;
		return -EROFS;
	}
	if (r != -ENOENT)
		return r;
	if (!(q->flags & O_CREAT))
		return -ENOENT;
	r = rofs_parent_error(norm);
	return r < 0 ? r : -EROFS;
}

static long
h_openat(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	char norm[NS_PATH_MAX];
	struct handle *h;
	size_t i;
	int r;

	if (q->pid == 0 || q->path_len > VFS_IPC_PATH_MAX)
		return -EINVAL;
	if (q->path_len == 0)
		return -ENOENT;
	for (i = 0; i < MAX_HANDLES; i++)
		if (handles[i].refs == 0)
			break;
	if (i == MAX_HANDLES)
		return -ENFILE;
	h = &handles[i];
	/*
	 * O_NOFOLLOW and O_CREAT|O_EXCL take the last component as it is
	 * (memfs_open: a link is -ELOOP, or -EEXIST for O_EXCL).
	 */
	if ((r = full_path_f(q, q->path, q->path_len, q->remote_id, norm,
	    !((q->flags & O_NOFOLLOW) || (q->flags & (O_CREAT | O_EXCL)) ==
	    (O_CREAT | O_EXCL)))) < 0)
		return r;
	if (memfs_owns(norm))
		return mem_open(q, o, h, i, norm);
	/* Read-only root: any write access or creation is refused. */
	if ((q->flags & O_ACCMODE) != O_RDONLY ||
	    (q->flags & (O_CREAT | O_TRUNC | O_APPEND)))
		return rofs_open_error(q, norm);
	if ((r = resolve(q, norm, h)) < 0)
		goto fail;
	if (h->kind == VFS_HANDLE_KIND_FILE && (q->flags & O_DIRECTORY)) {
		r = -ENOTDIR;
		goto fail;
	}
	if (h->fat && h->kind == VFS_HANDLE_KIND_DIR)
		r = fatfs_opendir(&vfsd_fat, &h->node, &h->dir);
	else if (h->fat)
		r = fatfs_open(&vfsd_fat, &h->node, &h->file);
	if (r < 0)
		goto fail;
	return attach(q, o, h, i);
fail:
	handle_clear(h);
	return r;
}

/* NEWFSTATAT: payload = struct stat (144 bytes). */
static long
h_newfstatat(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	static struct handle h;
	char norm[NS_PATH_MAX];
	struct stat st;
	int r;

	/* AT_SYMLINK_NOFOLLOW, AT_NO_AUTOMOUNT, AT_EMPTY_PATH only. */
	if (q->flags & ~0x1900u)
		return -EINVAL;
	if ((r = resolve_f(q, norm, &h, (q->flags & 0x100) != 0)) < 0)
		return r;
	fill_stat(&h, &st);
	o->status = 0;
	o->payload_len = sizeof(st);
	memcpy(o->payload, &st, sizeof(st));
	return (long)(offsetof(struct rustos_vfs_ipc_response, payload) +
	    sizeof(st));
}

static void
put32(unsigned char *b, size_t off, uint32_t v)
{
	memcpy(b + off, &v, 4);
}

static void
put64(unsigned char *b, size_t off, uint64_t v)
{
	memcpy(b + off, &v, 8);
}

/* STATX: payload = Linux struct statx (256 bytes), basic stats. */
static long
h_statx(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	static struct handle h;
	char norm[NS_PATH_MAX];
	unsigned char *b = o->payload;
	uint16_t mode;
	struct stat st;
	int r;

	/* STATX__RESERVED in the mask; unknown flags or sync type 3. */
	if ((q->arg0 & 0x80000000u) || (q->flags & ~0x7900u) ||
	    (q->flags & 0x6000u) == 0x6000u)
		return -EINVAL;
	if ((r = resolve_f(q, norm, &h, (q->flags & 0x100) != 0)) < 0)
		return r;
	fill_stat(&h, &st);
	memset(b, 0, 256);
	put32(b, 0, 0x7ffu);			/* STATX_BASIC_STATS */
	put32(b, 4, (uint32_t)st.st_blksize);
	put32(b, 16, (uint32_t)st.st_nlink);
	put32(b, 20, (uint32_t)st.st_uid);
	put32(b, 24, (uint32_t)st.st_gid);
	mode = (uint16_t)st.st_mode;
	memcpy(b + 28, &mode, 2);
	put64(b, 32, (uint64_t)st.st_ino);
	put64(b, 40, (uint64_t)st.st_size);
	put64(b, 48, (uint64_t)st.st_blocks);
	put64(b, 64, (uint64_t)st.st_atim.tv_sec);
	put64(b, 96, (uint64_t)st.st_ctim.tv_sec);
	put64(b, 112, (uint64_t)st.st_mtim.tv_sec);
	o->status = 0;
	o->payload_len = 256;
	return (long)(offsetof(struct rustos_vfs_ipc_response, payload) + 256);
}

/*
 * ACCESS (arg0 = mode): W_OK on the read-only root is -EROFS.  X_OK is
 * granted for FAT/bootfs files: FAT keeps no execute bits and the image's
 * programs are executable by construction; memfs nodes have mode bits
 * (node_perm).  flags VFS_ACCESS_F_EXEC (the execve check): anything
 * but a regular file is -EACCES; VFS_ACCESS_F_HANDLE: the caller's open
 * handle remote_id instead of a path (-EBADF: not one of its handles),
 * and the reply's payload is that handle's absolute, normalised path
 * (what execve records as /proc/self/exe).
 */
static long
access_do(const struct rustos_vfs_ipc_request *q, void *resp, size_t cap)
{
	struct rustos_vfs_ipc_response *o;
	static struct handle h;
	char norm[NS_PATH_MAX];
	int r;

	if (q->flags & VFS_ACCESS_F_HANDLE) {
		/* The open file itself (fexecve): no path, no lookup. */
		const struct handle *o = get_handle(q);

		if (q->path_len != 0)
			return -EINVAL;
		if (o == NULL)
			return -EBADF;
		h = *o;
	} else if ((r = resolve(q, norm, &h)) < 0)
		return r;
	if ((q->flags & VFS_ACCESS_F_EXEC) && h.kind != VFS_HANDLE_KIND_FILE)
		return -EACCES;
	if ((q->arg0 & W_OK) && !h.mem)
		return -EROFS;
	if (h.mem && (r = node_perm(q, h.mid, (int)q->arg0)) < 0)
		return r;
	o = resp;
	o->status = 0;
	o->payload_len = 0;
	if (q->flags & VFS_ACCESS_F_HANDLE) {
		/* The handle's absolute, normalised path (no NUL). */
		size_t n = strlen(h.path);

		if (cap >= offsetof(struct rustos_vfs_ipc_response, payload) +
		    n) {
			memcpy(o->payload, h.path, n);
			o->payload_len = (uint32_t)n;
		}
	}
	return (long)(offsetof(struct rustos_vfs_ipc_response, payload) +
	    o->payload_len);
}

/*
 * access(2) and faccessat(2) judge with the real ids; the execve check
 * and faccessat2's AT_EACCESS (VFS_ACCESS_F_EACCESS) with the fs ids.
 */
static long
h_access(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	long r;

	if (q->arg0 & ~(uint64_t)7 || q->flags & ~(uint32_t)(VFS_ACCESS_F_EXEC |
	    VFS_ACCESS_F_HANDLE | VFS_ACCESS_F_EACCESS))
		return -EINVAL;
	cred_real = !(q->flags & (VFS_ACCESS_F_EXEC | VFS_ACCESS_F_EACCESS));
	r = access_do(q, resp, cap);
	cred_real = 0;
	return r;
}

/*
 * READLINKAT (arg1 = the caller's buffer size): payload = the target of
 * the memfs link the path names (no NUL, cut to arg1); status = its
 * length.  Anything else is not a link: -EINVAL.
 */
static long
h_readlinkat(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	const struct memfs_node *n;
	static struct handle h;
	char norm[NS_PATH_MAX];
	size_t tl;
	int r;

	if (q->arg1 == 0)
		return -EINVAL;		/* bufsiz 0, before the lookup */
	if ((r = resolve_f(q, norm, &h, 1)) < 0)
		return r;
	if (!h.mem || !(n = memfs_node(h.mid))->link)
		return -EINVAL;
	tl = (size_t)n->size;
	if (tl > q->arg1)
		tl = (size_t)q->arg1;
	if (tl > cap - offsetof(struct rustos_vfs_ipc_response, payload))
		tl = cap - offsetof(struct rustos_vfs_ipc_response, payload);
	memcpy(o->payload, n->data, tl);
	o->status = (int32_t)tl;
	o->payload_len = (uint32_t)tl;
	return (long)(offsetof(struct rustos_vfs_ipc_response, payload) + tl);
}

static long
h_chdir(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	static struct handle h;
	char norm[NS_PATH_MAX];
	int r;

	if (q->pid == 0)
		return -EINVAL;
	if ((r = resolve(q, norm, &h)) < 0)
		return r;
	if (h.kind != VFS_HANDLE_KIND_DIR)
		return -ENOTDIR;
	if (h.mem && (r = node_perm(q, h.mid, X_OK)) < 0)
		return r;
	cwd_set(q->pid, norm);
	o->status = 0;
	return (long)offsetof(struct rustos_vfs_ipc_response, payload);
}

/* GETCWD (arg1 = buffer size): payload = the cwd with its NUL. */
static long
h_getcwd(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	const char *cwd = cwd_get(q->pid);
	size_t n = strlen(cwd) + 1;

	if (q->arg1 < n)
		return -ERANGE;
	memcpy(o->payload, cwd, n);
	o->status = (int32_t)n;
	o->payload_len = (uint32_t)n;
	return (long)(offsetof(struct rustos_vfs_ipc_response, payload) + n);
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
	if (h->wronly)
		return -EBADF;
	if (q->op == VFS_IPC_OP_PREAD64 && (int64_t)off < 0)
		return -EINVAL;
	if (q->op == VFS_IPC_OP_READ && (q->flags & VFS_IPC_F_CURSOR))
		off = h->cursor;
	if (count > VFS_IPC_RESP_PAYLOAD_MAX)
		count = VFS_IPC_RESP_PAYLOAD_MAX;
	if (h->mem) {
		r = memfs_pread(h->mid, o->payload, count, off);
		if (r < 0)
			return r;
		count = (uint64_t)r;
		goto done;
	}
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
	if (q->op == VFS_IPC_OP_READ && (q->flags & VFS_IPC_F_CURSOR))
		h->cursor = off + count;
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
	fill_stat(h, &st);
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
	struct href *r;

	if (get_handle(q) == NULL ||
	    (r = href_find(q->pid, q->remote_id - 1)) == NULL)
		return -EBADF;
	href_put(r, 1);
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
 * The mount points in "/" that are not the volume's: vfsd's memfs at
 * /tmp, /run and /home, and /dev, whose paths the kernel always routes to
 * devmgrd.  Listed after the volume's entries at cursors MOUNTS_CURSOR + i
 * unless the volume has that name.
 */
static const char *const root_mounts[] = { "tmp", "run", "home", "dev" };
#define DEV_INO		0x200000000ull
#define MOUNTS_CURSOR	((uint64_t)FATFS_DIR_MAX_ENTRIES + 16)

static long
mounts_getdents(uint64_t *cursor, unsigned char *buf, size_t cap,
    size_t used)
{
	struct fatfs_node n;
	char path[8];
	uint32_t id;
	uint64_t i;
	size_t w;

	if (*cursor < MOUNTS_CURSOR)
		*cursor = MOUNTS_CURSOR;
	for (i = *cursor - MOUNTS_CURSOR;
	    i < sizeof(root_mounts) / sizeof(root_mounts[0]); i++) {
		snprintf(path, sizeof(path), "/%s", root_mounts[i]);
		id = 0;
		if ((vfsd_fat_mounted && fatfs_lookup(&vfsd_fat, path,
		    &n) == 0) || (memfs_owns(path) &&
		    memfs_lookup(path, &id) < 0)) {
			*cursor = MOUNTS_CURSOR + i + 1;
			continue;
		}
		w = put_dirent(buf + used, cap - used, id != 0 ?
		    memfs_node(id)->ino : DEV_INO,
		    MOUNTS_CURSOR + i + 1, 4, root_mounts[i],
		    strlen(root_mounts[i]));
		if (w == 0)
			break;
		used += w;
		*cursor = MOUNTS_CURSOR + i + 1;
	}
	return used == 0 && i < sizeof(root_mounts) / sizeof(root_mounts[0]) ?
	    -EINVAL : (long)used;
}

/*
 * FAT directory listing.  Cursor: for the root, 0 and 1 are the synthetic
 * "." and ".." (the FAT root has none stored) and fatfs positions follow
 * shifted by 2, then vfsd's mount points (mounts_getdents); elsewhere the
 * cursor is the fatfs position.
 */
static long
fat_getdents(struct handle *h, uint64_t *cursor, unsigned char *buf,
    size_t cap)
{
	struct fatfs_node *n;
	uint64_t base = h->node.is_root ? 2 : 0;
	size_t used = 0, w;
	uint32_t pos;
	int r, end = 0;

	while (h->node.is_root && *cursor < 2) {
		w = put_dirent(buf + used, cap - used, h->node.ino, *cursor + 1,
		    4, "..", (size_t)(*cursor + 1));
		if (w == 0)
			return used ? (long)used : -EINVAL;
		used += w;
		(*cursor)++;
	}
	if (h->node.is_root && *cursor >= MOUNTS_CURSOR)
		return mounts_getdents(cursor, buf, cap, used);
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
		if (r == 0)
			end = 1;
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
	/* The volume's entries are all out: the mount points follow. */
	if (end && h->node.is_root) {
		r = (int)mounts_getdents(cursor, buf, cap, used);
		return r < 0 && used > 0 ? (long)used : r;
	}
	return (long)used;
}

/* memfs listing: cursor 0 and 1 are "." and "..", then 2 + node id. */
static long
mem_getdents(struct handle *h, uint64_t *cursor, unsigned char *buf,
    size_t cap)
{
	const struct memfs_node *n;
	uint32_t mc, id;
	size_t used = 0, w;

	while (*cursor < 2) {
		w = put_dirent(buf + used, cap - used,
		    memfs_node(h->mid)->ino, *cursor + 1, 4, "..",
		    (size_t)(*cursor + 1));
		if (w == 0)
			return used ? (long)used : -EINVAL;
		used += w;
		(*cursor)++;
	}
	for (;;) {
		if (*cursor - 2 >= MEMFS_MAX_NODES)
			break;
		mc = (uint32_t)(*cursor - 2);
		if (memfs_readdir(h->mid, &mc, &id) <= 0)
			break;
		n = memfs_node(id);
		w = put_dirent(buf + used, cap - used, n->ino, (uint64_t)mc + 2,
		    n->link ? 10 : n->dir ? 4 : n->sock ? 12 : 8, n->name,
		    strlen(n->name));
		if (w == 0)
			return used ? (long)used : -EINVAL;
		used += w;
		*cursor = (uint64_t)mc + 2;
	}
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
	if (q->flags & VFS_IPC_F_CURSOR)
		cursor = h->cursor;
	if (want > VFS_IPC_RESP_PAYLOAD_MAX)
		want = VFS_IPC_RESP_PAYLOAD_MAX;
	do {
		if (h->mem)
			r = mem_getdents(h, &cursor, o->payload, (size_t)want);
		else if (h->fat)
			r = fat_getdents(h, &cursor, o->payload, (size_t)want);
		else
			r = ns_getdents(&ns, h->path, &cursor, o->payload,
			    (size_t)want);
		/*
		 * Opened by a confined pid: only entries leading to a grant
		 * (and the mount points); a batch that was all hidden is
		 * not the end, go on from its cursor.
		 */
		if (r > 0 && h->rta_filter)
			r = (long)rta_filter_dirents(h->path, o->payload,
			    (size_t)r);
		else
			break;
	} while (r == 0);
	if (r < 0)
		return r;
	if (q->flags & VFS_IPC_F_CURSOR)
		h->cursor = cursor;
	o->status = (int32_t)r;
	o->payload_len = (uint32_t)r;
	o->remote_id = q->remote_id;
	o->value = cursor;
	return (long)(offsetof(struct rustos_vfs_ipc_response, payload) +
	    (size_t)r);
}

/*
 * WRITE: remote_id, arg0 = offset (the kernel's cursor), payload = bytes.
 * Reply status = bytes written, value = the new cursor (end of file for
 * O_APPEND handles).  Handles on the read-only root: -EBADF (they are
 * never open for writing).
 */
static long
h_write(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	struct handle *h = get_handle(q);
	uint64_t off = q->arg0;
	long r;

	if (h == NULL || !h->mem || !h->writable)
		return -EBADF;
	if (h->kind != VFS_HANDLE_KIND_FILE)
		return -EISDIR;
	if (q->payload_len > VFS_IPC_REQ_PAYLOAD_MAX || (int64_t)off < 0)
		return -EINVAL;
	if (q->flags & VFS_IPC_F_CURSOR)
		off = h->cursor;
	if (h->append)
		off = memfs_node(h->mid)->size;
	if ((r = memfs_pwrite(h->mid, q->payload, q->payload_len, off)) < 0)
		return r;
	if (q->flags & VFS_IPC_F_CURSOR)
		h->cursor = off + (uint64_t)r;
	o->status = (int32_t)r;
	o->remote_id = q->remote_id;
	o->value = off + (uint64_t)r;
	return (long)offsetof(struct rustos_vfs_ipc_response, payload);
}

/* FTRUNCATE: remote_id, arg0 = length. */
static long
h_ftruncate(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	struct handle *h = get_handle(q);
	int r;

	if (h == NULL)
		return -EBADF;
	if (!h->mem || !h->writable)
		return h->kind == VFS_HANDLE_KIND_DIR ? -EISDIR : -EINVAL;
	if ((r = memfs_truncate(h->mid, q->arg0)) < 0)
		return r;
	o->status = 0;
	return (long)offsetof(struct rustos_vfs_ipc_response, payload);
}

/*
 * On the read-only root, as Linux orders the checks: the name exists ->
 * exists_err (mkdir: -EEXIST, unlink/rename: -EROFS), it does not ->
 * -EROFS for mkdir, -ENOENT for unlink/rename (missing_err).
 */
static int
rofs_error(const struct rustos_vfs_ipc_request *q, int exists_err,
    int missing_err)
{
	static struct handle h;
	char norm[NS_PATH_MAX];
	int r;

	r = resolve(q, norm, &h);
	if (r == 0)
		return exists_err;
	return r == -ENOENT ? missing_err : r;
}

/* MKDIR: path, arg0 = mode. */
static long
h_mkdir(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	char norm[NS_PATH_MAX];
	uint32_t id;
	int r;

	if ((r = full_path_nf(q, q->path, q->path_len, q->remote_id, norm)) < 0)
		return r;
	if (!memfs_owns(norm))
		return rofs_error(q, -EEXIST, -EROFS);
	/* An existing name is -EEXIST before the permission check. */
	if (memfs_lookup(norm, &id) < 0 && (r = create_check(q, norm)) < 0)
		return r;
	if ((r = memfs_mkdir(norm)) < 0)
		return r;
	if (memfs_lookup(norm, &id) == 0) {
		(void)memfs_chmod(id, (uint32_t)q->arg0);
		own_new(q, norm, id);
	}
	o->status = 0;
	return (long)offsetof(struct rustos_vfs_ipc_response, payload);
}

/*
 * MKSOCK: path, arg0 = mode.  The kernel's bind of an AF_UNIX pathname
 * (for netd, which keys the name by the node): the caller's rights to
 * create the name as for mkdir; reply value = the node's st_ino.
 */
static long
h_mksock(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	char norm[NS_PATH_MAX];
	uint32_t id;
	int r;

	if (!svc_kernel_forwarded)
		return -EPERM;
	if ((r = full_path_nf(q, q->path, q->path_len, q->remote_id, norm)) < 0)
		return r;
	if (!memfs_owns(norm))
		return rofs_error(q, -EEXIST, -EROFS);
	if (memfs_lookup(norm, &id) < 0 && (r = create_check(q, norm)) < 0)
		return r;
	if ((r = memfs_mksock(norm)) < 0)
		return r;
	if (memfs_lookup(norm, &id) != 0)
		return -EIO;
	(void)memfs_chmod(id, (uint32_t)q->arg0 & 0777);
	own_new(q, norm, id);
	o->status = 0;
	o->value = memfs_node(id)->ino;
	return (long)offsetof(struct rustos_vfs_ipc_response, payload);
}

/* UNLINKAT: path, flags = AT_REMOVEDIR (0x200) for rmdir. */
static long
h_unlinkat(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	char norm[NS_PATH_MAX];
	int r;

	if (q->flags & ~0x200u)
		return -EINVAL;
	/* rmdir of "." (as the last component) is EINVAL on Linux. */
	if ((q->flags & 0x200) && q->path_len > 0 && q->path_len <=
	    VFS_IPC_PATH_MAX && q->path[q->path_len - 1] == '.' &&
	    (q->path_len == 1 || q->path[q->path_len - 2] == '/'))
		return -EINVAL;
	if ((r = full_path_nf(q, q->path, q->path_len, q->remote_id, norm)) < 0)
		return r;
	if (!memfs_owns(norm))
		return rofs_error(q, -EROFS, -ENOENT);
	if ((r = delete_check(q, norm)) < 0)
		return r;
	if ((r = memfs_unlink(norm, (q->flags & 0x200) != 0)) < 0)
		return r;
	o->status = 0;
	return (long)offsetof(struct rustos_vfs_ipc_response, payload);
}

/*
 * rename's checks past the source's delete_check: the target is replaced
 * (delete rules) or a new name (create rules), and a directory that moves
 * to another parent needs w on itself (its ".." changes), as on Linux.
 */
static int
rename_target_check(const struct rustos_vfs_ipc_request *q, const char *from,
    const char *to)
{
	uint32_t id, fp, tp;
	int r;

	if (memfs_lookup(from, &id) < 0)
		return 0;	/* memfs_rename reports it */
	if (memfs_node(id)->dir && parent_of(from, &fp) == 1 &&
	    parent_of(to, &tp) == 1 && fp != tp &&
	    (r = node_perm(q, id, W_OK)) < 0)
		return r;
	return memfs_lookup(to, &id) == 0 ? delete_check(q, to) :
	    create_check(q, to);
}

/* RENAMEAT: path = old name, payload = new name (payload_len bytes). */
static long
h_renameat(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	char from[NS_PATH_MAX], to[NS_PATH_MAX];
	int r;

	if (q->payload_len > VFS_IPC_REQ_PAYLOAD_MAX)
		return -EINVAL;
	if ((r = full_path_nf(q, q->path, q->path_len, q->remote_id, from)) < 0)
		return r;
	if ((r = full_path_nf(q, q->payload, q->payload_len, q->arg1, to)) < 0)
		return r;
	if (memfs_owns(from) != memfs_owns(to))
		return -EXDEV;
	if (!memfs_owns(from))
		return rofs_error(q, -EROFS, -ENOENT);
	if ((r = delete_check(q, from)) < 0)
		return r;
	if ((r = rename_target_check(q, from, to)) < 0)
		return r;
	if ((r = memfs_rename(from, to)) < 0)
		return r;
	o->status = 0;
	return (long)offsetof(struct rustos_vfs_ipc_response, payload);
}

/*
 * SYMLINK: path = the new link, payload = its target (payload_len bytes,
 * no NUL).  The last component is never followed; outside memfs the
 * read-only root answers (-EEXIST for an existing name, else -EROFS).
 */
static long
h_symlink(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	static char target[VFS_PATH_MAX];
	char norm[NS_PATH_MAX];
	uint32_t id;
	const char *pre;
	size_t pl;
	int r;

	if (q->payload_len > VFS_IPC_REQ_PAYLOAD_MAX)
		return -ENAMETOOLONG;
	if (q->payload_len == 0)
		return -ENOENT;
	/* A staged target: its prefix, then payload (stage.c bounds it). */
	pre = stage_prefix(q, q->payload, &pl);
	if (pl + q->payload_len >= sizeof(target))
		return -ENAMETOOLONG;
	if (pl > 0)
		memcpy(target, pre, pl);
	memcpy(target + pl, q->payload, q->payload_len);
	if (memchr(target, '\0', pl + q->payload_len) != NULL)
		return -EINVAL;
	if ((r = full_path_nf(q, q->path, q->path_len, q->remote_id,
	    norm)) < 0)
		return r;
	if (!memfs_owns(norm))
		return rofs_error(q, -EEXIST, -EROFS);
	if (memfs_lookup(norm, &id) < 0 && (r = create_check(q, norm)) < 0)
		return r;
	if ((r = memfs_symlink(norm, target, pl + q->payload_len)) < 0)
		return r;
	if (memfs_lookup(norm, &id) == 0)
		own_new(q, norm, id);
	o->status = 0;
	return (long)offsetof(struct rustos_vfs_ipc_response, payload);
}

/*
 * DUP: one more reference of the caller to its handle remote_id (the
 * kernel installs the new fd after this reply).  Reply remote_id = the
 * same handle: dups share cursor and status flags.
 */
static long
h_dup(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	struct handle *h = get_handle(q);

	if (h == NULL)
		return -EBADF;
	if (h->refs == UINT32_MAX || href_add(q->pid, (uint32_t)(q->remote_id -
	    1), 1) < 0)
		return -ENFILE;
	o->status = 0;
	o->handle_kind = (uint16_t)h->kind;
	o->remote_id = q->remote_id;
	return (long)offsetof(struct rustos_vfs_ipc_response, payload);
}

/*
 * FCNTL of the open file description: arg0 = F_GETFL (3) or F_SETFL (4),
 * arg1 = the new flags.  F_SETFL changes O_APPEND, O_NONBLOCK, O_ASYNC,
 * O_DIRECT and O_NOATIME, never the access mode.  Per-fd flags
 * (FD_CLOEXEC) are the kernel's.
 */
static long
h_fcntl(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	struct handle *h = get_handle(q);

	if (h == NULL)
		return -EBADF;
	switch (q->arg0) {
	case F_GETFL:
		o->status = (int32_t)h->oflags;
		o->value = h->oflags;
		break;
	case F_SETFL:
		h->oflags = (h->oflags & ~(uint32_t)OFLAGS_SETFL) |
		    ((uint32_t)q->arg1 & OFLAGS_SETFL);
		h->append = (h->oflags & O_APPEND) != 0;
		o->status = 0;
		break;
	default:
		return -EINVAL;
	}
	return (long)offsetof(struct rustos_vfs_ipc_response, payload);
}

/*
 * LSEEK: arg0 = offset (signed), arg1 = whence (SEEK_SET/CUR/END).  Files
 * measure SEEK_END from their current size; a directory's cursor moves
 * with SEEK_SET/SEEK_CUR only.  Reply value = the new cursor.
 */
static long
h_lseek(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	struct handle *h = get_handle(q);
	int64_t base, off = (int64_t)q->arg0;

	if (h == NULL)
		return -EBADF;
	switch (q->arg1) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (int64_t)h->cursor;
		break;
	case SEEK_END:
		if (h->kind != VFS_HANDLE_KIND_FILE)
			return -EINVAL;
		base = (int64_t)handle_size(h);
		break;
	default:
		return -EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	h->cursor = (uint64_t)(base + off);
	o->status = 0;
	o->value = h->cursor;
	return (long)offsetof(struct rustos_vfs_ipc_response, payload);
}

/*
 * LIFECYCLE EXEC: remote_id = pid's handle of the committed image.  An
 * image on memfs is not part of the signed volume: the pid gets the
 * linux-runtime profile (sticky, access.c).  -EBADF when pid holds no
 * such handle, -ENFILE when no profile slot is left.
 */
static int
exec_profile(const struct rustos_vfs_ipc_request *q)
{
	const struct handle *h = get_handle(q);

	if (h == NULL)
		return -EBADF;
	if (h->mem && rta_confine(q->pid) < 0)
		return -ENFILE;
	return 0;
}

/*
 * LIFECYCLE (kernel-forwarded only; see docs/ai/bootstrap.md).  FORK:
 * arg1 = the child pid, which gets every reference and the cwd of pid
 * (the parent, blocked in its fork): the child's fds share the parent's
 * open file descriptions.  All or nothing: on -ENFILE the child holds no
 * reference.  EXIT: every reference and the cwd of pid go.  SHARE:
 * arg1 gets one reference of pid's handle remote_id (an fd sent over IPC
 * with handles).  The sender may be a service holding a copy without a
 * reference (procd's echo): then a handle arg1 itself holds will do;
 * -EBADF when neither holds it.
 */
static long
h_lifecycle(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	uint64_t child = q->arg1, copied = 0;
	struct handle *h;
	size_t i;
	int r;

	if (!svc_kernel_forwarded)
		return -EPERM;
	if (q->pid == 0)
		return -EINVAL;
	switch (q->arg0) {
	case VFS_LIFECYCLE_FORK:
		if (child == 0 || child == q->pid)
			return -EINVAL;
		/* First the credentials: a child without them would be root. */
		if (vcred_fork(q->pid, child) < 0)
			return -ENFILE;
		/* The access profile: a confined parent, a confined child. */
		if (rta_fork(q->pid, child) < 0) {
			vcred_drop(child);
			return -ENFILE;
		}
		for (i = 0; i < MAX_REFS; i++) {
			if (hrefs[i].n == 0 || hrefs[i].pid != q->pid)
				continue;
			if (href_add(child, hrefs[i].slot, hrefs[i].n) < 0) {
				for (i = 0; i < MAX_REFS; i++)
					if (hrefs[i].n != 0 &&
					    hrefs[i].pid == child)
						href_put(&hrefs[i], hrefs[i].n);
				vcred_drop(child);
				rta_exit(child);
				return -ENFILE;
			}
			copied += hrefs[i].n;
		}
		if (strcmp(cwd_get(q->pid), "/") != 0)
			cwd_set(child, cwd_get(q->pid));
		break;
	case VFS_LIFECYCLE_SHARE:
		if (child == 0)
			return -EINVAL;
		if ((h = get_handle(q)) == NULL &&
		    (h = handle_for(child, q->remote_id)) == NULL)
			return -EBADF;
		if (h->refs == UINT32_MAX || href_add(child, (uint32_t)(
		    q->remote_id - 1), 1) < 0)
			return -ENFILE;
		copied = 1;
		o->handle_kind = (uint16_t)h->kind;
		break;
	case VFS_LIFECYCLE_EXIT:
		for (i = 0; i < MAX_REFS; i++)
			if (hrefs[i].n != 0 && hrefs[i].pid == q->pid) {
				copied += hrefs[i].n;
				href_put(&hrefs[i], hrefs[i].n);
			}
		cwd_drop(q->pid);
		vcred_drop(q->pid);
		stage_drop_pid(q->pid);
		rta_exit(q->pid);
		break;
	case VFS_LIFECYCLE_EXEC:
		/*
		 * An execve committed: remote_id = its image's handle.  One
		 * from outside the signed volume (memfs) confines the pid
		 * for good; an error fails the exec (fail closed).
		 */
		if ((r = exec_profile(q)) < 0)
			return r;
		copied = (uint64_t)rta_confined(q->pid);
		break;
	default:
		return -EINVAL;
	}
	o->status = 0;
	o->value = copied;
	return (long)offsetof(struct rustos_vfs_ipc_response, payload);
}

/*
 * MOUNT: path = target, payload = file system type, arg0 = Linux MS_*
 * flags (the source and data strings stay with the kernel: tmpfs ignores
 * them).  Policy: root only (euid 0), a new tmpfs on an existing directory
 * of /tmp, /run or /home.  Checked in Linux's order: the target (-ENOENT,
 * -ENOTDIR), the privilege (-EPERM), the type (-ENODEV), then the flags:
 * remount, bind, move and propagation changes are not offered (-EINVAL);
 * MS_RDONLY makes a read-only tmpfs (-EROFS below).  Elsewhere: -EPERM.
 */
#define MS_RDONLY_L	0x1
#define MS_REMOUNT_L	0x20
#define MS_BIND_L	0x1000
#define MS_MOVE_L	0x2000
#define MS_PROPAGATION	(0x8000u | 0x20000u | 0x40000u | 0x80000u | \
	0x100000u)	/* MS_UNBINDABLE, PRIVATE, SLAVE, SHARED, MS_REC */

static long
h_mount(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	char norm[NS_PATH_MAX];
	static struct handle h;
	int r;

	if (q->payload_len > VFS_IPC_REQ_PAYLOAD_MAX)
		return -EINVAL;
	if ((r = resolve(q, norm, &h)) < 0)
		return r;
	if (h.kind != VFS_HANDLE_KIND_DIR)
		return -ENOTDIR;
	if (cred_of(q)->euid != 0)
		return -EPERM;
	if (!(q->payload_len == 5 && memcmp(q->payload, "tmpfs", 5) == 0))
		return -ENODEV;
	if (q->arg0 & (MS_REMOUNT_L | MS_BIND_L | MS_MOVE_L | MS_PROPAGATION))
		return -EINVAL;
	if (!h.mem)
		return -EPERM;
	if ((r = memfs_mount(norm, (q->arg0 & MS_RDONLY_L) != 0)) < 0)
		return r;
	svc_log(SVC_LOG_INFO, "mount: tmpfs on %s%s (pid %llu)", norm,
	    (q->arg0 & MS_RDONLY_L) ? " (read-only)" : "",
	    (unsigned long long)q->pid);
	o->status = 0;
	return (long)offsetof(struct rustos_vfs_ipc_response, payload);
}

/*
 * UMOUNT2: path = target, arg0 = flags (MNT_FORCE 1, MNT_DETACH 2,
 * MNT_EXPIRE 4, UMOUNT_NOFOLLOW 8; others -EINVAL).  Root only; a target
 * that is no tmpfs mount point: -EINVAL; busy: -EBUSY.
 */
static long
h_umount2(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	char norm[NS_PATH_MAX];
	static struct handle h;
	int r;

	if ((q->arg0 & ~(uint64_t)0xf) || ((q->arg0 & 4) && (q->arg0 & 3)))
		return -EINVAL;
	if ((r = resolve(q, norm, &h)) < 0)
		return r;
	if (cred_of(q)->euid != 0)
		return -EPERM;
	if (!h.mem)
		return -EINVAL;
	/* MNT_EXPIRE: mark, then unmount if nothing was opened since. */
	if ((r = (q->arg0 & 4) ? memfs_expire(norm) :
	    memfs_umount(norm, (q->arg0 & 2) != 0)) < 0)
		return r;
	svc_log(SVC_LOG_INFO, "umount: %s (pid %llu)", norm,
	    (unsigned long long)q->pid);
	o->status = 0;
	return (long)offsetof(struct rustos_vfs_ipc_response, payload);
}

/*
 * CHMOD: arg0 = mode; path (relative to remote_id or the cwd), or no path
 * for fchmod of handle remote_id.  memfs nodes only (the FAT root and
 * bootfs are read-only: -EROFS); only the owner or root may change modes
 * (-EPERM), and a non-root caller's S_ISGID on a file whose group is not
 * one of its groups is dropped, as on Linux.
 */
static long
h_chmod(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	const struct rustos_vfs_creds *c;
	const struct memfs_node *n;
	static struct handle hh;
	const struct handle *h;
	char norm[NS_PATH_MAX];
	uint32_t mode;
	int r;

	if (q->path_len == 0) {
		if ((h = get_handle(q)) == NULL)
			return -EBADF;
	} else {
		if ((r = resolve(q, norm, &hh)) < 0)
			return r;
		h = &hh;
	}
	if (!h->mem)
		return -EROFS;
	n = memfs_node(h->mid);
	c = cred_of(q);
	mode = (uint32_t)q->arg0 & 07777;
	if (c->fsuid != 0 && c->fsuid != n->uid)
		return -EPERM;
	if (c->fsuid != 0 && !n->dir && !vcred_in_group(c, n->gid))
		mode &= ~(uint32_t)02000;
	if ((r = memfs_chmod(h->mid, mode)) < 0)
		return r;
	o->status = 0;
	return (long)offsetof(struct rustos_vfs_ipc_response, payload);
}

/*
 * CHOWN: arg0 = uid, arg1 = gid (VCRED_KEEP: unchanged; more than 32
 * bits: -EINVAL); path as for CHMOD (flags VFS_CHOWN_F_NOFOLLOW: the
 * last component is not followed), or none for fchown of remote_id.
 * The read-only root: -EROFS.  Only root changes the owner; the owner
 * may change the group to one of its groups (-EPERM otherwise).  A
 * regular file loses S_ISUID, and S_ISGID when group-executable.
 */
static long
h_chown(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	const struct memfs_node *n;
	static struct handle hh;
	const struct handle *h;
	char norm[NS_PATH_MAX];
	uint32_t nuid, ngid, perm;
	int r;

	if ((q->flags & ~(uint32_t)VFS_CHOWN_F_NOFOLLOW) ||
	    q->arg0 > UINT32_MAX || q->arg1 > UINT32_MAX)
		return -EINVAL;
	if (q->path_len == 0) {
		if ((h = get_handle(q)) == NULL)
			return -EBADF;
	} else {
		if ((r = resolve_f(q, norm, &hh,
		    (q->flags & VFS_CHOWN_F_NOFOLLOW) != 0)) < 0)
			return r;
		h = &hh;
	}
	if (!h->mem)
		return -EROFS;
	n = memfs_node(h->mid);
	nuid = (uint32_t)q->arg0;
	ngid = (uint32_t)q->arg1;
	if ((r = vcred_may_chown(cred_of(q), n->uid, n->gid, nuid, ngid)) < 0)
		return r;
	if ((r = memfs_chown(h->mid, nuid == VCRED_KEEP ? n->uid : nuid,
	    ngid == VCRED_KEEP ? n->gid : ngid)) < 0)
		return r;
	if (!n->dir && !n->link) {
		perm = n->perm & ~(uint32_t)04000;
		if (perm & 010)
			perm &= ~(uint32_t)02000;
		(void)memfs_chmod(h->mid, perm);
	}
	o->status = 0;
	return (long)offsetof(struct rustos_vfs_ipc_response, payload);
}

/*
 * CREDS: syscalld's push of process arg0's credentials (payload = struct
 * rustos_vfs_creds).  Only a sender holding LINUX_SYSCALL_POLICY, never
 * a kernel-forwarded request: -EACCES.  Malformed: -EINVAL.
 */
static long
h_creds(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;
	struct rustos_vfs_creds c;
	int r;

	if (svc_kernel_forwarded ||
	    !(svc_sender_caps & IPC_SERVICE_CAP_LINUX_SYSCALL_POLICY))
		return -EACCES;
	if (q->payload_len != sizeof(c) || q->arg0 == 0 ||
	    q->arg0 > 0x7fffffff)
		return -EINVAL;
	memcpy(&c, q->payload, sizeof(c));
	if ((r = vcred_set(q->arg0, &c)) < 0)
		return r;
	o->status = 0;
	return (long)offsetof(struct rustos_vfs_ipc_response, payload);
}

/*
 * CONFINED: whether pid arg0 is confined (access.c), for a launcher that
 * starts programs on behalf of clients (runtimed): not kernel-forwarded,
 * the sender a system program (IPC_SENDER_FLAG_SYSTEM), else -EACCES.
 */
static long
h_confined(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_vfs_ipc_request *q = req;
	struct rustos_vfs_ipc_response *o = resp;

	if (svc_kernel_forwarded ||
	    !(svc_sender_flags & IPC_SENDER_FLAG_SYSTEM))
		return -EACCES;
	if (q->arg0 == 0 || q->arg0 > 0x7fffffff)
		return -EINVAL;
	o->status = 0;
	o->value = (uint64_t)rta_confined(q->arg0);
	return (long)offsetof(struct rustos_vfs_ipc_response, payload);
}

static long
h_ping(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	return svc_status_reply(resp, cap, RUSTOS_SERVICE_OP_PING, 0);
}

#define VFS_OP(nr, fn) { (nr), 0, sizeof(struct rustos_vfs_ipc_request), \
	sizeof(struct rustos_vfs_ipc_request), \
	offsetof(struct rustos_vfs_ipc_response, payload), (fn), 0 }

/*
 * Path ops go through stage_call (stage.c): a long path's staged prefix
 * joins the tail in full_path_raw; without staged flags nothing changes.
 */
#define STAGED(fn)							\
static long								\
fn##_staged(void *ctx, const void *req, size_t len, void *resp,	\
    size_t cap)								\
{									\
	return stage_call(fn, ctx, req, len, resp, cap);		\
}
STAGED(h_openat)
STAGED(h_newfstatat)
STAGED(h_statx)
STAGED(h_access)
STAGED(h_readlinkat)
STAGED(h_chdir)
STAGED(h_mkdir)
STAGED(h_unlinkat)
STAGED(h_renameat)
STAGED(h_mount)
STAGED(h_umount2)
STAGED(h_chmod)
STAGED(h_symlink)
STAGED(h_chown)
STAGED(h_mksock)
#define VFS_PATH_OP(nr, fn)	VFS_OP(nr, fn##_staged)

static const struct svc_op ops[] = {
	{ RUSTOS_SERVICE_OP_PING, 1, 8, 8, 16, h_ping, 0 },
	VFS_PATH_OP(VFS_IPC_OP_OPENAT, h_openat),
	VFS_OP(VFS_IPC_OP_CLOSE, h_close),
	VFS_OP(VFS_IPC_OP_READ, h_read),
	VFS_OP(VFS_IPC_OP_PREAD64, h_read),
	VFS_OP(VFS_IPC_OP_FSTAT, h_fstat),
	VFS_OP(VFS_IPC_OP_GETDENTS64, h_getdents),
	VFS_PATH_OP(VFS_IPC_OP_NEWFSTATAT, h_newfstatat),
	VFS_PATH_OP(VFS_IPC_OP_STATX, h_statx),
	VFS_PATH_OP(VFS_IPC_OP_ACCESS, h_access),
	VFS_PATH_OP(VFS_IPC_OP_READLINKAT, h_readlinkat),
	VFS_PATH_OP(VFS_IPC_OP_CHDIR, h_chdir),
	VFS_OP(VFS_IPC_OP_GETCWD, h_getcwd),
	VFS_OP(VFS_IPC_OP_WRITE, h_write),
	VFS_OP(VFS_IPC_OP_FTRUNCATE, h_ftruncate),
	VFS_PATH_OP(VFS_IPC_OP_MKDIR, h_mkdir),
	VFS_PATH_OP(VFS_IPC_OP_UNLINKAT, h_unlinkat),
	VFS_PATH_OP(VFS_IPC_OP_RENAMEAT, h_renameat),
	VFS_OP(VFS_IPC_OP_DUP, h_dup),
	VFS_OP(VFS_IPC_OP_FCNTL, h_fcntl),
	VFS_OP(VFS_IPC_OP_LSEEK, h_lseek),
	VFS_OP(VFS_IPC_OP_LIFECYCLE, h_lifecycle),
	VFS_PATH_OP(VFS_IPC_OP_MOUNT, h_mount),
	VFS_PATH_OP(VFS_IPC_OP_UMOUNT2, h_umount2),
	VFS_PATH_OP(VFS_IPC_OP_CHMOD, h_chmod),
	VFS_PATH_OP(VFS_IPC_OP_SYMLINK, h_symlink),
	VFS_OP(VFS_IPC_OP_PATH_STAGE, stage_op),
	VFS_PATH_OP(VFS_IPC_OP_CHOWN, h_chown),
	VFS_OP(VFS_IPC_OP_CREDS, h_creds),
	VFS_PATH_OP(VFS_IPC_OP_MKSOCK, h_mksock),
	VFS_OP(VFS_IPC_OP_CONFINED, h_confined),
};

const struct svc_table vfsd_table = {
	"vfsd", IPC_SERVICE_VFSD, VFS_IPC_ABI_VERSION,
	ops, sizeof(ops) / sizeof(ops[0]),
	offsetof(struct rustos_vfs_ipc_request, pid)
};

