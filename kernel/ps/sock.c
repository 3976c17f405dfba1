/*
 * sock.c -- kernel socket endpoints: the AF_UNIX data path.  netd decides
 * who gets a socket, names, listening and connecting (through NET_BROKER,
 * executive/net.c); the objects and every byte of data stay here, so
 * read/write/send/recv/poll never leave the kernel.
 *
 * An endpoint has a receive ring: SOCK_STREAM keeps bytes, SOCK_DGRAM and
 * SOCK_SEQPACKET keep records (a u32 length, then the bytes) so message
 * boundaries survive.  A sender writes into its peer's ring.  A listener
 * keeps an accept queue of endpoints that are already connected to their
 * clients (as Linux does: connect returns before accept).
 *
 * Invariants: endpoints live in a fixed table and are named by (slot,
 * generation) -- socket ids and fd snapshots of a dead endpoint find a
 * new generation and get -EBADF/-ENOENT, never freed memory.  `refs`
 * counts fd references; an endpoint in an accept queue has none and is
 * owned by the queue.  The kernel is not preempted between safe points on
 * the one CPU, so the table needs no lock; parks re-check after waking.
 *
 * Sockets in flight (SCM_RIGHTS) can keep each other alive with no user
 * fd left: a socket sent into its own receive queue, or two sent into
 * each other's.  sock_gc (after a close that leaves references) finds
 * the endpoints whose every reference is in some queue and that no
 * queue of a live endpoint reaches, and discards their queues (Linux's
 * unix_gc idea); the references those held go, and with them the
 * endpoints.  It never runs while a queue's rights are being freed.
 */
#include <ps/api.h>
#include <hal/api.h>
#include <mm/api.h>
#include <nucleus-core/api.h>

#define EBADF		9
#define EAGAIN		11
#define EFAULT		14
#define EPIPE		32
#define EMSGSIZE	90
#define EOPNOTSUPP	95
#define ECONNREFUSED	111
#define ENOTCONN	107
#define ENOBUFS		105

#define MAX_SOCKS	256
#define SOCK_WAITERS	16
#define SOCK_BUF_DEF	65536	/* receive ring per endpoint */
#define SOCK_BUF_MIN	4096
#define SOCK_BUF_MAX	262144
#define SOCK_WSPACE	4096	/* POLLOUT when the peer has this much room */
#define PARK_NS		50000000ULL
#define REC_HDR		16	/* struct rec_hdr */
#define SOCK_ATTACH_MAX	16	/* messages with fds queued per endpoint */
#define ETOOMANYREFS	109

#define POLLIN		0x1
#define POLLOUT		0x4
#define POLLERR		0x8
#define POLLHUP		0x10
#define POLLNVAL	0x20
#define POLLRDHUP	0x2000

struct waiter {
	long tid;
	volatile int *flag;
};

/* A record's header in the ring (dgram, seqpacket). */
struct rec_hdr {
	uint32_t len;
	uint32_t pad;
	uint64_t from;			/* the sender's socket id */
};

struct sock {
	uint32_t gen;
	bool used;
	uint8_t type;			/* PS_SOCK_STREAM/DGRAM/SEQPACKET */
	uint8_t state;			/* PS_SOCK_ST_* */
	bool shut_rd, shut_wr;
	int refs;			/* fd references */
	uint64_t peer;			/* id of the connected peer, 0 none */
	bool had_peer;			/* connected once: EOF when it is gone */
	uint8_t *buf;
	size_t cap, head, count;	/* ring: [head, head + count) */
	unsigned nrec;			/* records queued (dgram, seqpacket) */
	unsigned backlog, aq_n;
	uint64_t aq[PS_SOCK_BACKLOG_MAX];
	uint8_t name[PS_SOCK_NAME_MAX];
	uint32_t name_len;
	struct ps_sock_cred cred;	/* its owner (socketpair/listen/connect) */
	struct ps_sock_cred pcred;	/* SO_PEERCRED */
	uint32_t sndbuf;
	bool passcred;
	/*
	 * SCM_RIGHTS in flight: fds attached at a byte position of the
	 * receive stream (rx_in counts every byte queued, rx_out every byte
	 * taken, record headers included).
	 */
	uint64_t rx_in, rx_out;
	struct {
		uint64_t at;
		struct ps_rights *r;
	} att[SOCK_ATTACH_MAX];
	unsigned natt;
	struct waiter w[SOCK_WAITERS];
};

static struct sock socks[MAX_SOCKS];

static uint64_t
id_of(const struct sock *s)
{
	return ((uint64_t)(s - socks) + 1) | (uint64_t)s->gen << 32;
}

static struct sock *
by_id(uint64_t id)
{
	uint64_t slot = (id & 0xffffffffu);
	struct sock *s;

	if (slot == 0 || slot > MAX_SOCKS)
		return (NULL);
	s = &socks[slot - 1];
	return (s->used && s->gen == (uint32_t)(id >> 32) ? s : NULL);
}

static struct sock *
sock_of(const struct ps_fd *f)
{
	struct sock *s;

	if (f->kind != PS_FD_SOCK || f->pipe_slot >= MAX_SOCKS)
		return (NULL);
	s = &socks[f->pipe_slot];
	return (s->used && s->gen == f->pipe_gen ? s : NULL);
}

static void
wake_one_sock(struct sock *s)
{
	unsigned i;

	for (i = 0; i < SOCK_WAITERS; i++)
		if (s->w[i].tid != 0) {
			*s->w[i].flag = 1;
			ps_unpark(s->w[i].tid);
			s->w[i].tid = 0;
		}
}

/* Any change of s wakes its waiters, its peer's and every poller. */
static void
wake(struct sock *s)
{
	struct sock *pe = by_id(s->peer);

	ps_poll_wake();
	wake_one_sock(s);
	if (pe != NULL)
		wake_one_sock(pe);
}

static void
wait_on(struct sock *s)
{
	volatile int flag = 0;
	unsigned i;

	for (i = 0; i < SOCK_WAITERS; i++)
		if (s->w[i].tid == 0) {
			s->w[i].tid = ps_current_task_id();
			s->w[i].flag = &flag;
			break;
		}
	ps_park_until(hal_clock_ns() + PARK_NS, &flag);
	for (i = 0; i < SOCK_WAITERS; i++)
		if (s->w[i].flag == &flag)
			s->w[i].tid = 0;
}

static struct sock *
sock_alloc(int type)
{
	struct sock *s = NULL;
	uint32_t gen;
	unsigned i;

	for (i = 0; i < MAX_SOCKS; i++)
		if (!socks[i].used) {
			s = &socks[i];
			break;
		}
	if (s == NULL)
		return (NULL);
	gen = s->gen;
	memset(s, 0, sizeof(*s));
	s->gen = gen;
	if ((s->buf = mm_kmalloc(SOCK_BUF_DEF)) == NULL)
		return (NULL);
	s->cap = SOCK_BUF_DEF;
	s->sndbuf = SOCK_BUF_DEF;
	s->type = (uint8_t)type;
	s->used = true;
	return (s);
}

static void sock_release(struct sock *s);
static void sock_gc(void);

/*
 * Collection is deferred while rights are being freed (a queue may list
 * a half-freed message then); the last one out runs a pending pass.
 */
static unsigned gc_defer;
static bool gc_wanted;

static void
gc_enter(void)
{
	gc_defer++;
}

static void
gc_leave(void)
{
	if (--gc_defer == 0 && gc_wanted)
		sock_gc();
}

static void
sock_free(struct sock *s)
{
	struct ps_rights *q[SOCK_ATTACH_MAX];
	unsigned i, n;

	/* Undelivered fds: their references go (cycles: sock_gc). */
	gc_enter();
	n = s->natt;
	for (i = 0; i < n; i++)
		q[i] = s->att[i].r;
	s->natt = 0;
	for (i = 0; i < n; i++)
		ps_rights_free(q[i]);
	mm_kfree(s->buf);
	s->buf = NULL;
	s->used = false;
	s->gen++;
	gc_leave();
}

/* The last fd reference is gone (or a queued endpoint is dropped). */
static void
sock_release(struct sock *s)
{
	struct sock *pe = by_id(s->peer);
	unsigned i;

	/*
	 * Only a peer connected back to s loses its peer (a datagram
	 * socket's default target may be connected elsewhere).
	 */
	if (pe != NULL) {
		if (pe->peer == id_of(s))
			pe->peer = 0;
		wake_one_sock(pe);
	}
	for (i = 0; i < s->aq_n; i++) {
		struct sock *q = by_id(s->aq[i]);

		if (q != NULL && q->refs == 0)
			sock_release(q);
	}
	s->aq_n = 0;
	ps_poll_wake();
	wake_one_sock(s);
	sock_free(s);
}

static void
install(struct ps_proc *t, long fd, struct sock *s, uint32_t flags)
{
	struct ps_fd *f = &t->fds[fd];

	memset(f, 0, sizeof(*f));
	f->kind = PS_FD_SOCK;
	f->fd_flags = (flags & PS_SOCK_CLOEXEC) ? PS_FD_CLOEXEC : 0;
	f->status_flags = flags & PS_SOCK_NONBLOCK;
	f->pipe_slot = (uint32_t)(s - socks);
	f->pipe_gen = s->gen;
	s->refs++;
}

bool
ps_sock_type_ok(uint64_t type)
{
	return (type == PS_SOCK_STREAM || type == PS_SOCK_DGRAM ||
	    type == PS_SOCK_SEQPACKET);
}

long
ps_sock_create(struct ps_proc *t, int type, uint32_t flags,
    const struct ps_sock_cred *cred, uint64_t *id)
{
	struct sock *s;
	long fd;

	if (!ps_sock_type_ok((uint64_t)type))
		return (-NC_EINVAL);
	if ((fd = ps_fd_lowest(t, 0)) < 0)
		return (fd);
	if ((s = sock_alloc(type)) == NULL)
		return (-ENOBUFS);
	if (cred != NULL)
		s->cred = *cred;
	install(t, fd, s, flags);
	if (id != NULL)
		*id = id_of(s);
	return (fd);
}

long
ps_sock_pair(struct ps_proc *t, int type, uint32_t flags,
    const struct ps_sock_cred *cred, int32_t fds[2])
{
	struct sock *a, *b;
	long fa, fb;

	if (!ps_sock_type_ok((uint64_t)type))
		return (-NC_EINVAL);
	if ((fa = ps_fd_lowest(t, 0)) < 0)
		return (fa);
	if ((fb = ps_fd_lowest(t, (unsigned)fa + 1)) < 0)
		return (fb);
	if ((a = sock_alloc(type)) == NULL)
		return (-ENOBUFS);
	if ((b = sock_alloc(type)) == NULL) {
		sock_free(a);
		return (-ENOBUFS);
	}
	a->state = b->state = PS_SOCK_ST_CONNECTED;
	a->peer = id_of(b);
	b->peer = id_of(a);
	a->had_peer = b->had_peer = true;
	if (cred != NULL)
		a->cred = b->cred = a->pcred = b->pcred = *cred;
	install(t, fa, a, flags);
	install(t, fb, b, flags);
	fds[0] = (int32_t)fa;
	fds[1] = (int32_t)fb;
	return (0);
}

long
ps_sock_listen(uint64_t id, unsigned backlog, const struct ps_sock_cred *cred)
{
	struct sock *s = by_id(id);

	if (s == NULL)
		return (-NC_ENOENT);
	if (s->type == PS_SOCK_DGRAM)
		return (-EOPNOTSUPP);
	if (s->state == PS_SOCK_ST_CONNECTED)
		return (-NC_EINVAL);
	if (backlog == 0)
		backlog = 1;
	if (backlog > PS_SOCK_BACKLOG_MAX)
		backlog = PS_SOCK_BACKLOG_MAX;
	s->backlog = backlog;
	s->state = PS_SOCK_ST_LISTENING;
	if (cred != NULL)
		s->cred = *cred;
	wake(s);
	return (0);
}

long
ps_sock_connect(uint64_t id, uint64_t target, const struct ps_sock_cred *cred)
{
	struct sock *c = by_id(id), *l = by_id(target), *e;

	if (c == NULL || l == NULL)
		return (c == NULL ? -NC_ENOENT : -ECONNREFUSED);
	if (c->type != l->type)
		return (-ECONNREFUSED);		/* Linux: EPROTOTYPE */
	if (c->type == PS_SOCK_DGRAM) {
		/* The default destination; no endpoint is made. */
		c->peer = id_of(l);
		c->had_peer = true;
		c->state = PS_SOCK_ST_CONNECTED;
		if (cred != NULL)
			c->cred = *cred;
		c->pcred = l->cred;
		return (0);
	}
	if (c->state != PS_SOCK_ST_UNCONNECTED)
		return (c->state == PS_SOCK_ST_CONNECTED ? -106 /* EISCONN */ :
		    -NC_EINVAL);
	if (l->state != PS_SOCK_ST_LISTENING)
		return (-ECONNREFUSED);
	if (l->aq_n >= l->backlog)
		return (-EAGAIN);
	if ((e = sock_alloc(c->type)) == NULL)
		return (-ENOBUFS);
	e->state = c->state = PS_SOCK_ST_CONNECTED;
	e->peer = id_of(c);
	c->peer = id_of(e);
	e->had_peer = c->had_peer = true;
	memcpy(e->name, l->name, sizeof(e->name));
	e->name_len = l->name_len;
	e->cred = l->cred;
	if (cred != NULL)
		c->cred = e->pcred = *cred;
	c->pcred = l->cred;
	l->aq[l->aq_n++] = id_of(e);
	wake(l);
	wake(c);
	return (0);
}

long
ps_sock_setname(uint64_t id, const void *name, size_t len)
{
	struct sock *s = by_id(id);

	if (s == NULL)
		return (-NC_ENOENT);
	if (len > PS_SOCK_NAME_MAX)
		return (-NC_EINVAL);
	memset(s->name, 0, sizeof(s->name));
	memcpy(s->name, name, len);
	s->name_len = (uint32_t)len;
	return (0);
}

long
ps_sock_shutdown(uint64_t id, unsigned how)
{
	struct sock *s = by_id(id);

	if (s == NULL)
		return (-NC_ENOENT);
	if (how > 2)
		return (-NC_EINVAL);
	/* Linux's AF_UNIX shutdown does not ask for a connection. */
	if (how == 0 || how == 2)
		s->shut_rd = true;
	if (how == 1 || how == 2)
		s->shut_wr = true;
	wake(s);
	return (0);
}

long
ps_sock_setopt(uint64_t id, unsigned opt, uint64_t val)
{
	struct sock *s = by_id(id);
	uint8_t *nb;

	if (s == NULL)
		return (-NC_ENOENT);
	switch (opt) {
	case PS_SOCKOPT_SNDBUF:
		s->sndbuf = (uint32_t)(val < SOCK_BUF_MIN ? SOCK_BUF_MIN :
		    val > SOCK_BUF_MAX ? SOCK_BUF_MAX : val);
		return (0);
	case PS_SOCKOPT_RCVBUF:
		val = val < SOCK_BUF_MIN ? SOCK_BUF_MIN : val > SOCK_BUF_MAX ?
		    SOCK_BUF_MAX : val;
		/* Only an empty ring is resized (no data moves). */
		if (s->count != 0 || val == s->cap)
			return (0);
		if ((nb = mm_kmalloc((size_t)val)) == NULL)
			return (-NC_ENOMEM);
		mm_kfree(s->buf);
		s->buf = nb;
		s->cap = (size_t)val;
		s->head = 0;
		return (0);
	case PS_SOCKOPT_PASSCRED:
		s->passcred = val != 0;
		return (0);
	}
	return (-NC_EINVAL);
}

long
ps_sock_info(uint64_t id, struct ps_sock_info *out)
{
	struct sock *s = by_id(id), *pe;

	if (s == NULL)
		return (-NC_ENOENT);
	memset(out, 0, sizeof(*out));
	out->id = id;
	out->type = s->type;
	out->state = s->state;
	memcpy(out->name, s->name, sizeof(out->name));
	out->name_len = s->name_len;
	if ((pe = by_id(s->peer)) != NULL) {
		memcpy(out->peer_name, pe->name, sizeof(out->peer_name));
		out->peer_name_len = pe->name_len;
	}
	if (s->state == PS_SOCK_ST_CONNECTED)
		out->pcred = s->pcred;
	out->sndbuf = s->sndbuf;
	out->rcvbuf = (uint32_t)s->cap;
	out->passcred = s->passcred;
	out->cred = s->cred;
	return (0);
}

uint64_t
ps_sock_id(const struct ps_fd *f)
{
	struct sock *s = sock_of(f);

	return (s != NULL ? id_of(s) : 0);
}

/* ---- the ring ---- */

/* Copy n bytes into the ring tail from kernel memory or a user cursor. */
static long
ring_put(struct sock *s, const void *k, struct ps_iov_cur *cur, size_t n)
{
	size_t tail, chunk, done = 0;

	while (done < n) {
		tail = (s->head + s->count) % s->cap;
		chunk = s->cap - tail;
		if (chunk > n - done)
			chunk = n - done;
		if (k != NULL)
			memcpy(s->buf + tail, (const uint8_t *)k + done, chunk);
		else if (ps_iov_copy_in(cur, s->buf + tail, chunk) != 0)
			return (-EFAULT);
		s->count += chunk;
		s->rx_in += chunk;
		done += chunk;
	}
	return (0);
}

/* Copy n bytes from ring offset off (relative to head) out. */
static long
ring_get(struct sock *s, size_t off, void *k, struct ps_iov_cur *cur,
    size_t n)
{
	size_t pos, chunk, done = 0;

	while (done < n) {
		pos = (s->head + off + done) % s->cap;
		chunk = s->cap - pos;
		if (chunk > n - done)
			chunk = n - done;
		if (k != NULL)
			memcpy((uint8_t *)k + done, s->buf + pos, chunk);
		else if (ps_iov_copy_out(cur, s->buf + pos, chunk) != 0)
			return (-EFAULT);
		done += chunk;
	}
	return (0);
}

static void
ring_drop(struct sock *s, size_t n)
{
	s->head = (s->head + n) % s->cap;
	s->count -= n;
	s->rx_out += n;
	if (s->count == 0)
		s->head = 0;
}

/* ---- data path ---- */

/* The endpoint a send from s writes into, or NULL. */
static struct sock *
target_of(struct sock *s)
{
	return (by_id(s->peer));
}

/* Attach rights at t's current input position (before the data). */
static long
attach(struct sock *t, struct ps_rights *r)
{
	if (r == NULL)
		return (0);
	if (t->natt >= SOCK_ATTACH_MAX)
		return (-ETOOMANYREFS);
	t->att[t->natt].at = t->rx_in;
	t->att[t->natt].r = r;
	t->natt++;
	return (0);
}

/* Take the rights attached before position `upto` (delivered). */
static struct ps_rights *
detach(struct sock *s, uint64_t upto)
{
	struct ps_rights *r = NULL, *extra;
	unsigned i, j;

	gc_enter();
	for (i = 0; i < s->natt; i++)
		if (s->att[i].at < upto) {
			extra = r == NULL ? NULL : s->att[i].r;
			if (r == NULL)
				r = s->att[i].r;
			for (j = i + 1; j < s->natt; j++)
				s->att[j - 1] = s->att[j];
			s->natt--;
			i--;
			ps_rights_free(extra);		/* one per read */
		}
	gc_leave();
	return (r);
}

long
ps_sock_send(struct ps_proc *p, struct ps_fd *f, struct ps_iov_cur *cur,
    size_t len, unsigned flags, struct ps_rights *rights, uint64_t to)
{
	struct sock *s = sock_of(f), *t;
	bool nonblock;
	size_t room, chunk, saved, done = 0;
	struct rec_hdr hdr;
	long r;

	if (s == NULL)
		return (-EBADF);
	nonblock = (f->status_flags & PS_FL_NONBLOCK) ||
	    (flags & PS_MSG_DONTWAIT);
	if (s->type != PS_SOCK_STREAM) {
		/* One record, all or nothing. */
		if (len > s->sndbuf || len + REC_HDR > SOCK_BUF_MAX)
			return (-EMSGSIZE);
		for (;;) {
			if ((s = sock_of(f)) == NULL)
				return (-EBADF);
			if (s->shut_wr)
				return (-EPIPE);
			t = target_of(s);
			if (to != 0 && s->type == PS_SOCK_DGRAM &&
			    (t = by_id(to)) == NULL)
				return (-ECONNREFUSED);
			if (t == NULL) {
				if (s->type == PS_SOCK_DGRAM)
					return (s->had_peer ? -ECONNREFUSED :
					    -ENOTCONN);
				return (s->had_peer ? -EPIPE : -ENOTCONN);
			}
			if (s->type == PS_SOCK_SEQPACKET && t->shut_rd)
				return (-EPIPE);
			if (len + REC_HDR > t->cap)
				return (-EMSGSIZE);
			if (t->cap - t->count >= len + REC_HDR)
				break;
			if (nonblock)
				return (-EAGAIN);
			if (ps_signal_interrupts(p))
				return (-PS_ERESTARTSYS);
			wait_on(t);
		}
		if (rights != NULL && t->natt >= SOCK_ATTACH_MAX)
			return (-ETOOMANYREFS);
		memset(&hdr, 0, sizeof(hdr));
		hdr.len = (uint32_t)len;
		hdr.from = id_of(s);
		saved = t->count;
		(void)ring_put(t, &hdr, NULL, REC_HDR);
		if ((r = ring_put(t, NULL, cur, len)) < 0) {
			/* Take the partial record back. */
			t->rx_in -= t->count - saved;
			t->count = saved;
			return (r);
		}
		t->rx_in -= REC_HDR + len;
		(void)attach(t, rights);	/* at the record's start */
		t->rx_in += REC_HDR + len;
		t->nrec++;
		wake(t);
		return ((long)len);
	}
	while (done < len) {
		if ((s = sock_of(f)) == NULL)
			return (done > 0 ? (long)done : -EBADF);
		if (s->state != PS_SOCK_ST_CONNECTED)
			return (-ENOTCONN);
		t = target_of(s);
		if (s->shut_wr || t == NULL || t->shut_rd)
			return (done > 0 ? (long)done : -EPIPE);
		room = t->cap - t->count;
		if (room == 0) {
			if (nonblock)
				return (done > 0 ? (long)done : -EAGAIN);
			if (ps_signal_interrupts(p))
				return (done > 0 ? (long)done :
				    -PS_ERESTARTSYS);
			wait_on(t);
			continue;
		}
		chunk = len - done < room ? len - done : room;
		if (done == 0 && rights != NULL && (r = attach(t, rights)) < 0)
			return (r);
		if ((r = ring_put(t, NULL, cur, chunk)) < 0) {
			if (done == 0 && rights != NULL)
				t->natt--;	/* not sent: the caller frees */
			return (done > 0 ? (long)done : r);
		}
		done += chunk;
		wake(t);
	}
	return ((long)done);
}

/* EOF for s: nothing queued and nothing can arrive any more. */
static bool
at_eof(struct sock *s)
{
	struct sock *pe = by_id(s->peer);

	if (s->shut_rd)
		return (true);
	if (s->type == PS_SOCK_DGRAM)
		return (false);
	if (pe == NULL)
		return (s->had_peer);
	return (pe->shut_wr);
}

long
ps_sock_recv(struct ps_proc *p, struct ps_fd *f, struct ps_iov_cur *cur,
    size_t len, unsigned flags, unsigned *out_flags, struct ps_rights **rights,
    uint64_t *from)
{
	struct sock *s = sock_of(f);
	bool nonblock, peek = (flags & PS_MSG_PEEK) != 0;
	struct rec_hdr hdr;
	size_t n;
	long r;

	if (s == NULL)
		return (-EBADF);
	nonblock = (f->status_flags & PS_FL_NONBLOCK) ||
	    (flags & PS_MSG_DONTWAIT);
	if (out_flags != NULL)
		*out_flags = 0;
	for (;;) {
		if ((s = sock_of(f)) == NULL)
			return (-EBADF);
		if (s->type != PS_SOCK_DGRAM &&
		    s->state != PS_SOCK_ST_CONNECTED)
			return (s->state == PS_SOCK_ST_LISTENING ?
			    -NC_EINVAL : -ENOTCONN);
		if (s->count > 0)
			break;
		if (at_eof(s))
			return (0);
		if (nonblock)
			return (-EAGAIN);
		if (ps_signal_interrupts(p))
			return (-PS_ERESTARTSYS);
		wait_on(s);
	}
	if (rights != NULL)
		*rights = NULL;
	if (from != NULL)
		*from = s->peer;
	if (s->type == PS_SOCK_STREAM) {
		unsigned i;

		n = len < s->count ? len : s->count;
		/* A read stops before data that carries fds (Linux: skb). */
		for (i = 0; i < s->natt; i++)
			if (s->att[i].at > s->rx_out &&
			    s->att[i].at < s->rx_out + n)
				n = (size_t)(s->att[i].at - s->rx_out);
		if ((r = ring_get(s, 0, NULL, cur, n)) < 0)
			return (r);
		if (!peek) {
			struct ps_rights *got = detach(s, s->rx_out + 1);

			ring_drop(s, n);
			if (rights != NULL)
				*rights = got;
			else
				ps_rights_free(got);
		}
		wake(s);
		return ((long)n);
	}
	(void)ring_get(s, 0, &hdr, NULL, REC_HDR);
	if (from != NULL)
		*from = hdr.from;
	n = len < hdr.len ? len : hdr.len;
	if ((r = ring_get(s, REC_HDR, NULL, cur, n)) < 0)
		return (r);
	if (n < hdr.len && out_flags != NULL)
		*out_flags |= PS_MSG_TRUNC;
	if (!peek) {
		struct ps_rights *got = detach(s, s->rx_out + 1);

		ring_drop(s, REC_HDR + hdr.len);
		s->nrec--;
		if (rights != NULL)
			*rights = got;
		else
			ps_rights_free(got);
	}
	wake(s);
	/* MSG_TRUNC asks for the real length of a datagram. */
	return ((long)((flags & PS_MSG_TRUNC) && s->type == PS_SOCK_DGRAM ?
	    hdr.len : n));
}

long
ps_sock_accept(struct ps_proc *p, struct ps_fd *f, uint32_t flags,
    uint64_t *peer_id)
{
	struct sock *s = sock_of(f), *e;
	long fd;
	unsigned i;

	if (s == NULL)
		return (-EBADF);
	for (;;) {
		if ((s = sock_of(f)) == NULL)
			return (-EBADF);
		if (s->type == PS_SOCK_DGRAM)
			return (-EOPNOTSUPP);
		if (s->state != PS_SOCK_ST_LISTENING)
			return (-NC_EINVAL);
		if (s->aq_n > 0)
			break;
		if (f->status_flags & PS_FL_NONBLOCK)
			return (-EAGAIN);
		if (ps_signal_interrupts(p))
			return (-PS_ERESTARTSYS);
		wait_on(s);
	}
	if ((fd = ps_fd_lowest(p, 0)) < 0)
		return (fd);
	e = by_id(s->aq[0]);
	for (i = 1; i < s->aq_n; i++)
		s->aq[i - 1] = s->aq[i];
	s->aq_n--;
	if (e == NULL)
		return (-103 /* ECONNABORTED */);
	install(p, fd, e, flags);
	if (peer_id != NULL)
		*peer_id = e->peer;
	wake(s);
	return (fd);
}

int
ps_sock_poll(const struct ps_fd *f)
{
	struct sock *s = sock_of(f), *t;
	int m = 0;

	if (s == NULL)
		return (POLLNVAL);
	if (s->state == PS_SOCK_ST_LISTENING)
		return (s->aq_n > 0 ? POLLIN : 0);
	if (s->count > 0)
		m |= POLLIN;
	if (s->type != PS_SOCK_DGRAM && s->state == PS_SOCK_ST_UNCONNECTED)
		return (POLLOUT | POLLHUP);
	if (at_eof(s))
		m |= POLLIN | POLLRDHUP;
	t = target_of(s);
	if (s->type != PS_SOCK_DGRAM && s->had_peer && t == NULL)
		m |= POLLHUP;
	if (s->shut_rd && s->shut_wr)
		m |= POLLHUP;
	if (t == NULL || s->shut_wr || t->shut_rd)
		m |= POLLOUT;		/* a write would not block (EPIPE) */
	else if (t->cap - t->count >= SOCK_WSPACE ||
	    t->cap - t->count == t->cap)
		m |= POLLOUT;
	if (s->type == PS_SOCK_DGRAM && s->had_peer && t == NULL)
		m |= POLLERR;
	return (m);
}

size_t
ps_sock_nread(const struct ps_fd *f)
{
	struct sock *s = sock_of(f);
	struct rec_hdr hdr;

	if (s == NULL || s->count == 0)
		return (0);
	if (s->type == PS_SOCK_STREAM)
		return (s->count);
	if (s->type == PS_SOCK_SEQPACKET)	/* Linux: every record */
		return (s->count - (size_t)s->nrec * REC_HDR);
	(void)ring_get(s, 0, &hdr, NULL, REC_HDR);
	return (hdr.len);
}

void
ps_sock_hold(struct ps_fd *f)
{
	struct sock *s = sock_of(f);

	if (s != NULL)
		s->refs++;
}

void
ps_sock_drop(struct ps_fd *f)
{
	struct sock *s = sock_of(f);

	if (s == NULL)
		return;
	if (s->refs > 0)
		s->refs--;
	if (s->refs == 0)
		sock_release(s);
	else {
		wake(s);
		/* What is left may be references in flight only. */
		gc_wanted = true;
		if (gc_defer == 0)
			sock_gc();
	}
}

/*
 * Garbage collection of sockets in flight.  inflight[i]: references of
 * socks[i] held by messages queued on any endpoint.  Candidates: those
 * with fd references all in flight (refs == inflight; an endpoint in an
 * accept queue has refs 0 and is not one).  Every other endpoint is
 * live, and so is each candidate a live endpoint's queue reaches
 * (transitively).  The rest can never be received: their queues are
 * taken first (so no free below sees a listed message), then freed,
 * which drops the last references.  Bounded: MAX_SOCKS endpoints, each
 * scanned once.
 */
static void
sock_gc(void)
{
	static uint16_t inflight[MAX_SOCKS], stack[MAX_SOCKS];
	static uint8_t mark[MAX_SOCKS];		/* 1 candidate, 2 live */
	struct ps_rights **q;
	struct sock *s, *t;
	unsigned i, a, k, sp = 0, n = 0, total = 0;

	gc_wanted = false;
	for (i = 0; i < MAX_SOCKS; i++) {
		inflight[i] = 0;
		if (socks[i].used)
			total += socks[i].natt;
	}
	if (total == 0)
		return;
	for (i = 0; i < MAX_SOCKS; i++) {
		s = &socks[i];
		if (!s->used)
			continue;
		for (a = 0; a < s->natt; a++)
			for (k = 0; k < s->att[a].r->n; k++)
				if ((t = sock_of(&s->att[a].r->fds[k])) != NULL)
					inflight[t - socks]++;
	}
	for (i = 0; i < MAX_SOCKS; i++) {
		s = &socks[i];
		mark[i] = 0;
		if (!s->used)
			continue;
		if (s->refs > 0 && s->refs == inflight[i]) {
			mark[i] = 1;
			n++;
		} else {
			mark[i] = 2;
			stack[sp++] = (uint16_t)i;
		}
	}
	if (n == 0)
		return;
	while (sp > 0) {
		s = &socks[stack[--sp]];
		for (a = 0; a < s->natt; a++)
			for (k = 0; k < s->att[a].r->n; k++) {
				t = sock_of(&s->att[a].r->fds[k]);
				if (t != NULL && mark[t - socks] == 1) {
					mark[t - socks] = 2;
					stack[sp++] = (uint16_t)(t - socks);
				}
			}
	}
	total = 0;
	for (i = 0; i < MAX_SOCKS; i++)
		if (mark[i] == 1)
			total += socks[i].natt;
	if (total == 0)
		return;
	if ((q = mm_kmalloc(total * sizeof(*q))) == NULL) {
		gc_wanted = true;		/* try again at the next close */
		return;
	}
	gc_enter();
	n = 0;
	for (i = 0; i < MAX_SOCKS; i++) {
		if (mark[i] != 1)
			continue;
		s = &socks[i];
		for (a = 0; a < s->natt; a++)
			q[n++] = s->att[a].r;
		s->natt = 0;
	}
	nc_debug(PROCESS, "sock gc: %u unreachable messages in flight", n);
	for (i = 0; i < n; i++)
		ps_rights_free(q[i]);
	mm_kfree(q);
	gc_defer--;		/* not gc_leave: one pass is enough */
	gc_wanted = false;
}

/* ---- user iovec cursors ---- */

long
ps_iov_copy_in(struct ps_iov_cur *c, void *dst, size_t n)
{
	size_t chunk;

	while (n > 0) {
		while (c->i < c->cnt && c->off >= c->v[c->i].len) {
			c->i++;
			c->off = 0;
		}
		if (c->i >= c->cnt)
			return (-EFAULT);
		chunk = c->v[c->i].len - c->off;
		if (chunk > n)
			chunk = n;
		if (hal_copy_from_user(dst, c->v[c->i].base + c->off,
		    chunk) != 0)
			return (-EFAULT);
		dst = (uint8_t *)dst + chunk;
		c->off += chunk;
		n -= chunk;
	}
	return (0);
}

long
ps_iov_copy_out(struct ps_iov_cur *c, const void *src, size_t n)
{
	size_t chunk;

	while (n > 0) {
		while (c->i < c->cnt && c->off >= c->v[c->i].len) {
			c->i++;
			c->off = 0;
		}
		if (c->i >= c->cnt)
			return (-EFAULT);
		chunk = c->v[c->i].len - c->off;
		if (chunk > n)
			chunk = n;
		if (hal_copy_to_user(c->v[c->i].base + c->off, src,
		    chunk) != 0)
			return (-EFAULT);
		src = (const uint8_t *)src + chunk;
		c->off += chunk;
		n -= chunk;
	}
	return (0);
}

/* ---- SCM_RIGHTS in flight ---- */

void
ps_rights_free(struct ps_rights *r)
{
	unsigned i;

	if (r == NULL)
		return;
	gc_enter();
	for (i = 0; i < r->n; i++) {
		if (r->fds[i].kind == PS_FD_REMOTE)
			(void)ps_remote_unref(ps_proc_current(), r->from_pid,
			    r->fds[i].remote_id);
		ps_fd_drop(&r->fds[i]);
	}
	mm_kfree(r);
	gc_leave();
}
