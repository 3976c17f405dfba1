/*
 * policy.h -- syscalld's pure MM policy checks (host unit-tested).
 */
#ifndef SERVICES_SYSCALLD_POLICY_H
#define SERVICES_SYSCALLD_POLICY_H

#include <stdint.h>

#define SYSCALLD_PAGE		4096ull
#define SYSCALLD_PROT_READ	0x1u
#define SYSCALLD_PROT_WRITE	0x2u
#define SYSCALLD_PROT_EXEC	0x4u
#define SYSCALLD_MAP_SHARED	0x01u
#define SYSCALLD_MAP_PRIVATE	0x02u
#define SYSCALLD_MAP_FIXED	0x10u
#define SYSCALLD_MAP_ANONYMOUS	0x20u
#define SYSCALLD_MAP_NORESERVE	0x4000u
#define SYSCALLD_MAP_POPULATE	0x8000u
#define SYSCALLD_MAP_STACK	0x20000u
#define SYSCALLD_MAP_FIXED_NOREPLACE 0x100000u
#define SYSCALLD_USER_BASE	(1ull << 39)
#define SYSCALLD_USER_END	(2ull << 39)

struct brk_plan {
	uint64_t	map_addr, map_len;	/* pages to add */
	uint64_t	unmap_addr, unmap_len;	/* pages to drop */
};

/* Plan moving the break from cur to want; -ENOMEM if refused. */
int syscalld_plan_brk(uint64_t start, uint64_t cur, uint64_t want,
    uint64_t limit, struct brk_plan *p);
/* Anonymous private mappings only; *len_out is the page-rounded length. */
int syscalld_check_mmap(uint64_t addr, uint64_t len, uint32_t prot,
    uint32_t flags, int64_t fd, uint64_t off, uint64_t *len_out);
/* Page-aligned addr, 0 < len, range inside the user half. */
int syscalld_check_range(uint64_t addr, uint64_t len, uint64_t *len_out);
int syscalld_check_prot(uint32_t prot);

#endif /* SERVICES_SYSCALLD_POLICY_H */
