/*
 * acpi.c -- RSDP (from the Multiboot2 ACPI tag) → RSDT/XSDT → MADT: the
 * local APIC address, the I/O APIC and the CPU count.  Every table's
 * signature, length and checksum is validated before use; a bad table is
 * reported and refused.
 */
#include <hal/api.h>
#include <nucleus-core/api.h>

struct rsdp {
	char sig[8];
	uint8_t checksum;
	char oem[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
	uint8_t xchecksum;
	uint8_t reserved[3];
} __attribute__((packed));

struct sdt {
	char sig[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem[6];
	char oem_table[8];
	uint32_t oem_rev;
	uint32_t creator;
	uint32_t creator_rev;
} __attribute__((packed));

static uint8_t
sum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	while (n-- > 0)
		s += *b++;
	return (s);
}

static const struct sdt *
map_table(void *(*p2v)(uint64_t), uint64_t phys, const char *want)
{
	const struct sdt *t;

	if (phys == 0)
		return (NULL);
	t = p2v(phys);
	if (t->length < sizeof(*t) || t->length > 1024 * 1024) {
		nc_error(BOOT, "acpi: table %.4s at 0x%lx has bad length %u",
		    t->sig, phys, t->length);
		return (NULL);
	}
	if (want != NULL && memcmp(t->sig, want, 4) != 0)
		return (NULL);
	if (sum(t, t->length) != 0) {
		nc_error(BOOT, "acpi: table %.4s at 0x%lx has a bad checksum",
		    t->sig, phys);
		return (NULL);
	}
	return (t);
}

static int
parse_madt(const struct sdt *madt, struct hal_acpi_info *out)
{
	const uint8_t *p = (const uint8_t *)madt + sizeof(*madt) + 8;
	const uint8_t *end = (const uint8_t *)madt + madt->length;

	if (madt->length < sizeof(*madt) + 8)
		return (-NC_EINVAL);
	out->lapic_phys = *(const uint32_t *)((const uint8_t *)madt +
	    sizeof(*madt));
	while (p + 2 <= end) {
		uint8_t type = p[0], len = p[1];

		if (len < 2 || p + len > end) {
			nc_error(BOOT, "acpi: MADT entry type %u has bad "
			    "length %u", type, len);
			return (-NC_EINVAL);
		}
		switch (type) {
		case 0:		/* processor local APIC */
			if (len >= 8 && (p[4] & 1) != 0)
				out->cpu_count++;
			break;
		case 1:		/* I/O APIC */
			if (len >= 12) {
				if (out->ioapic_count == 0) {
					out->ioapic_phys =
					    *(const uint32_t *)(p + 4);
					out->ioapic_gsi_base =
					    *(const uint32_t *)(p + 8);
				}
				out->ioapic_count++;
			}
			break;
		case 2:		/* interrupt source override */
			out->iso_count++;
			break;
		case 5:		/* 64-bit local APIC address override */
			if (len >= 12)
				out->lapic_phys = *(const uint64_t *)(p + 4);
			break;
		}
		p += len;
	}
	return (0);
}

int
hal_acpi_init(const void *rsdp_copy, size_t len, void *(*p2v)(uint64_t),
    struct hal_acpi_info *out)
{
	const struct rsdp *r = rsdp_copy;
	const struct sdt *root, *madt = NULL;
	size_t n, i, esz;

	memset(out, 0, sizeof(*out));
	if (r == NULL || len < 20 || memcmp(r->sig, "RSD PTR ", 8) != 0) {
		nc_error(BOOT, "acpi: no valid RSDP from the boot loader");
		return (-NC_ENODEV);
	}
	if (sum(r, 20) != 0) {
		nc_error(BOOT, "acpi: RSDP checksum is bad");
		return (-NC_EINVAL);
	}
	if (r->revision >= 2 && len >= sizeof(*r) && r->xsdt != 0 &&
	    sum(r, sizeof(*r)) == 0) {
		root = map_table(p2v, r->xsdt, "XSDT");
		esz = 8;
	} else {
		root = map_table(p2v, r->rsdt, "RSDT");
		esz = 4;
	}
	if (root == NULL) {
		nc_error(BOOT, "acpi: no valid RSDT/XSDT");
		return (-NC_EINVAL);
	}
	n = (root->length - sizeof(*root)) / esz;
	for (i = 0; i < n && madt == NULL; i++) {
		const uint8_t *e = (const uint8_t *)root + sizeof(*root) +
		    i * esz;
		uint64_t phys = esz == 8 ? *(const uint64_t *)e :
		    *(const uint32_t *)e;

		madt = map_table(p2v, phys, "APIC");
	}
	if (madt == NULL) {
		nc_error(BOOT, "acpi: no valid MADT");
		return (-NC_ENODEV);
	}
	if (parse_madt(madt, out) != 0)
		return (-NC_EINVAL);
	nc_info(BOOT, "acpi: rev %u %s, lapic 0x%lx, %u cpu(s), ioapic 0x%x "
	    "gsi %u, %u override(s)", r->revision, esz == 8 ? "XSDT" : "RSDT",
	    out->lapic_phys, out->cpu_count, out->ioapic_phys,
	    out->ioapic_gsi_base, out->iso_count);
	return (0);
}
