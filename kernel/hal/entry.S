/*
 * entry.S -- Multiboot2 header and the 32-bit entry of nucleus.elf.
 *
 * GRUB enters _start in 32-bit protected mode, paging off, EAX = Multiboot2
 * magic, EBX = physical address of the boot information.  This code does
 * only what C cannot: interrupts off, a 64-bit GDT, boot page tables that
 * identity-map the first 4 GiB (so C can read the boot information wherever
 * GRUB put it below 4 GiB) and map the first 1 GiB again at KERNEL_VMA,
 * all with 2 MiB pages, long
 * mode, the jump to the higher half and the switch to the boot stack.
 * kernel/main.c then runs the boot order proper.  If the CPU lacks long
 * mode, a message goes to the debug console and the CPU halts.
 */
#define KERNEL_VMA	0xffffffff80000000
#define MB2_MAGIC	0xe85250d6
#define MB2_ARCH	0

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + MB2_ARCH + (mb2_header_end - mb2_header))
	/* end tag */
	.balign 8
	.short 0
	.short 0
	.long 8
mb2_header_end:

	.section .boot.bss, "aw", @nobits
	.balign 4096
boot_pml4:	.skip 4096
boot_pdpt_lo:	.skip 4096
boot_pdpt_hi:	.skip 4096
boot_pd:	.skip 4 * 4096
boot_stack32:	.skip 1024
boot_stack32_top:
boot_bss_end:

	.section .boot.data, "aw"
	.balign 16
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit kernel code */
	.quad 0x00cf92000000ffff	/* 0x10: kernel data */
boot_gdt_end:
boot_gdtr:
	.short boot_gdt_end - boot_gdt - 1
	.long boot_gdt
boot_nolm_msg:
	.asciz "[PANIC] nucleus: CPU has no long mode\n"

	.section .boot.text, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	mov $boot_stack32_top, %esp
	mov %eax, %edi			/* magic: first C argument */
	mov %ebx, %esi			/* info: second C argument */

	/* Zero the boot page tables (GRUB zeroes bss, but do not rely on it). */
	push %edi
	mov $boot_pml4, %edi
	mov $(7 * 4096 / 4), %ecx
	xor %eax, %eax
	rep stosl
	pop %edi

	/* Long mode available? (CPUID 0x80000001 EDX bit 29) */
	mov $0x80000000, %eax
	cpuid
	cmp $0x80000001, %eax
	jb no_long_mode
	mov $0x80000001, %eax
	cpuid
	bt $29, %edx
	jnc no_long_mode

	/* 4 PDs: 2048 x 2 MiB present, writable, large = 0..4 GiB. */
	mov $boot_pd, %ebx
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $0x83, %eax
	mov %eax, (%ebx, %ecx, 8)
	inc %ecx
	cmp $2048, %ecx
	jne 1b

	mov $boot_pd, %eax
	or $0x3, %eax
	mov %eax, boot_pdpt_hi + 510 * 8
	xor %ecx, %ecx
2:	mov %eax, boot_pdpt_lo(, %ecx, 8)
	add $4096, %eax
	inc %ecx
	cmp $4, %ecx
	jne 2b
	mov $boot_pdpt_lo, %eax
	or $0x3, %eax
	mov %eax, boot_pml4
	mov $boot_pdpt_hi, %eax
	or $0x3, %eax
	mov %eax, boot_pml4 + 511 * 8

	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov %cr4, %eax
	or $(1 << 5), %eax		/* PAE */
	mov %eax, %cr4
	mov $0xc0000080, %ecx		/* EFER */
	rdmsr
	or $((1 << 8) | (1 << 11)), %eax	/* LME, NXE */
	wrmsr
	mov %cr0, %eax
	or $((1 << 31) | (1 << 16) | 1), %eax	/* PG, WP, PE */
	mov %eax, %cr0

	lgdt boot_gdtr
	ljmp $0x08, $long_mode_low

no_long_mode:
	mov $boot_nolm_msg, %esi
5:	lodsb
	test %al, %al
	jz 3f
	outb %al, $0xe9
	jmp 5b
3:	hlt
	jmp 3b

	.code64
long_mode_low:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %ax, %ax
	mov %ax, %fs
	mov %ax, %gs
	movabs $long_mode_high, %rax
	jmp *%rax

	.text
long_mode_high:
	/* Zero .bss (it holds the boot stack, so before using it). */
	mov %rdi, %r12
	mov %rsi, %r13
	movabs $__bss_start, %rdi
	movabs $__bss_end, %rcx
	sub %rdi, %rcx
	xor %eax, %eax
	rep stosb
	movabs $hal_boot_stack_top, %rsp
	xor %rbp, %rbp			/* backtraces end here */
	mov %r12, %rdi
	mov %r13, %rsi
	call kernel_main
4:	cli
	hlt
	jmp 4b

	.section .note.GNU-stack, "", @progbits
