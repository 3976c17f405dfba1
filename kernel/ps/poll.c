/*
 * poll.c -- poll, ppoll, select and pselect6 over the kernel fd table:
 * pipes (pipe.c's state), vfsd and bootfs files (regular files and
 * directories are always ready, as in Linux) and the console (the tty
 * driver's tty_poll_mask() when it is linked in, else "writable only").
 *
 * Waiting: a poller registers (tid, flag) in a small global table, scans,
 * and parks until its deadline, a ps_poll_wake() (pipe state changes, tty
 * input), a signal (ps_unpark by the sender) or a bounded re-check
 * interval, whichever comes first; it then scans again.  The kernel is
 * not preempted between safe points on the single CPU, so registering
 * before the scan loses no wake-up.
 *
 * ppoll/pselect6 install their signal mask for the wait; when the wait
 * ends with EINTR and a handler will run, the old mask is kept in
 * sig_saved_mask for the handler frame (as rt_sigsuspend does), so the
 * swap is atomic with respect to delivery.
 */
#include <ps/api.h>
#include <hal/api.h>
#include <mm/api.h>
#include <nucleus-core/api.h>

#define EBADF		9
#define EINTR		4
#define EFAULT		14

#define POLLIN		0x001
#define POLLPRI		0x002
#define POLLOUT		0x004
#define POLLERR		0x008
#define POLLHUP		0x010
#define POLLNVAL	0x020
#define POLLRDNORM	0x040
#define POLLWRNORM	0x100

#define POLLERS		32
#define RECHECK_NS	100000000ULL	/* re-scan at least this often */
#define UNBLOCKABLE	((1ULL << 8) | (1ULL << 18))	/* SIGKILL, SIGSTOP */
#define NO_DEADLINE	UINT64_MAX

/* The console's readiness, from the tty driver (io-manager) if linked. */
extern int tty_poll_mask(void) __attribute__((weak));

static struct poller {
	long tid;
	volatile int *flag;
} pollers[POLLERS];

void
ps_poll_wake(void)
{
	unsigned i;

	for (i = 0; i < POLLERS; i++)
		if (pollers[i].tid != 0) {
			*pollers[i].flag = 1;
			ps_unpark(pollers[i].tid);
		}
}

/* Readiness of fd (POLL* bits); POLLNVAL when it is not open. */
static int
fd_mask(struct ps_proc *p, long fd)
{
	struct ps_fd *f;
	int m;

	if (ps_fd_at(p, fd) == NULL)
		return (POLLNVAL);
	f = &p->fds[fd];
	switch (f->kind) {
	case PS_FD_PIPE_R:
	case PS_FD_PIPE_W:
		m = ps_pipe_poll(f);
		break;
	case PS_FD_SOCK:
		m = ps_sock_poll(f);
		break;
	case PS_FD_CONSOLE:
		m = tty_poll_mask != NULL ? tty_poll_mask() : POLLOUT;
		break;
	case PS_FD_SIGNALFD:
		m = ps_signalfd_poll(p, f) ? POLLIN : 0;
		break;
	default:		/* files and directories: always ready */
		m = POLLIN | POLLOUT;
		break;
	}
	if (m & POLLIN)
		m |= POLLRDNORM;
	if (m & POLLOUT)
		m |= POLLWRNORM;
	return (m);
}

/*
 * Wait until scan(arg) reports something (> 0) or fails (< 0), the
 * deadline passes (returns scan's 0) or a signal comes (-EINTR).
 */
static long
wait_for(struct ps_proc *p, long (*scan)(struct ps_proc *, void *),
    void *arg, uint64_t deadline)
{
	volatile int flag;
	uint64_t now, until;
	unsigned i, slot;
	long n;

	for (;;) {
		flag = 0;
		for (slot = 0; slot < POLLERS; slot++)
			if (pollers[slot].tid == 0)
				break;
		if (slot < POLLERS) {
			pollers[slot].tid = ps_current_task_id();
			pollers[slot].flag = &flag;
		}
		n = scan(p, arg);
		now = hal_clock_ns();
		if (n == 0 && now < deadline && ps_signal_interrupts(p))
			n = -EINTR;
		if (n != 0 || now >= deadline) {
			if (slot < POLLERS)
				pollers[slot].tid = 0;
			return (n);
		}
		until = deadline - now > RECHECK_NS ? now + RECHECK_NS :
		    deadline;
		ps_park_until(until, &flag);
		/* Our entry must not outlive `flag`. */
		for (i = 0; i < POLLERS; i++)
			if (pollers[i].flag == &flag)
				pollers[i].tid = 0;
	}
}

/* Deadline from a relative time in ns (NO_DEADLINE: wait forever). */
static uint64_t
deadline_after(uint64_t ns)
{
	uint64_t now = hal_clock_ns();

	if (ns == NO_DEADLINE || now + ns < now)
		return (NO_DEADLINE);
	return (now + ns);
}

/* A user struct timespec into ns: -EFAULT, -EINVAL (out of range). */
static long
timespec_ns(uint64_t uts, uint64_t *ns)
{
	int64_t ts[2];

	if (uts == 0) {
		*ns = NO_DEADLINE;
		return (0);
	}
	if (hal_copy_from_user(ts, uts, sizeof(ts)) != 0)
		return (-EFAULT);
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
		return (-NC_EINVAL);
	if ((uint64_t)ts[0] > (NO_DEADLINE - 1) / 1000000000ULL - 1)
		*ns = NO_DEADLINE;
	else
		*ns = (uint64_t)ts[0] * 1000000000ULL + (uint64_t)ts[1];
	return (0);
}

/*
 * ppoll/pselect6 signal mask: read it (size must be 8), install it and
 * return the old one in *old; *have = false when there is none.
 */
static long
mask_install(struct ps_proc *p, uint64_t umask, uint64_t size, uint64_t *old,
    bool *have)
{
	uint64_t set;

	*have = false;
	if (umask == 0)
		return (0);
	if (size != 8)
		return (-NC_EINVAL);
	if (hal_copy_from_user(&set, umask, 8) != 0)
		return (-EFAULT);
	*old = ps_thread_cur()->sig_mask;
	ps_thread_cur()->sig_mask = set & ~UNBLOCKABLE;
	*have = true;
	return (0);
}

/* After the wait: keep the temporary mask for a handler, else restore. */
static void
mask_done(struct ps_proc *p, long r, uint64_t old, bool have)
{
	struct ps_thread *th = ps_thread_cur();

	if (!have)
		return;
	if (r == -EINTR && ((p->sig_pending | th->sig_pending) &
	    ~th->sig_mask & p->sig_handled)) {
		th->sig_saved_mask = old;
		th->sig_restore_mask = true;
		return;
	}
	th->sig_mask = old;
}

/* ---- poll / ppoll ---- */

struct poll_set {
	int32_t *fd;
	int16_t *events, *revents;
	uint64_t n;
};

static long
poll_scan(struct ps_proc *p, void *arg)
{
	struct poll_set *s = arg;
	uint64_t i;
	long ready = 0;
	int m;

	for (i = 0; i < s->n; i++) {
		s->revents[i] = 0;
		if (s->fd[i] < 0)
			continue;
		m = fd_mask(p, s->fd[i]);
		m &= (uint16_t)s->events[i] | POLLERR | POLLHUP | POLLNVAL;
		s->revents[i] = (int16_t)m;
		if (m != 0)
			ready++;
	}
	return (ready);
}

static long
do_poll(struct ps_proc *p, uint64_t ufds, uint64_t nfds, uint64_t ns,
    uint64_t umask, uint64_t masksize)
{
	struct poll_set s;
	uint64_t old = 0, i;
	int16_t rev;
	bool have;
	uint8_t *buf;
	long r;

	/*
	 * Above RLIMIT_NOFILE: -EINVAL.  The kernel knows the soft limit
	 * (ps_fd_limit: syscalld's, clamped to PS_MAX_FDS).
	 */
	if (nfds > ps_fd_limit(p))
		return (-NC_EINVAL);
	if (nfds != 0 && !mm_user_range_ok(ufds, nfds * 8))
		return (-EFAULT);
	if ((buf = mm_kzalloc(nfds * 8 + 8)) == NULL)
		return (-NC_ENOMEM);
	s.n = nfds;
	s.fd = (int32_t *)buf;
	s.events = (int16_t *)(buf + nfds * 4);
	s.revents = (int16_t *)(buf + nfds * 6);
	for (i = 0; i < nfds; i++) {
		uint8_t pf[8];

		if (hal_copy_from_user(pf, ufds + i * 8, 8) != 0) {
			mm_kfree(buf);
			return (-EFAULT);
		}
		memcpy(&s.fd[i], pf, 4);
		memcpy(&s.events[i], pf + 4, 2);
	}
	if ((r = mask_install(p, umask, masksize, &old, &have)) != 0) {
		mm_kfree(buf);
		return (r);
	}
	r = wait_for(p, poll_scan, &s, deadline_after(ns));
	mask_done(p, r, old, have);
	if (r >= 0)
		for (i = 0; i < nfds; i++) {
			rev = s.revents[i];
			if (hal_copy_to_user(ufds + i * 8 + 6, &rev, 2) != 0) {
				r = -EFAULT;
				break;
			}
		}
	mm_kfree(buf);
	return (r);
}

long
ps_sys_poll(struct ps_proc *p, uint64_t ufds, uint64_t nfds, int64_t ms)
{
	return (do_poll(p, ufds, nfds, ms < 0 ? NO_DEADLINE :
	    (uint64_t)ms * 1000000ULL, 0, 0));
}

long
ps_sys_ppoll(struct ps_proc *p, uint64_t ufds, uint64_t nfds, uint64_t uts,
    uint64_t umask, uint64_t size)
{
	uint64_t ns;
	long r;

	if ((r = timespec_ns(uts, &ns)) != 0)
		return (r);
	return (do_poll(p, ufds, nfds, ns, umask, size));
}

/* ---- select / pselect6 ---- */

/* FD_SETSIZE: the sets live on the kernel stack. */
#define SEL_MAX_FDS	1024
#define SEL_WORDS	(SEL_MAX_FDS / 64)

struct sel_set {
	long nfds;
	uint64_t in[3][SEL_WORDS];	/* read, write, except */
	uint64_t out[3][SEL_WORDS];
};

static long
sel_scan(struct ps_proc *p, void *arg)
{
	static const int want[3] = {
		POLLIN | POLLHUP | POLLERR, POLLOUT | POLLERR, POLLPRI
	};
	struct sel_set *s = arg;
	long fd, ready = 0;
	uint64_t bit;
	int k, m;

	memset(s->out, 0, sizeof(s->out));
	for (fd = 0; fd < s->nfds; fd++) {
		bit = 1ULL << (fd % 64);
		if (!((s->in[0][fd / 64] | s->in[1][fd / 64] |
		    s->in[2][fd / 64]) & bit))
			continue;
		m = fd_mask(p, fd);
		if (m & POLLNVAL)
			return (-EBADF);
		for (k = 0; k < 3; k++)
			if ((s->in[k][fd / 64] & bit) && (m & want[k])) {
				s->out[k][fd / 64] |= bit;
				ready++;
			}
	}
	return (ready);
}

static long
do_select(struct ps_proc *p, int64_t nfds, const uint64_t uset[3],
    uint64_t ns, uint64_t umask, uint64_t masksize)
{
	struct sel_set s;
	uint64_t old = 0, kbytes;
	bool have;
	long r;
	int k;

	if (nfds < 0 || nfds > INT32_MAX)
		return (-NC_EINVAL);
	memset(&s, 0, sizeof(s));
	/*
	 * As Linux does, nfds past the fd table is cut to its size (no fd
	 * is open there): only those bits are read and written back.  The
	 * sets are FD_SETSIZE bits at most.
	 */
	s.nfds = nfds > p->fd_cap ? p->fd_cap : (long)nfds;
	if (s.nfds > SEL_MAX_FDS)
		s.nfds = SEL_MAX_FDS;
	kbytes = ((uint64_t)s.nfds + 63) / 64 * 8;
	for (k = 0; k < 3; k++) {
		if (uset[k] == 0)
			continue;
		if (!mm_user_range_ok(uset[k], kbytes) ||
		    hal_copy_from_user(s.in[k], uset[k], kbytes) != 0)
			return (-EFAULT);
	}
	/* Drop bits above nfds in the last word. */
	if (s.nfds % 64 != 0)
		for (k = 0; k < 3; k++)
			s.in[k][s.nfds / 64] &= (1ULL << (s.nfds % 64)) - 1;
	if ((r = mask_install(p, umask, masksize, &old, &have)) != 0)
		return (r);
	r = wait_for(p, sel_scan, &s, deadline_after(ns));
	mask_done(p, r, old, have);
	if (r < 0)
		return (r);
	for (k = 0; k < 3; k++) {
		if (uset[k] == 0)
			continue;
		if (hal_copy_to_user(uset[k], s.out[k], kbytes) != 0)
			return (-EFAULT);
	}
	return (r);
}

long
ps_sys_select(struct ps_proc *p, int64_t nfds, uint64_t r, uint64_t w,
    uint64_t e, uint64_t utv)
{
	uint64_t set[3] = { r, w, e }, ns = NO_DEADLINE;
	int64_t tv[2];

	if (utv != 0) {
		if (hal_copy_from_user(tv, utv, sizeof(tv)) != 0)
			return (-EFAULT);
		if (tv[0] < 0 || tv[1] < 0 || tv[1] >= 1000000)
			return (-NC_EINVAL);
		ns = (uint64_t)tv[0] > 1000000000ULL ? NO_DEADLINE :
		    (uint64_t)tv[0] * 1000000000ULL + (uint64_t)tv[1] * 1000;
	}
	return (do_select(p, nfds, set, ns, 0, 0));
}

long
ps_sys_pselect6(struct ps_proc *p, int64_t nfds, uint64_t r, uint64_t w,
    uint64_t e, uint64_t uts, uint64_t usig)
{
	uint64_t set[3] = { r, w, e }, ns, sig[2] = { 0, 0 };
	long rc;

	if ((rc = timespec_ns(uts, &ns)) != 0)
		return (rc);
	/* The 6th argument: { const sigset_t *ss; size_t ss_len; }. */
	if (usig != 0 && hal_copy_from_user(sig, usig, sizeof(sig)) != 0)
		return (-EFAULT);
	return (do_select(p, nfds, set, ns, sig[0], sig[1]));
}
