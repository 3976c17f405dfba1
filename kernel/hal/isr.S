/*
 * isr.S -- the 256 interrupt entry stubs and their common path.  Each stub
 * makes the frame uniform (a zero error code where the CPU pushes none, the
 * vector), the common path saves all general registers as struct
 * hal_trap_frame (hal/api.h) and calls hal_trap_dispatch().
 */
	.text

.macro ISR_STUB vec
	.balign 16
isr_\vec:
	.if (\vec == 8) || (\vec == 10) || (\vec == 11) || (\vec == 12) || (\vec == 13) || (\vec == 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
	.else
	pushq $0
	.endif
	pushq $\vec
	jmp isr_common
.endm

.altmacro
.macro ISR_STUBS from, to
	ISR_STUB %(\from)
	.if \to-\from
	ISR_STUBS %(\from+1), \to
	.endif
.endm

	ISR_STUBS 0, 63
	ISR_STUBS 64, 127
	ISR_STUBS 128, 191
	ISR_STUBS 192, 255

isr_common:
	cld
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	mov %rsp, %rdi
	call hal_trap_dispatch
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	add $16, %rsp
	iretq

.macro ISR_ADDR vec
	.quad isr_\vec
.endm
.macro ISR_ADDRS from, to
	ISR_ADDR %(\from)
	.if \to-\from
	ISR_ADDRS %(\from+1), \to
	.endif
.endm

	.section .rodata
	.balign 8
	.globl hal_isr_table
hal_isr_table:
	ISR_ADDRS 0, 63
	ISR_ADDRS 64, 127
	ISR_ADDRS 128, 191
	ISR_ADDRS 192, 255

	.section .note.GNU-stack, "", @progbits
