/*
 * sysinfo.h -- syscalld's uname and getrandom policy: the Linux
 * struct utsname RustOS reports, and a ChaCha20 generator (fast key
 * erasure) seeded from the kernel's AT_RANDOM bytes and the TSC.  Pure
 * except for the seed; host unit-tested.
 */
#ifndef SERVICES_SYSCALLD_SYSINFO_H
#define SERVICES_SYSCALLD_SYSINFO_H

#include <stddef.h>
#include <stdint.h>

#define SYSINFO_UTS_FIELD	65
#define SYSINFO_UTS_SIZE	(6 * SYSINFO_UTS_FIELD)	/* struct utsname */

#define SYSINFO_GRND_NONBLOCK	0x1u
#define SYSINFO_GRND_RANDOM	0x2u
#define SYSINFO_GRND_INSECURE	0x4u

/* Fill a Linux x86_64 struct utsname (390 bytes). */
void sysinfo_uname(unsigned char out[SYSINFO_UTS_SIZE]);
/* getrandom flags: 0 or -EINVAL (unknown bits, INSECURE with RANDOM). */
int sysinfo_check_grnd(uint32_t flags);

struct sysinfo_rng {
	uint32_t	key[8];
	uint64_t	draws;
};

/* Seed from seed_len bytes (any length; mixed into the key). */
void sysinfo_rng_seed(struct sysinfo_rng *r, const void *seed,
    size_t seed_len);
/*
 * len random bytes into out; extra (e.g. a TSC read) is mixed into the
 * key first.  The key is replaced by fresh stream output after every
 * draw, so earlier outputs cannot be recomputed from a later state.
 */
void sysinfo_rng_draw(struct sysinfo_rng *r, uint64_t extra, void *out,
    size_t len);

#endif /* SERVICES_SYSCALLD_SYSINFO_H */
