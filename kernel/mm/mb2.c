/*
 * mb2.c -- walk and validate the Multiboot2 boot information.  Pure code
 * (host-tested): every tag size and the memory map's entry size are checked
 * against the block's total size before use.  Malformed or unexpected map
 * entries are skipped and counted; unknown tags are ignored; a block with
 * no memory map, no end tag or impossible sizes is refused with a reason.
 */
#include <mm/api.h>

#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_MMAP		6
#define MB2_TAG_MODULE		3
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15
#define MB2_MMAP_AVAILABLE	1
#define MB2_INFO_MAX		(1024 * 1024)

static uint32_t
rd32(const uint8_t *p)
{
	uint32_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return (v);
}

static uint64_t
rd64(const uint8_t *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return (v);
}

/* Insert a page-aligned range keeping ram[] sorted; merges are not needed. */
static void
add_ram(struct mm_boot_info *out, uint64_t base, uint64_t len)
{
	uint64_t end = base + len;
	unsigned i, j;

	base = (base + MM_PAGE_SIZE - 1) & ~(MM_PAGE_SIZE - 1);
	end &= ~(MM_PAGE_SIZE - 1);
	if (end <= base)
		return;
	if (out->nram == MM_MAX_REGIONS) {
		out->ignored_entries++;
		return;
	}
	for (i = 0; i < out->nram && out->ram[i].base < base; i++)
		;
	for (j = out->nram; j > i; j--)
		out->ram[j] = out->ram[j - 1];
	out->ram[i].base = base;
	out->ram[i].len = end - base;
	out->nram++;
}

static int
parse_mmap(const uint8_t *tag, uint32_t size, struct mm_boot_info *out,
    const char **why)
{
	uint32_t esz, off;

	if (size < 16) {
		*why = "memory map tag is shorter than its header";
		return (-22);
	}
	esz = rd32(tag + 8);
	if (esz < 24 || esz % 8 != 0) {
		*why = "memory map entry size is not a multiple of 8 >= 24";
		return (-22);
	}
	for (off = 16; off + esz <= size; off += esz) {
		uint64_t base = rd64(tag + off), len = rd64(tag + off + 8);
		uint32_t type = rd32(tag + off + 16);

		if (len == 0 || base + len < base) {
			out->ignored_entries++;
			continue;
		}
		if (base + len > out->max_phys)
			out->max_phys = base + len;
		if (type == MB2_MMAP_AVAILABLE)
			add_ram(out, base, len);
	}
	return (0);
}

int
mm_mb2_parse(const void *info, size_t avail, struct mm_boot_info *out,
    const char **why)
{
	const uint8_t *p = info;
	uint32_t total, off;
	bool have_mmap = false, have_end = false;
	int rc;

	__builtin_memset(out, 0, sizeof(*out));
	*why = "ok";
	if (avail < 16) {
		*why = "boot information block is too small";
		return (-22);
	}
	total = rd32(p);
	if (total < 16 || total > avail || total > MB2_INFO_MAX) {
		*why = "boot information total_size is out of range";
		return (-22);
	}
	out->info_len = total;
	for (off = 8; off + 8 <= total;) {
		uint32_t type = rd32(p + off), size = rd32(p + off + 4);

		if (size < 8 || size > total - off) {
			*why = "a tag's size runs past the boot information";
			return (-22);
		}
		switch (type) {
		case MB2_TAG_END:
			have_end = true;
			break;
		case MB2_TAG_MMAP:
			if ((rc = parse_mmap(p + off, size, out, why)) != 0)
				return (rc);
			have_mmap = true;
			break;
		case MB2_TAG_MODULE: {
			uint32_t ms, me, n;
			struct mm_module *m;

			if (size < 17 || out->nmodules == MM_MAX_MODULES) {
				out->ignored_modules++;
				break;
			}
			ms = rd32(p + off + 8);
			me = rd32(p + off + 12);
			if (me < ms) {
				out->ignored_modules++;
				break;
			}
			m = &out->modules[out->nmodules++];
			m->start = ms;
			m->end = me;
			n = size - 16;
			if (n >= sizeof(m->name))
				n = sizeof(m->name) - 1;
			__builtin_memcpy(m->name, p + off + 16, n);
			m->name[n] = '\0';
			break;
		}
		case MB2_TAG_CMDLINE: {
			uint32_t n = size - 8;

			if (n >= sizeof(out->cmdline))
				n = sizeof(out->cmdline) - 1;
			__builtin_memcpy(out->cmdline, p + off + 8, n);
			out->cmdline[n] = '\0';
			break;
		}
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW:
			/* Prefer the new (ACPI 2.0+) RSDP when both appear. */
			if (out->rsdp_len == 0 || type == MB2_TAG_ACPI_NEW) {
				uint32_t n = size - 8;

				if (n > sizeof(out->rsdp))
					n = sizeof(out->rsdp);
				__builtin_memcpy(out->rsdp, p + off + 8, n);
				out->rsdp_len = n;
			}
			break;
		default:
			break;
		}
		if (have_end)
			break;
		off += (size + 7) & ~7U;
	}
	if (!have_end) {
		*why = "boot information has no end tag";
		return (-22);
	}
	if (!have_mmap) {
		*why = "boot information has no memory map";
		return (-2);
	}
	if (out->nram == 0) {
		*why = "memory map lists no available RAM";
		return (-12);
	}
	return (0);
}
