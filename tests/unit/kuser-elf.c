/*
 * kuser-elf.c -- host test of kernel/ps/elf.c (ps_elf_check): a valid
 * two-segment ET_EXEC image passes with the right entry, phdr, brk and page
 * ranges, every single broken rule of docs/ai/bootstrap.md is refused with
 * -ENOEXEC, and 20000 seeded random mutations of the valid image never
 * pass with a segment outside the allowed range (nor read past the
 * buffer: run it under ASan/valgrind to see that too).  TAP output.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ps/internal.h"

#define LO	(1ULL << 39)
#define HI	((2ULL << 39) - (64ULL << 20))
#define BASE	(LO + 0x400000)

struct ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static uint8_t img[16384];
static int n, failed;

static void
ok(int cond, const char *name)
{
	n++;
	if (!cond)
		failed++;
	printf("%s %d - %s\n", cond ? "ok" : "not ok", n, name);
}

static struct ehdr *
eh(void)
{
	return ((struct ehdr *)img);
}

static struct phdr *
ph(int i)
{
	return ((struct phdr *)(img + 64 + i * 56));
}

/* text RX at BASE (file 0..8192), data RW at BASE+0x3000 (+ bss). */
static void
build(void)
{
	memset(img, 0, sizeof(img));
	memcpy(eh()->ident, "\177ELF", 4);
	eh()->ident[4] = 2;
	eh()->ident[5] = 1;
	eh()->ident[6] = 1;
	eh()->type = 2;
	eh()->machine = 62;
	eh()->version = 1;
	eh()->entry = BASE + 0x100;
	eh()->phoff = 64;
	eh()->phentsize = 56;
	eh()->phnum = 2;
	*ph(0) = (struct phdr){ 1, 5, 0, BASE, BASE, 8192, 8192, 4096 };
	*ph(1) = (struct phdr){ 1, 6, 8192 + 0x10, BASE + 0x3010,
	    BASE + 0x3010, 100, 9000, 4096 };
}

static int
check(void)
{
	static struct ps_elf_info info;

	return (ps_elf_check(img, sizeof(img), LO, HI, &info));
}

int
main(void)
{
	static struct ps_elf_info info;
	uint64_t seed = 0x1234567;
	int i, rc, bad_pass = 0;
	unsigned j;

	build();
	rc = ps_elf_check(img, sizeof(img), LO, HI, &info);
	ok(rc == 0, "valid image accepted");
	ok(info.entry == BASE + 0x100 && info.phnum == 2 && info.phent == 56,
	    "entry, phnum, phent");
	ok(info.phdr == BASE + 64, "phdr from the PT_LOAD holding e_phoff");
	ok(info.nload == 2 && info.seg[1].lo == BASE + 0x3000 &&
	    info.seg[1].hi == BASE + 0x6000, "page range of the data segment");
	ok(info.brk == BASE + 0x6000, "brk at the end of the highest range");

#define BROKEN(what, stmt) do { build(); stmt; \
	ok(check() == -PS_ENOEXEC, "refused: " what); } while (0)
	BROKEN("bad magic", img[1] = 'X');
	BROKEN("ELFCLASS32", img[4] = 1);
	BROKEN("big endian", img[5] = 2);
	BROKEN("bad EI_VERSION", img[6] = 0);
	BROKEN("ET_DYN", eh()->type = 3);
	BROKEN("not x86-64", eh()->machine = 3);
	BROKEN("e_phentsize 32", eh()->phentsize = 32);
	BROKEN("no program headers", eh()->phnum = 0);
	BROKEN("65 program headers", eh()->phnum = 65);
	BROKEN("headers past the end", eh()->phoff = sizeof(img) - 60);
	BROKEN("phoff huge", eh()->phoff = ~0ULL - 8);
	BROKEN("PT_INTERP", ph(1)->type = 3);
	BROKEN("filesz > memsz", ph(1)->filesz = 10000);
	BROKEN("file bytes past the end", ph(1)->offset = sizeof(img) - 50);
	BROKEN("offset overflow", ph(1)->offset = ~0ULL);
	BROKEN("vaddr/offset not congruent", ph(1)->vaddr += 8);
	BROKEN("segment below the user range", ph(0)->vaddr = 0x400000);
	BROKEN("segment past the user range", ph(1)->memsz = HI);
	BROKEN("memsz wraps", ph(1)->memsz = ~0ULL - 0x1000);
	BROKEN("overlapping page ranges", ph(1)->vaddr = BASE + 0x1010);
	BROKEN("memsz 0", ph(1)->memsz = 0);
	BROKEN("entry outside the PT_LOADs", eh()->entry = BASE + 0x10000);
	BROKEN("no PT_LOAD", ph(0)->type = 4; ph(1)->type = 4);
	ok(ps_elf_check(img, 40, LO, HI, &info) == -PS_ENOEXEC,
	    "refused: file shorter than the header");
	ok(ps_elf_check(NULL, 0, LO, HI, &info) == -PS_ENOEXEC,
	    "refused: no image");

	/* Random byte mutations in the headers never yield a bad pass. */
	for (i = 0; i < 20000; i++) {
		build();
		for (j = 0; j < 4; j++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			img[(seed >> 33) % (64 + 2 * 56)] = (uint8_t)(seed >> 17);
		}
		if (ps_elf_check(img, sizeof(img), LO, HI, &info) != 0)
			continue;
		for (j = 0; j < info.nload; j++)
			if (info.seg[j].lo < LO || info.seg[j].hi > HI ||
			    info.seg[j].offset + info.seg[j].filesz > sizeof(img))
				bad_pass++;
	}
	ok(bad_pass == 0, "20000 mutated images: no accepted segment out of range");
	printf("1..%d\n", n);
	return (failed != 0);
}
