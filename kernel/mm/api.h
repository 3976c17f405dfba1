/*
 * mm/api.h -- memory management: the Multiboot2 boot information, kernel
 * paging (direct map of physical memory, W^X kernel image), the physical
 * frame allocator and the kernel heap.  The only header other subsystems
 * may include from mm/.
 */
#ifndef KERNEL_MM_API_H
#define KERNEL_MM_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MM_PAGE_SIZE		4096UL
#define MM_DIRECT_MAP_BASE	0xffff800000000000UL
/* The direct map covers at least 4 GiB (MMIO below 4 GiB) and at most this. */
#define MM_DIRECT_MAP_MAX	(64UL << 30)
#define MM_MAX_REGIONS		64
#define MM_MAX_MODULES		256

struct mm_region {
	uint64_t base;
	uint64_t len;
};

/* What the kernel keeps from the Multiboot2 information (copied out). */
struct mm_boot_info {
	struct mm_region ram[MM_MAX_REGIONS];	/* available RAM, sorted */
	unsigned nram;
	uint64_t max_phys;		/* end of the highest map entry */
	uint64_t info_phys, info_len;	/* the Multiboot2 block itself */
	uint8_t rsdp[64];		/* copy of the RSDP (ACPI tag) */
	size_t rsdp_len;
	char cmdline[128];
	unsigned ignored_entries;	/* map entries skipped as malformed */
	struct mm_module {		/* Multiboot2 modules (bootfs) */
		uint64_t start, end;	/* physical [start, end) */
		char name[128];		/* the module string (its path) */
	} modules[MM_MAX_MODULES];
	unsigned nmodules;
	unsigned ignored_modules;	/* malformed or beyond MM_MAX_MODULES */
};

extern struct mm_boot_info mm_boot_info;

/*
 * Walk and validate a Multiboot2 information block of at most avail bytes.
 * Returns 0, or -errno with *why set to a one-line reason.
 */
int	mm_mb2_parse(const void *info, size_t avail, struct mm_boot_info *out,
	    const char **why);

/* Paging: parse the boot information, build and load the kernel tables. */
void	mm_paging_init(uint32_t mb2_magic, uint32_t mb2_info_phys);
/* Whether the identity map is gone and the kernel runs in the higher half. */
bool	mm_higher_half_only(void);
/* Top of the kernel's main stack (guard page below it left unmapped). */
uintptr_t mm_main_stack_top(void);
uintptr_t mm_main_stack_guard(void);

/* Effective permissions of a kernel virtual address in the live tables. */
#define MM_PROT_PRESENT	0x1
#define MM_PROT_WRITE	0x2
#define MM_PROT_EXEC	0x4
unsigned mm_query_prot(uintptr_t va);

static inline void *
mm_phys_to_virt(uint64_t phys)
{
	return ((void *)(MM_DIRECT_MAP_BASE + phys));
}
static inline uint64_t
mm_virt_to_phys(const void *v)
{
	return ((uint64_t)(uintptr_t)v - MM_DIRECT_MAP_BASE);
}
void	*mm_p2v(uint64_t phys);		/* mm_phys_to_virt as a function */

/* Physical frames (4 KiB).  0 means failure (frame 0 is never handed out). */
void	mm_frame_init(void);
uint64_t mm_frame_alloc(void);
uint64_t mm_frame_alloc_contig(size_t n);
void	mm_frame_free(uint64_t phys);
void	mm_frame_free_contig(uint64_t phys, size_t n);
size_t	mm_frame_free_count(void);
/* Shared user frames (frame.c): extra holders, COW test, drop one. */
bool	mm_frame_share(uint64_t phys);
bool	mm_frame_shared(uint64_t phys);
void	mm_frame_put(uint64_t phys);
size_t	mm_frame_total_count(void);

/* Kernel heap: slab caches up to 2 KiB, page-backed large allocations. */
void	mm_heap_init(void);
void	*mm_kmalloc(size_t n);
void	*mm_kzalloc(size_t n);
void	mm_kfree(void *p);
#define kmalloc(n)	mm_kmalloc(n)
#define kfree(p)	mm_kfree(p)

/*
 * User address spaces (uvm.c): the user range is PML4 slot 1, i.e.
 * [MM_USER_BASE, MM_USER_END); the kernel half is shared with the kernel
 * tables.  Each space keeps a sorted list of mappings (start, end, Linux
 * prot, private or shared); pages come on first touch (mm_uvm_fault),
 * private pages are copy-on-write after mm_uvm_fork, shared mappings are
 * backed by a struct mm_obj (shared anonymous memory, memfd).
 */
#define MM_USER_BASE		(1UL << 39)
#define MM_USER_END		(2UL << 39)
/* Linux PROT_* (MM_PROT_READ is MM_PROT_PRESENT) and MAP_* values. */
#define MM_PROT_READ		0x1
#define MM_MAP_SHARED		0x01
#define MM_MAP_PRIVATE		0x02
#define MM_MAP_FIXED		0x10
#define MM_MAP_ANONYMOUS	0x20
#define MM_MAP_POPULATE		0x8000
#define MM_MAP_FIXED_NOREPLACE	0x100000
#define MM_MREMAP_MAYMOVE	1
struct mm_uvm;
struct mm_obj;
struct mm_uvm *mm_uvm_create(void);
void	mm_uvm_destroy(struct mm_uvm *vm);
uint64_t mm_uvm_cr3(const struct mm_uvm *vm);
uint64_t mm_kernel_cr3(void);
/* Map zeroed, populated pages over [va, va+len) (page aligned), replacing
 * what was there; prot MM_PROT_WRITE/EXEC (always readable). */
int	mm_uvm_map_zero(struct mm_uvm *vm, uintptr_t va, size_t len,
	    unsigned prot);
/*
 * mmap: a new mapping of len bytes (page aligned) with Linux prot and
 * MM_MAP_* flags; shared mappings need obj (pages from off, page
 * aligned), private ones are anonymous.  Without FIXED the address is
 * addr when that range is free, else the highest free range inside
 * [lo, hi).  Returns the address or -errno (EEXIST, ENOMEM, EINVAL).
 */
long	mm_uvm_mmap(struct mm_uvm *vm, uint64_t addr, uint64_t len,
	    unsigned prot, unsigned flags, struct mm_obj *obj, uint64_t off,
	    uint64_t lo, uint64_t hi);
/* Unmap [va, va+len) (page aligned): splits mappings; holes are fine. */
void	mm_uvm_unmap(struct mm_uvm *vm, uintptr_t va, size_t len);
/* New Linux prot over [va, va+len); -ENOMEM when part is unmapped. */
int	mm_uvm_protect(struct mm_uvm *vm, uintptr_t va, size_t len,
	    unsigned prot);
/* mremap (shrink, grow in place, MREMAP_MAYMOVE); new address or -errno. */
long	mm_uvm_remap(struct mm_uvm *vm, uint64_t old, uint64_t old_len,
	    uint64_t new_len, unsigned flags, uint64_t lo, uint64_t hi);
/* MADV_DONTNEED: drop the pages (private anonymous reads zero again). */
int	mm_uvm_dontneed(struct mm_uvm *vm, uintptr_t va, size_t len);
/*
 * Seal [va, va+len) (mapped, not writable): mprotect can never add
 * PROT_WRITE there (-EACCES), as Linux's vvar page.  Kept over fork.
 */
int	mm_uvm_seal(struct mm_uvm *vm, uintptr_t va, size_t len);
/* Pages of a private file mapping past the file's end: access = SIGBUS. */
int	mm_uvm_mark_bus(struct mm_uvm *vm, uintptr_t va, size_t len);
/* Allocate every page of [va, va+len) now (MAP_POPULATE). */
int	mm_uvm_populate(struct mm_uvm *vm, uintptr_t va, size_t len);
/*
 * A page fault at va (x86 error code bits: 1 present, 2 write, 16 fetch).
 * 0 when resolved (demand page, copy-on-write); -EFAULT outside every
 * mapping (SEGV_MAPERR), -EACCES against its prot (SEGV_ACCERR), -EIO
 * past the end of a mapped file (SIGBUS), -ENOMEM when no frame is left.
 */
int	mm_uvm_fault(struct mm_uvm *vm, uint64_t va, uint64_t error);
/* Copy-on-write copy of src's mappings into the empty dst (fork). */
int	mm_uvm_fork(struct mm_uvm *dst, struct mm_uvm *src);
/* Copy into vm (through the direct map, any CR3), breaking COW and
 * allocating as needed, whatever the prot (loaders, file mappings). */
int	mm_uvm_write(struct mm_uvm *vm, uintptr_t va, const void *src,
	    size_t len);
/* Whether every page of [va, va+len) lies inside a mapping. */
bool	mm_uvm_range_mapped(struct mm_uvm *vm, uintptr_t va, size_t len);
/* Frames the space holds (present pages; shared ones count each time). */
size_t	mm_uvm_resident(struct mm_uvm *vm);

/*
 * Shared memory objects (memfd, MAP_SHARED|MAP_ANONYMOUS): a size and
 * pages allocated on first use; counted holders (fds, mappings).
 */
#define MM_OBJ_MAX_SIZE		(256UL << 20)
struct mm_obj *mm_obj_create(uint64_t size);
/* A memfd: empty, and shared mappings fault SIGBUS past its size. */
struct mm_obj *mm_obj_create_file(void);
void	mm_obj_hold(struct mm_obj *o);
void	mm_obj_put(struct mm_obj *o);
uint64_t mm_obj_size(const struct mm_obj *o);
int	mm_obj_truncate(struct mm_obj *o, uint64_t size);
/* Kernel-buffer I/O at off; reads stop at the size, writes extend it. */
long	mm_obj_read(struct mm_obj *o, uint64_t off, void *dst, size_t n);
long	mm_obj_write(struct mm_obj *o, uint64_t off, const void *src,
	    size_t n);
/* Whether [va, va+len) lies inside the user range (no overflow). */
static inline bool
mm_user_range_ok(uint64_t va, uint64_t len)
{
	return (va >= MM_USER_BASE && va <= MM_USER_END &&
	    len <= MM_USER_END - va);
}

#endif /* KERNEL_MM_API_H */
