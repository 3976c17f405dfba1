/*
 * elf.c -- validation of an ELF64 ET_EXEC image for the kernel's own
 * loader (rootd, SPAWN_EXEC), pure and host-tested (tests/unit/kuser-elf).
 * The rules are docs/ai/bootstrap.md's (the ones loaderd applies): magic,
 * ELFCLASS64, little endian, EV_CURRENT, ET_EXEC, EM_X86_64, phentsize 56,
 * 1..64 program headers inside the file, no PT_INTERP; each PT_LOAD with
 * filesz <= memsz, memsz > 0, file bytes inside the file, vaddr and offset
 * congruent mod 4096, its page range inside [lo, hi) and disjoint from the
 * other PT_LOADs' page ranges; the entry inside a PT_LOAD.  Nothing is
 * read outside [img, img + size).
 */
#include <ps/internal.h>

#define PT_LOAD		1
#define PT_INTERP	3
#define PT_PHDR		6
#define PAGE		4096ULL

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

int
ps_elf_check(const uint8_t *img, uint64_t size, uint64_t lo, uint64_t hi,
    struct ps_elf_info *out)
{
	struct elf64_ehdr eh;
	struct elf64_phdr ph;
	struct ps_elf_seg *sg;
	unsigned i, j;
	bool entry_ok = false;

	__builtin_memset(out, 0, sizeof(*out));
	if (img == NULL || size < sizeof(eh))
		return (-PS_ENOEXEC);
	__builtin_memcpy(&eh, img, sizeof(eh));
	if (__builtin_memcmp(eh.ident, "\177ELF", 4) != 0 ||
	    eh.ident[4] != 2 || eh.ident[5] != 1 || eh.ident[6] != 1 ||
	    eh.type != 2 || eh.machine != 62 || eh.version != 1 ||
	    eh.phentsize != sizeof(ph) || eh.phnum < 1 ||
	    eh.phnum > PS_ELF_MAX_PHDRS || eh.phoff > size ||
	    (uint64_t)eh.phnum * sizeof(ph) > size - eh.phoff)
		return (-PS_ENOEXEC);
	for (i = 0; i < eh.phnum; i++) {
		__builtin_memcpy(&ph, img + eh.phoff + i * sizeof(ph),
		    sizeof(ph));
		if (ph.type == PT_INTERP)
			return (-PS_ENOEXEC);
		if (ph.type == PT_PHDR)
			out->phdr = ph.vaddr;
		if (ph.type != PT_LOAD)
			continue;
		if (ph.filesz > ph.memsz || ph.memsz == 0 || ph.offset > size ||
		    ph.filesz > size - ph.offset ||
		    ph.vaddr % PAGE != ph.offset % PAGE ||
		    ph.vaddr < lo || ph.vaddr > hi || ph.memsz > hi - ph.vaddr)
			return (-PS_ENOEXEC);
		sg = &out->seg[out->nload];
		sg->vaddr = ph.vaddr;
		sg->offset = ph.offset;
		sg->filesz = ph.filesz;
		sg->memsz = ph.memsz;
		sg->flags = ph.flags;
		sg->lo = ph.vaddr & ~(PAGE - 1);
		sg->hi = (ph.vaddr + ph.memsz + PAGE - 1) & ~(PAGE - 1);
		if (sg->hi > hi)
			return (-PS_ENOEXEC);
		for (j = 0; j < out->nload; j++)
			if (sg->lo < out->seg[j].hi && out->seg[j].lo < sg->hi)
				return (-PS_ENOEXEC);
		if (sg->hi > out->brk)
			out->brk = sg->hi;
		if (out->phdr == 0 && eh.phoff >= ph.offset &&
		    eh.phoff < ph.offset + ph.filesz)
			out->phdr = ph.vaddr + (eh.phoff - ph.offset);
		if (eh.entry >= ph.vaddr && eh.entry - ph.vaddr < ph.memsz)
			entry_ok = true;
		out->nload++;
	}
	if (out->nload == 0 || !entry_ok)
		return (-PS_ENOEXEC);
	out->entry = eh.entry;
	out->phnum = eh.phnum;
	out->phent = eh.phentsize;
	return (0);
}
