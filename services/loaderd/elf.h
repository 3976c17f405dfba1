/*
 * elf.h -- loaderd's ELF64 validation and build plan (pure; host
 * unit-tested).  Accepts only what docs/ai/bootstrap.md "Process build"
 * allows: static x86_64 ET_EXEC inside the user range or a static PIE
 * (ET_DYN, placed at PROC_BROKER_MAIN_IMAGE_BIAS), no PT_INTERP.
 */
#ifndef SERVICES_LOADERD_ELF_H
#define SERVICES_LOADERD_ELF_H

#include <stddef.h>
#include <stdint.h>

#define LELF_MAX_SEGMENTS	16
#define LELF_PAGE		4096ull

struct lelf_segment {
	uint64_t	page_start;	/* trunc(vaddr) */
	/* round(vaddr + filesz) - page_start; 0 when filesz is 0 */
	uint64_t	data_len;
	uint64_t	zero_len;	/* rest of the page range */
	uint64_t	vaddr, offset, filesz, memsz;
	uint32_t	flags;		/* PROC_BROKER_MAP_* */
};

struct lelf_image {
	uint64_t		entry;
	uint64_t		phdr, phnum, phent;
	uint64_t		brk_start;
	uint64_t		tls_vaddr, tls_filesz, tls_memsz, tls_align;
	uint64_t		stack_size;	/* 0: default; set by loaderd */
	size_t			nseg;
	struct lelf_segment	seg[LELF_MAX_SEGMENTS];
};

/*
 * Validate image (size bytes) and fill out.  Returns 0 or -ENOEXEC; *why
 * names the rule that failed.
 */
int lelf_parse(const void *image, size_t size, struct lelf_image *out,
    const char **why);
/* Build the data pages of segment s into buf (s->data_len bytes). */
void lelf_fill_data(const void *image, const struct lelf_segment *s, void *buf);

#endif /* SERVICES_LOADERD_ELF_H */
