/*
 * executive/internal.h -- cross-file internals of executive/.  Not for
 * other subsystems.
 */
#ifndef KERNEL_EXECUTIVE_INTERNAL_H
#define KERNEL_EXECUTIVE_INTERNAL_H

#include <executive/api.h>

#include <stdbool.h>
#include <stdint.h>

struct ps_proc;
struct hal_trap_frame;
/*
 * linux_policy.c: credentials, limits, uname, getrandom (syscalld) and
 * getrusage; *handled false for any other number.
 */
long	ex_linux_policy_call(struct ps_proc *p, struct hal_trap_frame *tf,
	    uint64_t nr, bool *handled);

/* mm_calls.c: the Linux memory calls, memfd fds, MM faults. */
long	ex_mm_linux_call(struct hal_trap_frame *tf, uint64_t nr,
	    bool *handled);
bool	ex_mm_copy_fault(uint64_t addr, uint64_t error);
int	ex_mm_user_fault(struct ps_proc *p, struct hal_trap_frame *tf,
	    uint64_t addr);

#endif /* KERNEL_EXECUTIVE_INTERNAL_H */
