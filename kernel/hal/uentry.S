/*
 * uentry.S -- the user/kernel boundary: the `syscall` entry, the common
 * return to user mode, and the user-memory copy whose only faulting
 * instruction is listed for the page-fault fixup (hal/user.c).
 *
 * One CPU: the entry saves the user rsp in a global and loads the current
 * task's kernel stack top (hal_syscall_kstack, kept equal to TSS.rsp0 by
 * hal_set_kernel_stack), so no swapgs is needed; SFMASK clears IF, so no
 * interrupt can run before the frame is complete.  The frame built is a
 * struct hal_trap_frame (vector HAL_VEC_SYSCALL), and every return to user
 * mode leaves through iretq (first entry, interrupts, odd frames), or
 * sysretq after a syscall when hal_syscall_dispatch has checked that the
 * frame is one sysret restores exactly (user rip, rcx = rip, r11 =
 * rflags): a non-canonical rip never reaches sysret.
 */
	.text
	.globl hal_syscall_entry
hal_syscall_entry:
	movq %rsp, hal_syscall_user_rsp(%rip)
	movq hal_syscall_kstack(%rip), %rsp
	pushq $0x1b			/* user ss: UDATA | 3 */
	pushq hal_syscall_user_rsp(%rip)
	pushq %r11			/* user rflags */
	pushq $0x23			/* user cs: UCODE | 3 */
	pushq %rcx			/* user rip */
	pushq $0			/* error */
	pushq $0x100			/* vector: HAL_VEC_SYSCALL */
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
	xor %rbp, %rbp
	mov %rsp, %rdi
	call hal_syscall_dispatch
	/*
	 * Nonzero: the frame allows sysretq (rip a user address equal to
	 * rcx, rflags sanitized and equal to r11, user cs/ss).  Otherwise
	 * leave through iretq.
	 */
	test %eax, %eax
	jz hal_enter_user_frame
	cli
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
	/* vector, error, rip, cs, rflags above; then rsp, ss. */
	movq 40(%rsp), %rsp
	sysretq

	/* hal_enter_user(tf): rsp = tf, restore and iretq (IRQs off). */
	.globl hal_enter_user
hal_enter_user_frame:
	cli
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

hal_enter_user:
	cli
	mov %rdi, %rsp
	jmp hal_enter_user_frame

	/*
	 * long hal_copy_user_raw(void *dst, const void *src, size_t n):
	 * 0, or -14 (EFAULT) when a move faulted (the page-fault handler
	 * moves rip from hal_copy_user_ip or hal_copy_user_ip2 to
	 * hal_copy_user_fixup, or resumes the rep after demand paging).
	 * Eight bytes per step, then the tail: TCG runs a rep string
	 * instruction one element at a time.
	 */
	.globl hal_copy_user_raw
	.globl hal_copy_user_ip
	.globl hal_copy_user_ip2
	.globl hal_copy_user_fixup
hal_copy_user_raw:
	mov %rdx, %rcx
	shr $3, %rcx
hal_copy_user_ip:
	rep movsq
	mov %rdx, %rcx
	and $7, %rcx
hal_copy_user_ip2:
	rep movsb
	xor %eax, %eax
	ret
hal_copy_user_fixup:
	mov $-14, %rax
	ret

	.data
	.balign 8
	.globl hal_syscall_kstack
hal_syscall_user_rsp:	.quad 0
hal_syscall_kstack:	.quad 0

	.section .note.GNU-stack, "", @progbits
