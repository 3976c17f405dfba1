/*
 * policy.c -- syscalld's MM policy: break moves, mmap flag/prot sets and
 * range checks.  Pure (no syscalls).  Writable+executable mappings are
 * refused (W^X holds for every user mapping syscalld creates).
 */
#include <errno.h>

#include "services/syscalld/policy.h"

static uint64_t
page_up(uint64_t v)
{
	return (v + SYSCALLD_PAGE - 1) & ~(SYSCALLD_PAGE - 1);
}

int
syscalld_plan_brk(uint64_t start, uint64_t cur, uint64_t want, uint64_t limit,
    struct brk_plan *p)
{
	uint64_t a, b;

	p->map_addr = p->map_len = p->unmap_addr = p->unmap_len = 0;
	if (want < start || want - start > limit || want >= SYSCALLD_USER_END)
		return -ENOMEM;
	a = page_up(cur);
	b = page_up(want);
	if (b > a) {
		p->map_addr = a;
		p->map_len = b - a;
	} else if (b < a) {
		p->unmap_addr = b;
		p->unmap_len = a - b;
	}
	return 0;
}

int
syscalld_check_prot(uint32_t prot)
{
	if (prot & ~(SYSCALLD_PROT_READ | SYSCALLD_PROT_WRITE |
	    SYSCALLD_PROT_EXEC))
		return -EINVAL;
	if ((prot & SYSCALLD_PROT_WRITE) && (prot & SYSCALLD_PROT_EXEC))
		return -EACCES;
	return 0;
}

int
syscalld_check_range(uint64_t addr, uint64_t len, uint64_t *len_out)
{
	uint64_t l;

	if (len == 0 || (addr & (SYSCALLD_PAGE - 1)) != 0 ||
	    len > SYSCALLD_USER_END - SYSCALLD_USER_BASE)
		return -EINVAL;
	l = page_up(len);
	if (addr < SYSCALLD_USER_BASE || addr >= SYSCALLD_USER_END ||
	    l > SYSCALLD_USER_END - addr)
		return -EINVAL;
	*len_out = l;
	return 0;
}

int
syscalld_check_mmap(uint64_t addr, uint64_t len, uint32_t prot, uint32_t flags,
    int64_t fd, uint64_t off, uint64_t *len_out)
{
	const uint32_t allowed = SYSCALLD_MAP_SHARED | SYSCALLD_MAP_PRIVATE |
	    SYSCALLD_MAP_ANONYMOUS |
	    SYSCALLD_MAP_FIXED | SYSCALLD_MAP_NORESERVE | SYSCALLD_MAP_POPULATE |
	    SYSCALLD_MAP_STACK | SYSCALLD_MAP_FIXED_NOREPLACE;
	int r;

	if (len == 0 || len > (1ull << 30))
		return len == 0 ? -EINVAL : -ENOMEM;
	if ((r = syscalld_check_prot(prot)) < 0)
		return r;
	if (flags & ~allowed)
		return -EINVAL;
	/* File and shared mappings come with the files issue. */
	if ((flags & SYSCALLD_MAP_SHARED) && (flags & SYSCALLD_MAP_PRIVATE))
		return -EINVAL;
	if (!(flags & SYSCALLD_MAP_ANONYMOUS) || !(flags & SYSCALLD_MAP_PRIVATE))
		return -ENODEV;
	if (fd != -1 && fd != 0xffffffffll)
		return -EINVAL;
	if (off != 0)
		return -EINVAL;
	if (flags & (SYSCALLD_MAP_FIXED | SYSCALLD_MAP_FIXED_NOREPLACE))
		return syscalld_check_range(addr, len, len_out);
	if (addr & (SYSCALLD_PAGE - 1))
		addr = 0;	/* only a hint */
	*len_out = (len + SYSCALLD_PAGE - 1) & ~(SYSCALLD_PAGE - 1);
	return 0;
}
