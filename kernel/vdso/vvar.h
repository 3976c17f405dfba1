/*
 * vvar.h -- the private kernel/vDSO layout of the vvar page: the read-only
 * page the kernel maps one page below the vDSO in every Linux process
 * (docs/ai/bootstrap.md, "vDSO").  Only kernel/ps/vdso.c writes it and
 * only kernel/vdso/vdso.c reads it; it is no part of the installed ABI and
 * may change with the kernel, because both sides are built together.
 *
 * The time base is published under a sequence lock: the writer makes seq
 * odd, stores the fields, then makes seq even again; a reader retries
 * while seq is odd or changed under it.  Time in ns since boot at TSC
 * value t is mono_base_ns + ((t - tsc_base) * tsc_mult >> 32), exactly
 * the formula of hal_clock_ns(), so a vDSO read and a clock_gettime
 * syscall read of the same TSC give the same value; realtime adds
 * real_offset_ns.
 */
#ifndef KERNEL_VDSO_VVAR_H
#define KERNEL_VDSO_VVAR_H

#include <stdint.h>

#define VVAR_VERSION		1
/* flags: the TSC base is valid; without it every call takes the syscall. */
#define VVAR_TSC_OK		0x1u

struct vdso_vvar {
	volatile uint32_t seq;		/* odd while the kernel writes */
	uint32_t version;		/* VVAR_VERSION */
	uint32_t flags;			/* VVAR_* */
	uint32_t cpu;			/* getcpu: the one CPU */
	uint64_t tsc_base;		/* TSC at mono_base_ns */
	uint64_t tsc_mult;		/* ns = delta * tsc_mult >> 32 */
	uint64_t mono_base_ns;		/* CLOCK_MONOTONIC at tsc_base */
	int64_t real_offset_ns;		/* CLOCK_REALTIME - CLOCK_MONOTONIC */
	uint64_t tsc_hz;		/* informational */
};

_Static_assert(sizeof(struct vdso_vvar) == 56, "vvar layout");
_Static_assert(__builtin_offsetof(struct vdso_vvar, tsc_base) == 16,
    "vvar layout");

#endif /* KERNEL_VDSO_VVAR_H */
