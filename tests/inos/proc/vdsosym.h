/*
 * vdsosym.h -- find a symbol in the vDSO the kernel passed as
 * AT_SYSINFO_EHDR, the way a libc does: program headers, PT_DYNAMIC,
 * DT_SYMTAB/DT_STRTAB, the symbol count from DT_HASH (or DT_GNU_HASH),
 * and the version from DT_VERSYM/DT_VERDEF.  Shared by psuite's vdso
 * cases and psuite-child's "vdso" mode.  Checks what it reads, so a bad
 * vDSO is a test failure, not a crash of the checker.
 */
#ifndef PSUITE_VDSOSYM_H
#define PSUITE_VDSOSYM_H

#include <elf.h>
#include <stdint.h>
#include <string.h>
#include <sys/auxv.h>

/* Address of name@version in the vDSO, or NULL (why in *why). */
static void *
vdso_sym(const char *name, const char *version, const char **why)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)getauxval(AT_SYSINFO_EHDR);
	const Elf64_Phdr *ph;
	const Elf64_Dyn *dyn = NULL, *d;
	const Elf64_Sym *syms = NULL;
	const char *strs = NULL;
	const uint32_t *hash = NULL, *gnu = NULL;
	const uint16_t *versym = NULL;
	const Elf64_Verdef *verdef = NULL;
	uintptr_t base = 0;
	size_t nsym = 0, i;
	int have_load = 0;

	*why = "no AT_SYSINFO_EHDR";
	if (eh == NULL)
		return (NULL);
	*why = "bad ELF header";
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_type != ET_DYN ||
	    eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0)
		return (NULL);
	ph = (const Elf64_Phdr *)((const char *)eh + eh->e_phoff);
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && !have_load) {
			base = (uintptr_t)eh + ph[i].p_offset - ph[i].p_vaddr;
			have_load = 1;
		} else if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const Elf64_Dyn *)((const char *)eh +
			    ph[i].p_offset);
	}
	*why = "no PT_LOAD or PT_DYNAMIC";
	if (!have_load || dyn == NULL)
		return (NULL);
	for (d = dyn; d->d_tag != DT_NULL; d++) {
		uintptr_t a = base + d->d_un.d_ptr;

		switch (d->d_tag) {
		case DT_STRTAB: strs = (const char *)a; break;
		case DT_SYMTAB: syms = (const Elf64_Sym *)a; break;
		case DT_HASH: hash = (const uint32_t *)a; break;
		case DT_GNU_HASH: gnu = (const uint32_t *)a; break;
		case DT_VERSYM: versym = (const uint16_t *)a; break;
		case DT_VERDEF: verdef = (const Elf64_Verdef *)a; break;
		}
	}
	*why = "no DT_SYMTAB/DT_STRTAB or no hash table";
	if (strs == NULL || syms == NULL || (hash == NULL && gnu == NULL))
		return (NULL);
	if (hash != NULL)
		nsym = hash[1];
	else {
		/* GNU hash: past the highest bucket, walk its chain's end. */
		uint32_t nb = gnu[0], so = gnu[1], bw = gnu[2], k, max = 0;
		const uint32_t *buckets = gnu + 4 + bw * 2, *chain;

		for (k = 0; k < nb; k++)
			if (buckets[k] > max)
				max = buckets[k];
		chain = buckets + nb;
		if (max >= so)
			while (!(chain[max - so] & 1))
				max++;
		nsym = max + 1;
	}
	*why = "symbol not found";
	for (i = 1; i < nsym; i++) {
		const Elf64_Sym *s = &syms[i];
		unsigned t = ELF64_ST_TYPE(s->st_info);
		unsigned b = ELF64_ST_BIND(s->st_info);

		if ((t != STT_FUNC && t != STT_NOTYPE) ||
		    (b != STB_GLOBAL && b != STB_WEAK) ||
		    s->st_shndx == SHN_UNDEF || strcmp(strs + s->st_name,
		    name) != 0)
			continue;
		if (version != NULL) {
			const Elf64_Verdef *vd = verdef;
			uint16_t want;

			*why = "symbol without a version";
			if (versym == NULL || vd == NULL)
				return (NULL);
			want = versym[i] & 0x7fff;
			for (;;) {
				const Elf64_Verdaux *va;

				if (!(vd->vd_flags & VER_FLG_BASE) &&
				    vd->vd_ndx == want) {
					va = (const Elf64_Verdaux *)
					    ((const char *)vd + vd->vd_aux);
					if (strcmp(strs + va->vda_name,
					    version) == 0)
						break;
				}
				*why = "symbol with another version";
				if (vd->vd_next == 0)
					return (NULL);
				vd = (const Elf64_Verdef *)((const char *)vd +
				    vd->vd_next);
			}
		}
		*why = NULL;
		return ((void *)(base + s->st_value));
	}
	return (NULL);
}

#endif /* PSUITE_VDSOSYM_H */
