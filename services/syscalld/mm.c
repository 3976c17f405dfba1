/*
 * mm.c -- syscalld's Linux memory calls: brk, mmap, munmap, mprotect,
 * mremap, madvise, msync, mlock/munlock/mlockall/munlockall and the
 * memfd_create approval.  The arguments are
 * judged here (policy.c); the change to the target's address space is
 * one SYS_RUSTOS_MM_BROKER call.  The kernel keeps the break (QUERY_LAYOUT
 * answers it, so fork and exec need no state here) and installs approved
 * memfds itself.  An mmap of an fd picks the broker op from the fd's kind
 * (DESCRIBE_FD): MAP_SHARED of a memfd shares its pages, MAP_PRIVATE of a
 * file or memfd copies it, /dev/zero is anonymous memory, MAP_SHARED of a
 * file is -ENODEV (the FAT and memory file systems have no shared page
 * cache); an fd without read access (or a shared writable mapping of a
 * read-only fd) is -EACCES.
 */
#include <errno.h>
#include <string.h>

#include <rustos/bootstrap_services.h>
#include <rustos/mm_broker.h>
#include <rustos/syscalls.h>

#include "services/syscalld/mm.h"
#include "services/syscalld/policy.h"

static long
mm(uint32_t op, uint64_t pid, uint64_t addr, uint64_t len, uint32_t prot,
    uint32_t flags, int64_t fd, uint64_t offset, void *out, uint64_t out_len)
{
	struct rustos_mm_broker_args a;

	memset(&a, 0, sizeof(a));
	a.version = MM_BROKER_ABI_VERSION;
	a.op = op;
	a.pid = pid;
	a.addr = addr;
	a.len = len;
	a.prot = prot;
	a.flags = flags;
	a.fd = fd;
	a.offset = offset;
	a.out_ptr = (uint64_t)(uintptr_t)out;
	a.out_len = out_len;
	return rustos_sys_mm_broker(&a);
}

bool
syscalld_mm_pid_alive(uint64_t pid)
{
	struct rustos_mm_layout lay;

	return mm(MM_BROKER_OP_QUERY_LAYOUT, pid, 0, 0, 0, 0, -1, 0, &lay,
	    sizeof(lay)) >= 0;
}

bool
syscalld_mm_op(uint16_t op)
{
	switch (op) {
	case SYSCALLD_NR_MMAP:
	case SYSCALLD_NR_MPROTECT:
	case SYSCALLD_NR_MUNMAP:
	case SYSCALLD_NR_BRK:
	case SYSCALLD_NR_MREMAP:
	case SYSCALLD_NR_MADVISE:
	case SYSCALLD_NR_MEMFD_CREATE:
	case SYSCALLD_NR_MSYNC:
	case SYSCALLD_NR_MLOCK:
	case SYSCALLD_NR_MUNLOCK:
	case SYSCALLD_NR_MLOCK2:
	case SYSCALLD_NR_MLOCKALL:
	case SYSCALLD_NR_MUNLOCKALL:
		return true;
	}
	return false;
}

/* brk: refusals answer the unchanged break (Linux brk never fails). */
static long
do_brk(const struct rustos_linux_syscall_offload_request *q, uint64_t *res)
{
	struct rustos_mm_layout lay;
	struct brk_plan p;
	uint64_t cur;
	long r;

	memset(&lay, 0, sizeof(lay));
	r = mm(MM_BROKER_OP_QUERY_LAYOUT, q->pid, 0, 0, 0, 0, -1, 0, &lay,
	    sizeof(lay));
	if (r < 0 || lay.brk_start == 0)
		return -ENOMEM;
	cur = lay.brk_current >= lay.brk_start ? lay.brk_current :
	    lay.brk_start;
	*res = cur;
	if (syscalld_plan_brk(lay.brk_start, cur, q->arg0, SYSCALLD_BRK_LIMIT,
	    &p) < 0)
		return 0;
	/* The break never grows over another mapping. */
	if (p.map_len != 0 && mm(MM_BROKER_OP_MAP_ANON, q->pid, p.map_addr,
	    p.map_len, SYSCALLD_PROT_READ | SYSCALLD_PROT_WRITE,
	    SYSCALLD_MAP_PRIVATE | SYSCALLD_MAP_ANONYMOUS |
	    SYSCALLD_MAP_FIXED_NOREPLACE, -1, 0, NULL, 0) < 0)
		return 0;
	if (p.unmap_len != 0)
		(void)mm(MM_BROKER_OP_UNMAP, q->pid, p.unmap_addr, p.unmap_len,
		    0, 0, -1, 0, NULL, 0);
	*res = q->arg0;
	return 0;
}

static long
do_mmap(const struct rustos_linux_syscall_offload_request *q, uint64_t *res)
{
	struct rustos_mm_fd_info fi;
	uint32_t flags = (uint32_t)q->arg3, prot = (uint32_t)q->arg2, op;
	int64_t fd = (int32_t)q->dirfd;
	uint64_t out = 0, len;
	long r;

	r = syscalld_check_mmap(q->arg0, q->arg1, prot, flags, fd, q->flags,
	    &len);
	if (r < 0)
		return r;
	if ((flags & SYSCALLD_MAP_TYPE) == SYSCALLD_MAP_TYPE)
		flags &= ~SYSCALLD_MAP_PRIVATE;	/* SHARED_VALIDATE */
	if (flags & SYSCALLD_MAP_ANONYMOUS) {
		op = MM_BROKER_OP_MAP_ANON;
		fd = -1;
	} else {
		memset(&fi, 0, sizeof(fi));
		r = mm(MM_BROKER_OP_DESCRIBE_FD, q->pid, 0, 0, 0, 0, fd, 0,
		    &fi, sizeof(fi));
		if (r < 0)
			return r;
		/* Every mapping reads; a shared writable one writes too. */
		if (fi.kind != MM_FD_KIND_OTHER && (fi.access == 1 ||
		    ((flags & SYSCALLD_MAP_SHARED) &&
		    (prot & SYSCALLD_PROT_WRITE) && fi.access == 0)))
			return -EACCES;
		if (fi.kind == MM_FD_KIND_ZERO) {
			/* /dev/zero: anonymous memory, shared or private. */
			op = MM_BROKER_OP_MAP_ANON;
			flags |= SYSCALLD_MAP_ANONYMOUS;
			fd = -1;
		} else if (fi.kind == MM_FD_KIND_MEMFD &&
		    (flags & SYSCALLD_MAP_SHARED))
			op = MM_BROKER_OP_MAP_MEMFD_SHARED;
		else if (fi.kind == MM_FD_KIND_OTHER ||
		    (flags & SYSCALLD_MAP_SHARED))
			return -ENODEV;
		else
			op = MM_BROKER_OP_MAP_FILE_PRIVATE;
	}
	r = mm(op, q->pid, q->arg0, len, prot, flags, fd, q->flags, &out,
	    sizeof(out));
	if (r < 0)
		return r;
	/* The broker returns the address; out_ptr carries it as well. */
	*res = r > 0 ? (uint64_t)r : out;
	return *res != 0 ? 0 : -ENOMEM;
}

long
syscalld_mm_call(const struct rustos_linux_syscall_offload_request *q,
    uint64_t *res)
{
	uint64_t len;
	long r;

	*res = 0;
	switch (q->op) {
	case SYSCALLD_NR_BRK:
		return do_brk(q, res);
	case SYSCALLD_NR_MMAP:
		return do_mmap(q, res);
	case SYSCALLD_NR_MUNMAP:
		if ((r = syscalld_check_range(q->arg0, q->arg1, &len)) < 0)
			return r;
		r = mm(MM_BROKER_OP_UNMAP, q->pid, q->arg0, len, 0, 0, -1, 0,
		    NULL, 0);
		return r < 0 ? r : 0;
	case SYSCALLD_NR_MPROTECT:
		r = syscalld_check_mprotect(q->arg0, q->arg1,
		    (uint32_t)q->arg2);
		if (r < 0 || q->arg1 == 0)
			return r;
		r = mm(MM_BROKER_OP_PROTECT, q->pid, q->arg0, q->arg1,
		    (uint32_t)q->arg2, 0, -1, 0, NULL, 0);
		return r < 0 ? r : 0;
	case SYSCALLD_NR_MREMAP:
		r = syscalld_check_mremap(q->arg0, q->arg1, q->arg2,
		    (uint32_t)q->arg3);
		if (r < 0)
			return r;
		r = mm(MM_BROKER_OP_REMAP, q->pid, q->arg0, q->arg1, 0,
		    (uint32_t)q->arg3, -1, q->arg2, &len, sizeof(len));
		if (r < 0)
			return r;
		*res = (uint64_t)r;
		return 0;
	case SYSCALLD_NR_MADVISE:
		r = syscalld_check_madvise(q->arg0, q->arg1, (int32_t)q->arg2);
		if (r < 0 || q->arg1 == 0)
			return r;
		/* The broker checks the range; DONTNEED/FREE drop pages. */
		r = mm(MM_BROKER_OP_ADVISE, q->pid, q->arg0, q->arg1, 0,
		    (uint32_t)q->arg2, -1, 0, NULL, 0);
		return r < 0 ? r : 0;
	case SYSCALLD_NR_MSYNC:
	case SYSCALLD_NR_MLOCK:
	case SYSCALLD_NR_MUNLOCK:
	case SYSCALLD_NR_MLOCK2:
		r = syscalld_check_lock_range(q->op, q->arg0, q->arg1,
		    q->arg2);
		if (r < 0 || q->arg1 == 0)
			return r;
		/*
		 * Nothing is paged out or written back: the range must be
		 * mapped (ENOMEM); locking allocates its pages (WILLNEED).
		 */
		r = mm(MM_BROKER_OP_ADVISE, q->pid, q->arg0 &
		    ~(SYSCALLD_PAGE - 1), q->arg1 + (q->arg0 &
		    (SYSCALLD_PAGE - 1)), 0, q->op == SYSCALLD_NR_MLOCK ||
		    q->op == SYSCALLD_NR_MLOCK2 ? 3 : 0, -1, 0, NULL, 0);
		return r < 0 ? r : 0;
	case SYSCALLD_NR_MLOCKALL:
		/* MCL_CURRENT 1, MCL_FUTURE 2, MCL_ONFAULT 4 (not alone). */
		if (q->arg0 == 0 || (q->arg0 & ~7ull) || q->arg0 == 4)
			return -EINVAL;
		return 0;
	case SYSCALLD_NR_MUNLOCKALL:
		return 0;
	case SYSCALLD_NR_MEMFD_CREATE:
		/* The kernel copied the name; it installs the fd on 0. */
		return syscalld_check_memfd(q->arg0, q->path_len);
	}
	return -ENOSYS;
}
