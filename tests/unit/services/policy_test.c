/*
 * policy_test.c -- syscalld's MM policy: break plans and limits, mmap flag
 * and prot sets (W^X), range checks.
 */
#include <errno.h>

#include "services/syscalld/policy.h"
#include "tests/unit/services/tap.h"

#define B	0x8000600000ull

int
main(void)
{
	struct brk_plan p;
	uint64_t len = 0;

	CHECK(syscalld_plan_brk(B, B, B + 10, 1 << 20, &p) == 0 &&
	    p.map_addr == B && p.map_len == 4096 && p.unmap_len == 0,
	    "grow maps whole pages");
	CHECK(syscalld_plan_brk(B, B + 10, B + 20, 1 << 20, &p) == 0 &&
	    p.map_len == 0 && p.unmap_len == 0, "grow inside a page");
	CHECK(syscalld_plan_brk(B, B + 0x3000, B + 0x1000, 1 << 20, &p) == 0 &&
	    p.unmap_addr == B + 0x1000 && p.unmap_len == 0x2000,
	    "shrink unmaps");
	CHECK(syscalld_plan_brk(B, B, B - 1, 1 << 20, &p) == -ENOMEM,
	    "below start refused");
	CHECK(syscalld_plan_brk(B, B, B + (2 << 20), 1 << 20, &p) == -ENOMEM,
	    "over the limit refused");
	CHECK(syscalld_check_prot(7) == -EACCES, "W+X refused");
	CHECK(syscalld_check_prot(8) == -EINVAL, "unknown prot bit");
	CHECK(syscalld_check_prot(3) == 0 && syscalld_check_prot(5) == 0,
	    "RW and RX");
	CHECK(syscalld_check_mmap(0, 100, 3, 0x22, -1, 0, &len) == 0 &&
	    len == 4096, "anon private rounds up");
	CHECK(syscalld_check_mmap(0, 0, 3, 0x22, -1, 0, &len) == -EINVAL,
	    "zero length");
	CHECK(syscalld_check_mmap(0, 2ull << 30, 3, 0x22, -1, 0, &len) == -ENOMEM,
	    "too big");
	CHECK(syscalld_check_mmap(0, 4096, 3, 0x21, -1, 0, &len) == -ENODEV,
	    "shared refused for now");
	CHECK(syscalld_check_mmap(0, 4096, 3, 0x02, 3, 0, &len) == -ENODEV,
	    "file mapping refused for now");
	CHECK(syscalld_check_mmap(0, 4096, 3, 0x22 | 0x40, -1, 0, &len) ==
	    -EINVAL, "unknown flag");
	CHECK(syscalld_check_mmap(B + 1, 4096, 3, 0x32, -1, 0, &len) == -EINVAL,
	    "MAP_FIXED unaligned");
	CHECK(syscalld_check_mmap(0x1000, 4096, 3, 0x32, -1, 0, &len) == -EINVAL,
	    "MAP_FIXED below the user range");
	CHECK(syscalld_check_mmap(B, 4096, 3, 0x32, -1, 0, &len) == 0,
	    "MAP_FIXED in range");
	CHECK(syscalld_check_range(B, 0, &len) == -EINVAL, "empty range");
	CHECK(syscalld_check_range((2ull << 39) - 4096, 8192, &len) == -EINVAL,
	    "range past the end");
	CHECK(syscalld_check_range(B, ~0ull, &len) == -EINVAL, "huge length");
	return tap_done();
}
