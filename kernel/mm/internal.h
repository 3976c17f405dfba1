/*
 * mm/internal.h -- cross-file internals of mm/: the frame bitmap (pure,
 * host-tested).  Not for other subsystems.
 */
#ifndef KERNEL_MM_INTERNAL_H
#define KERNEL_MM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One bit per frame; 1 = used.  Starts all used; free ranges are cleared. */
struct mm_bitmap {
	uint64_t *words;
	size_t nbits;
	size_t nfree;
	size_t hint;		/* search start for the next allocation */
};

void	mm_bitmap_init(struct mm_bitmap *b, uint64_t *words, size_t nbits);
void	mm_bitmap_free_range(struct mm_bitmap *b, size_t first, size_t n);
void	mm_bitmap_reserve_range(struct mm_bitmap *b, size_t first, size_t n);
bool	mm_bitmap_test(const struct mm_bitmap *b, size_t bit);
/* Returns the bit allocated, or (size_t)-1. */
size_t	mm_bitmap_alloc(struct mm_bitmap *b);
size_t	mm_bitmap_alloc_run(struct mm_bitmap *b, size_t n);
/* Returns 0, or -1 when the bit was already free (double free). */
int	mm_bitmap_release(struct mm_bitmap *b, size_t bit);

#endif /* KERNEL_MM_INTERNAL_H */
