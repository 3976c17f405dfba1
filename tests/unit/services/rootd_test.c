/*
 * rootd_test.c -- rootd's freestanding helpers: number formatting, bounded
 * appends and the loaderd restart request (argv with and without the test
 * crash flag, over-long paths refused).
 */
#include <errno.h>
#include <string.h>

#include "services/rootd/rootd.h"
#include "tests/unit/services/tap.h"

int
main(void)
{
	static struct rustos_loader_spawn_request r;
	char buf[32], lng[400];
	size_t n;

	n = rootd_fmt_long(buf, sizeof(buf), -123);
	CHECK(n == 4 && strcmp(buf, "-123") == 0, "negative number: %s", buf);
	n = rootd_fmt_long(buf, sizeof(buf), 0);
	CHECK(n == 1 && strcmp(buf, "0") == 0, "zero");
	rootd_fmt_long(buf, sizeof(buf), -9223372036854775807L - 1);
	CHECK(strcmp(buf, "-9223372036854775808") == 0, "LONG_MIN: %s", buf);
	n = rootd_fmt_long(buf, 3, 12345);
	CHECK(n == 2 && strcmp(buf, "12") == 0, "truncated to capacity");
	n = rootd_append(buf, 8, 0, "rootd: ");
	n = rootd_append(buf, 8, n, "spawn");
	CHECK(n == 7 && strcmp(buf, "rootd: ") == 0, "append stops at capacity");
	CHECK(rootd_strlen("abc") == 3 && rootd_strlen("") == 0, "strlen");

	CHECK(rootd_build_spawn(&r, "/services/procd/procd.elf", 0) == 0 &&
	    r.version == 1 && r.op == 1 && r.argc == 1 && r.argv_len == 26 &&
	    r.exec_path_len == 25 && r.envc == 0 &&
	    memcmp(r.argv, "/services/procd/procd.elf", 26) == 0,
	    "restart request: argv = {path}");
	CHECK(rootd_build_spawn(&r, "/services/procd/procd.elf", 1) == 0 &&
	    r.argc == 2 && r.argv_len == 26 + 13 &&
	    memcmp(r.argv + 26, "--test-crash", 13) == 0,
	    "restart request with --test-crash");
	memset(lng, 'a', sizeof(lng) - 1);
	lng[sizeof(lng) - 1] = '\0';
	CHECK(rootd_build_spawn(&r, lng, 0) == -ENAMETOOLONG, "long path refused");
	CHECK(rootd_build_spawn(&r, "", 0) == -ENAMETOOLONG, "empty path refused");
	return tap_done();
}
