/*
 * rustos/mm_broker.h -- SYS_RUSTOS_MM_BROKER: the narrow kernel primitive
 * behind syscalld's Linux MM policy (brk, mmap, mprotect, munmap, mremap,
 * madvise): PTE
 * mutation in a target address space, fd backing revalidation, shared-frame
 * holds and display-surface mapping.
 */
#ifndef RUSTOS_MM_BROKER_H
#define RUSTOS_MM_BROKER_H

#include <stdint.h>

#include <rustos/abi_assert.h>

#define MM_BROKER_ABI_VERSION		1

#define MM_BROKER_OP_QUERY_LAYOUT	1
#define MM_BROKER_OP_DESCRIBE_FD	2
#define MM_BROKER_OP_MAP_ANON		3
#define MM_BROKER_OP_MAP_FILE_PRIVATE	4
#define MM_BROKER_OP_MAP_MEMFD_SHARED	5
#define MM_BROKER_OP_MAP_DEVICE_SHARED	6
#define MM_BROKER_OP_PROTECT		7
#define MM_BROKER_OP_UNMAP		8
/* addr/len: the old range, offset: the new length, flags: MREMAP_*. */
#define MM_BROKER_OP_REMAP		9
/* addr/len: the range, flags: the Linux MADV_* (DONTNEED/FREE act). */
#define MM_BROKER_OP_ADVISE		10
#define MM_BROKER_OP_LAST		10

/* Arguments (72 bytes); out_ptr receives op-specific results. */
struct rustos_mm_broker_args {
	uint32_t	version;	/* MM_BROKER_ABI_VERSION */
	uint32_t	op;		/* MM_BROKER_OP_* */
	uint64_t	pid;		/* target process */
	uint64_t	addr;
	uint64_t	len;
	uint32_t	prot;		/* Linux PROT_* */
	uint32_t	flags;		/* Linux MAP_* */
	int64_t		fd;		/* -1 when unused */
	uint64_t	offset;
	uint64_t	out_ptr;
	uint64_t	out_len;
};
RUSTOS_ABI_SIZE(mm_broker_args, 72);
RUSTOS_ABI_OFFSET(mm_broker_args, version, 0);
RUSTOS_ABI_OFFSET(mm_broker_args, op, 4);
RUSTOS_ABI_OFFSET(mm_broker_args, pid, 8);
RUSTOS_ABI_OFFSET(mm_broker_args, addr, 16);
RUSTOS_ABI_OFFSET(mm_broker_args, len, 24);
RUSTOS_ABI_OFFSET(mm_broker_args, prot, 32);
RUSTOS_ABI_OFFSET(mm_broker_args, flags, 36);
RUSTOS_ABI_OFFSET(mm_broker_args, fd, 40);
RUSTOS_ABI_OFFSET(mm_broker_args, offset, 48);
RUSTOS_ABI_OFFSET(mm_broker_args, out_ptr, 56);
RUSTOS_ABI_OFFSET(mm_broker_args, out_len, 64);

/* QUERY_LAYOUT result (48 bytes). */
struct rustos_mm_layout {
	uint64_t	user_base;
	uint64_t	user_end;
	uint64_t	brk_start;
	uint64_t	brk_current;
	uint64_t	mmap_base;
	uint64_t	stack_top;
};
RUSTOS_ABI_SIZE(mm_layout, 48);
RUSTOS_ABI_OFFSET(mm_layout, user_base, 0);
RUSTOS_ABI_OFFSET(mm_layout, user_end, 8);
RUSTOS_ABI_OFFSET(mm_layout, brk_start, 16);
RUSTOS_ABI_OFFSET(mm_layout, brk_current, 24);
RUSTOS_ABI_OFFSET(mm_layout, mmap_base, 32);
RUSTOS_ABI_OFFSET(mm_layout, stack_top, 40);

/* DESCRIBE_FD result (16 bytes): what fd of the target is. */
#define MM_FD_KIND_FILE		1	/* a regular file (vfsd, bootfs) */
#define MM_FD_KIND_MEMFD	2
#define MM_FD_KIND_OTHER	3	/* directory, pipe, console */
#define MM_FD_KIND_ZERO		4	/* /dev/zero: anonymous memory */
struct rustos_mm_fd_info {
	uint32_t	kind;		/* MM_FD_KIND_* */
	uint32_t	access;		/* O_ACCMODE of the fd (2 when unknown) */
	uint64_t	size;		/* bytes, when known */
};
RUSTOS_ABI_SIZE(mm_fd_info, 16);
RUSTOS_ABI_OFFSET(mm_fd_info, kind, 0);
RUSTOS_ABI_OFFSET(mm_fd_info, access, 4);
RUSTOS_ABI_OFFSET(mm_fd_info, size, 8);

#endif /* RUSTOS_MM_BROKER_H */
