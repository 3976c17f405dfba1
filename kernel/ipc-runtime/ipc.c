/*
 * ipc.c -- capability IPC: endpoints held through per-process handles,
 * synchronous call / recv / try_recv / reply with bounded waits, one-shot
 * reply capabilities, the service registry (IPC_SERVICE_* ids) and the
 * capability bits it grants, and cleanup when a process dies (its
 * registrations are revoked, callers of its endpoints get -EPIPE).
 *
 * Messages are copied into kernel buffers at the call and copied out at
 * recv, so no user pointer is kept across a wait and no lock is held over
 * a copy.  Kernel code is not preempted between safe points on the single
 * CPU, so the queues need no lock; waits use ps_park_until/ps_unpark.
 */
#include <ipc-runtime/api.h>
#include <ps/api.h>
#include <hal/api.h>
#include <mm/api.h>
#include <nucleus-core/api.h>

#include <generated/syscall_table.h>
#include <rustos/ipc.h>
#include <rustos/ipc_services.h>

#define EINTR		4
#define EBADF		9
#define EACCES		13
#define EFAULT		14
#define EEXIST		17
#define EPIPE		32
#define EMSGSIZE	90
#define ENOBUFS		105
#define ETIMEDOUT	110

#define WAIT_NS		5000000000ULL
#define MAX_RECEIVERS	4

struct ipc_msg;

struct ipc_ep {
	int refs;
	long owner;			/* creating (receiving) pid */
	bool dead;
	struct ipc_msg *head, *tail;
	long receivers[MAX_RECEIVERS];	/* tids parked in recv */
};

struct ipc_msg {
	struct ipc_msg *next;
	struct ipc_ep *ep;
	long caller_pid, caller_tid;
	bool forwarded;			/* built by the kernel for caller_pid */
	bool caller_system;		/* rootd, a service image or caps */
	uint64_t caller_caps;		/* its IPC_SERVICE_CAP_* when sent */
	uint8_t *req;
	size_t req_len;
	uint8_t *rep;
	size_t rep_len;
	volatile int done;
	long status;
	uint64_t cap;
	long server_pid;
	bool abandoned;
	uint16_t nfds, nrfds;		/* handles with the request / reply */
	/*
	 * Out of line and only when handles travel: inline arrays made
	 * every message a 2 KiB object (a page of its own, zeroed on every
	 * call), which a plain call never uses.
	 */
	struct ps_fd *fds, *rfds;
};

static struct ipc_msg *inflight;
static uint64_t next_cap = 0x1000;

struct registration {
	struct ipc_ep *ep;
	long owner;
};
static struct registration services[IPC_SERVICE_ID_MAX + 1];

static const uint64_t service_caps[IPC_SERVICE_ID_MAX + 1] = {
	[IPC_SERVICE_SYSCALLD] = IPC_SERVICE_CAPS_SYSCALLD,
	[IPC_SERVICE_VFSD] = IPC_SERVICE_CAPS_VFSD,
	[IPC_SERVICE_NETD] = IPC_SERVICE_CAPS_NETD,
	[IPC_SERVICE_DEVMGRD] = IPC_SERVICE_CAPS_DEVMGRD,
	[IPC_SERVICE_DRIVERD] = IPC_SERVICE_CAPS_DRIVERD,
	[IPC_SERVICE_LOADERD] = IPC_SERVICE_CAPS_LOADERD,
	[IPC_SERVICE_STORAGED] = IPC_SERVICE_CAPS_STORAGED,
	[IPC_SERVICE_INPUTD] = IPC_SERVICE_CAPS_INPUTD,
	[IPC_SERVICE_PROCD] = IPC_SERVICE_CAPS_PROCD,
};

void
ipc_handle_put(void *h)
{
	struct ipc_ep *ep = h;

	if (ep != NULL && --ep->refs == 0)
		mm_kfree(ep);
}

static struct ipc_ep *
handle_ep(struct ps_proc *p, uint64_t h)
{
	if (h == 0 || h > PS_MAX_HANDLES)
		return (NULL);
	return (p->handles[h - 1]);
}

/* Install ep in p's handle table (reusing an existing handle); or -errno. */
static long
handle_install(struct ps_proc *p, struct ipc_ep *ep)
{
	unsigned i;

	for (i = 0; i < PS_MAX_HANDLES; i++)
		if (p->handles[i] == ep)
			return (i + 1);
	for (i = 0; i < PS_MAX_HANDLES; i++)
		if (p->handles[i] == NULL) {
			p->handles[i] = ep;
			ep->refs++;
			return (i + 1);
		}
	return (-24);		/* EMFILE */
}

static void
msg_free(struct ipc_msg *m)
{
	mm_kfree(m->req);
	mm_kfree(m->rep);
	mm_kfree(m->fds);
	mm_kfree(m->rfds);
	ipc_handle_put(m->ep);
	mm_kfree(m);
}

static void
msg_finish(struct ipc_msg *m, long status)
{
	m->status = status;
	m->done = 1;
	/* The replier hands the CPU back to the caller when it blocks. */
	ps_unpark_handoff(m->caller_tid);
}

/*
 * A call wakes the parked receivers; the first one is the caller's
 * successor, so the call switches straight to it when the caller parks
 * (ps_unpark_handoff: no run-queue pick, bounded credit).
 */
static void
wake_receivers(struct ipc_ep *ep)
{
	unsigned i;
	bool named = false;

	for (i = 0; i < MAX_RECEIVERS; i++)
		if (ep->receivers[i] != 0) {
			if (named)
				ps_unpark(ep->receivers[i]);
			else
				ps_unpark_handoff(ep->receivers[i]);
			named = true;
		}
}

long
ex_sys_ipc_endpoint_create(uint64_t a0, uint64_t a1, uint64_t a2,
    uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct ps_proc *p = ps_proc_current();
	struct ipc_ep *ep;
	long h;

	ep = mm_kzalloc(sizeof(*ep));
	if (ep == NULL)
		return (-NC_ENOMEM);
	ep->owner = p->pid;
	h = handle_install(p, ep);
	if (h < 0)
		mm_kfree(ep);
	return (h);
}

static bool
may_register(struct ps_proc *p)
{
	/*
	 * Only rootd and processes built as services (SPAWN_EXEC's allowlist,
	 * or loaderd sessions with PROC_PREPARE_FLAG_SERVICE) may hold ids
	 * that carry capability bits; apps get -EACCES.
	 */
	return (p->bootstrap || p->service_image);
}

static void
recompute_caps(struct ps_proc *p)
{
	unsigned id;

	p->caps = 0;
	for (id = 1; id <= IPC_SERVICE_ID_MAX; id++)
		if (services[id].ep != NULL && services[id].owner == p->pid)
			p->caps |= service_caps[id];
}

long
ex_sys_ipc_register_service_endpoint(uint64_t id, uint64_t h, uint64_t a2,
    uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct ps_proc *p = ps_proc_current();
	struct registration *r;
	struct ipc_ep *ep;

	if (id == 0 || id > IPC_SERVICE_ID_MAX)
		return (-NC_EINVAL);
	r = &services[id];
	if (h == 0) {
		if (r->ep == NULL)
			return (-NC_ENOENT);
		if (r->owner != p->pid)
			return (-EACCES);
		ipc_handle_put(r->ep);
		r->ep = NULL;
		r->owner = 0;
		recompute_caps(p);
		nc_info(SERVICE, "service id %lu revoked by pid %ld", id, p->pid);
		return (0);
	}
	if ((ep = handle_ep(p, h)) == NULL)
		return (-EBADF);
	if (ep->owner != p->pid)
		return (-EACCES);
	/* Privilege before state: an app learns nothing of who holds an id. */
	if (service_caps[id] != 0 && !may_register(p))
		return (-EACCES);
	if (r->ep != NULL)
		return (-EEXIST);
	r->ep = ep;
	r->owner = p->pid;
	ep->refs++;
	p->caps |= service_caps[id];
	nc_info(SERVICE, "service id %lu registered by pid %ld (%s), caps "
	    "0x%lx", id, p->pid, p->name, p->caps);
	return (0);
}

long
ex_sys_ipc_lookup_service_endpoint(uint64_t id, uint64_t a1, uint64_t a2,
    uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct ps_proc *p = ps_proc_current();

	/* Fail closed: 0 (no handle) for an unknown, free or revoked id. */
	if (id == 0 || id > IPC_SERVICE_ID_MAX)
		return (0);
	if (services[id].ep == NULL || services[id].ep->dead)
		return (0);
	return (handle_install(p, services[id].ep));
}

/*
 * Queue a call carrying the kernel copy req (ownership passes) and wait
 * (bounded) for the reply.  Returns the finished message (the caller
 * frees it with msg_free) or NULL with *err set.
 */
static struct ipc_msg *
call_core(struct ps_proc *p, struct ipc_ep *ep, uint8_t *req, size_t req_len,
    const struct ps_fd *fds, uint16_t nfds, bool forwarded, long *err)
{
	struct ipc_msg *m, **pp;
	uint64_t deadline;

	m = mm_kzalloc(sizeof(*m));
	if (m != NULL && nfds > 0 &&
	    (m->fds = mm_kmalloc(nfds * sizeof(*fds))) == NULL) {
		mm_kfree(m);
		m = NULL;
	}
	if (m == NULL) {
		mm_kfree(req);
		*err = -NC_ENOMEM;
		return (NULL);
	}
	m->req = req;
	m->req_len = req_len;
	m->ep = ep;
	ep->refs++;
	m->caller_pid = p->pid;
	m->caller_tid = ps_current_task_id();
	m->forwarded = forwarded;
	/* A forwarded request speaks for an app: no service bits. */
	m->caller_caps = forwarded ? 0 : p->caps;
	m->caller_system = !forwarded &&
	    (p->bootstrap || p->service_image || p->caps != 0);
	m->nfds = nfds;
	if (nfds > 0)
		memcpy(m->fds, fds, nfds * sizeof(*fds));
	if (ep->tail != NULL)
		ep->tail->next = m;
	else
		ep->head = m;
	ep->tail = m;
	wake_receivers(ep);
	deadline = hal_clock_ns() + WAIT_NS;
	/*
	 * A dying caller (its thread group exits, a fatal signal, another
	 * thread's exec: ps_proc_kick unparks us) stops waiting at once;
	 * the callee's late reply then finds the message abandoned and is
	 * dropped, as after a timeout.
	 */
	while (!m->done && hal_clock_ns() < deadline &&
	    !ps_thread_must_leave(p))
		ps_park_until(deadline, &m->done);
	if (m->done) {
		if (m->status != 0) {
			*err = m->status;
			msg_free(m);
			return (NULL);
		}
		return (m);
	}
	*err = ps_thread_must_leave(p) ? -EINTR : -ETIMEDOUT;
	/* Still queued: unlink.  Received: the reply is dropped. */
	for (pp = &ep->head; *pp != NULL; pp = &(*pp)->next)
		if (*pp == m) {
			struct ipc_msg *t;

			*pp = m->next;
			for (t = ep->head; t != NULL && t->next != NULL;
			    t = t->next)
				;
			ep->tail = t;
			msg_free(m);
			return (NULL);
		}
	m->abandoned = true;
	return (NULL);
}

/* Copy a request in from user space (<= IPC_MAX_MESSAGE_BYTES). */
static long
copy_request(uint64_t req, uint64_t req_len, uint8_t **out)
{
	uint8_t *k;

	if (req_len > IPC_MAX_MESSAGE_BYTES)
		return (-EMSGSIZE);
	k = mm_kmalloc(req_len > 0 ? req_len : 1);
	if (k == NULL)
		return (-NC_ENOMEM);
	if (hal_copy_from_user(k, req, req_len) != 0) {
		mm_kfree(k);
		return (-EFAULT);
	}
	*out = k;
	return (0);
}

/* Kernel-originated call on behalf of p (routing to services). */
long
ipc_kernel_call(struct ps_proc *p, uint32_t service_id, const void *req,
    size_t req_len, void *rep, size_t rep_cap)
{
	struct ipc_ep *ep;
	struct ipc_msg *m;
	uint8_t *k;
	size_t n;
	long err;

	if (service_id == 0 || service_id > IPC_SERVICE_ID_MAX ||
	    (ep = services[service_id].ep) == NULL || ep->dead)
		return (-NC_EAGAIN);
	if ((k = mm_kmalloc(req_len > 0 ? req_len : 1)) == NULL)
		return (-NC_ENOMEM);
	memcpy(k, req, req_len);
	if ((m = call_core(p, ep, k, req_len, NULL, 0, true, &err)) == NULL)
		return (err);
	n = m->rep_len < rep_cap ? m->rep_len : rep_cap;
	memcpy(rep, m->rep, n);
	msg_free(m);
	return ((long)n);
}

/*
 * ipc_kernel_call without copies: req is a kmalloc'd buffer that becomes
 * the message (freed here on every path), and the reply buffer itself is
 * handed back in *rep (the caller frees it).  A 4 KiB vfsd read reply so
 * crosses the kernel once, not through a second buffer.
 */
long
ipc_kernel_call_take(struct ps_proc *p, uint32_t service_id, void *req,
    size_t req_len, void **rep)
{
	struct ipc_ep *ep;
	struct ipc_msg *m;
	long err;
	size_t n;

	*rep = NULL;
	if (service_id == 0 || service_id > IPC_SERVICE_ID_MAX ||
	    (ep = services[service_id].ep) == NULL || ep->dead) {
		mm_kfree(req);
		return (-NC_EAGAIN);
	}
	if ((m = call_core(p, ep, req, req_len, NULL, 0, true, &err)) == NULL)
		return (err);
	*rep = m->rep;
	n = m->rep_len;
	m->rep = NULL;
	msg_free(m);
	return ((long)n);
}

static long
do_call(uint64_t h, uint64_t req, uint64_t req_len, uint64_t rep,
    uint64_t rep_cap)
{
	struct ps_proc *p = ps_proc_current();
	struct ipc_ep *ep;
	struct ipc_msg *m;
	uint8_t *k;
	size_t n;
	long r;

	if ((ep = handle_ep(p, h)) == NULL)
		return (-EBADF);
	if (ep->dead)
		return (-EPIPE);
	if (rep_cap > IPC_MAX_MESSAGE_BYTES)
		rep_cap = IPC_MAX_MESSAGE_BYTES;
	if (!mm_user_range_ok(rep, rep_cap))
		return (-EFAULT);
	if ((r = copy_request(req, req_len, &k)) != 0)
		return (r);
	if ((m = call_core(p, ep, k, req_len, NULL, 0, false, &r)) == NULL)
		return (r);
	n = m->rep_len < rep_cap ? m->rep_len : rep_cap;
	r = hal_copy_to_user(rep, m->rep, n) != 0 ? -EFAULT : (long)n;
	msg_free(m);
	return (r);
}

long
ex_sys_ipc_call(uint64_t h, uint64_t req, uint64_t req_len, uint64_t rep,
    uint64_t rep_cap, uint64_t a5)
{
	return (do_call(h, req, req_len, rep, rep_cap));
}

static void
unlink_head(struct ipc_ep *ep)
{
	struct ipc_msg *m = ep->head;

	ep->head = m->next;
	if (ep->head == NULL)
		ep->tail = NULL;
	m->next = NULL;
}

static void
receiver_slot(struct ipc_ep *ep, long tid, bool add)
{
	unsigned i;

	for (i = 0; i < MAX_RECEIVERS; i++) {
		if (add && ep->receivers[i] == 0) {
			ep->receivers[i] = tid;
			return;
		}
		if (!add && ep->receivers[i] == tid)
			ep->receivers[i] = 0;
	}
}

/* Where recv_with_handles wants the handles (NULL: byte-only recv). */
struct handles_out {
	uint64_t fds_ptr, count_ptr;
	uint16_t cap;
};

/* Take back the fds install_fds put at out[0..got-1]. */
static void
uninstall_fds(struct ps_proc *p, const int32_t *out, unsigned got)
{
	while (got > 0)
		(void)ps_remote_close(p, &p->fds[out[--got]]);
}

/*
 * Install fds that pid `from` sent in p's table; returns how many (all or
 * none).  A vfsd fd gets a vfsd reference of p's own (ps_remote_share),
 * so it lives on when the sender closes its fd; services (-EPERM) keep
 * a copy without one.
 */
static int
install_fds(struct ps_proc *p, long from, const struct ps_fd *fds,
    uint16_t n, int32_t *out)
{
	unsigned i, fd, got = 0;
	long r;

	for (i = 0; i < n; i++) {
		if ((r = ps_fd_lowest(p, 0)) < 0) {
			uninstall_fds(p, out, got);
			return ((int)r);	/* EMFILE */
		}
		fd = (unsigned)r;
		if (fds[i].kind == PS_FD_REMOTE &&
		    (r = ps_remote_share(p, from, &fds[i])) < 0 &&
		    r != -NC_EPERM) {
			uninstall_fds(p, out, got);
			return ((int)r);
		}
		/*
		 * The receiver's entry is a reference of its own (a pipe end
		 * counts its holders), as dup would make it.
		 */
		p->fds[fd] = fds[i];
		ps_fd_hold(&p->fds[fd]);
		out[got++] = (int32_t)fd;
	}
	return ((int)got);
}

static long
do_recv(uint64_t h, uint64_t buf, uint64_t cap, uint64_t cap_ptr, bool wait,
    const struct handles_out *ho)
{
	struct ps_proc *p = ps_proc_current();
	struct ipc_ep *ep;
	struct ipc_msg *m;
	uint64_t deadline = hal_clock_ns() + WAIT_NS;
	volatile int never = 0;
	int32_t got[IPC_MAX_TRANSFER_HANDLES];
	uint16_t cnt;
	int n;

	if ((ep = handle_ep(p, h)) == NULL)
		return (-EBADF);
	if (ep->owner != p->pid)
		return (-EACCES);
	if (!mm_user_range_ok(buf, cap) || !mm_user_range_ok(cap_ptr, 8) ||
	    cap_ptr == 0)
		return (-EFAULT);
	for (;;) {
		while (ep->head == NULL) {
			if (!wait)
				return (-NC_EAGAIN);
			if (hal_clock_ns() >= deadline)
				return (-ETIMEDOUT);
			/* A dying receiver stops waiting (see call_core). */
			if (ps_thread_must_leave(p))
				return (-EINTR);
			receiver_slot(ep, ps_current_task_id(), true);
			/* ps_unpark ends the park; the loop rechecks. */
			ps_park_until(deadline, &never);
			receiver_slot(ep, ps_current_task_id(), false);
		}
		m = ep->head;
		if (m->req_len > cap) {
			/* Too big for this receiver: the caller fails. */
			unlink_head(ep);
			msg_finish(m, -EMSGSIZE);
			continue;
		}
		/* Handles are never dropped: the message stays queued. */
		if (m->nfds > 0 && (ho == NULL || ho->cap < m->nfds))
			return (-ENOBUFS);
		m->cap = next_cap++;
		if (hal_copy_to_user(buf, m->req, m->req_len) != 0 ||
		    hal_copy_to_user(cap_ptr, &m->cap, 8) != 0)
			return (-EFAULT);
		if (ho != NULL) {
			n = install_fds(p, m->caller_pid, m->fds, m->nfds,
			    got);
			if (n < 0)
				return (n);
			cnt = (uint16_t)n;
			if (hal_copy_to_user(ho->fds_ptr, got,
			    cnt * sizeof(int32_t)) != 0 ||
			    hal_copy_to_user(ho->count_ptr, &cnt, 2) != 0) {
				uninstall_fds(p, got, (unsigned)n);
				return (-EFAULT);
			}
		}
		unlink_head(ep);
		m->server_pid = p->pid;
		m->next = inflight;
		inflight = m;
		p->serving_caller = m->caller_pid;
		return ((long)m->req_len);
	}
}

long
ex_sys_ipc_recv(uint64_t h, uint64_t buf, uint64_t cap, uint64_t cap_ptr,
    uint64_t a4, uint64_t a5)
{
	return (do_recv(h, buf, cap, cap_ptr, true, NULL));
}

long
ex_sys_ipc_try_recv(uint64_t h, uint64_t buf, uint64_t cap, uint64_t cap_ptr,
    uint64_t a4, uint64_t a5)
{
	return (do_recv(h, buf, cap, cap_ptr, false, NULL));
}

long
ex_sys_ipc_recv_with_handles(uint64_t uargs, uint64_t a1, uint64_t a2,
    uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct rustos_ipc_recv_with_handles_args a;
	struct handles_out ho;

	if (hal_copy_from_user(&a, uargs, sizeof(a)) != 0)
		return (-EFAULT);
	if (a.reserved0 != 0 || a.reserved1 != 0 ||
	    a.recv_fd_capacity > IPC_MAX_TRANSFER_HANDLES)
		return (-NC_EINVAL);
	if (a.recv_fd_count_ptr == 0 ||
	    !mm_user_range_ok(a.recv_fd_count_ptr, 2) ||
	    !mm_user_range_ok(a.recv_fds_ptr, a.recv_fd_capacity * 4ULL))
		return (-EFAULT);
	ho.fds_ptr = a.recv_fds_ptr;
	ho.count_ptr = a.recv_fd_count_ptr;
	ho.cap = a.recv_fd_capacity;
	return (do_recv(a.endpoint, a.request_ptr, a.request_capacity,
	    a.reply_cap_ptr, true, &ho));
}

/* Snapshot the sender's fds named in the user array (rights: valid fd). */
static long
collect_fds(struct ps_proc *p, uint64_t ufds, uint16_t n,
    struct ps_fd *out)
{
	int32_t fds[IPC_MAX_TRANSFER_HANDLES];
	unsigned i;

	if (n > IPC_MAX_TRANSFER_HANDLES)
		return (-NC_EINVAL);
	if (n == 0)
		return (0);
	if (hal_copy_from_user(fds, ufds, n * sizeof(int32_t)) != 0)
		return (-EFAULT);
	for (i = 0; i < n; i++) {
		if (ps_fd_at(p, fds[i]) == NULL)
			return (-EBADF);
		out[i] = p->fds[fds[i]];
	}
	return (0);
}

long
ex_sys_ipc_call_with_handles(uint64_t uargs, uint64_t a1, uint64_t a2,
    uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct rustos_ipc_call_with_handles_args a;
	struct ps_proc *p = ps_proc_current();
	struct ps_fd fds[IPC_MAX_TRANSFER_HANDLES];
	int32_t got[IPC_MAX_TRANSFER_HANDLES];
	struct ipc_ep *ep;
	struct ipc_msg *m;
	uint16_t cnt = 0;
	uint8_t *k;
	size_t n;
	long r;
	int ni;

	if (hal_copy_from_user(&a, uargs, sizeof(a)) != 0)
		return (-EFAULT);
	if (a.reserved0 != 0 || a.send_fd_count > IPC_MAX_TRANSFER_HANDLES ||
	    a.recv_fd_capacity > IPC_MAX_TRANSFER_HANDLES)
		return (-NC_EINVAL);
	/* A handle transfer needs a nonzero ticket. */
	if (a.send_fd_count > 0 && a.transfer_ticket == 0)
		return (-NC_EINVAL);
	/* The count pointer is mandatory: 0 fails the range check. */
	if (!mm_user_range_ok(a.recv_fd_count_ptr, 2) ||
	    hal_copy_to_user(a.recv_fd_count_ptr, &cnt, 2) != 0 ||
	    !mm_user_range_ok(a.recv_fds_ptr, a.recv_fd_capacity * 4ULL))
		return (-EFAULT);
	if ((ep = handle_ep(p, a.endpoint)) == NULL)
		return (-EBADF);
	if (ep->dead)
		return (-EPIPE);
	if (a.reply_capacity > IPC_MAX_MESSAGE_BYTES)
		a.reply_capacity = IPC_MAX_MESSAGE_BYTES;
	if (!mm_user_range_ok(a.reply_ptr, a.reply_capacity))
		return (-EFAULT);
	if ((r = collect_fds(p, a.send_fds_ptr, a.send_fd_count, fds)) != 0)
		return (r);
	if ((r = copy_request(a.request_ptr, a.request_len, &k)) != 0)
		return (r);
	if ((m = call_core(p, ep, k, a.request_len, fds, a.send_fd_count, false,
	    &r)) == NULL)
		return (r);
	n = m->rep_len < a.reply_capacity ? m->rep_len : a.reply_capacity;
	r = hal_copy_to_user(a.reply_ptr, m->rep, n) != 0 ? -EFAULT : (long)n;
	if (r >= 0 && m->nrfds > 0) {
		ni = install_fds(p, m->server_pid, m->rfds,
		    m->nrfds < a.recv_fd_capacity ? m->nrfds :
		    a.recv_fd_capacity, got);
		if (ni > 0) {
			cnt = (uint16_t)ni;
			if (hal_copy_to_user(a.recv_fds_ptr, got, ni * 4) != 0 ||
			    hal_copy_to_user(a.recv_fd_count_ptr, &cnt, 2) != 0)
				r = -EFAULT;
		}
	}
	msg_free(m);
	return (r);
}

static long
do_reply(uint64_t cap, uint64_t buf, uint64_t len, uint64_t ufds,
    uint16_t nfds)
{
	struct ps_proc *p = ps_proc_current();
	struct ps_fd fds[IPC_MAX_TRANSFER_HANDLES];
	struct ipc_msg *m, **pp;
	uint8_t *k;
	long r;

	if (len > IPC_MAX_MESSAGE_BYTES)
		return (-EMSGSIZE);
	for (pp = &inflight; (m = *pp) != NULL; pp = &m->next)
		if (m->cap == cap && m->server_pid == p->pid)
			break;
	if (m == NULL)
		return (-NC_EINVAL);
	if ((r = collect_fds(p, ufds, nfds, fds)) != 0)
		return (r);
	k = mm_kmalloc(len > 0 ? len : 1);
	if (k == NULL)
		return (-NC_ENOMEM);
	if (hal_copy_from_user(k, buf, len) != 0) {
		mm_kfree(k);
		return (-EFAULT);
	}
	if (nfds > 0 && !m->abandoned &&
	    (m->rfds = mm_kmalloc(nfds * sizeof(fds[0]))) == NULL) {
		mm_kfree(k);
		return (-NC_ENOMEM);
	}
	*pp = m->next;
	m->next = NULL;
	if (p->serving_caller == m->caller_pid)
		p->serving_caller = 0;
	if (m->abandoned) {
		mm_kfree(k);
		msg_free(m);
		return (0);
	}
	m->rep = k;
	m->rep_len = len;
	m->nrfds = nfds;
	if (nfds > 0)
		memcpy(m->rfds, fds, nfds * sizeof(fds[0]));
	msg_finish(m, 0);
	return (0);
}

/*
 * IPC_SENDER_INFO: services must not trust a pid written inside a request
 * (any process can IPC_CALL a service endpoint), so they ask the kernel who
 * sent it and whether the kernel forwarded it for that pid.
 */
long
ex_sys_ipc_sender_info(uint64_t cap, uint64_t out, uint64_t a2, uint64_t a3,
    uint64_t a4, uint64_t a5)
{
	struct ps_proc *p = ps_proc_current();
	struct rustos_ipc_sender_info si;
	struct ipc_msg *m;

	for (m = inflight; m != NULL; m = m->next)
		if (m->cap == cap && m->server_pid == p->pid)
			break;
	if (m == NULL)
		return (-NC_EINVAL);
	memset(&si, 0, sizeof(si));
	si.pid = (uint64_t)m->caller_pid;
	si.tid = (uint64_t)m->caller_tid;
	si.flags = m->forwarded ? IPC_SENDER_FLAG_KERNEL_FORWARDED : 0;
	if (m->caller_system)
		si.flags |= IPC_SENDER_FLAG_SYSTEM;
	si.caps = (uint32_t)m->caller_caps;
	if (hal_copy_to_user(out, &si, sizeof(si)) != 0)
		return (-EFAULT);
	return (0);
}

long
ex_sys_ipc_reply(uint64_t cap, uint64_t buf, uint64_t len, uint64_t a3,
    uint64_t a4, uint64_t a5)
{
	return (do_reply(cap, buf, len, 0, 0));
}

long
ex_sys_ipc_reply_with_handles(uint64_t uargs, uint64_t a1, uint64_t a2,
    uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct rustos_ipc_reply_with_handles_args a;

	if (hal_copy_from_user(&a, uargs, sizeof(a)) != 0)
		return (-EFAULT);
	if (a.reserved0 != 0 || a.reserved1 != 0 ||
	    a.send_fd_count > IPC_MAX_TRANSFER_HANDLES)
		return (-NC_EINVAL);
	return (do_reply(a.reply_cap, a.response_ptr, a.response_len,
	    a.send_fds_ptr, a.send_fd_count));
}

/* A process ended: revoke its ids, fail calls to and from it. */
void
ipc_proc_exit(struct ps_proc *p)
{
	struct ipc_msg *m, **pp;
	unsigned i, id;

	for (id = 1; id <= IPC_SERVICE_ID_MAX; id++)
		if (services[id].ep != NULL && services[id].owner == p->pid) {
			ipc_handle_put(services[id].ep);
			services[id].ep = NULL;
			services[id].owner = 0;
			nc_info(SERVICE, "service id %u revoked: pid %ld exited",
			    id, p->pid);
		}
	p->caps = 0;
	for (i = 0; i < PS_MAX_HANDLES; i++) {
		struct ipc_ep *ep = p->handles[i];

		if (ep == NULL || ep->owner != p->pid)
			continue;
		ep->dead = true;
		while ((m = ep->head) != NULL) {
			unlink_head(ep);
			msg_finish(m, -EPIPE);
		}
	}
	for (pp = &inflight; (m = *pp) != NULL;) {
		if (m->server_pid == p->pid) {
			*pp = m->next;
			m->next = NULL;
			if (m->abandoned)
				msg_free(m);
			else
				msg_finish(m, -EPIPE);
			continue;
		}
		pp = &m->next;
	}
}
