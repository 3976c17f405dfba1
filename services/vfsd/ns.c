/*
 * ns.c -- the namespace logic of vfsd (see ns.h).  Directories exist only
 * as prefixes of file paths; children are listed in the order their first
 * file appears in the bootfs list, each name once.
 */
#include <errno.h>
#include <string.h>

#include "services/vfsd/ns.h"

#define DT_DIR_	4
#define DT_REG_	8

int
ns_normalize(const char *in, size_t len, char *out, size_t cap)
{
	size_t i = 0, n = 0, seg, start;

	if (len == 0 || cap < 2)
		return -EINVAL;
	if (memchr(in, '\0', len) != NULL)
		return -EINVAL;
	out[n++] = '/';
	while (i < len) {
		while (i < len && in[i] == '/')
			i++;
		start = i;
		while (i < len && in[i] != '/')
			i++;
		seg = i - start;
		/* A component over NAME_MAX: Linux's -ENAMETOOLONG. */
		if (seg > NS_NAME_MAX)
			return -ENAMETOOLONG;
		if (seg == 0 || (seg == 1 && in[start] == '.'))
			continue;
		if (seg == 2 && in[start] == '.' && in[start + 1] == '.') {
			/* Drop the last component; the root's parent is itself. */
			if (n > 1) {
				n--;
				while (n > 1 && out[n - 1] != '/')
					n--;
				if (n > 1)
					n--;
			}
			continue;
		}
		if (n > 1) {
			if (n + 1 >= cap)
				return -ENAMETOOLONG;
			out[n++] = '/';
		}
		if (n + seg >= cap)
			return -ENAMETOOLONG;
		memcpy(out + n, in + start, seg);
		n += seg;
	}
	out[n] = '\0';
	return 0;
}

/* If path lies below dir, the child name's length, else 0; *is_dir set. */
static size_t
child_of(const char *dir, const char *path, const char **name, int *is_dir)
{
	size_t dl = strlen(dir), k;
	const char *rest;

	if (strcmp(dir, "/") == 0)
		rest = path + 1;
	else {
		if (strncmp(path, dir, dl) != 0 || path[dl] != '/')
			return 0;
		rest = path + dl + 1;
	}
	for (k = 0; rest[k] != '\0' && rest[k] != '/'; k++)
		;
	*name = rest;
	*is_dir = rest[k] == '/';
	return k;
}

int
ns_resolve(const struct ns *ns, const char *norm, size_t *idx)
{
	const char *name;
	size_t i;
	int d;

	if (strcmp(norm, "/") == 0)
		return 2;
	for (i = 0; i < ns->n; i++)
		if (strcmp(ns->e[i].path, norm) == 0) {
			*idx = i;
			return 1;
		}
	for (i = 0; i < ns->n; i++)
		if (child_of(norm, ns->e[i].path, &name, &d) > 0)
			return 2;
	return -ENOENT;
}

/* Has child `name` (k bytes) of dir appeared in an entry before j? */
static int
seen_before(const struct ns *ns, const char *dir, size_t j, const char *name,
    size_t k)
{
	const char *nm;
	size_t i, l;
	int d;

	for (i = 0; i < j; i++) {
		l = child_of(dir, ns->e[i].path, &nm, &d);
		if (l == k && memcmp(nm, name, k) == 0)
			return 1;
	}
	return 0;
}

static long
put_dirent(unsigned char *buf, size_t cap, size_t off, uint64_t ino,
    uint64_t next, unsigned type, const char *name, size_t k)
{
	size_t reclen = (19 + k + 1 + 7) & ~(size_t)7;
	uint16_t rl = (uint16_t)reclen;

	if (off + reclen > cap)
		return -1;
	memset(buf + off, 0, reclen);
	memcpy(buf + off, &ino, 8);
	memcpy(buf + off + 8, &next, 8);
	memcpy(buf + off + 16, &rl, 2);
	buf[off + 18] = (unsigned char)type;
	memcpy(buf + off + 19, name, k);
	return (long)reclen;
}

long
ns_getdents(const struct ns *ns, const char *dir, uint64_t *cursor, void *buf,
    size_t cap)
{
	const char *name;
	uint64_t ord = 0;
	size_t off = 0, i, k;
	long r;
	int d;

	/* Ordinals: 0 ".", 1 "..", then children in first-seen order. */
	for (; *cursor < 2; (*cursor)++) {
		r = put_dirent(buf, cap, off, 1 + *cursor, *cursor + 1, DT_DIR_,
		    "..", *cursor == 0 ? 1 : 2);
		if (r < 0)
			return off == 0 ? -EINVAL : (long)off;
		off += (size_t)r;
	}
	ord = 2;
	for (i = 0; i < ns->n; i++) {
		k = child_of(dir, ns->e[i].path, &name, &d);
		if (k == 0 || seen_before(ns, dir, i, name, k))
			continue;
		if (ord++ < *cursor)
			continue;
		r = put_dirent(buf, cap, off, 1000 + i, ord, d ? DT_DIR_ : DT_REG_,
		    name, k);
		if (r < 0)
			return off == 0 ? -EINVAL : (long)off;
		off += (size_t)r;
		*cursor = ord;
	}
	return (long)off;
}
