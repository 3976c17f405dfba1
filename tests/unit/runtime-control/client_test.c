/*
 * client_test.c -- libruntime-control client against a real AF_UNIX server
 * thread in this process.  The well-behaved server uses the library's own
 * server codec; the misbehaving ones write hand-made frames to check every
 * client validation (EPROTO, EOVERFLOW, short reads, silence -> ETIMEDOUT).
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <rustos/runtime_control.h>

#include "tap.h"

enum mode {
	M_GOOD,		/* library codec, real answers */
	M_BAD_VERSION,
	M_WRONG_OP,
	M_COUNT_NONZERO,
	M_OVERFLOW,
	M_SHORT_RECORDS,
	M_SHORT_HEADER,
	M_CLOSE,
	M_SILENT,
	M_ERROR_ENVELOPE,
	M_BAD_STATUS
};

static volatile int mode;
static volatile int connections;
static volatile int ui_ready_seen;
static struct rustos_runtime_control_request last_req;
static int listen_fd;
static char sock_path[108];
static char tmp_dir[64];

static struct rustos_runtime_control_record recs[3];

static void
raw_reply(int fd, uint16_t version, uint16_t op, int32_t status, uint32_t count,
    size_t trunc)
{
	struct rustos_runtime_control_response h;

	memset(&h, 0, sizeof(h));
	h.version = version;
	h.op = op;
	h.status = status;
	h.count = count;
	(void)!write(fd, &h, trunc ? trunc : sizeof(h));
}

static void
serve_one(int fd)
{
	struct rustos_runtime_control_request req;
	unsigned char raw[sizeof(req)];
	uint64_t digest;
	int r;

	if (mode != M_GOOD) {
		/* Read the raw request so the client's write completes. */
		size_t got = 0;
		ssize_t n;
		while (got < sizeof(raw) && (n = read(fd, raw + got, sizeof(raw) - got)) > 0)
			got += (size_t)n;
		memcpy(&req, raw, sizeof(req));
		last_req = req;
	}
	switch (mode) {
	case M_GOOD:
		r = runtime_control_server_read_request(fd, &req, 2000);
		if (r < 0) {
			runtime_control_server_send_reply(fd, RUNTIME_CONTROL_OP_ERROR, r, NULL, 0, 2000);
			return;
		}
		last_req = req;
		switch (req.op) {
		case RUNTIME_CONTROL_OP_SNAPSHOT:
			runtime_control_server_send_reply(fd, req.op, 0, recs, 3, 2000);
			break;
		case RUNTIME_CONTROL_OP_WATCH:
			digest = runtime_control_digest(recs, 3);
			if (req.target_value == digest)
				runtime_control_server_send_reply(fd, req.op, -EAGAIN, NULL, 0, 2000);
			else
				runtime_control_server_send_reply(fd, req.op, 0, recs, 3, 2000);
			break;
		case RUNTIME_CONTROL_OP_LAUNCH:
			r = req.text_len == 17 && memcmp(req.text, "hello-app.desktop", 17) == 0 ? 0 : -ENOENT;
			runtime_control_server_send_reply(fd, req.op, r, NULL, 0, 2000);
			break;
		case RUNTIME_CONTROL_OP_TERMINATE:
			r = (req.target_kind == RUNTIME_CONTROL_TARGET_SESSION && req.target_value == 7) ||
			    (req.target_kind == RUNTIME_CONTROL_TARGET_PID && req.target_value == 42) ? 0 : -ESRCH;
			runtime_control_server_send_reply(fd, req.op, r, NULL, 0, 2000);
			break;
		case RUNTIME_CONTROL_OP_UI_READY:
			ui_ready_seen = 1;
			break;
		}
		break;
	case M_BAD_VERSION:
		raw_reply(fd, 2, req.op, 0, 0, 0);
		break;
	case M_WRONG_OP:
		raw_reply(fd, 1, req.op == 1 ? 2 : 1, 0, 0, 0);
		break;
	case M_COUNT_NONZERO:
		raw_reply(fd, 1, req.op, 0, 1, 0);
		(void)!write(fd, &recs[0], sizeof(recs[0]));
		break;
	case M_OVERFLOW:
		raw_reply(fd, 1, req.op, 0, 65, 0);
		break;
	case M_SHORT_RECORDS:
		raw_reply(fd, 1, req.op, 0, 2, 0);
		(void)!write(fd, &recs[0], sizeof(recs[0]));
		break;
	case M_SHORT_HEADER:
		raw_reply(fd, 1, req.op, 0, 0, 6);
		break;
	case M_CLOSE:
		break;
	case M_SILENT: {
		/* Never answer; wait until the client gives up and closes. */
		struct pollfd p = { fd, POLLIN, 0 };
		char c;
		while (poll(&p, 1, 10000) > 0 && read(fd, &c, 1) > 0)
			;
		break;
	}
	case M_ERROR_ENVELOPE:
		raw_reply(fd, 1, RUNTIME_CONTROL_OP_ERROR, -EPERM, 0, 0);
		break;
	case M_BAD_STATUS:
		raw_reply(fd, 1, req.op, 5, 0, 0);
		break;
	}
}

static void *
server(void *arg)
{
	int fd;

	(void)arg;
	for (;;) {
		fd = accept(listen_fd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR)
				continue;
			return NULL;
		}
		connections++;
		serve_one(fd);
		close(fd);
	}
}

static int
start_server(void)
{
	struct sockaddr_un sa;
	pthread_t t;
	const char *base = getenv("TMPDIR");

	snprintf(tmp_dir, sizeof(tmp_dir), "%s/rc-test.XXXXXX",
	    base != NULL && strlen(base) < 40 ? base : "/tmp");
	if (mkdtemp(tmp_dir) == NULL)
		return -1;
	snprintf(sock_path, sizeof(sock_path), "%s/runtimed.sock", tmp_dir);
	listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, sock_path);
	if (bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(listen_fd, 8) < 0)
		return -1;
	return pthread_create(&t, NULL, server, NULL) == 0 ? 0 : -1;
}

static void
stop_server(void)
{
	unlink(sock_path);
	rmdir(tmp_dir);
}

int
main(void)
{
	struct rustos_runtime_control_snapshot snap;
	char longname[200];
	int r, before;

	runtime_control_record_fill(&recs[0], 101, 1, 7, "shell.desktop", "Shell", "/apps/shell/shell.elf");
	runtime_control_record_fill(&recs[1], 102, 2, 7, "hello-app.desktop", "Hello", "/apps/hello-app/hello-app.elf");
	runtime_control_record_fill(&recs[2], 42, 3, 9, "clock.desktop", "Clock", "/apps/clock/clock.elf");
	/* The misbehaving servers write with plain write(2) to closed peers. */
	signal(SIGPIPE, SIG_IGN);
	if (start_server() < 0) {
		printf("not ok 1 - test server starts\n1..1\n");
		return 1;
	}
	setenv(RUNTIME_CONTROL_SOCKET_ENV, "/nonexistent/runtimed.sock", 1);

	/* Round trips against the library's own server codec. */
	mode = M_GOOD;
	memset(&snap, 0xff, sizeof(snap));
	r = runtime_control_snapshot_running_programs(sock_path, &snap);
	tap_ok(r == 0 && snap.count == 3, "snapshot_running_programs returns 3 records");
	tap_ok(r == 0 && snap.records[1].pid == 102 &&
	    strcmp(snap.records[1].desktop_file_id, "hello-app.desktop") == 0 &&
	    strcmp(snap.records[2].exec_path, "/apps/clock/clock.elf") == 0 &&
	    snap.records[2].session_handle == 9, "snapshot records round-trip field by field");
	tap_ok(r == 0 && snap.digest == runtime_control_digest(recs, 3), "snapshot carries the FNV-1a digest");
	tap_ok(last_req.op == RUNTIME_CONTROL_OP_SNAPSHOT && last_req.version == 1 &&
	    last_req.target_kind == 0 && last_req.text_len == 0, "snapshot request frame is well-formed");
	r = runtime_control_request_launch_program_new_session(sock_path, "hello-app.desktop");
	tap_ok(r == 0, "request_launch_program_new_session succeeds");
	tap_ok(last_req.op == 2 && last_req.target_kind == RUNTIME_CONTROL_TARGET_NEW_SESSION &&
	    last_req.text_len == 17, "launch request carries target_kind 2 and the text");
	r = runtime_control_request_launch_program_new_session(sock_path, "missing.desktop");
	tap_ok(r == -ENOENT, "launch of an unknown program returns the server's -ENOENT");
	r = runtime_control_request_terminate_session(sock_path, 7);
	tap_ok(r == 0 && last_req.target_kind == 1 && last_req.target_value == 7,
	    "request_terminate_session(7) succeeds");
	r = runtime_control_request_terminate_session(sock_path, 8);
	tap_ok(r == -ESRCH, "terminate of an unknown session returns -ESRCH");
	r = runtime_control_request_terminate_pid(sock_path, 42);
	tap_ok(r == 0 && last_req.target_kind == 2 && last_req.target_value == 42,
	    "request_terminate_pid(42) succeeds");
	r = runtime_control_request_terminate_pid(sock_path, 43);
	tap_ok(r == -ESRCH, "terminate of an unknown pid returns -ESRCH");
	r = runtime_control_notify_ui_ready(sock_path);
	for (before = 0; before < 200 && !ui_ready_seen; before++)
		usleep(10000);
	tap_ok(r == 0 && ui_ready_seen, "notify_ui_ready is delivered (one-way)");
	r = runtime_control_watch(sock_path, 0, 100, &snap);
	tap_ok(r == 0 && snap.count == 3, "watch with a stale digest returns a snapshot");
	r = runtime_control_watch(sock_path, snap.digest, 100, &snap);
	tap_ok(r == -EAGAIN, "watch with the current digest returns -EAGAIN");
	tap_ok(runtime_control_watch(sock_path, 0, 2001, &snap) == -EINVAL, "watch refuses wait_ms > 2000");

	/* Socket path selection. */
	setenv(RUNTIME_CONTROL_SOCKET_ENV, sock_path, 1);
	r = runtime_control_snapshot_running_programs(NULL, &snap);
	tap_ok(r == 0 && snap.count == 3, "RUSTOS_RUNTIMED_SOCKET selects the socket");
	r = runtime_control_snapshot_running_programs("/nonexistent/dir/runtimed.sock", &snap);
	tap_ok(r == -ENOENT, "explicit path overrides the environment; missing socket gives -ENOENT");
	unsetenv(RUNTIME_CONTROL_SOCKET_ENV);
	tap_ok(strcmp(runtime_control_socket_path(NULL), "/run/runtimed.sock") == 0,
	    "default socket is /run/runtimed.sock");

	/* Too-long text: refused before anything is sent. */
	memset(longname, 'a', sizeof(longname));
	longname[128] = '\0';
	before = connections;
	r = runtime_control_request_launch_program_new_session(sock_path, longname);
	tap_ok(r == -ENAMETOOLONG && connections == before,
	    "128-byte path: -ENAMETOOLONG and no connection made");
	longname[127] = '\0';
	mode = M_GOOD;
	r = runtime_control_request_launch_program_new_session(sock_path, longname);
	tap_ok(r == -ENOENT && connections == before + 1, "127-byte path is sent");
	tap_ok(runtime_control_request_launch_program_new_session(sock_path, "") == -EINVAL,
	    "empty launch target is -EINVAL");
	memset(longname, 'b', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	tap_ok(runtime_control_snapshot_running_programs(longname, &snap) == -ENAMETOOLONG,
	    "socket path longer than sun_path is -ENAMETOOLONG");

	/* Misbehaving servers. */
	mode = M_BAD_VERSION;
	snap.count = 77;
	r = runtime_control_snapshot_running_programs(sock_path, &snap);
	tap_ok(r == -EPROTO && snap.count == 77, "reply version 2 -> -EPROTO, output untouched");
	mode = M_WRONG_OP;
	tap_ok(runtime_control_snapshot_running_programs(sock_path, &snap) == -EPROTO,
	    "reply op differs (snapshot) -> -EPROTO");
	tap_ok(runtime_control_request_terminate_pid(sock_path, 42) == -EPROTO,
	    "reply op differs (terminate) -> -EPROTO");
	mode = M_COUNT_NONZERO;
	tap_ok(runtime_control_request_launch_program_new_session(sock_path, "x") == -EPROTO,
	    "launch reply with count 1 -> -EPROTO");
	tap_ok(runtime_control_request_terminate_session(sock_path, 7) == -EPROTO,
	    "terminate reply with count 1 -> -EPROTO");
	mode = M_OVERFLOW;
	tap_ok(runtime_control_snapshot_running_programs(sock_path, &snap) == -EOVERFLOW,
	    "count 65 -> -EOVERFLOW");
	mode = M_SHORT_RECORDS;
	snap.count = 77;
	r = runtime_control_snapshot_running_programs(sock_path, &snap);
	tap_ok(r == -EPROTO && snap.count == 77, "2 records announced, 1 sent -> -EPROTO, no partial result");
	mode = M_SHORT_HEADER;
	tap_ok(runtime_control_snapshot_running_programs(sock_path, &snap) == -EPROTO,
	    "6-byte response header -> -EPROTO");
	mode = M_CLOSE;
	tap_ok(runtime_control_request_terminate_pid(sock_path, 42) == -EIO,
	    "server closes without answering -> -EIO");
	mode = M_ERROR_ENVELOPE;
	tap_ok(runtime_control_request_terminate_pid(sock_path, 42) == -EPERM,
	    "op 0 error envelope -> its -errno");
	mode = M_BAD_STATUS;
	tap_ok(runtime_control_request_terminate_pid(sock_path, 42) == -EPROTO,
	    "positive status -> -EPROTO");
	mode = M_SILENT;
	r = runtime_control_snapshot_running_programs(sock_path, &snap);
	tap_ok(r == -ETIMEDOUT, "server that never answers -> -ETIMEDOUT (client returns)");

	/* Null arguments. */
	tap_ok(runtime_control_snapshot_running_programs(sock_path, NULL) == -EINVAL,
	    "NULL snapshot buffer -> -EINVAL");
	tap_ok(runtime_control_request_terminate_pid(sock_path, 0) == -EINVAL, "pid 0 -> -EINVAL");

	stop_server();
	return tap_done();
}
