/*
 * fwcfg.c -- QEMU fw_cfg through the legacy I/O ports (selector 0x510,
 * data 0x511; no DMA): signature check and reading a file by name from the
 * file directory (selector 0x19; big-endian entries of size, select, name).
 */
#include <hal/api.h>
#include <nucleus-core/api.h>

#define FWCFG_SEL	0x510
#define FWCFG_DATA	0x511
#define FWCFG_SIGNATURE	0x0000
#define FWCFG_FILE_DIR	0x0019
#define FWCFG_NAME_MAX	56

static void
fwcfg_select(uint16_t key)
{
	hal_outw(FWCFG_SEL, key);
}

static void
fwcfg_read(void *buf, size_t n)
{
	uint8_t *p = buf;

	while (n-- > 0)
		*p++ = hal_inb(FWCFG_DATA);
}

static uint32_t
be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3]);
}

bool
hal_fwcfg_present(void)
{
	char sig[4];

	fwcfg_select(FWCFG_SIGNATURE);
	fwcfg_read(sig, sizeof(sig));
	return (memcmp(sig, "QEMU", 4) == 0);
}

long
hal_fwcfg_read_file(const char *name, char *buf, size_t cap)
{
	uint8_t hdr[4], ent[64];
	uint32_t count, i, size;
	uint16_t sel;

	if (cap == 0 || !hal_fwcfg_present())
		return (-NC_ENODEV);
	fwcfg_select(FWCFG_FILE_DIR);
	fwcfg_read(hdr, sizeof(hdr));
	count = be32(hdr);
	/* A sane directory is small; a huge count means garbage. */
	if (count > 4096)
		return (-NC_EIO);
	for (i = 0; i < count; i++) {
		fwcfg_read(ent, sizeof(ent));
		ent[8 + FWCFG_NAME_MAX - 1] = '\0';
		if (strcmp((const char *)ent + 8, name) != 0)
			continue;
		size = be32(ent);
		sel = (uint16_t)(ent[4] << 8 | ent[5]);
		fwcfg_select(sel);
		fwcfg_read(buf, size < cap - 1 ? size : cap - 1);
		buf[size < cap - 1 ? size : cap - 1] = '\0';
		return ((long)size);
	}
	return (-NC_ENOENT);
}
