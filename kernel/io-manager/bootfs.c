/*
 * bootfs.c -- the read-only boot file system: the Multiboot2 modules GRUB
 * loaded beside the kernel (each signature-checked by GRUB), named by their
 * module string, an absolute path such as /services/rootd/rootd.elf.  The
 * bytes stay where GRUB put them (the frame allocator reserves them) and
 * are read through the direct map.  Entries with a relative or over-long
 * name are skipped with a warning.
 */
#include <io-manager/api.h>
#include <mm/api.h>
#include <nucleus-core/api.h>

static unsigned nentries;
static const struct mm_module *entries[MM_MAX_MODULES];

void
io_bootfs_init(void)
{
	unsigned i;

	for (i = 0; i < mm_boot_info.nmodules; i++) {
		const struct mm_module *m = &mm_boot_info.modules[i];

		if (m->name[0] != '/') {
			nc_warn(BOOT, "bootfs: module %u \"%s\" has no absolute "
			    "path; skipped", i, m->name);
			continue;
		}
		entries[nentries++] = m;
	}
	if (mm_boot_info.ignored_modules > 0)
		nc_warn(BOOT, "bootfs: %u malformed or excess modules ignored",
		    mm_boot_info.ignored_modules);
	nc_info(BOOT, "bootfs: %u files from boot modules", nentries);
}

unsigned
io_bootfs_count(void)
{
	return (nentries);
}

int
io_bootfs_lookup(const char *path, size_t len)
{
	unsigned i;

	for (i = 0; i < nentries; i++)
		if (strlen(entries[i]->name) == len &&
		    memcmp(entries[i]->name, path, len) == 0)
			return ((int)i);
	return (-NC_ENOENT);
}

int
io_bootfs_entry(unsigned idx, const char **name, const uint8_t **data,
    uint64_t *size)
{
	if (idx >= nentries)
		return (-NC_ENOENT);
	if (name != NULL)
		*name = entries[idx]->name;
	if (data != NULL)
		*data = mm_phys_to_virt(entries[idx]->start);
	if (size != NULL)
		*size = entries[idx]->end - entries[idx]->start;
	return (0);
}
