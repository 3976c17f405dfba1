/*
 * syscall.c -- the system call layer: the dispatcher behind the syscall
 * entry (Linux x86_64 convention: rax number; rdi rsi rdx r10 r8 r9;
 * result or negative errno in rax), the gate check of the generated
 * private table (abi/syscalls.def: ANY, ROOTD, CAP bits), the kernel-direct
 * Linux calls of docs/ai/bootstrap.md (musl start-up, console, brk/mmap,
 * the bootstrap VFS path on bootfs, wait4), DEBUG_PRINT, SPAWN_EXEC, the
 * process-build, MM, storage-list and bootfs brokers, the user-fault and
 * return-to-user hooks, and the user-space "boot done" of the exit flag.
 *
 * Unknown or unimplemented calls answer -ENOSYS and are logged once per
 * number.  Every user pointer goes through hal_copy_{from,to}_user, so a
 * bad pointer is -EFAULT, never a kernel fault.
 */
#include <executive/api.h>
#include <executive/internal.h>
#include <hal/api.h>
#include <io-manager/api.h>
#include <ipc-runtime/api.h>
#include <mm/api.h>
#include <nucleus-core/api.h>
#include <ps/api.h>

#include <generated/syscall_table.h>
#include <rustos/bootfs.h>
#include <rustos/ipc_services.h>
#include <rustos/mm_broker.h>
#include <rustos/offload.h>
#include <rustos/vfs.h>

#define EBADF		9
#define ECHILD		10
#define EACCES		13
#define EFAULT		14
#define ESPIPE		29
#define ENAMETOOLONG	36
#define EOPNOTSUPP	95

#define DEBUG_PRINT_MAX	4096
#define PATH_MAX_K	VFS_PATH_MAX	/* Linux PATH_MAX, NUL included */
#define PATH_SHORT_K	1024		/* path_get's first try (a slab) */
#define DEV_NAME_MAX	512
#define BOOT_DONE_GRACE_MS 500

__attribute__((noreturn)) static void proc_exit(struct ps_proc *p,
    int wait_status, bool group);

static uint64_t logged_linux[8];	/* bitmap of numbers < 512 */
static uint64_t logged_private;		/* bitmap of table slots < 64 */
static unsigned logged_other;

static void
log_enosys(uint64_t nr)
{
	if (nr < 512) {
		if (logged_linux[nr / 64] & (1ULL << (nr % 64)))
			return;
		logged_linux[nr / 64] |= 1ULL << (nr % 64);
	} else if (nr >= RUSTOS_SYSCALL_PRIVATE_BASE &&
	    nr - RUSTOS_SYSCALL_PRIVATE_BASE < 64) {
		uint64_t bit = 1ULL << (nr - RUSTOS_SYSCALL_PRIVATE_BASE);

		if (logged_private & bit)
			return;
		logged_private |= bit;
	} else if (logged_other++ >= 16)
		return;
	nc_warn(SYSCALL, "syscall 0x%lx is not implemented: -ENOSYS (logged "
	    "once)", nr);
}

static struct ps_proc *
self(void)
{
	return (ps_proc_current());
}


/* ---- console and DEBUG_PRINT ---- */

/* Boot done: rootd reported initd spawned and initd reported idle. */
static bool saw_initd_spawned, saw_initd_idle;

/* Copy user bytes to the console in chunks; returns bytes or -EFAULT. */
static long
console_write_user(uint64_t buf, uint64_t len, bool check_done)
{
	char chunk[256];
	uint64_t done = 0;
	bool log_line = false;

	if (!mm_user_range_ok(buf, len))
		return (-EFAULT);
	while (done < len) {
		size_t n = len - done > sizeof(chunk) ? sizeof(chunk) :
		    len - done;

		if (hal_copy_from_user(chunk, buf + done, n) != 0)
			return (done > 0 ? (long)done : -EFAULT);
		/*
		 * A service's structured log line ("seq=..."): off COM1
		 * while a console session owns it (hal_serial_logs_quiet).
		 */
		if (check_done && done == 0 && n >= 4 &&
		    memcmp(chunk, "seq=", 4) == 0)
			log_line = true;
		/*
		 * DEBUG_PRINT writes whole lines: its first chunk starts a
		 * line on the debug console, the rest continue it.
		 */
		if (!(log_line && hal_serial_logs_quiet))
			io_tty_output(chunk, n);  /* OPOST/ONLCR of the console */
		if (check_done && done == 0)
			hal_debugcon_line(chunk, n);
		else
			hal_debugcon_write(chunk, n);
		if (check_done && done == 0 && n >= 11 &&
		    memcmp(chunk, "initd: idle", 11) == 0)
			saw_initd_idle = true;
		if (check_done && done == 0 && n >= 20 &&
		    memcmp(chunk, "rootd: initd spawned", 20) == 0)
			saw_initd_spawned = true;
		done += n;
	}
	return ((long)done);
}

static bool exit_started;

/*
 * Boot done in test mode: give the services initd just launched a moment
 * to finish registering (their markers), then end the run with success.
 */
static void
boot_done_exit(void *arg)
{
	ps_sleep_ms(BOOT_DONE_GRACE_MS);
	nc_info(BOOT, "boot done: initd is idle; test mode exit");
	nc_debugcon_printf("nucleus: exit success\n");
	hal_qemu_exit(HAL_EXIT_SUCCESS);
}

long
ex_sys_debug_print(uint64_t buf, uint64_t len, uint64_t a2, uint64_t a3,
    uint64_t a4, uint64_t a5)
{
	long r;

	if (len > DEBUG_PRINT_MAX)
		return (-NC_EINVAL);
	r = console_write_user(buf, len, true);
	if (saw_initd_idle && saw_initd_spawned && !exit_started &&
	    (ex_test_flags() & EX_TEST_EXIT)) {
		exit_started = true;
		if (ps_thread_create("boot-done", boot_done_exit, NULL,
		    PS_DEFAULT_WEIGHT_MICROS) < 0)
			boot_done_exit(NULL);
	}
	return (r);
}

/* ---- routing of generic processes: files to vfsd, memory to syscalld ---- */

static long meta_call(struct rustos_vfs_ipc_request *, uint64_t, uint64_t,
    bool);

static struct rustos_vfs_ipc_request *
vfs_req(struct ps_proc *p, uint16_t op)
{
	struct rustos_vfs_ipc_request *rq = mm_kzalloc(sizeof(*rq));

	if (rq != NULL) {
		rq->version = VFS_IPC_ABI_VERSION;
		rq->op = op;
		rq->pid = (uint64_t)p->pid;
		rq->tid = (uint64_t)p->pid;
	}
	return (rq);
}

/*
 * One vfsd round trip; returns the reply status (or -errno of the IPC)
 * and leaves the reply in *rsp (caller frees).  rq passes to the IPC
 * layer, and *rsp is vfsd's reply buffer itself, only as long as the
 * reply: fields past the 40-byte header exist up to payload_len, which
 * is clipped to the bytes received.
 */
static long
vfs_call(struct ps_proc *p, struct rustos_vfs_ipc_request *rq,
    struct rustos_vfs_ipc_response **rsp)
{
	struct rustos_vfs_ipc_response *rs;
	void *rep;
	long n;

	*rsp = NULL;
	/* vfsd never calls itself (a vfsd fd sent to it has no reference). */
	if ((p->caps & IPC_SERVICE_CAP_VFS_POLICY) != 0) {
		mm_kfree(rq);
		return (-EBADF);
	}
	n = ipc_kernel_call_take(p, IPC_SERVICE_VFSD, rq, sizeof(*rq), &rep);
	if (n < 0)
		return (n);
	rs = rep;
	if ((size_t)n < 40 || rs->version != VFS_IPC_ABI_VERSION ||
	    rs->payload_len > VFS_IPC_RESP_PAYLOAD_MAX) {
		mm_kfree(rep);
		return (-NC_EIO);
	}
	if (rs->payload_len > (uint64_t)n - 40)
		rs->payload_len = (uint32_t)(n - 40);
	*rsp = rs;
	return (rs->status);
}

/*
 * A vfsd path op for p with a kernel path (net.c: the node of an AF_UNIX
 * pathname socket -- MKSOCK for bind, NEWFSTATAT for connect): returns
 * vfsd's status; *value = the reply's value, up to cap payload bytes go
 * to out.
 */
long
ex_vfs_kpath_op(struct ps_proc *p, uint16_t op, const char *path, size_t len,
    uint64_t arg0, uint64_t *value, void *out, size_t cap)
{
	struct rustos_vfs_ipc_request *rq;
	struct rustos_vfs_ipc_response *rs;
	long r;

	if (len == 0)
		return (-NC_ENOENT);
	if ((rq = vfs_req(p, op)) == NULL)
		return (-NC_ENOMEM);
	rq->dirfd = (uint64_t)-100;
	rq->arg0 = arg0;
	rq->arg1 = cap;
	if ((r = ps_vfs_put_paths(p, rq, path, len, NULL, 0)) < 0) {
		mm_kfree(rq);
		return (r);
	}
	r = vfs_call(p, rq, &rs);
	if (rs != NULL) {
		if (r >= 0 && value != NULL)
			*value = rs->value;
		if (r >= 0 && out != NULL)
			memcpy(out, rs->payload, rs->payload_len < cap ?
			    rs->payload_len : cap);
		mm_kfree(rs);
	}
	return (r);
}

/*
 * The vfsd handle a relative path of an *at call is resolved against:
 * 0 for AT_FDCWD or an absolute path (vfsd uses the caller's cwd), the
 * remote id of a directory fd, -EBADF for no fd, -ENOTDIR for another fd.
 */
static long
at_dir(struct ps_proc *p, long dirfd, const char *path, size_t len,
    uint64_t *rid)
{
	*rid = 0;
	dirfd = (int)dirfd;	/* an int in the Linux ABI */
	if (dirfd == -100 || (len > 0 && path[0] == '/'))
		return (0);
	if (ps_fd_at(p, dirfd) == NULL)
		return (-EBADF);
	if (p->fds[dirfd].kind != PS_FD_REMOTE ||
	    p->fds[dirfd].remote_kind != VFS_HANDLE_KIND_DIR)
		return (-20);		/* ENOTDIR */
	*rid = p->fds[dirfd].remote_id;
	return (0);
}

/*
 * A relative path against a directory in /dev -- the cwd when it is /dev
 * (p->cwd_dev) or a /dev directory fd -- becomes "/dev/<path>" in place
 * (path is a PATH_MAX_K buffer) with *dirfd AT_FDCWD, so /dev names reach
 * devmgrd (ex_dev_path) and `..` leaves /dev in vfsd.  Returns the new
 * length (n when nothing changes, -ENAMETOOLONG when it does not fit).
 */
static long
dev_relative(struct ps_proc *p, long *dirfd, char *path, long n)
{
	int fd = (int)*dirfd;
	bool devdir;

	if (n <= 0 || path[0] == '/')
		return (n);
	devdir = fd != -100 && ps_fd_at(p, fd) != NULL &&
	    p->fds[fd].kind == PS_FD_DEVDIR;
	if (!devdir && !(fd == -100 && p->cwd_dev))
		return (n);
	if ((size_t)n + 6 > PATH_MAX_K)
		return (-ENAMETOOLONG);
	memmove(path + 5, path, (size_t)n + 1);
	memcpy(path, "/dev/", 5);
	*dirfd = -100;
	return (n + 5);
}

/*
 * A relative path vfsd did not find (-ENOENT) may lead into /dev from
 * vfsd's cwd ("dev/null" from "/", "../dev/zero"): with vfsd's cwd put
 * in front (in place; path is a PATH_MAX_K buffer) it is tried as an
 * absolute path.  Returns the new length when that names something under
 * /dev (the caller retries with AT_FDCWD), else -1 with path unchanged.
 */
static long
dev_from_cwd(struct ps_proc *p, long dirfd, char *path, long n)
{
	struct rustos_vfs_ipc_request *rq;
	struct rustos_vfs_ipc_response *rs = NULL;
	char dname[DEV_NAME_MAX];
	size_t cl;
	long r, i;

	for (i = 0; i + 3 <= n; i++)
		if (memcmp(path + i, "dev", 3) == 0)
			break;
	/* From a cwd of vfsd's only a path naming "dev" gets there. */
	if ((int)dirfd != -100 || n <= 0 || path[0] == '/' || p->cwd_dev ||
	    ps_is_policy(p) || i + 3 > n)
		return (-1);
	if ((rq = vfs_req(p, VFS_IPC_OP_GETCWD)) == NULL)
		return (-1);
	rq->arg1 = PATH_MAX_K;
	r = vfs_call(p, rq, &rs);
	if (r <= 1 || rs == NULL || (size_t)r > rs->payload_len ||
	    rs->payload[0] != '/' || (size_t)r - 1 + 1 + (size_t)n + 1 >
	    PATH_MAX_K) {
		mm_kfree(rs);
		return (-1);
	}
	cl = (size_t)r - 1;			/* without its NUL */
	memmove(path + cl + 1, path, (size_t)n + 1);
	memcpy(path, rs->payload, cl);
	path[cl] = '/';
	mm_kfree(rs);
	/* Only the routing matters here: is it /dev or below? */
	if (ex_dev_path(path, cl + 1 + (size_t)n, dname, sizeof(dname)) < 0) {
		memmove(path, path + cl + 1, (size_t)n + 1);
		return (-1);
	}
	return ((long)(cl + 1) + n);
}

/*
 * chdir to /dev or a name in it (dname, dn bytes): /dev has no directory
 * in vfsd, so the kernel keeps that cwd itself (p->cwd_dev; getcwd says
 * "/dev" and relative paths become absolute, dev_relative).  A device is
 * -ENOTDIR, an unknown name devmgrd's -ENOENT.
 */
static long
dev_chdir(struct ps_proc *p, const char *dname, long dn)
{
	long r;

	if (dn == 0) {
		p->cwd_dev = true;
		return (0);
	}
	r = ex_dev_path_call(p, EX_DEV_ACCESS, dname, (size_t)dn, 0, 0);
	return (r == 0 ? -20 : r);		/* ENOTDIR */
}

static long
remote_open(struct ps_proc *p, const char *path, size_t len, uint64_t flags,
    uint64_t rid, uint64_t mode)
{
	struct rustos_vfs_ipc_request *rq;
	struct rustos_vfs_ipc_response *rs;
	unsigned fd;
	long r;

	if ((r = ps_fd_lowest(p, 0)) < 0)
		return (r);		/* EMFILE (RLIMIT_NOFILE) */
	fd = (unsigned)r;
	if ((rq = vfs_req(p, VFS_IPC_OP_OPENAT)) == NULL)
		return (-NC_ENOMEM);
	rq->flags = (uint32_t)flags;
	rq->dirfd = (uint64_t)-100;
	rq->remote_id = rid;
	/* For a file O_CREAT makes; the umask is applied here (api.h). */
	rq->arg0 = mode & 07777 & ~(uint64_t)p->umask;
	if ((r = ps_vfs_put_paths(p, rq, path, len, NULL, 0)) < 0) {
		mm_kfree(rq);
		return (r);
	}
	r = vfs_call(p, rq, &rs);
	if (r >= 0) {
		p->fds[fd].kind = PS_FD_REMOTE;
		p->fds[fd].fd_flags = (flags & 0x80000) ? PS_FD_CLOEXEC : 0;
		p->fds[fd].remote_kind = rs->handle_kind;
		p->fds[fd].remote_id = rs->remote_id;
		p->fds[fd].size = rs->value;
		p->fds[fd].offset = 0;
		r = fd;
	}
	mm_kfree(rs);
	return (r);
}

/* READ / PREAD64 / GETDENTS64 of a remote fd into user memory. */
static long
remote_read(struct ps_proc *p, struct ps_fd *f, uint16_t op, uint64_t buf,
    uint64_t len, uint64_t off, bool advance)
{
	struct rustos_vfs_ipc_request *rq;
	struct rustos_vfs_ipc_response *rs;
	long r;

	if (!mm_user_range_ok(buf, len))
		return (-EFAULT);
	if (len > VFS_IPC_RESP_PAYLOAD_MAX)
		len = VFS_IPC_RESP_PAYLOAD_MAX;
	if ((rq = vfs_req(p, op)) == NULL)
		return (-NC_ENOMEM);
	rq->remote_id = f->remote_id;
	rq->arg0 = off;
	rq->arg1 = len;
	/* read/getdents: vfsd's cursor, shared by dups and forked children. */
	if (advance)
		rq->flags = VFS_IPC_F_CURSOR;
	r = vfs_call(p, rq, &rs);
	if (r > 0) {
		if ((uint64_t)r > len || (uint64_t)r > rs->payload_len)
			r = -NC_EIO;
		else if (hal_copy_to_user(buf, rs->payload, (size_t)r) != 0)
			r = -EFAULT;
		else if (advance)
			f->offset = rs->value;
	}
	mm_kfree(rs);
	return (r);
}

static long
remote_simple(struct ps_proc *p, struct ps_fd *f, uint16_t op, void *out,
    size_t out_len)
{
	struct rustos_vfs_ipc_request *rq;
	struct rustos_vfs_ipc_response *rs;
	long r;

	if ((rq = vfs_req(p, op)) == NULL)
		return (-NC_ENOMEM);
	rq->remote_id = f->remote_id;
	r = vfs_call(p, rq, &rs);
	if (r >= 0 && out != NULL) {
		if (rs->payload_len < out_len)
			r = -NC_EIO;
		else
			memcpy(out, rs->payload, out_len);
	}
	mm_kfree(rs);
	return (r);
}

/* ---- bootstrap VFS path (bootfs) ---- */

static long
path_from_user(uint64_t upath, char *buf, size_t cap)
{
	size_t i;

	for (i = 0; i < cap; i++) {
		if (hal_copy_from_user(&buf[i], upath + i, 1) != 0)
			return (-EFAULT);
		if (buf[i] == '\0')
			return ((long)i);
	}
	return (-ENAMETOOLONG);
}

/*
 * A path argument into a fresh heap buffer of up to PATH_MAX_K bytes
 * (*out, the caller frees it, also on errors): its length, -EFAULT,
 * -ENAMETOOLONG (no NUL within PATH_MAX, as Linux) or -ENOMEM.  Heap,
 * not stack: the kernel stack is small and some calls take two paths.
 */
static long
path_get(uint64_t upath, char **out)
{
	char *big;
	long n;

	/* Most paths are short: a slab object first, PATH_MAX_K if not. */
	if ((*out = mm_kmalloc(PATH_SHORT_K)) == NULL)
		return (-NC_ENOMEM);
	if ((n = path_from_user(upath, *out, PATH_SHORT_K)) != -ENAMETOOLONG)
		return (n);
	if ((big = mm_kmalloc(PATH_MAX_K)) == NULL)
		return (-NC_ENOMEM);
	memcpy(big, *out, PATH_SHORT_K);
	mm_kfree(*out);
	*out = big;
	n = path_from_user(upath + PATH_SHORT_K, big + PATH_SHORT_K,
	    PATH_MAX_K - PATH_SHORT_K);
	return (n < 0 ? n : n + PATH_SHORT_K);
}

static long
openat_path(struct ps_proc *p, long dirfd, const char *path, long n,
    uint64_t flags, uint64_t mode)
{
	int idx;
	unsigned fd;

	{
		char dname[DEV_NAME_MAX];
		long dn = ex_dev_path(path, (size_t)n, dname, sizeof(dname));

		if (dn >= 0)
			return (ex_dev_openat(p, dname, (size_t)dn, flags));
	}
	if (!ps_is_policy(p)) {
		uint64_t rid;
		long r = at_dir(p, dirfd, path, (size_t)n, &rid);

		return (r < 0 ? r : remote_open(p, path, (size_t)n, flags, rid,
		    mode));
	}
	if (path[0] != '/')
		return (-NC_ENOENT);
	if ((flags & 3) != 0)
		return (-30);		/* EROFS: bootfs is read-only */
	if ((idx = io_bootfs_lookup(path, (size_t)n)) < 0)
		return (-NC_ENOENT);
	if ((n = ps_fd_lowest(p, 0)) < 0)
		return (n);
	fd = (unsigned)n;
	p->fds[fd].kind = PS_FD_BOOTFS;
	p->fds[fd].index = (uint32_t)idx;
	p->fds[fd].offset = 0;
	return (fd);
}

static long
sys_openat(struct ps_proc *p, long dirfd, uint64_t upath, uint64_t flags,
    uint64_t mode)
{
	char *path;
	long n, r, m;

	if ((n = path_get(upath, &path)) >= 0 &&
	    (n = dev_relative(p, &dirfd, path, n)) >= 0) {
		r = openat_path(p, dirfd, path, n, flags, mode);
		if (r == -NC_ENOENT && (m = dev_from_cwd(p, dirfd, path,
		    n)) >= 0)
			r = openat_path(p, -100, path, m, flags, mode);
		n = r;
	}
	mm_kfree(path);
	return (n);
}

static long
bootfs_read(struct ps_fd *f, uint64_t buf, uint64_t len, uint64_t off,
    bool advance)
{
	const uint8_t *data;
	uint64_t size;

	io_bootfs_entry(f->index, NULL, &data, &size);
	if (!mm_user_range_ok(buf, len))
		return (-EFAULT);
	if (off >= size)
		return (0);
	if (len > size - off)
		len = size - off;
	if (hal_copy_to_user(buf, data + off, len) != 0)
		return (-EFAULT);
	if (advance)
		f->offset = off + len;
	return ((long)len);
}

static long
sys_read(struct ps_proc *p, uint64_t fd, uint64_t buf, uint64_t len)
{
	struct ps_fd *f = ps_fd_at(p, fd);

	if (f == NULL)
		return (-EBADF);
	if (f->kind == PS_FD_CONSOLE || f->kind == PS_FD_DEVICE ||
	    f->kind == PS_FD_DEVDIR)
		return (ex_dev_read(p, f, buf, len));
	if (f->kind == PS_FD_PIPE_R || f->kind == PS_FD_PIPE_W)
		return (ps_pipe_read(p, f, buf, len));
	if (f->kind == PS_FD_SOCK)
		return (ex_sock_rw(p, f, buf, len, false));
	if (f->kind == PS_FD_SIGNALFD)
		return (ps_signalfd_read(p, f, buf, len));
	if (f->kind == PS_FD_REMOTE)
		return (remote_read(p, f, VFS_IPC_OP_READ, buf, len, f->offset,
		    true));
	return (bootfs_read(f, buf, len, f->offset, true));
}

/*
 * WRITE of a remote fd (vfsd: /tmp, /run) in VFS_IPC_REQ_PAYLOAD_MAX
 * pieces; arg0 = offset, reply value = the new offset.  A short piece
 * ends the call with what was written so far.
 */
static long
remote_write(struct ps_proc *p, struct ps_fd *f, uint64_t buf, uint64_t len,
    uint64_t off, bool advance)
{
	struct rustos_vfs_ipc_request *rq;
	struct rustos_vfs_ipc_response *rs;
	uint64_t done = 0, n;
	long r = 0;

	if (!mm_user_range_ok(buf, len))
		return (-EFAULT);
	while (done < len) {
		n = len - done;
		if (n > VFS_IPC_REQ_PAYLOAD_MAX)
			n = VFS_IPC_REQ_PAYLOAD_MAX;
		if ((rq = vfs_req(p, VFS_IPC_OP_WRITE)) == NULL) {
			r = -NC_ENOMEM;
			break;
		}
		if (hal_copy_from_user(rq->payload, buf + done, n) != 0) {
			mm_kfree(rq);
			r = -EFAULT;
			break;
		}
		rq->remote_id = f->remote_id;
		rq->arg0 = off;
		rq->payload_len = (uint32_t)n;
		if (advance)
			rq->flags = VFS_IPC_F_CURSOR;
		r = vfs_call(p, rq, &rs);
		if (r > 0 && (uint64_t)r > n)
			r = -NC_EIO;
		if (r > 0) {
			off = rs->value;
			if (off > f->size)
				f->size = off;
			if (advance)
				f->offset = off;
			done += (uint64_t)r;
		}
		mm_kfree(rs);
		if (r <= 0 || (uint64_t)r < n)
			break;
	}
	return (done > 0 ? (long)done : r);
}

/*
 * Send a vfsd op that carries two paths (rename's names, symlink's link
 * and target): remote_id = the first path's directory handle, arg1 = op
 * data (rename: the second name's directory), paths staged when long.
 */
static long
two_path_call(struct ps_proc *p, uint16_t op, uint64_t rid, uint64_t arg1,
    const char *a, size_t alen, const char *b, size_t blen)
{
	struct rustos_vfs_ipc_request *rq;
	long r;

	if ((rq = vfs_req(p, op)) == NULL)
		return (-NC_ENOMEM);
	rq->remote_id = rid;
	rq->arg1 = arg1;
	rq->dirfd = (uint64_t)-100;
	if ((r = ps_vfs_put_paths(p, rq, a, alen, b, blen)) < 0) {
		mm_kfree(rq);
		return (r);
	}
	return (meta_call(rq, 0, 0, false));	/* passes rq on */
}

/* rename/renameat/renameat2: RENAMEAT (arg1 = the new name's dir). */
static long
rename_call(struct ps_proc *p, long fromfd, uint64_t ufrom, long tofd,
    uint64_t uto, uint64_t flags)
{
	char *from = NULL, *to = NULL;
	uint64_t rfrom, rto;
	long n, m = 0, r;

	if (flags != 0)
		return (-NC_EINVAL);
	if ((r = n = path_get(ufrom, &from)) < 0 ||
	    (r = m = path_get(uto, &to)) < 0)
		goto out;
	r = -30;			/* EROFS: bootfs is read-only */
	if (ps_is_policy(p) ||
	    (r = at_dir(p, fromfd, from, (size_t)n, &rfrom)) < 0 ||
	    (r = at_dir(p, tofd, to, (size_t)m, &rto)) < 0)
		goto out;
	r = -NC_ENOENT;
	if (n == 0 || m == 0)
		goto out;
	r = two_path_call(p, VFS_IPC_OP_RENAMEAT, rfrom, rto, from, (size_t)n,
	    to, (size_t)m);
out:
	mm_kfree(from);
	mm_kfree(to);
	return (r);
}

/*
 * symlink/symlinkat: SYMLINK (path = the new link, second path = the
 * target, both staged when long: ps_vfs_put_paths).  Policy callers see
 * the read-only bootfs: -EROFS.
 */
static long
symlink_call(struct ps_proc *p, uint64_t utarget, long dirfd, uint64_t upath)
{
	char *target = NULL, *path = NULL;
	uint64_t rid;
	long n = 0, m, r;

	if ((r = m = path_get(utarget, &target)) < 0 ||
	    (r = n = path_get(upath, &path)) < 0)
		goto out;
	r = -30;			/* EROFS */
	if (ps_is_policy(p) ||
	    (r = at_dir(p, dirfd, path, (size_t)n, &rid)) < 0)
		goto out;
	r = -NC_ENOENT;
	if (n == 0 || m == 0)
		goto out;
	r = two_path_call(p, VFS_IPC_OP_SYMLINK, rid, 0, path, (size_t)n,
	    target, (size_t)m);
out:
	mm_kfree(target);
	mm_kfree(path);
	return (r);
}

static long
sys_write(struct ps_proc *p, uint64_t fd, uint64_t buf, uint64_t len)
{
	struct ps_fd *f = ps_fd_at(p, fd);

	if (f == NULL)
		return (-EBADF);
	if (f->kind == PS_FD_PIPE_R || f->kind == PS_FD_PIPE_W) {
		long r = ps_pipe_write(p, f, buf, len);

		/* EPIPE comes with SIGPIPE (SI_USER from ourselves). */
		if (r == -32)
			ps_signal_send(p, 13, p->pid, 0, 0);
		return (r);
	}
	if (f->kind == PS_FD_REMOTE)
		return (remote_write(p, f, buf, len, f->offset, true));
	if (f->kind == PS_FD_SOCK)
		return (ex_sock_rw(p, f, buf, len, true));
	if (f->kind == PS_FD_CONSOLE || f->kind == PS_FD_DEVICE ||
	    f->kind == PS_FD_DEVDIR)
		return (ex_dev_write(p, f, buf, len));
	if (f->kind == PS_FD_SIGNALFD)
		return (-NC_EINVAL);
	return (-EBADF);
}

/*
 * readv/writev check the whole vector before any transfer, as Linux
 * does: more than IOV_MAX entries or a length sum above SSIZE_MAX is
 * -EINVAL, an unreadable vector -EFAULT.
 */
static long
iov_check(uint64_t iov, uint64_t cnt)
{
	uint64_t v[2], i, sum = 0;

	if (cnt > 1024)
		return (-NC_EINVAL);
	for (i = 0; i < cnt; i++) {
		if (hal_copy_from_user(v, iov + i * 16, 16) != 0)
			return (-EFAULT);
		if (v[1] > (uint64_t)INT64_MAX - sum)
			return (-NC_EINVAL);
		sum += v[1];
	}
	return (0);
}

static long
sys_writev(struct ps_proc *p, uint64_t fd, uint64_t iov, uint64_t cnt)
{
	uint64_t v[2], i;
	long total = 0, r;

	if (ps_fd_at(p, fd) == NULL)
		return (-EBADF);
	if ((r = iov_check(iov, cnt)) != 0)
		return (r);
	if (ps_fd_at(p, fd)->kind == PS_FD_SOCK)	/* one message */
		return (ex_sock_rwv(p, ps_fd_at(p, fd), iov, cnt, true));
	for (i = 0; i < cnt; i++) {
		if (hal_copy_from_user(v, iov + i * 16, 16) != 0)
			return (total > 0 ? total : -EFAULT);
		if (v[1] == 0)
			continue;
		r = sys_write(p, fd, v[0], v[1]);
		if (r < 0)
			return (total > 0 ? total : r);
		total += r;
	}
	return (total);
}

static long
sys_readv(struct ps_proc *p, uint64_t fd, uint64_t iov, uint64_t cnt)
{
	uint64_t v[2], i;
	long total = 0, r;

	if (ps_fd_at(p, fd) == NULL)
		return (-EBADF);
	if ((r = iov_check(iov, cnt)) != 0)
		return (r);
	if (ps_fd_at(p, fd)->kind == PS_FD_SOCK)	/* one message */
		return (ex_sock_rwv(p, ps_fd_at(p, fd), iov, cnt, false));
	for (i = 0; i < cnt; i++) {
		if (hal_copy_from_user(v, iov + i * 16, 16) != 0)
			return (total > 0 ? total : -EFAULT);
		if (v[1] == 0)
			continue;
		r = sys_read(p, fd, v[0], v[1]);
		if (r < 0)
			return (total > 0 ? total : r);
		total += r;
		if ((uint64_t)r < v[1])
			break;
	}
	return (total);
}

static long
sys_lseek(struct ps_proc *p, uint64_t fd, int64_t off, uint64_t whence)
{
	struct ps_fd *f = ps_fd_at(p, fd);
	uint64_t size;
	int64_t base;

	if (f == NULL)
		return (-EBADF);
	if (f->kind == PS_FD_REMOTE) {
		/* vfsd keeps the cursor (and knows the current size). */
		uint64_t v = 0;
		long r = ps_remote_call(p, VFS_IPC_OP_LSEEK, 0, f->remote_id,
		    (uint64_t)off, whence, &v);

		return (r < 0 ? r : (long)v);
	}
	if (f->kind == PS_FD_BOOTFS)
		io_bootfs_entry(f->index, NULL, NULL, &size);
	else
		return (-ESPIPE);
	base = whence == 0 ? 0 : whence == 1 ? (int64_t)f->offset :
	    whence == 2 ? (int64_t)size : -1;
	if (whence > 2 || base + off < 0)
		return (-NC_EINVAL);
	f->offset = (uint64_t)(base + off);
	return ((long)f->offset);
}

/* Linux x86_64 struct stat (144 bytes). */
static long
fstat_fill(struct ps_proc *p, uint64_t fd, uint64_t st[18])
{
	struct ps_fd *f = ps_fd_at(p, fd);
	uint64_t size = 0;

	if (f == NULL)
		return (-EBADF);
	memset(st, 0, 18 * sizeof(st[0]));
	if (f->kind == PS_FD_REMOTE) {
		long r = remote_simple(p, f, VFS_IPC_OP_FSTAT, st,
		    18 * sizeof(st[0]));

		if (r < 0)
			return (r);
	} else if (f->kind == PS_FD_BOOTFS) {
		io_bootfs_entry(f->index, NULL, NULL, &size);
		st[1] = f->index + 1;			/* st_ino */
		st[2] = 1;				/* st_nlink */
		st[3] = 0100444;			/* st_mode */
		st[6] = size;				/* st_size */
		st[7] = 4096;				/* st_blksize */
		st[8] = (size + 511) / 512;		/* st_blocks */
	} else if (f->kind == PS_FD_PIPE_R || f->kind == PS_FD_PIPE_W) {
		st[2] = 1;
		st[3] = 010600;				/* FIFO */
		st[7] = 4096;
	} else if (f->kind == PS_FD_SIGNALFD) {
		st[2] = 1;
		st[3] = 0600;				/* anon inode */
		st[7] = 4096;
	} else if (f->kind == PS_FD_SOCK) {
		st[1] = ps_sock_id(f) & 0xffffffffu;	/* st_ino */
		st[2] = 1;
		st[3] = 0140777;			/* S_IFSOCK */
		st[7] = 4096;
	} else
		ex_dev_fstat(f, st);		/* console, devices, /dev */
	return (0);
}

static long
sys_fstat(struct ps_proc *p, uint64_t fd, uint64_t ustat)
{
	uint64_t st[18];
	long r;

	if ((r = fstat_fill(p, fd, st)) < 0)
		return (r);
	return (hal_copy_to_user(ustat, st, sizeof(st)) != 0 ? -EFAULT : 0);
}

/*
 * "" with AT_EMPTY_PATH (0x1000) and a real fd names the fd itself,
 * whatever it is (file, pipe, console, device), as Linux: 1 then, 0 for
 * a path to look up, or -EFAULT.
 */
static long
empty_path_fd(long dirfd, uint64_t upath, uint64_t flags)
{
	char c;

	if (!(flags & 0x1000) || dirfd == -100)
		return (0);
	if (hal_copy_from_user(&c, upath, 1) != 0)
		return (-EFAULT);
	return (c == '\0');
}

/*
 * statx(fd, "", AT_EMPTY_PATH): the fd's fstat as a Linux struct statx
 * (256 bytes; the basic stats, as vfsd's STATX gives for a path).
 */
static long
statx_fd(struct ps_proc *p, uint64_t fd, uint64_t uout)
{
	unsigned char b[256];
	uint64_t st[18], dev;
	uint32_t v32;
	uint16_t mode;
	long r;
	int i;

	if ((r = fstat_fill(p, fd, st)) < 0)
		return (r);
	memset(b, 0, sizeof(b));
	v32 = 0x7ffu;				/* STATX_BASIC_STATS */
	memcpy(b + 0, &v32, 4);
	v32 = (uint32_t)st[7];			/* blksize */
	memcpy(b + 4, &v32, 4);
	v32 = (uint32_t)st[2];			/* nlink */
	memcpy(b + 16, &v32, 4);
	v32 = (uint32_t)(st[3] >> 32);		/* uid */
	memcpy(b + 20, &v32, 4);
	v32 = (uint32_t)st[4];			/* gid */
	memcpy(b + 24, &v32, 4);
	mode = (uint16_t)st[3];
	memcpy(b + 28, &mode, 2);
	memcpy(b + 32, &st[1], 8);		/* ino */
	memcpy(b + 40, &st[6], 8);		/* size */
	memcpy(b + 48, &st[8], 8);		/* blocks */
	/* atime, ctime, mtime: struct stat's order is a, m, c. */
	for (i = 0; i < 3; i++) {
		int at = i == 0 ? 64 : i == 1 ? 112 : 96;

		memcpy(b + at, &st[9 + 2 * i], 8);
		v32 = (uint32_t)st[10 + 2 * i];
		memcpy(b + at + 8, &v32, 4);
	}
	/* Linux's dev_t: major 12+32 bits, minor 8+24 bits. */
	dev = st[5];
	v32 = (uint32_t)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffu));
	memcpy(b + 128, &v32, 4);
	v32 = (uint32_t)((dev & 0xff) | ((dev >> 12) & ~0xffu));
	memcpy(b + 132, &v32, 4);
	dev = st[0];
	v32 = (uint32_t)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffu));
	memcpy(b + 136, &v32, 4);
	v32 = (uint32_t)((dev & 0xff) | ((dev >> 12) & ~0xffu));
	memcpy(b + 140, &v32, 4);
	return (hal_copy_to_user(uout, b, sizeof(b)) != 0 ? -EFAULT : 0);
}

static long fchown_fd(struct ps_proc *p, uint64_t fd, uint64_t uid,
    uint64_t gid);

static long
sys_close(struct ps_proc *p, uint64_t fd)
{
	struct ps_fd *f = ps_fd_at(p, fd);

	if (f == NULL)
		return (-EBADF);
	/* vfsd first for a remote fd; pipe references; clears the slot. */
	(void)ps_remote_close(p, f);
	return (0);
}

/*
 * Path calls of the Linux ABI (stat family, access, readlink, chdir):
 * generic processes ask vfsd; policy callers get the bootfs view (files
 * only, read-only).  getcwd answers "/" for policy callers.
 */
static long meta_call(struct rustos_vfs_ipc_request *rq, uint64_t uout,
    uint64_t out_cap, bool payload_result);

static void
bootfs_stat(int idx, uint64_t st[18])
{
	uint64_t size;

	memset(st, 0, 18 * sizeof(uint64_t));
	io_bootfs_entry((unsigned)idx, NULL, NULL, &size);
	st[1] = (uint64_t)idx + 1;
	st[2] = 1;
	st[3] = 0100444;
	st[6] = size;
	st[7] = 4096;
	st[8] = (size + 511) / 512;
}

static long path_op(struct ps_proc *p, long dirfd, uint16_t op,
    const char *path, long n, uint64_t uout, uint64_t out_cap, uint64_t arg0,
    uint32_t flags);

static long
path_call_at(struct ps_proc *p, long dirfd, uint16_t op, uint64_t upath,
    uint64_t uout, uint64_t out_cap, uint64_t arg0, uint32_t flags)
{
	char *path;
	long n, r, m;

	if ((n = path_get(upath, &path)) >= 0 &&
	    (n = dev_relative(p, &dirfd, path, n)) >= 0) {
		r = path_op(p, dirfd, op, path, n, uout, out_cap, arg0, flags);
		/* The ops that know /dev: was it a /dev name after all? */
		if (r == -NC_ENOENT && (op == VFS_IPC_OP_NEWFSTATAT ||
		    op == VFS_IPC_OP_STATX || op == VFS_IPC_OP_ACCESS ||
		    op == VFS_IPC_OP_CHDIR) &&
		    (m = dev_from_cwd(p, dirfd, path, n)) >= 0)
			r = path_op(p, -100, op, path, m, uout, out_cap, arg0,
			    flags);
		n = r;
	}
	mm_kfree(path);
	return (n);
}

/* path_call_at with the path (n bytes) copied in. */
static long
path_op(struct ps_proc *p, long dirfd, uint16_t op, const char *path, long n,
    uint64_t uout, uint64_t out_cap, uint64_t arg0, uint32_t flags)
{
	struct rustos_vfs_ipc_request *rq;
	uint64_t st[18], rid;
	long r;
	int idx;

	if (uout != 0 && !mm_user_range_ok(uout, out_cap))
		return (-EFAULT);
	if (op == VFS_IPC_OP_NEWFSTATAT || op == VFS_IPC_OP_STATX ||
	    op == VFS_IPC_OP_ACCESS || op == VFS_IPC_OP_CHDIR) {
		char dname[DEV_NAME_MAX];
		long dn = ex_dev_path(path, (size_t)n, dname, sizeof(dname));

		if (dn >= 0 && op == VFS_IPC_OP_CHDIR)
			return (dev_chdir(p, dname, dn));
		if (dn >= 0)
			return (ex_dev_path_call(p, op == VFS_IPC_OP_ACCESS ?
			    EX_DEV_ACCESS : op == VFS_IPC_OP_STATX ?
			    EX_DEV_STATX : EX_DEV_STAT, dname, (size_t)dn,
			    uout, arg0));
	}
	if (ps_is_policy(p)) {
		idx = io_bootfs_lookup(path, (size_t)n);
		if (idx < 0)
			return (-NC_ENOENT);
		if (op == VFS_IPC_OP_NEWFSTATAT) {
			bootfs_stat(idx, st);
			return (hal_copy_to_user(uout, st, sizeof(st)) != 0 ?
			    -EFAULT : 0);
		}
		if (op == VFS_IPC_OP_ACCESS)
			return ((arg0 & 2) != 0 ? -30 : 0);	/* EROFS */
		return (-NC_EINVAL);	/* not a link, not a directory */
	}
	/* An empty path is ENOENT before the dirfd is looked at (Linux). */
	if (n == 0)
		return (-NC_ENOENT);
	if ((r = at_dir(p, dirfd, path, (size_t)n, &rid)) < 0)
		return (r);
	if ((rq = vfs_req(p, op)) == NULL)
		return (-NC_ENOMEM);
	rq->dirfd = (uint64_t)-100;
	rq->remote_id = rid;
	rq->flags = flags;
	rq->arg0 = arg0;
	rq->arg1 = out_cap;
	if ((r = ps_vfs_put_paths(p, rq, path, (size_t)n, NULL, 0)) < 0) {
		mm_kfree(rq);
		return (r);
	}
	r = meta_call(rq, uout, out_cap, op == VFS_IPC_OP_READLINKAT);
	if (op == VFS_IPC_OP_CHDIR && r == 0)
		p->cwd_dev = false;	/* vfsd's cwd again */
	return (r);
}

static long
path_call(struct ps_proc *p, uint16_t op, uint64_t upath, uint64_t uout,
    uint64_t out_cap, uint64_t arg0, uint32_t flags)
{
	return (path_call_at(p, -100, op, upath, uout, out_cap, arg0, flags));
}

/*
 * chown, lchown, fchownat: CHOWN with arg0 = uid, arg1 = gid (32 bits:
 * -1 keeps one); flags AT_SYMLINK_NOFOLLOW (0x100) and AT_EMPTY_PATH
 * (0x1000: "" is the fd itself, as fchown), else -EINVAL.
 * vfsd decides (creds, memfs owners); bootfs for policy callers is
 * read-only.
 */
static long
chown_call(struct ps_proc *p, long dirfd, uint64_t upath, uint64_t uid,
    uint64_t gid, uint64_t flags)
{
	long r;

	if ((flags & ~(uint64_t)0x1100) != 0)
		return (-NC_EINVAL);
	/* fchownat(fd, "", ..., AT_EMPTY_PATH): fchown of the fd. */
	if ((r = empty_path_fd(dirfd, upath, flags)) != 0)
		return (r < 0 ? r : fchown_fd(p, (uint64_t)dirfd, uid, gid));
	if (ps_is_policy(p))
		return (-30);		/* EROFS: bootfs is read-only */
	/* path_call_at passes out_cap as arg1 when there is no output. */
	return (path_call_at(p, dirfd, VFS_IPC_OP_CHOWN, upath, 0,
	    (uint32_t)gid, (uint32_t)uid, (flags & 0x100) ?
	    VFS_CHOWN_F_NOFOLLOW : 0));
}

/* fchown (and fchownat's AT_EMPTY_PATH): the fd's file, by handle. */
static long
fchown_fd(struct ps_proc *p, uint64_t fd, uint64_t uid, uint64_t gid)
{
	struct ps_fd *f = ps_fd_at(p, fd);
	struct rustos_vfs_ipc_request *rq;

	if (f == NULL)
		return (-EBADF);
	if (f->kind == PS_FD_BOOTFS)
		return (-30);		/* EROFS */
	if (f->kind != PS_FD_REMOTE)
		return (0);	/* pipes, console: no owner is kept */
	if ((rq = vfs_req(p, VFS_IPC_OP_CHOWN)) == NULL)
		return (-NC_ENOMEM);
	rq->remote_id = f->remote_id;
	rq->arg0 = (uint32_t)uid;
	rq->arg1 = (uint32_t)gid;
	return (meta_call(rq, 0, 0, false));
}

/*
 * mount(2) and umount2(2): vfsd decides (MOUNT: path = target, payload =
 * type, arg0 = flags; UMOUNT2: path, arg0 = flags).  The strings are
 * copied here (-EFAULT); tmpfs ignores source and data.  The euid check
 * is vfsd's (its credential cache, pushed by syscalld).  Policy callers
 * have no vfsd namespace: -EPERM.
 */
static long
sys_mount(struct ps_proc *p, uint64_t usrc, uint64_t utarget, uint64_t utype,
    uint64_t flags, bool umount)
{
	struct rustos_vfs_ipc_request *rq = NULL;
	char *target, type[VFS_IPC_REQ_PAYLOAD_MAX];
	long n, t = 0, r;

	if ((r = n = path_get(utarget, &target)) < 0)
		goto out;
	if (!umount) {
		if (usrc != 0 && (r = t = path_from_user(usrc, type,
		    sizeof(type))) == -EFAULT)
			goto out;
		t = 0;
		if (utype != 0 && (t = path_from_user(utype, type,
		    sizeof(type))) < 0) {
			r = t == -EFAULT ? t : -19;	/* ENODEV */
			goto out;
		}
	}
	r = -NC_EPERM;
	if (ps_is_policy(p))
		goto out;
	r = -NC_ENOENT;
	if (n == 0)
		goto out;
	r = -NC_ENOMEM;
	if ((rq = vfs_req(p, umount ? VFS_IPC_OP_UMOUNT2 :
	    VFS_IPC_OP_MOUNT)) == NULL)
		goto out;
	memcpy(rq->payload, type, (size_t)t);
	rq->payload_len = (uint32_t)t;
	rq->dirfd = (uint64_t)-100;
	rq->arg0 = umount ? (uint64_t)(uint32_t)flags : flags;
	if ((r = ps_vfs_put_paths(p, rq, target, (size_t)n, NULL, 0)) < 0)
		goto out;
	r = meta_call(rq, 0, 0, false);
	rq = NULL;			/* meta_call passed it on */
out:
	mm_kfree(rq);
	mm_kfree(target);
	return (r);
}

static long
sys_getcwd(struct ps_proc *p, uint64_t buf, uint64_t cap)
{
	if (cap == 0)
		return (-NC_ERANGE);
	if (ps_is_policy(p)) {
		if (cap < 2)
			return (-NC_ERANGE);
		return (hal_copy_to_user(buf, "/", 2) != 0 ? -EFAULT : 2);
	}
	if (p->cwd_dev) {
		/* The kernel's own cwd (dev_chdir). */
		if (cap < 5)
			return (-NC_ERANGE);
		return (hal_copy_to_user(buf, "/dev", 5) != 0 ? -EFAULT : 5);
	}
	return (ex_sys_getcwd_metadata(buf, cap, 0, 0, 0, 0));
}

/*
 * End the calling thread (exit) or the whole thread group (exit_group,
 * fatal signals); the last thread tells vfsd about the remote fds still
 * open and ends the process.
 */
__attribute__((noreturn)) static void
proc_exit(struct ps_proc *p, int wait_status, bool group)
{
	wait_status = ps_thread_leave(wait_status, group);
	ps_remote_exit(p);
	ps_proc_exit(wait_status);
}

/* ---- time ---- */

static long
sys_clock_gettime(uint64_t clk, uint64_t uts)
{
	uint64_t ns = hal_clock_ns(), ts[2];

	if (clk > 11)
		return (-NC_EINVAL);
	ts[0] = ns / 1000000000ULL;
	ts[1] = ns % 1000000000ULL;
	return (hal_copy_to_user(uts, ts, 16) != 0 ? -EFAULT : 0);
}

/*
 * The vDSO answers these without a trap (kernel/vdso/vdso.c); the
 * syscalls give the same clock for processes without one.  Every clock
 * is the TSC clock of hal_clock_ns, so the resolution is 1 ns.
 */
static long
sys_gettimeofday(uint64_t utv, uint64_t utz)
{
	uint64_t ns = hal_clock_ns(), tv[2];
	uint32_t tz[2] = { 0, 0 };

	tv[0] = ns / 1000000000ULL;
	tv[1] = ns % 1000000000ULL / 1000;
	if (utv != 0 && hal_copy_to_user(utv, tv, sizeof(tv)) != 0)
		return (-EFAULT);
	if (utz != 0 && hal_copy_to_user(utz, tz, sizeof(tz)) != 0)
		return (-EFAULT);
	return (0);
}

static long
sys_time(uint64_t ut)
{
	uint64_t s = hal_clock_ns() / 1000000000ULL;

	if (ut != 0 && hal_copy_to_user(ut, &s, sizeof(s)) != 0)
		return (-EFAULT);
	return ((long)s);
}

/* One CPU, one node; the cache argument is unused since Linux 2.6.24. */
static long
sys_getcpu(uint64_t ucpu, uint64_t unode)
{
	uint32_t zero = 0;

	if (ucpu != 0 && hal_copy_to_user(ucpu, &zero, sizeof(zero)) != 0)
		return (-EFAULT);
	if (unode != 0 && hal_copy_to_user(unode, &zero, sizeof(zero)) != 0)
		return (-EFAULT);
	return (0);
}

static long
sys_clock_getres(uint64_t clk, uint64_t ures)
{
	uint64_t res[2] = { 0, 1 };

	if (clk > 11)
		return (-NC_EINVAL);
	if (ures != 0 && hal_copy_to_user(ures, res, sizeof(res)) != 0)
		return (-EFAULT);
	return (0);
}

/* ---- the Linux calls ---- */

/*
 * The syscall report (abi/syscalls.def, docs/abi/syscalls.md) must match
 * what the kernel does: a Linux number it is asked for that the table
 * lacks, or one the table marks served=none that answered something else
 * than -ENOSYS, is logged once; tests/qemu/syscall-report.sh fails on
 * such lines.
 */
static const struct ex_linux_route *
route_of(uint64_t nr)
{
	size_t lo = 0, hi = EX_LINUX_ROUTE_COUNT, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (ex_linux_routes[mid].number == nr)
			return (&ex_linux_routes[mid]);
		if (ex_linux_routes[mid].number < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (NULL);
}

static void
check_listed(uint64_t nr)
{
	static uint64_t seen[8];		/* numbers < 512 checked */

	if (nr >= 512 || (seen[nr / 64] & (1ULL << (nr % 64))))
		return;
	seen[nr / 64] |= 1ULL << (nr % 64);
	if (route_of(nr) == NULL)
		nc_warn(SYSCALL, "syscall %lu is not in abi/syscalls.def "
		    "(logged once)", nr);
}

static void
check_served(uint64_t nr, long r)
{
	static uint64_t seen[8];
	const struct ex_linux_route *rt;

	if (r == -NC_ENOSYS || nr >= 512 ||
	    (seen[nr / 64] & (1ULL << (nr % 64))))
		return;
	seen[nr / 64] |= 1ULL << (nr % 64);
	if ((rt = route_of(nr)) != NULL && (rt->flags & EX_LINUX_ROUTE_NONE))
		nc_warn(SYSCALL, "syscall %lu answered %ld but abi/syscalls.def "
		    "says served=none (logged once)", nr, r);
}

static long
linux_call(struct hal_trap_frame *tf, uint64_t nr)
{
	struct ps_proc *p = self();
	uint64_t a0 = tf->rdi, a1 = tf->rsi, a2 = tf->rdx, a3 = tf->r10;
	uint64_t a4 = tf->r8;
	bool handled = false;
	long r;

	check_listed(nr);
	/* Memory calls and memfd fds: mm_calls.c. */
	r = ex_mm_linux_call(tf, nr, &handled);
	if (handled)
		return (r);
	/* Sockets: netd's control calls and the kernel data path (net.c). */
	if ((nr >= 41 && nr <= 55) || nr == 288) {
		uint64_t na[6] = { a0, a1, a2, a3, a4, tf->r9 };

		r = ex_net_linux_call(p, nr, na, &handled);
		if (handled)
			return (r);
	}
	switch (nr) {
	case 0:		/* read */
		return (sys_read(p, a0, a1, a2));
	case 1:		/* write */
		return (sys_write(p, a0, a1, a2));
	case 2:		/* open */
		return (sys_openat(p, -100, a0, a1, a2));
	case 3:		/* close */
		return (sys_close(p, a0));
	case 5:		/* fstat */
		return (sys_fstat(p, a0, a1));
	case 4:		/* stat */
	case 6:		/* lstat */
		return (path_call(p, VFS_IPC_OP_NEWFSTATAT, a0, a1, 144, 0,
		    nr == 6 ? 0x100 : 0));
	case 262:	/* newfstatat */
		/*
		 * AT_EMPTY_PATH with "": the fd itself, whatever it is (how
		 * glibc's fstat and its dynamic loader ask), as fstat.
		 */
		if ((a3 & 0x1000) && (int)a0 != -100 && (a3 & ~0x1900ULL) == 0) {
			char c;

			if (hal_copy_from_user(&c, a1, 1) != 0)
				return (-EFAULT);
			if (c == '\0')
				return (sys_fstat(p, a0, a2));
		}
		return (path_call_at(p, (long)a0, VFS_IPC_OP_NEWFSTATAT, a1, a2,
		    144, 0, (uint32_t)a3));
	case 21:	/* access */
		return (path_call(p, VFS_IPC_OP_ACCESS, a0, 0, 0, a1, 0));
	case 269:	/* faccessat */
		return (path_call_at(p, (long)a0, VFS_IPC_OP_ACCESS, a1, 0, 0,
		    a2, 0));
	case 439:	/* faccessat2: AT_EACCESS (0x200) only */
		if ((a3 & ~(uint64_t)0x200) != 0)
			return (-NC_EINVAL);
		return (path_call_at(p, (long)a0, VFS_IPC_OP_ACCESS, a1, 0, 0,
		    a2, (a3 & 0x200) ? VFS_ACCESS_F_EACCESS : 0));
	case 89:	/* readlink */
		/* /proc/{self,<pid>}/exe: the kernel knows the image path. */
		if ((r = ps_proc_readlink_exe(p, a0, a1, a2, &handled)),
		    handled)
			return (r);
		return (path_call(p, VFS_IPC_OP_READLINKAT, a0, a1, a2, 0, 0));
	case 267:	/* readlinkat */
		if ((r = ps_proc_readlink_exe(p, a1, a2, a3, &handled)),
		    handled)
			return (r);
		return (path_call_at(p, (long)a0, VFS_IPC_OP_READLINKAT, a1, a2,
		    a3, 0, 0));
	case 80:	/* chdir */
		return (path_call(p, VFS_IPC_OP_CHDIR, a0, 0, 0, 0, 0));
	case 81: {	/* fchdir: CHDIR to "." of the directory's handle */
		struct rustos_vfs_ipc_request *rq;
		uint64_t rid;
		bool devdir;

		if ((int)a0 < 0)
			return (-EBADF);
		/* A /dev fd: the kernel keeps that cwd (dev_chdir). */
		devdir = ps_fd_at(p, (long)a0) != NULL &&
		    p->fds[(int)a0].kind == PS_FD_DEVDIR;
		if (devdir)
			return (dev_chdir(p, "", 0));
		if ((r = at_dir(p, (long)a0, ".", 1, &rid)) < 0)
			return (r);
		if ((rq = vfs_req(p, VFS_IPC_OP_CHDIR)) == NULL)
			return (-NC_ENOMEM);
		rq->path[0] = '.';
		rq->path_len = 1;
		rq->dirfd = (uint64_t)-100;
		rq->remote_id = rid;
		if ((r = meta_call(rq, 0, 0, false)) == 0)
			p->cwd_dev = false;
		return (r);
	}
	case 83:	/* mkdir */
		return (path_call(p, VFS_IPC_OP_MKDIR, a0, 0, 0,
		    a1 & 07777 & ~(uint64_t)p->umask, 0));
	case 258:	/* mkdirat */
		return (path_call_at(p, (long)a0, VFS_IPC_OP_MKDIR, a1, 0, 0,
		    a2 & 07777 & ~(uint64_t)p->umask, 0));
	case 95: {	/* umask: a process attribute kept by the kernel */
		uint32_t old = p->umask;

		p->umask = (uint32_t)a0 & 0777;
		return (old);
	}
	case 87:	/* unlink */
		return (path_call(p, VFS_IPC_OP_UNLINKAT, a0, 0, 0, 0, 0));
	case 84:	/* rmdir */
		return (path_call(p, VFS_IPC_OP_UNLINKAT, a0, 0, 0, 0, 0x200));
	case 263:	/* unlinkat */
		return (path_call_at(p, (long)a0, VFS_IPC_OP_UNLINKAT, a1, 0, 0,
		    0, (uint32_t)a2));
	case 88:	/* symlink */
		return (symlink_call(p, a0, -100, a1));
	case 266:	/* symlinkat */
		return (symlink_call(p, a0, (long)a1, a2));
	case 82:	/* rename */
		return (rename_call(p, -100, a0, -100, a1, 0));
	case 264:	/* renameat */
		return (rename_call(p, (long)a0, a1, (long)a2, a3, 0));
	case 316:	/* renameat2 */
		return (rename_call(p, (long)a0, a1, (long)a2, a3, a4));
	case 18: {	/* pwrite64 */
		struct ps_fd *f = ps_fd_at(p, a0);

		if (f == NULL)
			return (-EBADF);
		if (f->kind != PS_FD_REMOTE)	/* ESPIPE; bootfs is read-only */
			return (f->kind == PS_FD_BOOTFS ? -EBADF : -29);
		return (remote_write(p, f, a1, a2, a3, false));
	}
	case 77: {	/* ftruncate */
		struct ps_fd *f = ps_fd_at(p, a0);
		struct rustos_vfs_ipc_request *rq;
		long r;

		if (f == NULL)
			return (-EBADF);
		if (f->kind != PS_FD_REMOTE)
			return (-NC_EINVAL);
		if ((rq = vfs_req(p, VFS_IPC_OP_FTRUNCATE)) == NULL)
			return (-NC_ENOMEM);
		rq->remote_id = f->remote_id;
		rq->arg0 = a1;
		if ((r = meta_call(rq, 0, 0, false)) == 0)
			f->size = a1;
		return (r);
	}
	case 332:	/* statx */
		/* STATX__RESERVED, unknown flags, sync type 3: as vfsd. */
		if ((a3 & 0x80000000u) || (a2 & ~0x7900ULL) ||
		    (a2 & 0x6000u) == 0x6000u)
			return (-NC_EINVAL);
		/* The fd itself (AT_EMPTY_PATH, ""): pipes and devices too. */
		if ((r = empty_path_fd((long)a0, a1, a2)) != 0)
			return (r < 0 ? r : statx_fd(p, a0, a4));
		return (path_call_at(p, (long)a0, VFS_IPC_OP_STATX, a1, a4, 256,
		    a3, (uint32_t)a2));
	case 90:	/* chmod */
	case 268:	/* fchmodat(dirfd, path, mode) */
		if (ps_is_policy(p))
			return (-30);		/* EROFS: bootfs is read-only */
		return (nr == 90 ? path_call(p, VFS_IPC_OP_CHMOD, a0, 0, 0, a1,
		    0) : path_call_at(p, (long)a0, VFS_IPC_OP_CHMOD, a1, 0, 0,
		    a2, 0));
	case 91: {	/* fchmod */
		struct ps_fd *f = ps_fd_at(p, a0);
		struct rustos_vfs_ipc_request *rq;

		if (f == NULL)
			return (-EBADF);
		if (f->kind == PS_FD_BOOTFS)
			return (-30);		/* EROFS */
		if (f->kind != PS_FD_REMOTE)
			return (0);	/* pipes, console: no mode is kept */
		if ((rq = vfs_req(p, VFS_IPC_OP_CHMOD)) == NULL)
			return (-NC_ENOMEM);
		rq->remote_id = f->remote_id;
		rq->arg0 = a1 & 07777;
		return (meta_call(rq, 0, 0, false));
	}
	case 92:	/* chown */
	case 94:	/* lchown */
		return (chown_call(p, -100, a0, a1, a2, nr == 94 ? 0x100 : 0));
	case 260:	/* fchownat(dirfd, path, uid, gid, flags) */
		return (chown_call(p, (long)a0, a1, a2, a3, a4));
	case 93:	/* fchown */
		return (fchown_fd(p, a0, a1, a2));
	case 165:	/* mount */
		return (sys_mount(p, a0, a1, a2, a3, false));
	case 166:	/* umount2 */
		return (sys_mount(p, 0, a0, 0, a1, true));
	case 79:	/* getcwd */
		return (sys_getcwd(p, a0, a1));
	case 8:		/* lseek */
		return (sys_lseek(p, a0, (int64_t)a1, a2));
	case 16:	/* ioctl: devices through devmgrd (devfs.c) */
		return (ex_dev_ioctl(p, a0, a1, a2));
	case 17: {	/* pread64 */
		struct ps_fd *f = ps_fd_at(p, a0);

		if (f == NULL)
			return (-EBADF);
		if (f->kind == PS_FD_REMOTE)
			return (remote_read(p, f, VFS_IPC_OP_PREAD64, a1, a2, a3,
			    false));
		if (f->kind != PS_FD_BOOTFS)
			return (-ESPIPE);
		return (bootfs_read(f, a1, a2, a3, false));
	}
	case 217: {	/* getdents64 */
		struct ps_fd *f = ps_fd_at(p, a0);

		if (f == NULL)
			return (-EBADF);
		if (f->kind == PS_FD_DEVDIR)
			return (ex_dev_getdents(p, f, a1, a2));
		if (f->kind != PS_FD_REMOTE || f->remote_kind != 2)
			return (-20);		/* ENOTDIR */
		return (remote_read(p, f, VFS_IPC_OP_GETDENTS64, a1, a2,
		    f->offset, true));
	}
	case 19:	/* readv */
		return (sys_readv(p, a0, a1, a2));
	case 20:	/* writev */
		return (sys_writev(p, a0, a1, a2));
	case 24:	/* sched_yield */
		ps_yield_to_others();
		return (0);
	case 35:	/* nanosleep(req, rem) */
		return (ps_clock_nanosleep(self(), 0, 0, a0, a1));
	case 39:	/* getpid */
		return (p->pid);
	case 60:	/* exit: this thread */
	case 231:	/* exit_group: every thread */
		proc_exit(p, (int)((a0 & 0xff) << 8), nr == 231);
	case 61:	/* wait4 */
		return (ps_proc_wait4((long)a0, a1, (int)a2, a3));
	case 72:	/* fcntl */
		return (ps_fd_fcntl(p, a0, a1, a2));
	case 110:	/* getppid */
		return (p->ppid);
	case 158:	/* arch_prctl */
		if (a0 == 0x1002) {		/* ARCH_SET_FS */
			if (!mm_user_range_ok(a1, 0))
				return (-EFAULT);
			ps_current_set_fs_base(a1);
			return (0);
		}
		if (a0 == 0x1003) {		/* ARCH_GET_FS */
			uint64_t fs = ps_current_fs_base();

			return (hal_copy_to_user(a1, &fs, 8) != 0 ? -EFAULT :
			    0);
		}
		return (-NC_EINVAL);
	case 228:	/* clock_gettime */
		return (sys_clock_gettime(a0, a1));
	case 229:	/* clock_getres */
		return (sys_clock_getres(a0, a1));
	case 96:	/* gettimeofday */
		return (sys_gettimeofday(a0, a1));
	case 201:	/* time */
		return (sys_time(a0));
	case 309:	/* getcpu */
		return (sys_getcpu(a0, a1));
	case 257:	/* openat */
		return (sys_openat(p, (long)a0, a1, a2, a3));
	}
	/* Credentials, limits, uname, getrandom: syscalld's policy. */
	r = ex_linux_policy_call(p, tf, nr, &handled);
	if (handled)
		return (r);
	/* Process calls (pipes, dup, fork, exec, signals): kernel/ps. */
	r = ps_linux_proc_call(tf, nr, &handled);
	if (handled)
		return (r);
	/* Thread calls (futex, gettid, robust lists): kernel/ps. */
	r = ps_thread_call(tf, nr, &handled);
	if (handled)
		return (r);
	log_enosys(nr);
	return (-NC_ENOSYS);
}

/* ---- private calls implemented here ---- */

static const char *const spawn_allow[] = {
	"/services/syscalld/syscalld.elf",
	"/services/vfsd/vfsd.elf",
	"/services/loaderd/loaderd.elf",
	"/services/procd/procd.elf",
	"/services/initd/initd.elf",
};
static bool spawned_once[NC_ARRAY_SIZE(spawn_allow)];

long
ex_sys_spawn_exec(uint64_t upath, uint64_t path_len, uint64_t uargs,
    uint64_t args_len, uint64_t a4, uint64_t a5)
{
	char path[64], *args;
	size_t k, items;
	unsigned i;
	long r;

	if (path_len == 0 || path_len >= sizeof(path) || args_len == 0 ||
	    args_len > 1024)
		return (-EACCES);
	if (hal_copy_from_user(path, upath, path_len) != 0)
		return (-EFAULT);
	path[path_len] = '\0';
	for (i = 0; i < NC_ARRAY_SIZE(spawn_allow); i++)
		if (strlen(spawn_allow[i]) == path_len &&
		    memcmp(spawn_allow[i], path, path_len) == 0)
			break;
	if (i == NC_ARRAY_SIZE(spawn_allow) || spawned_once[i])
		return (-EACCES);
	args = mm_kmalloc(args_len);
	if (args == NULL)
		return (-NC_ENOMEM);
	if (hal_copy_from_user(args, uargs, args_len) != 0) {
		mm_kfree(args);
		return (-EFAULT);
	}
	/* NUL-separated argv, NUL-terminated, at most 32 items. */
	for (k = 0, items = 0; k < args_len; k++)
		if (args[k] == '\0')
			items++;
	if (args[args_len - 1] != '\0' || items > 32) {
		mm_kfree(args);
		return (-NC_EINVAL);
	}
	r = ps_proc_spawn_bootfs(path, path_len, args, args_len, self()->pid);
	mm_kfree(args);
	if (r > 0)
		spawned_once[i] = true;
	return (r);
}

long
ex_sys_proc_prepare_broker(uint64_t a0, uint64_t a1, uint64_t a2,
    uint64_t a3, uint64_t a4, uint64_t a5)
{
	return (ps_build_prepare(a0));
}

long
ex_sys_proc_map_zeroed_broker(uint64_t a0, uint64_t a1, uint64_t a2,
    uint64_t a3, uint64_t a4, uint64_t a5)
{
	return (ps_build_map(a0, false));
}

long
ex_sys_proc_map_data_broker(uint64_t a0, uint64_t a1, uint64_t a2,
    uint64_t a3, uint64_t a4, uint64_t a5)
{
	return (ps_build_map(a0, true));
}

long
ex_sys_proc_set_linux_runtime_broker(uint64_t a0, uint64_t a1, uint64_t a2,
    uint64_t a3, uint64_t a4, uint64_t a5)
{
	return (ps_build_set_runtime(a0));
}

long
ex_sys_proc_commit_broker(uint64_t a0, uint64_t a1, uint64_t a2,
    uint64_t a3, uint64_t a4, uint64_t a5)
{
	return (ps_build_commit(a0));
}

long
ex_sys_proc_abort_broker(uint64_t a0, uint64_t a1, uint64_t a2,
    uint64_t a3, uint64_t a4, uint64_t a5)
{
	return (ps_build_abort(a0));
}

/*
 * The *_METADATA calls: path and buffers are checked here (-EFAULT),
 * the answer comes from vfsd (-EAGAIN while it is absent).
 */
static long
meta_path(uint64_t upath, uint64_t len, struct rustos_vfs_ipc_request *rq)
{
	char *buf;
	long r;

	if (len == 0 || len > PATH_MAX_K - 1)
		return (len == 0 ? -NC_ENOENT : -ENAMETOOLONG);
	rq->dirfd = (uint64_t)-100;
	if (len <= VFS_IPC_PATH_MAX) {
		if (hal_copy_from_user(rq->path, upath, len) != 0)
			return (-EFAULT);
		rq->path_len = (uint32_t)len;
		return (0);
	}
	/* Longer than path[]: staged (kernel/ps/vfs_path.c). */
	if ((buf = mm_kmalloc(len)) == NULL)
		return (-NC_ENOMEM);
	r = hal_copy_from_user(buf, upath, len) != 0 ? -EFAULT :
	    ps_vfs_put_paths(self(), rq, buf, len, NULL, 0);
	mm_kfree(buf);
	return (r);
}

/* Forward rq; copy up to out_cap payload bytes to uout; returns status. */
static long
meta_call(struct rustos_vfs_ipc_request *rq, uint64_t uout, uint64_t out_cap,
    bool payload_result)
{
	struct rustos_vfs_ipc_response *rs;
	long r;
	size_t n;

	r = vfs_call(self(), rq, &rs);
	if (r >= 0 && uout != 0) {
		n = rs->payload_len < out_cap ? rs->payload_len : out_cap;
		if (hal_copy_to_user(uout, rs->payload, n) != 0)
			r = -EFAULT;
		else if (payload_result)
			r = (long)n;
	}
	mm_kfree(rs);
	return (r);
}

static long
meta_prepare(uint16_t op, uint64_t upath, uint64_t len, uint64_t uout,
    uint64_t out_cap, struct rustos_vfs_ipc_request **out)
{
	struct rustos_vfs_ipc_request *rq;
	long r;

	if (out_cap > VFS_IPC_RESP_PAYLOAD_MAX)
		out_cap = VFS_IPC_RESP_PAYLOAD_MAX;
	if (uout != 0 || out_cap != 0)
		if (!mm_user_range_ok(uout, out_cap) || uout == 0)
			return (-EFAULT);
	if ((rq = vfs_req(self(), op)) == NULL)
		return (-NC_ENOMEM);
	if (upath != 0 || len != 0 || op != VFS_IPC_OP_GETCWD) {
		if ((r = meta_path(upath, len, rq)) != 0) {
			mm_kfree(rq);
			return (r);
		}
	}
	*out = rq;
	return (0);
}

long
ex_sys_stat_metadata(uint64_t path, uint64_t len, uint64_t out, uint64_t cap,
    uint64_t a4, uint64_t a5)
{
	struct rustos_vfs_ipc_request *rq;
	long r;

	if ((r = meta_prepare(VFS_IPC_OP_NEWFSTATAT, path, len, out, cap,
	    &rq)) != 0)
		return (r);
	return (meta_call(rq, out, cap, false));
}

long
ex_sys_statx_metadata(uint64_t dirfd, uint64_t path, uint64_t len,
    uint64_t flags, uint64_t mask, uint64_t out)
{
	struct rustos_vfs_ipc_request *rq;
	long r;

	if ((r = meta_prepare(VFS_IPC_OP_STATX, path, len, out, 256, &rq)) != 0)
		return (r);
	rq->flags = (uint32_t)flags;
	rq->arg0 = mask;
	return (meta_call(rq, out, 256, false));
}

long
ex_sys_access_metadata(uint64_t path, uint64_t len, uint64_t mode,
    uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct rustos_vfs_ipc_request *rq;
	long r;

	if ((r = meta_prepare(VFS_IPC_OP_ACCESS, path, len, 0, 0, &rq)) != 0)
		return (r);
	rq->arg0 = mode;
	return (meta_call(rq, 0, 0, false));
}

long
ex_sys_readlink_metadata(uint64_t path, uint64_t len, uint64_t buf,
    uint64_t cap, uint64_t a4, uint64_t a5)
{
	struct rustos_vfs_ipc_request *rq;
	long r;

	if ((r = meta_prepare(VFS_IPC_OP_READLINKAT, path, len, buf, cap,
	    &rq)) != 0)
		return (r);
	rq->arg1 = cap;
	return (meta_call(rq, buf, cap, true));
}

long
ex_sys_getcwd_metadata(uint64_t buf, uint64_t cap, uint64_t a2, uint64_t a3,
    uint64_t a4, uint64_t a5)
{
	struct rustos_vfs_ipc_request *rq;
	long r;

	if (cap == 0)
		return (-NC_EINVAL);
	if ((r = meta_prepare(VFS_IPC_OP_GETCWD, 0, 0, buf, cap, &rq)) != 0)
		return (r);
	rq->arg1 = cap;
	return (meta_call(rq, buf, cap, true));
}

long
ex_sys_chdir_metadata(uint64_t path, uint64_t len, uint64_t a2, uint64_t a3,
    uint64_t a4, uint64_t a5)
{
	struct rustos_vfs_ipc_request *rq;
	long r;

	if ((r = meta_prepare(VFS_IPC_OP_CHDIR, path, len, 0, 0, &rq)) != 0)
		return (r);
	if ((r = meta_call(rq, 0, 0, false)) == 0)
		self()->cwd_dev = false;
	return (r);
}

/* syscalld's offload endpoint (gate LINUX_SYSCALL_POLICY). */
static uint64_t linux_offload_ep;

long
ex_sys_ipc_register_linux_syscall_endpoint(uint64_t ep, uint64_t a1,
    uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	if (ep == 0 || ep > PS_MAX_HANDLES || self()->handles[ep - 1] == NULL)
		return (-EBADF);
	linux_offload_ep = ep;
	return (0);
}

long
ex_sys_bootfs_broker(uint64_t uargs, uint64_t a1, uint64_t a2, uint64_t a3,
    uint64_t a4, uint64_t a5)
{
	struct rustos_bootfs_broker_args a;
	const char *name;
	const uint8_t *data;
	uint64_t size;
	char path[BOOTFS_PATH_MAX];
	long idx, n;

	if (hal_copy_from_user(&a, uargs, sizeof(a)) != 0)
		return (-EFAULT);
	switch (a.op) {
	case BOOTFS_BROKER_OP_LIST:
		if (io_bootfs_entry((unsigned)(a.index < 0xffffffffULL ?
		    a.index : 0xffffffffULL), &name, NULL, &size) != 0)
			return (-NC_ENOENT);
		n = (long)strlen(name);
		if ((uint64_t)n + 1 > a.buf_len)
			return (-NC_ERANGE);
		if (hal_copy_to_user(a.buf_ptr, name, (size_t)n + 1) != 0)
			return (-EFAULT);
		a.value = size;
		break;
	case BOOTFS_BROKER_OP_STAT:
		if (a.path_len == 0 || a.path_len >= sizeof(path))
			return (-NC_EINVAL);
		if (hal_copy_from_user(path, a.path_ptr, a.path_len) != 0)
			return (-EFAULT);
		if ((idx = io_bootfs_lookup(path, a.path_len)) < 0)
			return (idx);
		io_bootfs_entry((unsigned)idx, NULL, NULL, &size);
		a.value = (uint64_t)idx;
		a.value2 = size;
		n = 0;
		break;
	case BOOTFS_BROKER_OP_READ:
		if (a.buf_len > BOOTFS_READ_MAX)
			return (-NC_EINVAL);
		if (io_bootfs_entry((unsigned)(a.index < 0xffffffffULL ?
		    a.index : 0xffffffffULL), NULL, &data, &size) != 0)
			return (-NC_ENOENT);
		if (a.offset >= size)
			return (0);
		n = (long)(size - a.offset < a.buf_len ? size - a.offset :
		    a.buf_len);
		if (hal_copy_to_user(a.buf_ptr, data + a.offset, (size_t)n) != 0)
			return (-EFAULT);
		return (n);
	default:
		return (-NC_EINVAL);
	}
	if (hal_copy_to_user(uargs, &a, sizeof(a)) != 0)
		return (-EFAULT);
	return (a.op == BOOTFS_BROKER_OP_LIST ? n : 0);
}

/* ---- dispatch ---- */

static long
private_call(struct hal_trap_frame *tf, uint64_t nr)
{
	const struct ex_syscall_entry *e;
	struct ps_proc *p = self();
	uint64_t idx = nr - RUSTOS_SYSCALL_PRIVATE_BASE;

	if (idx >= EX_SYSCALL_PRIVATE_COUNT)
		goto nosys;
	e = &ex_syscall_table[idx];
	switch (e->gate) {
	case EX_SYSCALL_GATE_ANY:
		break;
	case EX_SYSCALL_GATE_ROOTD:
		if (!p->bootstrap)
			return (-EACCES);
		break;
	case EX_SYSCALL_GATE_CAP:
		if ((p->caps & e->cap_mask) == 0)
			return (-EACCES);
		break;
	default:
		goto nosys;
	}
	if (e->handler == NULL)
		goto nosys;
	return (e->handler(tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9));
nosys:
	log_enosys(nr);
	return (-NC_ENOSYS);
}

/*
 * Syscall robustness self test: `iters` calls with random numbers (Linux
 * range, the private table and wild values) and arguments drawn from
 * valid user pages, unmapped user addresses, kernel addresses, 0 and odd
 * lengths, made by a detached process (no fds) with capability bits
 * `caps`.  Calls that exit or may block for seconds are skipped.  The
 * test passes by returning at all: no argument may fault the kernel.
 * Returns the number of calls made.
 */
static uint64_t fuzz_state;

static uint64_t
fuzz_rand(void)
{
	fuzz_state ^= fuzz_state << 13;
	fuzz_state ^= fuzz_state >> 7;
	fuzz_state ^= fuzz_state << 17;
	return (fuzz_state);
}

static uint64_t
fuzz_arg(void)
{
	static const uint64_t fixed[] = {
		0, 1, 8, 64, 4096, 65536, 1UL << 20, ~0UL, 1UL << 40,
		0x1000, MM_USER_BASE, MM_USER_END - 1, MM_USER_END,
		0xffff800000000000UL, 0xffffffff80000000UL, (uint64_t)-14,
	};
	uint64_t r = fuzz_rand();

	switch (r % 4) {
	case 0:
		return (fixed[(r >> 8) % NC_ARRAY_SIZE(fixed)]);
	case 1:		/* inside the valid pages */
		return (PS_FUZZ_VA + (r >> 8) % (4 * MM_PAGE_SIZE));
	case 2:		/* near the end of the valid pages */
		return (PS_FUZZ_VA + 4 * MM_PAGE_SIZE - (r >> 8) % 64);
	default:
		return (r >> (r % 48));
	}
}

static bool
fuzz_skip(uint64_t nr)
{
	switch (nr) {
	case 35: case 60: case 231: case 230:	/* sleeps and exits */
	/*
	 * Calls that may rightly block for ever (a read of an empty pipe or
	 * of the console, wait4, pause, sigsuspend, futex wait, poll) or that
	 * copy or replace the caller (fork, clone, execve): the fuzz process
	 * is not a real process that can be woken or killed.  Dedicated
	 * tests (abitest, psuite, fsuite) exercise them.
	 */
	case 0: case 1: case 7: case 16: case 17: case 18: case 19: case 20:
	case 23: case 34: case 56: case 57: case 58: case 59: case 61:
	case 62: case 130: case 200: case 202: case 234: case 247: case 270:
	case 271: case 295: case 296: case 322:
	case SYS_RUSTOS_DEBUG_PRINT:		/* would print garbage */
	case SYS_RUSTOS_IPC_CALL: case SYS_RUSTOS_IPC_RECV:
	case SYS_RUSTOS_IPC_CALL_WITH_HANDLES:
	case SYS_RUSTOS_IPC_RECV_WITH_HANDLES:	/* bounded, but 5 s */
	case SYS_RUSTOS_BLOCK_BROKER:
	case SYS_RUSTOS_STORAGE_LIST_BROKER:	/* real disk probe and I/O */
		return (true);
	}
	return (false);
}

unsigned long
ex_syscall_fuzz(unsigned iters, uint64_t seed, uint64_t caps)
{
	struct hal_trap_frame tf;
	struct ps_proc *p;
	unsigned long calls = 0;
	unsigned i;
	uint64_t nr, r;

	fuzz_state = seed | 1;
	if ((p = ps_proc_fuzz_begin(caps, 4)) == NULL)
		return (0);
	for (i = 0; i < iters; i++) {
		r = fuzz_rand();
		switch (r % 3) {
		case 0:
			nr = (r >> 8) % 400;
			break;
		case 1:
			nr = RUSTOS_SYSCALL_PRIVATE_BASE + (r >> 8) % 64;
			break;
		default:
			nr = fuzz_rand();
			break;
		}
		if (fuzz_skip(nr))
			continue;
		memset(&tf, 0, sizeof(tf));
		tf.rdi = fuzz_arg();
		tf.rsi = fuzz_arg();
		tf.rdx = fuzz_arg();
		tf.r10 = fuzz_arg();
		tf.r8 = fuzz_arg();
		tf.r9 = fuzz_arg();
		if (nr >= RUSTOS_SYSCALL_PRIVATE_BASE &&
		    nr <= RUSTOS_SYSCALL_PRIVATE_BASE + 0xffff)
			(void)private_call(&tf, nr);
		else
			(void)linux_call(&tf, nr);
		calls++;
	}
	ps_proc_fuzz_end(p);
	return (calls);
}

static void
on_syscall(struct hal_trap_frame *tf)
{
	uint64_t nr = tf->rax;

	/* Kept for a restart after a signal (ps_signal_deliver). */
	tf->error = nr;
	hal_sti();
	if (nr >= RUSTOS_SYSCALL_PRIVATE_BASE &&
	    nr <= RUSTOS_SYSCALL_PRIVATE_BASE + 0xffff)
		tf->rax = (uint64_t)private_call(tf, nr);
	else {
		tf->rax = (uint64_t)linux_call(tf, nr);
		check_served(nr, (long)tf->rax);
	}
	hal_cli();
}

static void on_user_return(struct hal_trap_frame *tf);

static void
on_user_fault(struct hal_trap_frame *tf)
{
	struct ps_proc *p = self();
	uint64_t cr2 = hal_read_cr2();
	int sig;

	if (p == NULL)
		hal_panic_frame(tf, "user-mode exception %lu without a process",
		    tf->vector);
	switch (tf->vector) {
	case 0: case 16: case 19:
		sig = 8; break;		/* SIGFPE: #DE, x87 #MF, SIMD #XM */
	case 1: case 3:
		sig = 5; break;		/* SIGTRAP: #DB, int3 */
	case 6: sig = 4; break;		/* SIGILL */
	case 14:
		/*
		 * Demand paging and copy-on-write first (mm_calls.c); else
		 * SIGSEGV (MAPERR/ACCERR in the P bit) or SIGBUS (no frame).
		 */
		if ((sig = ex_mm_user_fault(p, tf, cr2)) == 0) {
			on_user_return(tf);
			hal_enter_user(tf);
		}
		break;
	case 12: case 17:
		sig = 7; break;		/* SIGBUS: #SS, #AC */
	default: sig = 11; break;	/* SIGSEGV */
	}
	/* A handler takes it: resume in user mode at the handler frame. */
	if (ps_signal_fault(tf, sig, cr2))
		hal_enter_user(tf);
	nc_warn(PROCESS, "process %ld (%s) killed: exception %lu at rip 0x%lx "
	    "cr2 0x%lx error 0x%lx", p->pid, p->name, tf->vector, tf->rip,
	    hal_read_cr2(), tf->error);
	nc_debugcon_printf("kernel: process %ld (%s) killed by signal %d "
	    "(exception %lu at 0x%lx)\n", p->pid, p->name, sig, tf->vector,
	    tf->rip);
	hal_sti();
	proc_exit(p, sig, true);
}

static void
on_user_return(struct hal_trap_frame *tf)
{
	int sig;

	/* Signals: push a handler frame, or a default action ends us. */
	if (self() != NULL && (sig = ps_signal_deliver(tf)) != 0) {
		hal_sti();
		proc_exit(self(), sig, true);
	}
	ps_cond_resched();
}

static const struct hal_user_hooks hooks = {
	on_syscall, on_user_fault, on_user_return, ex_mm_copy_fault,
};

void
ex_user_init(void)
{
	io_bootfs_init();
	io_tty_init();
	hal_user_init(&hooks);
}
