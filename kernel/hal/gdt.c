/*
 * gdt.c -- the kernel GDT (kernel/user code and data, one TSS) and the TSS
 * whose IST1 stack serves double faults and NMIs, so a kernel stack
 * overflow still reaches the panic handler.
 */
#include <hal/api.h>
#include <hal/internal.h>

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

static uint64_t gdt[7];
static struct tss tss;
static uint8_t ist_df_stack[4 * 4096] __attribute__((aligned(16)));
static uint8_t ist_nmi_stack[4096] __attribute__((aligned(16)));

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

void
hal_gdt_init(void)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;
	struct desc_ptr p;

	gdt[0] = 0;
	gdt[HAL_SEL_KCODE >> 3] = 0x00af9a000000ffffULL;
	gdt[HAL_SEL_KDATA >> 3] = 0x00cf92000000ffffULL;
	gdt[HAL_SEL_UDATA >> 3] = 0x00cff2000000ffffULL;
	gdt[HAL_SEL_UCODE >> 3] = 0x00affa000000ffffULL;
	/* 16-byte available 64-bit TSS descriptor. */
	gdt[HAL_SEL_TSS >> 3] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
	    (0x89ULL << 40) | (((limit >> 16) & 0xf) << 48) |
	    (((base >> 24) & 0xff) << 56);
	gdt[(HAL_SEL_TSS >> 3) + 1] = base >> 32;
	tss.ist[HAL_IST_DF - 1] = (uint64_t)(ist_df_stack + sizeof(ist_df_stack));
	tss.ist[HAL_IST_NMI - 1] = (uint64_t)(ist_nmi_stack +
	    sizeof(ist_nmi_stack));
	tss.iomap_base = sizeof(tss);

	p.limit = sizeof(gdt) - 1;
	p.base = (uint64_t)gdt;
	__asm__ volatile(
	    "lgdt %0\n\t"
	    "mov %1, %%ds\n\t"
	    "mov %1, %%es\n\t"
	    "mov %1, %%ss\n\t"
	    "pushq %2\n\t"
	    "leaq 1f(%%rip), %%rax\n\t"
	    "pushq %%rax\n\t"
	    "lretq\n"
	    "1:\n\t"
	    "ltr %w3"
	    : : "m"(p), "r"((uint64_t)HAL_SEL_KDATA), "i"(HAL_SEL_KCODE),
	      "r"((uint16_t)HAL_SEL_TSS) : "rax", "memory");
}

void
hal_tss_set_rsp0(uint64_t rsp0)
{
	tss.rsp[0] = rsp0;
}
