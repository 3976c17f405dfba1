/*
 * sysinfo.c -- uname and getrandom policy of syscalld (see sysinfo.h).
 *
 * uname: programs built for Linux test sysname and the release number
 * (libcs refuse "kernel too old"), so RustOS answers as a Linux-ABI
 * system: sysname "Linux", a release that names RustOS after a Linux
 * version whose syscall ABI it follows, machine "x86_64".
 *
 * getrandom: ChaCha20 (RFC 8439 block function) keyed by a 256-bit key;
 * each draw runs the block function with counter 0.. and uses the first
 * 32 bytes of the stream as the next key ("fast key erasure").
 */
#include <errno.h>
#include <string.h>

#include "services/syscalld/sysinfo.h"

static void
put_field(unsigned char *out, int idx, const char *s)
{
	size_t n = strlen(s);

	if (n >= SYSINFO_UTS_FIELD)
		n = SYSINFO_UTS_FIELD - 1;
	memcpy(out + idx * SYSINFO_UTS_FIELD, s, n);
}

void
sysinfo_uname(unsigned char out[SYSINFO_UTS_SIZE])
{
	memset(out, 0, SYSINFO_UTS_SIZE);
	put_field(out, 0, "Linux");
	put_field(out, 1, "rustos");
	put_field(out, 2, "6.1.0-rustos");
	put_field(out, 3, "#1 RustOS hybrid kernel");
	put_field(out, 4, "x86_64");
	put_field(out, 5, "(none)");
}

int
sysinfo_check_grnd(uint32_t flags)
{
	if (flags & ~(SYSINFO_GRND_NONBLOCK | SYSINFO_GRND_RANDOM |
	    SYSINFO_GRND_INSECURE))
		return -EINVAL;
	if ((flags & SYSINFO_GRND_INSECURE) && (flags & SYSINFO_GRND_RANDOM))
		return -EINVAL;
	return 0;
}

static uint32_t
rotl(uint32_t v, int n)
{
	return (v << n) | (v >> (32 - n));
}

#define QR(a, b, c, d) do {						\
	x[a] += x[b]; x[d] = rotl(x[d] ^ x[a], 16);			\
	x[c] += x[d]; x[b] = rotl(x[b] ^ x[c], 12);			\
	x[a] += x[b]; x[d] = rotl(x[d] ^ x[a], 8);			\
	x[c] += x[d]; x[b] = rotl(x[b] ^ x[c], 7);			\
} while (0)

/* One 64-byte ChaCha20 block of key, counter, nonce (draw number). */
static void
chacha_block(const uint32_t key[8], uint32_t counter, uint64_t nonce,
    uint32_t out[16])
{
	uint32_t in[16], x[16];
	int i;

	in[0] = 0x61707865;	/* "expand 32-byte k" */
	in[1] = 0x3320646e;
	in[2] = 0x79622d32;
	in[3] = 0x6b206574;
	memcpy(&in[4], key, 32);
	in[12] = counter;
	in[13] = 0;
	in[14] = (uint32_t)nonce;
	in[15] = (uint32_t)(nonce >> 32);
	memcpy(x, in, sizeof(x));
	for (i = 0; i < 10; i++) {
		QR(0, 4, 8, 12); QR(1, 5, 9, 13);
		QR(2, 6, 10, 14); QR(3, 7, 11, 15);
		QR(0, 5, 10, 15); QR(1, 6, 11, 12);
		QR(2, 7, 8, 13); QR(3, 4, 9, 14);
	}
	for (i = 0; i < 16; i++)
		out[i] = x[i] + in[i];
}

void
sysinfo_rng_seed(struct sysinfo_rng *r, const void *seed, size_t seed_len)
{
	const unsigned char *s = seed;
	unsigned char *k = (unsigned char *)r->key;
	uint32_t blk[16];
	size_t i;

	for (i = 0; i < seed_len; i++)
		k[i % 32] ^= s[i];
	/* Spread the seed over the whole key. */
	chacha_block(r->key, 0, ~0ULL, blk);
	memcpy(r->key, blk, 32);
}

void
sysinfo_rng_draw(struct sysinfo_rng *r, uint64_t extra, void *out,
    size_t len)
{
	unsigned char *o = out;
	uint32_t blk[16], ctr = 1;
	size_t n;

	r->key[0] ^= (uint32_t)extra;
	r->key[1] ^= (uint32_t)(extra >> 32);
	r->draws++;
	/* Block 0 is the next key; the output starts at block 1. */
	chacha_block(r->key, 0, r->draws, blk);
	while (len > 0) {
		uint32_t b[16];

		chacha_block(r->key, ctr++, r->draws, b);
		n = len < 64 ? len : 64;
		memcpy(o, b, n);
		o += n;
		len -= n;
	}
	memcpy(r->key, blk, 32);
	memset(blk, 0, sizeof(blk));
}
