/*
 * elf.h -- loaderd's ELF64 validation and build plan (pure; host
 * unit-tested).  Accepts only what docs/ai/bootstrap.md "Process build"
 * allows: x86_64 ET_EXEC inside the user range or a PIE (ET_DYN, placed
 * at PROC_BROKER_MAIN_IMAGE_BIAS), either static or naming a PT_INTERP
 * interpreter, which is an ET_DYN placed at PROC_BROKER_INTERP_BIAS.
 */
#ifndef SERVICES_LOADERD_ELF_H
#define SERVICES_LOADERD_ELF_H

#include <stddef.h>
#include <stdint.h>

#define LELF_MAX_SEGMENTS	16
#define LELF_PAGE		4096ull
/* PT_INTERP: an absolute path and its NUL, at most this many bytes. */
#define LELF_INTERP_MAX		4096	/* Linux PATH_MAX */

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
	uint64_t		bias;		/* added to every vaddr */
	size_t			nseg;
	struct lelf_segment	seg[LELF_MAX_SEGMENTS];
	/* The PT_INTERP path (NUL-terminated), "" for a static program. */
	char			interp[LELF_INTERP_MAX];
};

/*
 * Validate image (size bytes) and fill out.  Returns 0 or -ENOEXEC; *why
 * names the rule that failed.  With a PT_INTERP, out->interp names the
 * interpreter and every PT_LOAD must end below PROC_BROKER_INTERP_BIAS.
 */
int lelf_parse(const void *image, size_t size, struct lelf_image *out,
    const char **why);
/*
 * Validate a PT_INTERP interpreter: ET_DYN, its lowest PT_LOAD at vaddr
 * 0 (AT_BASE is then where its first page lies), no PT_INTERP of its
 * own; placed at PROC_BROKER_INTERP_BIAS.  Returns 0, -EIO (shorter
 * than an ELF header, as Linux) or -ELIBBAD (anything else), *why.
 */
int lelf_parse_interp(const void *image, size_t size, struct lelf_image *out,
    const char **why);
/* Build the data pages of segment s into buf (s->data_len bytes). */
void lelf_fill_data(const void *image, const struct lelf_segment *s, void *buf);

#endif /* SERVICES_LOADERD_ELF_H */
