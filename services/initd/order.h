/*
 * order.h -- initd's launch ordering (pure; host unit-tested).
 */
#ifndef SERVICES_INITD_ORDER_H
#define SERVICES_INITD_ORDER_H

#include <stddef.h>

#define INITD_MAX_DEPS	16

struct init_pkg {
	const char	*id;			/* package id */
	const char	*deps[INITD_MAX_DEPS];	/* package ids */
	size_t		ndeps;
};

/* Called for each package left out, with the reason and the dep named. */
typedef void (*initd_skip_fn)(const char *id, const char *why,
    const char *dep, void *arg);

/*
 * Order p[0..n) so every package follows its dependencies; among ready
 * packages the input order wins (deterministic).  A dependency that is not
 * in p is satisfied when external(dep) is nonzero (a bootstrap service
 * that is already running), else the package is skipped ("unknown
 * dependency"); packages in a cycle, or depending on a skipped one, are
 * skipped too.  Writes indices into order (capacity n); returns the count.
 */
size_t initd_order(const struct init_pkg *p, size_t n,
    int (*external)(const char *), size_t *order, initd_skip_fn skip,
    void *arg);

#endif /* SERVICES_INITD_ORDER_H */
