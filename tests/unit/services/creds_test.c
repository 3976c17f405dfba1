/*
 * creds_test.c -- syscalld's credentials DB: seeding, Linux set*id rules
 * for root and for unprivileged ids, saved-id updates, table exhaustion.
 */
#include <errno.h>
#include <stdlib.h>

#include "services/syscalld/creds.h"
#include "tests/unit/services/tap.h"

#define K	CREDS_KEEP

int
main(void)
{
	struct creds_db *db = calloc(1, sizeof(*db));
	struct creds *c, *d;
	int i, ok = 1;

	c = creds_get(db, 5, 1000, 100, 1000, 100);
	CHECK(c != NULL && c->ruid == 1000 && c->euid == 1000 &&
	    c->suid == 1000 && c->egid == 100, "seeded from the kernel view");
	CHECK(creds_get(db, 5, 0, 0, 0, 0) == c && c->ruid == 1000,
	    "second lookup keeps the DB's ids");
	CHECK(creds_get(db, 0, 0, 0, 0, 0) == NULL, "pid 0 refused");
	CHECK(creds_setuid(c, 0) == -EPERM, "unprivileged setuid(0): -EPERM");
	CHECK(creds_setuid(c, 1000) == 0 && c->euid == 1000,
	    "setuid to own id");
	CHECK(creds_setuid(c, K) == -EINVAL, "setuid(-1): -EINVAL");
	CHECK(creds_setgid(c, 0) == -EPERM, "unprivileged setgid(0): -EPERM");

	d = creds_get(db, 6, 0, 0, 0, 0);
	CHECK(creds_setreuid(d, K, 1000) == 0 && d->ruid == 0 &&
	    d->euid == 1000 && d->suid == 1000, "root setreuid(-1,1000)");
	CHECK(creds_setuid(d, 0) == 0 && d->euid == 0 && d->suid == 1000,
	    "real id 0 still allows setuid(0) (euid only)");
	d = creds_get(db, 7, 0, 0, 0, 0);
	CHECK(creds_setuid(d, 33) == 0 && d->ruid == 33 && d->euid == 33 &&
	    d->suid == 33, "root setuid sets all three");
	CHECK(creds_setgid(d, 44) == -EPERM, "after dropping root, setgid fails");
	d = creds_get(db, 8, 0, 0, 0, 0);
	CHECK(creds_setregid(d, 10, 20) == 0 && d->rgid == 10 && d->egid == 20 &&
	    d->sgid == 20, "root setregid");
	c = creds_get(db, 9, 1, 2, 1, 2);
	CHECK(creds_setreuid(c, 5, K) == -EPERM, "unprivileged setreuid to other");
	CHECK(creds_setreuid(c, K, K) == 0 && c->ruid == 1, "setreuid(-1,-1)");

	creds_drop(db, 9);
	c = creds_get(db, 9, 3, 3, 3, 3);
	CHECK(c->ruid == 3, "dropped pid re-seeded");
	for (i = 100; i < 100 + 2 * CREDS_MAX_PROCS; i++)
		if (creds_get(db, (uint64_t)i, 1, 1, 1, 1) == NULL)
			ok = 0;
	CHECK(ok, "a full table evicts instead of failing");
	free(db);
	return tap_done();
}
