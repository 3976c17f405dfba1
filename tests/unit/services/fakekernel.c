/*
 * fakekernel.c -- a host stand-in for the RustOS kernel's user ABI, to run
 * the real rootd, services and initd on Linux before the kernel side
 * exists (tests/unit/services/fakeboot.sh).
 *
 * A launcher child installs a seccomp filter that sends every syscall in
 * the RustOS range (0x5255xxxx) to this supervisor (SECCOMP_RET_USER_NOTIF)
 * and then chroots into an image tree and forks/execs programs on request;
 * Linux syscalls (brk, mmap, open, write, ...) run natively.  The
 * supervisor emulates DEBUG_PRINT (to stdout), SPAWN_EXEC (rootd only, the
 * fixed allowlist, once per path), endpoints, service registration with
 * capability bits, lookups, IPC call/recv/try_recv/reply with 5 s bounds
 * (a blocked caller is simply a notification not answered yet), the bootfs
 * broker over the image tree, the PROC_* build brokers (commit starts the
 * image whose first page loaderd mapped, as a child of the process whose
 * request loaderd is serving), storage list, wait4 on that process tree,
 * and -EACCES for every other gated broker.  Test scaffolding only; not the ABI's
 * reference implementation.
 *
 * usage: fakekernel IMAGE_DIR SECONDS [STOP_LINE]
 * Runs at most SECONDS, or until a debug line starting with STOP_LINE
 * (plus one second for stragglers).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rustos/bootfs.h>
#include <rustos/ipc.h>
#include <rustos/proc_broker.h>
#include <rustos/syscall_numbers.h>

#ifndef SYS_RUSTOS_BOOTFS_BROKER
#define SYS_RUSTOS_BOOTFS_BROKER	0x52550036
#endif

#define MAX_EP		256
#define MAX_MSG		256
#define MAX_RECV	64
#define MAX_FILES	512
#define BOUND_NS	5000000000ull
#define ARGV_BYTES	1024

struct msg {
	int		used;
	uint64_t	id;		/* reply cap */
	int		ep;
	pid_t		caller;
	uint64_t	caller_notif;
	int		caller_waiting;
	uint64_t	resp_ptr, resp_cap;
	uint64_t	deadline;
	int		delivered;
	unsigned char	*data;
	size_t		len;
	int		fds[IPC_MAX_TRANSFER_HANDLES];	/* supervisor copies */
	uint16_t	nfds;
	int		with_handles;	/* caller used CALL_WITH_HANDLES */
	uint64_t	rfds_ptr, rcount_ptr;
	uint16_t	rfds_cap;
};

struct recv_wait {
	int		used;
	int		with_handles;
	uint64_t	rfds_ptr, rcount_ptr;
	uint16_t	rfds_cap;
	pid_t		pid;
	uint64_t	notif;
	int		ep;
	uint64_t	buf, cap, cap_ptr;
	uint64_t	deadline;
};

struct proc {
	pid_t		pid;
	uint64_t	caps;
	int		rootd;
	int		service;	/* argv[0] starts with /services/ */
};

static int listener, launcher_sock, exit_sock;

/* Process tree as the kernel would keep it (docs/ai/bootstrap.md). */
struct child {
	pid_t		pid, parent;
	int		exited, status;
};
static struct child kids[256];
static size_t nkids;

struct wait4_wait {
	int		used;
	pid_t		pid;
	uint64_t	notif, status_ptr;
};
static struct wait4_wait wwaits[16];
static const char *image;
static int ep_owner_used[MAX_EP];
static pid_t ep_owner[MAX_EP];
static int services[IPC_SERVICE_ID_MAX + 1];
static pid_t service_pid[IPC_SERVICE_ID_MAX + 1];
static struct msg msgs[MAX_MSG];
static struct recv_wait waits[MAX_RECV];
static struct proc procs[256];
static uint64_t next_cap = 1;
static char *files[MAX_FILES];
static size_t nfiles;
static int spawned_once[8];
static unsigned char first_page[4096];
static int have_first_page;
static const char *stop_line;
static uint64_t end_ns;

static const uint64_t svc_caps[IPC_SERVICE_ID_MAX + 1] = {
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

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static struct proc *
proc_of(pid_t pid)
{
	size_t i;

	for (i = 0; i < 256; i++)
		if (procs[i].pid == pid)
			return &procs[i];
	for (i = 0; i < 256; i++)
		if (procs[i].pid == 0) {
			procs[i].pid = pid;
			return &procs[i];
		}
	return &procs[0];
}

static int
rd(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec l = { buf, len }, r = { (void *)(uintptr_t)addr, len };

	if (len == 0)
		return 0;
	if (addr == 0)
		return -EFAULT;
	return process_vm_readv(pid, &l, 1, &r, 1, 0) == (ssize_t)len ? 0 :
	    -EFAULT;
}

static int
wr(pid_t pid, uint64_t addr, const void *buf, size_t len)
{
	struct iovec l = { (void *)buf, len }, r = { (void *)(uintptr_t)addr, len };

	if (len == 0)
		return 0;
	if (addr == 0)
		return -EFAULT;
	return process_vm_writev(pid, &l, 1, &r, 1, 0) == (ssize_t)len ? 0 :
	    -EFAULT;
}

static void
answer(uint64_t id, long val)
{
	struct seccomp_notif_resp r;

	memset(&r, 0, sizeof(r));
	r.id = id;
	if (val < 0)
		r.error = (int32_t)val;
	else
		r.val = val;
	/* The target may have died meanwhile: ENOENT is fine. */
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &r);
}

/* Ask the launcher to fork+exec path with argv (NUL-separated). */
static long
launch(pid_t parent, const char *path, const unsigned char *argv,
    size_t argv_len)
{
	uint32_t l[2] = { (uint32_t)strlen(path), (uint32_t)argv_len };
	long pid = -EIO;

	if (write(launcher_sock, l, sizeof(l)) != sizeof(l) ||
	    write(launcher_sock, path, l[0]) != (ssize_t)l[0] ||
	    write(launcher_sock, argv, l[1]) != (ssize_t)l[1] ||
	    read(launcher_sock, &pid, sizeof(pid)) != sizeof(pid))
		return -EIO;
	if (pid > 0) {
		struct proc *np = proc_of((pid_t)pid);

		/* A fresh process: nothing inherited from a reused pid. */
		np->caps = 0;
		np->rootd = 0;
		np->service = strncmp((const char *)argv, "/services/", 10) == 0;
	}
	if (pid > 0 && nkids < 256) {
		kids[nkids].pid = (pid_t)pid;
		kids[nkids].parent = parent;
		kids[nkids].exited = 0;
		nkids++;
	}
	return pid;
}

/* Copy the caller's fds into the supervisor (pidfd_getfd). */
static int
grab_fds(pid_t pid, uint64_t ptr, uint16_t n, int *out)
{
	int32_t want[IPC_MAX_TRANSFER_HANDLES];
	int pfd, i;

	if (n > IPC_MAX_TRANSFER_HANDLES)
		return -EINVAL;
	if (n == 0)
		return 0;
	if (rd(pid, ptr, want, n * sizeof(int32_t)) < 0)
		return -EFAULT;
	pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd < 0)
		return -ESRCH;
	for (i = 0; i < n; i++) {
		out[i] = want[i] < 0 ? -1 :
		    (int)syscall(SYS_pidfd_getfd, pfd, want[i], 0);
		if (out[i] < 0) {
			while (i-- > 0)
				close(out[i]);
			close(pfd);
			return -EBADF;
		}
	}
	close(pfd);
	return 0;
}

/* Install fds in the process behind a pending notification. */
static int
install_fds(uint64_t notif, pid_t pid, const int *fds, uint16_t n,
    uint64_t rfds_ptr, uint16_t cap, uint64_t count_ptr)
{
	struct seccomp_notif_addfd af;
	int32_t got[IPC_MAX_TRANSFER_HANDLES];
	uint16_t i, k = n < cap ? n : cap;

	for (i = 0; i < k; i++) {
		memset(&af, 0, sizeof(af));
		af.id = notif;
		af.srcfd = (uint32_t)fds[i];
		got[i] = ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &af);
		if (got[i] < 0)
			return -EIO;
	}
	if (wr(pid, rfds_ptr, got, k * sizeof(int32_t)) < 0 ||
	    wr(pid, count_ptr, &k, sizeof(k)) < 0)
		return -EFAULT;
	return 0;
}

static void
drop_fds(struct msg *m)
{
	uint16_t i;

	for (i = 0; i < m->nfds; i++)
		close(m->fds[i]);
	m->nfds = 0;
}

static void
deliver(struct recv_wait *w, struct msg *m)
{
	if (m->nfds != 0 && !w->with_handles) {
		/* Byte-only recv of a message with handles: refused, kept. */
		answer(w->notif, -ENOBUFS);
		w->used = 0;
		return;
	}
	if (m->len > w->cap) {
		/* Too big for the receiver: the caller gets -EMSGSIZE. */
		if (m->caller_waiting)
			answer(m->caller_notif, -EMSGSIZE);
		free(m->data);
		m->used = 0;
		return;
	}
	if (wr(w->pid, w->buf, m->data, m->len) < 0 ||
	    wr(w->pid, w->cap_ptr, &m->id, 8) < 0) {
		answer(w->notif, -EFAULT);
		w->used = 0;
		return;
	}
	if (w->with_handles && install_fds(w->notif, w->pid, m->fds, m->nfds,
	    w->rfds_ptr, w->rfds_cap, w->rcount_ptr) < 0) {
		answer(w->notif, -EFAULT);
		w->used = 0;
		return;
	}
	drop_fds(m);
	m->delivered = 1;
	answer(w->notif, (long)m->len);
	w->used = 0;
}

/* The oldest undelivered message of ep (FIFO). */
static struct msg *
queued(int ep)
{
	struct msg *m = NULL;
	size_t i;

	for (i = 0; i < MAX_MSG; i++)
		if (msgs[i].used && !msgs[i].delivered && msgs[i].ep == ep &&
		    (m == NULL || msgs[i].id < m->id))
			m = &msgs[i];
	return m;
}

/* Handles and reply targets for the next do_call (CALL_WITH_HANDLES). */
static struct msg call_extra;

static long
do_call(pid_t pid, uint64_t notif, const uint64_t *a, int *deferred)
{
	struct msg *m = NULL;
	size_t i;

	if (a[0] == 0 || a[0] >= MAX_EP || !ep_owner_used[a[0]])
		return -EBADF;
	if (a[2] > IPC_MAX_MESSAGE_BYTES)
		return -EMSGSIZE;
	for (i = 0; i < MAX_MSG; i++)
		if (!msgs[i].used) {
			m = &msgs[i];
			break;
		}
	if (m == NULL)
		return -EAGAIN;
	memset(m, 0, sizeof(*m));
	m->data = malloc(a[2] ? a[2] : 1);
	if (rd(pid, a[1], m->data, a[2]) < 0) {
		free(m->data);
		return -EFAULT;
	}
	m->used = 1;
	m->id = next_cap++;
	m->ep = (int)a[0];
	m->caller = pid;
	m->caller_notif = notif;
	m->caller_waiting = 1;
	m->resp_ptr = a[3];
	m->resp_cap = a[4];
	m->len = a[2];
	m->deadline = now_ns() + BOUND_NS;
	memcpy(m->fds, call_extra.fds, sizeof(m->fds));
	m->nfds = call_extra.nfds;
	m->with_handles = call_extra.with_handles;
	m->rfds_ptr = call_extra.rfds_ptr;
	m->rfds_cap = call_extra.rfds_cap;
	m->rcount_ptr = call_extra.rcount_ptr;
	memset(&call_extra, 0, sizeof(call_extra));
	*deferred = 1;
	for (i = 0; i < MAX_RECV; i++)
		if (waits[i].used && waits[i].ep == m->ep) {
			deliver(&waits[i], m);
			break;
		}
	return 0;
}

static struct recv_wait recv_extra;	/* handle targets of RECV_WITH_HANDLES */

static long
do_recv(pid_t pid, uint64_t notif, const uint64_t *a, int try, int *deferred)
{
	struct recv_wait *w = NULL, tmp;
	struct msg *m;
	size_t i;

	if (a[0] == 0 || a[0] >= MAX_EP || !ep_owner_used[a[0]] ||
	    ep_owner[a[0]] != pid)
		return -EBADF;
	{
		unsigned char probe[8];

		/* Validate up front, as the kernel does, not when a message comes. */
		if (a[2] == 0 || rd(pid, a[1], probe, 1) < 0 ||
		    rd(pid, a[1] + a[2] - 1, probe, 1) < 0 ||
		    rd(pid, a[3], probe, 8) < 0)
			return -EFAULT;
	}
	m = queued((int)a[0]);
	if (m == NULL && try)
		return -EAGAIN;
	if (m != NULL) {
		tmp = recv_extra;
		tmp.pid = pid;
		tmp.notif = notif;
		tmp.buf = a[1];
		tmp.cap = a[2];
		tmp.cap_ptr = a[3];
		tmp.used = 1;
		*deferred = 1;
		deliver(&tmp, m);
		return 0;
	}
	for (i = 0; i < MAX_RECV; i++)
		if (!waits[i].used) {
			w = &waits[i];
			break;
		}
	if (w == NULL)
		return -EAGAIN;
	*w = recv_extra;
	w->used = 1;
	w->pid = pid;
	w->notif = notif;
	w->ep = (int)a[0];
	w->buf = a[1];
	w->cap = a[2];
	w->cap_ptr = a[3];
	w->deadline = now_ns() + BOUND_NS;
	*deferred = 1;
	return 0;
}

static long
do_call_with_handles(pid_t pid, uint64_t notif, uint64_t argp, int *deferred)
{
	struct rustos_ipc_call_with_handles_args c;
	uint64_t a[5];
	struct msg *m;
	long r;
	int fds[IPC_MAX_TRANSFER_HANDLES];
	size_t i;

	if (rd(pid, argp, &c, sizeof(c)) < 0)
		return -EFAULT;
	if (c.reserved0 != 0 || c.send_fd_count > IPC_MAX_TRANSFER_HANDLES ||
	    c.recv_fd_capacity > IPC_MAX_TRANSFER_HANDLES)
		return -EINVAL;
	if (c.recv_fd_count_ptr == 0)
		return -EFAULT;
	if (c.send_fd_count != 0 && c.transfer_ticket == 0)
		return -EINVAL;
	r = grab_fds(pid, c.send_fds_ptr, c.send_fd_count, fds);
	if (r < 0)
		return r;
	a[0] = c.endpoint;
	a[1] = c.request_ptr;
	a[2] = c.request_len;
	a[3] = c.reply_ptr;
	a[4] = c.reply_capacity;
	memset(&call_extra, 0, sizeof(call_extra));
	memcpy(call_extra.fds, fds, sizeof(int) * c.send_fd_count);
	call_extra.nfds = c.send_fd_count;
	call_extra.with_handles = 1;
	call_extra.rfds_ptr = c.recv_fds_ptr;
	call_extra.rfds_cap = c.recv_fd_capacity;
	call_extra.rcount_ptr = c.recv_fd_count_ptr;
	r = do_call(pid, notif, a, deferred);
	if (r < 0 || !*deferred) {
		for (i = 0; i < c.send_fd_count; i++)
			close(fds[i]);
		memset(&call_extra, 0, sizeof(call_extra));
		return r;
	}
	(void)m;
	return 0;
}

static long
do_recv_with_handles(pid_t pid, uint64_t notif, uint64_t argp, int *deferred)
{
	struct rustos_ipc_recv_with_handles_args c;
	uint64_t a[4];
	size_t i;
	long r;

	if (rd(pid, argp, &c, sizeof(c)) < 0)
		return -EFAULT;
	if (c.recv_fd_count_ptr == 0)
		return -EFAULT;
	if (c.recv_fd_capacity > IPC_MAX_TRANSFER_HANDLES)
		return -EINVAL;
	a[0] = c.endpoint;
	a[1] = c.request_ptr;
	a[2] = c.request_capacity;
	a[3] = c.reply_cap_ptr;
	memset(&recv_extra, 0, sizeof(recv_extra));
	recv_extra.with_handles = 1;
	recv_extra.rfds_ptr = c.recv_fds_ptr;
	recv_extra.rfds_cap = c.recv_fd_capacity;
	recv_extra.rcount_ptr = c.recv_fd_count_ptr;
	r = do_recv(pid, notif, a, 0, deferred);
	memset(&recv_extra, 0, sizeof(recv_extra));
	(void)i;
	return r;
}

static long
do_reply_with_handles(pid_t pid, uint64_t argp)
{
	struct rustos_ipc_reply_with_handles_args c;
	int fds[IPC_MAX_TRANSFER_HANDLES];
	unsigned char *buf;
	struct msg *m = NULL;
	size_t i, n;
	long r;

	if (rd(pid, argp, &c, sizeof(c)) < 0)
		return -EFAULT;
	if (c.send_fd_count > IPC_MAX_TRANSFER_HANDLES ||
	    c.response_len > IPC_MAX_MESSAGE_BYTES)
		return -EINVAL;
	for (i = 0; i < MAX_MSG; i++)
		if (msgs[i].used && msgs[i].delivered && msgs[i].id == c.reply_cap)
			m = &msgs[i];
	if (m == NULL)
		return -EINVAL;
	r = grab_fds(pid, c.send_fds_ptr, c.send_fd_count, fds);
	if (r < 0)
		return r;
	buf = malloc(c.response_len ? c.response_len : 1);
	if (rd(pid, c.response_ptr, buf, c.response_len) < 0) {
		free(buf);
		return -EFAULT;
	}
	n = c.response_len < m->resp_cap ? c.response_len : m->resp_cap;
	if (m->caller_waiting) {
		r = wr(m->caller, m->resp_ptr, buf, n);
		if (r == 0 && m->with_handles)
			r = install_fds(m->caller_notif, m->caller, fds,
			    c.send_fd_count, m->rfds_ptr, m->rfds_cap,
			    m->rcount_ptr);
		answer(m->caller_notif, r < 0 ? r : (long)n);
	}
	for (i = 0; i < c.send_fd_count; i++)
		close(fds[i]);
	free(buf);
	free(m->data);
	m->used = 0;
	return 0;
}

/*
 * IPC_SENDER_INFO: the stand-in never forwards syscalls, so no
 * KERNEL_FORWARDED; SYSTEM as the kernel sets it.
 */
static long
do_sender_info(pid_t pid, const uint64_t *a)
{
	struct rustos_ipc_sender_info si;
	struct msg *m = NULL;
	struct proc *sp;
	size_t i;

	for (i = 0; i < MAX_MSG; i++)
		if (msgs[i].used && msgs[i].delivered && msgs[i].id == a[0])
			m = &msgs[i];
	if (m == NULL)
		return -EINVAL;
	memset(&si, 0, sizeof(si));
	si.pid = (uint64_t)m->caller;
	si.tid = (uint64_t)m->caller;
	if ((sp = proc_of(m->caller)) != NULL) {
		si.caps = (uint32_t)sp->caps;
		/* No app: rootd, a /services/ image or a cap holder. */
		if (sp->rootd || sp->service || sp->caps != 0)
			si.flags |= IPC_SENDER_FLAG_SYSTEM;
	}
	return wr(pid, a[1], &si, sizeof(si)) < 0 ? -EFAULT : 0;
}

static long
do_reply(pid_t pid, const uint64_t *a)
{
	unsigned char *buf;
	struct msg *m = NULL;
	size_t i, n;
	long r;

	for (i = 0; i < MAX_MSG; i++)
		if (msgs[i].used && msgs[i].delivered && msgs[i].id == a[0])
			m = &msgs[i];
	if (m == NULL)
		return -EINVAL;
	if (a[2] > IPC_MAX_MESSAGE_BYTES)
		return -EMSGSIZE;
	buf = malloc(a[2] ? a[2] : 1);
	if (rd(pid, a[1], buf, a[2]) < 0) {
		free(buf);
		return -EFAULT;
	}
	n = a[2] < m->resp_cap ? a[2] : m->resp_cap;
	if (m->caller_waiting) {
		uint16_t zero = 0;

		r = wr(m->caller, m->resp_ptr, buf, n);
		if (r == 0 && m->with_handles)
			r = wr(m->caller, m->rcount_ptr, &zero, sizeof(zero));
		answer(m->caller_notif, r < 0 ? r : (long)n);
	}
	free(buf);
	free(m->data);
	m->used = 0;
	return 0;
}

static void
scan_dir(const char *rel)
{
	char path[2100];
	struct dirent *de;
	struct stat st;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", image, rel);
	d = opendir(path);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL && nfiles < MAX_FILES) {
		char sub[1024];

		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", rel, de->d_name);
		snprintf(path, sizeof(path), "%s/%s", image, sub);
		if (stat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			scan_dir(sub);
		else if (strstr(de->d_name, ".sig") == NULL)
			files[nfiles++] = strdup(sub);
	}
	closedir(d);
}

static long
do_bootfs(pid_t pid, uint64_t argp)
{
	struct rustos_bootfs_broker_args a;
	char path[1100];
	unsigned char *buf;
	struct stat st;
	FILE *f;
	size_t n;

	if (rd(pid, argp, &a, sizeof(a)) < 0)
		return -EFAULT;
	if (a.op == BOOTFS_BROKER_OP_LIST || a.op == BOOTFS_BROKER_OP_READ) {
		if (a.index >= nfiles)
			return -ENOENT;
		snprintf(path, sizeof(path), "%s/%s", image, files[a.index]);
		if (stat(path, &st) < 0)
			return -EIO;
	}
	switch (a.op) {
	case BOOTFS_BROKER_OP_LIST:
		snprintf(path, sizeof(path), "/%s", files[a.index]);
		n = strlen(path);
		if (n > a.buf_len)
			return -ENAMETOOLONG;
		if (wr(pid, a.buf_ptr, path, n) < 0)
			return -EFAULT;
		a.value = (uint64_t)st.st_size;
		if (wr(pid, argp, &a, sizeof(a)) < 0)
			return -EFAULT;
		return (long)n;
	case BOOTFS_BROKER_OP_READ:
		if (a.buf_len > BOOTFS_READ_MAX)
			return -EINVAL;
		if (a.offset >= (uint64_t)st.st_size)
			return 0;
		f = fopen(path, "rb");
		if (f == NULL)
			return -EIO;
		buf = malloc(a.buf_len ? a.buf_len : 1);
		fseek(f, (long)a.offset, SEEK_SET);
		n = fread(buf, 1, a.buf_len, f);
		fclose(f);
		if (wr(pid, a.buf_ptr, buf, n) < 0)
			n = (size_t)-EFAULT;
		free(buf);
		return (long)n;
	}
	return -EINVAL;
}

/* The caller of the request `server` received last and has not answered. */
static pid_t
serving_client(pid_t server)
{
	pid_t best = 1;
	uint64_t id = 0;
	size_t i;

	for (i = 0; i < MAX_MSG; i++)
		if (msgs[i].used && msgs[i].delivered &&
		    ep_owner[msgs[i].ep] == server && msgs[i].id > id) {
			id = msgs[i].id;
			best = msgs[i].caller;
		}
	return best;
}

/* Answer waiters whose children exited; 1 when something was reaped. */
static int
reap_for(struct wait4_wait *w)
{
	size_t i;
	int any = 0;

	for (i = 0; i < nkids; i++) {
		if (kids[i].parent != w->pid)
			continue;
		any = 1;
		if (kids[i].exited) {
			if (w->status_ptr != 0)
				wr(w->pid, w->status_ptr, &kids[i].status, 4);
			answer(w->notif, kids[i].pid);
			kids[i] = kids[--nkids];
			w->used = 0;
			return 1;
		}
	}
	if (!any) {
		answer(w->notif, -ECHILD);
		w->used = 0;
		return 1;
	}
	return 0;
}

static long
do_wait4(pid_t pid, uint64_t notif, const uint64_t *a, int *deferred)
{
	struct wait4_wait *w = NULL;
	size_t i;

	if ((int64_t)a[0] != -1)
		return -EINVAL;	/* the services only wait for any child */
	for (i = 0; i < 16; i++)
		if (!wwaits[i].used) {
			w = &wwaits[i];
			break;
		}
	if (w == NULL)
		return -EAGAIN;
	w->used = 1;
	w->pid = pid;
	w->notif = notif;
	w->status_ptr = a[1];
	*deferred = 1;
	if (!reap_for(w) && (a[2] & 1)) {	/* WNOHANG */
		answer(notif, 0);
		w->used = 0;
	}
	return 0;
}

static void
child_exited(pid_t pid, int status)
{
	size_t i;

	for (i = 0; i < nkids; i++)
		if (kids[i].pid == pid) {
			kids[i].exited = 1;
			kids[i].status = status;
		}
	for (i = 0; i < 16; i++)
		if (wwaits[i].used)
			reap_for(&wwaits[i]);
}

/* Commit: start the bootfs file whose first page loaderd mapped. */
static long
do_commit(pid_t pid, uint64_t argp)
{
	struct rustos_proc_commit_args c;
	unsigned char argv[ARGV_BYTES + 1], page[4096];
	char path[1100];
	size_t i;
	FILE *f;

	if (rd(pid, argp, &c, sizeof(c)) < 0)
		return -EFAULT;
	if (c.argv_len > ARGV_BYTES || !have_first_page)
		return -EINVAL;
	if (rd(pid, c.argv_ptr, argv, c.argv_len) < 0)
		return -EFAULT;
	for (i = 0; i < nfiles; i++) {
		snprintf(path, sizeof(path), "%s/%s", image, files[i]);
		f = fopen(path, "rb");
		if (f == NULL)
			continue;
		memset(page, 0, sizeof(page));
		if (fread(page, 1, sizeof(page), f) > 64 &&
		    memcmp(page, first_page, sizeof(page)) == 0) {
			fclose(f);
			snprintf(path, sizeof(path), "/%s", files[i]);
			have_first_page = 0;
			return launch(serving_client(pid), path, argv,
			    c.argv_len);
		}
		fclose(f);
	}
	return -ENOENT;
}

static long
do_map_data(pid_t pid, uint64_t argp)
{
	struct rustos_proc_map_args m;

	if (rd(pid, argp, &m, sizeof(m)) < 0)
		return -EFAULT;
	if (m.vaddr % 4096 || m.len % 4096 || m.len == 0 || m.data_len > m.len)
		return -EINVAL;
	if (m.vaddr == PROC_BROKER_MAIN_IMAGE_BIAS) {
		memset(first_page, 0, sizeof(first_page));
		if (rd(pid, m.data_ptr, first_page,
		    m.data_len < 4096 ? m.data_len : 4096) < 0)
			return -EFAULT;
		have_first_page = 1;
	}
	return 0;
}

static const char *const allowed[] = {
	"/services/syscalld/syscalld.elf", "/services/vfsd/vfsd.elf",
	"/services/loaderd/loaderd.elf", "/services/procd/procd.elf",
	"/services/initd/initd.elf",
};

static long
handle(struct seccomp_notif *n, int *deferred)
{
	struct proc *p = proc_of(n->pid);
	const uint64_t *a = (const uint64_t *)n->data.args;
	char buf[4096], path[300];
	unsigned char args[1100];
	size_t i;
	long r;

	switch (n->data.nr) {
	case SYS_wait4:
		return do_wait4(n->pid, n->id, a, deferred);
	case SYS_RUSTOS_DEBUG_PRINT:
		if (a[1] > sizeof(buf))
			return -EINVAL;
		if (rd(n->pid, a[0], buf, a[1]) < 0)
			return -EFAULT;
		fwrite(buf, 1, a[1], stdout);
		fflush(stdout);
		if (stop_line != NULL &&
		    strncmp(buf, stop_line, strlen(stop_line)) == 0 &&
		    end_ns > now_ns() + 1000000000ull)
			end_ns = now_ns() + 1000000000ull;
		return (long)a[1];
	case SYS_RUSTOS_SPAWN_EXEC:
		if (!p->rootd)
			return -EACCES;
		if (a[1] == 0 || a[1] >= sizeof(path) || a[3] > 1024)
			return -EACCES;
		if (rd(n->pid, a[0], path, a[1]) < 0 ||
		    rd(n->pid, a[2], args, a[3]) < 0)
			return -EFAULT;
		path[a[1]] = '\0';
		for (i = 0; i < 5; i++)
			if (strcmp(path, allowed[i]) == 0)
				break;
		if (i == 5 || spawned_once[i])
			return -EACCES;
		spawned_once[i] = 1;
		return launch(n->pid, path, args, a[3]);
	case SYS_RUSTOS_IPC_ENDPOINT_CREATE:
		for (i = 1; i < MAX_EP; i++)
			if (!ep_owner_used[i]) {
				ep_owner_used[i] = 1;
				ep_owner[i] = n->pid;
				return (long)i;
			}
		return -ENOSPC;
	case SYS_RUSTOS_IPC_REGISTER_SERVICE_ENDPOINT:
		if (a[0] == 0 || a[0] > IPC_SERVICE_ID_MAX)
			return -EINVAL;
		if (a[1] == 0) {
			if (service_pid[a[0]] != (pid_t)n->pid)
				return -EPERM;
			services[a[0]] = 0;
			service_pid[a[0]] = 0;
			return 0;
		}
		/* Ids with capability bits: rootd and /services/ images only. */
		if (svc_caps[a[0]] != 0 && !p->rootd && !p->service)
			return -EACCES;
		if (a[1] >= MAX_EP || !ep_owner_used[a[1]] ||
		    ep_owner[a[1]] != (pid_t)n->pid)
			return -EBADF;
		if (services[a[0]] != 0 && kill(service_pid[a[0]], 0) == 0)
			return -EEXIST;
		services[a[0]] = (int)a[1];
		service_pid[a[0]] = n->pid;
		p->caps |= svc_caps[a[0]];
		return 0;
	case SYS_RUSTOS_IPC_LOOKUP_SERVICE_ENDPOINT:
		if (a[0] == 0 || a[0] > IPC_SERVICE_ID_MAX)
			return 0;
		if (services[a[0]] != 0 && kill(service_pid[a[0]], 0) != 0)
			services[a[0]] = 0;	/* owner died */
		return services[a[0]];
	case SYS_RUSTOS_IPC_REGISTER_LINUX_SYSCALL_ENDPOINT:
		return p->caps & IPC_SERVICE_CAP_LINUX_SYSCALL_POLICY ? 0 :
		    -EACCES;
	case SYS_RUSTOS_IPC_CALL:
		r = do_call(n->pid, n->id, a, deferred);
		return r;
	case SYS_RUSTOS_IPC_RECV:
		return do_recv(n->pid, n->id, a, 0, deferred);
	case SYS_RUSTOS_IPC_TRY_RECV:
		return do_recv(n->pid, n->id, a, 1, deferred);
	case SYS_RUSTOS_IPC_REPLY:
		return do_reply(n->pid, a);
	case SYS_RUSTOS_IPC_SENDER_INFO:
		return do_sender_info(n->pid, a);
	case SYS_RUSTOS_BOOTFS_BROKER:
		if (!(p->caps & IPC_SERVICE_CAP_VFS_POLICY))
			return -EACCES;
		return do_bootfs(n->pid, a[0]);
	case SYS_RUSTOS_STORAGE_LIST_BROKER:
		return p->caps & IPC_SERVICE_CAP_STORAGE_POLICY ? 0 : -EACCES;
	case SYS_RUSTOS_PROC_PREPARE_BROKER:
		return p->caps & IPC_SERVICE_CAP_PROCESS_LOADER ? 7 : -EACCES;
	case SYS_RUSTOS_PROC_MAP_DATA_BROKER:
		if (!(p->caps & IPC_SERVICE_CAP_PROCESS_LOADER))
			return -EACCES;
		return do_map_data(n->pid, a[0]);
	case SYS_RUSTOS_PROC_MAP_ZEROED_BROKER:
	case SYS_RUSTOS_PROC_SET_LINUX_RUNTIME_BROKER:
	case SYS_RUSTOS_PROC_ABORT_BROKER:
		return p->caps & IPC_SERVICE_CAP_PROCESS_LOADER ? 0 : -EACCES;
	case SYS_RUSTOS_PROC_COMMIT_BROKER:
		if (!(p->caps & IPC_SERVICE_CAP_PROCESS_LOADER))
			return -EACCES;
		return do_commit(n->pid, a[0]);
	}
	if (n->data.nr == SYS_RUSTOS_IPC_CALL_WITH_HANDLES)
		return do_call_with_handles(n->pid, n->id, a[0], deferred);
	if (n->data.nr == SYS_RUSTOS_IPC_RECV_WITH_HANDLES)
		return do_recv_with_handles(n->pid, n->id, a[0], deferred);
	if (n->data.nr == SYS_RUSTOS_IPC_REPLY_WITH_HANDLES)
		return do_reply_with_handles(n->pid, a[0]);
	if (n->data.nr > SYS_RUSTOS_IPC_REPLY_WITH_HANDLES &&
	    n->data.nr <= SYS_RUSTOS_BOOTFS_BROKER)
		return -EACCES;	/* another gated broker */
	return -ENOSYS;
}

static void
expire(void)
{
	uint64_t t = now_ns();
	size_t i;

	for (i = 0; i < MAX_RECV; i++)
		if (waits[i].used && t > waits[i].deadline) {
			answer(waits[i].notif, -ETIMEDOUT);
			waits[i].used = 0;
		}
	for (i = 0; i < MAX_MSG; i++)
		if (msgs[i].used && msgs[i].caller_waiting &&
		    t > msgs[i].deadline) {
			answer(msgs[i].caller_notif, -ETIMEDOUT);
			msgs[i].caller_waiting = 0;
			if (!msgs[i].delivered) {
				drop_fds(&msgs[i]);
				free(msgs[i].data);
				msgs[i].used = 0;
			}
		}
}

/* The launcher: filter, chroot, then fork/exec on request. */
static void
launcher(int sock, int xsock, const char *root)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_wait4, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x52550000, 0, 2),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 0x5255ffff, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	char cbuf[CMSG_SPACE(sizeof(int))], path[300], argvb[1100];
	struct msghdr mh;
	struct cmsghdr *cm;
	struct iovec iov;
	struct sigaction sa;
	char *argv[40], dummy = 0;
	uint32_t l[2];
	int fd, argc;
	size_t i;
	long pid;

	setsid();	/* one process group to kill at the end */
	/* Nothing outlives the supervisor, even when it is killed. */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		_exit(90);
	fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
	    SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (fd < 0)
		_exit(91);
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = &dummy;
	iov.iov_len = 1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(sock, &mh, 0) < 0)
		_exit(92);
	close(fd);
	if (chroot(root) < 0 || chdir("/") < 0)
		_exit(93);
	for (;;) {
		struct pollfd lp = { sock, POLLIN, 0 };
		int st, x[2];
		pid_t dead;

		/*
		 * Report exits (with a wait4-style status) to the supervisor.
		 * waitid, because wait4 itself is trapped by the filter and
		 * the supervisor may be waiting for us right now.
		 */
		for (;;) {
			siginfo_t si;

			memset(&si, 0, sizeof(si));
			if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG) < 0 ||
			    si.si_pid == 0)
				break;
			dead = si.si_pid;
			st = si.si_code == CLD_EXITED ? (si.si_status & 0xff) << 8 :
			    si.si_status & 0x7f;
			x[0] = dead;
			x[1] = st;
			if (write(xsock, x, sizeof(x)) != sizeof(x))
				_exit(0);
		}
		if (poll(&lp, 1, 20) <= 0)
			continue;
		if (read(sock, l, sizeof(l)) != sizeof(l) || l[0] >= sizeof(path) ||
		    l[1] >= sizeof(argvb))
			_exit(0);
		if (read(sock, path, l[0]) != (ssize_t)l[0] ||
		    read(sock, argvb, l[1]) != (ssize_t)l[1])
			_exit(0);
		path[l[0]] = '\0';
		argvb[l[1]] = '\0';
		argc = 0;
		for (i = 0; i < l[1] && argc < 39; i += strlen(argvb + i) + 1)
			argv[argc++] = argvb + i;
		argv[argc] = NULL;
		pid = fork();
		if (pid == 0) {
			char *envp[] = { NULL };

			close(sock);
			prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
			execve(path, argv, envp);
			_exit(127);
		}
		if (write(sock, &pid, sizeof(pid)) != sizeof(pid))
			_exit(0);
	}
}

int
main(int argc, char **argv)
{
	char cbuf[CMSG_SPACE(sizeof(int))], dummy;
	struct seccomp_notif_sizes sz;
	struct seccomp_notif *n;
	struct pollfd pfd;
	struct msghdr mh;
	struct iovec iov;
	int sv[2], xv[2], deferred;
	pid_t lpid;
	long r, rootd;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: fakekernel IMAGE_DIR SECONDS [STOP_LINE]\n");
		return 2;
	}
	if (argc == 4)
		stop_line = argv[3];
	image = argv[1];
	scan_dir("services");
	scan_dir("apps");
	scan_dir("system/registry");
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, xv) < 0)
		return 1;
	lpid = fork();
	if (lpid == 0) {
		close(sv[0]);
		close(xv[0]);
		launcher(sv[1], xv[1], image);
	}
	close(sv[1]);
	close(xv[1]);
	exit_sock = xv[0];
	launcher_sock = sv[0];
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = &dummy;
	iov.iov_len = 1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	if (recvmsg(launcher_sock, &mh, 0) <= 0 || CMSG_FIRSTHDR(&mh) == NULL) {
		fprintf(stderr, "fakekernel: no seccomp listener (status of "
		    "launcher: see exit code)\n");
		return 77;
	}
	memcpy(&listener, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(int));
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) < 0)
		return 77;
	n = calloc(1, sz.seccomp_notif > sizeof(*n) ? sz.seccomp_notif :
	    sizeof(*n));
	rootd = launch(0, "/services/rootd/rootd.elf",
	    (const unsigned char *)"/services/rootd/rootd.elf", 26);
	if (rootd <= 0)
		return 1;
	proc_of((pid_t)rootd)->rootd = 1;
	end_ns = now_ns() + (uint64_t)atoi(argv[2]) * 1000000000ull;
	while (now_ns() < end_ns) {
		struct pollfd xp = { exit_sock, POLLIN, 0 };
		int x[2];

		while (poll(&xp, 1, 0) > 0 && (xp.revents & POLLIN) &&
		    read(exit_sock, x, sizeof(x)) == sizeof(x))
			child_exited(x[0], x[1]);
		pfd.fd = listener;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, 20) > 0 && (pfd.revents & POLLIN)) {
			memset(n, 0, sz.seccomp_notif);
			if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, n) == 0) {
				deferred = 0;
				r = handle(n, &deferred);
				if (!deferred || r < 0)
					answer(n->id, r);
			}
		}
		expire();
	}
	fflush(stdout);
	kill(-lpid, SIGKILL);
	return 0;
}
