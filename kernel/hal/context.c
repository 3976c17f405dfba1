/*
 * context.c -- the initial stack of a new kernel thread (see switch.S) and
 * the boot stack entry.S runs kernel_main on until the stack switch.
 */
#include <hal/api.h>

extern void hal_thread_start(void);

uintptr_t
hal_context_init(uintptr_t stack_top, void (*entry)(void *), void *arg)
{
	uint64_t *sp;

	stack_top &= ~(uintptr_t)15;
	/*
	 * From the top: one pad word, the return address into
	 * hal_thread_start (so it runs with rsp 16-byte aligned before its
	 * call), then rbp rbx r12 r13 r14 r15 as hal_context_switch pops them.
	 */
	sp = (uint64_t *)(stack_top - 24);
	sp[0] = (uint64_t)hal_thread_start;
	sp -= 6;
	sp[0] = 0;			/* r15 */
	sp[1] = 0;			/* r14 */
	sp[2] = (uint64_t)arg;		/* r13 */
	sp[3] = (uint64_t)entry;	/* r12 */
	sp[4] = 0;			/* rbx */
	sp[5] = 0;			/* rbp */
	return ((uintptr_t)sp);
}

/* The stack entry.S runs kernel_main on until the stack switch. */
uint8_t hal_boot_stack[16384] __attribute__((aligned(16)));
__asm__(".globl hal_boot_stack_top\n"
    ".set hal_boot_stack_top, hal_boot_stack + 16384");
