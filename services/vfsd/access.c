/*
 * access.c -- the `linux-runtime` access profile of vfsd (see access.h).
 *
 * A program whose executable came from outside the signed boot volume
 * (a memfs file: /tmp, /run, /home, tmpfs mounts) is confined when its
 * execve commits (LIFECYCLE EXEC); fork children inherit that and later
 * execs keep it.  For a confined pid the boot volume shows only what the
 * registry grants: `kind=dir path=P` grants P and everything below,
 * `kind=file path=P` exactly P; the directories above a grant can be
 * traversed and listed (the listing shows only the entries leading to a
 * grant).  Everything else on the volume is -EACCES for every path
 * lookup, whether or not it exists.  memfs and /dev are not the
 * volume's and stay as they are (ops.c calls the hook only for volume
 * paths).  Open fds are not judged: the policy is on path lookup.
 *
 * The grants come only from RTA_REGISTRY, read once after the FAT root
 * mounts; a missing file leaves no grant (fail closed).  Memory is
 * bounded: RTA_MAX_ENTRIES grants whose paths live in one pool no
 * larger than the bytes read, and RTA_MAX_CONFINED confined pids.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "services/common/svc.h"
#include "services/vfsd/access.h"
#include "services/vfsd/ns.h"

struct rta_grant {
	uint32_t	off;		/* path in pool, NUL-terminated */
	uint32_t	len;
	unsigned	line;		/* where it was granted (duplicates) */
	int		kind;		/* RTA_KIND_* */
};

static struct rta_grant grants[RTA_MAX_ENTRIES];
static size_t ngrants;
/* Normalised paths are never longer than the text they come from. */
static char pool[RTA_FILE_MAX + RTA_MAX_ENTRIES];
static size_t pool_used;
/* Confined pids; 0 is a free slot. */
static uint64_t confined[RTA_MAX_CONFINED];

void
rta_clear(void)
{
	ngrants = 0;
	pool_used = 0;
}

size_t
rta_count(void)
{
	return ngrants;
}

const char *
rta_entry(size_t i, int *kind)
{
	if (i >= ngrants)
		return NULL;
	if (kind != NULL)
		*kind = grants[i].kind;
	return pool + grants[i].off;
}

/* "field=value": is the key of f (n bytes) key? */
static int
is_key(const char *f, size_t n, const char *key)
{
	size_t k = strlen(key);

	return n > k && memcmp(f, key, k) == 0 && f[k] == '=';
}

/*
 * One line (n bytes, no newline) into *kind and norm, or the rule it
 * breaks in why (a static string or rule[]).
 */
static int
parse_line(const char *l, size_t n, int *kind, char *norm, char *rule,
    size_t rcap, const char **why)
{
	const char *f[2], *kv = NULL, *pv = NULL, *tab;
	size_t fl[2], kn = 0, pn = 0, i;

	/* Exactly two TAB-separated fields. */
	if ((tab = memchr(l, '\t', n)) == NULL) {
		*why = "expected two TAB-separated fields kind= and path=";
		return -1;
	}
	f[0] = l;
	fl[0] = (size_t)(tab - l);
	f[1] = tab + 1;
	fl[1] = n - fl[0] - 1;
	if (memchr(f[1], '\t', fl[1]) != NULL) {
		*why = "more than two fields (want kind= and path=)";
		return -1;
	}
	for (i = 0; i < 2; i++) {
		if (is_key(f[i], fl[i], "kind")) {
			if (kv != NULL) {
				*why = "duplicate field kind=";
				return -1;
			}
			kv = f[i] + 5;
			kn = fl[i] - 5;
		} else if (is_key(f[i], fl[i], "path")) {
			if (pv != NULL) {
				*why = "duplicate field path=";
				return -1;
			}
			pv = f[i] + 5;
			pn = fl[i] - 5;
		} else {
			size_t k, m = 0;

			/* Name the field, printable and short. */
			m = (size_t)snprintf(rule, rcap, "unknown field ");
			for (k = 0; k < fl[i] && f[i][k] != '=' && k < 32 &&
			    m + 2 < rcap; k++)
				rule[m++] = f[i][k] > ' ' && f[i][k] < 0x7f &&
				    f[i][k] != '"' && f[i][k] != '\\' ?
				    f[i][k] : '?';
			rule[m] = '\0';
			*why = rule;
			return -1;
		}
	}
	if (kv == NULL || pv == NULL) {
		*why = kv == NULL ? "missing field kind=" :
		    "missing field path=";
		return -1;
	}
	if (kn == 3 && memcmp(kv, "dir", 3) == 0)
		*kind = RTA_KIND_DIR;
	else if (kn == 4 && memcmp(kv, "file", 4) == 0)
		*kind = RTA_KIND_FILE;
	else {
		*why = "kind must be dir or file";
		return -1;
	}
	if (pn == 0 || pv[0] != '/') {
		*why = "path must be absolute";
		return -1;
	}
	for (i = 0; i < pn; i++)
		if ((unsigned char)pv[i] < 0x20 || pv[i] == 0x7f) {
			*why = "path contains a control character";
			return -1;
		}
	if (pn > RTA_PATH_MAX ||
	    ns_normalize(pv, pn, norm, RTA_PATH_MAX + 1) < 0) {
		*why = "path longer than 1023 bytes";
		return -1;
	}
	return 0;
}

size_t
rta_parse(const char *buf, size_t len, int truncated,
    void (*warn)(void *ctx, unsigned line, const char *rule), void *ctx)
{
	char norm[RTA_PATH_MAX + 1], rule[64], dup[48];
	const char *l = buf, *nl, *why;
	unsigned line = 0, warned = 0;
	size_t n, i, pl;
	int kind;

	rta_clear();
	while (l < buf + len) {
		line++;
		nl = memchr(l, '\n', (size_t)(buf + len - l));
		if (nl == NULL && truncated)
			break;		/* cut inside: never a grant */
		n = nl != NULL ? (size_t)(nl - l) : (size_t)(buf + len - l);
		why = NULL;
		if (n == 0)
			goto next;	/* blank line */
		if (ngrants == RTA_MAX_ENTRIES) {
			if (warn != NULL)
				warn(ctx, line, "more than 256 grants: this "
				    "line and the rest ignored");
			break;
		}
		if (parse_line(l, n, &kind, norm, rule, sizeof(rule),
		    &why) < 0)
			goto bad;
		pl = strlen(norm);
		for (i = 0; i < ngrants; i++)
			if (grants[i].len == pl &&
			    memcmp(pool + grants[i].off, norm, pl) == 0) {
				snprintf(dup, sizeof(dup), "duplicate of "
				    "line %u", grants[i].line);
				why = dup;
				goto bad;
			}
		if (pool_used + pl + 1 > sizeof(pool))
			break;		/* cannot happen: see pool */
		memcpy(pool + pool_used, norm, pl + 1);
		grants[ngrants].off = (uint32_t)pool_used;
		grants[ngrants].len = (uint32_t)pl;
		grants[ngrants].line = line;
		grants[ngrants].kind = kind;
		ngrants++;
		pool_used += pl + 1;
		goto next;
bad:
		if (warn != NULL && warned < RTA_MAX_WARNINGS)
			warn(ctx, line, why);
		else if (warn != NULL && warned == RTA_MAX_WARNINGS)
			warn(ctx, line, "more bad lines: not logged");
		warned++;
next:
		if (nl == NULL)
			break;
		l = nl + 1;
	}
	return ngrants;
}

/* Is path a (al bytes) strictly below directory b (bl bytes)? */
static int
below(const char *a, size_t al, const char *b, size_t bl)
{
	if (bl == 1 && b[0] == '/')
		return al > 1;
	return al > bl && memcmp(a, b, bl) == 0 && a[bl] == '/';
}

int
rta_classify(const char *norm)
{
	size_t pl = strlen(norm), i;
	const char *g;
	int best = RTA_DENIED;

	for (i = 0; i < ngrants; i++) {
		g = pool + grants[i].off;
		if (grants[i].len == pl && memcmp(g, norm, pl) == 0)
			return RTA_GRANTED;
		if (grants[i].kind == RTA_KIND_DIR &&
		    below(norm, pl, g, grants[i].len))
			return RTA_GRANTED;
		if (below(g, grants[i].len, norm, pl))
			best = RTA_ANCESTOR;
	}
	return best;
}

int
rta_classify_child(const char *dir, const char *name, size_t len)
{
	char path[NS_PATH_MAX];
	size_t dl = strlen(dir);

	if (dl == 1 && dir[0] == '/')
		dl = 0;
	if (dl + 1 + len >= sizeof(path))
		return RTA_DENIED;
	memcpy(path, dir, dl);
	path[dl] = '/';
	memcpy(path + dl + 1, name, len);
	path[dl + 1 + len] = '\0';
	return rta_classify(path);
}

int
rta_confined(uint64_t pid)
{
	size_t i;

	if (pid == 0)
		return 0;
	for (i = 0; i < RTA_MAX_CONFINED; i++)
		if (confined[i] == pid)
			return 1;
	return 0;
}

int
rta_confine(uint64_t pid)
{
	size_t i;

	if (pid == 0)
		return -EINVAL;
	if (rta_confined(pid))
		return 0;
	for (i = 0; i < RTA_MAX_CONFINED; i++)
		if (confined[i] == 0) {
			confined[i] = pid;
			return 0;
		}
	return -ENOSPC;
}

int
rta_fork(uint64_t parent, uint64_t child)
{
	/* A stale entry of a reused pid must not outlive its process. */
	rta_exit(child);
	return rta_confined(parent) ? rta_confine(child) : 0;
}

void
rta_exit(uint64_t pid)
{
	size_t i;

	for (i = 0; i < RTA_MAX_CONFINED; i++)
		if (confined[i] == pid)
			confined[i] = 0;
}

/* /dev and below: the kernel's and devmgrd's, never the volume's. */
static int
is_dev(const char *norm)
{
	return strncmp(norm, "/dev", 4) == 0 &&
	    (norm[4] == '\0' || norm[4] == '/');
}

int
rta_path_check(uint64_t pid, const char *norm, struct fatfs *fs)
{
	static struct fatfs_node n;
	int c;

	if (!rta_confined(pid) || is_dev(norm))
		return 0;
	if ((c = rta_classify(norm)) == RTA_GRANTED)
		return 0;
	if (c == RTA_DENIED)
		return -EACCES;
	/*
	 * On the way to a grant: traversable only if it is a directory
	 * (a grant below a file name must not expose the file).  Without
	 * a FAT root there are no grants (rta_load never ran).
	 */
	if (fs != NULL && fatfs_lookup(fs, norm, &n) == 0 &&
	    !(n.attr & FATFS_ATTR_DIR))
		return -EACCES;
	return 0;
}

/* Names of "/" that are mount points, not the volume's (ops.c). */
static const char *const root_mounts[] = { "tmp", "run", "home", "dev" };

static int
dirent_visible(const char *dir, const char *name, size_t len)
{
	size_t i;

	if ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return 1;
	if (strcmp(dir, "/") == 0)
		for (i = 0; i < sizeof(root_mounts) / sizeof(root_mounts[0]);
		    i++)
			if (strlen(root_mounts[i]) == len &&
			    memcmp(root_mounts[i], name, len) == 0)
				return 1;
	return rta_classify_child(dir, name, len) != RTA_DENIED;
}

size_t
rta_filter_dirents(const char *dir, void *buf, size_t len)
{
	unsigned char *b = buf;
	size_t in = 0, out = 0, nl;
	uint16_t rl;

	/* linux_dirent64: u64 ino, i64 off, u16 reclen, u8 type, name. */
	while (in + 19 < len) {
		memcpy(&rl, b + in + 16, 2);
		if (rl < 20 || rl > len - in)
			break;		/* our own records: cannot happen */
		nl = strnlen((const char *)b + in + 19, rl - 19u);
		if (dirent_visible(dir, (const char *)b + in + 19, nl)) {
			if (out != in)
				memmove(b + out, b + in, rl);
			out += rl;
		}
		in += rl;
	}
	return out;
}

static void
log_line(void *ctx, unsigned line, const char *rule)
{
	(void)ctx;
	svc_log(SVC_LOG_WARN, "vfsd: linux-runtime-access.tsv:%u: %s", line,
	    rule);
}

void
rta_load(struct fatfs *fs)
{
	static char buf[RTA_FILE_MAX];
	struct fatfs_node n;
	struct fatfs_file f;
	size_t got = 0;
	long r;
	int e;

	rta_clear();
	memset(&n, 0, sizeof(n));
	if ((e = fatfs_lookup(fs, RTA_REGISTRY, &n)) < 0 ||
	    (n.attr & FATFS_ATTR_DIR) || (e = fatfs_open(fs, &n, &f)) < 0) {
		svc_log(SVC_LOG_WARN, "vfsd: linux-runtime-access.tsv: cannot "
		    "read %s (%d): confined programs see nothing of the boot "
		    "volume", RTA_REGISTRY, (n.attr & FATFS_ATTR_DIR) &&
		    e == 0 ? -EISDIR : e);
		return;
	}
	while (got < sizeof(buf) && got < n.size) {
		r = fatfs_pread(fs, &f, buf + got, sizeof(buf) - got, got);
		if (r < 0) {
			svc_log(SVC_LOG_WARN, "vfsd: linux-runtime-access.tsv: "
			    "read error %ld: confined programs see nothing "
			    "of the boot volume", r);
			return;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	if (got < n.size)
		svc_log(SVC_LOG_WARN, "vfsd: linux-runtime-access.tsv: over %d "
		    "bytes: the rest ignored", RTA_FILE_MAX);
	(void)rta_parse(buf, got, got < n.size, log_line, NULL);
	svc_log(SVC_LOG_INFO, "vfsd: linux-runtime-access.tsv: %zu grants",
	    rta_count());
}
