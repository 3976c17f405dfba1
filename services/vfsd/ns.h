/*
 * ns.h -- vfsd's read-only namespace over a list of bootfs paths: path
 * normalisation, file/directory resolution and directory listings
 * synthesised from the paths.  Pure (host unit-tested).
 */
#ifndef SERVICES_VFSD_NS_H
#define SERVICES_VFSD_NS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Normalised paths: Linux PATH_MAX (4096, the NUL included) -- vfsd's
 * lookup buffers; a bootfs entry's own path is far shorter (the broker
 * lists at most BOOTFS_PATH_MAX bytes), so entries keep NS_ENTRY_MAX.
 */
#define NS_PATH_MAX	4096
#define NS_ENTRY_MAX	1024
#define NS_NAME_MAX	255	/* one component (Linux NAME_MAX) */

struct ns_entry {
	char		path[NS_ENTRY_MAX];	/* absolute, normalised */
	uint64_t	size;
	uint64_t	index;			/* bootfs entry index */
};

struct ns {
	struct ns_entry	*e;
	size_t		n;
};

/*
 * Normalise in (len bytes, absolute or relative to "/") into out: single
 * slashes, no "." or ".." (".." at the root stays at the root), no trailing
 * slash except for "/" itself.  -ENAMETOOLONG (the result does not fit
 * cap, or a component of in is longer than NS_NAME_MAX), -EINVAL (NUL
 * inside, empty).
 */
int ns_normalize(const char *in, size_t len, char *out, size_t cap);
/* 1 file (*idx set), 2 directory, -ENOENT. */
int ns_resolve(const struct ns *ns, const char *norm, size_t *idx);
/*
 * Write linux_dirent64 records of directory `dir` into buf starting at
 * child ordinal *cursor ("." and ".." first); advances *cursor.  Returns
 * bytes written (0 at the end) or -EINVAL when even one record does not fit.
 */
long ns_getdents(const struct ns *ns, const char *dir, uint64_t *cursor,
    void *buf, size_t cap);

#endif /* SERVICES_VFSD_NS_H */
