/*
 * hal/api.h -- hardware abstraction layer: CPU control, port I/O, console
 * ports (COM1, debugcon), descriptor tables, traps, ACPI/APIC, timers,
 * QEMU fw_cfg, context and stack switching.  The only header other
 * subsystems may include from hal/.
 */
#ifndef KERNEL_HAL_API_H
#define KERNEL_HAL_API_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define KERNEL_VMA		0xffffffff80000000UL
#define HAL_PAGE_SIZE		4096UL

/* Port I/O and CPU primitives. */
static inline void hal_outb(uint16_t port, uint8_t v)
{ __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void hal_outw(uint16_t port, uint16_t v)
{ __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t hal_inb(uint16_t port)
{ uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline void hal_cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void hal_sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void hal_hlt(void) { __asm__ volatile("hlt" ::: "memory"); }
static inline void hal_pause(void) { __asm__ volatile("pause" ::: "memory"); }
static inline uint64_t hal_rdtsc(void)
{ uint32_t lo, hi; __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)); return ((uint64_t)hi << 32) | lo; }
static inline uint64_t hal_read_cr2(void)
{ uint64_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint64_t hal_read_cr3(void)
{ uint64_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline void hal_write_cr3(uint64_t v)
{ __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline uint64_t hal_read_rflags(void)
{ uint64_t f; __asm__ volatile("pushfq; popq %0" : "=r"(f)); return f; }
/* Disable interrupts and return whether they were enabled. */
static inline bool hal_irq_save(void)
{ bool on = (hal_read_rflags() & 0x200) != 0; hal_cli(); return on; }
static inline void hal_irq_restore(bool on) { if (on) hal_sti(); }
static inline void hal_invlpg(uintptr_t va)
{ __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory"); }

/* Consoles: COM1 115200 8N1 and the QEMU debug console (port 0xe9). */
void	hal_serial_init(void);
void	hal_serial_write(const char *s, size_t n);	/* "\n" -> "\r\n" */
void	hal_serial_write_raw(const char *s, size_t n);
void	hal_debugcon_write(const char *s, size_t n);
void	hal_debugcon_line(const char *s, size_t n);	/* at a line start */
/*
 * COM1 input: enable the receive interrupt (IRQ 4 -> HAL_VEC_COM1); notify
 * runs in interrupt context after bytes arrived.  Returns 0, or -errno
 * when the interrupt cannot be routed (then only hal_serial_poll fills
 * the ring).  hal_serial_poll moves the UART's bytes into the ring and
 * returns how many; hal_serial_read takes up to cap bytes out of it.
 */
#define HAL_VEC_COM1		0x24
#define HAL_GSI_COM1		4	/* ISA IRQ 4; no override on q35/PC */
int	hal_serial_rx_init(void (*notify)(void));
/*
 * Set while a console session owns COM1 (tty.c): structured log lines
 * (the kernel's and services') go to the debug console only, so they do
 * not interleave with the session; markers and [PANIC] stay on both.
 */
extern volatile bool hal_serial_logs_quiet;
unsigned hal_serial_poll(void);
size_t	hal_serial_read(uint8_t *buf, size_t cap);

/* Descriptor tables. */
void	hal_gdt_init(void);
void	hal_idt_init(void);

/* The register state pushed by the trap stubs (isr.S). */
struct hal_trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

#define HAL_VEC_TIMER		32
#define HAL_VEC_SPURIOUS	0xff

/* Interrupt (non-exception) handler for a vector; called with IRQs off. */
typedef void (*hal_irq_handler_t)(struct hal_trap_frame *);
void	hal_irq_register(unsigned vector, hal_irq_handler_t fn);

/*
 * Print "[PANIC] <reason>" with registers and a backtrace on both consoles,
 * then end the run (test mode: isa-debug-exit failure) or halt.
 */
__attribute__((noreturn, format(printf, 2, 3)))
void	hal_panic_frame(const struct hal_trap_frame *tf, const char *fmt, ...);
/* Print a frame-pointer backtrace starting at rbp. */
void	hal_backtrace(uint64_t rbp);

/* isa-debug-exit: 0x10 -> QEMU exit 33 (success), 0x11 -> 35 (failure). */
#define HAL_EXIT_SUCCESS	0x10
#define HAL_EXIT_FAILURE	0x11
void	hal_qemu_exit(uint8_t code);
/* Whether a failure/panic should end QEMU (set when the test flag "exit"). */
extern bool hal_exit_on_panic;

__attribute__((noreturn)) void hal_halt_forever(void);

/* Call fn(arg) on a new stack; never returns. */
__attribute__((noreturn))
void	hal_stack_switch(uintptr_t stack_top, void (*fn)(void *), void *arg);
/* Save callee-saved state on this stack into *old_sp, resume new_sp. */
void	hal_context_switch(uintptr_t *old_sp, uintptr_t new_sp);
/* Build the initial stack of a thread so switching to it calls entry(arg). */
uintptr_t hal_context_init(uintptr_t stack_top, void (*entry)(void *), void *arg);

/* ACPI + APIC (phys_to_virt maps a physical address through the direct map). */
struct hal_acpi_info {
	uint64_t lapic_phys;
	uint32_t ioapic_phys;
	uint32_t ioapic_gsi_base;
	unsigned cpu_count;
	unsigned ioapic_count;
	unsigned iso_count;
};
int	hal_acpi_init(const void *rsdp, size_t rsdp_len,
	    void *(*phys_to_virt)(uint64_t), struct hal_acpi_info *out);
void	hal_pic_disable(void);
int	hal_lapic_init(void *lapic_virt);
void	hal_lapic_eoi(void);
int	hal_ioapic_init(void *ioapic_virt, uint32_t gsi_base);
/* Unmask gsi as edge-triggered, active-high, to vector on this CPU. */
int	hal_ioapic_route(uint32_t gsi, uint8_t vector);

/* Timers: TSC clock and LAPIC periodic tick, both calibrated by the PIT. */
int	hal_timer_init(unsigned hz, void (*tick)(void));
uint64_t hal_clock_ns(void);		/* monotonic, 0 before calibration */
/* hal_clock_ns's TSC base and multiplier (the vDSO's time base). */
bool	hal_clock_base(uint64_t *base, uint64_t *mult, uint64_t *hz);
uint64_t hal_ticks(void);
void	hal_delay_us(uint64_t us);

/* QEMU fw_cfg (ports 0x510/0x511): read a named file. */
bool	hal_fwcfg_present(void);
/* Copy file `name` into buf (NUL-terminated); returns size or -errno. */
long	hal_fwcfg_read_file(const char *name, char *buf, size_t cap);

/*
 * User mode (user.c, uentry.S).  hal_trap_frame vector HAL_VEC_SYSCALL marks a
 * frame built by the syscall entry.  The hooks run for user frames only:
 * syscall (sets tf->rax; may enable interrupts), fault (a CPU exception in
 * user mode; must not return to the faulting code), ret (before every
 * return to user mode, IRQs off: preemption, pending kills).
 */
#define HAL_VEC_SYSCALL		0x100
#define HAL_USER_BASE		(1UL << 39)
#define HAL_USER_END		(2UL << 39)
#define HAL_USER_CS		0x23
#define HAL_USER_SS		0x1b
struct hal_user_hooks {
	void	(*syscall)(struct hal_trap_frame *tf);
	void	(*fault)(struct hal_trap_frame *tf);
	void	(*ret)(struct hal_trap_frame *tf);
	/* A page fault of the kernel's user copy: true to retry the copy
	 * (the page was made present), false for -EFAULT. */
	bool	(*copy_fault)(uint64_t addr, uint64_t error);
};
/*
 * User FPU/SSE state (fpu.c): FXSAVE images of HAL_FPU_SIZE bytes, 16-byte
 * aligned.  hal_fpu_init (from hal_user_init) enables FXSR/SSE exceptions;
 * init_area writes the initial state (FCW 0x37f, MXCSR 0x1f80); reset
 * loads it; valid checks an image from user memory before a restore.
 */
#define HAL_FPU_SIZE	512
void	hal_fpu_init(void);
void	hal_fpu_save(void *area);
void	hal_fpu_restore(const void *area);
void	hal_fpu_init_area(void *area);
void	hal_fpu_reset(void);
bool	hal_fpu_valid(const void *area);
void	hal_user_init(const struct hal_user_hooks *h);
/* Kernel stack top for entries from user mode (TSS.rsp0 and syscall). */
void	hal_set_kernel_stack(uint64_t top);
void	hal_set_fs_base(uint64_t base);
/* rflags safe for user mode: IF on, IOPL 0, only arithmetic/user flags. */
uint64_t hal_user_rflags(uint64_t want);
/* Load the frame and iretq to user mode (the frame may be anywhere). */
__attribute__((noreturn)) void hal_enter_user(struct hal_trap_frame *tf);
/* Copy to/from user memory: 0, or -EFAULT (bad range or unmapped page). */
long	hal_copy_from_user(void *dst, uint64_t usrc, size_t n);
long	hal_copy_to_user(uint64_t udst, const void *src, size_t n);

#endif /* KERNEL_HAL_API_H */
