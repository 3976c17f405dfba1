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
	size_t nwords = (b->nbits + 63) / 64, w, pos, k, start = 0, len = 0;
	uint64_t used, rest;

	if (n == 0 || n > b->nfree)
		return ((size_t)-1);
	if (n == 1)
		return (mm_bitmap_alloc(b));
	/*
	 * First fit from bit 0 (contiguous runs are rare and the low frames
	 * stay busy).  A word is taken a run at a time with ctz: a full word
	 * costs one test and a partly used one a step per run in it.  Bit by
	 * bit, every 2-frame kmalloc (an IPC reply buffer) tested each bit of
	 * the fragmented low words.  Bits past nbits stay set (init), so a
	 * run never leaves the map; a run that reaches a word's end goes on
	 * in the next word.
	 */
	for (w = 0; w < nwords; w++) {
		used = b->words[w];
		if (used == ~0ULL) {
			len = 0;
			continue;
		}
		for (pos = 0; pos < 64; pos += k) {
			if (used & (1ULL << pos)) {
				len = 0;
				rest = ~used & (~0ULL << pos);
				if (rest == 0)
					break;
				k = (size_t)__builtin_ctzll(rest) - pos;
				continue;
			}
			if (len == 0)
				start = w * 64 + pos;
			rest = used & (~0ULL << pos);
			k = (rest != 0 ? (size_t)__builtin_ctzll(rest) : 64) - pos;
			if (len + k >= n) {
				mm_bitmap_reserve_range(b, start, n);
				return (start);
			}
			len += k;
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
