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
#define SYSCALLD_MAP_TYPE	0x03u	/* SHARED, PRIVATE, SHARED_VALIDATE */
/* GROWSDOWN DENYWRITE EXECUTABLE LOCKED NONBLOCK: accepted, no effect. */
#define SYSCALLD_MAP_IGNORED	(0x100u | 0x800u | 0x1000u | 0x2000u | \
	0x10000u)
#define SYSCALLD_MREMAP_MAYMOVE	0x1u
#define SYSCALLD_MEMFD_NAME_MAX	249
#define SYSCALLD_USER_BASE	(1ull << 39)
#define SYSCALLD_USER_END	(2ull << 39)

struct brk_plan {
	uint64_t	map_addr, map_len;	/* pages to add */
	uint64_t	unmap_addr, unmap_len;	/* pages to drop */
};

/* Plan moving the break from cur to want; -ENOMEM if refused. */
int syscalld_plan_brk(uint64_t start, uint64_t cur, uint64_t want,
    uint64_t limit, struct brk_plan *p);
/*
 * mmap arguments (any backing; the fd is judged by its kind later);
 * *len_out is the page-rounded length.
 */
int syscalld_check_mmap(uint64_t addr, uint64_t len, uint32_t prot,
    uint32_t flags, int64_t fd, uint64_t off, uint64_t *len_out);
int syscalld_check_mprotect(uint64_t addr, uint64_t len, uint32_t prot);
int syscalld_check_mremap(uint64_t old, uint64_t old_len, uint64_t new_len,
    uint32_t flags);
int syscalld_check_madvise(uint64_t addr, uint64_t len, int32_t advice);
int syscalld_check_memfd(uint64_t flags, uint64_t name_len);
/* msync (op 26: page-aligned addr, MS_* flags), mlock/munlock/mlock2. */
int syscalld_check_lock_range(uint16_t op, uint64_t addr, uint64_t len,
    uint64_t flags);
/* Page-aligned addr, 0 < len, range inside the user half. */
int syscalld_check_range(uint64_t addr, uint64_t len, uint64_t *len_out);
int syscalld_check_prot(uint32_t prot);

#endif /* SERVICES_SYSCALLD_POLICY_H */
