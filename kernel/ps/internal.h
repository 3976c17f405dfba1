/*
 * ps/internal.h -- cross-file internals of ps/: the vruntime-ordered run
 * queue (pure, host-tested) and the task structure.  Not for other
 * subsystems.
 */
#ifndef KERNEL_PS_INTERNAL_H
#define KERNEL_PS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Run-queue node; ties in vruntime keep insertion order (FIFO). */
struct ps_rq_node {
	uint64_t vruntime;
	struct ps_rq_node *prev, *next;
};

struct ps_rq {
	struct ps_rq_node *first;
	size_t count;
};

void	ps_rq_init(struct ps_rq *rq);
void	ps_rq_insert(struct ps_rq *rq, struct ps_rq_node *n);
void	ps_rq_remove(struct ps_rq *rq, struct ps_rq_node *n);
struct ps_rq_node *ps_rq_pop_min(struct ps_rq *rq);
/* vruntime charged for delta_ns of CPU at weight_micros (100 = 1:1). */
uint64_t ps_vruntime_delta(uint64_t delta_ns, uint32_t weight_micros);

/* ELF64 ET_EXEC validation (elf.c, pure, host-tested). */
#define PS_ENOEXEC		8
#define PS_ELF_MAX_PHDRS	64
struct ps_elf_seg {
	uint64_t vaddr, offset, filesz, memsz;
	uint64_t lo, hi;		/* page range */
	uint32_t flags;			/* PF_* */
};
struct ps_elf_info {
	uint64_t entry, phdr, phnum, phent;
	uint64_t brk;			/* end of the highest page range */
	unsigned nload;
	struct ps_elf_seg seg[PS_ELF_MAX_PHDRS];
};
/* 0, or -ENOEXEC when the image breaks a rule; PT_LOADs inside [lo, hi). */
int	ps_elf_check(const uint8_t *img, uint64_t size, uint64_t lo,
	    uint64_t hi, struct ps_elf_info *out);

/* The vfsd handle of an execve's executable (proc.c keeps it). */
struct ps_exec_file {
	bool set;
	bool owned;			/* opened for the exec: close after */
	uint64_t rid;			/* vfsd remote id of the caller */
	char abs[4096];			/* its absolute path ("" unknown) */
	bool interp_set;		/* its PT_INTERP interpreter, opened */
	uint64_t interp_rid;		/* for the caller (always owned) */
};
struct ps_proc;
/* NULL when p has no execve in flight. */
struct ps_exec_file *ps_exec_file_of(struct ps_proc *p);
/* The process whose execve holds ticket (not yet installed), or NULL. */
struct ps_proc *ps_exec_by_ticket(uint64_t ticket);

/*
 * The vDSO (vdso.c): the vvar page at PS_VDSO_VVAR, the image right
 * above.  The address lies in the gap between the mmap area (below
 * MM_USER_END - 64 MiB) and the largest stack (32 MiB under the top).
 */
#define PS_VDSO_VVAR	((2UL << 39) - 48UL * 1024 * 1024)
struct mm_uvm;
/* Map vvar + vDSO into vm; the image's address (AT_SYSINFO_EHDR) or 0. */
uint64_t ps_vdso_map(struct mm_uvm *vm);
/* (Re)write the vvar time base from the HAL's clock. */
void	ps_vdso_publish(void);

#endif /* KERNEL_PS_INTERNAL_H */
