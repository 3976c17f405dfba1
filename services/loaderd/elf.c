/*
 * elf.c -- ELF64 header and program-header validation for loaderd.  Every
 * offset and size is checked against the file before it is used; the plan
 * it produces never overlaps two segments' pages and stays inside
 * [PROC_BROKER_USER_SPACE_BASE, PROC_BROKER_USER_SPACE_END).
 *
 * Two kinds of executables: static ET_EXEC linked inside the user range,
 * and static PIE (ET_DYN with no PT_INTERP, e.g. `gcc -static-pie`): it
 * relocates itself at start-up (glibc's _dl_relocate_static_pie, musl's
 * rcrt1), so it is placed at PROC_BROKER_MAIN_IMAGE_BIAS and every
 * address of its headers is moved by that bias before the same checks.
 * A static PIE is how a Linux toolchain's static program gets above the
 * 512 GiB user base: libc.a's non-PIC code cannot be linked there.
 *
 * A dynamic program (PT_INTERP: a PIE, or an ET_EXEC linked inside the
 * user range) is placed the same way; its interpreter (ld.so, an ET_DYN
 * linked at 0) goes to PROC_BROKER_INTERP_BIAS, so the program must end
 * below that.  A usual `gcc` ET_EXEC at 0x400000 stays refused.
 */
#include <errno.h>
#include <string.h>

#include <rustos/proc_broker.h>

#include "services/loaderd/elf.h"

#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PT_INTERP	3
#define PT_PHDR		6
#define PT_TLS		7
#define PF_X		1
#define PF_W		2
#define PF_R		4

struct ehdr {
	unsigned char	ident[16];
	uint16_t	type, machine;
	uint32_t	version;
	uint64_t	entry, phoff, shoff;
	uint32_t	flags;
	uint16_t	ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
	uint32_t	type, flags;
	uint64_t	offset, vaddr, paddr, filesz, memsz, align;
};

#define FAIL(msg)	do { *why = (msg); return -ENOEXEC; } while (0)

/* What is being parsed: a program, or the interpreter it names. */
enum role { ROLE_PROGRAM, ROLE_INTERP };

static uint64_t
trunc_pg(uint64_t v)
{
	return v & ~(LELF_PAGE - 1);
}

static uint64_t
round_pg(uint64_t v)
{
	return (v + LELF_PAGE - 1) & ~(LELF_PAGE - 1);
}

/* The PT_INTERP path into out->interp: NUL-terminated, absolute. */
static int
take_interp(const unsigned char *img, size_t size, const struct phdr *ph,
    struct lelf_image *out, const char **why)
{
	if (ph->filesz < 2 || ph->filesz > LELF_INTERP_MAX)
		FAIL("PT_INTERP path length out of range");
	if (ph->offset > size || ph->filesz > size - ph->offset)
		FAIL("PT_INTERP outside the file");
	/* As Linux: the last byte is a NUL; the path ends at the first. */
	memcpy(out->interp, img + ph->offset, ph->filesz);
	if (out->interp[ph->filesz - 1] != '\0') {
		out->interp[0] = '\0';
		FAIL("PT_INTERP path not NUL-terminated");
	}
	if (out->interp[0] != '/') {
		out->interp[0] = '\0';
		FAIL("PT_INTERP path not absolute");
	}
	return 0;
}

static int
parse(const void *image, size_t size, struct lelf_image *out,
    const char **why, enum role role)
{
	const unsigned char *img = image;
	struct ehdr eh;
	struct phdr ph;
	uint64_t end, i, j, bias = 0, lo = ~0ull, place;
	int have_phdr = 0, ninterp = 0, dynamic = 0;

	*why = "ok";
	memset(out, 0, sizeof(*out));
	if (image == NULL || size < sizeof(eh))
		FAIL("file shorter than the ELF header");
	memcpy(&eh, img, sizeof(eh));
	if (memcmp(eh.ident, "\177ELF", 4) != 0)
		FAIL("bad ELF magic");
	if (eh.ident[4] != 2)
		FAIL("not ELFCLASS64");
	if (eh.ident[5] != 1)
		FAIL("not little-endian");
	if (eh.ident[6] != 1 || eh.version != 1)
		FAIL("bad ELF version");
	if (eh.type != 2 && eh.type != 3)
		FAIL("not ET_EXEC or a static PIE (ET_DYN)");
	if (eh.machine != 62)
		FAIL("not x86_64");
	if (eh.phentsize != sizeof(ph))
		FAIL("e_phentsize is not 56");
	if (eh.phnum == 0 || eh.phnum > 64)
		FAIL("e_phnum out of range (1..64)");
	if (eh.phoff > size || (uint64_t)eh.phnum * sizeof(ph) > size - eh.phoff)
		FAIL("program headers outside the file");
	for (i = 0; i < eh.phnum; i++) {
		memcpy(&ph, img + eh.phoff + i * sizeof(ph), sizeof(ph));
		if (ph.type == PT_LOAD && ph.memsz != 0 && ph.vaddr < lo)
			lo = ph.vaddr;
		if (ph.type == PT_INTERP)
			ninterp++;
	}
	if (role == ROLE_INTERP && eh.type != 3)
		FAIL("interpreter is not ET_DYN");
	if (role == ROLE_INTERP && ninterp != 0)
		FAIL("interpreter has a PT_INTERP itself");
	if (ninterp > 1)
		FAIL("more than one PT_INTERP");
	if (eh.type == 3) {
		/* PIE: its lowest page goes to the image's place. */
		place = role == ROLE_INTERP ? PROC_BROKER_INTERP_BIAS :
		    PROC_BROKER_MAIN_IMAGE_BIAS;
		if (role == ROLE_INTERP && trunc_pg(lo) != 0)
			FAIL("interpreter's lowest PT_LOAD is not at 0");
		if (lo > PROC_BROKER_USER_SPACE_END -
		    PROC_BROKER_USER_SPACE_BASE)
			FAIL("PIE PT_LOAD addresses out of range");
		bias = place - trunc_pg(lo);
	}
	out->bias = bias;
	out->entry = eh.entry + bias;
	out->phnum = eh.phnum;
	out->phent = sizeof(ph);
	for (i = 0; i < eh.phnum; i++) {
		memcpy(&ph, img + eh.phoff + i * sizeof(ph), sizeof(ph));
		if (bias != 0 && ph.vaddr > PROC_BROKER_USER_SPACE_END -
		    PROC_BROKER_USER_SPACE_BASE)
			FAIL("PIE addresses out of range");
		ph.vaddr += bias;
		switch (ph.type) {
		case PT_INTERP:
			if (take_interp(img, size, &ph, out, why) < 0)
				return -ENOEXEC;
			break;
		case PT_DYNAMIC:
			dynamic = 1;
			break;
		case PT_PHDR:
			out->phdr = ph.vaddr;
			have_phdr = 1;
			break;
		case PT_TLS:
			if (ph.filesz > ph.memsz || ph.offset > size ||
			    ph.filesz > size - ph.offset)
				FAIL("bad PT_TLS");
			out->tls_vaddr = ph.vaddr;
			out->tls_filesz = ph.filesz;
			out->tls_memsz = ph.memsz;
			out->tls_align = ph.align;
			break;
		case PT_LOAD: {
			struct lelf_segment *s;

			if (ph.memsz == 0)
				break;
			if (out->nseg == LELF_MAX_SEGMENTS)
				FAIL("too many PT_LOAD segments");
			if (ph.filesz > ph.memsz)
				FAIL("PT_LOAD filesz > memsz");
			if (ph.offset > size || ph.filesz > size - ph.offset)
				FAIL("PT_LOAD outside the file");
			if ((ph.vaddr & (LELF_PAGE - 1)) !=
			    (ph.offset & (LELF_PAGE - 1)))
				FAIL("PT_LOAD vaddr and offset not page-congruent");
			if (ph.vaddr < PROC_BROKER_USER_SPACE_BASE ||
			    ph.vaddr >= PROC_BROKER_USER_SPACE_END ||
			    ph.memsz > PROC_BROKER_USER_SPACE_END - ph.vaddr)
				FAIL("PT_LOAD outside the user range");
			s = &out->seg[out->nseg++];
			s->vaddr = ph.vaddr;
			s->offset = ph.offset;
			s->filesz = ph.filesz;
			s->memsz = ph.memsz;
			s->page_start = trunc_pg(ph.vaddr);
			s->data_len = ph.filesz == 0 ? 0 :
			    round_pg(ph.vaddr + ph.filesz) - s->page_start;
			s->zero_len = round_pg(ph.vaddr + ph.memsz) -
			    s->page_start - s->data_len;
			s->flags = PROC_BROKER_MAP_PRIVATE |
			    (ph.flags & PF_R ? PROC_BROKER_MAP_READ : 0) |
			    (ph.flags & PF_W ? PROC_BROKER_MAP_WRITE : 0) |
			    (ph.flags & PF_X ? PROC_BROKER_MAP_EXEC : 0);
			end = round_pg(ph.vaddr + ph.memsz);
			if (end > out->brk_start)
				out->brk_start = end;
			/* The program headers live in the segment mapping them. */
			if (!have_phdr && eh.phoff >= ph.offset &&
			    eh.phoff < ph.offset + ph.filesz)
				out->phdr = ph.vaddr + (eh.phoff - ph.offset);
			break;
		}
		default:
			break;
		}
	}
	/* A static PIE relocates itself, ld.so the rest; ET_EXEC must not. */
	if (dynamic && eh.type != 3 && ninterp == 0)
		FAIL("PT_DYNAMIC in a static executable");
	if (out->nseg == 0)
		FAIL("no PT_LOAD segment");
	if (ninterp != 0 && out->brk_start > PROC_BROKER_INTERP_BIAS)
		FAIL("program reaches the interpreter's place");
	for (i = 0; i < out->nseg; i++)
		for (j = i + 1; j < out->nseg; j++) {
			const struct lelf_segment *a = &out->seg[i], *b = &out->seg[j];
			uint64_t ae = a->page_start + a->data_len + a->zero_len;
			uint64_t be = b->page_start + b->data_len + b->zero_len;

			if (a->page_start < be && b->page_start < ae)
				FAIL("PT_LOAD segments share a page");
		}
	for (i = 0; i < out->nseg; i++) {
		const struct lelf_segment *s = &out->seg[i];

		if (out->entry >= s->vaddr && out->entry < s->vaddr + s->memsz &&
		    (s->flags & PROC_BROKER_MAP_EXEC))
			break;
	}
	if (i == out->nseg)
		FAIL("entry point not in an executable segment");
	if (out->phdr == 0)
		FAIL("program headers not mapped by any PT_LOAD");
	return 0;
}

int
lelf_parse(const void *image, size_t size, struct lelf_image *out,
    const char **why)
{
	return parse(image, size, out, why, ROLE_PROGRAM);
}

int
lelf_parse_interp(const void *image, size_t size, struct lelf_image *out,
    const char **why)
{
	int r;

	if (size < sizeof(struct ehdr)) {
		memset(out, 0, sizeof(*out));
		*why = "interpreter shorter than the ELF header";
		return -EIO;
	}
	r = parse(image, size, out, why, ROLE_INTERP);
	return r < 0 ? -ELIBBAD : 0;
}

void
lelf_fill_data(const void *image, const struct lelf_segment *s, void *buf)
{
	uint64_t lead = s->vaddr - s->page_start;

	memset(buf, 0, s->data_len);
	memcpy((unsigned char *)buf + lead, (const unsigned char *)image +
	    s->offset, s->filesz);
}
