/*
 * executive/api.h -- the executive: bring-up of the machine after the early
 * boot of kernel/main.c (memory, heap, fault injection, ACPI, interrupts,
 * timer, scheduler), the QEMU test flags and the in-kernel self tests.  The
 * only header other subsystems may include from executive/.
 */
#ifndef KERNEL_EXECUTIVE_API_H
#define KERNEL_EXECUTIVE_API_H

#include <stdbool.h>
#include <stdint.h>

/* Test flags from fw_cfg opt/rustos/test (comma list). */
#define EX_TEST_SELFTEST	0x1	/* run the in-kernel self tests */
#define EX_TEST_EXIT		0x2	/* end QEMU through isa-debug-exit */
#define EX_TEST_ALLOC_PROBE	0x4	/* allocate frames until one fails */
#define EX_TEST_CRASH		0x8	/* fault on purpose (tests [PANIC]) */
#define EX_TEST_CRASH_STACK	0x10	/* overflow the main stack on purpose */

/* Read the test flags (port I/O only; safe before memory is up). */
void	ex_read_test_flags(void);
unsigned ex_test_flags(void);

struct ex_boot_args {
	uint32_t mb2_magic;
	uint32_t mb2_info_phys;
};

/* The executive bootstrap, on the main kernel stack; never returns. */
__attribute__((noreturn)) void ex_bootstrap(void *boot_args);

/* Run the self tests; returns the number of failed cases. */
unsigned ex_selftest_run(void);

/* bootfs, syscall MSRs and the user-mode hooks (syscall.c). */
void	ex_user_init(void);
/* Random syscalls from a detached process (self test); calls made. */
unsigned long ex_syscall_fuzz(unsigned iters, uint64_t seed, uint64_t caps);

#endif /* KERNEL_EXECUTIVE_API_H */
