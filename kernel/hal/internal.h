/*
 * hal/internal.h -- cross-file internals of hal/.  Not for other subsystems.
 */
#ifndef KERNEL_HAL_INTERNAL_H
#define KERNEL_HAL_INTERNAL_H

#include <hal/api.h>

#define HAL_SEL_KCODE	0x08
#define HAL_SEL_KDATA	0x10
#define HAL_SEL_UDATA	0x18
#define HAL_SEL_UCODE	0x20
#define HAL_SEL_TSS	0x28

#define HAL_IST_DF	1
#define HAL_IST_NMI	2

void	hal_tss_set_rsp0(uint64_t rsp0);
void	hal_trap_dispatch(struct hal_trap_frame *tf);
extern const uint64_t hal_isr_table[256];

/* PIT channel 2 one-shot wait, used to calibrate the TSC and LAPIC timer. */
void	hal_pit_wait_start(unsigned ms);
bool	hal_pit_wait_done(void);

/* Local APIC registers (apic.c), used by the LAPIC timer. */
extern volatile uint32_t *hal_lapic_regs;
uint32_t hal_lapic_reg_read(unsigned reg);
void	hal_lapic_reg_write(unsigned reg, uint32_t v);

/* user.c: the fault fixup of the user copy and the user-frame hooks. */
bool	hal_user_fixup(struct hal_trap_frame *tf);
void	hal_user_trap(struct hal_trap_frame *tf);
void	hal_user_return(struct hal_trap_frame *tf);

#endif /* KERNEL_HAL_INTERNAL_H */
