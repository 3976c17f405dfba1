/*
 * bitmap.c -- the frame bitmap behind the physical frame allocator.  Pure
 * code (no hardware, no logging): built into the host unit tests.
 */
#include <mm/internal.h>

#define BIT_WORD(b)	((b) / 64)
#define BIT_MASK(b)	(1ULL << ((b) % 64))

void
mm_bitmap_init(struct mm_bitmap *b, uint64_t *words, size_t nbits)
{
	size_t i, nwords = (nbits + 63) / 64;

	for (i = 0; i < nwords; i++)
		words[i] = ~0ULL;
	b->words = words;
	b->nbits = nbits;
	b->nfree = 0;
	b->hint = 0;
}

bool
mm_bitmap_test(const struct mm_bitmap *b, size_t bit)
{
	if (bit >= b->nbits)
		return (true);
	return ((b->words[BIT_WORD(bit)] & BIT_MASK(bit)) != 0);
}

void
mm_bitmap_free_range(struct mm_bitmap *b, size_t first, size_t n)
{
	size_t i;

	for (i = first; i < first + n && i < b->nbits; i++) {
		if (b->words[BIT_WORD(i)] & BIT_MASK(i)) {
			b->words[BIT_WORD(i)] &= ~BIT_MASK(i);
			b->nfree++;
		}
	}
	if (first < b->hint)
		b->hint = first;
}

void
mm_bitmap_reserve_range(struct mm_bitmap *b, size_t first, size_t n)
{
	size_t i;

	for (i = first; i < first + n && i < b->nbits; i++) {
		if ((b->words[BIT_WORD(i)] & BIT_MASK(i)) == 0) {
			b->words[BIT_WORD(i)] |= BIT_MASK(i);
			b->nfree--;
		}
	}
}

size_t
mm_bitmap_alloc(struct mm_bitmap *b)
{
	size_t nwords = (b->nbits + 63) / 64, w, k, bit;

	if (b->nfree == 0)
		return ((size_t)-1);
	for (k = 0; k < nwords; k++) {
		w = (BIT_WORD(b->hint) + k) % nwords;
		if (b->words[w] == ~0ULL)
			continue;
		bit = w * 64 + (size_t)__builtin_ctzll(~b->words[w]);
		if (bit >= b->nbits)
			continue;
		b->words[w] |= BIT_MASK(bit);
		b->nfree--;
		b->hint = bit + 1 < b->nbits ? bit + 1 : 0;
		return (bit);
	}
	return ((size_t)-1);
}

size_t
mm_bitmap_alloc_run(struct mm_bitmap *b, size_t n)
{
	size_t start, len = 0, i;

	if (n == 0 || n > b->nfree)
		return ((size_t)-1);
	if (n == 1)
		return (mm_bitmap_alloc(b));
	/*
	 * First fit from bit 0 (contiguous runs are rare and the low frames
	 * stay busy), so whole busy words are stepped over at once: a bit
	 * at a time, the scan cost one test per allocated frame below the
	 * first hole, on every large kmalloc (an IPC reply buffer, say).
	 */
	for (i = 0, start = 0; i < b->nbits; i++) {
		if (i % 64 == 0 && b->words[BIT_WORD(i)] == ~0ULL) {
			len = 0;
			i += 63;
			continue;
		}
		if (mm_bitmap_test(b, i)) {
			len = 0;
			continue;
		}
		if (len++ == 0)
			start = i;
		if (len == n) {
			mm_bitmap_reserve_range(b, start, n);
			return (start);
		}
	}
	return ((size_t)-1);
}

int
mm_bitmap_release(struct mm_bitmap *b, size_t bit)
{
	if (bit >= b->nbits || !mm_bitmap_test(b, bit))
		return (-1);
	b->words[BIT_WORD(bit)] &= ~BIT_MASK(bit);
	b->nfree++;
	if (bit < b->hint)
		b->hint = bit;
	return (0);
}
