/*
 * creds_test.c -- syscalld's per-process DB: seeding, Linux set*id rules
 * for root and for unprivileged ids, saved-id updates, table exhaustion,
 * setres*id, groups, resource limits and their fork copy; sysinfo.c's
 * uname fields, getrandom flag checks and generator.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "services/syscalld/creds.h"
#include "services/syscalld/sysinfo.h"
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
	CHECK(c->fsuid == 1000 && c->fsgid == 100, "fs ids follow the "
	    "effective ones");
	CHECK(creds_setfsuid(c, 0) == 1000 && c->fsuid == 1000,
	    "unprivileged setfsuid(0): unchanged, the old id back");
	CHECK(creds_setfsuid(c, K) == 1000, "setfsuid(-1) asks");

	d = creds_get(db, 6, 0, 0, 0, 0);
	CHECK(creds_setreuid(d, K, 1000) == 0 && d->ruid == 0 &&
	    d->euid == 1000 && d->suid == 1000, "root setreuid(-1,1000)");
	CHECK(creds_setuid(d, 0) == 0 && d->euid == 0 && d->suid == 1000,
	    "real id 0 still allows setuid(0) (euid only)");
	CHECK(creds_setfsuid(d, 77) == 0 && d->fsuid == 77,
	    "euid 0: setfsuid to anything");
	CHECK(creds_setreuid(d, K, 0) == 0 && d->fsuid == 0,
	    "a set*uid resets the fs id to the euid");
	CHECK(creds_setfsgid(d, 55) == 0 && d->fsgid == 55 &&
	    creds_setresgid(d, K, K, K) == 0 && d->fsgid == d->egid,
	    "setfsgid, then setresgid resets it");
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

	{
		uint64_t lim[2], old[2];
		uint32_t g[2] = { 5, 6 };
		unsigned char uts[SYSINFO_UTS_SIZE], a[100], b[100];
		struct sysinfo_rng rng;

		memset(db, 0, sizeof(*db));
		c = creds_get(db, 40, 0, 0, 0, 0);
		CHECK(creds_setresuid(c, 1, 2, 3) == 0 && c->ruid == 1 &&
		    c->euid == 2 && c->suid == 3, "root setresuid");
		CHECK(creds_setresuid(c, 3, 1, K) == 0 && c->ruid == 3 &&
		    c->euid == 1 && c->suid == 3, "unprivileged setresuid among "
		    "its own ids");
		CHECK(creds_setresuid(c, 0, K, K) == -EPERM, "setresuid(0) "
		    "unprivileged: -EPERM");
		CHECK(creds_setgroups(c, g, 2) == -EPERM, "setgroups needs "
		    "euid 0");
		d = creds_get(db, 41, 0, 0, 0, 0);
		CHECK(creds_setgroups(d, g, 2) == 0 && d->ngroups == 2 &&
		    d->groups[1] == 6, "setgroups as root");
		CHECK(creds_setgroups(d, g, CREDS_NGROUPS_MAX + 1) == -EINVAL,
		    "too many groups: -EINVAL");
		CHECK(creds_getrlimit(d, CREDS_RLIMIT_NOFILE, old) == 0 &&
		    old[0] == 1024 && old[1] == CREDS_NR_OPEN,
		    "NOFILE default (Linux's: 1024, 4096)");
		CHECK(creds_getrlimit(d, CREDS_RLIM_NLIMITS, old) == -EINVAL,
		    "unknown resource: -EINVAL");
		lim[0] = 10;
		lim[1] = 5;
		CHECK(creds_setrlimit(d, 7, lim, 1) == -EINVAL, "cur > max: "
		    "-EINVAL");
		lim[0] = lim[1] = 32;
		CHECK(creds_setrlimit(d, 7, lim, 0) == 0, "lowering the hard "
		    "limit");
		lim[1] = 64;
		CHECK(creds_setrlimit(d, 7, lim, 0) == -EPERM, "raising it "
		    "again unprivileged: -EPERM");
		CHECK(creds_setrlimit(d, 7, lim, 1) == 0, "privileged raise");
		lim[1] = CREDS_NR_OPEN + 1;
		CHECK(creds_setrlimit(d, 7, lim, 1) == -EPERM, "NOFILE above "
		    "nr_open: -EPERM");
		CHECK(creds_fork(db, 41, 42) == 0 &&
		    (c = creds_find(db, 42)) != NULL && c->ngroups == 2 &&
		    c->rlim[7][1] == 64, "fork copies groups and limits");
		d->ngroups = 0;
		CHECK(creds_fork(db, 41, 42) == 0 && c->ngroups == 2,
		    "an existing child entry is kept");
		CHECK(creds_fork(db, 99, 43) == 0 && creds_find(db, 43) ==
		    NULL, "no parent entry: the child starts from the kernel "
		    "view");
		CHECK(creds_may_prlimit(creds_find(db, 40), c) == 0,
		    "prlimit64 on another uid's process: refused");

		sysinfo_uname(uts);
		CHECK(strcmp((char *)uts, "Linux") == 0 &&
		    strcmp((char *)uts + 4 * SYSINFO_UTS_FIELD, "x86_64") == 0 &&
		    uts[2 * SYSINFO_UTS_FIELD] != 0, "uname fields");
		CHECK(sysinfo_check_grnd(0) == 0 && sysinfo_check_grnd(3) == 0 &&
		    sysinfo_check_grnd(0x1000) == -EINVAL &&
		    sysinfo_check_grnd(6) == -EINVAL, "getrandom flags");
		memset(&rng, 0, sizeof(rng));
		sysinfo_rng_seed(&rng, "seed", 4);
		sysinfo_rng_draw(&rng, 0, a, sizeof(a));
		sysinfo_rng_draw(&rng, 0, b, sizeof(b));
		CHECK(memcmp(a, b, sizeof(a)) != 0, "two draws differ");
	}
	free(db);
	return tap_done();
}
