/*
 * fake_runtimed.c -- a stand-in for runtimed's control socket, built on the
 * library's server codec, for driving clients such as sdk-examples/rtctl:
 *
 *   fake-runtimed SOCKET [MAX_CONNECTIONS]
 *
 * Serves three canned programs; launch knows "hello-app.desktop" and
 * "/apps/hello-app/hello-app.elf"; terminate knows session 7 and pid 101.
 * Logs one line per request on stdout.  Exits after MAX_CONNECTIONS
 * (default 32) or after 20 s without a connection: it never hangs a test.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <rustos/runtime_control.h>

int
main(int argc, char **argv)
{
	struct rustos_runtime_control_record recs[3];
	struct rustos_runtime_control_request req;
	struct sockaddr_un sa;
	struct pollfd p;
	int lfd, fd, r, served = 0, max = 32;

	if (argc < 2 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: fake-runtimed SOCKET [MAX_CONNECTIONS]\n");
		return 2;
	}
	if (argc > 2)
		max = atoi(argv[2]);
	runtime_control_record_fill(&recs[0], 100, 1, 7, "shell.desktop", "Shell", "/apps/shell/shell.elf");
	runtime_control_record_fill(&recs[1], 101, 2, 7, "hello-app.desktop", "Hello App", "/apps/hello-app/hello-app.elf");
	runtime_control_record_fill(&recs[2], 102, 3, 8, "clock.desktop", "Clock", "/apps/clock/clock.elf");
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, argv[1]);
	unlink(argv[1]);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 8) < 0) {
		fprintf(stderr, "fake-runtimed: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (served < max) {
		p.fd = lfd;
		p.events = POLLIN;
		if (poll(&p, 1, 20000) <= 0)
			break;
		if ((fd = accept(lfd, NULL, NULL)) < 0)
			continue;
		served++;
		r = runtime_control_server_read_request(fd, &req, 2000);
		if (r < 0) {
			printf("bad request: %s\n", strerror(-r));
			runtime_control_server_send_reply(fd, RUNTIME_CONTROL_OP_ERROR, r, NULL, 0, 2000);
		} else if (req.op == RUNTIME_CONTROL_OP_SNAPSHOT) {
			printf("snapshot\n");
			runtime_control_server_send_reply(fd, req.op, 0, recs, 3, 2000);
		} else if (req.op == RUNTIME_CONTROL_OP_LAUNCH) {
			int known = (req.text_len == 17 && memcmp(req.text, "hello-app.desktop", 17) == 0) ||
			    (req.text_len == 29 && memcmp(req.text, "/apps/hello-app/hello-app.elf", 29) == 0);
			printf("launch %.*s\n", (int)req.text_len, (const char *)req.text);
			runtime_control_server_send_reply(fd, req.op, known ? 0 : -ENOENT, NULL, 0, 2000);
		} else if (req.op == RUNTIME_CONTROL_OP_TERMINATE) {
			int hit = req.target_kind == RUNTIME_CONTROL_TARGET_SESSION ?
			    req.target_value == 7 : req.target_value == 101;
			printf("terminate %s %llu\n",
			    req.target_kind == RUNTIME_CONTROL_TARGET_SESSION ? "session" : "pid",
			    (unsigned long long)req.target_value);
			runtime_control_server_send_reply(fd, req.op, hit ? 0 : -ESRCH, NULL, 0, 2000);
		} else if (req.op == RUNTIME_CONTROL_OP_UI_READY) {
			printf("ui-ready\n");
		} else {
			printf("op %u\n", req.op);
			runtime_control_server_send_reply(fd, req.op, -EAGAIN, NULL, 0, 2000);
		}
		fflush(stdout);
		close(fd);
	}
	close(lfd);
	unlink(argv[1]);
	return 0;
}
