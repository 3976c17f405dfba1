/*
 * random.c -- the kernel's random bytes (/dev/urandom, /dev/random): a
 * ChaCha20 keystream generator with fast key erasure.
 *
 * The 256-bit key is seeded on first use from RDSEED/RDRAND when CPUID
 * offers them (QEMU's TCG "max" CPU does) mixed with TSC readings, and
 * re-mixed with fresh RDRAND output and the TSC every REKEY_BYTES.  After
 * every request the first 32 bytes of a new block replace the key, so the
 * bytes already handed out cannot be recomputed from a later key.  Without
 * RDRAND the TSC jitter alone seeds it: unpredictable enough for tests,
 * not for keys; the boot log says which.
 */
#include <io-manager/api.h>
#include <hal/api.h>
#include <nucleus-core/api.h>

#define REKEY_BYTES	(1u << 20)

static uint32_t key[8];
static uint64_t counter;
static uint64_t since_rekey;
static bool seeded, have_rdrand, have_rdseed;

static inline uint32_t
rotl(uint32_t v, unsigned n)
{
	return ((v << n) | (v >> (32 - n)));
}

#define QR(a, b, c, d) do {						\
	a += b; d ^= a; d = rotl(d, 16);				\
	c += d; b ^= c; b = rotl(b, 12);				\
	a += b; d ^= a; d = rotl(d, 8);					\
	c += d; b ^= c; b = rotl(b, 7);					\
} while (0)

/* One 64-byte ChaCha20 block of (key, counter, nonce 0). */
static void
chacha_block(uint32_t out[16])
{
	uint32_t in[16], x[16];
	unsigned i;

	in[0] = 0x61707865;	/* "expand 32-byte k" */
	in[1] = 0x3320646e;
	in[2] = 0x79622d32;
	in[3] = 0x6b206574;
	for (i = 0; i < 8; i++)
		in[4 + i] = key[i];
	in[12] = (uint32_t)counter;
	in[13] = (uint32_t)(counter >> 32);
	in[14] = 0;
	in[15] = 0;
	counter++;
	memcpy(x, in, sizeof(x));
	for (i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (i = 0; i < 16; i++)
		out[i] = x[i] + in[i];
}

static void
cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]),
	    "=d"(r[3]) : "a"(leaf), "c"(sub));
}

/* One hardware random word, or 0 after bounded retries. */
static uint64_t
hw_word(void)
{
	uint64_t v;
	uint8_t ok;
	unsigned i;

	for (i = 0; i < 16 && (have_rdseed || have_rdrand); i++) {
		if (have_rdseed)
			__asm__ volatile("rdseed %0; setc %1" : "=r"(v),
			    "=qm"(ok));
		else
			__asm__ volatile("rdrand %0; setc %1" : "=r"(v),
			    "=qm"(ok));
		if (ok)
			return (v);
	}
	return (0);
}

/* Mix fresh hardware words and the TSC into the key. */
static void
mix(void)
{
	uint32_t blk[16];
	unsigned i;

	for (i = 0; i < 8; i += 2) {
		uint64_t w = hw_word() ^ hal_rdtsc();

		key[i] ^= (uint32_t)w;
		key[i + 1] ^= (uint32_t)(w >> 32);
	}
	chacha_block(blk);
	memcpy(key, blk, sizeof(key));
	since_rekey = 0;
}

static void
seed(void)
{
	uint32_t r[4];

	cpuid(0, 0, r);
	if (r[0] >= 7) {
		uint32_t s[4];

		cpuid(7, 0, s);
		have_rdseed = (s[1] & (1u << 18)) != 0;
	}
	cpuid(1, 0, r);
	have_rdrand = (r[2] & (1u << 30)) != 0;
	mix();
	mix();
	seeded = true;
	nc_info(BOOT, "random: ChaCha20 seeded from %s and the TSC",
	    have_rdseed ? "RDSEED" : have_rdrand ? "RDRAND" : "nothing but");
}

void
io_random_bytes(void *buf, size_t n)
{
	uint32_t blk[16];
	uint8_t *b = buf;
	size_t k;

	if (!seeded)
		seed();
	if (since_rekey >= REKEY_BYTES)
		mix();
	while (n > 0) {
		chacha_block(blk);
		k = n < sizeof(blk) ? n : sizeof(blk);
		memcpy(b, blk, k);
		b += k;
		n -= k;
		since_rekey += k;
	}
	/* Fast key erasure: the key that made these bytes is gone. */
	chacha_block(blk);
	memcpy(key, blk, sizeof(key));
	memset(blk, 0, sizeof(blk));
}
