/*
 * rootd.c -- the bootstrap initial task (pid 1).  Links no libc: only raw
 * syscalls and librustos-user-abi.  Spawns syscalld, vfsd, loaderd and
 * procd with SYS_RUSTOS_SPAWN_EXEC, waits (bounded) for their endpoints,
 * spawns initd, then supervises: reaps children and restarts a dead core
 * service through loaderd within a restart budget (docs/ai/bootstrap.md).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include <rustos/ipc.h>
#include <rustos/ipc_services.h>
#include <rustos/loader.h>
#include <rustos/syscalls.h>

#include "services/rootd/rootd.h"

#define LINUX_READ		0
#define LINUX_OPEN		2
#define LINUX_CLOSE		3
#define LINUX_NANOSLEEP		35
#define LINUX_WAIT4		61
#define LINUX_EXIT_GROUP	231
#define LINUX_SCHED_YIELD	24

#define RESTART_BUDGET		3
#define READY_WAIT_MS		20000	/* readiness bound for the core set */

struct core {
	const char	*id;
	const char	*path;
	uint32_t	service_id;
	long		pid;
	unsigned	restarts;
	int		given_up;
	int		test_crash;	/* pass --test-crash (restart tests) */
};

static struct core cores[] = {
	{ "syscalld", "/services/syscalld/syscalld.elf", IPC_SERVICE_SYSCALLD,
	    0, 0, 0, 0 },
	{ "vfsd", "/services/vfsd/vfsd.elf", IPC_SERVICE_VFSD, 0, 0, 0, 0 },
	{ "loaderd", "/services/loaderd/loaderd.elf", IPC_SERVICE_LOADERD,
	    0, 0, 0, 0 },
	{ "procd", "/services/procd/procd.elf", IPC_SERVICE_PROCD, 0, 0, 0, 0 },
};
#define NCORES	(sizeof(cores) / sizeof(cores[0]))

static const char initd_path[] = "/services/initd/initd.elf";
/* Present only in test images: the core services told to crash. */
static const char crash_list[] = "/system/registry/test/crash-services";

static long
sys1(long n, long a0)
{
	long r;

	__asm__ volatile ("syscall" : "=a"(r) : "a"(n), "D"(a0)
	    : "rcx", "r11", "memory");
	return r;
}

static long
sys4(long n, long a0, long a1, long a2, long a3)
{
	register long r10 __asm__("r10") = a3;
	long r;

	__asm__ volatile ("syscall" : "=a"(r) : "a"(n), "D"(a0), "S"(a1),
	    "d"(a2), "r"(r10) : "rcx", "r11", "memory");
	return r;
}

static void
sleep_ms(unsigned ms)
{
	long ts[2];

	ts[0] = ms / 1000;
	ts[1] = (long)(ms % 1000) * 1000000L;
	if (sys4(LINUX_NANOSLEEP, (long)ts, 0, 0, 0) < 0)
		sys1(LINUX_SCHED_YIELD, 0);
}

static void
put(const char *s)
{
	rustos_sys_debug_print(s, rootd_strlen(s));
}

/* One line from up to three pieces and a number (no printf here). */
static void
line(const char *a, const char *b, const char *c, long num, int with_num,
    const char *d)
{
	char buf[256], nb[24];
	size_t n = 0;

	n = rootd_append(buf, sizeof(buf), n, a);
	n = rootd_append(buf, sizeof(buf), n, b);
	n = rootd_append(buf, sizeof(buf), n, c);
	if (with_num) {
		rootd_fmt_long(nb, sizeof(nb), num);
		n = rootd_append(buf, sizeof(buf), n, nb);
	}
	n = rootd_append(buf, sizeof(buf), n, d);
	n = rootd_append(buf, sizeof(buf), n, "\n");
	rustos_sys_debug_print(buf, n);
}

static long
spawn(const char *path, int crash)
{
	char args[LOADER_EXEC_PATH_MAX + 16];
	size_t len = rootd_strlen(path), n;

	if (len >= LOADER_EXEC_PATH_MAX)
		return -ENAMETOOLONG;
	/* argv = {path} or {path, "--test-crash"}, each NUL-terminated. */
	n = rootd_append(args, sizeof(args), 0, path) + 1;
	if (crash)
		n += rootd_append(args + n, sizeof(args) - n, 0,
		    "--test-crash") + 1;
	return rustos_sys_spawn_exec(path, len, args, n);
}

/* Mark the core services named (one per line) in the test crash list. */
static void
load_crash_list(void)
{
	char buf[256];
	size_t i, j, l;
	long fd, n;

	/* rootd may use the bootstrap VFS path for its own start-up. */
	fd = sys4(LINUX_OPEN, (long)crash_list, 0, 0, 0);
	if (fd < 0)
		return;
	n = sys4(LINUX_READ, fd, (long)buf, sizeof(buf) - 1, 0);
	sys1(LINUX_CLOSE, fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (i = 0; i < NCORES; i++) {
		l = rootd_strlen(cores[i].id);
		for (j = 0; j + l <= (size_t)n; j++)
			if ((j == 0 || buf[j - 1] == '\n') &&
			    rootd_memcmp(buf + j, cores[i].id, l) == 0 &&
			    (buf[j + l] == '\n' || buf[j + l] == '\0')) {
				cores[i].test_crash = 1;
				line("rootd: test crash requested for ", cores[i].id,
				    "", 0, 0, "");
			}
	}
}

static int
all_ready(void)
{
	size_t i;

	for (i = 0; i < NCORES; i++)
		if (cores[i].pid > 0 &&
		    rustos_sys_ipc_lookup_service_endpoint(cores[i].service_id) <= 0)
			return 0;
	return 1;
}

static struct rustos_loader_spawn_request spawn_req;

static long
restart_via_loaderd(struct core *c)
{
	struct rustos_loader_spawn_response resp;
	long ep, r;

	ep = rustos_sys_ipc_lookup_service_endpoint(IPC_SERVICE_LOADERD);
	if (ep <= 0)
		return -EHOSTUNREACH;
	r = rootd_build_spawn(&spawn_req, c->path, c->test_crash);
	if (r < 0)
		return r;
	rootd_memset(&resp, 0, sizeof(resp));
	r = rustos_sys_ipc_call((uint64_t)ep, &spawn_req, sizeof(spawn_req),
	    &resp, sizeof(resp));
	if (r < 0)
		return r;
	if ((size_t)r < 8)
		return -EPROTO;
	if (resp.status < 0)
		return resp.status;
	if ((size_t)r < sizeof(resp) || resp.pid == 0)
		return -EPROTO;
	return (long)resp.pid;
}

static void
core_died(struct core *c, int status)
{
	long pid;

	line("rootd: ", c->id, " exited status=", status, 1, "");
	c->pid = 0;
	while (!c->given_up) {
		if (c->restarts >= RESTART_BUDGET) {
			line("rootd: giving up on ", c->id, " after ",
			    (long)c->restarts, 1, " restarts");
			c->given_up = 1;
			return;
		}
		c->restarts++;
		/* Exponential backoff: 100, 200, 400 ms. */
		sleep_ms(100u << (c->restarts - 1));
		line("rootd: restart ", c->id, " attempt=", (long)c->restarts,
		    1, "");
		pid = restart_via_loaderd(c);
		if (pid > 0) {
			c->pid = pid;
			return;
		}
		line("rootd: restart of ", c->id, " failed: ", pid, 1, "");
	}
}

static void
supervise(long initd_pid)
{
	size_t i;
	int status;
	long pid;

	for (;;) {
		status = 0;
		pid = sys4(LINUX_WAIT4, -1, (long)&status, 0, 0);
		if (pid == -EINTR)
			continue;
		if (pid <= 0) {
			/* No children (or no wait4 yet): idle gently. */
			sleep_ms(1000);
			continue;
		}
		if (pid == initd_pid) {
			line("rootd: initd exited status=", "", "", status, 1, "");
			continue;
		}
		for (i = 0; i < NCORES; i++)
			if (cores[i].pid == pid) {
				core_died(&cores[i], status);
				break;
			}
	}
}

void
rootd_main(void)
{
	unsigned waited;
	size_t i;
	long pid;

	load_crash_list();
	for (i = 0; i < NCORES; i++) {
		line("rootd: spawn ", cores[i].id, "", 0, 0, "");
		pid = spawn(cores[i].path, cores[i].test_crash);
		if (pid <= 0)
			line("rootd: spawn of ", cores[i].id, " failed: ", pid,
			    1, "");
		else
			cores[i].pid = pid;
	}
	put("rootd: core services spawned, waiting for readiness\n");
	for (waited = 0; !all_ready() && waited < READY_WAIT_MS; waited += 10) {
		sys1(LINUX_SCHED_YIELD, 0);
		sleep_ms(10);
	}
	if (!all_ready()) {
		for (i = 0; i < NCORES; i++)
			if (rustos_sys_ipc_lookup_service_endpoint(
			    cores[i].service_id) <= 0)
				line("rootd: ", cores[i].id,
				    " not ready after ", READY_WAIT_MS, 1, " ms");
	}
	put("rootd: core services ready, spawning initd\n");
	pid = spawn(initd_path, 0);
	if (pid <= 0)
		line("rootd: spawn of initd failed: ", "", "", pid, 1, "");
	else
		put("rootd: initd spawned\n");
	supervise(pid);
}

/* Entry: the kernel starts us with rsp at argc; keep the ABI alignment. */
__asm__(
	".text\n"
	".globl _start\n"
	".type _start,@function\n"
	"_start:\n"
	"	xor %ebp, %ebp\n"
	"	and $-16, %rsp\n"
	"	call rootd_main\n"
	"	mov $231, %eax\n"
	"	xor %edi, %edi\n"
	"	syscall\n"
	"	hlt\n");
