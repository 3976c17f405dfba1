/*
 * proc_calls.c -- the Linux process calls ps/ owns, reached from the
 * executive's Linux dispatcher for numbers it does not handle itself:
 * pipe/pipe2 and dup/dup2/dup3 (kernel fd-table data paths, pipe.c).
 * Policy calls (fork, exec, kill) go to procd from here as they land.
 */
#include <ps/api.h>
#include <hal/api.h>
#include <mm/api.h>
#include <nucleus-core/api.h>

#define EBADF		9
#define O_CLOEXEC_L	0x80000

bool
ps_sigpipe_kills(struct ps_proc *p)
{
	return ((p->sig_ignored & (1ULL << (13 - 1))) == 0);
}

long
ps_linux_proc_call(struct hal_trap_frame *tf, uint64_t nr, bool *handled)
{
	struct ps_proc *p = ps_proc_current();
	uint64_t a0 = tf->rdi, a1 = tf->rsi, a2 = tf->rdx;

	*handled = true;
	switch (nr) {
	case 22:	/* pipe */
		return (ps_pipe2(p, a0, 0));
	case 293:	/* pipe2 */
		return (ps_pipe2(p, a0, a1));
	case 32:	/* dup */
		return (ps_fd_dup(p, a0, -1, 0, false));
	case 33:	/* dup2 */
		if (a0 == a1)
			return (a0 < PS_MAX_FDS &&
			    p->fds[a0].kind != PS_FD_NONE ? (long)a0 : -EBADF);
		return (a1 > INT32_MAX ? -EBADF :
		    ps_fd_dup(p, a0, (long)a1, 0, false));
	case 292:	/* dup3 */
		if (a0 == a1 || (a2 & ~(uint64_t)O_CLOEXEC_L) != 0)
			return (-NC_EINVAL);
		return (a1 > INT32_MAX ? -EBADF :
		    ps_fd_dup(p, a0, (long)a1, 0, (a2 & O_CLOEXEC_L) != 0));
	}
	*handled = false;
	return (-NC_ENOSYS);
}
