/*
 * pci.c -- PCI configuration space through the legacy mechanism #1 ports
 * (0xCF8 address, 0xCFC data) and a bus scan for a device by class.  Only
 * what the storage driver needs: dword reads/writes and a class search.
 */
#include <io-manager/api.h>
#include <nucleus-core/api.h>

#define PCI_CONFIG_ADDRESS	0xcf8
#define PCI_CONFIG_DATA		0xcfc

static inline void
outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t
inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return (v);
}

static uint32_t
pci_addr(const struct io_pci_loc *d, unsigned off)
{
	return (0x80000000u | ((uint32_t)d->bus << 16) |
	    ((uint32_t)d->dev << 11) | ((uint32_t)d->fn << 8) | (off & 0xfc));
}

uint32_t
io_pci_read32(const struct io_pci_loc *d, unsigned off)
{
	outl(PCI_CONFIG_ADDRESS, pci_addr(d, off));
	return (inl(PCI_CONFIG_DATA));
}

void
io_pci_write32(const struct io_pci_loc *d, unsigned off, uint32_t v)
{
	outl(PCI_CONFIG_ADDRESS, pci_addr(d, off));
	outl(PCI_CONFIG_DATA, v);
}

int
io_pci_find_class(uint8_t cls, uint8_t sub, uint8_t progif, unsigned nth,
    struct io_pci_loc *out)
{
	struct io_pci_loc d;
	uint32_t id, cc, hdr;
	unsigned bus, dev, fn, nfn, seen = 0;

	for (bus = 0; bus < 256; bus++) {
		for (dev = 0; dev < 32; dev++) {
			d.bus = (uint8_t)bus;
			d.dev = (uint8_t)dev;
			d.fn = 0;
			id = io_pci_read32(&d, 0);
			if ((id & 0xffff) == 0xffff)
				continue;
			hdr = io_pci_read32(&d, 0x0c);
			nfn = (hdr & 0x00800000u) != 0 ? 8 : 1;
			for (fn = 0; fn < nfn; fn++) {
				d.fn = (uint8_t)fn;
				id = io_pci_read32(&d, 0);
				if ((id & 0xffff) == 0xffff)
					continue;
				cc = io_pci_read32(&d, 0x08);
				if ((cc >> 24) != cls ||
				    ((cc >> 16) & 0xff) != sub ||
				    ((cc >> 8) & 0xff) != progif)
					continue;
				if (seen++ == nth) {
					d.vendor = (uint16_t)(id & 0xffff);
					d.device = (uint16_t)(id >> 16);
					*out = d;
					return (0);
				}
			}
		}
	}
	return (-NC_ENODEV);
}
