/*
 * user.c -- user-mode support of the HAL: the syscall MSRs (EFER.SCE,
 * STAR, LSTAR, SFMASK), CR0.WP so the kernel honours read-only user pages,
 * the kernel stack used on entry from user mode, the FS base, the checked
 * user-memory copy and the hooks hal_trap_dispatch calls for user frames.
 */
#include <hal/api.h>
#include <hal/internal.h>

#define MSR_EFER	0xc0000080
#define MSR_STAR	0xc0000081
#define MSR_LSTAR	0xc0000082
#define MSR_SFMASK	0xc0000084
#define MSR_FS_BASE	0xc0000100

extern void hal_syscall_entry(void);
extern uint64_t hal_syscall_kstack;
extern char hal_copy_user_ip[], hal_copy_user_ip2[], hal_copy_user_fixup[];
long	hal_copy_user_raw(void *dst, const void *src, size_t n);
int	hal_syscall_dispatch(struct hal_trap_frame *tf);

static const struct hal_user_hooks *hooks;

static inline void
wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
	    "d"((uint32_t)(v >> 32)));
}

static inline uint64_t
rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (((uint64_t)hi << 32) | lo);
}

void
hal_user_init(const struct hal_user_hooks *h)
{
	uint64_t cr0;

	hooks = h;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | 1);	/* SCE */
	/* syscall: CS 0x08 SS 0x10; sysret: CS 0x10+16, SS 0x10+8 (| 3). */
	wrmsr(MSR_STAR, ((uint64_t)0x10 << 48) | ((uint64_t)HAL_SEL_KCODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)hal_syscall_entry);
	/* Clear TF IF DF NT AC on entry. */
	wrmsr(MSR_SFMASK, 0x100 | 0x200 | 0x400 | 0x4000 | 0x40000);
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	/* WP; AM: user code that sets EFLAGS.AC gets #AC (SIGBUS). */
	cr0 |= (1UL << 16) | (1UL << 18);
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
	hal_fpu_init();
}

void
hal_set_kernel_stack(uint64_t top)
{
	hal_syscall_kstack = top;
	hal_tss_set_rsp0(top);
}

void
hal_set_fs_base(uint64_t base)
{
	wrmsr(MSR_FS_BASE, base);
}

uint64_t
hal_user_rflags(uint64_t want)
{
	/* CF PF AF ZF SF TF DF OF and AC/ID from the user; IF on; IOPL 0. */
	return ((want & 0x244dd5ULL) | 0x202ULL);
}

static bool
user_range(uint64_t va, size_t n)
{
	return (va >= HAL_USER_BASE && va <= HAL_USER_END &&
	    n <= HAL_USER_END - va);
}

long
hal_copy_from_user(void *dst, uint64_t usrc, size_t n)
{
	if (!user_range(usrc, n))
		return (-14);
	if (n == 0)
		return (0);
	return (hal_copy_user_raw(dst, (const void *)(uintptr_t)usrc, n));
}

long
hal_copy_to_user(uint64_t udst, const void *src, size_t n)
{
	if (!user_range(udst, n))
		return (-14);
	if (n == 0)
		return (0);
	return (hal_copy_user_raw((void *)(uintptr_t)udst, src, n));
}

/*
 * Kernel-mode page fault: when it hit the user copy, let the hook make
 * the page present (demand paging, copy-on-write: the rep resumes where
 * it stopped), else resume at its fixup (-EFAULT); returns true.
 */
bool
hal_user_fixup(struct hal_trap_frame *tf)
{
	if (tf->vector == 14 &&
	    (tf->rip == (uint64_t)(uintptr_t)hal_copy_user_ip ||
	    tf->rip == (uint64_t)(uintptr_t)hal_copy_user_ip2)) {
		if (hooks != NULL && hooks->copy_fault != NULL &&
		    hooks->copy_fault(hal_read_cr2(), tf->error))
			return (true);
		tf->rip = (uint64_t)(uintptr_t)hal_copy_user_fixup;
		return (true);
	}
	return (false);
}

void
hal_user_trap(struct hal_trap_frame *tf)
{
	if (hooks != NULL && hooks->fault != NULL)
		hooks->fault(tf);
}

void
hal_user_return(struct hal_trap_frame *tf)
{
	if (hooks != NULL && hooks->ret != NULL)
		hooks->ret(tf);
}

/* Returns 1 when the return may use sysretq (see uentry.S). */
int
hal_syscall_dispatch(struct hal_trap_frame *tf)
{
	if (hooks == NULL || hooks->syscall == NULL)
		tf->rax = (uint64_t)-38;
	else
		hooks->syscall(tf);
	tf->rflags = hal_user_rflags(tf->rflags);
	hal_user_return(tf);
	if (tf->cs != HAL_USER_CS || tf->ss != HAL_USER_SS ||
	    tf->rip < HAL_USER_BASE || tf->rip >= HAL_USER_END)
		return (0);
	/* syscall clobbers rcx and r11: sysret restores rip/rflags there. */
	tf->rcx = tf->rip;
	tf->r11 = tf->rflags;
	return (1);
}
