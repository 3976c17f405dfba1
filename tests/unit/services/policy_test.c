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
	CHECK(syscalld_check_mmap(0, 1ull << 40, 3, 0x22, -1, 0, &len) ==
	    -ENOMEM, "larger than the user range");
	CHECK(syscalld_check_mmap(0, 16ull << 30, 3, 0x22, -1, 0, &len) == 0,
	    "a large reservation (pages come on first touch)");
	CHECK(syscalld_check_mmap(0, 4096, 3, 0x21, -1, 0, &len) == 0,
	    "shared anonymous");
	CHECK(syscalld_check_mmap(0, 4096, 3, 0x02, 3, 0, &len) == 0,
	    "private file mapping");
	CHECK(syscalld_check_mmap(0, 4096, 3, 0x20, -1, 0, &len) == -EINVAL,
	    "neither shared nor private");
	CHECK(syscalld_check_mmap(0, 4096, 1, 0x02, 3, 100, &len) == -EINVAL,
	    "unaligned file offset");
	CHECK(syscalld_check_mprotect(B + 1, 4096, 1) == -EINVAL,
	    "mprotect unaligned");
	CHECK(syscalld_check_mprotect(B, 4096, 0x1000) == -EINVAL,
	    "mprotect unknown prot");
	CHECK(syscalld_check_mprotect(B, 4096, 0) == 0, "PROT_NONE");
	CHECK(syscalld_check_mremap(B + 1, 4096, 8192, 1) == -EINVAL,
	    "mremap unaligned");
	CHECK(syscalld_check_mremap(B, 4096, 0, 1) == -EINVAL,
	    "mremap to zero length");
	CHECK(syscalld_check_mremap(B, 4096, 8192, 8) == -EINVAL,
	    "mremap unknown flag");
	CHECK(syscalld_check_mremap(B, 4096, 8192, 1) == 0, "mremap MAYMOVE");
	CHECK(syscalld_check_madvise(B, 4096, 4) == 0, "MADV_DONTNEED");
	CHECK(syscalld_check_madvise(B + 1, 4096, 4) == -EINVAL,
	    "madvise unaligned");
	CHECK(syscalld_check_madvise(B, 4096, 9999) == -EINVAL,
	    "unknown advice");
	CHECK(syscalld_check_memfd(1, 6) == 0, "MFD_CLOEXEC");
	CHECK(syscalld_check_memfd(0x1000, 6) == -EINVAL, "unknown memfd flag");
	CHECK(syscalld_check_memfd(4, 6) == -EINVAL, "MFD_HUGETLB");
	CHECK(syscalld_check_memfd(0, 250) == -EINVAL, "name too long");
	CHECK(syscalld_check_lock_range(26, B + 1, 4096, 4) == -EINVAL,
	    "msync unaligned");
	CHECK(syscalld_check_lock_range(26, B, 4096, 5) == -EINVAL,
	    "msync MS_ASYNC|MS_SYNC");
	CHECK(syscalld_check_lock_range(26, B, 4096, 8) == -EINVAL,
	    "msync unknown flag");
	CHECK(syscalld_check_lock_range(26, B, 4096, 4) == 0, "msync MS_SYNC");
	CHECK(syscalld_check_lock_range(149, B + 1, 4096, 0) == 0,
	    "mlock rounds the start down");
	CHECK(syscalld_check_lock_range(325, B, 4096, 2) == -EINVAL,
	    "mlock2 unknown flag");
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
