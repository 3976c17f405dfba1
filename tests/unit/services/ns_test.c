/*
 * ns_test.c -- vfsd's namespace: path normalisation, resolution of files
 * and synthesised directories, and getdents64 records with cursors.
 */
#include <errno.h>
#include <string.h>

#include "services/vfsd/ns.h"
#include "tests/unit/services/tap.h"

static struct ns_entry ents[] = {
	{ "/services/rootd/rootd.elf", 100, 0 },
	{ "/services/vfsd/vfsd.elf", 200, 1 },
	{ "/system/registry/system/startup-programs.tsv", 10, 2 },
	{ "/services/rootd/extra", 1, 3 },
};

static int
norm_is(const char *in, const char *want)
{
	char out[NS_PATH_MAX];

	if (ns_normalize(in, strlen(in), out, sizeof(out)) != 0)
		return 0;
	if (strcmp(out, want) != 0) {
		printf("# %s -> %s, want %s\n", in, out, want);
		return 0;
	}
	return 1;
}

/* Names of the records in buf (n bytes), comma-joined. */
static void
names(const unsigned char *buf, long n, char *out)
{
	long off = 0;
	uint16_t rl;

	out[0] = '\0';
	while (off < n) {
		memcpy(&rl, buf + off + 16, 2);
		if (out[0])
			strcat(out, ",");
		strcat(out, (const char *)buf + off + 19);
		strcat(out, buf[off + 18] == 4 ? "/" : "");
		if (rl == 0)
			break;
		off += rl;
	}
}

int
main(void)
{
	struct ns ns = { ents, 4 };
	char out[NS_PATH_MAX], list[512], big[NS_PATH_MAX + 100];
	unsigned char buf[512];
	uint64_t cur;
	size_t idx = 99;
	long n;

	CHECK(norm_is("/a//b/./c/", "/a/b/c"), "slashes and dots");
	CHECK(norm_is("a/b", "/a/b"), "relative resolved from /");
	CHECK(norm_is("/a/b/../c", "/a/c"), "dot-dot");
	CHECK(norm_is("/../../x", "/x"), "dot-dot at the root stays");
	CHECK(norm_is("/", "/") && norm_is("//.", "/"), "root");
	CHECK(norm_is("/abc/..", "/"), "back to root");
	CHECK(ns_normalize("", 0, out, sizeof(out)) == -EINVAL, "empty refused");
	CHECK(ns_normalize("/a\0b", 4, out, sizeof(out)) == -EINVAL,
	    "NUL refused");
	memset(big, 'x', sizeof(big));
	big[0] = '/';
	CHECK(ns_normalize(big, sizeof(big), out, sizeof(out)) == -ENAMETOOLONG,
	    "too long refused");

	CHECK(ns_resolve(&ns, "/services/vfsd/vfsd.elf", &idx) == 1 && idx == 1,
	    "file resolves");
	CHECK(ns_resolve(&ns, "/services", &idx) == 2, "directory synthesised");
	CHECK(ns_resolve(&ns, "/", &idx) == 2, "root is a directory");
	CHECK(ns_resolve(&ns, "/serv", &idx) == -ENOENT, "prefix is not a dir");
	CHECK(ns_resolve(&ns, "/nope", &idx) == -ENOENT, "missing");

	cur = 0;
	n = ns_getdents(&ns, "/", &cur, buf, sizeof(buf));
	names(buf, n, list);
	CHECK(n > 0 && strcmp(list, "./,../,services/,system/") == 0 && cur == 4,
	    "root listing: %s", list);
	n = ns_getdents(&ns, "/", &cur, buf, sizeof(buf));
	CHECK(n == 0, "end of directory");
	cur = 0;
	n = ns_getdents(&ns, "/services/rootd", &cur, buf, sizeof(buf));
	names(buf, n, list);
	CHECK(strcmp(list, "./,../,rootd.elf,extra") == 0, "files: %s", list);
	cur = 0;
	n = ns_getdents(&ns, "/services", &cur, buf, 48);
	names(buf, n, list);
	CHECK(n > 0 && strcmp(list, "./,../") == 0 && cur == 2,
	    "small buffer stops at a record boundary: %s", list);
	n = ns_getdents(&ns, "/services", &cur, buf, sizeof(buf));
	names(buf, n, list);
	CHECK(strcmp(list, "rootd/,vfsd/") == 0, "cursor resumes: %s", list);
	cur = 0;
	CHECK(ns_getdents(&ns, "/", &cur, buf, 10) == -EINVAL,
	    "buffer smaller than a record");
	return tap_done();
}
