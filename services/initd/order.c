/*
 * order.c -- initd's dependency ordering (see order.h).  Quadratic on
 * purpose: the init set is a handful of packages and this keeps the order
 * obviously deterministic.
 */
#include <stdlib.h>
#include <string.h>

#include "services/initd/order.h"

enum { PENDING, DONE, SKIPPED };

static long
find(const struct init_pkg *p, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(p[i].id, id) == 0)
			return (long)i;
	return -1;
}

size_t
initd_order(const struct init_pkg *p, size_t n, int (*external)(const char *),
    size_t *order, initd_skip_fn skip, void *arg)
{
	unsigned char *st;
	size_t count = 0, i, d;
	int progress, ready;
	long k;

	st = calloc(n ? n : 1, 1);
	if (st == NULL)
		return 0;
	/* Unknown dependencies and self-dependencies first. */
	for (i = 0; i < n; i++)
		for (d = 0; d < p[i].ndeps && st[i] == PENDING; d++) {
			k = find(p, n, p[i].deps[d]);
			if ((k < 0 && (external == NULL ||
			    !external(p[i].deps[d]))) || k == (long)i) {
				st[i] = SKIPPED;
				if (skip != NULL)
					skip(p[i].id, k < 0 ? "unknown dependency" :
					    "depends on itself", p[i].deps[d], arg);
			}
		}
	do {
		progress = 0;
		for (i = 0; i < n; i++) {
			if (st[i] != PENDING)
				continue;
			ready = 1;
			for (d = 0; d < p[i].ndeps; d++) {
				k = find(p, n, p[i].deps[d]);
				if (k < 0)
					continue;	/* external, running */
				if (st[k] == SKIPPED) {
					st[i] = SKIPPED;
					progress = 1;
					if (skip != NULL)
						skip(p[i].id,
						    "depends on a skipped package",
						    p[i].deps[d], arg);
					ready = 0;
					break;
				}
				if (st[k] != DONE)
					ready = 0;
			}
			if (ready && st[i] == PENDING) {
				st[i] = DONE;
				order[count++] = i;
				progress = 1;
				/* Restart so input order wins among ready ones. */
				break;
			}
		}
	} while (progress);
	for (i = 0; i < n; i++)
		if (st[i] == PENDING && skip != NULL)
			skip(p[i].id, "dependency cycle", "", arg);
	free(st);
	return count;
}
