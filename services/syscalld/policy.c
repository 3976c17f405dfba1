/*
 * policy.c -- syscalld's MM policy: break moves, mmap flag/prot sets,
 * range checks, mremap/madvise arguments and memfd_create flags.  Pure
 * (no syscalls).  Writable+executable mappings are refused (W^X holds for
 * every user mapping syscalld creates).
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
	/* Flags Linux accepts and RustOS honours or may ignore. */
	const uint32_t allowed = SYSCALLD_MAP_SHARED | SYSCALLD_MAP_PRIVATE |
	    SYSCALLD_MAP_ANONYMOUS | SYSCALLD_MAP_FIXED |
	    SYSCALLD_MAP_NORESERVE | SYSCALLD_MAP_POPULATE |
	    SYSCALLD_MAP_STACK | SYSCALLD_MAP_FIXED_NOREPLACE |
	    SYSCALLD_MAP_IGNORED;
	int r;

	(void)fd;
	if (len == 0)
		return -EINVAL;
	if ((flags & SYSCALLD_MAP_TYPE) == 0)
		return -EINVAL;		/* neither shared nor private */
	if (flags & ~allowed)
		return -EINVAL;
	if (off & (SYSCALLD_PAGE - 1))
		return -EINVAL;
	if (len > SYSCALLD_USER_END - SYSCALLD_USER_BASE)
		return -ENOMEM;
	if ((r = syscalld_check_prot(prot)) < 0)
		return r;
	if (flags & (SYSCALLD_MAP_FIXED | SYSCALLD_MAP_FIXED_NOREPLACE))
		return syscalld_check_range(addr, len, len_out);
	*len_out = (len + SYSCALLD_PAGE - 1) & ~(SYSCALLD_PAGE - 1);
	return 0;
}

int
syscalld_check_mprotect(uint64_t addr, uint64_t len, uint32_t prot)
{
	if (addr & (SYSCALLD_PAGE - 1))
		return -EINVAL;
	if (prot & ~(SYSCALLD_PROT_READ | SYSCALLD_PROT_WRITE |
	    SYSCALLD_PROT_EXEC))
		return -EINVAL;
	if (len > SYSCALLD_USER_END - SYSCALLD_USER_BASE)
		return -ENOMEM;
	return syscalld_check_prot(prot);
}

int
syscalld_check_mremap(uint64_t old, uint64_t old_len, uint64_t new_len,
    uint32_t flags)
{
	if ((old & (SYSCALLD_PAGE - 1)) || new_len == 0)
		return -EINVAL;
	/* MREMAP_FIXED (2) and MREMAP_DONTUNMAP (4) are not offered. */
	if (flags & ~SYSCALLD_MREMAP_MAYMOVE)
		return -EINVAL;
	if (new_len > SYSCALLD_USER_END - SYSCALLD_USER_BASE ||
	    old_len > SYSCALLD_USER_END - SYSCALLD_USER_BASE)
		return -ENOMEM;
	return 0;
}

int
syscalld_check_madvise(uint64_t addr, uint64_t len, int32_t advice)
{
	if (addr & (SYSCALLD_PAGE - 1))
		return -EINVAL;
	if (len > SYSCALLD_USER_END - SYSCALLD_USER_BASE)
		return -EINVAL;
	/* MADV_NORMAL..DONTNEED 0-4, FREE..COLLAPSE 8-25. */
	if (advice < 0 || (advice > 4 && advice < 8) || advice > 25)
		return -EINVAL;
	return 0;
}

int
syscalld_check_memfd(uint64_t flags, uint64_t name_len)
{
	/* CLOEXEC 1, ALLOW_SEALING 2, NOEXEC_SEAL 8, EXEC 0x10; no HUGETLB. */
	if (flags & ~(uint64_t)(0x1 | 0x2 | 0x8 | 0x10))
		return -EINVAL;
	if ((flags & 0x8) && (flags & 0x10))
		return -EINVAL;
	if (name_len > SYSCALLD_MEMFD_NAME_MAX)
		return -EINVAL;
	return 0;
}

int
syscalld_check_lock_range(uint16_t op, uint64_t addr, uint64_t len,
    uint64_t flags)
{
	if (op == 26) {				/* msync */
		/* MS_ASYNC 1, MS_INVALIDATE 2, MS_SYNC 4; not ASYNC|SYNC. */
		if ((addr & (SYSCALLD_PAGE - 1)) || (flags & ~7ull) ||
		    (flags & 5) == 5)
			return -EINVAL;
	} else if (op == 325 && (flags & ~1ull))	/* MLOCK_ONFAULT */
		return -EINVAL;
	if (len > SYSCALLD_USER_END - SYSCALLD_USER_BASE ||
	    addr > SYSCALLD_USER_END)
		return -ENOMEM;
	return 0;
}
