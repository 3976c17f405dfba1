/*
 * rtctl.c -- runtime-control command-line client, an SDK example: lists the
 * programs runtimed runs, launches one in a new session, terminates a
 * session or a pid.  Builds only against the installed SDK (pkg-config
 * runtime-control).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rustos/runtime_control.h>

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: rtctl [--socket PATH] list\n"
	    "       rtctl [--socket PATH] launch DESKTOP-ID|PATH\n"
	    "       rtctl [--socket PATH] kill-session SESSION\n"
	    "       rtctl [--socket PATH] kill-pid PID\n"
	    "The socket defaults to $%s or %s.\n",
	    RUNTIME_CONTROL_SOCKET_ENV, RUNTIME_CONTROL_DEFAULT_SOCKET);
}

static int
parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (s == NULL || *s == '\0' || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v == 0)
		return -EINVAL;
	*out = v;
	return 0;
}

static int
fail(const char *what, const char *sock, int r)
{
	fprintf(stderr, "rtctl: %s via %s: %s\n", what,
	    runtime_control_socket_path(sock), strerror(-r));
	return 1;
}

int
main(int argc, char **argv)
{
	static struct rustos_runtime_control_snapshot snap;
	const char *sock = NULL, *cmd;
	uint64_t v;
	uint32_t i;
	int r, a = 1;

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc > 2 && strcmp(argv[1], "--socket") == 0) {
		sock = argv[2];
		a = 3;
	}
	if (a >= argc) {
		usage(stderr);
		return 2;
	}
	cmd = argv[a];
	if (strcmp(cmd, "list") == 0 && a + 1 == argc) {
		if ((r = runtime_control_snapshot_running_programs(sock, &snap)) < 0)
			return fail("list", sock, r);
		printf("%-8s %-8s %-4s %-28s %-20s %s\n", "PID", "SESSION", "ID",
		    "DESKTOP-ID", "NAME", "EXEC");
		for (i = 0; i < snap.count; i++) {
			const struct rustos_runtime_control_record *p = &snap.records[i];

			printf("%-8" PRIu64 " %-8" PRIu64 " %-4" PRIu32 " %-28.48s %-20.48s %.64s\n",
			    p->pid, p->session_handle, p->program_id,
			    p->desktop_file_id, p->display_name, p->exec_path);
		}
		return 0;
	}
	if (strcmp(cmd, "launch") == 0 && a + 2 == argc) {
		if ((r = runtime_control_request_launch_program_new_session(sock, argv[a + 1])) < 0)
			return fail("launch", sock, r);
		printf("launched %s\n", argv[a + 1]);
		return 0;
	}
	if ((strcmp(cmd, "kill-session") == 0 || strcmp(cmd, "kill-pid") == 0) &&
	    a + 2 == argc) {
		if (parse_u64(argv[a + 1], &v) < 0) {
			fprintf(stderr, "rtctl: %s: not a positive number: %s\n", cmd, argv[a + 1]);
			return 2;
		}
		r = strcmp(cmd, "kill-pid") == 0 ?
		    runtime_control_request_terminate_pid(sock, v) :
		    runtime_control_request_terminate_session(sock, v);
		if (r < 0)
			return fail(cmd, sock, r);
		return 0;
	}
	usage(stderr);
	return 2;
}
