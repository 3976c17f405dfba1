/*
 * main.c -- the boot order of nucleus.elf (contract, boot-and-services.md):
 *
 *   disable interrupts → boot trace init → GDT → IDT → paging →
 *   higher-half jump → stack switch → executive bootstrap
 *
 * hal/entry.S has already done what only assembly can: it entered long
 * mode on boot page tables that map the first 1 GiB twice (identity and
 * higher half) and jumped to kernel_main in the higher half on the boot
 * stack.  Each step below prints its boot trace marker (kernel/README.md).
 */
#include <hal/api.h>
#include <mm/api.h>
#include <nucleus-core/api.h>
#include <executive/api.h>

static struct ex_boot_args boot_args;

__attribute__((noreturn)) void kernel_main(uint32_t magic, uint32_t info);

void
kernel_main(uint32_t magic, uint32_t info)
{
	/* 1. Interrupts stay off until the executive has an IDT, APIC, timer. */
	hal_cli();

	/* 2. Boot trace: consoles, log ring; the test flags (port I/O only). */
	nc_boot_trace_init();
	ex_read_test_flags();

	/* 3. GDT with the TSS and its IST stacks. */
	hal_gdt_init();
	nc_boot_stage("gdt");

	/* 4. IDT: every exception reaches the [PANIC] handler. */
	hal_idt_init();
	nc_boot_stage("idt");

	/* 5. Paging: direct map, W^X kernel image, boot tables replaced. */
	mm_paging_init(magic, info);
	nc_boot_stage("paging");

	/* 6. Higher half: the identity map is gone; we run above KERNEL_VMA. */
	if (!mm_higher_half_only())
		nc_panic("paging: still on the identity map after the switch");
	nc_boot_stage("higher-half");

	/*
	 * 7. Stack switch onto the guarded main stack, 8. executive bootstrap
	 * (its first act is the "stack-switch" marker, from the new stack).
	 */
	boot_args.mb2_magic = magic;
	boot_args.mb2_info_phys = info;
	hal_stack_switch(mm_main_stack_top(), ex_bootstrap, &boot_args);
}
