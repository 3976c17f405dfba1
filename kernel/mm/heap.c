/*
 * heap.c -- kmalloc/kfree.  Sizes up to 2 KiB come from slab caches of
 * power-of-two objects, one 4 KiB frame per slab with its header at the
 * start of the frame; larger requests take contiguous frames with a header
 * in the first one.  Both live in the direct map, so kfree finds the header
 * by rounding the pointer down to its frame.  Freed slab objects are reused
 * last-in first-out; a slab that becomes empty goes back to the frame
 * allocator unless it is the cache's last one.
 */
#include <mm/api.h>
#include <nucleus-core/api.h>

#define SLAB_MAGIC	0x534c4142u
#define LARGE_MAGIC	0x4c415247u
#define MIN_SHIFT	4		/* 16 bytes */
#define MAX_SHIFT	11		/* 2048 bytes */
#define NCACHES		(MAX_SHIFT - MIN_SHIFT + 1)
#define HDR_SIZE	64

struct slab;

struct slab_cache {
	size_t objsize;
	struct slab *slabs;
	size_t nslabs;
};

struct slab {
	uint32_t magic;
	uint32_t inuse;
	uint32_t capacity;
	struct slab_cache *cache;
	struct slab *next;
	void *free;			/* free objects, linked through themselves */
};

struct large_hdr {
	uint32_t magic;
	uint32_t pages;
	size_t size;
};

static struct slab_cache caches[NCACHES];
static struct nc_spinlock heap_lock = NC_SPINLOCK_INIT;

void
mm_heap_init(void)
{
	unsigned i;

	for (i = 0; i < NCACHES; i++) {
		caches[i].objsize = (size_t)1 << (MIN_SHIFT + i);
		caches[i].slabs = NULL;
		caches[i].nslabs = 0;
	}
	nc_info(MEMORY, "heap: %u slab caches %u..%u bytes, larger "
	    "allocations page-backed", NCACHES, 1u << MIN_SHIFT,
	    1u << MAX_SHIFT);
}

static struct slab *
slab_new(struct slab_cache *c)
{
	uint64_t phys = mm_frame_alloc();
	struct slab *s;
	uint8_t *obj;
	size_t off;

	if (phys == 0)
		return (NULL);
	s = mm_phys_to_virt(phys);
	s->magic = SLAB_MAGIC;
	s->inuse = 0;
	s->capacity = 0;
	s->cache = c;
	s->free = NULL;
	off = c->objsize > HDR_SIZE ? c->objsize : HDR_SIZE;
	for (; off + c->objsize <= MM_PAGE_SIZE; off += c->objsize) {
		obj = (uint8_t *)s + off;
		*(void **)obj = s->free;
		s->free = obj;
		s->capacity++;
	}
	s->next = c->slabs;
	c->slabs = s;
	c->nslabs++;
	return (s);
}

static void *
large_alloc(size_t n)
{
	size_t pages = (n + HDR_SIZE + MM_PAGE_SIZE - 1) / MM_PAGE_SIZE;
	struct large_hdr *h;
	uint64_t phys;

	if (n > (1UL << 30))
		return (NULL);
	phys = mm_frame_alloc_contig(pages);
	if (phys == 0)
		return (NULL);
	h = mm_phys_to_virt(phys);
	h->magic = LARGE_MAGIC;
	h->pages = (uint32_t)pages;
	h->size = n;
	return ((uint8_t *)h + HDR_SIZE);
}

void *
mm_kmalloc(size_t n)
{
	struct slab_cache *c;
	struct slab *s;
	unsigned i;
	void *p;

	if (n == 0)
		n = 1;
	if (n > ((size_t)1 << MAX_SHIFT)) {
		p = large_alloc(n);
		if (p == NULL)
			nc_error(MEMORY, "kmalloc(%zu): out of memory", n);
		return (p);
	}
	for (i = 0; ((size_t)1 << (MIN_SHIFT + i)) < n; i++)
		;
	c = &caches[i];
	nc_spin_lock(&heap_lock);
	for (s = c->slabs; s != NULL && s->free == NULL; s = s->next)
		;
	if (s == NULL && (s = slab_new(c)) == NULL) {
		nc_spin_unlock(&heap_lock);
		nc_error(MEMORY, "kmalloc(%zu): out of memory", n);
		return (NULL);
	}
	p = s->free;
	s->free = *(void **)p;
	s->inuse++;
	nc_spin_unlock(&heap_lock);
	return (p);
}

void *
mm_kzalloc(size_t n)
{
	void *p = mm_kmalloc(n);

	if (p != NULL)
		memset(p, 0, n);
	return (p);
}

void
mm_kfree(void *p)
{
	uintptr_t page = NC_ALIGN_DOWN((uintptr_t)p, MM_PAGE_SIZE);
	struct slab *s = (struct slab *)page, **pp;
	struct large_hdr *h = (struct large_hdr *)page;
	struct slab_cache *c;

	if (p == NULL)
		return;
	if ((uintptr_t)p < MM_DIRECT_MAP_BASE)
		nc_panic("kfree(%p): not a heap pointer", p);
	if (h->magic == LARGE_MAGIC && (uintptr_t)p == page + HDR_SIZE) {
		h->magic = 0;
		mm_frame_free_contig(mm_virt_to_phys(h), h->pages);
		return;
	}
	if (s->magic != SLAB_MAGIC)
		nc_panic("kfree(%p): not a heap pointer (bad header)", p);
	c = s->cache;
	nc_spin_lock(&heap_lock);
	*(void **)p = s->free;
	s->free = p;
	s->inuse--;
	if (s->inuse == 0 && c->nslabs > 1) {
		for (pp = &c->slabs; *pp != s; pp = &(*pp)->next)
			;
		*pp = s->next;
		c->nslabs--;
		s->magic = 0;
		nc_spin_unlock(&heap_lock);
		mm_frame_free(mm_virt_to_phys(s));
		return;
	}
	nc_spin_unlock(&heap_lock);
}
