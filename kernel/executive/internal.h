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

#endif /* KERNEL_EXECUTIVE_INTERNAL_H */
