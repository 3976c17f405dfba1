/*
 * kernel-pure.c -- host unit tests (TAP) of the kernel's pure code: the
 * frame bitmap, the vruntime run queue and weights, log line formatting
 * and the log ring, the printf subset and Multiboot2 tag walking.  The
 * sources are the kernel's own files, compiled for the host.
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include <nucleus-core/api.h>
#include <nucleus-core/internal.h>
#include <mm/api.h>
#include <mm/internal.h>
#include <ps/internal.h>

static int ntest, nfail;

static void
tap(int ok, const char *name, const char *detail)
{
	ntest++;
	if (ok)
		printf("ok %d - %s\n", ntest, name);
	else {
		nfail++;
		printf("not ok %d - %s\n", ntest, name);
		if (detail != NULL)
			printf("# %s\n", detail);
	}
}

/* ---- frame bitmap ---- */

static void
test_bitmap(void)
{
	uint64_t words[4];
	struct mm_bitmap b;
	size_t i, got[200], n;
	int ok;

	mm_bitmap_init(&b, words, 200);
	tap(b.nfree == 0 && mm_bitmap_alloc(&b) == (size_t)-1,
	    "bitmap starts all used", NULL);

	mm_bitmap_free_range(&b, 10, 100);
	mm_bitmap_reserve_range(&b, 50, 10);
	tap(b.nfree == 90, "bitmap free/reserve ranges count", NULL);

	ok = 1;
	for (n = 0; (got[n] = mm_bitmap_alloc(&b)) != (size_t)-1; n++) {
		if (got[n] < 10 || got[n] >= 110 ||
		    (got[n] >= 50 && got[n] < 60))
			ok = 0;
	}
	tap(ok && n == 90, "bitmap allocates only free bits, all of them",
	    NULL);
	for (i = 0, ok = 1; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (got[i] == got[j])
				ok = 0;
	tap(ok, "bitmap never hands a bit out twice", NULL);

	tap(mm_bitmap_release(&b, got[0]) == 0 &&
	    mm_bitmap_release(&b, got[0]) == -1, "bitmap detects double free",
	    NULL);
	tap(mm_bitmap_alloc(&b) == got[0] && mm_bitmap_alloc(&b) ==
	    (size_t)-1, "bitmap reuses a released bit, then is empty", NULL);
	tap(mm_bitmap_release(&b, 500) == -1, "bitmap refuses out-of-range "
	    "release", NULL);

	mm_bitmap_init(&b, words, 200);
	mm_bitmap_free_range(&b, 0, 8);
	mm_bitmap_free_range(&b, 20, 16);
	i = mm_bitmap_alloc_run(&b, 12);
	tap(i == 20 && mm_bitmap_test(&b, 31) && !mm_bitmap_test(&b, 32) &&
	    b.nfree == 12, "bitmap contiguous run skips a short hole", NULL);
	tap(mm_bitmap_alloc_run(&b, 9) == (size_t)-1,
	    "bitmap run larger than any hole fails", NULL);

	/* Whole busy words are skipped; runs may still cross a word edge. */
	mm_bitmap_init(&b, words, 256);
	mm_bitmap_free_range(&b, 61, 3);
	mm_bitmap_free_range(&b, 120, 16);
	mm_bitmap_free_range(&b, 192, 64);
	tap(mm_bitmap_alloc_run(&b, 10) == 120 &&
	    mm_bitmap_alloc_run(&b, 3) == 61 &&
	    mm_bitmap_alloc_run(&b, 6) == 130 &&
	    mm_bitmap_alloc_run(&b, 64) == 192 &&
	    mm_bitmap_alloc_run(&b, 2) == (size_t)-1 && b.nfree == 0,
	    "bitmap run: first fit across busy words and a word edge", NULL);

	/*
	 * The word-at-a-time run search against a bit-at-a-time first fit,
	 * on random maps (fixed seed) with runs of 2..80 bits.
	 */
	{
		uint64_t seed = 0x9e3779b97f4a7c15ULL;
		size_t t, bit, want, got, len, nb;
		int same = 1;

		for (t = 0; t < 2000 && same; t++) {
			nb = 130 + t % 120;	/* words[] holds 256 */
			mm_bitmap_init(&b, words, nb);
			for (bit = 0; bit < nb; bit++) {
				seed = seed * 6364136223846793005ULL +
				    1442695040888963407ULL;
				/* Sparse or dense holes, by trial. */
				if ((seed >> 33) % (t % 3 == 0 ? 2 : 9) == 0)
					mm_bitmap_free_range(&b, bit, 1);
			}
			want = 2 + t % 79;
			for (bit = 0, len = 0, got = (size_t)-1; bit < nb;
			    bit++) {
				len = mm_bitmap_test(&b, bit) ? 0 : len + 1;
				if (len == want) {
					got = bit + 1 - want;
					break;
				}
			}
			if (mm_bitmap_alloc_run(&b, want) != got)
				same = 0;
			else if (got != (size_t)-1 &&
			    (!mm_bitmap_test(&b, got) ||
			    !mm_bitmap_test(&b, got + want - 1)))
				same = 0;
		}
		tap(same, "bitmap run: same first fit as a bit-by-bit scan on "
		    "random maps", NULL);
	}
}

/* ---- run queue ---- */

static void
test_runqueue(void)
{
	struct ps_rq rq;
	struct ps_rq_node n[8], *p;
	uint64_t v[8] = { 50, 10, 40, 10, 99, 0, 40, 7 };
	uint64_t last = 0;
	int ok = 1, i;

	ps_rq_init(&rq);
	for (i = 0; i < 8; i++) {
		n[i].vruntime = v[i];
		ps_rq_insert(&rq, &n[i]);
	}
	tap(rq.count == 8 && rq.first == &n[5], "runqueue first is the "
	    "smallest vruntime", NULL);
	ps_rq_remove(&rq, &n[4]);
	for (i = 0; (p = ps_rq_pop_min(&rq)) != NULL; i++) {
		if (p->vruntime < last)
			ok = 0;
		last = p->vruntime;
		if (i == 2 && p != &n[1])	/* first of the two 10s */
			ok = 0;
		if (i == 3 && p != &n[3])
			ok = 0;
		if (p == &n[4])
			ok = 0;
	}
	tap(ok && i == 7 && rq.count == 0, "runqueue pops in vruntime order, "
	    "FIFO among equals, removed node gone", NULL);
	tap(ps_vruntime_delta(3000, 100) == 3000 &&
	    ps_vruntime_delta(3000, 300) == 1000 &&
	    ps_vruntime_delta(3000, 50) == 6000 &&
	    ps_vruntime_delta(3000, 0) == 3000,
	    "vruntime charge scales with 100/weight_micros", NULL);
}

/* ---- log format and ring ---- */

static void
test_log(void)
{
	char buf[NC_LOG_LINE_MAX], small[80], snap[512];
	struct nc_ring r;
	char store[128];
	size_t n;
	int i;

	n = nc_log_format(buf, sizeof(buf), 7, 1234, 56, RUSTOS_LOG_LEVEL_WARN,
	    RUSTOS_LOG_CAT_MEMORY, "kernel/mm/frame.c", 42, -1, 3, "low \"mem\"");
	tap(strcmp(buf, "seq=7 ts_us=1234 tick=56 lvl=warn cat=memory "
	    "mod=frame.c line=42 pid=- tid=3 msg=\"low \\\"mem\\\"\"\n") == 0 &&
	    n == strlen(buf), "log line format and escaping", buf);

	nc_log_format(buf, sizeof(buf), 0, 0, 0, RUSTOS_LOG_LEVEL_INFO,
	    RUSTOS_LOG_CAT_BOOT, "x.c", 1, 5, -1, "a\nb\\c");
	tap(strstr(buf, "pid=5 tid=- msg=\"a\\nb\\\\c\"\n") != NULL,
	    "log line keeps newlines and backslashes on one line", buf);

	n = nc_log_format(small, sizeof(small), 1, 2, 3,
	    RUSTOS_LOG_LEVEL_ERROR, RUSTOS_LOG_CAT_SCHED, "s.c", 9, -1, -1,
	    "a very long message that cannot fit into the small buffer");
	tap(n < sizeof(small) && n >= 2 && small[n - 1] == '\n' &&
	    small[n - 2] == '"', "truncated log line still ends in \"\\n",
	    small);

	nc_ring_init(&r, store, sizeof(store));
	for (i = 0; i < 10; i++) {
		char line[40];

		snprintf(line, sizeof(line), "line %d of the ring test\n", i);
		nc_ring_push(&r, line, strlen(line));
	}
	n = nc_ring_snapshot(&r, snap, sizeof(snap));
	tap(r.dropped > 0 && strstr(snap, "msg=\"oldest logs dropped\"\n") ==
	    strchr(snap, '\n') - strlen("msg=\"oldest logs dropped\"") &&
	    strstr(snap, "line 9 of the ring test\n") != NULL &&
	    strstr(snap, "line 0 of") == NULL,
	    "ring keeps the newest lines and reports the drop first", snap);
	/* Every kept line is whole. */
	{
		char *nl = strchr(snap, '\n') + 1;

		tap(strncmp(nl, "line ", 5) == 0 && snap[n - 1] == '\n',
		    "ring drops whole lines only", snap);
	}
}

/* ---- printf ---- */

static void
test_printf(void)
{
	char b[128];

	nc_snprintf(b, sizeof(b), "%d|%u|%x|%X|%5d|%-4d|%05d|%s|%c|%%",
	    -42, 42u, 255u, 255u, 7, 7, -7, "str", 'z');
	tap(strcmp(b, "-42|42|ff|FF|    7|7   |-0007|str|z|%") == 0,
	    "printf int, pad, string, char", b);
	nc_snprintf(b, sizeof(b), "%lu %llx %zu %ld %p %.3s %.*s",
	    18446744073709551615UL, 0xdeadbeefcafeULL, (size_t)9, -5L,
	    (void *)0x1000, "abcdef", 2, "xyz");
	tap(strcmp(b, "18446744073709551615 deadbeefcafe 9 -5 0x1000 abc xy")
	    == 0, "printf 64-bit, pointer, precision", b);
	tap(nc_snprintf(b, 4, "%s", "abcdef") == 6 && strcmp(b, "abc") == 0,
	    "printf truncates and returns the full length", b);
}

/* ---- multiboot2 ---- */

struct mb {
	uint8_t buf[1024];
	size_t len;
};

static void
mb_put(struct mb *m, const void *p, size_t n)
{
	memcpy(m->buf + m->len, p, n);
	m->len += n;
}

static void
mb_tag(struct mb *m, uint32_t type, const void *body, uint32_t blen)
{
	uint32_t h[2] = { type, 8 + blen };
	uint8_t zero[8] = { 0 };

	mb_put(m, h, 8);
	mb_put(m, body, blen);
	mb_put(m, zero, (8 - (m->len % 8)) % 8);
}

static void
mb_begin(struct mb *m)
{
	memset(m, 0, sizeof(*m));
	m->len = 8;
}

static void
mb_end(struct mb *m)
{
	uint32_t total;

	mb_tag(m, 0, NULL, 0);
	total = (uint32_t)m->len;
	memcpy(m->buf, &total, 4);
}

static void
mb_mmap(struct mb *m, const uint64_t (*e)[3], int n, uint32_t esz)
{
	uint8_t body[512];
	uint32_t hdr[2] = { esz, 0 };
	size_t off = 8;
	int i;

	memset(body, 0, sizeof(body));
	memcpy(body, hdr, 8);
	for (i = 0; i < n; i++, off += esz) {
		uint32_t type = (uint32_t)e[i][2];

		memcpy(body + off, &e[i][0], 8);
		memcpy(body + off + 8, &e[i][1], 8);
		memcpy(body + off + 16, &type, 4);
	}
	mb_tag(m, 6, body, (uint32_t)off);
}

static void
test_mb2(void)
{
	static struct mm_boot_info bi;
	static const uint64_t map[][3] = {
		{ 0x100000, 0x7ef00000, 1 },
		{ 0, 0x9f000, 1 },
		{ 0xfee00000, 0x1000, 2 },
		{ 0x5000, 0, 1 },			/* empty: skipped */
		{ 0xffffffffffff0000ULL, 0x20000, 1 },	/* wraps: skipped */
		{ 0x100000000ULL, 0x40000800, 1 },
	};
	uint8_t rsdp[20] = "RSD PTR ";
	const char *why;
	struct mb m;
	int rc;

	mb_begin(&m);
	mb_tag(&m, 1, "console=com1", 13);
	mb_tag(&m, 99, "unknown tag body", 16);
	mb_mmap(&m, map, 6, 24);
	mb_tag(&m, 14, rsdp, sizeof(rsdp));
	mb_end(&m);
	rc = mm_mb2_parse(m.buf, m.len, &bi, &why);
	tap(rc == 0, "mb2 valid block parses", why);
	tap(bi.nram == 3 && bi.ram[0].base == 0 && bi.ram[0].len == 0x9f000 &&
	    bi.ram[1].base == 0x100000 && bi.ram[2].base == 0x100000000ULL &&
	    bi.ram[2].len == 0x40000000, "mb2 RAM sorted and page-trimmed",
	    NULL);
	tap(bi.ignored_entries == 2 && bi.max_phys == 0x140000800ULL,
	    "mb2 malformed entries skipped and counted", NULL);
	tap(strcmp(bi.cmdline, "console=com1") == 0 && bi.rsdp_len == 20 &&
	    memcmp(bi.rsdp, "RSD PTR ", 8) == 0, "mb2 cmdline and RSDP copied",
	    NULL);

	mb_begin(&m);
	mb_tag(&m, 1, "x", 2);
	mb_end(&m);
	rc = mm_mb2_parse(m.buf, m.len, &bi, &why);
	tap(rc == -2 && strstr(why, "no memory map") != NULL,
	    "mb2 without a memory map is refused with a reason", why);

	mb_begin(&m);
	mb_mmap(&m, map, 2, 24);
	mb_end(&m);
	((uint32_t *)(m.buf + 8))[1] = 4000;	/* mmap tag size past the end */
	rc = mm_mb2_parse(m.buf, m.len, &bi, &why);
	tap(rc == -22 && strstr(why, "size") != NULL,
	    "mb2 tag running past the block is refused", why);

	mb_begin(&m);
	mb_mmap(&m, map, 2, 20);
	mb_end(&m);
	rc = mm_mb2_parse(m.buf, m.len, &bi, &why);
	tap(rc == -22 && strstr(why, "entry size") != NULL,
	    "mb2 bad memory map entry size is refused", why);

	mb_begin(&m);
	mb_mmap(&m, map, 2, 24);
	{
		uint32_t total = (uint32_t)m.len;

		memcpy(m.buf, &total, 4);
	}
	rc = mm_mb2_parse(m.buf, m.len, &bi, &why);
	tap(rc == -22 && strstr(why, "end tag") != NULL,
	    "mb2 without an end tag is refused", why);

	mb_begin(&m);
	mb_mmap(&m, map, 2, 24);
	mb_end(&m);
	rc = mm_mb2_parse(m.buf, m.len - 8, &bi, &why);
	tap(rc == -22, "mb2 total_size beyond the readable bytes is refused",
	    why);

	{
		static const uint64_t reserved_only[][3] = {
			{ 0, 0x100000, 2 },
		};

		mb_begin(&m);
		mb_mmap(&m, reserved_only, 1, 24);
		mb_end(&m);
		rc = mm_mb2_parse(m.buf, m.len, &bi, &why);
		tap(rc == -12 && strstr(why, "no available RAM") != NULL,
		    "mb2 map without RAM is refused", why);
	}
}

int
main(void)
{
	printf("1..%d\n", 32);
	test_bitmap();
	test_runqueue();
	test_log();
	test_printf();
	test_mb2();
	if (ntest != 32)
		printf("# planned 32, ran %d\n", ntest);
	return (nfail != 0 || ntest != 32);
}
