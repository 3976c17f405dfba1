/*
 * order_test.c -- initd's dependency ordering: chains, input-order ties,
 * unknown dependencies, bootstrap (external) dependencies, self
 * dependencies, cycles and packages depending on skipped ones.
 */
#include <string.h>

#include "services/initd/order.h"
#include "tests/unit/services/tap.h"

static char skips[1024];

static void
skip(const char *id, const char *why, const char *dep, void *arg)
{
	strcat(skips, id);
	strcat(skips, ":");
	strcat(skips, why);
	strcat(skips, ";");
}

static int
ext(const char *id)
{
	return strcmp(id, "vfsd") == 0;
}

static size_t
run(struct init_pkg *p, size_t n, size_t *o, char *out)
{
	size_t k, i;

	skips[0] = '\0';
	k = initd_order(p, n, ext, o, skip, NULL);
	out[0] = '\0';
	for (i = 0; i < k; i++) {
		if (i)
			strcat(out, ",");
		strcat(out, p[o[i]].id);
	}
	return k;
}

int
main(void)
{
	size_t o[8];
	char out[256];

	{
		struct init_pkg p[] = {
			{ "a", { "c" }, 1 }, { "b", { 0 }, 0 }, { "c", { "b" }, 1 },
		};
		run(p, 3, o, out);
		CHECK(strcmp(out, "b,c,a") == 0 && skips[0] == '\0',
		    "chain: %s", out);
	}
	{
		struct init_pkg p[] = {
			{ "devmgrd", { 0 }, 0 }, { "storaged", { "devmgrd" }, 1 },
		};
		run(p, 2, o, out);
		CHECK(strcmp(out, "devmgrd,storaged") == 0, "devmgrd first: %s", out);
	}
	{
		struct init_pkg p[] = {
			{ "storaged", { "devmgrd" }, 1 }, { "devmgrd", { 0 }, 0 },
			{ "x", { 0 }, 0 },
		};
		run(p, 3, o, out);
		CHECK(strcmp(out, "devmgrd,storaged,x") == 0,
		    "a newly ready package goes before later ones: %s", out);
	}
	{
		struct init_pkg p[] = {
			{ "a", { "nope" }, 1 }, { "b", { "a" }, 1 }, { "c", { 0 }, 0 },
		};
		run(p, 3, o, out);
		CHECK(strcmp(out, "c") == 0 &&
		    strstr(skips, "a:unknown dependency") != NULL &&
		    strstr(skips, "b:depends on a skipped package") != NULL,
		    "unknown dependency skipped with dependents: %s / %s", out, skips);
	}
	{
		struct init_pkg p[] = {
			{ "a", { "vfsd" }, 1 },
		};
		run(p, 1, o, out);
		CHECK(strcmp(out, "a") == 0, "external bootstrap dependency met");
	}
	{
		struct init_pkg p[] = {
			{ "a", { "b" }, 1 }, { "b", { "a" }, 1 }, { "c", { 0 }, 0 },
			{ "d", { "d" }, 1 },
		};
		run(p, 4, o, out);
		CHECK(strcmp(out, "c") == 0 &&
		    strstr(skips, "a:dependency cycle") != NULL &&
		    strstr(skips, "b:dependency cycle") != NULL &&
		    strstr(skips, "d:depends on itself") != NULL,
		    "cycles and self deps skipped: %s / %s", out, skips);
	}
	{
		run(NULL, 0, o, out);
		CHECK(out[0] == '\0', "empty set");
	}
	return tap_done();
}
