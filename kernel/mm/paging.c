/*
 * paging.c -- the kernel's own page tables, replacing the boot tables of
 * entry.S: a direct map of physical memory at MM_DIRECT_MAP_BASE (2 MiB
 * pages, RW, NX; at least 4 GiB so MMIO below 4 GiB is reachable) and the
 * kernel image in the higher half with 4 KiB pages mapped W^X: text RX,
 * rodata R+NX, data/bss RW+NX.  The identity map is dropped.  The page
 * table pages come from a pool in .bss because the frame allocator does
 * not exist yet.  The main kernel stack lives here too, with an unmapped
 * guard page below it so an overflow faults instead of corrupting .bss.
 */
#include <mm/api.h>
#include <hal/api.h>
#include <nucleus-core/api.h>

#define MB2_BOOTLOADER_MAGIC	0x36d76289
#define PTE_P		0x001ULL
#define PTE_W		0x002ULL
#define PTE_PS		0x080ULL
#define PTE_NX		(1ULL << 63)
#define PTE_ADDR	0x000ffffffffff000ULL
#define POOL_PAGES	80
#define MAIN_STACK_PAGES 16
#define BOOT_IDENTITY_LIMIT (4UL << 30)	/* entry.S identity-maps 0..4 GiB */

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[];

struct mm_boot_info mm_boot_info;

static uint64_t pt_pool[POOL_PAGES][512] __attribute__((aligned(4096)));
static unsigned pt_pool_used;
static uint8_t main_stack[MAIN_STACK_PAGES + 1][4096]
    __attribute__((aligned(4096)));
static uint64_t *kernel_pml4;

static uint64_t
kva_to_phys(const void *p)
{
	return ((uint64_t)(uintptr_t)p - KERNEL_VMA);
}

void *
mm_p2v(uint64_t phys)
{
	return (mm_phys_to_virt(phys));
}

static uint64_t *
pool_page(void)
{
	if (pt_pool_used == POOL_PAGES)
		nc_panic("paging: boot page-table pool (%d pages) exhausted",
		    POOL_PAGES);
	return (pt_pool[pt_pool_used++]);
}

/* The next-level table of entry e, created when absent. */
static uint64_t *
next_table(uint64_t *table, unsigned idx)
{
	uint64_t *t;

	if (table[idx] & PTE_P)
		return ((uint64_t *)(uintptr_t)((table[idx] & PTE_ADDR) +
		    KERNEL_VMA));
	t = pool_page();
	table[idx] = kva_to_phys(t) | PTE_P | PTE_W;
	return (t);
}

static void
map_4k(uintptr_t va, uint64_t phys, uint64_t flags)
{
	uint64_t *pdpt = next_table(kernel_pml4, (va >> 39) & 511);
	uint64_t *pd = next_table(pdpt, (va >> 30) & 511);
	uint64_t *pt = next_table(pd, (va >> 21) & 511);

	pt[(va >> 12) & 511] = phys | flags | PTE_P;
}

static void
map_direct(uint64_t bytes)
{
	uint64_t phys;

	for (phys = 0; phys < bytes; phys += 2UL << 20) {
		uintptr_t va = MM_DIRECT_MAP_BASE + phys;
		uint64_t *pdpt = next_table(kernel_pml4, (va >> 39) & 511);
		uint64_t *pd = next_table(pdpt, (va >> 30) & 511);

		pd[(va >> 21) & 511] = phys | PTE_P | PTE_W | PTE_PS | PTE_NX;
	}
}

static void
map_kernel_range(char *start, char *end, uint64_t flags)
{
	uintptr_t va;

	for (va = (uintptr_t)start; va < (uintptr_t)end; va += MM_PAGE_SIZE) {
		if (va == (uintptr_t)main_stack[0])
			continue;	/* guard page */
		map_4k(va, va - KERNEL_VMA, flags);
	}
}

void
mm_paging_init(uint32_t magic, uint32_t info_phys)
{
	const char *why;
	uint64_t direct;
	unsigned i;
	int rc;

	if (magic != MB2_BOOTLOADER_MAGIC)
		nc_panic("multiboot2: bad boot loader magic 0x%x (not booted "
		    "through Multiboot2)", magic);
	if (info_phys == 0 || info_phys % 8 != 0 ||
	    info_phys >= BOOT_IDENTITY_LIMIT - 16)
		nc_panic("multiboot2: boot information at 0x%x is unusable",
		    info_phys);
	/* Still on the boot tables: the identity map reaches it. */
	rc = mm_mb2_parse((const void *)(uintptr_t)info_phys,
	    BOOT_IDENTITY_LIMIT - info_phys, &mm_boot_info, &why);
	if (rc != 0)
		nc_panic("multiboot2: %s (%d)", why, rc);
	mm_boot_info.info_phys = info_phys;
	if (mm_boot_info.ignored_entries > 0)
		nc_warn(MEMORY, "multiboot2: %u malformed or excess memory map "
		    "entries ignored", mm_boot_info.ignored_entries);
	for (i = 0; i < mm_boot_info.nram; i++)
		nc_debug(MEMORY, "ram 0x%lx-0x%lx", mm_boot_info.ram[i].base,
		    mm_boot_info.ram[i].base + mm_boot_info.ram[i].len);

	direct = mm_boot_info.max_phys;
	if (direct < (4UL << 30))
		direct = 4UL << 30;
	if (direct > MM_DIRECT_MAP_MAX) {
		nc_warn(MEMORY, "physical memory above %lu GiB is not used",
		    MM_DIRECT_MAP_MAX >> 30);
		direct = MM_DIRECT_MAP_MAX;
	}
	direct = NC_ALIGN_UP(direct, 1UL << 30);

	kernel_pml4 = pool_page();
	map_direct(direct);
	map_kernel_range(__text_start, __text_end, 0);
	map_kernel_range(__rodata_start, __rodata_end, PTE_NX);
	map_kernel_range(__data_start, __data_end, PTE_W | PTE_NX);
	hal_write_cr3(kva_to_phys(kernel_pml4));
	nc_info(MEMORY, "paging: direct map %lu GiB at 0x%lx, kernel W^X, "
	    "%u table pages", direct >> 30, MM_DIRECT_MAP_BASE, pt_pool_used);
}

bool
mm_higher_half_only(void)
{
	uint64_t *pml4 = mm_phys_to_virt(hal_read_cr3() & PTE_ADDR);
	uintptr_t rip;

	__asm__ volatile("leaq 0(%%rip), %0" : "=r"(rip));
	return (rip >= KERNEL_VMA && (pml4[0] & PTE_P) == 0);
}

uintptr_t
mm_main_stack_top(void)
{
	return ((uintptr_t)main_stack[MAIN_STACK_PAGES] + 4096);
}

uintptr_t
mm_main_stack_guard(void)
{
	return ((uintptr_t)main_stack[0]);
}

/* Walk the live tables; W and X need every level to allow them. */
unsigned
mm_query_prot(uintptr_t va)
{
	uint64_t *t = mm_phys_to_virt(hal_read_cr3() & PTE_ADDR), e = 0;
	bool w = true, nx = false;
	int shift;

	for (shift = 39; shift >= 12; shift -= 9) {
		e = t[(va >> shift) & 511];
		if ((e & PTE_P) == 0)
			return (0);
		w = w && (e & PTE_W) != 0;
		nx = nx || (e & PTE_NX) != 0;
		if (shift > 12 && (e & PTE_PS) != 0)
			break;
		t = mm_phys_to_virt(e & PTE_ADDR);
	}
	return (MM_PROT_PRESENT | (w ? MM_PROT_WRITE : 0) |
	    (nx ? 0 : MM_PROT_EXEC));
}
