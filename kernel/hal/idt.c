/*
 * idt.c -- the IDT (all 256 vectors through isr.S), trap dispatch and the
 * panic path: every CPU exception is fatal in the kernel core and prints
 * "[PANIC]" with vector, error code, CR2, all registers and a frame-pointer
 * backtrace.
 */
#include <hal/api.h>
#include <hal/internal.h>
#include <nucleus-core/api.h>

struct idt_entry {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t zero;
} __attribute__((packed));

static struct idt_entry idt[256];
static hal_irq_handler_t irq_handlers[256];

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range", "invalid opcode", "device not available",
	"double fault", "coprocessor overrun", "invalid TSS",
	"segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 error", "alignment check",
	"machine check", "SIMD error", "virtualization", "control protection",
	"reserved", "reserved", "reserved", "reserved", "reserved", "reserved",
	"hypervisor injection", "VMM communication", "security", "reserved",
};

void
hal_idt_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) p;
	unsigned v;

	for (v = 0; v < 256; v++) {
		uint64_t a = hal_isr_table[v];

		idt[v].off_lo = a & 0xffff;
		idt[v].sel = HAL_SEL_KCODE;
		idt[v].ist = v == 8 ? HAL_IST_DF : v == 2 ? HAL_IST_NMI : 0;
		/* Present interrupt gates; int3 may be raised from ring 3. */
		idt[v].type = v == 3 ? 0xee : 0x8e;
		idt[v].off_mid = (a >> 16) & 0xffff;
		idt[v].off_hi = a >> 32;
		idt[v].zero = 0;
	}
	p.limit = sizeof(idt) - 1;
	p.base = (uint64_t)idt;
	__asm__ volatile("lidt %0" : : "m"(p));
}

void
hal_irq_register(unsigned vector, hal_irq_handler_t fn)
{
	if (vector < 32 || vector > 255)
		nc_panic("hal_irq_register: vector %u is not an interrupt",
		    vector);
	irq_handlers[vector] = fn;
}

void
hal_trap_dispatch(struct hal_trap_frame *tf)
{
	unsigned v = (unsigned)tf->vector;

	if (v < 32) {
		/* User-mode faults end the process, never the kernel. */
		if ((tf->cs & 3) != 0)
			hal_user_trap(tf);
		else if (hal_user_fixup(tf))
			return;
		hal_panic_frame(tf, "exception %u (%s)", v, exception_names[v]);
	}
	if (v == HAL_VEC_SPURIOUS)
		;
	else if (irq_handlers[v] != NULL)
		irq_handlers[v](tf);
	else {
		nc_warn(BOOT, "unexpected interrupt vector %u ignored", v);
		hal_lapic_eoi();
	}
	if ((tf->cs & 3) != 0)
		hal_user_return(tf);
}

void
hal_backtrace(uint64_t rbp)
{
	unsigned depth;

	nc_kprintf("[PANIC] backtrace:\n");
	for (depth = 0; depth < 32 && rbp != 0; depth++) {
		uint64_t *fp = (uint64_t *)rbp;

		/* Only follow frames in the upper half (image, direct map). */
		if (rbp < 0xffff800000000000UL || (rbp & 7) != 0)
			break;
		nc_kprintf("[PANIC]   #%u %p\n", depth, (void *)fp[1]);
		if (fp[0] <= rbp)
			break;
		rbp = fp[0];
	}
}

static volatile int panicking;

void
hal_panic_frame(const struct hal_trap_frame *tf, const char *fmt, ...)
{
	char reason[200];
	va_list ap;
	uint64_t rbp;

	hal_cli();
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST) != 0) {
		/* Panic while panicking: stop without printing more. */
		if (hal_exit_on_panic)
			hal_qemu_exit(HAL_EXIT_FAILURE);
		hal_halt_forever();
	}
	va_start(ap, fmt);
	nc_vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	nc_kprintf("\n[PANIC] %s\n", reason);
	if (tf != NULL) {
		nc_kprintf("[PANIC] vector=%llu error=0x%llx cr2=0x%llx\n",
		    (unsigned long long)tf->vector,
		    (unsigned long long)tf->error,
		    (unsigned long long)hal_read_cr2());
		nc_kprintf("[PANIC] rip=%016lx cs=%04lx rflags=%08lx "
		    "rsp=%016lx ss=%04lx\n", tf->rip, tf->cs, tf->rflags,
		    tf->rsp, tf->ss);
		nc_kprintf("[PANIC] rax=%016lx rbx=%016lx rcx=%016lx "
		    "rdx=%016lx\n", tf->rax, tf->rbx, tf->rcx, tf->rdx);
		nc_kprintf("[PANIC] rsi=%016lx rdi=%016lx rbp=%016lx\n",
		    tf->rsi, tf->rdi, tf->rbp);
		nc_kprintf("[PANIC] r8=%016lx r9=%016lx r10=%016lx "
		    "r11=%016lx\n", tf->r8, tf->r9, tf->r10, tf->r11);
		nc_kprintf("[PANIC] r12=%016lx r13=%016lx r14=%016lx "
		    "r15=%016lx\n", tf->r12, tf->r13, tf->r14, tf->r15);
		nc_kprintf("[PANIC] cr3=%016lx\n", hal_read_cr3());
		nc_kprintf("[PANIC]   #rip %p\n", (void *)tf->rip);
		hal_backtrace(tf->rbp);
	} else {
		__asm__ volatile("mov %%rbp, %0" : "=r"(rbp));
		nc_kprintf("[PANIC] cr2=0x%lx cr3=%016lx\n", hal_read_cr2(),
		    hal_read_cr3());
		hal_backtrace(rbp);
	}
	nc_kprintf("[PANIC] system halted\n");
	if (hal_exit_on_panic)
		hal_qemu_exit(HAL_EXIT_FAILURE);
	hal_halt_forever();
}
