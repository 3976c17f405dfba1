/*
 * note.S -- the vDSO's ELF note: name "Linux", type 0 (LINUX_VERSION_CODE
 * in Linux's own vDSO), the kernel release the uname call reports (6.1.0).
 */
	.section .note.Linux, "a", @note
	.balign 4
	.long 6
	.long 4
	.long 0
	.asciz "Linux"
	.balign 4
	.long 0x060100
	.balign 4
	.section .note.GNU-stack, "", @progbits
