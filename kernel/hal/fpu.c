/*
 * fpu.c -- the user FPU/SSE state: CR0/CR4 set up for FXSAVE/FXRSTOR and
 * SSE exceptions, the 512-byte FXSAVE image (the layout Linux puts behind
 * uc_mcontext.fpstate on CPUs without XSAVE) and its validation.
 *
 * The kernel itself is built without SSE/MMX/x87 code, so the registers
 * always hold the state of the user task that runs (or last ran) on the
 * CPU: ps/ saves them on every switch away from a user task and loads the
 * next one's (eager switching, no #NM traps).  CR4.OSXSAVE stays clear so
 * user code sees no AVX and FXSAVE captures the whole state.
 */
#include <hal/api.h>
#include <nucleus-core/api.h>

#define CR0_MP		(1ULL << 1)
#define CR0_EM		(1ULL << 2)
#define CR0_TS		(1ULL << 3)
#define CR0_NE		(1ULL << 5)
#define CR4_OSFXSR	(1ULL << 9)
#define CR4_OSXMMEXCPT	(1ULL << 10)
#define CR4_OSXSAVE	(1ULL << 18)

static uint32_t mxcsr_mask = 0xffbf;	/* the default when FXSAVE says 0 */
static uint8_t clean[HAL_FPU_SIZE] __attribute__((aligned(64)));

void
hal_fpu_init(void)
{
	static uint8_t probe[HAL_FPU_SIZE] __attribute__((aligned(64)));
	uint64_t cr0, cr4;
	uint32_t m;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	cr0 = (cr0 & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE;
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 = (cr4 & ~CR4_OSXSAVE) | CR4_OSFXSR | CR4_OSXMMEXCPT;
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
	__asm__ volatile("fninit");
	hal_fpu_save(probe);
	memcpy(&m, probe + 28, 4);
	if (m != 0)
		mxcsr_mask = m;
	/* The initial state: FCW 0x37f (fninit), MXCSR 0x1f80, rest 0. */
	memset(clean, 0, sizeof(clean));
	clean[0] = 0x7f;
	clean[1] = 0x03;
	m = 0x1f80;
	memcpy(clean + 24, &m, 4);
	hal_fpu_restore(clean);
}

void
hal_fpu_save(void *area)
{
	__asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

void
hal_fpu_restore(const void *area)
{
	__asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

void
hal_fpu_init_area(void *area)
{
	memcpy(area, clean, HAL_FPU_SIZE);
}

void
hal_fpu_reset(void)
{
	hal_fpu_restore(clean);
}

bool
hal_fpu_valid(const void *area)
{
	uint32_t m;

	/* FXRSTOR raises #GP on reserved MXCSR bits: refuse them here. */
	memcpy(&m, (const uint8_t *)area + 24, 4);
	return ((m & ~mxcsr_mask) == 0);
}
