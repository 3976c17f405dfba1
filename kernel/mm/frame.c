/*
 * frame.c -- the physical frame allocator: a bitmap over [0, top of RAM),
 * freed from the Multiboot2 available ranges, with the low 1 MiB, the
 * kernel image, the Multiboot2 block and the bitmap itself reserved.  The
 * "alloc.frame" fault point sits at the allocation boundary: an injected
 * failure returns 0 like real exhaustion.
 *
 * User frames may be shared (copy-on-write after fork, shared mappings):
 * a 16-bit count of extra holders per frame (0 = one holder) lives in
 * frames taken right after the bitmap.  mm_frame_put drops one holder and
 * releases the frame with the last; plain mm_frame_free ignores it.
 */
#include <mm/api.h>
#include <mm/internal.h>
#include <nucleus-core/api.h>

extern char __kernel_phys_start[], __kernel_phys_end[];

static struct mm_bitmap frames;
static struct nc_spinlock frame_lock = NC_SPINLOCK_INIT;
static size_t total_frames;
static uint16_t *extra_refs;		/* per frame: holders - 1 */
static size_t nframes;

static void
reserve_bytes(uint64_t base, uint64_t len)
{
	uint64_t first = base / MM_PAGE_SIZE;
	uint64_t last = (base + len + MM_PAGE_SIZE - 1) / MM_PAGE_SIZE;

	mm_bitmap_reserve_range(&frames, first, last - first);
}

/* First page-aligned b' >= b such that [b', b'+len) misses every module. */
static uint64_t
skip_modules(const struct mm_boot_info *bi, uint64_t b, uint64_t len)
{
	bool moved = true;
	unsigned i;

	while (moved) {
		moved = false;
		for (i = 0; i < bi->nmodules; i++) {
			const struct mm_module *m = &bi->modules[i];

			if (b < m->end && b + len > m->start) {
				b = NC_ALIGN_UP(m->end, MM_PAGE_SIZE);
				moved = true;
			}
		}
	}
	return (b);
}

void
mm_frame_init(void)
{
	const struct mm_boot_info *bi = &mm_boot_info;
	uint64_t top, bytes, where = 0;
	size_t nbits;
	unsigned i;

	top = bi->ram[bi->nram - 1].base + bi->ram[bi->nram - 1].len;
	if (top > MM_DIRECT_MAP_MAX)
		top = MM_DIRECT_MAP_MAX;
	nbits = top / MM_PAGE_SIZE;
	bytes = NC_ALIGN_UP((uint64_t)(nbits + 63) / 64 * 8, MM_PAGE_SIZE);
	/* The bitmap goes in the first RAM range above the kernel that fits. */
	for (i = 0; i < bi->nram && where == 0; i++) {
		uint64_t b = bi->ram[i].base, e = b + bi->ram[i].len;

		if (b < (uint64_t)(uintptr_t)__kernel_phys_end)
			b = NC_ALIGN_UP((uint64_t)(uintptr_t)__kernel_phys_end,
			    MM_PAGE_SIZE);
		if (b < bi->info_phys + bi->info_len && e > bi->info_phys)
			b = NC_ALIGN_UP(bi->info_phys + bi->info_len,
			    MM_PAGE_SIZE);
		b = skip_modules(bi, b, bytes);
		if (e > b && e - b >= bytes && e <= top)
			where = b;
	}
	if (where == 0)
		nc_panic("frame allocator: no RAM range holds the %lu byte "
		    "bitmap", bytes);
	mm_bitmap_init(&frames, mm_phys_to_virt(where), nbits);
	for (i = 0; i < bi->nram; i++) {
		uint64_t b = bi->ram[i].base, e = b + bi->ram[i].len;

		if (b >= top)
			continue;
		if (e > top)
			e = top;
		mm_bitmap_free_range(&frames, b / MM_PAGE_SIZE,
		    (e - b) / MM_PAGE_SIZE);
	}
	reserve_bytes(0, 1UL << 20);
	reserve_bytes((uint64_t)(uintptr_t)__kernel_phys_start,
	    (uint64_t)(uintptr_t)__kernel_phys_end -
	    (uint64_t)(uintptr_t)__kernel_phys_start);
	reserve_bytes(bi->info_phys, bi->info_len);
	reserve_bytes(where, bytes);
	/* The boot modules stay in place: they are the read-only bootfs. */
	for (i = 0; i < bi->nmodules; i++)
		if (bi->modules[i].start < top)
			reserve_bytes(bi->modules[i].start,
			    bi->modules[i].end - bi->modules[i].start);
	nframes = nbits;
	{
		size_t n = (nbits * sizeof(uint16_t) + MM_PAGE_SIZE - 1) /
		    MM_PAGE_SIZE, bit = mm_bitmap_alloc_run(&frames, n);

		if (bit == (size_t)-1)
			nc_panic("frame allocator: no room for the %zu frame "
			    "reference counts", n);
		extra_refs = mm_phys_to_virt((uint64_t)bit * MM_PAGE_SIZE);
		memset(extra_refs, 0, n * MM_PAGE_SIZE);
	}
	total_frames = frames.nfree;
	nc_info(MEMORY, "frames: %zu free of %zu (%lu MiB usable), bitmap at "
	    "0x%lx", frames.nfree, nbits, (uint64_t)frames.nfree * 4096 >> 20,
	    where);
}

uint64_t
mm_frame_alloc(void)
{
	return (mm_frame_alloc_contig(1));
}

uint64_t
mm_frame_alloc_contig(size_t n)
{
	size_t bit;

	if (nc_fault_should_fail("alloc.frame")) {
		nc_warn(MEMORY, "alloc.frame: injected failure (%zu frame(s))",
		    n);
		return (0);
	}
	nc_spin_lock(&frame_lock);
	bit = mm_bitmap_alloc_run(&frames, n);
	nc_spin_unlock(&frame_lock);
	if (bit == (size_t)-1) {
		nc_warn(MEMORY, "alloc.frame: out of memory (%zu frame(s))", n);
		return (0);
	}
	return ((uint64_t)bit * MM_PAGE_SIZE);
}

void
mm_frame_free_contig(uint64_t phys, size_t n)
{
	size_t i;

	if (phys % MM_PAGE_SIZE != 0)
		nc_panic("mm_frame_free: unaligned frame 0x%lx", phys);
	nc_spin_lock(&frame_lock);
	for (i = 0; i < n; i++) {
		if (mm_bitmap_release(&frames, phys / MM_PAGE_SIZE + i) != 0) {
			nc_spin_unlock(&frame_lock);
			nc_panic("mm_frame_free: frame 0x%lx freed twice or "
			    "never allocated", phys + i * MM_PAGE_SIZE);
		}
	}
	nc_spin_unlock(&frame_lock);
}

void
mm_frame_free(uint64_t phys)
{
	mm_frame_free_contig(phys, 1);
}

size_t
mm_frame_free_count(void)
{
	return (frames.nfree);
}

size_t
mm_frame_total_count(void)
{
	return (total_frames);
}

/* One more holder of a user frame; false when the count is saturated. */
bool
mm_frame_share(uint64_t phys)
{
	size_t i = phys / MM_PAGE_SIZE;
	bool ok;

	if (i >= nframes)
		return (false);
	nc_spin_lock(&frame_lock);
	ok = extra_refs[i] != 0xffff;
	if (ok)
		extra_refs[i]++;
	nc_spin_unlock(&frame_lock);
	return (ok);
}

/* Whether more than one holder has the frame (a COW write must copy). */
bool
mm_frame_shared(uint64_t phys)
{
	size_t i = phys / MM_PAGE_SIZE;

	return (i < nframes && extra_refs[i] != 0);
}

/* Drop one holder; the last one releases the frame. */
void
mm_frame_put(uint64_t phys)
{
	size_t i = phys / MM_PAGE_SIZE;

	nc_spin_lock(&frame_lock);
	if (i < nframes && extra_refs[i] != 0) {
		extra_refs[i]--;
		nc_spin_unlock(&frame_lock);
		return;
	}
	nc_spin_unlock(&frame_lock);
	mm_frame_free(phys);
}
