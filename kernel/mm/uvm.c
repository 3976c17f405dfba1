/*
 * uvm.c -- user address spaces.  Each has its own PML4 whose upper half
 * (slots 256..511) is a copy of the kernel's, so the kernel image, the
 * direct map and the heap are the same in every space.  The user range is
 * exactly PML4 slot 1 ([1<<39, 2<<39), the ABI's user range); only that
 * slot is ever populated or torn down here.
 *
 * A space keeps a sorted list of mappings (struct mm_vma: [start, end),
 * Linux prot, private or shared).  Page table entries are only a cache of
 * them: a page gets its frame on first touch (mm_uvm_fault), so a fault
 * outside every mapping is SEGV_MAPERR and one against the mapping's prot
 * SEGV_ACCERR.  Private pages are copy-on-write after mm_uvm_fork: both
 * spaces map the frame read-only with one more holder counted in frame.c;
 * a write copies it, or just takes write access back when it is the last
 * holder.  Shared mappings map the pages of a struct mm_obj (shared
 * anonymous memory, memfd), which holds its own reference to each page.
 *
 * Invariants: every leaf with a frame (present, or PTE_KEPT under
 * PROT_NONE) holds one reference to it, dropped exactly once when the leaf
 * is cleared (unmap, MADV_DONTNEED, COW copy, destroy); a leaf is writable
 * only when its mapping is and (private) nobody else holds the frame;
 * every leaf has U set, NX unless executable.
 */
#include <mm/api.h>
#include <hal/api.h>
#include <nucleus-core/api.h>

#define PTE_P		0x001ULL
#define PTE_W		0x002ULL
#define PTE_U		0x004ULL
#define PTE_PS		0x080ULL
#define PTE_KEPT	0x200ULL	/* software: frame kept, not present */
#define PTE_SHM		0x400ULL	/* software: shared page */
#define PTE_NX		(1ULL << 63)
#define PTE_ADDR	0x000ffffffffff000ULL
#define USER_SLOT	1
#define PG		MM_PAGE_SIZE
/* Frames (16 MiB) user mappings leave for the kernel's own needs. */
#define KERNEL_RESERVE_FRAMES	4096
#define MAX_VMAS	4096
#define PROT_R		0x1u
#define PROT_W		0x2u
#define PROT_X		0x4u
#define E_IO		5
#define E_FAULT		14
#define E_EXIST		17
#define E_ACCES		13

struct mm_vma {
	uint64_t start, end;
	unsigned prot;			/* Linux PROT_* */
	bool shared;
	struct mm_obj *obj;		/* shared: the backing (one hold) */
	uint64_t pgoff;			/* shared: obj page of start */
	bool bus;			/* past the end of a mapped file */
	bool sealed;			/* never writable (vDSO, vvar) */
	struct mm_vma *next;
};

struct mm_uvm {
	uint64_t pml4_phys;
	struct mm_vma *vmas;		/* sorted by start, disjoint */
	unsigned nvmas;
};

struct mm_obj {
	unsigned refs;
	bool file;			/* memfd: SIGBUS past size */
	uint64_t size;			/* bytes (memfd size) */
	size_t cap;			/* entries of pages[] */
	uint64_t *pages;		/* frame or 0 */
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
		memset(mm_phys_to_virt(f), 0, PG);
	return (f);
}

/* A zeroed frame for user memory, never one of the kernel's last ones. */
static uint64_t
user_frame(void)
{
	if (mm_frame_free_count() <= KERNEL_RESERVE_FRAMES)
		return (0);
	return (zero_frame());
}

static bool
has_frame(uint64_t e)
{
	return ((e & (PTE_P | PTE_KEPT)) != 0);
}

/* ---- shared objects ---- */

struct mm_obj *
mm_obj_create(uint64_t size)
{
	struct mm_obj *o;

	if (size > MM_OBJ_MAX_SIZE)
		return (NULL);
	if ((o = mm_kzalloc(sizeof(*o))) == NULL)
		return (NULL);
	o->refs = 1;
	o->size = size;
	return (o);
}

struct mm_obj *
mm_obj_create_file(void)
{
	struct mm_obj *o = mm_obj_create(0);

	if (o != NULL)
		o->file = true;
	return (o);
}

void
mm_obj_hold(struct mm_obj *o)
{
	o->refs++;
}

void
mm_obj_put(struct mm_obj *o)
{
	size_t i;

	if (o == NULL || --o->refs > 0)
		return;
	for (i = 0; i < o->cap; i++)
		if (o->pages[i] != 0)
			mm_frame_put(o->pages[i]);
	mm_kfree(o->pages);
	mm_kfree(o);
}

uint64_t
mm_obj_size(const struct mm_obj *o)
{
	return (o->size);
}

/* Page idx of o (allocated, zeroed, when alloc); 0 when absent or OOM. */
static uint64_t
obj_page(struct mm_obj *o, uint64_t idx, bool alloc)
{
	if (idx >= MM_OBJ_MAX_SIZE / PG)
		return (0);
	if (idx >= o->cap) {
		size_t ncap = o->cap * 2 > idx + 1 ? o->cap * 2 : idx + 1;
		uint64_t *np;

		if (!alloc)
			return (0);
		if (ncap < 16)
			ncap = 16;
		if (ncap > MM_OBJ_MAX_SIZE / PG)
			ncap = MM_OBJ_MAX_SIZE / PG;
		if ((np = mm_kzalloc(ncap * sizeof(*np))) == NULL)
			return (0);
		if (o->cap > 0)
			memcpy(np, o->pages, o->cap * sizeof(*np));
		mm_kfree(o->pages);
		o->pages = np;
		o->cap = ncap;
	}
	if (o->pages[idx] == 0 && alloc)
		o->pages[idx] = user_frame();
	return (o->pages[idx]);
}

int
mm_obj_truncate(struct mm_obj *o, uint64_t size)
{
	uint64_t keep = (size + PG - 1) / PG, i;

	if (size > MM_OBJ_MAX_SIZE)
		return (-27);			/* EFBIG */
	/* Pages wholly past the end go; mappings keep their own holds. */
	for (i = keep; i < o->cap; i++)
		if (o->pages[i] != 0) {
			mm_frame_put(o->pages[i]);
			o->pages[i] = 0;
		}
	if (size % PG != 0 && size < o->size && keep - 1 < o->cap &&
	    o->pages[keep - 1] != 0)
		memset((uint8_t *)mm_phys_to_virt(o->pages[keep - 1]) +
		    size % PG, 0, PG - size % PG);
	o->size = size;
	return (0);
}

long
mm_obj_read(struct mm_obj *o, uint64_t off, void *dst, size_t n)
{
	uint8_t *d = dst;
	size_t done = 0;

	if (off >= o->size)
		return (0);
	if (n > o->size - off)
		n = (size_t)(o->size - off);
	while (done < n) {
		uint64_t f = obj_page(o, (off + done) / PG, false);
		size_t po = (off + done) % PG, k = PG - po;

		if (k > n - done)
			k = n - done;
		if (f == 0)
			memset(d + done, 0, k);
		else
			memcpy(d + done, (uint8_t *)mm_phys_to_virt(f) + po, k);
		done += k;
	}
	return ((long)n);
}

long
mm_obj_write(struct mm_obj *o, uint64_t off, const void *src, size_t n)
{
	const uint8_t *s = src;
	size_t done = 0;

	if (off > MM_OBJ_MAX_SIZE || n > MM_OBJ_MAX_SIZE - off)
		return (-27);			/* EFBIG */
	while (done < n) {
		uint64_t f = obj_page(o, (off + done) / PG, true);
		size_t po = (off + done) % PG, k = PG - po;

		if (f == 0)
			break;
		if (k > n - done)
			k = n - done;
		memcpy((uint8_t *)mm_phys_to_virt(f) + po, s + done, k);
		done += k;
	}
	if (done == 0 && n > 0)
		return (-NC_ENOMEM);
	if (off + done > o->size)
		o->size = off + done;
	return ((long)done);
}

/* ---- page tables ---- */

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

static bool
is_current(struct mm_uvm *vm)
{
	return ((hal_read_cr3() & PTE_ADDR) == vm->pml4_phys);
}

static void
flush(struct mm_uvm *vm, uintptr_t va)
{
	if (is_current(vm))
		hal_invlpg(va);
}

typedef void (*leaf_fn)(struct mm_uvm *vm, uint64_t *pte, uint64_t va,
    void *ctx);

/* Call fn on every leaf of [s, e) that holds a frame. */
static void
walk(struct mm_uvm *vm, uint64_t s, uint64_t e, leaf_fn fn, void *ctx)
{
	uint64_t *pml4 = mm_phys_to_virt(vm->pml4_phys), *pdpt, va = s;

	if ((pml4[USER_SLOT] & PTE_P) == 0)
		return;
	pdpt = table_of(pml4[USER_SLOT]);
	while (va < e) {
		uint64_t e1 = pdpt[(va >> 30) & 511], e2, *pte;

		if ((e1 & PTE_P) == 0) {
			va = (va | ((1UL << 30) - 1)) + 1;
			continue;
		}
		e2 = table_of(e1)[(va >> 21) & 511];
		if ((e2 & PTE_P) == 0) {
			va = (va | ((1UL << 21) - 1)) + 1;
			continue;
		}
		pte = &table_of(e2)[(va >> 12) & 511];
		if (has_frame(*pte))
			fn(vm, pte, va, ctx);
		va += PG;
	}
}

/* The leaf bits for frame f in mapping v (see the invariants above). */
static uint64_t
leaf_flags(const struct mm_vma *v, uint64_t f)
{
	uint64_t fl = v->shared ? PTE_SHM : 0;

	if ((v->prot & (PROT_R | PROT_W | PROT_X)) == 0)
		return (fl | PTE_KEPT);
	fl |= PTE_P | PTE_U;
	if ((v->prot & PROT_X) == 0)
		fl |= PTE_NX;
	if ((v->prot & PROT_W) && (v->shared || !mm_frame_shared(f)))
		fl |= PTE_W;
	return (fl);
}

static void
drop_leaf(struct mm_uvm *vm, uint64_t *pte, uint64_t va, void *ctx)
{
	uint64_t f = *pte & PTE_ADDR;

	*pte = 0;
	flush(vm, va);
	mm_frame_put(f);
}

/* ---- the mapping list ---- */

static struct mm_vma *
vma_find(struct mm_uvm *vm, uint64_t va)
{
	struct mm_vma *v;

	for (v = vm->vmas; v != NULL && v->start <= va; v = v->next)
		if (va < v->end)
			return (v);
	return (NULL);
}

static bool
overlaps(struct mm_uvm *vm, uint64_t s, uint64_t e)
{
	struct mm_vma *v;

	for (v = vm->vmas; v != NULL && v->start < e; v = v->next)
		if (v->end > s)
			return (true);
	return (false);
}

/* Split v at `at` (strictly inside); the upper part follows v. */
static int
vma_split(struct mm_uvm *vm, struct mm_vma *v, uint64_t at)
{
	struct mm_vma *n;

	if (vm->nvmas >= MAX_VMAS || (n = mm_kmalloc(sizeof(*n))) == NULL)
		return (-NC_ENOMEM);
	*n = *v;
	n->start = at;
	if (n->shared) {
		n->pgoff += (at - v->start) / PG;
		mm_obj_hold(n->obj);
	}
	v->end = at;
	v->next = n;
	vm->nvmas++;
	return (0);
}

/* Split so that no mapping straddles s or e. */
static int
vma_carve(struct mm_uvm *vm, uint64_t s, uint64_t e)
{
	struct mm_vma *v;

	for (v = vm->vmas; v != NULL && v->start < e; v = v->next) {
		if (v->end <= s)
			continue;
		if (v->start < s && vma_split(vm, v, s) != 0)
			return (-NC_ENOMEM);
		if (v->start < e && v->end > e && vma_split(vm, v, e) != 0)
			return (-NC_ENOMEM);
	}
	return (0);
}

static void
vma_free(struct mm_uvm *vm, struct mm_vma *v)
{
	if (v->shared)
		mm_obj_put(v->obj);
	mm_kfree(v);
	vm->nvmas--;
}

static bool
mergeable(const struct mm_vma *a, const struct mm_vma *b)
{
	return (a->end == b->start && !a->shared && !b->shared &&
	    a->prot == b->prot && a->bus == b->bus && !a->sealed &&
	    !b->sealed);
}

/* Insert n (its range free) in order, merging private neighbours. */
static void
vma_insert(struct mm_uvm *vm, struct mm_vma *n)
{
	struct mm_vma **pp = &vm->vmas, *prev = NULL, *next;

	while (*pp != NULL && (*pp)->start < n->start) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	n->next = *pp;
	*pp = n;
	vm->nvmas++;
	if ((next = n->next) != NULL && mergeable(n, next)) {
		n->end = next->end;
		n->next = next->next;
		vma_free(vm, next);
	}
	if (prev != NULL && mergeable(prev, n)) {
		prev->end = n->end;
		prev->next = n->next;
		vma_free(vm, n);
	}
}

/* Remove [s, e) from the list and drop its pages. */
static int
remove_range(struct mm_uvm *vm, uint64_t s, uint64_t e)
{
	struct mm_vma **pp, *v;
	int rc = vma_carve(vm, s, e);

	if (rc != 0)
		return (rc);
	pp = &vm->vmas;
	while ((v = *pp) != NULL && v->start < e) {
		if (v->start >= s && v->end <= e) {
			*pp = v->next;
			vma_free(vm, v);
		} else
			pp = &v->next;
	}
	walk(vm, s, e, drop_leaf, NULL);
	return (0);
}

/* Highest page-aligned start of a free len bytes in [lo, hi), or 0. */
static uint64_t
find_gap(struct mm_uvm *vm, uint64_t len, uint64_t lo, uint64_t hi)
{
	struct mm_vma *v;
	uint64_t prev_end = lo, best = 0, gs, ge;

	for (v = vm->vmas; ; v = v->next) {
		gs = prev_end > lo ? prev_end : lo;
		ge = v == NULL || v->start > hi ? hi : v->start;
		if (ge > gs && ge - gs >= len)
			best = ge - len;
		if (v == NULL)
			break;
		if (v->end > prev_end)
			prev_end = v->end;
	}
	return (best);
}

/* ---- faults ---- */

/* Give page va (inside v) its frame; write breaks copy-on-write. */
static int
resolve(struct mm_uvm *vm, struct mm_vma *v, uint64_t va, bool write)
{
	uint64_t *pte = pte_slot(vm, va, true), f, nf;

	if (pte == NULL)
		return (-NC_ENOMEM);
	if (!has_frame(*pte)) {
		if (v->shared) {
			uint64_t idx = v->pgoff + (va - v->start) / PG;

			/* A memfd's pages end at its size (ftruncate). */
			if (v->obj->file && idx >= (v->obj->size + PG - 1) / PG)
				return (-E_IO);
			f = obj_page(v->obj, idx, true);
			if (f == 0 || !mm_frame_share(f))
				return (-NC_ENOMEM);
		} else if ((f = user_frame()) == 0)
			return (-NC_ENOMEM);
		*pte = f | leaf_flags(v, f);
		flush(vm, va);
		return (0);
	}
	f = *pte & PTE_ADDR;
	if (write && !v->shared && mm_frame_shared(f)) {
		if ((nf = user_frame()) == 0)
			return (-NC_ENOMEM);
		memcpy(mm_phys_to_virt(nf), mm_phys_to_virt(f), PG);
		*pte = nf | leaf_flags(v, nf);
		flush(vm, va);
		mm_frame_put(f);
		return (0);
	}
	*pte = f | leaf_flags(v, f);
	flush(vm, va);
	return (0);
}

int
mm_uvm_fault(struct mm_uvm *vm, uint64_t va, uint64_t error)
{
	struct mm_vma *v;
	bool write = (error & 2) != 0, fetch = (error & 16) != 0;

	if (vm == NULL || !mm_user_range_ok(va, 1) ||
	    (v = vma_find(vm, va)) == NULL)
		return (-E_FAULT);
	if ((v->prot & (PROT_R | PROT_W | PROT_X)) == 0 ||
	    (write && !(v->prot & PROT_W)) || (fetch && !(v->prot & PROT_X)))
		return (-E_ACCES);
	if (v->bus)
		return (-E_IO);
	return (resolve(vm, v, va & ~(PG - 1), write));
}

int
mm_uvm_populate(struct mm_uvm *vm, uintptr_t va, size_t len)
{
	uint64_t a;
	int rc;

	for (a = va & ~(PG - 1); a < va + len; a += PG) {
		struct mm_vma *v = vma_find(vm, a);

		if (v == NULL)
			continue;
		if ((rc = resolve(vm, v, a, (v->prot & PROT_W) != 0)) != 0)
			return (rc);
	}
	return (0);
}

/* ---- the calls ---- */

long
mm_uvm_mmap(struct mm_uvm *vm, uint64_t addr, uint64_t len, unsigned prot,
    unsigned flags, struct mm_obj *obj, uint64_t off, uint64_t lo,
    uint64_t hi)
{
	struct mm_vma *n;
	uint64_t va;
	bool shared = (flags & MM_MAP_SHARED) != 0;

	if (len == 0 || len % PG != 0 || off % PG != 0 ||
	    (prot & ~(PROT_R | PROT_W | PROT_X)) != 0)
		return (-NC_EINVAL);
	if (!mm_user_range_ok(MM_USER_BASE, len))
		return (-NC_ENOMEM);
	if (flags & (MM_MAP_FIXED | MM_MAP_FIXED_NOREPLACE)) {
		if (addr % PG != 0 || !mm_user_range_ok(addr, len))
			return (-NC_EINVAL);
		if ((flags & MM_MAP_FIXED_NOREPLACE) &&
		    overlaps(vm, addr, addr + len))
			return (-E_EXIST);
		va = addr;
	} else if (addr != 0 && addr % PG == 0 && addr >= lo && addr <= hi &&
	    len <= hi - addr && !overlaps(vm, addr, addr + len))
		va = addr;		/* the hint is free */
	else if ((va = find_gap(vm, len, lo, hi)) == 0)
		return (-NC_ENOMEM);
	if (vm->nvmas >= MAX_VMAS - 2 || (n = mm_kzalloc(sizeof(*n))) == NULL)
		return (-NC_ENOMEM);
	if (shared && obj == NULL) {
		/* MAP_SHARED|MAP_ANONYMOUS: a fresh object of its own. */
		if ((obj = mm_obj_create(len)) == NULL) {
			mm_kfree(n);
			return (-NC_ENOMEM);
		}
	} else if (shared)
		mm_obj_hold(obj);
	if (remove_range(vm, va, va + len) != 0) {
		if (shared)
			mm_obj_put(obj);
		mm_kfree(n);
		return (-NC_ENOMEM);
	}
	n->start = va;
	n->end = va + len;
	n->prot = prot;
	n->shared = shared;
	n->obj = shared ? obj : NULL;
	n->pgoff = off / PG;
	vma_insert(vm, n);
	if (flags & MM_MAP_POPULATE)
		(void)mm_uvm_populate(vm, va, len);
	return ((long)va);
}

int
mm_uvm_map_zero(struct mm_uvm *vm, uintptr_t va, size_t len, unsigned prot)
{
	long r;

	if (va % PG != 0 || len % PG != 0 || len == 0 ||
	    !mm_user_range_ok(va, len))
		return (-NC_EINVAL);
	/* User memory never takes the kernel's last frames. */
	if (len / PG + KERNEL_RESERVE_FRAMES > mm_frame_free_count())
		return (-NC_ENOMEM);
	r = mm_uvm_mmap(vm, va, len, PROT_R | (prot & (PROT_W | PROT_X)),
	    MM_MAP_PRIVATE | MM_MAP_FIXED, NULL, 0, 0, 0);
	if (r < 0)
		return ((int)r);
	if (mm_uvm_populate(vm, va, len) != 0) {
		mm_uvm_unmap(vm, va, len);
		return (-NC_ENOMEM);
	}
	return (0);
}

void
mm_uvm_unmap(struct mm_uvm *vm, uintptr_t va, size_t len)
{
	if (!mm_user_range_ok(va, len) || len == 0)
		return;
	len = NC_ALIGN_UP(len, PG);
	if (remove_range(vm, va & ~(PG - 1), (va & ~(PG - 1)) + len) != 0)
		/* No memory to split: at least drop the pages. */
		walk(vm, va, va + len, drop_leaf, NULL);
}

bool
mm_uvm_range_mapped(struct mm_uvm *vm, uintptr_t va, size_t len)
{
	uint64_t a;

	if (!mm_user_range_ok(va, len))
		return (false);
	for (a = va & ~(PG - 1); a < va + len; ) {
		struct mm_vma *v = vma_find(vm, a);

		if (v == NULL)
			return (false);
		a = v->end;
	}
	return (true);
}

static void
relabel_leaf(struct mm_uvm *vm, uint64_t *pte, uint64_t va, void *ctx)
{
	uint64_t f = *pte & PTE_ADDR;

	*pte = f | leaf_flags(ctx, f);
	flush(vm, va);
}

int
mm_uvm_protect(struct mm_uvm *vm, uintptr_t va, size_t len, unsigned prot)
{
	struct mm_vma *v;
	uint64_t e;

	if (va % PG != 0 || len % PG != 0 || !mm_user_range_ok(va, len) ||
	    (prot & ~(PROT_R | PROT_W | PROT_X)) != 0)
		return (-NC_EINVAL);
	if (!mm_uvm_range_mapped(vm, va, len))
		return (-NC_ENOMEM);
	e = va + len;
	/* A sealed mapping may lose access, never become writable. */
	for (v = vm->vmas; v != NULL && v->start < e; v = v->next)
		if (v->end > va && v->sealed && (prot & PROT_W))
			return (-E_ACCES);
	if (vma_carve(vm, va, e) != 0)
		return (-NC_ENOMEM);
	for (v = vm->vmas; v != NULL && v->start < e; v = v->next) {
		if (v->end <= va)
			continue;
		v->prot = prot;
		walk(vm, v->start, v->end, relabel_leaf, v);
	}
	return (0);
}

int
mm_uvm_seal(struct mm_uvm *vm, uintptr_t va, size_t len)
{
	struct mm_vma *v;
	uint64_t e = va + len;

	if (va % PG != 0 || len % PG != 0 || !mm_user_range_ok(va, len))
		return (-NC_EINVAL);
	if (!mm_uvm_range_mapped(vm, va, len))
		return (-NC_ENOMEM);
	for (v = vm->vmas; v != NULL && v->start < e; v = v->next)
		if (v->end > va && (v->prot & PROT_W))
			return (-E_ACCES);
	if (vma_carve(vm, va, e) != 0)
		return (-NC_ENOMEM);
	for (v = vm->vmas; v != NULL && v->start < e; v = v->next)
		if (v->end > va)
			v->sealed = true;
	return (0);
}

int
mm_uvm_mark_bus(struct mm_uvm *vm, uintptr_t va, size_t len)
{
	struct mm_vma *v;
	uint64_t e = va + len;

	if (va % PG != 0 || len % PG != 0 || !mm_user_range_ok(va, len))
		return (-NC_EINVAL);
	if (len == 0)
		return (0);
	if (vma_carve(vm, va, e) != 0)
		return (-NC_ENOMEM);
	for (v = vm->vmas; v != NULL && v->start < e; v = v->next)
		if (v->end > va && !v->shared)
			v->bus = true;
	walk(vm, va, e, drop_leaf, NULL);
	return (0);
}

int
mm_uvm_dontneed(struct mm_uvm *vm, uintptr_t va, size_t len)
{
	if (va % PG != 0 || !mm_user_range_ok(va, len))
		return (-NC_EINVAL);
	len = NC_ALIGN_UP(len, PG);
	if (!mm_uvm_range_mapped(vm, va, len))
		return (-NC_ENOMEM);
	/* Private pages read zero again, shared ones refault the object. */
	walk(vm, va, va + len, drop_leaf, NULL);
	return (0);
}

struct move_ctx {
	uint64_t delta;			/* new - old */
	struct mm_uvm *vm;
};

static void
move_leaf(struct mm_uvm *vm, uint64_t *pte, uint64_t va, void *ctx)
{
	struct move_ctx *m = ctx;
	uint64_t *d = pte_slot(vm, va + m->delta, false);

	/* The tables of the new range exist (made before the walk). */
	*d = *pte;
	*pte = 0;
	flush(vm, va);
}

long
mm_uvm_remap(struct mm_uvm *vm, uint64_t old, uint64_t old_len,
    uint64_t new_len, unsigned flags, uint64_t lo, uint64_t hi)
{
	struct mm_vma *v, *n;
	struct move_ctx m;
	uint64_t nva, a;

	if (old % PG != 0 || new_len == 0 || (flags & ~MM_MREMAP_MAYMOVE))
		return (-NC_EINVAL);
	old_len = NC_ALIGN_UP(old_len, PG);
	new_len = NC_ALIGN_UP(new_len, PG);
	if (old_len == 0 || !mm_user_range_ok(old, old_len) ||
	    !mm_user_range_ok(MM_USER_BASE, new_len))
		return (old_len == 0 ? -NC_EINVAL : -E_FAULT);
	v = vma_find(vm, old);
	if (v == NULL || old + old_len > v->end)
		return (-E_FAULT);
	/* A sealed mapping's object has no pages to grow into. */
	if (v->sealed && new_len > old_len)
		return (-NC_EINVAL);
	if (new_len <= old_len) {
		if (new_len < old_len)
			mm_uvm_unmap(vm, old + new_len, old_len - new_len);
		return ((long)old);
	}
	/* Grow in place when the pages after the mapping are free. */
	if (old + old_len == v->end && mm_user_range_ok(old, new_len) &&
	    !overlaps(vm, v->end, old + new_len)) {
		if ((n = mm_kzalloc(sizeof(*n))) == NULL)
			return (-NC_ENOMEM);
		*n = *v;
		n->start = v->end;
		n->end = old + new_len;
		if (n->shared) {
			n->pgoff += (v->end - v->start) / PG;
			mm_obj_hold(n->obj);
		}
		vma_insert(vm, n);
		return ((long)old);
	}
	if (!(flags & MM_MREMAP_MAYMOVE))
		return (-NC_ENOMEM);
	if ((nva = find_gap(vm, new_len, lo, hi)) == 0 ||
	    (n = mm_kzalloc(sizeof(*n))) == NULL)
		return (-NC_ENOMEM);
	for (a = nva; a < nva + old_len; a += PG)
		if (pte_slot(vm, a, true) == NULL) {
			mm_kfree(n);
			return (-NC_ENOMEM);
		}
	*n = *v;
	n->start = nva;
	n->end = nva + new_len;
	if (n->shared) {
		n->pgoff += (old - v->start) / PG;
		mm_obj_hold(n->obj);
	}
	vma_insert(vm, n);
	m.delta = nva - old;
	m.vm = vm;
	walk(vm, old, old + old_len, move_leaf, &m);
	/* Nothing is left to drop in the old range: only the list entry. */
	if (remove_range(vm, old, old + old_len) != 0)
		return (-NC_ENOMEM);
	return ((long)nva);
}

/* ---- fork and teardown ---- */

struct fork_ctx {
	struct mm_uvm *dst;
	int rc;
};

static void
fork_leaf(struct mm_uvm *src, uint64_t *pte, uint64_t va, void *ctx)
{
	struct fork_ctx *fc = ctx;
	uint64_t f = *pte & PTE_ADDR, *d, nf;

	if (fc->rc != 0)
		return;
	if ((d = pte_slot(fc->dst, va, true)) == NULL) {
		fc->rc = -NC_ENOMEM;
		return;
	}
	if (*pte & PTE_SHM) {
		if (!mm_frame_share(f)) {
			fc->rc = -NC_ENOMEM;
			return;
		}
		*d = *pte;
		return;
	}
	if (!mm_frame_share(f)) {
		/* Count saturated: the child gets its own copy now. */
		if ((nf = user_frame()) == 0) {
			fc->rc = -NC_ENOMEM;
			return;
		}
		memcpy(mm_phys_to_virt(nf), mm_phys_to_virt(f), PG);
		*d = nf | (*pte & ~PTE_ADDR);
		return;
	}
	/* Both read-only until one of them writes (resolve copies). */
	*pte &= ~PTE_W;
	*d = *pte;
}

int
mm_uvm_fork(struct mm_uvm *dst, struct mm_uvm *src)
{
	struct mm_vma *v, *n, **tail = &dst->vmas;
	struct fork_ctx fc;

	for (v = src->vmas; v != NULL; v = v->next) {
		if ((n = mm_kmalloc(sizeof(*n))) == NULL)
			return (-NC_ENOMEM);
		*n = *v;
		n->next = NULL;
		if (n->shared)
			mm_obj_hold(n->obj);
		*tail = n;
		tail = &n->next;
		dst->nvmas++;
	}
	fc.dst = dst;
	fc.rc = 0;
	walk(src, MM_USER_BASE, MM_USER_END, fork_leaf, &fc);
	/* src lost write access to its private pages: drop stale TLBs. */
	if (is_current(src))
		hal_write_cr3(src->pml4_phys);
	return (fc.rc);
}

static void
count_leaf(struct mm_uvm *vm, uint64_t *pte, uint64_t va, void *ctx)
{
	(*(size_t *)ctx)++;
}

size_t
mm_uvm_resident(struct mm_uvm *vm)
{
	size_t n = 0;

	walk(vm, MM_USER_BASE, MM_USER_END, count_leaf, &n);
	return (n);
}

int
mm_uvm_write(struct mm_uvm *vm, uintptr_t va, const void *src, size_t len)
{
	const uint8_t *s = src;

	if (!mm_user_range_ok(va, len))
		return (-NC_EINVAL);
	while (len > 0) {
		struct mm_vma *v = vma_find(vm, va);
		size_t off = va % PG, n = PG - off;
		uint64_t *pte;

		/* Sealed pages are shared by every process: never. */
		if (v == NULL || v->sealed ||
		    resolve(vm, v, va - off, true) != 0 ||
		    (pte = pte_slot(vm, va, false)) == NULL)
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

/* Free every user page, mapping and table of slot 1, then the PML4. */
void
mm_uvm_destroy(struct mm_uvm *vm)
{
	uint64_t *pml4, *pdpt, *pd;
	struct mm_vma *v;
	unsigned i, j;

	if (vm == NULL)
		return;
	if (is_current(vm))
		hal_write_cr3(mm_kernel_cr3());
	walk(vm, MM_USER_BASE, MM_USER_END, drop_leaf, NULL);
	while ((v = vm->vmas) != NULL) {
		vm->vmas = v->next;
		vma_free(vm, v);
	}
	pml4 = mm_phys_to_virt(vm->pml4_phys);
	if (pml4[USER_SLOT] & PTE_P) {
		pdpt = table_of(pml4[USER_SLOT]);
		for (i = 0; i < 512; i++) {
			if ((pdpt[i] & PTE_P) == 0)
				continue;
			pd = table_of(pdpt[i]);
			for (j = 0; j < 512; j++)
				if (pd[j] & PTE_P)
					mm_frame_free(pd[j] & PTE_ADDR);
			mm_frame_free(pdpt[i] & PTE_ADDR);
		}
		mm_frame_free(pml4[USER_SLOT] & PTE_ADDR);
	}
	mm_frame_free(vm->pml4_phys);
	mm_kfree(vm);
}
