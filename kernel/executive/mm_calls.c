/*
 * mm_calls.c -- the Linux memory calls at the syscall layer: brk, mmap,
 * munmap, mprotect, mremap, madvise and memfd_create.  Generic processes
 * send them to syscalld (policy: flags, prot, alignment, limits), which
 * changes the target's address space through SYS_RUSTOS_MM_BROKER
 * (ex_sys_mm_broker, here); policy processes call ps_mm_* directly.  After
 * syscalld approved a private file mapping of a vfsd file, the caller's
 * pages are filled here through vfsd PREAD64 (the caller's own handle).
 * memfd_create is approved by syscalld and installed here; memfd reads,
 * writes, ftruncate, fstat and lseek act on the kernel object (mm_obj).
 *
 * Page faults: the user-fault hook and the user-copy fixup ask
 * mm_uvm_fault first (demand paging, copy-on-write); only an unresolved
 * fault becomes SIGSEGV (SEGV_MAPERR / SEGV_ACCERR), SIGBUS (past the end
 * of a mapped file, or no frame left), or -EFAULT for a kernel copy.
 */
#include <executive/api.h>
#include <executive/internal.h>
#include <hal/api.h>
#include <io-manager/api.h>
#include <ipc-runtime/api.h>
#include <mm/api.h>
#include <nucleus-core/api.h>
#include <ps/api.h>

#include <rustos/ipc_services.h>
#include <rustos/mm_broker.h>
#include <rustos/offload.h>
#include <rustos/vfs.h>

#define EBADF		9
#define EACCES		13
#define EFAULT		14
#define ESPIPE		29
#define ENODEV		19
#define EOPNOTSUPP	95
#define NR_MEMFD_CREATE	319
#define MEMFD_NAME_MAX	249		/* Linux: + "memfd:" = 255 */

/* One Linux MM call of p through syscalld (name: memfd_create's). */
static long
offload(struct ps_proc *p, uint16_t nr, uint64_t a0, uint64_t a1,
    uint64_t a2, uint64_t a3, uint64_t fd, uint64_t off, const char *name,
    size_t name_len)
{
	struct rustos_linux_syscall_offload_request *rq;
	struct rustos_linux_syscall_offload_response *rs;
	void *rep;
	uint64_t v = 0;
	long n;

	if ((rq = mm_kzalloc(sizeof(*rq))) == NULL)
		return (-NC_ENOMEM);
	rq->version = SYSCALL_OFFLOAD_ABI_VERSION;
	rq->op = nr;
	rq->pid = (uint64_t)p->pid;
	rq->tid = (uint64_t)p->pid;
	rq->parent_pid = (uint64_t)p->ppid;
	rq->arg0 = a0;
	rq->arg1 = a1;
	rq->arg2 = a2;
	rq->arg3 = a3;
	rq->dirfd = fd;
	rq->flags = off;
	if (name_len > 0) {
		memcpy(rq->path, name, name_len);
		rq->path_len = (uint32_t)name_len;
	}
	/*
	 * rq becomes the message and syscalld's reply buffer comes back as
	 * is (no copy of either); only the bytes received are read.
	 */
	n = ipc_kernel_call_take(p, IPC_SERVICE_SYSCALLD, rq, sizeof(*rq),
	    &rep);
	if (n < 0)
		return (n);
	rs = rep;
	if ((size_t)n < 16 || rs->payload_len > SYSCALL_OFFLOAD_PAYLOAD_MAX)
		n = -NC_EIO;
	else if (rs->status < 0)
		n = rs->status;
	else {
		if (rs->payload_len >= 8 && (size_t)n >= 16 + 8)
			memcpy(&v, rs->payload, 8);
		n = (long)v;
	}
	mm_kfree(rep);
	return (n);
}

/*
 * Pages of [va, va+len) wholly past the `have` file bytes mapped at va:
 * a touch there is SIGBUS, as on Linux.
 */
static void
mark_past_eof(struct ps_proc *p, uint64_t va, uint64_t len, uint64_t have)
{
	uint64_t from = NC_ALIGN_UP(have, MM_PAGE_SIZE);

	if (from < len)
		(void)mm_uvm_mark_bus(p->vm, va + from, len - from);
}

/*
 * Fill a fresh private mapping [va, va+len) from p's vfsd file at off
 * (PREAD64 in reply-sized pieces); the tail of the last page stays zero.
 * Returns the bytes the file had, or -errno.
 */
static long
fill_from_vfsd(struct ps_proc *p, struct ps_fd *f, uint64_t va, uint64_t len,
    uint64_t off)
{
	struct rustos_vfs_ipc_request *rq;
	struct rustos_vfs_ipc_response *rs;
	uint64_t done = 0;
	long n = 0;

	if ((rs = mm_kmalloc(sizeof(*rs))) == NULL)
		return (-NC_ENOMEM);
	while (done < len) {
		uint64_t want = len - done;

		if (want > VFS_IPC_RESP_PAYLOAD_MAX)
			want = VFS_IPC_RESP_PAYLOAD_MAX;
		if ((rq = mm_kzalloc(sizeof(*rq))) == NULL) {
			n = -NC_ENOMEM;
			break;
		}
		rq->version = VFS_IPC_ABI_VERSION;
		rq->op = VFS_IPC_OP_PREAD64;
		rq->pid = (uint64_t)p->pid;
		rq->tid = (uint64_t)p->pid;
		rq->remote_id = f->remote_id;
		rq->arg0 = off + done;
		rq->arg1 = want;
		n = ipc_kernel_call(p, IPC_SERVICE_VFSD, rq, sizeof(*rq), rs,
		    sizeof(*rs));
		mm_kfree(rq);
		if (n < 0)
			break;
		if ((size_t)n < 40 || rs->version != VFS_IPC_ABI_VERSION) {
			n = -NC_EIO;
			break;
		}
		if ((n = rs->status) <= 0)
			break;
		if ((uint64_t)n > want || (uint64_t)n > rs->payload_len) {
			n = -NC_EIO;
			break;
		}
		if (mm_uvm_write(p->vm, va + done, rs->payload,
		    (size_t)n) != 0) {
			n = -NC_ENOMEM;
			break;
		}
		done += (uint64_t)n;
		if ((uint64_t)n < want)
			break;
	}
	mm_kfree(rs);
	return (n < 0 ? n : (long)done);
}

static long
mmap_call(struct ps_proc *p, uint64_t addr, uint64_t len, uint64_t prot,
    uint64_t flags, uint64_t fd, uint64_t off)
{
	struct ps_fd *f;
	long va, r;

	if (ps_is_policy(p)) {
		if ((flags & MM_MAP_ANONYMOUS) == 0)
			return (-ENODEV);
		return (ps_mm_mmap(p, addr, len, (int)prot, (int)flags, NULL,
		    0));
	}
	va = offload(p, 9, addr, len, prot, flags, fd, off, NULL, 0);
	if (va < 0 || (flags & MM_MAP_ANONYMOUS) ||
	    (f = ps_fd_at(p, (uint32_t)fd)) == NULL || f->kind != PS_FD_REMOTE)
		return (va);
	/* syscalld mapped private zero pages: the file's bytes go in. */
	len = NC_ALIGN_UP(len, MM_PAGE_SIZE);
	if ((r = fill_from_vfsd(p, f, (uint64_t)va, len, off)) < 0) {
		mm_uvm_unmap(p->vm, (uint64_t)va, len);
		return (r);
	}
	mark_past_eof(p, (uint64_t)va, len, (uint64_t)r);
	return (va);
}

static long
brk_call(struct ps_proc *p, uint64_t want)
{
	long r;

	if (ps_is_policy(p))
		return (ps_mm_brk(want));
	r = offload(p, 12, want, 0, 0, 0, 0, 0, NULL, 0);
	if (r < 0)
		return ((long)p->brk_cur);
	/* The kernel keeps the break for QUERY_LAYOUT (fork, exec). */
	if ((uint64_t)r >= p->brk_start)
		p->brk_cur = (uint64_t)r;
	return (r);
}

static long
memfd_create_call(struct ps_proc *p, uint64_t uname, uint64_t flags)
{
	char name[MEMFD_NAME_MAX + 1];
	struct mm_obj *o;
	size_t n;
	unsigned fd;
	long r;

	for (n = 0; n < sizeof(name); n++) {
		if (hal_copy_from_user(&name[n], uname + n, 1) != 0)
			return (-EFAULT);
		if (name[n] == '\0')
			break;
	}
	if (n == sizeof(name))
		return (-NC_EINVAL);
	if (ps_is_policy(p))
		return (-NC_ENOSYS);
	if ((r = offload(p, NR_MEMFD_CREATE, flags, n, 0, 0, 0, 0, name,
	    n)) < 0)
		return (r);
	if ((r = ps_fd_lowest(p, 0)) < 0)
		return (r);		/* EMFILE (RLIMIT_NOFILE) */
	fd = (unsigned)r;
	if ((o = mm_obj_create_file()) == NULL)
		return (-NC_ENOMEM);
	memset(&p->fds[fd], 0, sizeof(p->fds[fd]));
	p->fds[fd].kind = PS_FD_MEMFD;
	p->fds[fd].mobj = o;
	p->fds[fd].fd_flags = (flags & 1) ? PS_FD_CLOEXEC : 0;
	return (fd);
}

/* read/pread (write: false) or write/pwrite of a memfd, via a bounce. */
static long
memfd_rw(struct ps_fd *f, uint64_t buf, uint64_t len, uint64_t off,
    bool write, bool advance)
{
	uint8_t *k;
	uint64_t done = 0;
	long r = 0;

	if (!mm_user_range_ok(buf, len))
		return (-EFAULT);
	if ((k = mm_kmalloc(MM_PAGE_SIZE)) == NULL)
		return (-NC_ENOMEM);
	while (done < len) {
		size_t n = len - done > MM_PAGE_SIZE ? MM_PAGE_SIZE :
		    (size_t)(len - done);

		if (write) {
			if (hal_copy_from_user(k, buf + done, n) != 0) {
				r = -EFAULT;
				break;
			}
			r = mm_obj_write(f->mobj, off + done, k, n);
		} else {
			r = mm_obj_read(f->mobj, off + done, k, n);
			if (r > 0 && hal_copy_to_user(buf + done, k,
			    (size_t)r) != 0)
				r = -EFAULT;
		}
		if (r <= 0)
			break;
		done += (uint64_t)r;
		if ((size_t)r < n)
			break;
	}
	mm_kfree(k);
	if (advance)
		f->offset = off + done;
	return (done > 0 ? (long)done : r);
}

static long
memfd_call(struct ps_proc *p, struct ps_fd *f, uint64_t nr, uint64_t a1,
    uint64_t a2, uint64_t a3)
{
	uint64_t st[18];
	int64_t base;

	switch (nr) {
	case 0:
		return (memfd_rw(f, a1, a2, f->offset, false, true));
	case 1:
		return (memfd_rw(f, a1, a2, f->offset, true, true));
	case 17:
		return ((int64_t)a3 < 0 ? -NC_EINVAL :
		    memfd_rw(f, a1, a2, a3, false, false));
	case 18:
		return ((int64_t)a3 < 0 ? -NC_EINVAL :
		    memfd_rw(f, a1, a2, a3, true, false));
	case 77:
		if ((int64_t)a1 < 0)
			return (-NC_EINVAL);
		return (mm_obj_truncate(f->mobj, a1));
	case 8:
		base = a2 == 0 ? 0 : a2 == 1 ? (int64_t)f->offset : a2 == 2 ?
		    (int64_t)mm_obj_size(f->mobj) : -1;
		if (a2 > 2 || base + (int64_t)a1 < 0)
			return (-NC_EINVAL);
		f->offset = (uint64_t)(base + (int64_t)a1);
		return ((long)f->offset);
	case 5:
		memset(st, 0, sizeof(st));
		st[1] = (uint64_t)(uintptr_t)f->mobj >> 4;	/* st_ino */
		st[2] = 1;					/* st_nlink */
		st[3] = 0100600;				/* st_mode */
		st[6] = mm_obj_size(f->mobj);		/* st_size */
		st[7] = 4096;				/* st_blksize */
		st[8] = (st[6] + 511) / 512;
		return (hal_copy_to_user(a1, st, sizeof(st)) != 0 ? -EFAULT :
		    0);
	}
	return (-NC_EINVAL);
}

/* readv/writev of a memfd: the pieces in order, short at the end. */
static long
memfd_vec(struct ps_fd *f, bool write, uint64_t iov, uint64_t cnt)
{
	uint64_t v[2], i;
	long total = 0, r;

	if (cnt > 1024)
		return (-NC_EINVAL);
	for (i = 0; i < cnt; i++) {
		if (hal_copy_from_user(v, iov + i * 16, 16) != 0)
			return (total > 0 ? total : -EFAULT);
		if (v[1] == 0)
			continue;
		r = memfd_rw(f, v[0], v[1], f->offset, write, true);
		if (r < 0)
			return (total > 0 ? total : r);
		total += r;
		if ((uint64_t)r < v[1])
			break;
	}
	return (total);
}

long
ex_mm_linux_call(struct hal_trap_frame *tf, uint64_t nr, bool *handled)
{
	struct ps_proc *p = ps_proc_current();
	uint64_t a0 = tf->rdi, a1 = tf->rsi, a2 = tf->rdx, a3 = tf->r10;
	struct ps_fd *f;

	*handled = true;
	switch (nr) {
	case 9:		/* mmap */
		return (mmap_call(p, a0, a1, a2, a3, tf->r8, tf->r9));
	case 10:	/* mprotect */
		if (ps_is_policy(p))
			return (ps_mm_mprotect(p, a0, a1, (int)a2));
		return (offload(p, 10, a0, a1, a2, 0, 0, 0, NULL, 0));
	case 11:	/* munmap */
		if (ps_is_policy(p))
			return (ps_mm_munmap(p, a0, a1));
		return (offload(p, 11, a0, a1, 0, 0, 0, 0, NULL, 0));
	case 12:	/* brk */
		return (brk_call(p, a0));
	case 25:	/* mremap */
		if (ps_is_policy(p))
			return (ps_mm_mremap(p, a0, a1, a2, (unsigned)a3));
		return (offload(p, 25, a0, a1, a2, a3, 0, 0, NULL, 0));
	case 28:	/* madvise */
		if (ps_is_policy(p))
			return (ps_mm_madvise(p, a0, a1, (int)a2));
		return (offload(p, 28, a0, a1, a2, 0, 0, 0, NULL, 0));
	case NR_MEMFD_CREATE:
		return (memfd_create_call(p, a0, a1));
	case 26:	/* msync */
	case 149:	/* mlock */
	case 150:	/* munlock */
	case 325:	/* mlock2 */
	case 151:	/* mlockall */
	case 152:	/* munlockall */
		if (ps_is_policy(p))
			return (0);	/* nothing is ever paged out */
		return (offload(p, (uint16_t)nr, a0, a1, a2, 0, 0, 0, NULL,
		    0));
	case 0: case 1: case 5: case 8: case 17: case 18: case 77:
		if ((f = ps_fd_at(p, a0)) != NULL && f->kind == PS_FD_MEMFD)
			return (memfd_call(p, f, nr, a1, a2, a3));
		break;
	case 19: case 20:	/* readv, writev */
		if ((f = ps_fd_at(p, a0)) != NULL && f->kind == PS_FD_MEMFD)
			return (memfd_vec(f, nr == 20, a1, a2));
		break;
	}
	*handled = false;
	return (0);
}

/* ---- the MM broker (syscalld) ---- */

static long
describe_fd(struct ps_proc *t, int64_t fd, struct rustos_mm_fd_info *out)
{
	struct ps_fd *f = fd < 0 ? NULL : ps_fd_at(t, (uint64_t)fd);

	memset(out, 0, sizeof(*out));
	if (f == NULL)
		return (-EBADF);
	out->access = 2;		/* O_RDWR unless known otherwise */
	switch (f->kind) {
	case PS_FD_MEMFD:
		out->kind = MM_FD_KIND_MEMFD;
		out->size = mm_obj_size(f->mobj);
		break;
	case PS_FD_REMOTE:
		out->kind = f->remote_kind == VFS_HANDLE_KIND_FILE ?
		    MM_FD_KIND_FILE : MM_FD_KIND_OTHER;
		out->size = f->size;
		break;
	case PS_FD_BOOTFS:
		out->kind = MM_FD_KIND_FILE;
		out->access = 0;
		io_bootfs_entry(f->index, NULL, NULL, &out->size);
		break;
	case PS_FD_DEVICE:
		out->kind = f->index == PS_DEVNO(1, 5) ? MM_FD_KIND_ZERO :
		    MM_FD_KIND_OTHER;
		out->access = f->remote_kind & 3;
		break;
	default:
		out->kind = MM_FD_KIND_OTHER;
	}
	return (0);
}

/*
 * MAP_FILE_PRIVATE: private pages holding a copy of the file.  memfd and
 * bootfs contents are copied here; vfsd files are filled by the caller's
 * own mmap path (fill_from_vfsd) once syscalld answered.
 */
static long
map_file_private(struct ps_proc *t, const struct rustos_mm_broker_args *a)
{
	struct ps_fd *f = a->fd < 0 ? NULL : ps_fd_at(t, (uint64_t)a->fd);
	uint8_t *k;
	uint64_t done, len = NC_ALIGN_UP(a->len, MM_PAGE_SIZE);
	const uint8_t *img;
	uint64_t size, have;
	long va, n;

	if (f == NULL)
		return (-EBADF);
	if (f->kind != PS_FD_MEMFD && f->kind != PS_FD_BOOTFS &&
	    !(f->kind == PS_FD_REMOTE &&
	    f->remote_kind == VFS_HANDLE_KIND_FILE))
		return (-ENODEV);
	va = ps_mm_mmap(t, a->addr, a->len, (int)a->prot,
	    (int)((a->flags & ~(uint32_t)MM_MAP_SHARED) | MM_MAP_PRIVATE),
	    NULL, 0);
	if (va < 0 || f->kind == PS_FD_REMOTE)
		return (va);
	if (f->kind == PS_FD_BOOTFS) {
		io_bootfs_entry(f->index, NULL, &img, &size);
		have = a->offset < size ? size - a->offset : 0;
		if (have > len)
			have = len;
		if (have > 0 && mm_uvm_write(t->vm, (uint64_t)va,
		    img + a->offset, (size_t)have) != 0)
			goto nomem;
		mark_past_eof(t, (uint64_t)va, len, have);
		return (va);
	}
	if ((k = mm_kmalloc(MM_PAGE_SIZE)) == NULL)
		goto nomem;
	for (done = 0; done < len; done += MM_PAGE_SIZE) {
		n = mm_obj_read(f->mobj, a->offset + done, k, MM_PAGE_SIZE);
		if (n <= 0)
			break;
		if (mm_uvm_write(t->vm, (uint64_t)va + done, k,
		    (size_t)n) != 0) {
			mm_kfree(k);
			goto nomem;
		}
	}
	mm_kfree(k);
	size = mm_obj_size(f->mobj);
	mark_past_eof(t, (uint64_t)va, len, a->offset < size ?
	    size - a->offset : 0);
	return (va);
nomem:
	mm_uvm_unmap(t->vm, (uint64_t)va, len);
	return (-NC_ENOMEM);
}

long
ex_sys_mm_broker(uint64_t uargs, uint64_t a1, uint64_t a2, uint64_t a3,
    uint64_t a4, uint64_t a5)
{
	struct rustos_mm_broker_args a;
	struct rustos_mm_layout lay;
	struct rustos_mm_fd_info fi;
	struct ps_proc *t;
	struct ps_fd *f;
	long va, r;

	if (hal_copy_from_user(&a, uargs, sizeof(a)) != 0)
		return (-EFAULT);
	if (a.version != MM_BROKER_ABI_VERSION)
		return (-NC_EINVAL);
	if ((t = ps_proc_find((long)a.pid)) == NULL || t->zombie ||
	    t->vm == NULL)
		return (-3);		/* ESRCH */
	switch (a.op) {
	case MM_BROKER_OP_QUERY_LAYOUT:
		if (a.out_len < sizeof(lay))
			return (-NC_EINVAL);
		lay.user_base = MM_USER_BASE;
		lay.user_end = MM_USER_END;
		lay.brk_start = t->brk_start;
		lay.brk_current = t->brk_cur;
		lay.mmap_base = t->mmap_low;
		lay.stack_top = MM_USER_END - MM_PAGE_SIZE;
		return (hal_copy_to_user(a.out_ptr, &lay, sizeof(lay)) != 0 ?
		    -EFAULT : 0);
	case MM_BROKER_OP_DESCRIBE_FD:
		if (a.out_len < sizeof(fi))
			return (-NC_EINVAL);
		if ((r = describe_fd(t, a.fd, &fi)) < 0)
			return (r);
		return (hal_copy_to_user(a.out_ptr, &fi, sizeof(fi)) != 0 ?
		    -EFAULT : 0);
	case MM_BROKER_OP_MAP_ANON:
		if ((a.flags & MM_MAP_ANONYMOUS) == 0)
			return (-NC_EINVAL);
		va = ps_mm_mmap(t, a.addr, a.len, (int)a.prot, (int)a.flags,
		    NULL, 0);
		break;
	case MM_BROKER_OP_MAP_FILE_PRIVATE:
		va = map_file_private(t, &a);
		break;
	case MM_BROKER_OP_MAP_MEMFD_SHARED:
		f = a.fd < 0 ? NULL : ps_fd_at(t, (uint64_t)a.fd);
		if (f == NULL || f->kind != PS_FD_MEMFD)
			return (f == NULL ? -EBADF : -NC_EINVAL);
		va = ps_mm_mmap(t, a.addr, a.len, (int)a.prot,
		    (int)((a.flags & ~(uint32_t)(MM_MAP_PRIVATE |
		    MM_MAP_ANONYMOUS)) | MM_MAP_SHARED), f->mobj, a.offset);
		break;
	case MM_BROKER_OP_PROTECT:
		return (ps_mm_mprotect(t, a.addr, a.len, (int)a.prot));
	case MM_BROKER_OP_UNMAP:
		return (ps_mm_munmap(t, a.addr, a.len));
	case MM_BROKER_OP_REMAP:
		va = ps_mm_mremap(t, a.addr, a.len, a.offset, a.flags);
		break;
	case MM_BROKER_OP_ADVISE:
		return (ps_mm_madvise(t, a.addr, a.len, (int)a.flags));
	default:
		return (-EOPNOTSUPP);
	}
	if (va > 0 && a.out_len >= 8 && hal_copy_to_user(a.out_ptr, &va,
	    8) != 0)
		return (-EFAULT);
	return (va);
}

/* ---- faults ---- */

/* A kernel-mode fault in the user copy: true when the page is now there. */
bool
ex_mm_copy_fault(uint64_t addr, uint64_t error)
{
	struct ps_proc *p = ps_proc_current();

	/* Only the live space: a retry elsewhere would fault for ever. */
	return (p != NULL && p->vm != NULL &&
	    (hal_read_cr3() & ~0xfffULL) == mm_uvm_cr3(p->vm) &&
	    mm_uvm_fault(p->vm, addr, error) == 0);
}

/*
 * A user-mode page fault: 0 when resolved (return to the faulting
 * instruction), else the signal: SIGSEGV with the error code's P bit
 * standing for SEGV_ACCERR (set) or SEGV_MAPERR (clear), SIGBUS when out
 * of memory.
 */
int
ex_mm_user_fault(struct ps_proc *p, struct hal_trap_frame *tf, uint64_t addr)
{
	int r = mm_uvm_fault(p->vm, addr, tf->error);

	if (r == 0)
		return (0);
	if (r == -NC_EIO)
		return (7);		/* SIGBUS: past the end of file */
	if (r == -EACCES)
		tf->error |= 1;
	else if (r == -EFAULT)
		tf->error &= ~1ULL;
	else
		return (7);			/* SIGBUS */
	return (11);
}
