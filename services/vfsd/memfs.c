/*
 * memfs.c -- vfsd's writable memory file systems at /tmp, /run and /home
 * (HOME lives there: runtime-env.tsv names it): a fixed
 * table of nodes (files and directories) with heap-held file bytes.  Pure:
 * no syscalls, so host tests drive it directly.
 *
 * Invariants: node 0 is unused; each mount's root is a directory whose
 * parent is itself (/tmp, /run, and tmpfs mounted on a directory: that
 * directory's covered_by names the root, the root's covers names the
 * directory; lookups pass through to the topmost root).  A node lives while it is linked in a directory or
 * held open (opens > 0); unlinking an open file keeps its bytes until the
 * last close, as on Linux.  The bytes of all files together never exceed
 * MEMFS_MAX_BYTES (-ENOSPC), the node count MEMFS_MAX_NODES (-ENOSPC).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "services/vfsd/memfs.h"

static struct memfs_node nodes[MEMFS_MAX_NODES];
static uint64_t total_bytes;
static const char *const mounts[] = { "/tmp", "/run", "/home" };
#define NMOUNTS	(sizeof(mounts) / sizeof(mounts[0]))
static uint32_t roots[NMOUNTS];

/* The mount root a node lies under (itself for a root). */
static uint32_t
root_of(uint32_t id)
{
	unsigned hops = 0;

	while (nodes[id].parent != id && hops++ < MEMFS_MAX_NODES)
		id = nodes[id].parent;
	return id;
}

/* Whether id lies on a tmpfs mounted read-only. */
static int
on_rdonly(uint32_t id)
{
	return nodes[root_of(id)].rdonly;
}

struct memfs_node *
memfs_node(uint32_t id)
{
	if (id == 0 || id >= MEMFS_MAX_NODES || !nodes[id].used)
		return NULL;
	return &nodes[id];
}

static uint32_t
node_alloc(uint32_t parent, const char *name, size_t nlen, int dir)
{
	uint32_t i;

	for (i = 1; i < MEMFS_MAX_NODES; i++)
		if (!nodes[i].used)
			break;
	if (i == MEMFS_MAX_NODES)
		return 0;
	memset(&nodes[i], 0, sizeof(nodes[i]));
	nodes[i].used = 1;
	nodes[i].linked = 1;
	nodes[i].dir = dir;
	nodes[i].parent = parent ? parent : i;
	memcpy(nodes[i].name, name, nlen);
	nodes[i].name[nlen] = '\0';
	nodes[i].ino = 0x100000000ull + i;
	nodes[i].perm = dir ? 0777 : 0666;
	return i;
}

void
memfs_init(void)
{
	unsigned m;

	for (m = 0; m < NMOUNTS; m++)
		if (roots[m] == 0) {
			roots[m] = node_alloc(0, mounts[m] + 1,
			    strlen(mounts[m] + 1), 1);
			/* As on Linux: /tmp is 1777 (sticky), the rest 0755. */
			nodes[roots[m]].perm = m == 0 ? 01777 : 0755;
		}
}

/* Which mount a normalised path belongs to, and the rest after it. */
static int
mount_of(const char *norm, const char **rest)
{
	unsigned m;
	size_t n;

	for (m = 0; m < NMOUNTS; m++) {
		n = strlen(mounts[m]);
		if (strncmp(norm, mounts[m], n) == 0 &&
		    (norm[n] == '\0' || norm[n] == '/')) {
			*rest = norm + n;
			return (int)m;
		}
	}
	return -1;
}

int
memfs_owns(const char *norm)
{
	const char *rest;

	return mount_of(norm, &rest) >= 0;
}

static uint32_t
child(uint32_t dir, const char *name, size_t nlen)
{
	uint32_t i;

	for (i = 1; i < MEMFS_MAX_NODES; i++)
		if (nodes[i].used && nodes[i].linked && nodes[i].parent == dir &&
		    i != dir && strlen(nodes[i].name) == nlen &&
		    memcmp(nodes[i].name, name, nlen) == 0)
			return i;
	return 0;
}

/* The topmost tmpfs root mounted on dir, or dir itself. */
static uint32_t
covering(uint32_t dir)
{
	unsigned hops = 0;

	while (nodes[dir].covered_by != 0 && hops++ < MEMFS_MAX_NODES)
		dir = nodes[dir].covered_by;
	return dir;
}

/*
 * Walk norm.  The node goes to *id (0 if only the last component is missing),
 * *parent = its directory, *last and *llen = the last component.
 */
static int
walk(const char *norm, uint32_t *id, uint32_t *parent, const char **last,
    size_t *llen)
{
	const char *rest, *p, *e;
	uint32_t cur, next;
	int m;

	if ((m = mount_of(norm, &rest)) < 0)
		return -ENOENT;
	memfs_init();
	cur = covering(roots[m]);
	*parent = cur;
	*last = NULL;
	*llen = 0;
	for (p = rest; *p == '/'; p++)
		;
	while (*p != '\0') {
		for (e = p; *e != '\0' && *e != '/'; e++)
			;
		if ((size_t)(e - p) > MEMFS_NAME_MAX)
			return -ENAMETOOLONG;
		if (!nodes[cur].dir)
			return -ENOTDIR;
		next = child(cur, p, (size_t)(e - p));
		*parent = cur;
		*last = p;
		*llen = (size_t)(e - p);
		while (*e == '/')
			e++;
		if (next == 0) {
			*id = 0;
			return *e == '\0' ? 0 : -ENOENT;
		}
		cur = covering(next);
		p = e;
	}
	*id = cur;
	return 0;
}

int
memfs_lookup(const char *norm, uint32_t *id)
{
	uint32_t parent;
	const char *last;
	size_t llen;
	int r;

	if ((r = walk(norm, id, &parent, &last, &llen)) < 0)
		return r;
	return *id == 0 ? -ENOENT : 0;
}

int
memfs_open(const char *norm, int flags, uint32_t *id)
{
	uint32_t parent;
	const char *last;
	size_t llen;
	int r;

	if ((r = walk(norm, id, &parent, &last, &llen)) < 0)
		return r;
	if (*id == 0) {
		if (!(flags & MEMFS_O_CREAT))
			return -ENOENT;
		if (flags & MEMFS_O_DIRECTORY)
			return -EISDIR;
		if (on_rdonly(parent))
			return -EROFS;
		if ((*id = node_alloc(parent, last, llen, 0)) == 0)
			return -ENOSPC;
	} else {
		if ((flags & (MEMFS_O_WRITE | MEMFS_O_TRUNC)) &&
		    !nodes[*id].dir && on_rdonly(*id))
			return -EROFS;
		if ((flags & MEMFS_O_CREAT) && (flags & MEMFS_O_EXCL))
			return -EEXIST;
		if (nodes[*id].link)
			return -ELOOP;
		if (nodes[*id].dir && (flags & MEMFS_O_WRITE))
			return -EISDIR;
		if (!nodes[*id].dir && (flags & MEMFS_O_DIRECTORY))
			return -ENOTDIR;
		if (!nodes[*id].dir && (flags & MEMFS_O_TRUNC) &&
		    (flags & MEMFS_O_WRITE))
			(void)memfs_truncate(*id, 0);
	}
	nodes[*id].opens++;
	/* In use: a pending MNT_EXPIRE mark goes. */
	nodes[root_of(*id)].expire = 0;
	return 0;
}

static void
maybe_free(uint32_t id)
{
	struct memfs_node *n = &nodes[id];

	if (n->linked || n->opens > 0)
		return;
	total_bytes -= n->size;
	free(n->data);
	memset(n, 0, sizeof(*n));
}

void
memfs_close(uint32_t id)
{
	struct memfs_node *n = memfs_node(id);

	if (n == NULL || n->opens == 0)
		return;
	n->opens--;
	maybe_free(id);
}

long
memfs_pread(uint32_t id, void *buf, size_t len, uint64_t off)
{
	struct memfs_node *n = memfs_node(id);

	if (n == NULL)
		return -EBADF;
	if (n->dir)
		return -EISDIR;
	if (off >= n->size)
		return 0;
	if (len > n->size - off)
		len = (size_t)(n->size - off);
	memcpy(buf, n->data + off, len);
	return (long)len;
}

static int
reserve(struct memfs_node *n, uint64_t size)
{
	unsigned char *p;
	uint64_t cap;

	if (size <= n->cap)
		return 0;
	if (size > MEMFS_MAX_BYTES ||
	    total_bytes - n->size + size > MEMFS_MAX_BYTES)
		return -ENOSPC;
	cap = n->cap ? n->cap : 256;
	while (cap < size)
		cap *= 2;
	if (cap > MEMFS_MAX_BYTES)
		cap = MEMFS_MAX_BYTES;
	if ((p = realloc(n->data, (size_t)cap)) == NULL)
		return -ENOSPC;
	n->data = p;
	n->cap = cap;
	return 0;
}

int
memfs_truncate(uint32_t id, uint64_t size)
{
	struct memfs_node *n = memfs_node(id);
	int r;

	if (n == NULL)
		return -EBADF;
	if (n->dir)
		return -EISDIR;
	if (on_rdonly(id))
		return -EROFS;
	if (size > n->size) {
		if (total_bytes - n->size + size > MEMFS_MAX_BYTES)
			return -ENOSPC;
		if ((r = reserve(n, size)) < 0)
			return r;
		memset(n->data + n->size, 0, (size_t)(size - n->size));
	}
	total_bytes = total_bytes - n->size + size;
	n->size = size;
	return 0;
}

long
memfs_pwrite(uint32_t id, const void *buf, size_t len, uint64_t off)
{
	struct memfs_node *n = memfs_node(id);
	uint64_t end;
	int r;

	if (n == NULL)
		return -EBADF;
	if (n->dir)
		return -EISDIR;
	if (on_rdonly(id))
		return -EROFS;
	if (len == 0)
		return 0;
	/* Past what memory can ever hold: no space, as tmpfs says. */
	if (off > MEMFS_MAX_BYTES || len > MEMFS_MAX_BYTES - off)
		return -ENOSPC;
	end = off + len;
	if (end > n->size) {
		if ((r = memfs_truncate(id, end)) < 0)
			return r;
	}
	memcpy(n->data + off, buf, len);
	return (long)len;
}

int
memfs_mkdir(const char *norm)
{
	uint32_t id, parent;
	const char *last;
	size_t llen;
	int r;

	if ((r = walk(norm, &id, &parent, &last, &llen)) < 0)
		return r;
	if (id != 0)
		return -EEXIST;
	if (on_rdonly(parent))
		return -EROFS;
	return node_alloc(parent, last, llen, 1) == 0 ? -ENOSPC : 0;
}

static int
dir_empty(uint32_t dir)
{
	uint32_t i;

	for (i = 1; i < MEMFS_MAX_NODES; i++)
		if (nodes[i].used && nodes[i].linked &&
		    nodes[i].parent == dir && i != dir)
			return 0;
	return 1;
}

int
memfs_unlink(const char *norm, int rmdir)
{
	uint32_t id;
	int r;

	if ((r = memfs_lookup(norm, &id)) < 0)
		return r;
	if (nodes[id].parent == id)
		return -EBUSY;		/* a mount root */
	if (on_rdonly(id))
		return -EROFS;
	if (rmdir && !nodes[id].dir)
		return -ENOTDIR;
	if (!rmdir && nodes[id].dir)
		return -EISDIR;
	if (rmdir && !dir_empty(id))
		return -ENOTEMPTY;
	nodes[id].linked = 0;
	maybe_free(id);
	return 0;
}

int
memfs_rename(const char *from, const char *to)
{
	uint32_t src, dst, parent, p;
	const char *last;
	size_t llen;
	const char *r1, *r2;
	int r;

	if (mount_of(from, &r1) != mount_of(to, &r2))
		return -EXDEV;
	if ((r = memfs_lookup(from, &src)) < 0)
		return r;
	if (nodes[src].parent == src)
		return -EBUSY;
	if ((r = walk(to, &dst, &parent, &last, &llen)) < 0)
		return r;
	if (on_rdonly(src) || on_rdonly(parent))
		return -EROFS;
	if (dst == src)
		return 0;
	/* A directory may not move below itself. */
	for (p = parent; ; p = nodes[p].parent) {
		if (p == src)
			return -EINVAL;
		if (nodes[p].parent == p)
			break;
	}
	if (dst != 0) {
		if (nodes[dst].parent == dst)
			return -EBUSY;
		if (nodes[src].dir && !nodes[dst].dir)
			return -ENOTDIR;
		if (!nodes[src].dir && nodes[dst].dir)
			return -EISDIR;
		if (nodes[dst].dir && !dir_empty(dst))
			return -ENOTEMPTY;
		nodes[dst].linked = 0;
		maybe_free(dst);
	}
	nodes[src].parent = parent;
	memcpy(nodes[src].name, last, llen);
	nodes[src].name[llen] = '\0';
	return 0;
}

int
memfs_readdir(uint32_t dir, uint32_t *cursor, uint32_t *id)
{
	uint32_t i;

	if (memfs_node(dir) == NULL || !nodes[dir].dir)
		return -ENOTDIR;
	for (i = *cursor + 1; i < MEMFS_MAX_NODES; i++)
		if (nodes[i].used && nodes[i].linked &&
		    nodes[i].parent == dir && i != dir) {
			*cursor = i;
			*id = i;
			return 1;
		}
	*cursor = MEMFS_MAX_NODES;
	return 0;
}

uint64_t
memfs_used_bytes(void)
{
	return total_bytes;
}

int
memfs_mount(const char *norm, int rdonly)
{
	uint32_t id, root;
	int r;

	if ((r = memfs_lookup(norm, &id)) < 0)
		return r;
	if (!nodes[id].dir)
		return -ENOTDIR;
	if ((root = node_alloc(0, nodes[id].name, strlen(nodes[id].name),
	    1)) == 0)
		return -ENOSPC;
	nodes[root].covers = id;
	nodes[root].perm = 01777;	/* Linux tmpfs's default mode */
	nodes[root].rdonly = rdonly != 0;
	nodes[id].covered_by = root;
	return 0;
}

/*
 * Whether the tmpfs at root is busy: a tmpfs mounted below, or (unless
 * detach) a file below open.
 */
static int
mount_busy(uint32_t root, int detach)
{
	uint32_t i;

	for (i = 1; i < MEMFS_MAX_NODES; i++) {
		if (!nodes[i].used || i == root || root_of(i) != root)
			continue;
		if (nodes[i].covered_by != 0 ||
		    (!detach && nodes[i].opens > 0))
			return 1;
	}
	return !detach && nodes[root].opens > 0;
}

int
memfs_umount(const char *norm, int detach)
{
	static uint8_t below[MEMFS_MAX_NODES];
	uint32_t root, i;
	int r;

	if ((r = memfs_lookup(norm, &root)) < 0)
		return r;
	if (nodes[root].parent != root || nodes[root].covers == 0)
		return -EINVAL;		/* not a mount point */
	if (mount_busy(root, detach))
		return -EBUSY;
	/* Mark the tree first: unlinking changes what root_of() sees. */
	for (i = 1; i < MEMFS_MAX_NODES; i++)
		below[i] = nodes[i].used && i != root && root_of(i) == root;
	for (i = 1; i < MEMFS_MAX_NODES; i++)
		if (below[i]) {
			nodes[i].linked = 0;
			/* A node still open lives on, detached. */
			nodes[i].parent = i;
			maybe_free(i);
		}
	nodes[nodes[root].covers].covered_by = 0;
	nodes[root].covers = 0;
	nodes[root].linked = 0;
	maybe_free(root);
	return 0;
}

int
memfs_chmod(uint32_t id, uint32_t mode)
{
	struct memfs_node *n = memfs_node(id);

	if (n == NULL)
		return -ENOENT;
	if (on_rdonly(id))
		return -EROFS;
	n->perm = mode & 07777;
	return 0;
}

int
memfs_chown(uint32_t id, uint32_t uid, uint32_t gid)
{
	struct memfs_node *n = memfs_node(id);

	if (n == NULL)
		return -ENOENT;
	if (on_rdonly(id))
		return -EROFS;
	n->uid = uid;
	n->gid = gid;
	return 0;
}

int
memfs_expire(const char *norm)
{
	uint32_t root;
	int r;

	if ((r = memfs_lookup(norm, &root)) < 0)
		return r;
	if (nodes[root].parent != root || nodes[root].covers == 0)
		return -EINVAL;		/* not a mount point */
	/* Linux checks the use count before the mark. */
	if (mount_busy(root, 0))
		return -EBUSY;
	if (!nodes[root].expire) {
		nodes[root].expire = 1;
		return -EAGAIN;
	}
	return memfs_umount(norm, 0);
}

int
memfs_symlink(const char *norm, const char *target, size_t tlen)
{
	uint32_t id, parent;
	const char *last;
	size_t llen;
	int r;

	if (tlen == 0)
		return -ENOENT;
	if (tlen > MEMFS_LINK_MAX)
		return -ENAMETOOLONG;
	if ((r = walk(norm, &id, &parent, &last, &llen)) < 0)
		return r;
	if (id != 0 || last == NULL)
		return -EEXIST;
	if (on_rdonly(parent))
		return -EROFS;
	if ((id = node_alloc(parent, last, llen, 0)) == 0)
		return -ENOSPC;
	nodes[id].link = 1;
	nodes[id].perm = 0777;
	if ((r = (int)memfs_pwrite(id, target, tlen, 0)) < 0) {
		nodes[id].linked = 0;
		maybe_free(id);
		return r;
	}
	return 0;
}

int
memfs_mksock(const char *norm)
{
	uint32_t id, parent;
	const char *last;
	size_t llen;
	int r;

	if ((r = walk(norm, &id, &parent, &last, &llen)) < 0)
		return r;
	if (id != 0 || last == NULL)
		return -EEXIST;
	if (on_rdonly(parent))
		return -EROFS;
	if ((id = node_alloc(parent, last, llen, 0)) == 0)
		return -ENOSPC;
	nodes[id].sock = 1;
	nodes[id].perm = 0755;
	return 0;
}
