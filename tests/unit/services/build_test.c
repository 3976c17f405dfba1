/*
 * build_test.c -- loaderd's process build against recording fake brokers:
 * the broker sequence for a real binary of this build (PREPARE, one DATA
 * and/or ZEROED mapping per segment, page-aligned and non-overlapping,
 * data_len == len, the runtime metadata, COMMIT with the request's argv
 * and envp), and abort on a failing broker; a dynamic program (the musl
 * PIE of tests/inos/proc with the build host's musl loader): both images
 * mapped, the interpreter at PROC_BROKER_INTERP_BIAS, its base and entry
 * in the runtime metadata.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/loaderd/build.h"
#include "tests/unit/services/tap.h"

struct call {
	char		what;	/* P D Z R C A */
	uint64_t	vaddr, len, data_len;
	uint32_t	flags;
	int		data_ok;
};

static struct call calls[64];
static size_t ncalls;
static struct rustos_proc_prepare_args last_prepare;
static struct rustos_proc_linux_runtime last_rt;
static struct rustos_proc_commit_args last_commit;
static int fail_at = -1;
static const unsigned char *cur_img, *cur_iimg;
static const struct lelf_image *cur_e, *cur_ie;

/* Does the DATA mapping a carry the file bytes of a segment of e? */
static int
data_matches(const struct rustos_proc_map_args *a, const unsigned char *img,
    const struct lelf_image *e)
{
	size_t i;

	for (i = 0; e != NULL && i < e->nseg; i++) {
		const struct lelf_segment *s = &e->seg[i];

		if (s->page_start == a->vaddr &&
		    memcmp((const unsigned char *)(uintptr_t)a->data_ptr +
		    (s->vaddr - s->page_start), img + s->offset,
		    s->filesz) == 0)
			return 1;
	}
	return 0;
}

static long
rec(char w, const struct rustos_proc_map_args *a)
{
	struct call *c = &calls[ncalls < 63 ? ncalls++ : 63];

	memset(c, 0, sizeof(*c));
	c->what = w;
	if (a != NULL) {
		c->vaddr = a->vaddr;
		c->len = a->len;
		c->data_len = a->data_len;
		c->flags = a->flags;
		/* The data must equal the file bytes of its segment. */
		if (w == 'D' && a->data_ptr != 0)
			c->data_ok = data_matches(a, cur_img, cur_e) ||
			    data_matches(a, cur_iimg, cur_ie);
	}
	return (int)ncalls - 1 == fail_at ? -ENOMEM : 0;
}

static long f_prepare(const struct rustos_proc_prepare_args *a)
{ last_prepare = *a; return rec('P', NULL) < 0 ? -ENOMEM : 42; }
static long f_data(const struct rustos_proc_map_args *a) { return rec('D', a); }
static long f_zero(const struct rustos_proc_map_args *a) { return rec('Z', a); }
static long f_rt(const struct rustos_proc_linux_runtime *a)
{ last_rt = *a; return rec('R', NULL); }
static long f_commit(const struct rustos_proc_commit_args *a)
{ last_commit = *a; return rec('C', NULL) < 0 ? -ENOMEM : 77; }
static long f_abort(uint64_t h) { rec('A', NULL); return h == 42 ? 0 : -EINVAL; }

static const struct loader_brokers fake = {
	f_prepare, f_data, f_zero, f_rt, f_commit, f_abort
};

static unsigned char *
load(const char *rel, size_t *size)
{
	const char *top = getenv("top_builddir");
	char path[1024];
	unsigned char *buf = NULL;
	long n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", top ? top : ".", rel);
	f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	if (n > 0 && (buf = malloc((size_t)n)) != NULL &&
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = (size_t)n;
	return buf;
}

static void
dynamic_build(struct rustos_loader_spawn_request *q)
{
	struct lelf_image e, ie;
	unsigned char *img, *iimg;
	const char *why = "?", *iwhy = "?";
	size_t size = 0, isize = 0, i, j;
	int in_interp = 0, disjoint = 1, dataok = 1;
	long pid;
	FILE *f;

	img = load("tests/inos/proc/dyn-hello", &size);
	f = fopen("/lib/ld-musl-x86_64.so.1", "rb");
	if (f == NULL) {
		printf("ok - # SKIP no /lib/ld-musl-x86_64.so.1 on this host\n");
		free(img);
		return;
	}
	fseek(f, 0, SEEK_END);
	isize = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	iimg = malloc(isize);
	if (iimg != NULL && fread(iimg, 1, isize, f) != isize) {
		free(iimg);
		iimg = NULL;
	}
	fclose(f);
	CHECK(img != NULL && lelf_parse(img, size, &e, &why) == 0 &&
	    e.interp[0] == '/', "dyn-hello parses, names %s (%s)",
	    img != NULL ? e.interp : "?", why);
	CHECK(iimg != NULL && lelf_parse_interp(iimg, isize, &ie, &iwhy) == 0,
	    "musl's loader parses (%s)", iwhy);
	if (img == NULL || iimg == NULL) {
		free(img);
		free(iimg);
		return;
	}
	cur_img = img;
	cur_e = &e;
	cur_iimg = iimg;
	cur_ie = &ie;
	ncalls = 0;
	fail_at = -1;
	pid = loader_build(&fake, q, img, &e, iimg, &ie);
	CHECK(pid == 77 && calls[0].what == 'P' &&
	    calls[ncalls - 2].what == 'R' && calls[ncalls - 1].what == 'C',
	    "dynamic: PREPARE, mappings, SET_LINUX_RUNTIME, COMMIT");
	for (i = 1; i + 2 < ncalls; i++) {
		if (calls[i].vaddr >= PROC_BROKER_INTERP_BIAS)
			in_interp++;
		if (calls[i].what == 'D' && !calls[i].data_ok)
			dataok = 0;
		for (j = i + 1; j + 2 < ncalls; j++)
			if (calls[i].vaddr < calls[j].vaddr + calls[j].len &&
			    calls[j].vaddr < calls[i].vaddr + calls[i].len)
				disjoint = 0;
	}
	CHECK(calls[1].vaddr == PROC_BROKER_MAIN_IMAGE_BIAS && in_interp > 0 &&
	    disjoint && dataok, "program at the main image bias, loader at "
	    "the interpreter bias, no overlap, file bytes in DATA pages");
	CHECK(last_rt.entry == e.entry && last_rt.phdr == e.phdr &&
	    last_rt.interpreter_base == PROC_BROKER_INTERP_BIAS &&
	    last_rt.interpreter_entry == ie.entry &&
	    ie.entry > PROC_BROKER_INTERP_BIAS,
	    "runtime: entry (AT_ENTRY) the program's, interpreter base "
	    "(AT_BASE) and entry (where the thread starts)");
	free(img);
	free(iimg);
}

int
main(void)
{
	static struct rustos_loader_spawn_request q;
	struct lelf_image e;
	const char *why;
	unsigned char *img;
	size_t size = 0, i, j;
	int aligned = 1, disjoint = 1, datalen = 1, dataok = 1;
	long pid;

	img = load("services/procd/procd", &size);
	CHECK(img != NULL && lelf_parse(img, size, &e, &why) == 0,
	    "procd binary parses");
	if (img == NULL)
		return tap_done();
	cur_img = img;
	cur_e = &e;
	q.version = 1;
	q.op = 1;
	q.weight_micros = 300;
	q.console_session = 5;
	memcpy(q.argv, "procd\0", 6);
	q.argv_len = 6;
	q.argc = 1;
	memcpy(q.envp, "A=1\0", 4);
	q.envp_len = 4;
	q.envc = 1;
	pid = loader_build(&fake, &q, img, &e, NULL, NULL);
	CHECK(pid == 77, "commit's pid returned");
	CHECK(ncalls >= 4 && calls[0].what == 'P' &&
	    calls[ncalls - 2].what == 'R' && calls[ncalls - 1].what == 'C',
	    "sequence: PREPARE, mappings, SET_LINUX_RUNTIME, COMMIT");
	CHECK(last_prepare.abi_version == PROC_BROKER_ABI_VERSION &&
	    last_prepare.format == PROC_BROKER_FORMAT_ELF64 &&
	    last_prepare.weight_micros == 300 && last_prepare.parent_pid == 0 &&
	    last_prepare.session_handle == 5, "prepare arguments");
	for (i = 1; i + 2 < ncalls; i++) {
		if (calls[i].vaddr % 4096 || calls[i].len % 4096 ||
		    calls[i].len == 0)
			aligned = 0;
		if (calls[i].what == 'D' && calls[i].data_len != calls[i].len)
			datalen = 0;
		if (calls[i].what == 'D' && !calls[i].data_ok)
			dataok = 0;
		if (calls[i].what == 'Z' && calls[i].data_len != 0)
			datalen = 0;
		for (j = i + 1; j + 2 < ncalls; j++)
			if (calls[i].vaddr < calls[j].vaddr + calls[j].len &&
			    calls[j].vaddr < calls[i].vaddr + calls[i].len)
				disjoint = 0;
	}
	CHECK(aligned, "mappings page aligned, whole pages");
	CHECK(disjoint, "mappings do not overlap");
	CHECK(datalen, "DATA: data_len == len; ZEROED: no data");
	CHECK(dataok, "DATA pages carry the segment's file bytes");
	CHECK(calls[1].vaddr == 0x8000400000ull &&
	    (calls[1].flags & PROC_BROKER_MAP_PRIVATE), "first mapping at the link base");
	CHECK(last_rt.prepare_handle == 42 && last_rt.entry == e.entry &&
	    last_rt.phdr == 0x8000400040ull && last_rt.phent == 56 &&
	    last_rt.phnum == e.phnum && last_rt.brk_start == e.brk_start &&
	    last_rt.interpreter_base == 0, "runtime metadata");
	CHECK(last_commit.prepare_handle == 42 && last_commit.argv_len == 6 &&
	    last_commit.envp_len == 4 && last_commit.exec_ticket == 0 &&
	    memcmp((const void *)(uintptr_t)last_commit.argv_ptr, "procd", 6) == 0,
	    "commit argv/envp blocks");

	for (fail_at = 1; fail_at < 4; fail_at++) {
		ncalls = 0;
		pid = loader_build(&fake, &q, img, &e, NULL, NULL);
		CHECK(pid == -ENOMEM && ncalls >= 2 &&
		    calls[ncalls - 1].what == 'A',
		    "broker %d fails: error returned, session aborted", fail_at);
	}
	fail_at = 0;
	ncalls = 0;
	pid = loader_build(&fake, &q, img, &e, NULL, NULL);
	CHECK(pid == -ENOMEM && ncalls == 1, "prepare fails: nothing to abort");
	q.weight_micros = 0;
	fail_at = -1;
	ncalls = 0;
	loader_build(&fake, &q, img, &e, NULL, NULL);
	CHECK(last_prepare.weight_micros == 100, "weight 0 means the 100 us default");
	free(img);
	dynamic_build(&q);
	return tap_done();
}
