/*
 * uvm.c -- user address spaces.  Each has its own PML4 whose upper half
 * (slots 256..511) is a copy of the kernel's, so the kernel image, the
 * direct map and the heap are the same in every space.  The user range is
 * exactly PML4 slot 1 ([1<<39, 2<<39), the ABI's user range); only that
 * slot is ever populated or torn down here.  User pages are allocated
 * eagerly and zeroed; every leaf has U set, NX unless executable.
 */
#include <mm/api.h>
#include <hal/api.h>
#include <nucleus-core/api.h>

#define PTE_P		0x001ULL
#define PTE_W		0x002ULL
#define PTE_U		0x004ULL
#define PTE_PS		0x080ULL
#define PTE_NX		(1ULL << 63)
#define PTE_ADDR	0x000ffffffffff000ULL
#define USER_SLOT	1
/* Frames (16 MiB) user mappings leave for the kernel's own needs. */
#define KERNEL_RESERVE_FRAMES	4096

struct mm_uvm {
	uint64_t pml4_phys;
};

static uint64_t kernel_cr3;

uint64_t
mm_kernel_cr3(void)
{
	if (kernel_cr3 == 0)
		kernel_cr3 = hal_read_cr3() & PTE_ADDR;
	return (kernel_cr3);
}

static uint64_t *
table_of(uint64_t e)
{
	return (mm_phys_to_virt(e & PTE_ADDR));
}

static uint64_t
zero_frame(void)
{
	uint64_t f = mm_frame_alloc();

	if (f != 0)
		memset(mm_phys_to_virt(f), 0, MM_PAGE_SIZE);
	return (f);
}

struct mm_uvm *
mm_uvm_create(void)
{
	struct mm_uvm *vm;
	uint64_t *pml4, *kpml4;
	unsigned i;

	vm = mm_kzalloc(sizeof(*vm));
	if (vm == NULL)
		return (NULL);
	vm->pml4_phys = zero_frame();
	if (vm->pml4_phys == 0) {
		mm_kfree(vm);
		return (NULL);
	}
	pml4 = mm_phys_to_virt(vm->pml4_phys);
	kpml4 = mm_phys_to_virt(mm_kernel_cr3());
	for (i = 256; i < 512; i++)
		pml4[i] = kpml4[i];
	return (vm);
}

uint64_t
mm_uvm_cr3(const struct mm_uvm *vm)
{
	return (vm->pml4_phys);
}

/* The PTE slot of va, creating tables when create; NULL if absent. */
static uint64_t *
pte_slot(struct mm_uvm *vm, uintptr_t va, bool create)
{
	uint64_t *t = mm_phys_to_virt(vm->pml4_phys);
	int shift;

	for (shift = 39; shift > 12; shift -= 9) {
		uint64_t *e = &t[(va >> shift) & 511];

		if ((*e & PTE_P) == 0) {
			uint64_t f;

			if (!create || (f = zero_frame()) == 0)
				return (NULL);
			*e = f | PTE_P | PTE_W | PTE_U;
		}
		t = table_of(*e);
	}
	return (&t[(va >> 12) & 511]);
}

static void
flush(struct mm_uvm *vm, uintptr_t va)
{
	if ((hal_read_cr3() & PTE_ADDR) == vm->pml4_phys)
		hal_invlpg(va);
}

int
mm_uvm_map_zero(struct mm_uvm *vm, uintptr_t va, size_t len, unsigned prot)
{
	uint64_t flags = PTE_P | PTE_U;
	uintptr_t a;

	if (va % MM_PAGE_SIZE != 0 || len % MM_PAGE_SIZE != 0 ||
	    !mm_user_range_ok(va, len))
		return (-NC_EINVAL);
	/* User memory never takes the kernel's last frames. */
	if (len / MM_PAGE_SIZE + KERNEL_RESERVE_FRAMES > mm_frame_free_count())
		return (-NC_ENOMEM);
	if (prot & MM_PROT_WRITE)
		flags |= PTE_W;
	if ((prot & MM_PROT_EXEC) == 0)
		flags |= PTE_NX;
	for (a = va; a < va + len; a += MM_PAGE_SIZE) {
		uint64_t *pte = pte_slot(vm, a, true), f;

		if (pte == NULL)
			goto nomem;
		if (*pte & PTE_P) {
			/* Already there: keep the frame, zero it, new prot. */
			memset(mm_phys_to_virt(*pte & PTE_ADDR), 0,
			    MM_PAGE_SIZE);
			*pte = (*pte & PTE_ADDR) | flags;
			flush(vm, a);
			continue;
		}
		if ((f = zero_frame()) == 0)
			goto nomem;
		*pte = f | flags;
	}
	return (0);
nomem:
	mm_uvm_unmap(vm, va, a - va);
	return (-NC_ENOMEM);
}

void
mm_uvm_unmap(struct mm_uvm *vm, uintptr_t va, size_t len)
{
	uintptr_t a;

	if (!mm_user_range_ok(va, len))
		return;
	for (a = va; a < va + len; a += MM_PAGE_SIZE) {
		uint64_t *pte = pte_slot(vm, a, false);

		if (pte == NULL || (*pte & PTE_P) == 0)
			continue;
		mm_frame_free(*pte & PTE_ADDR);
		*pte = 0;
		flush(vm, a);
	}
}

int
mm_uvm_protect(struct mm_uvm *vm, uintptr_t va, size_t len, unsigned prot)
{
	uint64_t flags = PTE_P | PTE_U;
	uintptr_t a;

	if (va % MM_PAGE_SIZE != 0 || len % MM_PAGE_SIZE != 0 ||
	    !mm_user_range_ok(va, len))
		return (-NC_EINVAL);
	if (!mm_uvm_range_mapped(vm, va, len))
		return (-NC_ENOMEM);
	if (prot & MM_PROT_WRITE)
		flags |= PTE_W;
	if ((prot & MM_PROT_EXEC) == 0)
		flags |= PTE_NX;
	for (a = va; a < va + len; a += MM_PAGE_SIZE) {
		uint64_t *pte = pte_slot(vm, a, false);

		*pte = (*pte & PTE_ADDR) | flags;
		flush(vm, a);
	}
	return (0);
}

int
mm_uvm_write(struct mm_uvm *vm, uintptr_t va, const void *src, size_t len)
{
	const uint8_t *s = src;

	if (!mm_user_range_ok(va, len))
		return (-NC_EINVAL);
	while (len > 0) {
		uint64_t *pte = pte_slot(vm, va, false);
		size_t off = va % MM_PAGE_SIZE, n = MM_PAGE_SIZE - off;

		if (pte == NULL || (*pte & PTE_P) == 0)
			return (-NC_EINVAL);
		if (n > len)
			n = len;
		memcpy((uint8_t *)mm_phys_to_virt(*pte & PTE_ADDR) + off, s, n);
		s += n;
		va += n;
		len -= n;
	}
	return (0);
}

bool
mm_uvm_range_mapped(struct mm_uvm *vm, uintptr_t va, size_t len)
{
	uintptr_t a;

	if (!mm_user_range_ok(va, len))
		return (false);
	for (a = va & ~(MM_PAGE_SIZE - 1); a < va + len; a += MM_PAGE_SIZE) {
		uint64_t *pte = pte_slot(vm, a, false);

		if (pte == NULL || (*pte & PTE_P) == 0)
			return (false);
	}
	return (true);
}

/* Free every user page and table of slot 1, then the PML4. */
void
mm_uvm_destroy(struct mm_uvm *vm)
{
	uint64_t *pml4, *pdpt, *pd, *pt;
	unsigned i, j, k;

	if (vm == NULL)
		return;
	if ((hal_read_cr3() & PTE_ADDR) == vm->pml4_phys)
		hal_write_cr3(mm_kernel_cr3());
	pml4 = mm_phys_to_virt(vm->pml4_phys);
	if (pml4[USER_SLOT] & PTE_P) {
		pdpt = table_of(pml4[USER_SLOT]);
		for (i = 0; i < 512; i++) {
			if ((pdpt[i] & PTE_P) == 0)
				continue;
			pd = table_of(pdpt[i]);
			for (j = 0; j < 512; j++) {
				if ((pd[j] & PTE_P) == 0)
					continue;
				pt = table_of(pd[j]);
				for (k = 0; k < 512; k++)
					if (pt[k] & PTE_P)
						mm_frame_free(pt[k] & PTE_ADDR);
				mm_frame_free(pd[j] & PTE_ADDR);
			}
			mm_frame_free(pdpt[i] & PTE_ADDR);
		}
		mm_frame_free(pml4[USER_SLOT] & PTE_ADDR);
	}
	mm_frame_free(vm->pml4_phys);
	mm_kfree(vm);
}
