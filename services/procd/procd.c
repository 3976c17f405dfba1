/*
 * procd.c -- process policy service (IPC_SERVICE_PROCD): PING, a process
 * query, a handle echo for the transfer tests, and the fork policy.  An
 * app's fork/vfork/clone reaches procd as a kernel-forwarded offload
 * request (op = Linux number 57); procd applies the process limit and has
 * the kernel copy the caller with PROC_FORK_BROKER (which only acts on a
 * process whose fork request procd is serving).  Threads (clone with
 * CLONE_THREAD) take the same path with the thread limit instead of the
 * process limit.  procd also hands out exec tickets and decides the signal
 * policy of kill/tkill/tgkill/rt_sigqueueinfo to other processes
 * (PROC_SIGNAL_QUEUE_BROKER per permitted target; docs/ai/bootstrap.md
 * "Signals").
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <rustos/bootstrap_services.h>
#include <rustos/ipc.h>
#include <rustos/loader.h>
#include <rustos/offload.h>
#include <rustos/proc_broker.h>
#include <rustos/syscalls.h>

#include "services/common/svc.h"

static long
h_ping(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	return svc_status_reply(resp, cap, RUSTOS_SERVICE_OP_PING, 0);
}

static long
h_query(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	struct rustos_procd_query_reply q;
	size_t hl = sizeof(struct rustos_service_reply_header);

	memset(&q, 0, sizeof(q));
	q.procd_pid = (uint64_t)getpid();
	q.known = 0;
	memcpy((unsigned char *)resp + hl, &q, sizeof(q));
	return (long)(hl + sizeof(q));
}

/* Send the received handles back: proves a transfer yields usable fds. */
static long
h_echo(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const int32_t *fds;
	uint16_t n;

	n = svc_handles(&fds);
	svc_reply_handles(fds, n);
	return svc_status_reply(resp, cap, PROCD_OP_ECHO_HANDLES, 0);
}

/*
 * App processes (everything but rootd and services, zombies included) may
 * number at most this many: a fork bomb gets -EAGAIN and the system keeps
 * its memory.  All apps run as uid 0 today, so this is the per-uid limit.
 */
#define PROCD_NPROC_LIMIT	64
/* Threads of one process (the kernel's own bound is higher). */
#define PROCD_THREAD_LIMIT	256
#define NR_FORK			57
#define CLONE_VM		0x100ULL
#define CLONE_SIGHAND		0x800ULL
#define CLONE_THREAD		0x10000ULL

static long
h_fork(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_linux_syscall_offload_request *q = req;
	struct rustos_linux_syscall_offload_response *o = resp;
	struct rustos_proc_fork_args a;
	static unsigned refused;
	uint64_t pid;
	long r;

	if (q->pid == 0 || cap < offsetof(
	    struct rustos_linux_syscall_offload_response, payload) + 8)
		return -EINVAL;
	/* Linux's rules: SIGHAND needs VM, THREAD needs SIGHAND. */
	if (((q->arg0 & CLONE_SIGHAND) && !(q->arg0 & CLONE_VM)) ||
	    ((q->arg0 & CLONE_THREAD) && !(q->arg0 & CLONE_SIGHAND)))
		return -EINVAL;
	if (q->arg0 & CLONE_THREAD) {
		/* A thread is no new process: the thread limit applies. */
		if (q->mask >= PROCD_THREAD_LIMIT) {
			if (refused++ % 64 == 0)
				svc_log(SVC_LOG_WARN, "thread of pid %llu "
				    "refused: %u threads (limit %d)",
				    (unsigned long long)q->pid, q->mask,
				    PROCD_THREAD_LIMIT);
			return -EAGAIN;
		}
	} else if (q->arg1 >= PROCD_NPROC_LIMIT) {
		if (refused++ % 64 == 0)
			svc_log(SVC_LOG_WARN, "fork by pid %llu refused: %llu "
			    "processes (limit %d)", (unsigned long long)q->pid,
			    (unsigned long long)q->arg1, PROCD_NPROC_LIMIT);
		return -EAGAIN;
	}
	memset(&a, 0, sizeof(a));
	a.parent_pid = q->pid;
	a.parent_tid = q->tid;
	a.clone_flags = q->arg0;
	a.child_stack = q->arg2;
	a.tls = q->arg3;
	r = rustos_sys_proc_fork_broker(&a);
	if (r < 0)
		return r;
	pid = (uint64_t)r;
	o->status = 0;
	o->payload_len = 8;
	memcpy(o->payload, &pid, 8);
	return (long)(offsetof(struct rustos_linux_syscall_offload_response,
	    payload) + 8);
}

#define NR_EXECVE		59

static struct rustos_loader_spawn_request spawn_req;

/*
 * execve of a kernel-forwarded caller: take an exec ticket, have loaderd
 * materialise the image for it, cancel the ticket when loading failed.
 * The kernel kept the caller's argv/envp; the request's argv is the path.
 */
static long
h_exec(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_linux_syscall_offload_request *q = req;
	struct rustos_loader_spawn_response lr;
	struct rustos_proc_exec_ticket_args ta;
	long r;

	/*
	 * The path only names the image (the kernel opened the file for
	 * the caller, relative to its cwd or dirfd); loaderd reads it
	 * through the exec ticket.
	 */
	if (q->pid == 0 || q->path_len == 0 ||
	    q->path_len >= SYSCALL_OFFLOAD_PATH_MAX ||
	    q->path_len >= LOADER_EXEC_PATH_MAX ||
	    memchr(q->path, '\0', q->path_len) != NULL)
		return -EINVAL;
	memset(&ta, 0, sizeof(ta));
	ta.pid = q->pid;
	if ((r = rustos_sys_proc_authorize_exec_broker(&ta)) < 0)
		return r;
	memset(&spawn_req, 0, sizeof(spawn_req));
	spawn_req.version = LOADER_IPC_ABI_VERSION;
	spawn_req.op = LOADER_IPC_OP_SPAWN;
	spawn_req.flags = LOADER_SPAWN_FLAG_EXEC;
	spawn_req.console_session = ta.ticket;
	spawn_req.exec_path_len = q->path_len;
	memcpy(spawn_req.exec_path, q->path, q->path_len);
	memcpy(spawn_req.argv, q->path, q->path_len);
	spawn_req.argv_len = q->path_len + 1;
	spawn_req.argc = 1;
	memset(&lr, 0, sizeof(lr));
	r = rustos_ipc_call_service(IPC_SERVICE_LOADERD, &spawn_req,
	    sizeof(spawn_req), &lr, sizeof(lr));
	if (r >= 8 && lr.status < 0)
		r = lr.status;
	else if (r >= 0 && ((size_t)r < sizeof(lr) || lr.pid != q->pid))
		r = -EIO;
	if (r < 0) {
		rustos_sys_proc_cancel_exec_broker(ta.ticket);
		return r;
	}
	return svc_status_reply(resp, cap, NR_EXECVE, 0);
}

#define NR_KILL			62
#define SI_TKILL		(-6)
#define SIGCONT			18

/*
 * Signal policy for kill/tkill/tgkill/rt_sigqueueinfo aimed at other
 * processes (the kernel keeps a process signalling itself).  Rules, as
 * Linux has them where they apply:
 *  - sigqueue may only carry a negative si_code other than SI_TKILL to
 *    another process (-EPERM): a process cannot forge kernel or kill()
 *    siginfo for someone else;
 *  - apps never signal rootd or services (-EPERM); rootd and services may
 *    signal anyone;
 *  - pid > 0 names one process (a zombie still counts: 0); 0 and -g a
 *    process group, -1 every process but init and the caller: 0 when at
 *    least one was signalled, -EPERM when all were refused, -ESRCH when
 *    none exists.
 *  - kill(2)'s uid rule between apps: euid 0 may signal anyone, else the
 *    sender's real or effective uid must match the target's real or saved
 *    uid (-EPERM), except SIGCONT within the caller's session.  The uids
 *    are syscalld's (op 62 answers them); a root sender costs one query,
 *    others one per target.
 */
/* Real, effective and saved uid of pid, from syscalld (0 or -errno). */
static long
uids_of(uint64_t pid, uint32_t ids[3])
{
	static struct rustos_linux_syscall_offload_request rq;
	static struct rustos_linux_syscall_offload_response rs;
	long r;

	memset(&rq, 0, sizeof(rq));
	rq.version = SYSCALL_OFFLOAD_ABI_VERSION;
	rq.op = NR_KILL;
	rq.pid = (uint64_t)getpid();
	rq.tid = rq.pid;
	rq.arg0 = pid;
	memset(&rs, 0, sizeof(rs));
	r = rustos_ipc_call_service(IPC_SERVICE_SYSCALLD, &rq, sizeof(rq), &rs,
	    sizeof(rs));
	if (r < 0)
		return r;
	if ((size_t)r < offsetof(struct rustos_linux_syscall_offload_response,
	    payload) || rs.status < 0)
		return rs.status < 0 ? rs.status : -EIO;
	if (rs.payload_len != 12 || (size_t)r < offsetof(
	    struct rustos_linux_syscall_offload_response, payload) + 12)
		return -EIO;
	memcpy(ids, rs.payload, 12);
	return 0;
}

/*
 * kill(2)'s uid rule: a sender whose effective uid is 0 may signal anyone;
 * otherwise its real or effective uid must equal the target's real or
 * saved uid.
 */
static int
uid_may_signal(const uint32_t s[3], const uint32_t t[3])
{
	return s[1] == 0 || s[0] == t[0] || s[0] == t[2] || s[1] == t[0] ||
	    s[1] == t[2];
}

static long
h_kill(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_linux_syscall_offload_request *q = req;
	struct rustos_proc_signal_args a;
	uint32_t i, n, rec, sender_system, su[3], tu[3];
	uint64_t pid;
	unsigned ok = 0, denied = 0, full = 0;
	int64_t sel = (int64_t)q->arg0;
	int32_t code = (int32_t)(int64_t)q->arg2;
	long r;

	if (q->pid == 0 || q->pid >= PROCD_KILL_PID_LIMIT || q->arg1 > 64 ||
	    q->path_len > SYSCALL_OFFLOAD_PATH_MAX || (q->path_len & 3) != 0 ||
	    sel < -(int64_t)INT32_MAX || sel > INT32_MAX ||
	    sel == (int64_t)q->pid || q->dirfd > INT32_MAX ||
	    (q->dirfd != 0 && sel <= 0))
		return -EINVAL;
	if ((q->flags & PROCD_KILL_QUEUE) && (code >= 0 || code == SI_TKILL))
		return -EPERM;
	if ((q->flags & PROCD_KILL_TRUNCATED) && sel == -1)
		svc_log(SVC_LOG_WARN, "kill(-1) by pid %llu: more processes "
		    "than one request lists", (unsigned long long)q->pid);
	sender_system = q->mask & PROCD_KILL_SYSTEM;
	n = q->path_len / 4;
	/* Root (the usual case) skips the per-target uid queries. */
	if (!sender_system && (r = uids_of(q->pid, su)) < 0)
		return r;
	for (i = 0; i < n; i++) {
		memcpy(&rec, q->path + 4 * i, 4);
		if (!sender_system && (rec & PROCD_KILL_SYSTEM)) {
			denied++;
			continue;
		}
		pid = rec & (PROCD_KILL_PID_LIMIT - 1);
		/* SIGCONT within the session needs no uid match (Linux). */
		if (!sender_system && su[1] != 0 && pid != q->pid &&
		    !(q->arg1 == SIGCONT && (rec & PROCD_KILL_SESSION))) {
			if ((r = uids_of(pid, tu)) < 0)
				return r;
			if (!uid_may_signal(su, tu)) {
				denied++;
				continue;
			}
		}
		memset(&a, 0, sizeof(a));
		a.pid = pid;
		a.tid = q->dirfd;		/* tkill/tgkill: that thread */
		a.signo = (uint32_t)q->arg1;
		a.code = code;
		a.value = q->arg3;
		a.sender_pid = q->pid;
		r = rustos_sys_proc_signal_queue_broker(&a);
		if (r == -EPERM) {
			denied++;
			continue;
		}
		if (r == -ESRCH)		/* gone meanwhile */
			continue;
		if (r == -EAGAIN)
			full++;
		else if (r < 0)
			return r;
		ok++;
	}
	if (ok > 0 && full == ok)
		return -EAGAIN;
	if (ok > 0)
		return svc_status_reply(resp, cap, NR_KILL, 0);
	return denied > 0 ? -EPERM : -ESRCH;
}

static const struct svc_op ops[] = {
	{ RUSTOS_SERVICE_OP_PING, 1, 8, 8, 16, h_ping, 0 },
	{ NR_FORK, 0, sizeof(struct rustos_linux_syscall_offload_request),
	    sizeof(struct rustos_linux_syscall_offload_request), 16, h_fork,
	    0 },
	{ NR_EXECVE, 0, sizeof(struct rustos_linux_syscall_offload_request),
	    sizeof(struct rustos_linux_syscall_offload_request), 16, h_exec,
	    0 },
	{ NR_KILL, 0, sizeof(struct rustos_linux_syscall_offload_request),
	    sizeof(struct rustos_linux_syscall_offload_request), 16, h_kill,
	    0 },
	{ PROCD_OP_QUERY, 1, 8, 8, 16, h_query, 0 },
	{ PROCD_OP_ECHO_HANDLES, 1, 8, 8, 16, h_echo, 1 },
};

static const struct svc_table table = {
	"procd", IPC_SERVICE_PROCD, RUSTOS_SERVICE_PROTOCOL_VERSION,
	ops, sizeof(ops) / sizeof(ops[0]),
	0	/* requests act for no other pid */
};

int
main(int argc, char **argv)
{
	svc_parse_args(argc, argv);
	return svc_serve(&table, NULL, NULL, NULL) < 0 ? 1 : 0;
}
