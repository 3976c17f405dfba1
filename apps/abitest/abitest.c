/*
 * abitest.c -- in-OS ABI tests, run as an unprivileged process (it holds
 * no service capability).  One line per case on the debug console and
 * stdout: "ABITEST ok <name>" or "ABITEST FAIL <name>: <why>", then
 * "ABITEST done passed=N failed=M".  tests/qemu/abitest.sh turns them into
 * TAP.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <rustos/bootstrap_services.h>
#include <rustos/devmgr.h>
#include <rustos/netd.h>
#include <rustos/ipc.h>
#include <rustos/offload.h>
#include <rustos/service.h>
#include <rustos/syscall_numbers.h>
#include <rustos/syscalls.h>
#include <rustos/vfs.h>

#include "apps/abitest/gated.h"	/* generated from abi/syscalls.def */

static unsigned passed, failed;

static void
report(int ok, const char *name, const char *fmt, ...)
{
	char why[160], line[320];
	va_list ap;

	if (ok) {
		passed++;
		snprintf(line, sizeof(line), "ABITEST ok %s\n", name);
	} else {
		failed++;
		va_start(ap, fmt);
		vsnprintf(why, sizeof(why), fmt, ap);
		va_end(ap);
		snprintf(line, sizeof(line), "ABITEST FAIL %s: %s\n", name, why);
	}
	rustos_debug_puts(line);
}

/* Raw syscall returning the kernel's value (negative errno), not errno. */
static long
raw6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b),
	    "d"(c), "r"(r10), "r"(r8), "r"(r9) : "rcx", "r11", "memory");
	return ret;
}

static unsigned char zero_buf[4096];

static void
test_brokers(void)
{
	char name[96];
	size_t i;
	long r;

	for (i = 0; i < gated_count; i++) {
		long a = (long)zero_buf;

		memset(zero_buf, 0, sizeof(zero_buf));
		r = raw6((long)gated[i].nr, a, 64, a, 64, a, 64);
		snprintf(name, sizeof(name), "broker-eacces-%s", gated[i].name);
		report(r == -EACCES, name, "got %ld, want %d", r, -EACCES);
	}
}

static void
test_spawn(void)
{
	static const char p[] = "/services/initd/initd.elf";
	long r;

	r = rustos_sys_spawn_exec(p, sizeof(p) - 1, p, sizeof(p));
	report(r < 0, "spawn-exec-refused", "got %ld", r);
	r = rustos_sys_spawn_exec(p, sizeof(p) - 1, p, sizeof(p));
	report(r == -EACCES, "spawn-exec-eacces", "got %ld", r);
}

static void
test_lookup(void)
{
	long r, ep;

	r = rustos_sys_ipc_lookup_service_endpoint(13);
	report(r == 0, "lookup-unassigned-id", "got %ld", r);
	r = rustos_sys_ipc_lookup_service_endpoint(IPC_SERVICE_PAGERD);
	report(r == 0, "lookup-unregistered-service", "got %ld", r);
	r = rustos_sys_ipc_lookup_service_endpoint(0);
	report(r <= 0, "lookup-id-zero", "got %ld", r);
	r = rustos_sys_ipc_lookup_service_endpoint(0xffffffffu);
	report(r <= 0, "lookup-id-huge", "got %ld", r);
	/* Register a capability-less id, revoke it, look it up again. */
	ep = rustos_sys_ipc_endpoint_create();
	report(ep > 0, "endpoint-create", "got %ld", ep);
	if (ep <= 0)
		return;
	r = rustos_sys_ipc_register_service_endpoint(IPC_SERVICE_SESSIOND,
	    (uint64_t)ep);
	report(r == 0, "register-sessiond", "got %ld", r);
	r = rustos_sys_ipc_lookup_service_endpoint(IPC_SERVICE_SESSIOND);
	report(r > 0, "lookup-registered", "got %ld", r);
	r = rustos_sys_ipc_register_service_endpoint(IPC_SERVICE_SESSIOND, 0);
	report(r == 0, "revoke-sessiond", "got %ld", r);
	r = rustos_sys_ipc_lookup_service_endpoint(IPC_SERVICE_SESSIOND);
	report(r == 0, "lookup-revoked-fails-closed", "got %ld", r);
	/* Ids with capability bits belong to /services/ images only. */
	r = rustos_sys_ipc_register_service_endpoint(IPC_SERVICE_VFSD,
	    (uint64_t)ep);
	report(r == -EEXIST || r == -EACCES, "register-taken-id", "got %ld", r);
	r = rustos_sys_ipc_register_service_endpoint(IPC_SERVICE_NETD,
	    (uint64_t)ep);
	report(r == -EACCES, "register-cap-id-refused-for-apps", "got %ld", r);
	if (r == 0)
		rustos_sys_ipc_register_service_endpoint(IPC_SERVICE_NETD, 0);
}

static const uint64_t bad_ptrs[] = {
	0, 0xffff800000000000ull, 0x1000,
};

static void
test_efault(void)
{
	struct rustos_service_request_header q = {
		RUSTOS_SERVICE_PROTOCOL_VERSION, RUSTOS_SERVICE_OP_PING, 8 };
	struct rustos_service_reply_header rep;
	char name[96];
	uint64_t rc = 0;
	long ep, own, r;
	size_t i;

	ep = rustos_ipc_lookup_service(IPC_SERVICE_PROCD, 1000);
	own = rustos_sys_ipc_endpoint_create();
	for (i = 0; i < sizeof(bad_ptrs) / sizeof(bad_ptrs[0]); i++) {
		long b = (long)bad_ptrs[i];

#define EF(label, expr) do { \
	r = (expr); \
	snprintf(name, sizeof(name), "efault-%s-%#lx", label, (unsigned long)b); \
	report(r == -EFAULT, name, "got %ld", r); \
} while (0)
		EF("debug-print", raw6(SYS_RUSTOS_DEBUG_PRINT, b, 16, 0, 0, 0, 0));
		EF("write", raw6(1, 1, b, 16, 0, 0, 0));
		if (ep > 0) {
			EF("ipc-call-req", raw6(SYS_RUSTOS_IPC_CALL, ep, b, 8,
			    (long)&rep, sizeof(rep), 0));
			EF("ipc-call-resp", raw6(SYS_RUSTOS_IPC_CALL, ep, (long)&q,
			    sizeof(q), b, sizeof(rep), 0));
		}
		if (own > 0) {
			EF("ipc-try-recv-buf", raw6(SYS_RUSTOS_IPC_TRY_RECV, own, b,
			    64, (long)&rc, 0, 0));
			EF("ipc-try-recv-cap", raw6(SYS_RUSTOS_IPC_TRY_RECV, own,
			    (long)zero_buf, 64, b, 0, 0));
			EF("ipc-recv-buf", raw6(SYS_RUSTOS_IPC_RECV, own, b, 64,
			    (long)&rc, 0, 0));
		}
		EF("ipc-call-with-handles", raw6(SYS_RUSTOS_IPC_CALL_WITH_HANDLES,
		    b, 0, 0, 0, 0, 0));
		EF("ipc-recv-with-handles", raw6(SYS_RUSTOS_IPC_RECV_WITH_HANDLES,
		    b, 0, 0, 0, 0, 0));
		EF("ipc-reply-with-handles", raw6(SYS_RUSTOS_IPC_REPLY_WITH_HANDLES,
		    b, 0, 0, 0, 0, 0));
		EF("stat-metadata-path", raw6(SYS_RUSTOS_STAT_METADATA, b, 4,
		    (long)zero_buf, 256, 0, 0));
		EF("stat-metadata-out", raw6(SYS_RUSTOS_STAT_METADATA,
		    (long)"/services", 9, b, 256, 0, 0));
		EF("access-metadata-path", raw6(SYS_RUSTOS_ACCESS_METADATA, b, 4,
		    0, 0, 0, 0));
		EF("getcwd-metadata-buf", raw6(SYS_RUSTOS_GETCWD_METADATA, b, 64,
		    0, 0, 0, 0));
		EF("readlink-metadata-path", raw6(SYS_RUSTOS_READLINK_METADATA, b,
		    4, (long)zero_buf, 64, 0, 0));
		EF("chdir-metadata-path", raw6(SYS_RUSTOS_CHDIR_METADATA, b, 4, 0,
		    0, 0, 0));
		if (ep > 0) {
			struct rustos_ipc_call_with_handles_args ca;
			uint16_t cnt = 0;

			memset(&ca, 0, sizeof(ca));
			ca.endpoint = (uint64_t)ep;
			ca.request_ptr = (uint64_t)b;
			ca.request_len = 8;
			ca.reply_ptr = (uint64_t)(uintptr_t)&rep;
			ca.reply_capacity = sizeof(rep);
			ca.recv_fd_count_ptr = (uint64_t)(uintptr_t)&cnt;
			EF("ipc-call-with-handles-req",
			    rustos_sys_ipc_call_with_handles(&ca));
			ca.request_ptr = (uint64_t)(uintptr_t)&q;
			ca.recv_fd_count_ptr = (uint64_t)b;
			EF("ipc-call-with-handles-count",
			    rustos_sys_ipc_call_with_handles(&ca));
		}
		if (own > 0) {
			struct rustos_ipc_recv_with_handles_args ra;
			uint16_t cnt = 0;

			memset(&ra, 0, sizeof(ra));
			ra.endpoint = (uint64_t)own;
			ra.request_ptr = (uint64_t)b;
			ra.request_capacity = 64;
			ra.reply_cap_ptr = (uint64_t)(uintptr_t)&rc;
			ra.recv_fd_count_ptr = (uint64_t)(uintptr_t)&cnt;
			EF("ipc-recv-with-handles-buf",
			    rustos_sys_ipc_recv_with_handles(&ra));
		}
#undef EF
	}
	r = raw6(0x5255ffff, 0, 0, 0, 0, 0, 0);
	report(r == -ENOSYS, "unknown-rustos-syscall-enosys", "got %ld", r);
	r = raw6(100000, 0, 0, 0, 0, 0, 0);
	report(r == -ENOSYS, "unknown-linux-syscall-enosys", "got %ld", r);
}

static long
call_raw(long ep, const void *req, size_t len, void *resp, size_t cap)
{
	memset(resp, 0, cap);
	return rustos_sys_ipc_call((uint64_t)ep, req, len, resp, cap);
}

static void
test_malformed(void)
{
	static const struct { const char *name; uint32_t sid; } svcs[] = {
		{ "syscalld", IPC_SERVICE_SYSCALLD }, { "vfsd", IPC_SERVICE_VFSD },
		{ "devmgrd", IPC_SERVICE_DEVMGRD }, { "loaderd", IPC_SERVICE_LOADERD },
		{ "storaged", IPC_SERVICE_STORAGED }, { "procd", IPC_SERVICE_PROCD },
		{ "netd", IPC_SERVICE_NETD },
	};
	unsigned char resp[64];
	struct rustos_service_request_header q;
	struct rustos_service_reply_header *h = (void *)resp;
	char name[96];
	size_t i;
	long ep, r;

	for (i = 0; i < sizeof(svcs) / sizeof(svcs[0]); i++) {
		ep = rustos_ipc_lookup_service(svcs[i].sid, 2000);
		snprintf(name, sizeof(name), "service-registered-%s", svcs[i].name);
		report(ep > 0, name, "lookup got %ld", ep);
		if (ep <= 0)
			continue;
		q.version = 99;
		q.op = RUSTOS_SERVICE_OP_PING;
		q.length = 8;
		r = call_raw(ep, &q, sizeof(q), resp, sizeof(resp));
		snprintf(name, sizeof(name), "malformed-version-%s", svcs[i].name);
		report(r >= 8 && h->status == -EPROTO, name, "rc=%ld status=%d",
		    r, h->status);
		q.version = RUSTOS_SERVICE_PROTOCOL_VERSION;
		r = call_raw(ep, &q, 6, resp, sizeof(resp));
		snprintf(name, sizeof(name), "malformed-short-%s", svcs[i].name);
		report(r >= 8 && h->status == -EINVAL, name, "rc=%ld status=%d",
		    r, h->status);
		q.length = 12;	/* lies about the length */
		r = call_raw(ep, &q, sizeof(q), resp, sizeof(resp));
		snprintf(name, sizeof(name), "malformed-length-%s", svcs[i].name);
		report(r >= 8 && h->status == -EINVAL, name, "rc=%ld status=%d",
		    r, h->status);
		q.length = 8;
		q.op = 999;
		r = call_raw(ep, &q, sizeof(q), resp, sizeof(resp));
		snprintf(name, sizeof(name), "malformed-op-%s", svcs[i].name);
		report(r >= 8 && h->status == -EOPNOTSUPP, name,
		    "rc=%ld status=%d", r, h->status);
		q.op = RUSTOS_SERVICE_OP_PING;
		r = call_raw(ep, &q, sizeof(q), resp, sizeof(resp));
		snprintf(name, sizeof(name), "ping-after-malformed-%s",
		    svcs[i].name);
		report(r >= 16 && h->status == 0 && h->length == (uint32_t)r,
		    name, "rc=%ld status=%d", r, h->status);
	}
}

/*
 * A vfsd-backed fd sent to vfsd itself: vfsd refuses the message (its
 * ping takes no handles) and closes the received copy without calling
 * itself, so it answers the next request at once and still serves files.
 */
static void
test_vfsd_fd_to_vfsd(void)
{
	struct rustos_service_request_header q = {
		RUSTOS_SERVICE_PROTOCOL_VERSION, RUSTOS_SERVICE_OP_PING, 8 };
	struct rustos_service_reply_header rep;
	int32_t fds[1], rfds[4];
	uint16_t rcount = 0;
	long ep, r;
	int fd, g;

	ep = rustos_ipc_lookup_service(IPC_SERVICE_VFSD, 1000);
	fd = open("/tmp/abitest-sent", O_RDWR | O_CREAT, 0644);
	if (ep <= 0 || fd < 0) {
		report(0, "handles-vfsd-fd-to-vfsd", "ep %ld fd %d", ep, fd);
		return;
	}
	fds[0] = fd;
	r = rustos_ipc_call_with_handles((uint64_t)ep, &q, sizeof(q), &rep,
	    sizeof(rep), fds, 1, 7, rfds, 4, &rcount);
	memset(&rep, 0, sizeof(rep));
	q.length = 8;
	r = call_raw(ep, &q, sizeof(q), &rep, sizeof(rep));
	g = open("/tmp/abitest-sent", O_RDONLY);
	report(r >= 16 && rep.status == 0 && g >= 0, "handles-vfsd-fd-to-vfsd",
	    "ping rc=%ld status=%d, reopen %d", r, rep.status, g);
	if (g >= 0)
		close(g);
	close(fd);
	unlink("/tmp/abitest-sent");
}

/*
 * A vfsd fd that comes back through procd's echo holds a vfsd reference
 * of its own: it still reads after the fd that was sent is closed (a copy
 * without a reference got -EBADF once the sender's last reference went).
 */
static void
test_vfsd_fd_echo(long ep)
{
	struct rustos_service_request_header q = {
		RUSTOS_SERVICE_PROTOCOL_VERSION, PROCD_OP_ECHO_HANDLES, 8 };
	struct rustos_service_reply_header rep;
	int32_t fds[1], rfds[4];
	uint16_t rcount = 0;
	char buf[8];
	long r, n;
	int fd;

	fd = open("/tmp/abitest-echo", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "shared", 6) != 6) {
		report(0, "handles-vfsd-fd-own-reference", "open/write: %d",
		    errno);
		return;
	}
	fds[0] = fd;
	rfds[0] = -1;
	memset(&rep, 0, sizeof(rep));
	r = rustos_ipc_call_with_handles((uint64_t)ep, &q, sizeof(q), &rep,
	    sizeof(rep), fds, 1, 11, rfds, 4, &rcount);
	close(fd);
	n = rcount == 1 && rfds[0] >= 0 ? pread(rfds[0], buf, 6, 0) : -1;
	report(r >= 16 && rep.status == 0 && n == 6 &&
	    memcmp(buf, "shared", 6) == 0, "handles-vfsd-fd-own-reference",
	    "rc=%ld status=%d count=%u pread=%ld errno=%d", r, rep.status,
	    rcount, n, errno);
	if (rcount == 1 && rfds[0] >= 0)
		close(rfds[0]);
	unlink("/tmp/abitest-echo");
}

static void
test_handles(void)
{
	struct rustos_service_request_header q = {
		RUSTOS_SERVICE_PROTOCOL_VERSION, RUSTOS_SERVICE_OP_PING, 8 };
	struct rustos_service_reply_header rep;
	int32_t fds[1] = { 1 }, bad[1] = { 999 }, rfds[4];
	struct rustos_ipc_call_with_handles_args a;
	uint16_t rcount = 0;
	long ep, r;

	ep = rustos_ipc_lookup_service(IPC_SERVICE_PROCD, 1000);
	if (ep <= 0) {
		report(0, "handles-procd", "no procd endpoint");
		return;
	}
	r = rustos_ipc_call_with_handles((uint64_t)ep, &q, sizeof(q), &rep,
	    sizeof(rep), fds, 1, 0, rfds, 4, &rcount);
	report(r == -EINVAL, "handles-zero-ticket-refused", "got %ld", r);
	r = rustos_ipc_call_with_handles((uint64_t)ep, &q, sizeof(q), &rep,
	    sizeof(rep), bad, 1, 7, rfds, 4, &rcount);
	report(r == -EBADF, "handles-bad-fd-refused", "got %ld", r);
	memset(&a, 0, sizeof(a));
	a.endpoint = (uint64_t)ep;
	a.request_ptr = (uint64_t)(uintptr_t)&q;
	a.request_len = sizeof(q);
	a.reply_ptr = (uint64_t)(uintptr_t)&rep;
	a.reply_capacity = sizeof(rep);
	a.recv_fd_count_ptr = 0;
	r = rustos_sys_ipc_call_with_handles(&a);
	report(r == -EINVAL || r == -EFAULT, "handles-count-ptr-mandatory",
	    "got %ld", r);
	a.recv_fd_count_ptr = (uint64_t)(uintptr_t)&rcount;
	a.reserved0 = 1;
	r = rustos_sys_ipc_call_with_handles(&a);
	report(r == -EINVAL, "handles-reserved-nonzero", "got %ld", r);
	a.reserved0 = 0;
	a.send_fd_count = IPC_MAX_TRANSFER_HANDLES + 1;
	a.send_fds_ptr = (uint64_t)(uintptr_t)rfds;
	a.transfer_ticket = 7;
	r = rustos_sys_ipc_call_with_handles(&a);
	report(r == -EINVAL, "handles-too-many", "got %ld", r);
	/*
	 * A real transfer to a byte-only service: its IPC_RECV must fail
	 * (-ENOBUFS) without losing the handle; the service then takes the
	 * message with IPC_RECV_WITH_HANDLES and refuses it (-EINVAL).
	 */
	memset(&rep, 0, sizeof(rep));
	r = rustos_ipc_call_with_handles((uint64_t)ep, &q, sizeof(q), &rep,
	    sizeof(rep), fds, 1, 7, rfds, 4, &rcount);
	report(r >= 8 && rep.status == -EINVAL, "handles-to-byte-only-service",
	    "rc=%ld status=%d", r, rep.status);
	memset(&rep, 0, sizeof(rep));
	r = rustos_sys_ipc_call((uint64_t)ep, &q, sizeof(q), &rep, sizeof(rep));
	report(r >= 16 && rep.status == 0, "ping-after-handles",
	    "rc=%ld status=%d", r, rep.status);
	/* procd echoes the console fd back: the received fd must work. */
	q.op = PROCD_OP_ECHO_HANDLES;
	memset(&rep, 0, sizeof(rep));
	rcount = 0;
	rfds[0] = -1;
	r = rustos_ipc_call_with_handles((uint64_t)ep, &q, sizeof(q), &rep,
	    sizeof(rep), fds, 1, 9, rfds, 4, &rcount);
	report(r >= 16 && rep.status == 0 && rcount == 1 && rfds[0] >= 0,
	    "handles-echo-delivers-fd", "rc=%ld status=%d count=%u fd=%d", r,
	    rep.status, rcount, rfds[0]);
	if (rcount == 1 && rfds[0] >= 0) {
		static const char m[] = "abitest: write through a transferred fd\n";

		r = write(rfds[0], m, sizeof(m) - 1);
		report(r == (long)sizeof(m) - 1, "handles-received-fd-usable",
		    "write got %ld errno %d", r, errno);
		close(rfds[0]);
	}
	q.op = RUSTOS_SERVICE_OP_PING;
	test_vfsd_fd_echo(ep);
}

/* File syscalls of a generic process go kernel -> vfsd (bootfs). */
static void
test_files(void)
{
	static char buf[4096];
	char cwd[64];
	struct dirent *de;
	struct stat st;
	int fd, r, seen = 0;
	ssize_t n;
	DIR *d;

	fd = open("/system/registry/system/startup-programs.tsv", O_RDONLY);
	report(fd >= 0, "vfs-open", "errno %d", errno);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		report(n > 0 && strstr(buf, "package_id=abitest") != NULL,
		    "vfs-read", "read %zd bytes", n);
		report(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_size >= n, "vfs-fstat", "errno %d", errno);
		report(close(fd) == 0, "vfs-close", "errno %d", errno);
	}
	fd = open("/system/registry/system/startup-programs.tsv", O_WRONLY);
	report(fd < 0 && errno == EROFS, "vfs-write-refused", "fd %d errno %d",
	    fd, errno);
	fd = open("/no/such/file", O_RDONLY);
	report(fd < 0 && errno == ENOENT, "vfs-enoent", "fd %d errno %d", fd,
	    errno);
	d = opendir("/services");
	report(d != NULL, "vfs-opendir", "errno %d", errno);
	if (d != NULL) {
		while ((de = readdir(d)) != NULL)
			if (strcmp(de->d_name, "vfsd") == 0 && de->d_type == DT_DIR)
				seen = 1;
		closedir(d);
		report(seen, "vfs-getdents", "no vfsd directory in /services");
	}
	/*
	 * An app is not a service: its cwd lives in vfsd.  The kernel's
	 * bootstrap VFS path (policy services only) has no cwd and always
	 * answers "/", so a remembered "/services" proves the app path.
	 */
	cwd[0] = '\0';
	r = chdir("/services");
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		cwd[0] = '\0';
	report(r == 0 && strcmp(cwd, "/services") == 0,
	    "app-no-bootstrap-vfs-path", "chdir %d cwd '%s' errno %d", r, cwd,
	    errno);
	(void)chdir("/");
}

/* An offload request naming another pid, sent straight to syscalld. */
static void
test_syscalld_spoof(void)
{
	static struct rustos_linux_syscall_offload_request q;
	static struct rustos_linux_syscall_offload_response r;
	long ep, n;

	ep = rustos_ipc_lookup_service(IPC_SERVICE_SYSCALLD, 1000);
	if (ep <= 0) {
		report(0, "syscalld-spoofed-pid-refused", "no syscalld endpoint");
		return;
	}
	memset(&q, 0, sizeof(q));
	q.version = SYSCALL_OFFLOAD_ABI_VERSION;
	q.op = 102;	/* getuid */
	q.pid = 1;
	n = rustos_sys_ipc_call((uint64_t)ep, &q, sizeof(q), &r, sizeof(r));
	report(n >= 8 && r.status == -EPERM, "syscalld-spoofed-pid-refused",
	    "rc=%ld status=%d", n, r.status);
}

/*
 * VFS_IPC_OP_CREDS is syscalld's alone (LINUX_SYSCALL_POLICY): an app
 * that pushes credentials, even well-formed ones for itself, gets
 * -EACCES; malformed ones (short, bad version, another pid) get an error
 * reply; vfsd keeps serving (vfsd-open-root-after-hostile follows).
 */
static void
test_vfsd_creds(long ep, struct rustos_vfs_ipc_request *q,
    struct rustos_vfs_ipc_response *r)
{
	struct rustos_vfs_creds c;
	long n;

	memset(q, 0, sizeof(*q));
	memset(&c, 0, sizeof(c));
	c.ruid = c.euid = c.suid = c.fsuid = 0;
	q->version = VFS_IPC_ABI_VERSION;
	q->op = VFS_IPC_OP_CREDS;
	q->pid = (uint64_t)getpid();
	q->arg0 = (uint64_t)getpid();
	q->payload_len = sizeof(c);
	memcpy(q->payload, &c, sizeof(c));
	n = rustos_sys_ipc_call((uint64_t)ep, q, sizeof(*q), r, sizeof(*r));
	report(n >= 8 && r->status == -EACCES, "vfsd-creds-app-refused",
	    "rc=%ld status=%d", n, r->status);
	q->arg0 = 1;
	n = rustos_sys_ipc_call((uint64_t)ep, q, sizeof(*q), r, sizeof(*r));
	report(n >= 8 && r->status == -EACCES, "vfsd-creds-other-pid-refused",
	    "rc=%ld status=%d", n, r->status);
	q->payload_len = 3;
	n = rustos_sys_ipc_call((uint64_t)ep, q, sizeof(*q), r, sizeof(*r));
	report(n >= 8 && r->status == -EACCES, "vfsd-creds-malformed-refused",
	    "rc=%ld status=%d", n, r->status);
	n = rustos_sys_ipc_call((uint64_t)ep, q, 40, r, sizeof(*r));
	report(n >= 8 && r->status == -EINVAL, "vfsd-creds-short",
	    "rc=%ld status=%d", n, r->status);
	q->version = VFS_IPC_ABI_VERSION + 7;
	n = rustos_sys_ipc_call((uint64_t)ep, q, sizeof(*q), r, sizeof(*r));
	report(n >= 8 && r->status == -EPROTO, "vfsd-creds-bad-version",
	    "rc=%ld status=%d", n, r->status);
	q->version = VFS_IPC_ABI_VERSION;
	q->pid = 1;
	n = rustos_sys_ipc_call((uint64_t)ep, q, sizeof(*q), r, sizeof(*r));
	report(n >= 8 && r->status == -EPERM, "vfsd-creds-spoofed-sender",
	    "rc=%ld status=%d", n, r->status);
}

/*
 * VFS_IPC_OP_CONFINED is for launchers (IPC_SENDER_FLAG_SYSTEM): an app
 * asking whether a pid (its own) is confined gets -EACCES.
 */
static void
test_vfsd_confined_query(long ep, struct rustos_vfs_ipc_request *q,
    struct rustos_vfs_ipc_response *r)
{
	long n;

	memset(q, 0, sizeof(*q));
	q->version = VFS_IPC_ABI_VERSION;
	q->op = VFS_IPC_OP_CONFINED;
	q->pid = (uint64_t)getpid();
	q->tid = q->pid;
	q->arg0 = (uint64_t)getpid();
	n = rustos_sys_ipc_call((uint64_t)ep, q, sizeof(*q), r, sizeof(*r));
	report(n >= 8 && r->status == -EACCES, "vfsd-confined-query-app-refused",
	    "rc=%ld status=%d", n, r->status);
}

/* Hostile requests straight to vfsd: it refuses them and keeps serving. */
static void
test_vfsd_hostile(void)
{
	static struct rustos_vfs_ipc_request q;
	static struct rustos_vfs_ipc_response r;
	long ep, n;

	ep = rustos_ipc_lookup_service(IPC_SERVICE_VFSD, 1000);
	if (ep <= 0) {
		report(0, "vfsd-hostile", "no vfsd endpoint");
		return;
	}
	memset(&q, 0, sizeof(q));
	q.version = VFS_IPC_ABI_VERSION;
	q.op = VFS_IPC_OP_READ;
	q.pid = (uint64_t)getpid();
	q.remote_id = 1;	/* not ours (or not open) */
	q.arg1 = 16;
	n = rustos_sys_ipc_call((uint64_t)ep, &q, sizeof(q), &r, sizeof(r));
	report(n >= 8 && r.status == -EBADF, "vfsd-foreign-remote-id",
	    "rc=%ld status=%d", n, r.status);
	/*
	 * A request that names another pid (rootd, pid 1) and was not
	 * forwarded by the kernel: vfsd asks IPC_SENDER_INFO and refuses.
	 */
	q.pid = 1;
	q.op = VFS_IPC_OP_OPENAT;
	q.path_len = 1;
	q.path[0] = '/';
	n = rustos_sys_ipc_call((uint64_t)ep, &q, sizeof(q), &r, sizeof(r));
	report(n >= 8 && r.status == -EPERM, "vfsd-spoofed-pid-refused",
	    "rc=%ld status=%d", n, r.status);
	q.pid = (uint64_t)getpid();
	q.path_len = 0;
	q.path[0] = 0;
	test_syscalld_spoof();
	q.op = VFS_IPC_OP_OPENAT;
	q.path_len = VFS_IPC_PATH_MAX + 1;
	n = rustos_sys_ipc_call((uint64_t)ep, &q, sizeof(q), &r, sizeof(r));
	report(n >= 8 && r.status == -EINVAL, "vfsd-path-len-too-big",
	    "rc=%ld status=%d", n, r.status);
	n = rustos_sys_ipc_call((uint64_t)ep, &q, sizeof(q) - 1, &r, sizeof(r));
	report(n >= 8 && r.status == -EINVAL, "vfsd-short-request",
	    "rc=%ld status=%d", n, r.status);
	test_vfsd_creds(ep, &q, &r);
	test_vfsd_confined_query(ep, &q, &r);
	q.op = VFS_IPC_OP_OPENAT;
	q.pid = (uint64_t)getpid();
	q.payload_len = 0;
	q.arg0 = 0;
	q.path_len = 1;
	q.path[0] = '/';
	q.flags = O_RDONLY | O_DIRECTORY;
	n = rustos_sys_ipc_call((uint64_t)ep, &q, sizeof(q), &r, sizeof(r));
	report(n >= 8 && r.status == 0 && r.handle_kind == VFS_HANDLE_KIND_DIR,
	    "vfsd-open-root-after-hostile", "rc=%ld status=%d", n, r.status);
}

/* Memory syscalls of a generic process go kernel -> syscalld -> MM broker. */
static void
test_memory(void)
{
	unsigned char *p, *q;
	long cur, nb;

	cur = raw6(12, 0, 0, 0, 0, 0, 0);
	report(cur > 0, "mm-brk-query", "got %ld", cur);
	nb = raw6(12, cur + 8192, 0, 0, 0, 0, 0);
	report(nb == cur + 8192, "mm-brk-grow", "got %ld want %ld", nb,
	    cur + 8192);
	if (nb == cur + 8192) {
		memset((void *)cur, 0x5a, 8192);
		report(((unsigned char *)cur)[8191] == 0x5a, "mm-brk-usable", "");
	}
	p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	report(p != MAP_FAILED, "mm-mmap-anon", "errno %d", errno);
	if (p != MAP_FAILED) {
		p[0] = 1;
		p[(1 << 20) - 1] = 2;
		report(p[0] == 1 && p[(1 << 20) - 1] == 2, "mm-mmap-usable", "");
		report(munmap(p, 1 << 20) == 0, "mm-munmap", "errno %d", errno);
	}
	q = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	report(q == MAP_FAILED && errno == EACCES, "mm-wx-refused",
	    "got %p errno %d", (void *)q, errno);
	q = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED |
	    MAP_ANONYMOUS, -1, 0);
	report(q != MAP_FAILED, "mm-shared-anon", "errno %d", errno);
	if (q != MAP_FAILED) {
		q[100] = 7;
		report(q[100] == 7 && q[0] == 0, "mm-shared-usable", "");
		munmap(q, 4096);
	}
	q = mmap(NULL, 4096, PROT_READ, MAP_SHARED, 0, 0);
	report(q == MAP_FAILED && errno == ENODEV, "mm-shared-console-refused",
	    "got %p errno %d", (void *)q, errno);
	p = malloc(200000);
	report(p != NULL, "mm-malloc", "NULL");
	free(p);
}

/*
 * Hostile requests straight to devmgrd: another pid's request is refused
 * (-EPERM); an OPEN for ourselves that did not come through open(2) finds
 * no forwarded open to act on, so the broker refuses it and no fd appears;
 * an unknown device is -ENOENT; devmgrd keeps serving (LOOKUP after).
 */
static void
test_devmgrd_hostile(void)
{
	static struct rustos_devmgrd_ipc_request q;
	static struct rustos_devmgrd_ipc_response r;
	long ep, n;
	int probe;

	ep = rustos_ipc_lookup_service(IPC_SERVICE_DEVMGRD, 1000);
	if (ep <= 0) {
		report(0, "devmgrd-hostile", "no devmgrd endpoint");
		return;
	}
	memset(&q, 0, sizeof(q));
	q.version = DEVMGRD_IPC_ABI_VERSION;
	q.op = DEVMGRD_IPC_OP_OPEN;
	q.flags = O_RDWR;
	q.pid = 1;
	q.path_len = 4;
	memcpy(q.path, "null", 4);
	n = rustos_sys_ipc_call((uint64_t)ep, &q, sizeof(q), &r, sizeof(r));
	report(n >= 8 && r.status == -EPERM, "devmgrd-spoofed-pid-refused",
	    "rc=%ld status=%d", n, r.status);
	probe = dup(0);
	if (probe >= 0)
		close(probe);
	q.pid = (uint64_t)getpid();
	n = rustos_sys_ipc_call((uint64_t)ep, &q, sizeof(q), &r, sizeof(r));
	report(n >= 8 && r.status == -EINVAL && (probe < 0 ||
	    fcntl(probe, F_GETFD) < 0), "devmgrd-open-without-open-refused",
	    "rc=%ld status=%d", n, r.status);
	q.op = DEVMGRD_IPC_OP_LOOKUP;
	q.path_len = 9;
	memcpy(q.path, "no-device", 9);
	n = rustos_sys_ipc_call((uint64_t)ep, &q, sizeof(q), &r, sizeof(r));
	report(n >= 8 && r.status == -ENOENT, "devmgrd-unknown-device-enoent",
	    "rc=%ld status=%d", n, r.status);
	q.path_len = 7;
	memcpy(q.path, "console", 7);
	n = rustos_sys_ipc_call((uint64_t)ep, &q, sizeof(q), &r, sizeof(r));
	report(n == (long)sizeof(r) && r.status == 0 && r.major == 5 &&
	    r.minor == 1 && r.node_kind == DEVMGRD_NODE_CHAR,
	    "devmgrd-lookup-console", "rc=%ld status=%d %u:%u", n, r.status,
	    r.major, r.minor);
}

/*
 * Hostile requests straight to netd: it serves only calls the kernel
 * forwarded, so a SOCKCALL naming ourselves or another pid is -EPERM and
 * no socket appears; a short one is -EINVAL; netd keeps serving (PING)
 * and a real socketpair (kernel -> netd -> NET_BROKER) still works.
 */
static void
test_netd_hostile(void)
{
	static struct rustos_netd_ipc_request q;
	static struct rustos_netd_ipc_response r;
	struct rustos_service_request_header ph;
	unsigned char resp[64];
	struct rustos_service_reply_header *h = (void *)resp;
	int sv[2], probe;
	long ep, n;

	ep = rustos_ipc_lookup_service(IPC_SERVICE_NETD, 2000);
	if (ep <= 0) {
		report(0, "netd-hostile", "no netd endpoint");
		return;
	}
	memset(&q, 0, sizeof(q));
	q.version = NETD_IPC_ABI_VERSION;
	q.op = NETD_IPC_OP_SOCKCALL;
	q.nr = 53;			/* socketpair */
	q.pid = 1;
	q.args[0] = 1;			/* AF_UNIX */
	q.args[1] = 1;			/* SOCK_STREAM */
	n = rustos_sys_ipc_call((uint64_t)ep, &q, sizeof(q), &r, sizeof(r));
	report(n >= 8 && r.status == -EPERM, "netd-spoofed-pid-refused",
	    "rc=%ld status=%d", n, r.status);
	probe = dup(0);
	if (probe >= 0)
		close(probe);
	q.pid = (uint64_t)getpid();
	n = rustos_sys_ipc_call((uint64_t)ep, &q, sizeof(q), &r, sizeof(r));
	report(n >= 8 && r.status == -EPERM && (probe < 0 ||
	    fcntl(probe, F_GETFD) < 0), "netd-own-pid-not-forwarded-refused",
	    "rc=%ld status=%d", n, r.status);
	n = rustos_sys_ipc_call((uint64_t)ep, &q, 100, &r, sizeof(r));
	report(n >= 8 && r.status == -EINVAL, "netd-short-sockcall-einval",
	    "rc=%ld status=%d", n, r.status);
	ph.version = RUSTOS_SERVICE_PROTOCOL_VERSION;
	ph.op = RUSTOS_SERVICE_OP_PING;
	ph.length = 8;
	n = call_raw(ep, &ph, sizeof(ph), resp, sizeof(resp));
	report(n >= 16 && h->status == 0, "netd-ping-after-hostile",
	    "rc=%ld status=%d", n, h->status);
	n = socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	report(n == 0 && write(sv[0], "x", 1) == 1, "netd-socketpair-after-hostile",
	    "socketpair: %s", n == 0 ? "write failed" : strerror(errno));
	if (n == 0) {
		close(sv[0]);
		close(sv[1]);
	}
}

int
main(void)
{
	char line[96];

	rustos_debug_puts("ABITEST start\n");
	test_brokers();
	test_spawn();
	test_lookup();
	test_efault();
	test_malformed();
	test_handles();
	test_vfsd_fd_to_vfsd();
	test_files();
	test_vfsd_hostile();
	test_devmgrd_hostile();
	test_netd_hostile();
	test_memory();
	snprintf(line, sizeof(line), "ABITEST done passed=%u failed=%u\n",
	    passed, failed);
	rustos_debug_puts(line);
	return failed != 0;
}
