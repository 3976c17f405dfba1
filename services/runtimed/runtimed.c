/*
 * runtimed.c -- the runtime control service: listens on /run/runtimed.sock
 * (AF_UNIX, SOCK_STREAM, one request per connection; frames and codec of
 * libruntime-control, spec/runtime-control.md) and launches programs in new
 * sessions through loaderd.
 *
 *  op 1 snapshot: the programs runtimed launched that still run;
 *  op 2 launch: a desktop id of runtime-launch-programs.tsv or an absolute
 *       exec path of the image; env = runtime-env.tsv scope=runtime, then
 *       the entry's env; the entry's weight_micros goes to loaderd as is;
 *  op 3 terminate a session or a pid runtimed launched (-ESRCH otherwise);
 *  op 4 notify_ui_ready: one-way, logged;
 *  op 5 watch: the snapshot once its digest differs from the client's.
 *
 * The registries are read once at start; a malformed line is logged as
 * FILE:LINE:COL: RULE and skipped.  Children are reaped between requests
 * (the accept loop polls with a short timeout).  A malformed frame gets an
 * error envelope (op 0, -errno) and runtimed carries on.
 *
 * Session: a launched program leads a session of its own (loaderd's
 * LOADER_SPAWN_FLAG_NEW_SESSION: sid = pgid = pid), so runtimed's session
 * handle is the program's pid and a session terminate signals that
 * process group (the pid itself when the group is gone).
 */
#define _GNU_SOURCE 1		/* struct ucred, POLLRDHUP */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rustos/ipc.h>
#include <rustos/loader.h>
#include <rustos/runtime_control.h>
#include <rustos/syscalls.h>
#include <rustos/vfs.h>

#include "services/common/svc.h"
#include "services/runtimed/runtimed.h"

#define REG_DIR		"/system/registry/system/"
#define REG_MAX		(256u * 1024u)
#define IO_TIMEOUT_MS	2000
#define TERM_WAIT_MS	2000

static struct rtd_state st;

static void
log_bad_line(const char *file, unsigned lineno, const struct rtd_bad *bad)
{
	svc_log(SVC_LOG_WARN, "%s:%u:%u: %s", file, lineno, bad->column,
	    bad->rule);
}

static void
load_registries(void)
{
	char *buf;
	size_t len = 0;

	buf = svc_read_file(REG_DIR "runtime-launch-programs.tsv", REG_MAX,
	    &len);
	if (buf != NULL) {
		rtd_load_programs(&st, buf, len,
		    REG_DIR "runtime-launch-programs.tsv", log_bad_line);
		free(buf);
	}
	buf = svc_read_file(REG_DIR "runtime-env.tsv", REG_MAX, &len);
	if (buf != NULL) {
		rtd_load_env(&st, buf, len, REG_DIR "runtime-env.tsv",
		    log_bad_line);
		free(buf);
	}
	svc_log(SVC_LOG_INFO, "registry: %zu programs, %zu env", st.nprogs,
	    st.nenv);
}

static struct rustos_loader_spawn_request spawn_req;

static long
spawn(const struct rtd_launch *l)
{
	struct rustos_loader_spawn_response resp;
	long r;

	r = rtd_build_spawn(&st, l, &spawn_req);
	if (r < 0)
		return r;
	memset(&resp, 0, sizeof(resp));
	r = rustos_ipc_call_service(IPC_SERVICE_LOADERD, &spawn_req,
	    sizeof(spawn_req), &resp, sizeof(resp));
	if (r < 0)
		return r;
	if (r < 8)
		return -EPROTO;
	if (resp.status < 0)
		return resp.status;
	if ((size_t)r < sizeof(resp) || resp.pid == 0)
		return -EPROTO;
	return (long)resp.pid;
}

static void
reap(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (rtd_forget(&st, (uint64_t)pid) == 0)
			svc_log(SVC_LOG_INFO, "pid %d ended status=%d", (int)pid,
			    WIFEXITED(status) ? WEXITSTATUS(status) :
			    128 + WTERMSIG(status));
	}
}

/*
 * Whether the client on socket fd may have runtimed launch a program: a
 * client vfsd confines to the linux-runtime profile may not (what runtimed
 * starts runs with the system view; docs/ai/bootstrap.md "Linux runtime
 * access").  Fail closed: no peer pid, or no answer from vfsd, refuses.
 * 0 or -EACCES.
 */
static int
client_may_launch(int fd)
{
	static struct rustos_vfs_ipc_request rq;
	static struct rustos_vfs_ipc_response rs;
	struct ucred cr;
	struct pollfd p;
	socklen_t cl = sizeof(cr);
	long n;

	memset(&cr, 0, sizeof(cr));
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &cl) != 0 ||
	    cl < sizeof(cr) || cr.pid <= 0) {
		svc_log(SVC_LOG_WARN, "launch refused: no peer pid");
		return -EACCES;
	}
	memset(&rq, 0, sizeof(rq));
	rq.version = VFS_IPC_ABI_VERSION;
	rq.op = VFS_IPC_OP_CONFINED;
	rq.pid = (uint64_t)getpid();	/* our own: vfsd checks our flags */
	rq.tid = rq.pid;
	rq.arg0 = (uint64_t)cr.pid;
	memset(&rs, 0, sizeof(rs));
	n = rustos_ipc_call_service(IPC_SERVICE_VFSD, &rq, sizeof(rq), &rs,
	    sizeof(rs));
	if (n < 8 || rs.status < 0) {
		svc_log(SVC_LOG_WARN, "launch refused: vfsd confinement query "
		    "for pid %d failed (%ld/%d)", (int)cr.pid, n,
		    n >= 8 ? (int)rs.status : 0);
		return -EACCES;
	}
	if (rs.value != 0) {
		svc_log(SVC_LOG_WARN, "launch refused: client pid %d is "
		    "confined (linux-runtime)", (int)cr.pid);
		return -EACCES;
	}
	/*
	 * vfsd forgets a pid at its exit: "not confined" only counts if the
	 * client was still there when vfsd answered, i.e. still holds its
	 * end now (it waits for our reply; its forks share its profile).
	 */
	p.fd = fd;
	p.events = POLLRDHUP;
	p.revents = 0;
	if (poll(&p, 1, 0) < 0 ||
	    (p.revents & (POLLHUP | POLLRDHUP | POLLERR | POLLNVAL)) != 0) {
		svc_log(SVC_LOG_WARN, "launch refused: client pid %d hung up",
		    (int)cr.pid);
		return -EACCES;
	}
	return 0;
}

static int32_t
do_launch(const struct rustos_runtime_control_request *q)
{
	struct rtd_launch l;
	char text[RUNTIME_CONTROL_MAX_REQUEST_PATH_BYTES + 1];
	long pid;
	int r;

	memcpy(text, q->text, q->text_len);
	text[q->text_len] = '\0';
	r = rtd_resolve(&st, text, &l);
	if (r < 0) {
		svc_log(SVC_LOG_WARN, "launch %s refused: %d", text, r);
		return r;
	}
	if (l.exec[0] == '/' && access(l.exec, F_OK) != 0) {
		svc_log(SVC_LOG_WARN, "launch %s: %s: %s", text, l.exec,
		    strerror(errno));
		return -ENOENT;
	}
	pid = spawn(&l);
	if (pid < 0) {
		svc_log(SVC_LOG_WARN, "launch %s failed: %ld", text, pid);
		return (int32_t)pid;
	}
	r = rtd_remember(&st, (uint64_t)pid, (uint64_t)pid, &l);
	if (r < 0)
		svc_log(SVC_LOG_WARN, "pid %ld: table full, not tracked", pid);
	svc_marker("launched %s", l.desktop_id[0] != '\0' ? l.desktop_id :
	    l.exec);
	svc_log(SVC_LOG_INFO, "launched %s pid=%ld weight=%u", l.exec, pid,
	    (unsigned)l.weight_micros);
	return 0;
}

/* Signal the matched programs, then wait (bounded) until they are reaped. */
static int32_t
do_terminate(const struct rustos_runtime_control_request *q)
{
	uint64_t pids[RTD_MAX_PROGS];
	unsigned waited;
	size_t n, i;
	int left;

	reap();
	n = rtd_match(&st, q->target_kind == RUNTIME_CONTROL_TARGET_SESSION,
	    q->target_value, pids, RTD_MAX_PROGS);
	if (n == 0)
		return -ESRCH;
	for (i = 0; i < n; i++) {
		if (q->target_kind == RUNTIME_CONTROL_TARGET_SESSION &&
		    kill(-(pid_t)pids[i], SIGTERM) == 0)
			continue;
		kill((pid_t)pids[i], SIGTERM);
	}
	for (waited = 0; waited < TERM_WAIT_MS; waited += 10) {
		reap();
		for (left = 0, i = 0; i < n; i++)
			if (rtd_find(&st, pids[i]) != NULL)
				left++;
		if (left == 0)
			break;
		if (waited == TERM_WAIT_MS / 2)
			for (i = 0; i < n; i++)
				if (rtd_find(&st, pids[i]) != NULL)
					kill((pid_t)pids[i], SIGKILL);
		svc_sleep_ms(10);
	}
	svc_log(SVC_LOG_INFO, "terminate %s %llu: %zu signalled",
	    q->target_kind == RUNTIME_CONTROL_TARGET_SESSION ? "session" :
	    "pid", (unsigned long long)q->target_value, n);
	return 0;
}

static struct rustos_runtime_control_record recs[RUNTIME_CONTROL_MAX_RECORDS];

static void
serve(int fd)
{
	struct rustos_runtime_control_request q;
	uint32_t count = 0;
	uint64_t digest;
	unsigned waited;
	int32_t status = 0;
	int r;

	r = runtime_control_server_read_request(fd, &q, IO_TIMEOUT_MS);
	if (r < 0) {
		svc_log(SVC_LOG_WARN, "malformed request: %d", r);
		runtime_control_server_send_reply(fd, RUNTIME_CONTROL_OP_ERROR,
		    r, NULL, 0, IO_TIMEOUT_MS);
		return;
	}
	switch (q.op) {
	case RUNTIME_CONTROL_OP_SNAPSHOT:
		reap();
		count = rtd_snapshot(&st, recs, RUNTIME_CONTROL_MAX_RECORDS);
		break;
	case RUNTIME_CONTROL_OP_LAUNCH:
		status = client_may_launch(fd);
		if (status == 0)
			status = do_launch(&q);
		break;
	case RUNTIME_CONTROL_OP_TERMINATE:
		status = do_terminate(&q);
		break;
	case RUNTIME_CONTROL_OP_UI_READY:
		svc_marker("runtimed: ui ready received");
		return;		/* one-way */
	case RUNTIME_CONTROL_OP_WATCH:
		for (waited = 0;; waited += 20) {
			reap();
			count = rtd_snapshot(&st, recs,
			    RUNTIME_CONTROL_MAX_RECORDS);
			digest = runtime_control_digest(recs, count);
			if (digest != q.target_value)
				break;
			if (waited >= q.wait_ms) {
				status = -EAGAIN;
				count = 0;
				break;
			}
			svc_sleep_ms(20);
		}
		break;
	}
	r = runtime_control_server_send_reply(fd, q.op, status, recs, count,
	    IO_TIMEOUT_MS);
	if (r < 0)
		svc_log(SVC_LOG_WARN, "reply op %u: %d", q.op, r);
}

static int
listen_on(const char *path)
{
	struct sockaddr_un a;
	int fd;

	if (strlen(path) >= sizeof(a.sun_path))
		return -ENAMETOOLONG;
	mkdir("/run", 0755);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	memcpy(a.sun_path, path, strlen(path));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(fd, 16) != 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	chmod(path, 0666);
	return fd;
}

int
main(int argc, char **argv)
{
	struct pollfd p;
	int lfd, c, tries;

	svc_parse_args(argc, argv);
	signal(SIGPIPE, SIG_IGN);
	load_registries();
	/* netd (the socket policy) may still be coming up: retry a while. */
	for (tries = 0; (lfd = listen_on(RUNTIME_CONTROL_DEFAULT_SOCKET)) < 0 &&
	    tries < 100; tries++)
		svc_sleep_ms(100);
	if (lfd < 0) {
		svc_marker("runtimed: cannot listen on %s: %d",
		    RUNTIME_CONTROL_DEFAULT_SOCKET, lfd);
		return 1;
	}
	svc_marker("runtimed: runtime socket ready");
	for (;;) {
		p.fd = lfd;
		p.events = POLLIN;
		p.revents = 0;
		reap();
		if (poll(&p, 1, 200) <= 0)
			continue;
		c = accept(lfd, NULL, NULL);
		if (c < 0) {
			if (errno != EINTR && errno != EAGAIN)
				svc_sleep_ms(50);
			continue;
		}
		serve(c);
		close(c);
	}
}
