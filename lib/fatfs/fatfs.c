/*
 * fatfs.c -- read-only FAT12/FAT16/FAT32 parser (see fatfs.h for the
 * contract).
 *
 * Layers: log formatting (no stdio: vfsd runs without libc start-up);
 * the 4 KiB block cache over dev->read; BPB validation and mount; FAT
 * entries and chain walking; directory slots, LFN assembly and short
 * names; lookup; file reads.
 *
 * Invariants: every volume sector handed to the cache (and so to a device read)
 * is below fs->vol_sectors; every cluster number used to address data is in
 * 2..cluster_count+1; every loop over a chain or a directory is bounded by
 * cluster_count or FATFS_DIR_MAX_ENTRIES.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "fatfs.h"

#define SECS_PER_BLOCK	(FATFS_CACHE_BLOCK / FATFS_DEV_SECTOR)
#define S_IFDIR_	0040000u
#define S_IFREG_	0100000u
#define LFN_ATTR	0x0f
#define LFN_MAX_ORD	20

/* ---- log lines --------------------------------------------------------- */

struct lbuf {
	char	s[192];
	size_t	n;
};

static void
lb_str(struct lbuf *b, const char *s)
{
	while (*s != '\0' && b->n < sizeof(b->s) - 1)
		b->s[b->n++] = *s++;
	b->s[b->n] = '\0';
}

static void
lb_u64(struct lbuf *b, uint64_t v)
{
	char t[24];
	int i = 0;

	do {
		t[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (i > 0 && b->n < sizeof(b->s) - 1)
		b->s[b->n++] = t[--i];
	b->s[b->n] = '\0';
}

/*
 * Emit "fatfs: " + the pieces.  fmt holds only %s and %u (uint64_t via
 * the varargs as unsigned long long) so no libc formatter is needed.
 */
static void
flog(struct fatfs *fs, const char *fmt, ...)
{
	struct lbuf b;
	va_list ap;
	char one[2] = { 0, 0 };

	if (fs->dev.log == NULL)
		return;
	b.n = 0;
	b.s[0] = '\0';
	lb_str(&b, "fatfs: ");
	va_start(ap, fmt);
	for (; *fmt != '\0'; fmt++) {
		if (fmt[0] == '%' && fmt[1] == 's') {
			lb_str(&b, va_arg(ap, const char *));
			fmt++;
		} else if (fmt[0] == '%' && fmt[1] == 'u') {
			lb_u64(&b, va_arg(ap, unsigned long long));
			fmt++;
		} else {
			one[0] = *fmt;
			lb_str(&b, one);
		}
	}
	va_end(ap);
	fs->dev.log(fs->dev.ctx, b.s);
}

#define U(x)	((unsigned long long)(x))

/* ---- block cache ------------------------------------------------------- */

#define NOSLOT	UINT32_MAX

/* Slot index of block blk, or NOSLOT; no side effects. */
static uint32_t
cache_lookup(const struct fatfs *fs, uint64_t blk)
{
	const struct fatfs_cslot *s = &fs->slots[fs->last];
	uint32_t i;

	if (s->valid && s->blk == blk)
		return (fs->last);
	for (i = fs->heads[blk & fs->hmask]; i != NOSLOT;
	    i = fs->slots[i].hnext)
		if (fs->slots[i].blk == blk)
			return (i);
	return (NOSLOT);
}

/* The cached slot holding block blk, or NULL; a hit makes it most recent. */
static struct fatfs_cslot *
cache_find(struct fatfs *fs, uint64_t blk)
{
	struct fatfs_cslot *s;
	uint32_t i;

	/* Walks touch one block many times in a row: lookup tries it first. */
	i = cache_lookup(fs, blk);
	if (i == NOSLOT)
		return (NULL);
	fs->last = i;
	s = &fs->slots[i];
	s->stamp = ++fs->clock;
	fs->stats.cache_hits++;
	return (s);
}

/*
 * Take the least recently used slot (an empty one first) for block blk:
 * unhashed and invalid until cache_publish().  A linear scan, but only on
 * a miss, which costs a device read anyway.
 */
static struct fatfs_cslot *
cache_victim(struct fatfs *fs)
{
	struct fatfs_cslot *s, *victim = NULL;
	uint32_t i, *pp;

	for (i = 0; i < fs->nslots; i++) {
		s = &fs->slots[i];
		if (!s->valid) {
			victim = s;
			break;
		}
		if (victim == NULL || s->stamp < victim->stamp)
			victim = s;
	}
	if (victim->valid) {
		i = (uint32_t)(victim - fs->slots);
		for (pp = &fs->heads[victim->blk & fs->hmask]; *pp != NOSLOT;
		    pp = &fs->slots[*pp].hnext)
			if (*pp == i) {
				*pp = victim->hnext;
				break;
			}
		victim->valid = 0;
	}
	return (victim);
}

/* Make slot s (filled with block blk) valid, hashed and most recent. */
static void
cache_publish(struct fatfs *fs, struct fatfs_cslot *s, uint64_t blk)
{
	uint32_t i = (uint32_t)(s - fs->slots);

	s->blk = blk;
	s->valid = 1;
	s->stamp = ++fs->clock;
	s->hnext = fs->heads[blk & fs->hmask];
	fs->heads[blk & fs->hmask] = i;
	fs->last = i;
}

/*
 * Load block blk, and with it up to want - 1 following blocks that are not
 * cached yet (read-ahead for file data: one device call of at most
 * FATFS_MAX_READ through the staging buffer instead of one per block).
 * Blocks are clipped at the volume end.  Returns blk's slot.
 */
static int
cache_load(struct fatfs *fs, uint64_t blk, uint32_t want,
    struct fatfs_cslot **out)
{
	struct fatfs_cslot *s, *first = NULL;
	uint64_t lo = blk * SECS_PER_BLOCK, nsec, b;
	uint32_t nblk, i;
	int error;

	nsec = fs->vol_sectors - lo;
	nblk = 1;
	if (fs->stage != NULL) {
		if (want > FATFS_MAX_READ / FATFS_CACHE_BLOCK)
			want = FATFS_MAX_READ / FATFS_CACHE_BLOCK;
		if (want > fs->nslots / 2)
			want = fs->nslots / 2;
		while (nblk < want && (uint64_t)nblk * SECS_PER_BLOCK < nsec &&
		    cache_lookup(fs, blk + nblk) == NOSLOT)
			nblk++;
	}
	if (nsec > (uint64_t)nblk * SECS_PER_BLOCK)
		nsec = (uint64_t)nblk * SECS_PER_BLOCK;
	fs->stats.cache_misses++;
	fs->stats.dev_reads++;
	if (nblk == 1) {
		first = cache_victim(fs);
		error = fs->dev.read(fs->dev.ctx, fs->part_lba + lo,
		    (uint32_t)nsec, first->data);
	} else
		error = fs->dev.read(fs->dev.ctx, fs->part_lba + lo,
		    (uint32_t)nsec, fs->stage);
	if (error != 0) {
		flog(fs, "device read of %u sectors at %u failed (%u)",
		    U(nsec), U(fs->part_lba + lo), U(-error));
		return (-EIO);
	}
	if (nblk == 1) {
		cache_publish(fs, first, blk);
		*out = first;
		return (0);
	}
	/* Later blocks first, so that blk ends up the most recent. */
	for (i = nblk; i-- > 0;) {
		b = (uint64_t)i * SECS_PER_BLOCK;
		s = cache_victim(fs);
		memcpy(s->data, fs->stage + b * FATFS_DEV_SECTOR,
		    (size_t)(nsec - b < SECS_PER_BLOCK ? nsec - b :
		    SECS_PER_BLOCK) * FATFS_DEV_SECTOR);
		cache_publish(fs, s, blk + i);
		first = s;
	}
	*out = first;
	return (0);
}

/*
 * Pointer to the 512 bytes of volume sector vsec, valid until the next
 * cache call.  A miss fills the whole 4 KiB block (clipped at the volume
 * end) with one device read.
 */
static int
cache_get(struct fatfs *fs, uint64_t vsec, const uint8_t **out)
{
	struct fatfs_cslot *s;
	int error;

	if (vsec >= fs->vol_sectors) {
		flog(fs, "read of sector %u outside the volume (%u sectors)",
		    U(vsec), U(fs->vol_sectors));
		return (-EIO);
	}
	s = cache_find(fs, vsec / SECS_PER_BLOCK);
	if (s == NULL) {
		error = cache_load(fs, vsec / SECS_PER_BLOCK, 1, &s);
		if (error != 0)
			return (error);
	}
	*out = s->data + (vsec % SECS_PER_BLOCK) * FATFS_DEV_SECTOR;
	return (0);
}

/* ---- mount ------------------------------------------------------------- */

static uint16_t
le16(const uint8_t *p)
{
	return ((uint16_t)(p[0] | p[1] << 8));
}

static uint32_t
le32(const uint8_t *p)
{
	return ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24);
}

static int
bad_bpb(struct fatfs *fs, uint64_t lba, const char *rule)
{
	flog(fs, "boot sector at %u: %s", U(lba), rule);
	return (-EINVAL);
}

/*
 * Validate the BPB in bs (read from device sector lba) and fill the
 * geometry.  The FAT type follows from the cluster count alone, as the
 * Microsoft specification prescribes.
 */
static int
parse_bpb(struct fatfs *fs, const uint8_t *bs, uint64_t lba)
{
	uint32_t bps, spc, rsvd, nfats, rootent, tot, fatsz, rootsecs;
	uint64_t meta, data, count, need, fatbytes;
	uint32_t f512;
	int i;

	if (bs[510] != 0x55 || bs[511] != 0xaa)
		return (bad_bpb(fs, lba, "no 0x55AA signature"));
	if (bs[0] != 0xeb && bs[0] != 0xe9)
		return (bad_bpb(fs, lba, "no x86 jump at byte 0"));
	bps = le16(bs + 11);
	spc = bs[13];
	rsvd = le16(bs + 14);
	nfats = bs[16];
	rootent = le16(bs + 17);
	tot = le16(bs + 19) != 0 ? le16(bs + 19) : le32(bs + 32);
	fatsz = le16(bs + 22) != 0 ? le16(bs + 22) : le32(bs + 36);
	if (bps != 512 && bps != 1024 && bps != 2048 && bps != 4096)
		return (bad_bpb(fs, lba,
		    "bytes per sector not 512, 1024, 2048 or 4096"));
	if (spc == 0 || (spc & (spc - 1)) != 0)
		return (bad_bpb(fs, lba,
		    "sectors per cluster not a power of two"));
	if ((uint64_t)bps * spc > 65536)
		return (bad_bpb(fs, lba, "cluster larger than 64 KiB"));
	if (rsvd == 0)
		return (bad_bpb(fs, lba, "no reserved sectors"));
	if (nfats == 0)
		return (bad_bpb(fs, lba, "no FAT"));
	if (fatsz == 0)
		return (bad_bpb(fs, lba, "FAT size 0"));
	if (tot == 0)
		return (bad_bpb(fs, lba, "total sectors 0"));
	rootsecs = (rootent * 32 + bps - 1) / bps;
	meta = rsvd + (uint64_t)nfats * fatsz + rootsecs;
	if (meta >= tot)
		return (bad_bpb(fs, lba, "FATs and root beyond the volume"));
	data = tot - meta;
	count = data / spc;
	if (count < 65525) {
		fs->fat_type = count < 4085 ? 12 : 16;
		if (rootent == 0)
			return (bad_bpb(fs, lba, "FAT12/16 with no root entries"));
		if (le16(bs + 22) == 0)
			return (bad_bpb(fs, lba, "FAT12/16 with FAT size 0"));
	} else {
		fs->fat_type = 32;
		if (rootent != 0)
			return (bad_bpb(fs, lba, "FAT32 with a fixed root"));
		if (le16(bs + 22) != 0)
			return (bad_bpb(fs, lba, "FAT32 with a 16-bit FAT size"));
		if (le16(bs + 42) != 0)
			return (bad_bpb(fs, lba, "FAT32 version not 0.0"));
		if (count > 0x0ffffff5)
			return (bad_bpb(fs, lba, "too many clusters"));
	}
	fatbytes = (uint64_t)fatsz * bps;
	need = fs->fat_type == 12 ? ((count + 2) * 3 + 1) / 2 :
	    (count + 2) * (fs->fat_type == 16 ? 2 : 4);
	if (fatbytes < need)
		return (bad_bpb(fs, lba, "FAT too small for the clusters"));
	f512 = bps / FATFS_DEV_SECTOR;
	fs->bytes_per_sector = bps;
	fs->cluster_size = bps * spc;
	fs->cluster_count = (uint32_t)count;
	fs->part_lba = lba;
	fs->vol_sectors = (uint64_t)tot * f512;
	if (fs->dev.sectors != 0 && (lba >= fs->dev.sectors ||
	    fs->vol_sectors > fs->dev.sectors - lba))
		return (bad_bpb(fs, lba, "volume larger than the device"));
	fs->fat_sec = (uint64_t)rsvd * f512;
	fs->root_sec = ((uint64_t)rsvd + (uint64_t)nfats * fatsz) * f512;
	fs->root_entries = rootent;
	fs->data_sec = meta * f512;
	fs->spc512 = spc * f512;
	fs->root_cluster = 0;
	if (fs->fat_type == 32) {
		/* ExtFlags bit 7: mirroring off, bits 0-3 name the live FAT. */
		if (le16(bs + 40) & 0x80) {
			if ((le16(bs + 40) & 0x0f) >= nfats)
				return (bad_bpb(fs, lba,
				    "active FAT number beyond the FAT count"));
			fs->fat_sec += (uint64_t)(le16(bs + 40) & 0x0f) *
			    fatsz * f512;
		}
		fs->root_cluster = le32(bs + 44);
		if (fs->root_cluster < 2 || fs->root_cluster > count + 1)
			return (bad_bpb(fs, lba, "FAT32 root cluster out of range"));
	}
	/* Label: extended BPB (signature 0x29) at 43 (FAT16) or 71 (FAT32). */
	memset(fs->label, 0, sizeof(fs->label));
	i = fs->fat_type == 32 ? 64 : 36;
	if (bs[i + 2] == 0x29) {
		memcpy(fs->label, bs + i + 7, 11);
		for (i = 10; i >= 0 && (fs->label[i] == ' ' ||
		    fs->label[i] == '\0'); i--)
			fs->label[i] = '\0';
	}
	return (0);
}

static int
fat_part_type(uint8_t t)
{
	return (t == 0x04 || t == 0x06 || t == 0x0b || t == 0x0c ||
	    t == 0x0e || t == 0xef);
}

int
fatfs_mount(struct fatfs *fs, const struct fatfs_dev *dev, void *arena,
    size_t arena_len)
{
	uint8_t bs[FATFS_DEV_SECTOR], mbr[64];
	size_t per, room;
	uintptr_t a;
	uint8_t *p;
	uint32_t i, n;
	int error;

	memset(fs, 0, sizeof(*fs));
	if (dev == NULL || dev->read == NULL || arena == NULL)
		return (-EINVAL);
	fs->dev = *dev;
	/*
	 * Slot headers first (aligned), then the hash chain heads, the 4 KiB
	 * data blocks and, when there is room for it and two slots, the
	 * staging buffer (FATFS_ARENA_SIZE counts one).
	 */
	a = ((uintptr_t)arena + 15) & ~(uintptr_t)15;
	per = sizeof(struct fatfs_cslot) + sizeof(uint32_t) + FATFS_CACHE_BLOCK;
	if (arena_len < (a - (uintptr_t)arena) + 2 * per) {
		flog(fs, "arena of %u bytes holds fewer than 2 cache slots",
		    U(arena_len));
		return (-EINVAL);
	}
	room = arena_len - (a - (uintptr_t)arena);
	if (room >= FATFS_MAX_READ + 2 * per)
		room -= FATFS_MAX_READ;
	else
		room = 0;
	n = (uint32_t)((room != 0 ? room :
	    arena_len - (a - (uintptr_t)arena)) / per);
	fs->slots = (struct fatfs_cslot *)a;
	fs->nslots = n;
	fs->heads = (uint32_t *)(fs->slots + n);
	for (fs->hmask = 1; fs->hmask * 2 <= n; fs->hmask *= 2)
		;
	fs->hmask--;
	for (i = 0; i <= fs->hmask; i++)
		fs->heads[i] = NOSLOT;
	p = (uint8_t *)(fs->heads + n);
	for (i = 0; i < n; i++) {
		fs->slots[i].valid = 0;
		fs->slots[i].hnext = NOSLOT;
		fs->slots[i].data = p + (size_t)i * FATFS_CACHE_BLOCK;
	}
	fs->stage = room != 0 ? p + (size_t)n * FATFS_CACHE_BLOCK : NULL;

	fs->stats.dev_reads++;
	error = fs->dev.read(fs->dev.ctx, 0, 1, bs);
	if (error != 0) {
		flog(fs, "device read of the boot sector failed (%u)",
		    U(-error));
		return (-EIO);
	}
	if (bs[0] == 0xeb || bs[0] == 0xe9) {
		error = parse_bpb(fs, bs, 0);
		if (error == 0 || bs[510] != 0x55 || bs[511] != 0xaa)
			return (error);
	}
	if (bs[510] != 0x55 || bs[511] != 0xaa)
		return (bad_bpb(fs, 0, "no 0x55AA signature"));
	/* An MBR: try each FAT-typed primary partition in table order. */
	memcpy(mbr, bs + 446, sizeof(mbr));
	for (i = 0; i < 4; i++) {
		const uint8_t *e = mbr + 16 * i;
		uint32_t start = le32(e + 8), len = le32(e + 12);

		if ((e[0] != 0 && e[0] != 0x80) || !fat_part_type(e[4]) ||
		    start == 0 || len == 0)
			continue;
		if (dev->sectors != 0 && (start >= dev->sectors ||
		    len > dev->sectors - start)) {
			flog(fs, "MBR partition %u beyond the device", U(i + 1));
			continue;
		}
		fs->stats.dev_reads++;
		error = fs->dev.read(fs->dev.ctx, start, 1, bs);
		if (error != 0) {
			flog(fs, "device read of sector %u failed (%u)",
			    U(start), U(-error));
			return (-EIO);
		}
		if (parse_bpb(fs, bs, start) == 0) {
			if (fs->vol_sectors > len)
				return (bad_bpb(fs, start,
				    "volume larger than its partition"));
			return (0);
		}
	}
	return (bad_bpb(fs, 0, "neither a FAT BPB nor an MBR with a FAT partition"));
}

/* ---- FAT and chains ---------------------------------------------------- */

static int
clus_ok(const struct fatfs *fs, uint32_t c)
{
	return (c >= 2 && c - 2 < fs->cluster_count);
}

/*
 * Next cluster after c: 0 and *next set, 1 at the end of the chain, or
 * -EIO (free, reserved, bad or out-of-range entry inside a chain).
 */
static int
fat_next(struct fatfs *fs, uint32_t c, uint32_t *next)
{
	uint64_t off;
	const uint8_t *p;
	uint32_t v;
	int error;

	if (!clus_ok(fs, c)) {
		flog(fs, "cluster %u out of range", U(c));
		return (-EIO);
	}
	fs->stats.fat_lookups++;
	if (fs->fat_type == 12) {
		/* 12-bit entries may straddle a sector: fetch bytes apart. */
		off = (uint64_t)c + c / 2;
		error = cache_get(fs, fs->fat_sec + off / FATFS_DEV_SECTOR, &p);
		if (error != 0)
			return (error);
		v = p[off % FATFS_DEV_SECTOR];
		off++;
		error = cache_get(fs, fs->fat_sec + off / FATFS_DEV_SECTOR, &p);
		if (error != 0)
			return (error);
		v |= (uint32_t)p[off % FATFS_DEV_SECTOR] << 8;
		v = (c & 1) != 0 ? v >> 4 : v & 0xfff;
		if (v >= 0xff8)
			return (1);
		goto check;
	}
	off = (uint64_t)c * (fs->fat_type == 16 ? 2 : 4);
	error = cache_get(fs, fs->fat_sec + off / FATFS_DEV_SECTOR, &p);
	if (error != 0)
		return (error);
	p += off % FATFS_DEV_SECTOR;
	if (fs->fat_type == 16) {
		v = le16(p);
		if (v >= 0xfff8)
			return (1);
	} else {
		v = le32(p) & 0x0fffffff;
		if (v >= 0x0ffffff8)
			return (1);
	}
check:
	if (!clus_ok(fs, v)) {
		flog(fs, "FAT entry of cluster %u holds %s cluster %u", U(c),
		    v < 2 ? "free/reserved" : "out-of-range or bad", U(v));
		return (-EIO);
	}
	*next = v;
	return (0);
}

/*
 * Cluster number idx steps into the chain starting at first, resuming from
 * the cached (*ci, *cc) pair when it lies at or before idx.  The chain
 * cannot be longer than the cluster count, which bounds loops.
 */
static int
chain_seek(struct fatfs *fs, uint32_t first, uint32_t idx, uint32_t *ci,
    uint32_t *cc, uint32_t *out)
{
	uint32_t i, c;
	int r;

	if (idx >= fs->cluster_count) {
		flog(fs, "chain from cluster %u longer than the volume "
		    "(loop?)", U(first));
		return (-EIO);
	}
	if (*ci != UINT32_MAX && *ci <= idx) {
		i = *ci;
		c = *cc;
	} else {
		if (!clus_ok(fs, first)) {
			flog(fs, "first cluster %u out of range", U(first));
			return (-EIO);
		}
		i = 0;
		c = first;
	}
	while (i < idx) {
		r = fat_next(fs, c, &c);
		if (r < 0)
			return (r);
		if (r == 1)
			return (1);
		i++;
	}
	*ci = i;
	*cc = c;
	*out = c;
	return (0);
}

static uint64_t
clus_sec(const struct fatfs *fs, uint32_t c)
{
	return (fs->data_sec + (uint64_t)(c - 2) * fs->spc512);
}

/* ---- time -------------------------------------------------------------- */

static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

/* FAT date/time (local, taken as UTC) to Unix seconds; 0 for no date. */
static int64_t
fat_time(uint16_t date, uint16_t time)
{
	unsigned m = (date >> 5) & 15, d = date & 31;
	unsigned hh = time >> 11, mm = (time >> 5) & 63, ss = (time & 31) * 2;

	if (date == 0)
		return (0);
	if (m < 1)
		m = 1;
	if (m > 12)
		m = 12;
	if (d < 1)
		d = 1;
	if (hh > 23)
		hh = 23;
	if (mm > 59)
		mm = 59;
	if (ss > 59)
		ss = 59;
	return (days_from_civil(1980 + (date >> 9), m, d) * 86400 +
	    hh * 3600 + mm * 60 + ss);
}

/* ---- directory entries ------------------------------------------------- */

static int
short_char_ok(uint8_t c)
{
	if (c < 0x20)
		return (0);
	switch (c) {
	case '"': case '*': case '+': case ',': case '.': case '/':
	case ':': case ';': case '<': case '=': case '>': case '?':
	case '[': case '\\': case ']': case '|':
		return (0);
	}
	return (1);
}

static uint8_t
lfn_sum(const uint8_t *e)
{
	uint8_t s = 0;
	int i;

	for (i = 0; i < 11; i++)
		s = (uint8_t)(((s & 1) << 7) + (s >> 1) + e[i]);
	return (s);
}

static size_t
put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return (1);
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return (2);
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return (3);
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return (4);
}

/*
 * Short name as displayed: base and extension with trailing spaces cut,
 * NT lowercase flags applied (0x08 base, 0x10 extension), 0x05 as 0xe5,
 * and OEM bytes shown as Latin-1 so every byte maps to one stable code
 * point (at most 24 bytes).  Returns the length, or 0 when the name holds
 * an illegal byte.
 */
static size_t
short_name(const uint8_t *e, char *out)
{
	size_t n = 0;
	int i, bl, el;
	uint8_t c;

	for (bl = 8; bl > 0 && e[bl - 1] == ' '; bl--)
		;
	for (el = 3; el > 0 && e[8 + el - 1] == ' '; el--)
		;
	if (bl == 0)
		return (0);
	for (i = 0; i < bl + el; i++) {
		c = e[i < bl ? i : 8 + i - bl];
		if (i == 0 && c == 0x05)
			c = 0xe5;
		else if (!short_char_ok(c))
			return (0);
		if (i == bl)
			out[n++] = '.';
		if (c >= 'A' && c <= 'Z' &&
		    (e[12] & (i < bl ? 0x08 : 0x10)) != 0)
			c = (uint8_t)(c + 32);
		n += put_utf8(out + n, c);
	}
	out[n] = '\0';
	return (n);
}

/*
 * UCS-2 long name (n units, NUL-terminated or not) to UTF-8.  0 when the
 * name is unusable (empty, '/', controls, unpaired surrogates, "." or
 * ".."): the caller falls back to the short name.
 */
static size_t
lfn_utf8(const uint16_t *u, int n, char *out)
{
	size_t len = 0;
	uint32_t cp;
	int i;

	for (i = 0; i < n && u[i] != 0; i++) {
		if (i >= FATFS_NAME_MAX)
			return (0);
		cp = u[i];
		if (cp < 0x20 || cp == '/' || cp == 0x7f)
			return (0);
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (i + 1 >= n || u[i + 1] < 0xdc00 || u[i + 1] > 0xdfff)
				return (0);
			cp = 0x10000 + ((cp - 0xd800) << 10) + (u[i + 1] - 0xdc00);
			i++;
		} else if (cp >= 0xdc00 && cp <= 0xdfff)
			return (0);
		len += put_utf8(out + len, cp);
	}
	out[len] = '\0';
	if (len == 0 || (len == 1 && out[0] == '.') ||
	    (len == 2 && out[0] == '.' && out[1] == '.'))
		return (0);
	return (len);
}

void
fatfs_root(const struct fatfs *fs, struct fatfs_node *out)
{
	memset(out, 0, sizeof(*out));
	out->first_cluster = fs->fat_type == 32 ? fs->root_cluster : 0;
	out->attr = FATFS_ATTR_DIR;
	out->is_root = 1;
	out->mode = S_IFDIR_ | 0555;
	out->ino = fs->fat_type == 32 ? fs->root_cluster : 1;
	out->name[0] = '/';
	out->name_len = 1;
	out->short_name[0] = '/';
}

int
fatfs_opendir(struct fatfs *fs, const struct fatfs_node *dir,
    struct fatfs_dir *d)
{
	if ((dir->attr & FATFS_ATTR_DIR) == 0)
		return (-ENOTDIR);
	memset(d, 0, sizeof(*d));
	d->is_root = dir->is_root;
	d->first_cluster = dir->first_cluster;
	d->cur_index = UINT32_MAX;
	if (dir->is_root && fs->fat_type != 32)
		d->first_cluster = 0;
	else if (!clus_ok(fs, dir->first_cluster)) {
		flog(fs, "directory %s: first cluster %u out of range",
		    dir->name, U(dir->first_cluster));
		return (-EIO);
	}
	return (0);
}

uint32_t
fatfs_telldir(const struct fatfs_dir *d)
{
	return (d->pos);
}

int
fatfs_seekdir(struct fatfs *fs, struct fatfs_dir *d, uint32_t pos)
{
	if (pos > FATFS_DIR_MAX_ENTRIES)
		return (-EINVAL);
	d->pos = pos;
	d->at_end = 0;
	return (0);
}

/* The 32-byte slot number i of the directory, or 1 past its end. */
static int
dir_slot(struct fatfs *fs, struct fatfs_dir *d, uint32_t i,
    const uint8_t **out, uint64_t *byte_off)
{
	uint32_t per, ci, c, off;
	const uint8_t *p;
	uint64_t sec;
	int r;

	if (d->first_cluster == 0) {
		if (i >= fs->root_entries)
			return (1);
		sec = fs->root_sec + (uint64_t)i / (FATFS_DEV_SECTOR / 32);
		off = (i % (FATFS_DEV_SECTOR / 32)) * 32;
	} else {
		if (i >= FATFS_DIR_MAX_ENTRIES) {
			flog(fs, "directory at cluster %u has over 65536 "
			    "entries (chain loop?)", U(d->first_cluster));
			return (-EIO);
		}
		per = fs->cluster_size / 32;
		ci = i / per;
		r = chain_seek(fs, d->first_cluster, ci, &d->cur_index,
		    &d->cur_cluster, &c);
		if (r != 0)
			return (r);
		off = (i % per) * 32;
		sec = clus_sec(fs, c) + off / FATFS_DEV_SECTOR;
		off %= FATFS_DEV_SECTOR;
	}
	r = cache_get(fs, sec, &p);
	if (r != 0)
		return (r);
	*out = p + off;
	*byte_off = sec * FATFS_DEV_SECTOR + off;
	return (0);
}

static void
fill_node(struct fatfs *fs, struct fatfs_dir *d, const uint8_t *e,
    uint32_t slot, struct fatfs_node *out)
{
	uint32_t c = le16(e + 26);

	if (fs->fat_type == 32)
		c |= (uint32_t)le16(e + 20) << 16;
	out->first_cluster = c;
	out->attr = e[11];
	out->is_root = 0;
	if (e[11] & FATFS_ATTR_DIR) {
		out->mode = S_IFDIR_ | 0555;
		out->size = 0;
	} else {
		out->mode = S_IFREG_ | 0444;
		out->size = le32(e + 28);
	}
	out->mtime = fat_time(le16(e + 24), le16(e + 22));
	out->atime = fat_time(le16(e + 18), 0);
	out->btime = fat_time(le16(e + 16), le16(e + 14)) + e[13] / 100;
	out->btime_nsec = (uint32_t)(e[13] % 100) * 10000000u;
	if (c >= 2)
		out->ino = c;
	else
		out->ino = (uint64_t)1 << 48 | (uint64_t)d->first_cluster << 16 |
		    (slot & 0xffff);
}

int
fatfs_readdir(struct fatfs *fs, struct fatfs_dir *d, struct fatfs_node *out)
{
	uint16_t lfn[LFN_MAX_ORD * 13];
	const uint8_t *e = NULL;
	uint64_t eoff = 0;
	uint32_t i, start = 0;
	int r, k, lfn_cnt = 0, lfn_next = 0, have = 0;
	uint8_t sum = 0, ord;
	size_t n;

	if (d->at_end)
		return (0);
	for (i = d->pos; ; i++) {
		r = dir_slot(fs, d, i, &e, &eoff);
		if (r < 0)
			return (r);
		if (r == 1 || e[0] == 0x00) {
			d->at_end = 1;
			d->pos = i;
			return (0);
		}
		if (e[0] == 0xe5) {
			have = 0;
			continue;
		}
		if ((e[11] & 0x3f) == LFN_ATTR) {
			ord = e[0] & 0x1f;
			if (e[0] & 0x40) {
				have = ord >= 1 && ord <= LFN_MAX_ORD &&
				    (e[0] & 0xa0) == 0;
				lfn_cnt = ord;
				lfn_next = ord;
				sum = e[13];
				start = i;
				if (have)
					memset(lfn, 0, sizeof(lfn));
			} else if (!have || ord != lfn_next || e[13] != sum) {
				have = 0;
				continue;
			}
			if (!have)
				continue;
			k = (ord - 1) * 13;
			for (r = 0; r < 5; r++)
				lfn[k++] = le16(e + 1 + 2 * r);
			for (r = 0; r < 6; r++)
				lfn[k++] = le16(e + 14 + 2 * r);
			for (r = 0; r < 2; r++)
				lfn[k++] = le16(e + 28 + 2 * r);
			lfn_next--;
			continue;
		}
		if ((e[11] & 0xc0) != 0 || (e[11] & (FATFS_ATTR_VOLUME |
		    FATFS_ATTR_DIR)) == (FATFS_ATTR_VOLUME | FATFS_ATTR_DIR)) {
			flog(fs, "directory at cluster %u slot %u: invalid "
			    "attributes %u, skipped", U(d->first_cluster),
			    U(i), U(e[11]));
			have = 0;
			continue;
		}
		if (e[11] & FATFS_ATTR_VOLUME) {
			have = 0;
			continue;
		}
		/* "." and ".." exist only in subdirectories. */
		if (e[0] == '.' && (memcmp(e, ".          ", 11) == 0 ||
		    memcmp(e, "..         ", 11) == 0)) {
			have = 0;
			if (d->is_root)
				continue;
			fill_node(fs, d, e, i, out);
			out->pos = i;
			out->entry_off = eoff;
			n = e[1] == '.' ? 2 : 1;
			memcpy(out->name, "..", n);
			out->name[n] = '\0';
			out->name_len = (uint16_t)n;
			memcpy(out->short_name, out->name, n + 1);
			if ((e[11] & FATFS_ATTR_DIR) == 0) {
				flog(fs, "dot entry without the directory "
				    "attribute at slot %u, skipped", U(i));
				continue;
			}
			if (n == 2 && (out->first_cluster == 0 ||
			    (fs->fat_type == 32 &&
			    out->first_cluster == fs->root_cluster))) {
				out->first_cluster = fs->fat_type == 32 ?
				    fs->root_cluster : 0;
				out->is_root = 1;
				out->ino = fs->fat_type == 32 ?
				    fs->root_cluster : 1;
			}
			d->pos = i + 1;
			return (1);
		}
		n = short_name(e, out->short_name);
		if (n == 0) {
			flog(fs, "directory at cluster %u slot %u: illegal short "
			    "name, skipped", U(d->first_cluster), U(i));
			have = 0;
			continue;
		}
		memcpy(out->name, out->short_name, n + 1);
		fill_node(fs, d, e, i, out);
		out->pos = i;
		out->entry_off = eoff;
		out->name_len = (uint16_t)n;
		if (have && lfn_next == 0 && lfn_sum(e) == sum) {
			n = lfn_utf8(lfn, lfn_cnt * 13, out->name);
			if (n == 0) {
				/* lfn_utf8 may have scribbled: redo 8.3. */
				n = short_name(e, out->name);
			} else
				out->pos = start;
			out->name_len = (uint16_t)n;
		}
		d->pos = i + 1;
		return (1);
	}
}

/* ---- lookup ------------------------------------------------------------ */

static int
name_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i;
	unsigned char x, y;

	if (alen != blen)
		return (0);
	for (i = 0; i < alen; i++) {
		x = (unsigned char)a[i];
		y = (unsigned char)b[i];
		if (x >= 'A' && x <= 'Z')
			x += 32;
		if (y >= 'A' && y <= 'Z')
			y += 32;
		if (x != y)
			return (0);
	}
	return (1);
}

int
fatfs_lookup_in(struct fatfs *fs, const struct fatfs_node *dir,
    const char *name, size_t len, struct fatfs_node *out)
{
	struct fatfs_dir d;
	int r;

	if (len > FATFS_NAME_MAX)
		return (-ENAMETOOLONG);
	if (len == 0 || memchr(name, '/', len) != NULL)
		return (-EINVAL);
	r = fatfs_opendir(fs, dir, &d);
	if (r != 0)
		return (r);
	if (len == 1 && name[0] == '.') {
		if (out != dir)
			memcpy(out, dir, sizeof(*out));
		return (0);
	}
	if (dir->is_root && len == 2 && name[0] == '.' && name[1] == '.') {
		if (out != dir)
			memcpy(out, dir, sizeof(*out));
		return (0);
	}
	for (;;) {
		r = fatfs_readdir(fs, &d, out);
		if (r <= 0)
			return (r == 0 ? -ENOENT : r);
		if (name_eq(name, len, out->name, out->name_len) ||
		    name_eq(name, len, out->short_name,
		    strlen(out->short_name)))
			return (0);
	}
}

int
fatfs_lookup(struct fatfs *fs, const char *path, struct fatfs_node *out)
{
	const char *p, *q;
	size_t total;
	int r;

	total = strnlen(path, FATFS_PATH_MAX + 1);
	if (total > FATFS_PATH_MAX)
		return (-ENAMETOOLONG);
	if (path[0] != '/')
		return (-EINVAL);
	for (p = path; *p != '\0'; p = q) {
		while (*p == '/')
			p++;
		for (q = p; *q != '\0' && *q != '/'; q++)
			;
		if (q - p > FATFS_NAME_MAX)
			return (-ENAMETOOLONG);
	}
	fatfs_root(fs, out);
	for (p = path; ; p = q) {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		for (q = p; *q != '\0' && *q != '/'; q++)
			;
		if ((out->attr & FATFS_ATTR_DIR) == 0)
			return (-ENOTDIR);
		r = fatfs_lookup_in(fs, out, p, (size_t)(q - p), out);
		if (r != 0)
			return (r);
	}
	/* "name/" must be a directory. */
	if (total > 0 && path[total - 1] == '/' &&
	    (out->attr & FATFS_ATTR_DIR) == 0)
		return (-ENOTDIR);
	return (0);
}

/* ---- files ------------------------------------------------------------- */

int
fatfs_open(struct fatfs *fs, const struct fatfs_node *node,
    struct fatfs_file *f)
{
	if (node->attr & FATFS_ATTR_DIR)
		return (-EISDIR);
	f->first_cluster = node->first_cluster;
	f->size = node->size;
	f->cur_cluster = 0;
	f->cur_index = UINT32_MAX;
	f->end_ok = 0;
	if (f->size != 0 && !clus_ok(fs, f->first_cluster)) {
		flog(fs, "file %s: first cluster %u out of range for %u bytes",
		    node->name, U(node->first_cluster), U(node->size));
		return (-EIO);
	}
	return (0);
}

long
fatfs_pread(struct fatfs *fs, struct fatfs_file *f, void *buf, size_t len,
    uint64_t off)
{
	struct fatfs_cslot *s;
	uint8_t *o = buf;
	size_t done = 0, chunk, part;
	uint64_t sec;
	uint32_t idx, coff, c, n, bo;
	int r;

	if (off >= f->size)
		return (0);
	if (len > f->size - off)
		len = (size_t)(f->size - off);
	while (done < len) {
		idx = (uint32_t)(off / fs->cluster_size);
		coff = (uint32_t)(off % fs->cluster_size);
		r = chain_seek(fs, f->first_cluster, idx, &f->cur_index,
		    &f->cur_cluster, &c);
		if (r == 1) {
			flog(fs, "chain from cluster %u ends before the file "
			    "size %u", U(f->first_cluster), U(f->size));
			r = -EIO;
		}
		/*
		 * The chain must end exactly at the size: a loop never ends,
		 * so this also catches loops shorter than the file.
		 */
		if (r == 0 && !f->end_ok &&
		    idx == (f->size - 1) / fs->cluster_size) {
			r = fat_next(fs, c, &n);
			if (r == 0) {
				flog(fs, "chain from cluster %u goes on past "
				    "the file size %u (loop?)",
				    U(f->first_cluster), U(f->size));
				r = -EIO;
			} else if (r == 1) {
				f->end_ok = 1;
				r = 0;
			}
		}
		if (r < 0)
			return (done > 0 ? (long)done : r);
		chunk = fs->cluster_size - coff;
		if (chunk > len - done)
			chunk = len - done;
		/*
		 * Through the cache, a block at a time: a miss loads the
		 * rest of this piece (up to FATFS_MAX_READ) in one device
		 * read, and a cached file is read with no device call.
		 */
		sec = clus_sec(fs, c) + coff / FATFS_DEV_SECTOR;
		while (chunk > 0) {
			bo = (uint32_t)(sec % SECS_PER_BLOCK) *
			    FATFS_DEV_SECTOR + coff % FATFS_DEV_SECTOR;
			if (sec >= fs->vol_sectors) {
				flog(fs, "read of sector %u outside the volume "
				    "(%u sectors)", U(sec), U(fs->vol_sectors));
				r = -EIO;
			} else if ((s = cache_find(fs, sec / SECS_PER_BLOCK))
			    == NULL)
				r = cache_load(fs, sec / SECS_PER_BLOCK,
				    (uint32_t)((bo + chunk + FATFS_CACHE_BLOCK -
				    1) / FATFS_CACHE_BLOCK), &s);
			else
				r = 0;
			if (r != 0)
				return (done > 0 ? (long)done : r);
			part = FATFS_CACHE_BLOCK - bo;
			if (part > chunk)
				part = chunk;
			memcpy(o + done, s->data + bo, part);
			done += part;
			off += part;
			coff += (uint32_t)part;
			chunk -= part;
			sec = clus_sec(fs, c) + coff / FATFS_DEV_SECTOR;
		}
	}
	return ((long)done);
}
