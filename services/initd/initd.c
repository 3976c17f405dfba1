/*
 * initd.c -- init: reads startup-programs.tsv, desktop-programs.tsv and
 * runtime-env.tsv (scope init) from the boot volume, prints the launch
 * order, launches each init-mode package through loaderd once the
 * endpoints of its dependencies exist, waits (bounded) for its
 * run-to-completion apps, prints "initd: idle" and reaps children --
 * also orphans: initd is a child subreaper, so a process whose parent
 * dies becomes initd's child (not rootd's).
 *
 * The console session: the first session-mode package whose desktop entry
 * is console hosted (terminal=1; the shell) is started after "initd: idle"
 * on the console, which every process has as fds 0-2; the program makes
 * itself the session leader owning the console (the shell's -l).  When it
 * ends, initd says so and starts a new one, unless it keeps ending within
 * a second (then it gives up after CONSOLE_FAILS tries).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rustos/ipc.h>
#include <rustos/loader.h>
#include <rustos/runtime_control.h>
#include <rustos/syscalls.h>

#include "services/common/svc.h"
#include "services/initd/order.h"

#define REG_DIR		"/system/registry/system/"
#define MAX_PKGS	64
#define MAX_ENV		64
#define REG_MAX		(256u * 1024u)
#define DEP_WAIT_MS	10000
#define APP_WAIT_MS	60000
#define CONSOLE_FAILS	3

struct prog {
	struct rustos_registry_startup_program	s;
	struct rustos_registry_desktop_program	d;	/* weight, args, env */
	int					have_desktop;
	char					depbuf[512];
	struct init_pkg				pkg;
	long					pid;
};

static struct prog progs[MAX_PKGS];
static size_t nprogs;
static struct prog console;	/* the console session program */
static int have_console;
static struct rustos_registry_env_entry env[MAX_ENV];
static size_t nenv;

static const struct { const char *id; uint32_t sid; } known[] = {
	{ "syscalld", IPC_SERVICE_SYSCALLD }, { "vfsd", IPC_SERVICE_VFSD },
	{ "netd", IPC_SERVICE_NETD }, { "devmgrd", IPC_SERVICE_DEVMGRD },
	{ "driverd", IPC_SERVICE_DRIVERD }, { "loaderd", IPC_SERVICE_LOADERD },
	{ "storaged", IPC_SERVICE_STORAGED }, { "inputd", IPC_SERVICE_INPUTD },
	{ "procd", IPC_SERVICE_PROCD }, { "sessiond", IPC_SERVICE_SESSIOND },
	{ "pagerd", IPC_SERVICE_PAGERD }, { "uiserver", IPC_SERVICE_UISERVER },
};

static uint32_t
service_id_of(const char *pkg)
{
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(known[i].id, pkg) == 0)
			return known[i].sid;
	return 0;
}

/* Bootstrap services run before initd: a dependency on them is met. */
static int
is_bootstrap(const char *pkg)
{
	return strcmp(pkg, "syscalld") == 0 || strcmp(pkg, "vfsd") == 0 ||
	    strcmp(pkg, "loaderd") == 0 || strcmp(pkg, "procd") == 0;
}

/* Call fn for each line of path; fn returns nonzero to stop. */
static void
each_line(const char *path, void (*fn)(const char *line, size_t len,
    unsigned lineno))
{
	size_t len = 0, i = 0, e;
	unsigned lineno = 0;
	char *buf;

	buf = svc_read_file(path, REG_MAX, &len);
	if (buf == NULL)
		return;
	while (i < len) {
		for (e = i; e < len && buf[e] != '\n'; e++)
			;
		lineno++;
		fn(buf + i, e - i, lineno);
		i = e + 1;
	}
	free(buf);
}

static void
startup_line(const char *line, size_t len, unsigned lineno)
{
	struct rustos_registry_error err;
	struct prog *p;
	int r;

	if (nprogs == MAX_PKGS)
		return;
	p = &progs[nprogs];
	memset(p, 0, sizeof(*p));
	memset(&err, 0, sizeof(err));
	r = runtime_control_parse_startup_program(line, len, &p->s, &err);
	if (r < 0) {
		svc_log(SVC_LOG_WARN, REG_DIR "startup-programs.tsv:%u:%u: %s",
		    lineno, err.column, err.rule != NULL ? err.rule : "malformed");
		return;
	}
	if (r == 0 && strcmp(p->s.mode, "session") == 0 && !have_console) {
		console = *p;
		have_console = 1;
		return;
	}
	if (r > 0 || strcmp(p->s.mode, "init") != 0)
		return;
	nprogs++;
}

static void
desktop_line(const char *line, size_t len, unsigned lineno)
{
	struct rustos_registry_desktop_program d;
	struct rustos_registry_error err;
	size_t i;

	memset(&err, 0, sizeof(err));
	if (runtime_control_parse_desktop_program(line, len, &d, &err) != 0)
		return;
	for (i = 0; i < nprogs; i++)
		if (!progs[i].have_desktop &&
		    strcmp(progs[i].s.desktop_id, d.desktop_id) == 0) {
			progs[i].d = d;
			progs[i].have_desktop = 1;
		}
	if (have_console && !console.have_desktop &&
	    strcmp(console.s.desktop_id, d.desktop_id) == 0) {
		console.d = d;
		console.have_desktop = 1;
	}
}

static void
env_line(const char *line, size_t len, unsigned lineno)
{
	struct rustos_registry_error err;

	memset(&err, 0, sizeof(err));
	if (nenv < MAX_ENV &&
	    runtime_control_parse_runtime_env(line, len, "init", &env[nenv],
	    &err) == 0)
		nenv++;
}

static void
skipped(const char *id, const char *why, const char *dep, void *arg)
{
	svc_log(SVC_LOG_WARN, "skipping %s: %s %s", id, why, dep);
	svc_marker("initd: skip %s: %s %s", id, why, dep);
}

/* Append s plus its NUL to a block; -E2BIG when it does not fit. */
static int
block_add(uint8_t *b, uint32_t *len, uint32_t *count, size_t cap,
    uint32_t max, const char *s)
{
	size_t l = strlen(s);

	if (*len + l + 1 > cap || *count >= max)
		return -E2BIG;
	memcpy(b + *len, s, l + 1);
	*len += (uint32_t)(l + 1);
	(*count)++;
	return 0;
}

static struct rustos_loader_spawn_request req;

static long
launch(struct prog *p, const char *path)
{
	struct rustos_loader_spawn_response resp;
	char kv[1200], split[2048];
	const char *items[64];
	long r, n, i;

	memset(&req, 0, sizeof(req));
	req.version = LOADER_IPC_ABI_VERSION;
	req.op = LOADER_IPC_OP_SPAWN;
	/* Manifest kind "service" (no_display=1): may hold service ids. */
	if (p->have_desktop && p->d.no_display)
		req.flags = LOADER_SPAWN_FLAG_SERVICE;
	req.weight_micros = p->have_desktop ? p->d.weight_micros : 0;
	if (strlen(path) >= LOADER_EXEC_PATH_MAX)
		return -ENAMETOOLONG;
	req.exec_path_len = (uint32_t)strlen(path);
	memcpy(req.exec_path, path, req.exec_path_len);
	n = p->have_desktop ? runtime_control_split(p->d.args, '|', split,
	    sizeof(split), items, 64) : 0;
	if (n <= 0) {
		/* No args in the manifest: argv = {exec path}. */
		if (block_add(req.argv, &req.argv_len, &req.argc,
		    LOADER_ARGV_BYTES, LOADER_ARGV_MAX, path) < 0)
			return -E2BIG;
	} else
		for (i = 0; i < n; i++)
			if (block_add(req.argv, &req.argv_len, &req.argc,
			    LOADER_ARGV_BYTES, LOADER_ARGV_MAX, items[i]) < 0)
				return -E2BIG;
	for (i = 0; i < (long)nenv; i++) {
		snprintf(kv, sizeof(kv), "%s=%s", env[i].key, env[i].value);
		if (block_add(req.envp, &req.envp_len, &req.envc,
		    LOADER_ENVP_BYTES, LOADER_ENVP_MAX, kv) < 0)
			return -E2BIG;
	}
	n = p->have_desktop ? runtime_control_split(p->d.env, '|', split,
	    sizeof(split), items, 64) : 0;
	for (i = 0; i < n; i++)
		if (block_add(req.envp, &req.envp_len, &req.envc,
		    LOADER_ENVP_BYTES, LOADER_ENVP_MAX, items[i]) < 0)
			return -E2BIG;
	memset(&resp, 0, sizeof(resp));
	r = rustos_ipc_call_service(IPC_SERVICE_LOADERD, &req, sizeof(req),
	    &resp, sizeof(resp));
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

static int
wait_endpoint(uint32_t sid)
{
	unsigned waited;

	for (waited = 0; waited < DEP_WAIT_MS; waited += 10) {
		if (rustos_sys_ipc_lookup_service_endpoint(sid) > 0)
			return 0;
		svc_sleep_ms(10);
	}
	return -ETIMEDOUT;
}

static void
abs_path(const char *exec, char *out, size_t cap)
{
	snprintf(out, cap, "%s%s", exec[0] == '/' ? "" : "/", exec);
}

static int
is_app(const struct prog *p)
{
	/* Services carry no_display=1; apps in init mode run to completion. */
	return p->have_desktop && !p->d.no_display;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t console_started;
static unsigned console_fails;

/* Start the console session program, if the image has one. */
static void
console_start(void)
{
	char path[LOADER_EXEC_PATH_MAX + 1];
	long pid;

	if (!have_console || !console.have_desktop || !console.d.terminal)
		return;
	abs_path(console.s.exec, path, sizeof(path));
	pid = launch(&console, path);
	if (pid < 0) {
		svc_marker("initd: console session %s failed: %ld", path, pid);
		console.pid = 0;
		return;
	}
	console.pid = pid;
	console_started = now_ms();
	svc_marker("initd: console session %s pid=%ld", path, pid);
}

static void
console_ended(int status)
{
	svc_marker("initd: console session ended status=%d",
	    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	console.pid = 0;
	if (now_ms() - console_started < 1000) {
		if (++console_fails >= CONSOLE_FAILS) {
			svc_marker("initd: console session keeps ending, "
			    "not restarted");
			return;
		}
	} else
		console_fails = 0;
	svc_sleep_ms(200);
	console_start();
}

int
main(void)
{
	size_t order[MAX_PKGS], norder, i, d, k, pending;
	char line[4096], path[LOADER_EXEC_PATH_MAX + 1];
	unsigned waited;
	int status;
	size_t n;
	long pid;
	int r;

	/* Orphans of everything initd starts are re-parented to initd. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
		svc_log(SVC_LOG_WARN, "PR_SET_CHILD_SUBREAPER: %s",
		    strerror(errno));
	each_line(REG_DIR "startup-programs.tsv", startup_line);
	each_line(REG_DIR "desktop-programs.tsv", desktop_line);
	each_line(REG_DIR "runtime-env.tsv", env_line);
	for (i = 0; i < nprogs; i++) {
		struct prog *p = &progs[i];

		p->pkg.id = p->s.package_id;
		r = runtime_control_split(p->s.deps, ',', p->depbuf,
		    sizeof(p->depbuf), p->pkg.deps, INITD_MAX_DEPS);
		p->pkg.ndeps = r > 0 ? (size_t)r : 0;
		if (r < 0)
			svc_log(SVC_LOG_WARN, "%s: too many deps", p->pkg.id);
	}
	{
		struct init_pkg pk[MAX_PKGS];

		for (i = 0; i < nprogs; i++)
			pk[i] = progs[i].pkg;
		norder = initd_order(pk, nprogs, is_bootstrap, order, skipped,
		    NULL);
	}
	n = (size_t)snprintf(line, sizeof(line), "initd: launch order=");
	for (i = 0; i < norder && n < sizeof(line); i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s",
		    i ? "," : "", progs[order[i]].s.exec);
	svc_marker("%s", line);
	for (i = 0; i < norder; i++) {
		struct prog *p = &progs[order[i]];

		for (d = 0; d < p->pkg.ndeps; d++) {
			uint32_t sid = service_id_of(p->pkg.deps[d]);

			if (sid != 0 && wait_endpoint(sid) < 0)
				svc_log(SVC_LOG_WARN, "%s: %s not ready",
				    p->pkg.id, p->pkg.deps[d]);
		}
		abs_path(p->s.exec, path, sizeof(path));
		pid = launch(p, path);
		if (pid < 0) {
			svc_marker("initd: launch %s failed: %ld", p->s.exec, pid);
			continue;
		}
		p->pid = pid;
		svc_log(SVC_LOG_INFO, "launched %s pid=%ld", path, pid);
	}
	/* Run-to-completion apps (tests, benchmarks) finish before idle. */
	for (waited = 0; waited < APP_WAIT_MS; waited += 50) {
		pending = 0;
		for (k = 0; k < norder; k++)
			if (progs[order[k]].pid > 0 && is_app(&progs[order[k]]))
				pending++;
		if (pending == 0)
			break;
		pid = waitpid(-1, &status, WNOHANG);
		if (pid < 0 && errno == ECHILD)
			break;
		if (pid > 0) {
			for (k = 0; k < nprogs; k++)
				if (progs[k].pid == pid)
					progs[k].pid = 0;
			continue;
		}
		svc_sleep_ms(50);
	}
	svc_marker("initd: idle");
	console_start();
	for (;;) {
		pid = waitpid(-1, &status, 0);
		if (pid > 0 && pid == console.pid)
			console_ended(status);
		else if (pid < 0 && errno != EINTR)
			svc_sleep_ms(1000);
	}
}
