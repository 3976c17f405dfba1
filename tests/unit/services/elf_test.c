/*
 * elf_test.c -- loaderd: ELF64 validation (every refusal rule, on
 * synthetic images), the segment plan, data-page filling, the real
 * service binaries of this build, dynamic programs and their PT_INTERP
 * interpreter (synthetic, and the dynamic musl test program with the
 * build host's musl loader), and spawn-request validation.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rustos/proc_broker.h>

#include "services/loaderd/elf.h"
#include "services/loaderd/request.h"
#include "tests/unit/services/tap.h"

#define BASE	0x8000400000ull

struct eh {
	unsigned char	ident[16];
	uint16_t	type, machine;
	uint32_t	version;
	uint64_t	entry, phoff, shoff;
	uint32_t	flags;
	uint16_t	ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct ph {
	uint32_t	type, flags;
	uint64_t	offset, vaddr, paddr, filesz, memsz, align;
};

static unsigned char img[0x3000];

/* A good image: text at BASE (file 0..0x1800), data at BASE+0x2000+0x10. */
static void
good(void)
{
	struct eh *e = (void *)img;
	struct ph *p = (void *)(img + 64);

	memset(img, 0, sizeof(img));
	memcpy(e->ident, "\177ELF\2\1\1", 7);
	e->type = 2;
	e->machine = 62;
	e->version = 1;
	e->entry = BASE + 0x100;
	e->phoff = 64;
	e->ehsize = 64;
	e->phentsize = 56;
	e->phnum = 2;
	p[0].type = 1;
	p[0].flags = 5;
	p[0].offset = 0;
	p[0].vaddr = BASE;
	p[0].filesz = 0x1800;
	p[0].memsz = 0x1800;
	p[1].type = 1;
	p[1].flags = 6;
	p[1].offset = 0x2010;
	p[1].vaddr = BASE + 0x3010;
	p[1].filesz = 0x100;
	p[1].memsz = 0x3000;
	memset(img + 0x2010, 0x5a, 0x100);
}

static struct eh *E(void) { return (void *)img; }
static struct ph *P(int i) { return (struct ph *)(img + 64) + i; }

/* The good image as a static PIE (linked at 0) with a third header. */
static void
pie(uint32_t third_type)
{
	good();
	E()->type = 3;
	E()->entry -= BASE;
	E()->phnum = 3;
	P(0)->vaddr -= BASE;
	P(1)->vaddr -= BASE;
	P(2)->type = third_type;	/* PT_DYNAMIC 2, PT_INTERP 3 */
	P(2)->offset = 0x2010;
	P(2)->vaddr = 0x3010;
	P(2)->filesz = P(2)->memsz = 0x10;
}

/* The good image with a PT_INTERP (third header) naming path. */
static void
dynamic(int type, const char *path, size_t filesz)
{
	if (type == 3)
		pie(3);
	else {
		good();
		E()->phnum = 3;
		P(2)->type = 3;
	}
	P(2)->offset = 0x2800;
	P(2)->vaddr = (type == 3 ? 0 : BASE) + 0x2800;
	P(2)->filesz = P(2)->memsz = filesz;
	memset(img + 0x2800, 0, 0x800);
	memcpy(img + 0x2800, path, strlen(path));
}

static int
interp_refused(int err, const char *rule_part)
{
	struct lelf_image out;
	const char *why;
	int r;

	r = lelf_parse_interp(img, sizeof(img), &out, &why);
	if (r != err || strstr(why, rule_part) == NULL) {
		printf("# got %d, why=%s\n", r, why);
		return 0;
	}
	return 1;
}

/* The dynamic musl test program and the build host's musl loader. */
static void
real_dynamic(void)
{
	const char *top = getenv("top_builddir");
	struct lelf_image e, ie;
	char path[1024];
	unsigned char *buf[2] = { NULL, NULL };
	const char *why = "?", *why2 = "?";
	long size[2] = { 0, 0 };
	FILE *f;
	int i, r = -1, r2 = -1;

	snprintf(path, sizeof(path), "%s/tests/inos/proc/dyn-hello",
	    top ? top : ".");
	for (i = 0; i < 2; i++) {
		f = fopen(i == 0 ? path : "/lib/ld-musl-x86_64.so.1", "rb");
		if (f == NULL)
			continue;
		fseek(f, 0, SEEK_END);
		size[i] = ftell(f);
		fseek(f, 0, SEEK_SET);
		buf[i] = malloc((size_t)size[i]);
		if (buf[i] != NULL && fread(buf[i], 1, (size_t)size[i], f) !=
		    (size_t)size[i]) {
			free(buf[i]);
			buf[i] = NULL;
		}
		fclose(f);
	}
	if (buf[1] == NULL) {
		printf("ok - # SKIP no /lib/ld-musl-x86_64.so.1 on this host\n");
		free(buf[0]);
		return;
	}
	if (buf[0] != NULL)
		r = lelf_parse(buf[0], (size_t)size[0], &e, &why);
	r2 = lelf_parse_interp(buf[1], (size_t)size[1], &ie, &why2);
	CHECK(r == 0 && strcmp(e.interp, "/lib/ld-musl-x86_64.so.1") == 0 &&
	    e.seg[0].page_start == PROC_BROKER_MAIN_IMAGE_BIAS &&
	    e.brk_start <= PROC_BROKER_INTERP_BIAS,
	    "dyn-hello: a PIE naming musl's loader (%s)", why);
	CHECK(r2 == 0 && ie.bias == PROC_BROKER_INTERP_BIAS &&
	    ie.seg[0].page_start == PROC_BROKER_INTERP_BIAS &&
	    ie.interp[0] == '\0', "musl's loader placed at the interpreter "
	    "bias (%s)", why2);
	free(buf[0]);
	free(buf[1]);
}

static int
refused(const char *rule_part)
{
	struct lelf_image out;
	const char *why;
	int r;

	r = lelf_parse(img, sizeof(img), &out, &why);
	if (r != -ENOEXEC || strstr(why, rule_part) == NULL) {
		printf("# got %d, why=%s\n", r, why);
		return 0;
	}
	return 1;
}

static void
real_binary(const char *rel)
{
	const char *top = getenv("top_builddir");
	struct lelf_image out;
	char path[1024];
	unsigned char *buf;
	const char *why = "?";
	long size;
	FILE *f;
	int r = -1;

	snprintf(path, sizeof(path), "%s/%s", top ? top : ".", rel);
	f = fopen(path, "rb");
	if (f != NULL) {
		fseek(f, 0, SEEK_END);
		size = ftell(f);
		fseek(f, 0, SEEK_SET);
		buf = malloc((size_t)size);
		if (buf != NULL && fread(buf, 1, (size_t)size, f) == (size_t)size)
			r = lelf_parse(buf, (size_t)size, &out, &why);
		free(buf);
		fclose(f);
	}
	CHECK(r == 0 && out.phdr != 0 && out.brk_start > BASE,
	    "%s loads (%s)", rel, why);
}

int
main(void)
{
	struct lelf_image out;
	struct rustos_loader_spawn_request *q;
	unsigned char page[0x2000];
	const char *why;

	good();
	CHECK(lelf_parse(img, sizeof(img), &out, &why) == 0, "good image: %s", why);
	CHECK(out.nseg == 2 && out.entry == BASE + 0x100 &&
	    out.phdr == BASE + 64 && out.phnum == 2 && out.phent == 56,
	    "header facts");
	CHECK(out.seg[0].page_start == BASE && out.seg[0].data_len == 0x2000 &&
	    out.seg[0].zero_len == 0 && out.seg[0].flags ==
	    (PROC_BROKER_MAP_READ | PROC_BROKER_MAP_EXEC | PROC_BROKER_MAP_PRIVATE),
	    "text plan");
	CHECK(out.seg[1].page_start == BASE + 0x3000 &&
	    out.seg[1].data_len == 0x1000 && out.seg[1].zero_len == 0x3000 &&
	    out.seg[1].flags == (PROC_BROKER_MAP_READ | PROC_BROKER_MAP_WRITE |
	    PROC_BROKER_MAP_PRIVATE), "data plan: data page then zero pages");
	CHECK(out.brk_start == BASE + 0x7000, "brk_start after the bss");
	memset(page, 0xff, sizeof(page));
	lelf_fill_data(img, &out.seg[1], page);
	CHECK(page[0] == 0 && page[0xf] == 0 && page[0x10] == 0x5a &&
	    page[0x10f] == 0x5a && page[0x110] == 0 && page[0xfff] == 0,
	    "data page: file bytes at their offset, zeros around");

	CHECK(lelf_parse(img, 10, &out, &why) == -ENOEXEC, "truncated header");
	good(); img[1] = 'X';
	CHECK(refused("magic"), "bad magic");
	good(); img[4] = 1;
	CHECK(refused("ELFCLASS64"), "32-bit refused");
	good(); img[5] = 2;
	CHECK(refused("little-endian"), "big-endian refused");
	good(); E()->type = 1;
	CHECK(refused("ET_EXEC"), "ET_REL refused");
	/* ET_DYN is a static PIE: moved by the main image bias. */
	good(); E()->type = 3;
	CHECK(refused("out of range"), "ET_DYN linked in the user range refused");
	pie(2);
	CHECK(lelf_parse(img, sizeof(img), &out, &why) == 0 &&
	    out.seg[0].vaddr == PROC_BROKER_MAIN_IMAGE_BIAS &&
	    out.entry == PROC_BROKER_MAIN_IMAGE_BIAS + 0x100 &&
	    out.seg[1].vaddr == PROC_BROKER_MAIN_IMAGE_BIAS + 0x3010,
	    "static PIE placed at the main image bias (%s)", why);
	/* Dynamic programs: PT_INTERP names the interpreter. */
	dynamic(3, "/lib/ld.so", 11);
	CHECK(lelf_parse(img, sizeof(img), &out, &why) == 0 &&
	    strcmp(out.interp, "/lib/ld.so") == 0 &&
	    out.seg[0].vaddr == PROC_BROKER_MAIN_IMAGE_BIAS,
	    "PIE with PT_INTERP placed at the main image bias (%s)", why);
	dynamic(2, "/lib/ld.so", 11);
	P(1)->type = 2;		/* a PT_DYNAMIC, allowed with PT_INTERP */
	CHECK(lelf_parse(img, sizeof(img), &out, &why) == 0 &&
	    strcmp(out.interp, "/lib/ld.so") == 0 && out.nseg == 1,
	    "ET_EXEC in the user range with PT_INTERP and PT_DYNAMIC (%s)",
	    why);
	dynamic(3, "/lib/ld.so", 40);
	CHECK(lelf_parse(img, sizeof(img), &out, &why) == 0 &&
	    strcmp(out.interp, "/lib/ld.so") == 0,
	    "PT_INTERP: the path ends at its first NUL (%s)", why);
	dynamic(3, "/lib/ld.so", 10);
	CHECK(refused("NUL-terminated"), "PT_INTERP without its NUL refused");
	dynamic(3, "lib/ld.so", 10);
	CHECK(refused("absolute"), "relative PT_INTERP refused");
	dynamic(3, "", 1);
	CHECK(refused("length"), "PT_INTERP of one byte refused");
	dynamic(3, "/lib/ld.so", LELF_INTERP_MAX + 1);
	CHECK(refused("length"), "PT_INTERP longer than %d refused",
	    LELF_INTERP_MAX);
	dynamic(3, "/lib/ld.so", 11);
	P(2)->offset = sizeof(img) - 4;
	CHECK(refused("outside the file"), "PT_INTERP outside the file");
	dynamic(3, "/lib/ld.so", 11);
	E()->phnum = 4;
	memcpy(P(3), P(2), sizeof(struct ph));
	CHECK(refused("more than one"), "two PT_INTERPs refused");
	dynamic(3, "/lib/ld.so", 11);
	P(1)->memsz = PROC_BROKER_INTERP_BIAS - PROC_BROKER_MAIN_IMAGE_BIAS;
	CHECK(refused("interpreter's place"), "program reaching the "
	    "interpreter bias refused");
	/* The interpreter itself: an ET_DYN linked at 0. */
	pie(4);
	CHECK(lelf_parse_interp(img, sizeof(img), &out, &why) == 0 &&
	    out.bias == PROC_BROKER_INTERP_BIAS &&
	    out.seg[0].vaddr == PROC_BROKER_INTERP_BIAS &&
	    out.entry == PROC_BROKER_INTERP_BIAS + 0x100,
	    "interpreter placed at the interpreter bias (%s)", why);
	good();
	CHECK(interp_refused(-ELIBBAD, "not ET_DYN"), "ET_EXEC interpreter: "
	    "ELIBBAD");
	dynamic(3, "/lib/ld.so", 11);
	CHECK(interp_refused(-ELIBBAD, "PT_INTERP itself"),
	    "interpreter with a PT_INTERP: ELIBBAD");
	pie(4); img[0] = 'X';
	CHECK(interp_refused(-ELIBBAD, "magic"), "interpreter that is not "
	    "ELF: ELIBBAD");
	pie(4); P(0)->vaddr = 0x10000; P(1)->vaddr += 0x10000;
	E()->entry += 0x10000;
	CHECK(interp_refused(-ELIBBAD, "not at 0"), "interpreter not linked "
	    "at 0: ELIBBAD");
	CHECK(lelf_parse_interp(img, 63, &out, &why) == -EIO,
	    "interpreter shorter than an ELF header: EIO (as Linux)");
	CHECK(lelf_parse_interp(NULL, 0, &out, &why) == -EIO,
	    "empty interpreter: EIO");
	good(); E()->machine = 3;
	CHECK(refused("x86_64"), "other machine refused");
	good(); E()->phentsize = 32;
	CHECK(refused("e_phentsize"), "bad phentsize");
	good(); E()->phnum = 0;
	CHECK(refused("e_phnum"), "no program headers");
	good(); E()->phoff = sizeof(img) - 8;
	CHECK(refused("outside the file"), "program headers past the end");
	good(); E()->phoff = ~0ull - 8;
	CHECK(refused("outside the file"), "phoff overflow");
	good(); P(1)->type = 3;
	CHECK(refused("PT_INTERP"), "PT_INTERP that is not a path refused");
	good(); P(1)->type = 2;
	CHECK(refused("PT_DYNAMIC"), "PT_DYNAMIC refused");
	good(); P(1)->filesz = 0x4000;
	CHECK(refused("filesz > memsz"), "filesz > memsz");
	good(); P(1)->memsz = 0x10000; P(1)->filesz = 0x8000;
	CHECK(refused("outside the file"), "segment past the end of file");
	good(); P(1)->offset = ~0ull - 0x10;
	CHECK(refused("outside the file"), "segment offset overflow");
	good(); P(1)->vaddr = BASE + 0x3020;
	CHECK(refused("page-congruent"), "vaddr/offset not congruent");
	good(); P(0)->vaddr = 0x400000;
	CHECK(refused("user range"), "segment below the user range");
	good(); P(1)->vaddr = PROC_BROKER_USER_SPACE_END - 0x1000 + 0x10;
	CHECK(refused("user range"), "segment past the user range");
	good(); P(1)->vaddr = BASE + 0x1010;
	CHECK(refused("share a page"), "overlapping segments");
	good(); E()->entry = BASE + 0x3010;
	CHECK(refused("entry point"), "entry in a non-exec segment");
	good(); E()->phoff = 0x2010;
	memcpy(img + 0x2010, img + 64, 112);
	CHECK(lelf_parse(img, sizeof(img), &out, &why) == 0 &&
	    out.phdr == BASE + 0x3010, "phdr found through its PT_LOAD");
	good(); P(1)->type = 4; E()->phoff = 0x1f00;
	memcpy(img + 0x1f00, img + 64, 112);
	CHECK(refused("not mapped"), "unmapped program headers");
	CHECK(lelf_parse(NULL, 0, &out, &why) == -ENOEXEC, "NULL image");

	real_binary("services/procd/procd");
	real_binary("services/rootd/rootd");
	real_binary("services/initd/initd");
	real_dynamic();

	q = calloc(1, sizeof(*q));
	q->version = 1;
	q->op = 1;
	memcpy(q->exec_path, "/services/x/x.elf", 17);
	q->exec_path_len = 17;
	memcpy(q->argv, "x\0-v\0", 5);
	q->argv_len = 5;
	q->argc = 2;
	memcpy(q->envp, "A=1\0", 4);
	q->envp_len = 4;
	q->envc = 1;
	CHECK(loader_check_request(q, &why) == 0, "good request: %s", why);
	q->argc = 3;
	CHECK(loader_check_request(q, &why) == -EINVAL, "argc mismatch");
	q->argc = 2; q->argv_len = 4;
	CHECK(loader_check_request(q, &why) == -EINVAL, "argv not terminated");
	q->argv_len = 5000;
	CHECK(loader_check_request(q, &why) == -EINVAL, "argv_len too big");
	q->argv_len = 5; q->argc = 0; q->argv_len = 0;
	CHECK(loader_check_request(q, &why) == -EINVAL, "argc 0 refused");
	q->argc = 2; q->argv_len = 5; q->envc = 2;
	CHECK(loader_check_request(q, &why) == -EINVAL, "envc mismatch");
	q->envc = 1; q->exec_path_len = 0;
	CHECK(loader_check_request(q, &why) == -EINVAL, "empty path");
	q->exec_path_len = 300;
	CHECK(loader_check_request(q, &why) == -EINVAL, "path too long");
	memcpy(q->exec_path, "/services/../x", 14); q->exec_path_len = 14;
	CHECK(loader_check_request(q, &why) == -EINVAL, "dot-dot refused");
	memcpy(q->exec_path, "/services/..x", 13); q->exec_path_len = 13;
	CHECK(loader_check_request(q, &why) == 0, "..x is a name");
	memcpy(q->exec_path, "services/x", 10); q->exec_path_len = 10;
	CHECK(loader_check_request(q, &why) == -EINVAL, "relative path refused");
	memcpy(q->exec_path, "/a\0b", 4); q->exec_path_len = 4;
	CHECK(loader_check_request(q, &why) == -EINVAL, "NUL in path refused");
	/* An execve's path only names the image the kernel opened. */
	q->flags = LOADER_SPAWN_FLAG_EXEC;
	memcpy(q->exec_path, "sub/../x", 8); q->exec_path_len = 8;
	CHECK(loader_check_request(q, &why) == 0, "exec: a relative path "
	    "(resolved by the kernel and vfsd) is a name: %s", why);
	memcpy(q->exec_path, "x\0y", 3); q->exec_path_len = 3;
	CHECK(loader_check_request(q, &why) == -EINVAL, "exec: NUL in path "
	    "refused");
	memcpy(q->exec_path, "x", 1); q->exec_path_len = 1;
	q->flags = LOADER_SPAWN_FLAG_EXEC | LOADER_SPAWN_FLAG_NEW_SESSION;
	CHECK(loader_check_request(q, &why) == -EINVAL, "exec with a new "
	    "session refused");
	memcpy(q->exec_path, "/x", 2); q->exec_path_len = 2;
	q->flags = LOADER_SPAWN_FLAG_NEW_SESSION;
	CHECK(loader_check_request(q, &why) == 0, "a launch in a new session: "
	    "%s", why);
	q->flags = 1u << 3;
	CHECK(loader_check_request(q, &why) == -EINVAL, "unknown flag bit "
	    "refused");
	free(q);
	return tap_done();
}
