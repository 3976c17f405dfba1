/*
 * executive/internal.h -- cross-file internals of executive/.  Not for
 * other subsystems.
 */
#ifndef KERNEL_EXECUTIVE_INTERNAL_H
#define KERNEL_EXECUTIVE_INTERNAL_H

#include <executive/api.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ps_proc;
struct ps_fd;
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

/*
 * devfs.c: device fds (console, null, zero, urandom/random), the /dev
 * directory fd, /dev paths and device ioctls routed to devmgrd.
 */
#define EX_DEV_STAT	1
#define EX_DEV_STATX	2
#define EX_DEV_ACCESS	3
long	ex_dev_path(const char *path, size_t len, char *out, size_t cap);
long	ex_dev_openat(struct ps_proc *p, const char *name, size_t nlen,
	    uint64_t flags);
long	ex_dev_path_call(struct ps_proc *p, uint16_t op, const char *name,
	    size_t nlen, uint64_t uout, uint64_t arg0);
void	ex_dev_fstat(const struct ps_fd *f, uint64_t st[18]);
long	ex_dev_read(struct ps_proc *p, struct ps_fd *f, uint64_t buf,
	    uint64_t len);
long	ex_dev_write(struct ps_proc *p, struct ps_fd *f, uint64_t buf,
	    uint64_t len);
long	ex_dev_getdents(struct ps_proc *p, struct ps_fd *f, uint64_t buf,
	    uint64_t len);
long	ex_dev_ioctl(struct ps_proc *p, uint64_t fd, uint64_t cmd,
	    uint64_t arg);

/*
 * net.c: the Linux socket calls (control calls to netd, the data path
 * here) and socket fds' read/write/readv/writev.
 */
long	ex_net_linux_call(struct ps_proc *p, uint64_t nr, const uint64_t a[6],
	    bool *handled);
long	ex_vfs_kpath_op(struct ps_proc *p, uint16_t op, const char *path,
	    size_t len, uint64_t arg0, uint64_t *value, void *out, size_t cap);
long	ex_sock_ioctl(struct ps_proc *p, struct ps_fd *f, uint32_t cmd,
	    uint64_t arg);
long	ex_sock_rw(struct ps_proc *p, struct ps_fd *f, uint64_t buf,
	    uint64_t len, bool write);
long	ex_sock_rwv(struct ps_proc *p, struct ps_fd *f, uint64_t uiov,
	    uint64_t cnt, bool write);

#endif /* KERNEL_EXECUTIVE_INTERNAL_H */
