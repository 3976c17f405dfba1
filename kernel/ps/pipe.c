/*
 * pipe.c -- kernel pipes and the fd-table operations they need (dup,
 * fcntl; for vfsd fds these ask vfsd first, remote.c).  Pipes are kernel objects, as in Linux: a byte ring with reader
 * and writer reference counts, read/write block by parking on the pipe.
 * No policy is involved, so no service is asked (docs/ai/bootstrap.md).
 *
 * Invariants: a pipe lives in a fixed table slot and is named by (slot,
 * generation), so a stale or forged fd snapshot (e.g. one copied by an
 * IPC handle transfer without a reference) finds a dead generation and
 * gets -EBADF instead of freed memory; counts never go below zero.  The
 * kernel is not preempted between safe points on the single CPU, so the
 * table needs no lock; parks re-check their condition after waking.
 */
#include <ps/api.h>
#include <hal/api.h>
#include <mm/api.h>
#include <nucleus-core/api.h>

#include <rustos/vfs.h>

#define EBADF		9
#define EAGAIN		11
#define EFAULT		14
#define EPIPE		32

#define PIPE_SIZE	16384
#define PIPE_ATOMIC	4096		/* PIPE_BUF */
#define MAX_PIPES	128
#define PIPE_WAITERS	16
#define PARK_NS		50000000ULL	/* re-check even without a wake-up */
#define O_NONBLOCK_L	0x800
#define O_CLOEXEC_L	0x80000

struct waiter {
	long tid;
	volatile int *flag;
};

struct pipe {
	uint32_t gen;
	bool used;
	uint8_t *buf;
	size_t head, count;		/* ring: [head, head + count) */
	int readers, writers;
	struct waiter w[PIPE_WAITERS];
};

static struct pipe pipes[MAX_PIPES];

static struct pipe *
pipe_of(const struct ps_fd *f)
{
	struct pipe *pp;

	if ((f->kind != PS_FD_PIPE_R && f->kind != PS_FD_PIPE_W) ||
	    f->pipe_slot >= MAX_PIPES)
		return (NULL);
	pp = &pipes[f->pipe_slot];
	return (pp->used && pp->gen == f->pipe_gen ? pp : NULL);
}

static void
wake_all(struct pipe *pp)
{
	unsigned i;

	ps_poll_wake();		/* pollers re-scan every change */
	for (i = 0; i < PIPE_WAITERS; i++)
		if (pp->w[i].tid != 0) {
			*pp->w[i].flag = 1;
			ps_unpark(pp->w[i].tid);
			pp->w[i].tid = 0;
		}
}

/* Park the current process until the pipe changes (or a timeout). */
static void
wait_on(struct ps_proc *p, struct pipe *pp)
{
	volatile int flag = 0;
	unsigned i;

	for (i = 0; i < PIPE_WAITERS; i++)
		if (pp->w[i].tid == 0) {
			pp->w[i].tid = ps_current_task_id();
			pp->w[i].flag = &flag;
			break;
		}
	ps_park_until(hal_clock_ns() + PARK_NS, &flag);
	/* A timeout leaves our entry behind: it must not outlive `flag`. */
	for (i = 0; i < PIPE_WAITERS; i++)
		if (pp->w[i].flag == &flag)
			pp->w[i].tid = 0;
}

static void
pipe_free(struct pipe *pp)
{
	mm_kfree(pp->buf);
	pp->buf = NULL;
	pp->used = false;
	pp->gen++;
}

long
ps_pipe2(struct ps_proc *p, uint64_t ufds, uint64_t flags)
{
	struct pipe *pp = NULL;
	int32_t fds[2];
	unsigned i;
	long a, b;

	if ((flags & ~(uint64_t)(O_NONBLOCK_L | O_CLOEXEC_L)) != 0)
		return (-NC_EINVAL);
	if (!mm_user_range_ok(ufds, sizeof(fds)))
		return (-EFAULT);
	/* The two lowest free fds (the table grows as needed). */
	if ((a = ps_fd_lowest(p, 0)) < 0)
		return (a);			/* EMFILE */
	if ((b = ps_fd_lowest(p, (unsigned)a + 1)) < 0)
		return (b);
	fds[0] = (int32_t)a;
	fds[1] = (int32_t)b;
	for (i = 0; i < MAX_PIPES; i++)
		if (!pipes[i].used) {
			pp = &pipes[i];
			break;
		}
	if (pp == NULL)
		return (-23);			/* ENFILE */
	if ((pp->buf = mm_kmalloc(PIPE_SIZE)) == NULL)
		return (-NC_ENOMEM);
	if (hal_copy_to_user(ufds, fds, sizeof(fds)) != 0) {
		mm_kfree(pp->buf);
		pp->buf = NULL;
		return (-EFAULT);
	}
	pp->used = true;
	pp->head = pp->count = 0;
	pp->readers = pp->writers = 1;
	memset(pp->w, 0, sizeof(pp->w));
	for (i = 0; i < 2; i++) {
		struct ps_fd *f = &p->fds[fds[i]];

		memset(f, 0, sizeof(*f));
		f->kind = i == 0 ? PS_FD_PIPE_R : PS_FD_PIPE_W;
		f->fd_flags = (flags & O_CLOEXEC_L) ? PS_FD_CLOEXEC : 0;
		f->status_flags = (uint32_t)(flags & O_NONBLOCK_L);
		f->pipe_slot = (uint32_t)(pp - pipes);
		f->pipe_gen = pp->gen;
	}
	return (0);
}

long
ps_pipe_read(struct ps_proc *p, struct ps_fd *f, uint64_t buf, uint64_t len)
{
	struct pipe *pp = pipe_of(f);
	size_t n, chunk, done = 0;

	if (pp == NULL || f->kind != PS_FD_PIPE_R)
		return (-EBADF);
	if (len == 0)
		return (0);
	if (!mm_user_range_ok(buf, len))
		return (-EFAULT);
	while (pp->count == 0) {
		if (pp->writers == 0)
			return (0);		/* EOF */
		if (f->status_flags & PS_FL_NONBLOCK)
			return (-EAGAIN);
		if (ps_signal_interrupts(p))
			return (-PS_ERESTARTSYS);
		wait_on(p, pp);
		/* The fd may have been closed meanwhile (another thread). */
		if ((pp = pipe_of(f)) == NULL)
			return (-EBADF);
	}
	n = len < pp->count ? (size_t)len : pp->count;
	while (done < n) {
		chunk = PIPE_SIZE - pp->head;
		if (chunk > n - done)
			chunk = n - done;
		if (hal_copy_to_user(buf + done, pp->buf + pp->head,
		    chunk) != 0)
			break;
		pp->head = (pp->head + chunk) % PIPE_SIZE;
		pp->count -= chunk;
		done += chunk;
	}
	wake_all(pp);
	return (done > 0 ? (long)done : -EFAULT);
}

long
ps_pipe_write(struct ps_proc *p, struct ps_fd *f, uint64_t buf, uint64_t len)
{
	struct pipe *pp = pipe_of(f);
	size_t room, tail, chunk, done = 0;

	if (pp == NULL || f->kind != PS_FD_PIPE_W)
		return (-EBADF);
	if (len == 0)
		return (0);
	if (!mm_user_range_ok(buf, len))
		return (-EFAULT);
	while (done < len) {
		if (pp->readers == 0)
			return (done > 0 ? (long)done : -EPIPE);
		room = PIPE_SIZE - pp->count;
		/* Writes of up to PIPE_BUF bytes are atomic. */
		if (room == 0 || (len <= PIPE_ATOMIC && room < len)) {
			if (f->status_flags & PS_FL_NONBLOCK)
				return (done > 0 ? (long)done : -EAGAIN);
			if (ps_signal_interrupts(p))
				return (done > 0 ? (long)done :
				    -PS_ERESTARTSYS);
			wait_on(p, pp);
			if ((pp = pipe_of(f)) == NULL)
				return (done > 0 ? (long)done : -EBADF);
			continue;
		}
		tail = (pp->head + pp->count) % PIPE_SIZE;
		chunk = PIPE_SIZE - tail;
		if (chunk > room)
			chunk = room;
		if (chunk > len - done)
			chunk = len - done;
		if (hal_copy_from_user(pp->buf + tail, buf + done, chunk) != 0)
			return (done > 0 ? (long)done : -EFAULT);
		pp->count += chunk;
		done += chunk;
		wake_all(pp);
	}
	return ((long)done);
}

int
ps_pipe_poll(const struct ps_fd *f)
{
	struct pipe *pp = pipe_of(f);
	int m = 0;

	if (pp == NULL)
		return (0x20);				/* POLLNVAL */
	if (f->kind == PS_FD_PIPE_R) {
		if (pp->count > 0)
			m |= 0x1;			/* POLLIN */
		if (pp->writers == 0)
			m |= 0x10;			/* POLLHUP */
	} else {
		if (PIPE_SIZE - pp->count >= PIPE_ATOMIC)
			m |= 0x4;			/* POLLOUT */
		if (pp->readers == 0)
			m |= 0x8 | 0x4;			/* POLLERR */
	}
	return (m);
}

void
ps_fd_hold(struct ps_fd *f)
{
	struct pipe *pp = pipe_of(f);

	if (f->kind == PS_FD_MEMFD && f->mobj != NULL)
		mm_obj_hold(f->mobj);
	if (f->kind == PS_FD_SOCK)
		ps_sock_hold(f);
	if (pp == NULL)
		return;
	if (f->kind == PS_FD_PIPE_R)
		pp->readers++;
	else
		pp->writers++;
}

void
ps_fd_drop(struct ps_fd *f)
{
	struct pipe *pp = pipe_of(f);

	if (pp != NULL) {
		if (f->kind == PS_FD_PIPE_R && pp->readers > 0)
			pp->readers--;
		else if (f->kind == PS_FD_PIPE_W && pp->writers > 0)
			pp->writers--;
		wake_all(pp);
		if (pp->readers == 0 && pp->writers == 0)
			pipe_free(pp);
	}
	if (f->kind == PS_FD_MEMFD && f->mobj != NULL)
		mm_obj_put(f->mobj);
	if (f->kind == PS_FD_SOCK)
		ps_sock_drop(f);
	memset(f, 0, sizeof(*f));
}

long
ps_fd_dup(struct ps_proc *p, uint64_t oldfd, long newfd, long minfd,
    bool cloexec)
{
	struct ps_fd *o;
	long fd, r;

	if (oldfd >= p->fd_cap || p->fds[oldfd].kind == PS_FD_NONE)
		return (-EBADF);
	if (newfd >= 0) {
		if (newfd >= (long)ps_fd_limit(p))
			return (-EBADF);	/* Linux: also above RLIMIT_NOFILE */
		if ((uint64_t)newfd == oldfd)
			return (newfd);
		fd = newfd;
		if ((r = ps_fd_reserve(p, (unsigned)fd)) < 0)
			return (r);
	} else {
		if (minfd < 0 || minfd >= (long)ps_fd_limit(p))
			return (-NC_EINVAL);
		if ((fd = ps_fd_lowest(p, (unsigned)minfd)) < 0)
			return (fd);		/* EMFILE */
	}
	/* After any growth of the table. */
	o = &p->fds[oldfd];
	/*
	 * A vfsd fd: vfsd takes the new reference first (dups share its
	 * open file description); then a replaced fd is closed, through
	 * vfsd when it is remote (errors of that close are silent, as in
	 * Linux).
	 */
	if (o->kind == PS_FD_REMOTE && (r = ps_remote_dup(p, o)) < 0)
		return (r);
	if (p->fds[fd].kind != PS_FD_NONE)
		(void)ps_remote_close(p, &p->fds[fd]);
	p->fds[fd] = *o;
	p->fds[fd].fd_flags = cloexec ? PS_FD_CLOEXEC : 0;
	ps_fd_hold(&p->fds[fd]);
	return (fd);
}

long
ps_fd_fcntl(struct ps_proc *p, uint64_t fd, uint64_t cmd, uint64_t arg)
{
	struct ps_fd *f;

	if (fd >= p->fd_cap || p->fds[fd].kind == PS_FD_NONE)
		return (-EBADF);
	f = &p->fds[fd];
	switch (cmd) {
	case 0:			/* F_DUPFD */
		return (ps_fd_dup(p, fd, -1, (long)arg, false));
	case 1030:		/* F_DUPFD_CLOEXEC */
		return (ps_fd_dup(p, fd, -1, (long)arg, true));
	case 1:			/* F_GETFD */
		return (f->fd_flags & PS_FD_CLOEXEC);
	case 2:			/* F_SETFD */
		f->fd_flags = (arg & 1) ? PS_FD_CLOEXEC : 0;
		return (0);
	case 3:			/* F_GETFL */
	case 4:			/* F_SETFL */
		/* The open file description of a vfsd fd is vfsd's. */
		if (f->kind == PS_FD_REMOTE)
			return (ps_remote_call(p, VFS_IPC_OP_FCNTL, 0,
			    f->remote_id, cmd, arg, NULL));
		if (cmd == 3)
			return ((f->kind == PS_FD_PIPE_W ? 1 : f->kind ==
			    PS_FD_SOCK ? 2 : f->kind ==
			    PS_FD_CONSOLE ? 2 : f->kind == PS_FD_DEVICE ?
			    f->remote_kind & 3 : 0) | f->status_flags);
		/* Only O_NONBLOCK changes. */
		f->status_flags = (uint32_t)(arg & O_NONBLOCK_L);
		return (0);
	}
	return (-NC_EINVAL);
}
