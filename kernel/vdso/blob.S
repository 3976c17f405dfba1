/*
 * blob.S -- vdso.so (built from kernel/vdso/vdso.c by kernel/local.mk) as
 * bytes inside nucleus.elf, between vdso_image_start and vdso_image_end.
 * VDSO_IMAGE is the path of the built vdso.so, given by the rule.
 */
	.section .rodata
	.balign 4096
	.globl vdso_image_start, vdso_image_end
vdso_image_start:
	.incbin VDSO_IMAGE
vdso_image_end:
	.section .note.GNU-stack, "", @progbits
