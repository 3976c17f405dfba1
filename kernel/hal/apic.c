/*
 * apic.c -- legacy 8259 PIC off, the local APIC (enabled, spurious vector
 * 0xff, EOI) and the I/O APIC (every redirection entry masked; devices
 * route their own IRQs when they appear).
 */
#include <hal/api.h>
#include <hal/internal.h>
#include <nucleus-core/api.h>

#define LAPIC_ID	0x020
#define LAPIC_VERSION	0x030
#define LAPIC_TPR	0x080
#define LAPIC_EOI	0x0b0
#define LAPIC_SVR	0x0f0

volatile uint32_t *hal_lapic_regs;
static volatile uint32_t *ioapic_regs;
static uint32_t ioapic_base, ioapic_entries;

void
hal_pic_disable(void)
{
	/* Remap to 0x20/0x28 first so a stray IRQ cannot look like a fault. */
	hal_outb(0x20, 0x11);
	hal_outb(0xa0, 0x11);
	hal_outb(0x21, 0x20);
	hal_outb(0xa1, 0x28);
	hal_outb(0x21, 0x04);
	hal_outb(0xa1, 0x02);
	hal_outb(0x21, 0x01);
	hal_outb(0xa1, 0x01);
	hal_outb(0x21, 0xff);
	hal_outb(0xa1, 0xff);
}

static inline uint32_t
lapic_read(unsigned reg)
{
	return (hal_lapic_regs[reg / 4]);
}

static inline void
lapic_write(unsigned reg, uint32_t v)
{
	hal_lapic_regs[reg / 4] = v;
	(void)hal_lapic_regs[LAPIC_ID / 4];
}

uint32_t
hal_lapic_reg_read(unsigned reg)
{
	return (lapic_read(reg));
}

void
hal_lapic_reg_write(unsigned reg, uint32_t v)
{
	lapic_write(reg, v);
}

int
hal_lapic_init(void *lapic_virt)
{
	uint64_t base;
	uint32_t lo, hi;

	if (lapic_virt == NULL)
		return (-NC_ENODEV);
	/* IA32_APIC_BASE: make sure the APIC is globally enabled. */
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0x1b));
	base = (uint64_t)hi << 32 | lo;
	if ((base & (1 << 11)) == 0) {
		base |= 1 << 11;
		__asm__ volatile("wrmsr" : : "a"((uint32_t)base),
		    "d"((uint32_t)(base >> 32)), "c"(0x1b));
	}
	hal_lapic_regs = lapic_virt;
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_SVR, 0x100 | HAL_VEC_SPURIOUS);
	nc_info(BOOT, "lapic: id %u version 0x%x enabled",
	    lapic_read(LAPIC_ID) >> 24, lapic_read(LAPIC_VERSION) & 0xff);
	return (0);
}

void
hal_lapic_eoi(void)
{
	if (hal_lapic_regs != NULL)
		lapic_write(LAPIC_EOI, 0);
}

int
hal_ioapic_init(void *ioapic_virt, uint32_t gsi_base)
{
	volatile uint32_t *io = ioapic_virt;
	unsigned n, i;

	if (io == NULL)
		return (-NC_ENODEV);
	io[0] = 1;			/* IOAPICVER */
	n = ((io[4] >> 16) & 0xff) + 1;
	if (n > 240) {
		nc_error(BOOT, "ioapic: implausible %u redirection entries", n);
		return (-NC_EINVAL);
	}
	for (i = 0; i < n; i++) {
		io[0] = 0x10 + 2 * i;
		io[4] = 1 << 16;	/* masked */
		io[0] = 0x10 + 2 * i + 1;
		io[4] = 0;
	}
	ioapic_regs = io;
	ioapic_base = gsi_base;
	ioapic_entries = n;
	nc_info(BOOT, "ioapic: gsi %u..%u masked", gsi_base, gsi_base + n - 1);
	return (0);
}

int
hal_ioapic_route(uint32_t gsi, uint8_t vector)
{
	volatile uint32_t *io = ioapic_regs;
	uint32_t i;
	bool on;

	if (io == NULL || hal_lapic_regs == NULL)
		return (-NC_ENODEV);
	if (gsi < ioapic_base || gsi - ioapic_base >= ioapic_entries ||
	    vector < 32)
		return (-NC_EINVAL);
	i = gsi - ioapic_base;
	on = hal_irq_save();
	/* High dword first (destination: this CPU's APIC id), then unmask. */
	io[0] = 0x10 + 2 * i + 1;
	io[4] = (lapic_read(LAPIC_ID) >> 24) << 24;
	io[0] = 0x10 + 2 * i;
	io[4] = vector;		/* fixed, physical, edge, active high */
	hal_irq_restore(on);
	return (0);
}
