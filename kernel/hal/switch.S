/*
 * switch.S -- kernel context switch and stack switch.
 *
 * hal_context_switch(old_sp, new_sp): push the callee-saved registers on the
 * current stack, store rsp in *old_sp, load new_sp, pop and return into the
 * other thread.  A new thread's stack (hal_context_init) holds zeroed
 * registers and returns into hal_thread_start, which calls entry(arg) with
 * rbp = 0 so backtraces end there.
 */
	.text
	.globl hal_context_switch
hal_context_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	mov %rsp, (%rdi)
	mov %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

	/* r12 = entry, r13 = arg (set up by hal_context_init). */
	.globl hal_thread_start
hal_thread_start:
	xor %rbp, %rbp
	mov %r13, %rdi
	call *%r12
	ud2

	/* hal_stack_switch(top, fn, arg) */
	.globl hal_stack_switch
hal_stack_switch:
	mov %rdi, %rsp
	xor %rbp, %rbp
	mov %rdx, %rdi
	call *%rsi
	ud2

	.section .note.GNU-stack, "", @progbits
