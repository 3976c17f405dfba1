/*
 * client.c -- the runtimed control-socket client: one AF_UNIX stream
 * connection per request, one request frame out, one response frame (and
 * for snapshots `count` records) in, all within RUNTIME_CONTROL_DEADLINE_MS.
 * Requests are validated before anything is sent; replies are validated
 * before anything reaches the caller (never a partial result).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <rustos/runtime_control.h>

#include "internal.h"

RC_EXPORT const char *
runtime_control_socket_path(const char *override_path)
{
	const char *env;

	if (override_path != NULL && override_path[0] != '\0')
		return override_path;
	env = getenv(RUNTIME_CONTROL_SOCKET_ENV);
	if (env != NULL && env[0] != '\0')
		return env;
	return RUNTIME_CONTROL_DEFAULT_SOCKET;
}

static int
connect_to(const char *path)
{
	struct sockaddr_un sa;
	size_t n;
	int fd, e;

	n = strlen(path);
	if (n >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, n);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	/*
	 * AF_UNIX connect never waits for accept(); a full backlog fails
	 * with EAGAIN at once, which is reported rather than retried.
	 */
	while (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		e = errno;
		if (e == EINTR)
			continue;
		close(fd);
		return -e;
	}
	return fd;
}

/*
 * One exchange.  snap may be NULL for ops that return no records; for op 4
 * no reply is read at all.
 */
static int
exchange(const char *socket_path, const struct rustos_runtime_control_request *req,
    struct rustos_runtime_control_snapshot *snap)
{
	struct rustos_runtime_control_response resp;
	int64_t deadline;
	const char *path;
	int fd, r;

	path = runtime_control_socket_path(socket_path);
	deadline = rc_deadline_after(RUNTIME_CONTROL_DEADLINE_MS);
	fd = connect_to(path);
	if (fd < 0)
		return fd;
	r = rc_write_all(fd, req, sizeof(*req), deadline);
	if (r < 0 || req->op == RUNTIME_CONTROL_OP_UI_READY)
		goto out;
	r = rc_read_exact(fd, &resp, sizeof(resp), deadline);
	if (r == -EPIPE)
		r = -EIO;	/* closed without answering */
	if (r < 0)
		goto out;
	r = -EPROTO;
	if (resp.version != RUNTIME_CONTROL_VERSION)
		goto out;
	if (resp.op == RUNTIME_CONTROL_OP_ERROR) {
		/* Error envelope: a valid -errno, nothing follows. */
		if (resp.status < 0 && resp.status >= -4095 && resp.count == 0)
			r = resp.status;
		goto out;
	}
	if (resp.op != req->op)
		goto out;
	if (resp.count > RUNTIME_CONTROL_MAX_RECORDS) {
		r = -EOVERFLOW;
		goto out;
	}
	if (resp.status < -4095 || resp.status > 0)
		goto out;
	if (req->op != RUNTIME_CONTROL_OP_SNAPSHOT && req->op != RUNTIME_CONTROL_OP_WATCH) {
		if (resp.count != 0)
			goto out;
		r = resp.status;
		goto out;
	}
	if (resp.status < 0) {
		r = resp.count == 0 ? resp.status : -EPROTO;
		goto out;
	}
	if (resp.count != 0) {
		r = rc_read_exact(fd, snap->records,
		    (size_t)resp.count * sizeof(snap->records[0]), deadline);
		if (r == -EPIPE)
			r = -EPROTO;
		if (r < 0)
			goto out;
	}
	snap->count = resp.count;
	snap->reserved = 0;
	snap->digest = runtime_control_digest(snap->records, resp.count);
	r = 0;
out:
	close(fd);
	return r;
}

static void
request_init(struct rustos_runtime_control_request *req, uint16_t op,
    uint16_t kind)
{
	memset(req, 0, sizeof(*req));
	req->version = RUNTIME_CONTROL_VERSION;
	req->op = op;
	req->target_kind = kind;
}

/* Snapshots land in a private copy first so a failure leaves *out untouched. */
static int
snapshot_exchange(const char *socket_path,
    const struct rustos_runtime_control_request *req,
    struct rustos_runtime_control_snapshot *out)
{
	struct rustos_runtime_control_snapshot tmp;
	int r;

	r = exchange(socket_path, req, &tmp);
	if (r == 0)
		memcpy(out, &tmp, sizeof(tmp));
	return r;
}

RC_EXPORT int
runtime_control_snapshot_running_programs(const char *socket_path,
    struct rustos_runtime_control_snapshot *out)
{
	struct rustos_runtime_control_request req;

	if (out == NULL)
		return -EINVAL;
	request_init(&req, RUNTIME_CONTROL_OP_SNAPSHOT, RUNTIME_CONTROL_TARGET_NONE);
	return snapshot_exchange(socket_path, &req, out);
}

RC_EXPORT int
runtime_control_watch(const char *socket_path, uint64_t last_digest,
    uint16_t wait_ms, struct rustos_runtime_control_snapshot *out)
{
	struct rustos_runtime_control_request req;

	if (out == NULL || wait_ms > RUNTIME_CONTROL_WATCH_MAX_WAIT_MS)
		return -EINVAL;
	request_init(&req, RUNTIME_CONTROL_OP_WATCH, RUNTIME_CONTROL_TARGET_NONE);
	req.wait_ms = wait_ms;
	req.target_value = last_digest;
	return snapshot_exchange(socket_path, &req, out);
}

RC_EXPORT int
runtime_control_request_launch_program_new_session(const char *socket_path,
    const char *desktop_id_or_path)
{
	struct rustos_runtime_control_request req;
	size_t n;

	if (desktop_id_or_path == NULL)
		return -EINVAL;
	n = strnlen(desktop_id_or_path, RUNTIME_CONTROL_MAX_REQUEST_PATH_BYTES);
	if (n >= RUNTIME_CONTROL_MAX_REQUEST_PATH_BYTES)
		return -ENAMETOOLONG;
	if (n == 0)
		return -EINVAL;
	request_init(&req, RUNTIME_CONTROL_OP_LAUNCH, RUNTIME_CONTROL_TARGET_NEW_SESSION);
	req.text_len = (uint32_t)n;
	memcpy(req.text, desktop_id_or_path, n);
	return exchange(socket_path, &req, NULL);
}

static int
terminate(const char *socket_path, uint16_t kind, uint64_t value)
{
	struct rustos_runtime_control_request req;

	if (value == 0)
		return -EINVAL;
	request_init(&req, RUNTIME_CONTROL_OP_TERMINATE, kind);
	req.target_value = value;
	return exchange(socket_path, &req, NULL);
}

RC_EXPORT int
runtime_control_request_terminate_session(const char *socket_path,
    uint64_t session_handle)
{
	return terminate(socket_path, RUNTIME_CONTROL_TARGET_SESSION, session_handle);
}

RC_EXPORT int
runtime_control_request_terminate_pid(const char *socket_path, uint64_t pid)
{
	return terminate(socket_path, RUNTIME_CONTROL_TARGET_PID, pid);
}

RC_EXPORT int
runtime_control_notify_ui_ready(const char *socket_path)
{
	struct rustos_runtime_control_request req;

	request_init(&req, RUNTIME_CONTROL_OP_UI_READY, RUNTIME_CONTROL_TARGET_UISERVER);
	return exchange(socket_path, &req, NULL);
}
