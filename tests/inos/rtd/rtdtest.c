/*
 * rtdtest.c -- the in-OS client test of runtimed (tests/qemu/runtimed.sh),
 * through libruntime-control.  Lines: "RTD ok|FAIL|skip NAME[: why]",
 * then "RTD done passed=N failed=M skipped=K".
 *
 * The same binary is staged as /apps/rtdsleep/rtdsleep.elf: started under
 * that name it is the program runtimed launches -- it writes what it sees
 * (session id, the environment runtimed gave it) to /tmp/rtdsleep.PID and
 * waits to be terminated.  Copied to /tmp and run from there with
 * --confined (vfsd confines it: linux-runtime profile) it asks runtimed for
 * a launch, which runtimed must refuse (-EACCES; exit status 0).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rustos/runtime_control.h>

#define SLEEP_PATH	"/apps/rtdsleep/rtdsleep.elf"
#define SLEEP_ID	"rtdsleep.desktop"
#define RTCTL_PATH	"/apps/rtctl/rtctl.elf"

static int passed, failed, skipped;

static void
result(int ok, const char *name, const char *fmt, ...)
{
	char why[256] = "";
	va_list ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(why, sizeof(why), fmt, ap);
		va_end(ap);
	}
	if (ok)
		passed++;
	else
		failed++;
	printf("RTD %s %s%s%s\n", ok ? "ok" : "FAIL", name,
	    ok || why[0] == '\0' ? "" : ": ", ok ? "" : why);
	fflush(stdout);
}

static void
sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int
sleeper(void)
{
	char path[64];
	FILE *f;
	const char *e;
	int i;

	snprintf(path, sizeof(path), "/tmp/rtdsleep.%d", (int)getpid());
	f = fopen(path, "w");
	if (f != NULL) {
		fprintf(f, "sid=%d\n", (int)getsid(0));
		fprintf(f, "pid=%d\n", (int)getpid());
		e = getenv("XDG_SESSION_TYPE");
		fprintf(f, "XDG_SESSION_TYPE=%s\n", e != NULL ? e : "");
		e = getenv("RTD_ENTRY_ENV");
		fprintf(f, "RTD_ENTRY_ENV=%s\n", e != NULL ? e : "");
		/* The view: a system program may read the boot volume. */
		i = open("/nucleus.elf", O_RDONLY);
		fprintf(f, "nucleus=%d\n", i >= 0 ? 0 : -errno);
		if (i >= 0)
			close(i);
		fprintf(f, "end\n");
		fclose(f);
	}
	for (i = 0; i < 600; i++)
		sleep_ms(1000);
	return 0;
}

/* What the sleeper of pid wrote (key's value), waiting for the file. */
static int
sleeper_value(uint64_t pid, const char *key, char *out, size_t cap)
{
	char path[64], line[256];
	size_t kl = strlen(key);
	int tries, found = 0, done = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/rtdsleep.%llu",
	    (unsigned long long)pid);
	for (tries = 0; tries < 300 && !done; tries++) {
		f = fopen(path, "r");
		if (f != NULL) {
			found = 0;
			while (fgets(line, sizeof(line), f) != NULL) {
				line[strcspn(line, "\n")] = '\0';
				if (strcmp(line, "end") == 0)
					done = 1;
				if (strncmp(line, key, kl) == 0 &&
				    line[kl] == '=') {
					snprintf(out, cap, "%s", line + kl + 1);
					found = 1;
				}
			}
			fclose(f);
		}
		if (!done)
			sleep_ms(20);
	}
	return done && found ? 0 : -ENOENT;
}

static struct rustos_runtime_control_snapshot snap;

static const struct rustos_runtime_control_record *
find_pid(uint64_t pid)
{
	uint32_t i;

	for (i = 0; i < snap.count; i++)
		if (snap.records[i].pid == pid)
			return &snap.records[i];
	return NULL;
}

/* Snapshot and the one record not in known[] (a new launch). */
static const struct rustos_runtime_control_record *
new_record(const uint64_t *known, size_t nknown, int *r)
{
	uint32_t i;
	size_t k;

	*r = runtime_control_snapshot_running_programs(NULL, &snap);
	if (*r < 0)
		return NULL;
	for (i = 0; i < snap.count; i++) {
		for (k = 0; k < nknown; k++)
			if (snap.records[i].pid == known[k])
				break;
		if (k == nknown)
			return &snap.records[i];
	}
	return NULL;
}

/* Send raw bytes on a fresh connection; read the 12-byte reply. */
static int
raw_exchange(const void *buf, size_t len,
    struct rustos_runtime_control_response *resp)
{
	struct sockaddr_un a;
	size_t got = 0;
	ssize_t n;
	int fd;

	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		return -errno;
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	snprintf(a.sun_path, sizeof(a.sun_path), "%s",
	    RUNTIME_CONTROL_DEFAULT_SOCKET);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    write(fd, buf, len) != (ssize_t)len) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	shutdown(fd, SHUT_WR);
	while (got < sizeof(*resp)) {
		n = read(fd, (char *)resp + got, sizeof(*resp) - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return got == sizeof(*resp) ? 0 : -EIO;
}

/* Run rtctl with a and b (b may be NULL); its stdout into out; exit status. */
static int
run_rtctl(const char *a, const char *b, char *out, size_t cap)
{
	char *argv[4] = { (char *)RTCTL_PATH, (char *)a, (char *)b, NULL };
	size_t got = 0;
	ssize_t n;
	int pfd[2], status;
	pid_t pid;

	out[0] = '\0';
	if (pipe(pfd) != 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		execv(RTCTL_PATH, argv);
		_exit(127);
	}
	close(pfd[1]);
	while (got + 1 < cap && (n = read(pfd[0], out + got,
	    cap - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	close(pfd[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -ECHILD;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void
check_rtctl(uint64_t pid)
{
	static char out[4096];
	char want[32];
	int r;

	r = run_rtctl("list", NULL, out, sizeof(out));
	snprintf(want, sizeof(want), "%llu ", (unsigned long long)pid);
	result(r == 0 && strstr(out, SLEEP_ID) != NULL &&
	    strstr(out, want) != NULL && strstr(out, SLEEP_PATH) != NULL,
	    "rtctl-list", "exit %d, output '%.120s'", r, out);
	r = run_rtctl("kill-pid", "999999", out, sizeof(out));
	result(r != 0 && r != 127, "rtctl-kill-unknown-fails", "exit %d", r);
}

static void
check_record(const char *name, const struct rustos_runtime_control_record *rec,
    uint64_t pid, const char *desktop_id)
{
	if (rec == NULL) {
		result(0, name, "pid %llu not in the snapshot (count %u)",
		    (unsigned long long)pid, snap.count);
		return;
	}
	if (strcmp(rec->desktop_file_id, desktop_id) != 0 ||
	    strcmp(rec->display_name, "RTD sleeper") != 0 ||
	    strcmp(rec->exec_path, SLEEP_PATH) != 0 ||
	    rec->session_handle == 0 || rec->program_id == 0)
		result(0, name, "record: id '%s' name '%s' exec '%s' "
		    "session %llu program %u", rec->desktop_file_id,
		    rec->display_name, rec->exec_path,
		    (unsigned long long)rec->session_handle, rec->program_id);
	else
		result(1, name, NULL);
}

static void
check_child(const char *tag, uint64_t pid)
{
	char v[128], name[64];

	snprintf(name, sizeof(name), "%s.env-runtime-scope", tag);
	if (sleeper_value(pid, "XDG_SESSION_TYPE", v, sizeof(v)) < 0)
		result(0, name, "no report from pid %llu",
		    (unsigned long long)pid);
	else
		result(strcmp(v, "wayland") == 0, name,
		    "XDG_SESSION_TYPE='%s'", v);
	snprintf(name, sizeof(name), "%s.env-entry", tag);
	if (sleeper_value(pid, "RTD_ENTRY_ENV", v, sizeof(v)) < 0)
		result(0, name, "no report");
	else
		result(strcmp(v, "yes") == 0, name, "RTD_ENTRY_ENV='%s'", v);
	snprintf(name, sizeof(name), "%s.new-session-leader", tag);
	if (sleeper_value(pid, "sid", v, sizeof(v)) < 0)
		result(0, name, "no report");
	else
		result(strtoull(v, NULL, 10) == pid, name, "sid %s, pid %llu",
		    v, (unsigned long long)pid);
}

/*
 * --confined: the copy in /tmp (confined by vfsd) asks for a launch.  Exit
 * 0: refused with -EACCES; 1: launched (the escape); 2: other error.
 */
static int
confined_client(void)
{
	int r, tries;

	for (tries = 0; tries < 5; tries++) {
		r = runtime_control_request_launch_program_new_session(NULL,
		    SLEEP_ID);
		if (r != -EAGAIN && r != -ETIMEDOUT)
			break;
		sleep_ms(100);
	}
	printf("RTD confined client: launch r=%d\n", r);
	fflush(stdout);
	return r == -EACCES ? 0 : r == 0 ? 1 : 2;
}

/* Copy ourselves to /tmp (memfs: vfsd confines what runs from there). */
static int
copy_self(const char *to)
{
	static char buf[4096];
	int in, out = -1, ok = -1;
	ssize_t n;

	if ((in = open("/apps/rtdtest/rtdtest.elf", O_RDONLY)) < 0)
		return -errno;
	if ((out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755)) < 0)
		goto done;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			goto done;
	ok = n == 0 ? 0 : -1;
done:
	close(in);
	if (out >= 0)
		close(out);
	return ok;
}

/* A confined client's launch is refused, and nothing new runs. */
static void
check_confined(void)
{
	const char *to = "/tmp/rtdconfined.elf";
	uint32_t before;
	int r, st = -1;
	pid_t pid;

	r = runtime_control_snapshot_running_programs(NULL, &snap);
	before = r == 0 ? snap.count : 0;
	if ((r = copy_self(to)) < 0) {
		result(0, "confined-launch-eacces", "copy to %s: %d", to, r);
		return;
	}
	pid = fork();
	if (pid == 0) {
		execl(to, to, "--confined", (char *)NULL);
		_exit(3);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		result(0, "confined-launch-eacces", "fork/wait: %d", errno);
		return;
	}
	result(WIFEXITED(st) && WEXITSTATUS(st) == 0, "confined-launch-eacces",
	    "status %#x (1: launched, 2: other error, 3: no exec)", st);
	r = runtime_control_snapshot_running_programs(NULL, &snap);
	result(r == 0 && snap.count == before, "confined-launch-nothing-runs",
	    "r=%d count %u, before %u", r, r == 0 ? snap.count : 0, before);
}

int
main(int argc, char **argv)
{
	const struct rustos_runtime_control_record *rec;
	struct rustos_runtime_control_request q;
	struct rustos_runtime_control_response resp;
	char longpath[200];
	uint64_t pid1 = 0, pid2 = 0, known[2];
	uint64_t session2 = 0;
	int r, tries;

	if (argc > 0 && strstr(argv[0], "rtdsleep") != NULL)
		return sleeper();
	if (argc > 1 && strcmp(argv[1], "--confined") == 0)
		return confined_client();

	/* runtimed may still be starting: wait for its socket. */
	for (tries = 0; tries < 150; tries++) {
		r = runtime_control_snapshot_running_programs(NULL, &snap);
		if (r == 0)
			break;
		sleep_ms(100);
	}
	if (r == 0 && snap.count == 0)
		result(1, "snapshot-empty", NULL);
	else
		result(0, "snapshot-empty", "r=%d count=%u", r,
		    r == 0 ? snap.count : 0);

	r = runtime_control_request_launch_program_new_session(NULL, SLEEP_ID);
	result(r == 0, "launch-desktop-id", "r=%d", r);
	rec = new_record(known, 0, &r);
	if (rec != NULL)
		pid1 = rec->pid;
	check_record("snapshot-desktop-launch", rec, pid1, SLEEP_ID);
	if (pid1 != 0)
		check_child("desktop", pid1);
	if (pid1 != 0) {
		char v[32] = "";

		r = sleeper_value(pid1, "nucleus", v, sizeof(v));
		result(r == 0 && strcmp(v, "0") == 0,
		    "unconfined-launch-system-view", "r=%d nucleus=%s", r, v);
	}

	r = runtime_control_request_launch_program_new_session(NULL,
	    SLEEP_PATH);
	result(r == 0, "launch-path", "r=%d", r);
	known[0] = pid1;
	rec = new_record(known, 1, &r);
	if (rec != NULL) {
		pid2 = rec->pid;
		session2 = rec->session_handle;
	}
	check_record("snapshot-path-launch", rec, pid2, "");
	result(snap.count == 2, "snapshot-both", "count %u", snap.count);
	check_rtctl(pid1);

	r = runtime_control_request_terminate_pid(NULL, pid1);
	result(r == 0 && pid1 != 0, "terminate-pid", "r=%d pid %llu", r,
	    (unsigned long long)pid1);
	r = runtime_control_snapshot_running_programs(NULL, &snap);
	result(r == 0 && find_pid(pid1) == NULL && find_pid(pid2) != NULL,
	    "snapshot-after-terminate", "r=%d count %u", r, snap.count);

	r = runtime_control_request_terminate_pid(NULL, pid1);
	result(r == -ESRCH, "terminate-gone-pid-esrch", "r=%d", r);
	r = runtime_control_request_terminate_pid(NULL, 999999);
	result(r == -ESRCH, "terminate-unknown-pid-esrch", "r=%d", r);
	/* Not launched by runtimed: our own pid is not its to end. */
	r = runtime_control_request_terminate_pid(NULL, (uint64_t)getpid());
	result(r == -ESRCH, "terminate-foreign-pid-esrch", "r=%d", r);
	r = runtime_control_request_terminate_session(NULL, 999999);
	result(r == -ESRCH, "terminate-unknown-session-esrch", "r=%d", r);

	/* Malformed frames: an error envelope, and runtimed stays up. */
	memset(&q, 0, sizeof(q));
	q.version = 9;
	q.op = RUNTIME_CONTROL_OP_SNAPSHOT;
	memset(&resp, 0xff, sizeof(resp));
	r = raw_exchange(&q, sizeof(q), &resp);
	result(r == 0 && resp.op == RUNTIME_CONTROL_OP_ERROR &&
	    resp.status == -EPROTO && resp.count == 0, "malformed-version",
	    "r=%d op %u status %d count %u", r, resp.op, resp.status,
	    resp.count);
	memset(&resp, 0xff, sizeof(resp));
	r = raw_exchange("\001\000\001", 3, &resp);
	result(r == 0 && resp.op == RUNTIME_CONTROL_OP_ERROR &&
	    resp.status < 0, "malformed-short-frame",
	    "r=%d op %u status %d", r, resp.op, resp.status);
	memset(&q, 0, sizeof(q));
	q.version = RUNTIME_CONTROL_VERSION;
	q.op = 77;
	memset(&resp, 0xff, sizeof(resp));
	r = raw_exchange(&q, sizeof(q), &resp);
	result(r == 0 && resp.op == RUNTIME_CONTROL_OP_ERROR &&
	    resp.status == -EPROTO, "malformed-op",
	    "r=%d op %u status %d", r, resp.op, resp.status);
	r = runtime_control_snapshot_running_programs(NULL, &snap);
	result(r == 0 && find_pid(pid2) != NULL, "good-after-malformed",
	    "r=%d count %u", r, r == 0 ? snap.count : 0);

	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	r = runtime_control_request_launch_program_new_session(NULL, longpath);
	result(r == -ENAMETOOLONG, "long-path-enametoolong", "r=%d", r);
	r = runtime_control_request_launch_program_new_session(NULL,
	    "no-such.desktop");
	result(r == -ENOENT, "launch-unknown-id-enoent", "r=%d", r);
	r = runtime_control_request_launch_program_new_session(NULL,
	    "/apps/no/such.elf");
	result(r == -ENOENT, "launch-missing-path-enoent", "r=%d", r);

	r = runtime_control_notify_ui_ready(NULL);
	result(r == 0, "notify-ui-ready", "r=%d", r);
	r = runtime_control_snapshot_running_programs(NULL, &snap);
	result(r == 0, "snapshot-after-ui-ready", "r=%d", r);
	if (r == 0) {
		uint64_t d = snap.digest;

		r = runtime_control_watch(NULL, d, 100, &snap);
		result(r == -EAGAIN, "watch-unchanged-eagain", "r=%d", r);
		r = runtime_control_watch(NULL, d ^ 1, 100, &snap);
		result(r == 0 && snap.digest == d, "watch-changed", "r=%d", r);
	}

	r = runtime_control_request_terminate_session(NULL, session2);
	result(r == 0 && session2 != 0, "terminate-session", "r=%d", r);
	r = runtime_control_snapshot_running_programs(NULL, &snap);
	result(r == 0 && snap.count == 0, "snapshot-empty-at-end",
	    "r=%d count %u", r, r == 0 ? snap.count : 0);

	check_confined();

	printf("RTD done passed=%d failed=%d skipped=%d\n", passed, failed,
	    skipped);
	fflush(stdout);
	return failed != 0;
}
