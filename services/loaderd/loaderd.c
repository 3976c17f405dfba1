/*
 * loaderd.c -- executable image policy (IPC_SERVICE_LOADERD): serves
 * LOADER_IPC_OP_SPAWN.  A launch reads the executable through the
 * bootstrap VFS path (kernel-direct file syscalls on the boot modules,
 * allowed to policy services for their own needs, so loaderd never
 * depends on vfsd); an execve reads the file the kernel opened for the
 * caller through PROC_EXEC_FILE_BROKER and the exec ticket.  The image is
 * validated completely (a non-regular file is EACCES, an empty or corrupt
 * one ENOEXEC) before the process is built with the PROC_* brokers as
 * docs/ai/bootstrap.md "Process build (loaderd)" describes.
 *
 * A dynamic program's PT_INTERP interpreter comes the same way as the
 * program: through the ticket (the kernel opens it for the caller,
 * INTERP_OPEN) or, for a launch, by path.  As Linux: a missing one is
 * ENOENT, a corrupt one ELIBBAD (EIO when shorter than an ELF header).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rustos/ipc.h>
#include <rustos/loader.h>
#include <rustos/proc_broker.h>
#include <rustos/syscalls.h>

#include "services/common/svc.h"
#include "services/loaderd/build.h"
#include "services/loaderd/elf.h"
#include "services/loaderd/request.h"

#define IMAGE_MAX	(16u << 20)

static long
read_image(const char *path, unsigned char **out, size_t *size)
{
	struct stat st;
	unsigned char *buf;
	size_t got = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EACCES;
	}
	if (st.st_size <= 0 || (uint64_t)st.st_size > IMAGE_MAX) {
		close(fd);
		return st.st_size <= 0 ? -ENOEXEC : -EFBIG;
	}
	buf = malloc((size_t)st.st_size);
	if (buf == NULL) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got != (size_t)st.st_size) {
		free(buf);
		return -EIO;
	}
	*out = buf;
	*size = got;
	return 0;
}

/*
 * The executable of an execve, through the ticket.  -ENOENT from INFO:
 * the kernel holds no file (a service's exec of a boot module): read by
 * path instead.
 */
/*
 * The stack of an exec'd image follows the caller's soft RLIMIT_STACK:
 * page-rounded, at least 128 KiB, at most LOADER_STACK_MAX (the kernel's
 * bound; pages come on first touch); "unlimited" or unset: the default.
 */
#define LOADER_STACK_MIN	(128u << 10)
#define LOADER_STACK_MAX	(32u << 20)

static uint64_t
stack_for(uint64_t limit)
{
	if (limit == 0 || limit == ~0ULL)
		return 0;
	if (limit < LOADER_STACK_MIN)
		return LOADER_STACK_MIN;
	if (limit > LOADER_STACK_MAX)
		return LOADER_STACK_MAX;
	return (limit + 4095) & ~4095ULL;
}

/*
 * Read the ticket's executable (interp 0) or the interpreter the kernel
 * opened for it (interp 1, after INTERP_OPEN).  stack: the exec'd
 * image's stack size (the executable only).
 */
static long
read_ticket_file(uint64_t ticket, int interp, unsigned char **out,
    size_t *size, uint64_t *stack)
{
	struct rustos_proc_exec_file_args a;
	unsigned char *buf;
	size_t got = 0;
	long r;

	memset(&a, 0, sizeof(a));
	a.ticket = ticket;
	a.op = interp ? PROC_EXEC_FILE_OP_INTERP_INFO : PROC_EXEC_FILE_OP_INFO;
	if ((r = rustos_sys_proc_exec_file_broker(&a)) < 0)
		return r;
	if (stack != NULL)
		*stack = stack_for(a.stack_limit);
	/*
	 * Not a regular file: EACCES.  The x permission is vfsd's call (FAT
	 * keeps no x bits, its ACCESS grants X_OK): the kernel asked it for
	 * the path forms before the exec started.
	 */
	if (!S_ISREG(a.mode))
		return -EACCES;
	if (a.size == 0 && !interp)
		return -ENOEXEC;
	if (a.size > IMAGE_MAX)
		return -EFBIG;
	/* An empty interpreter: lelf_parse_interp says what is wrong. */
	if ((buf = malloc((size_t)a.size + 1)) == NULL)
		return -ENOMEM;
	while (got < a.size) {
		a.op = interp ? PROC_EXEC_FILE_OP_INTERP_READ :
		    PROC_EXEC_FILE_OP_READ;
		a.offset = got;
		a.buf_ptr = (uint64_t)(uintptr_t)(buf + got);
		a.buf_len = a.size - got < PROC_EXEC_FILE_READ_MAX ?
		    a.size - got : PROC_EXEC_FILE_READ_MAX;
		r = rustos_sys_proc_exec_file_broker(&a);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (got != a.size) {
		free(buf);
		return r < 0 ? r : -EIO;
	}
	*out = buf;
	*size = got;
	return 0;
}

/*
 * The interpreter e names, into *iimg and *ie: opened for the execve's
 * caller through the ticket, or (a launch, a policy caller's exec) read
 * by path like the program was.
 */
static long
load_interp(uint64_t ticket, int by_path, const struct lelf_image *e,
    unsigned char **iimg, struct lelf_image *ie)
{
	struct rustos_proc_exec_file_args a;
	const char *why;
	size_t size = 0;
	long r;

	if (by_path)
		r = read_image(e->interp, iimg, &size);
	else {
		memset(&a, 0, sizeof(a));
		a.ticket = ticket;
		a.op = PROC_EXEC_FILE_OP_INTERP_OPEN;
		a.buf_ptr = (uint64_t)(uintptr_t)e->interp;
		a.buf_len = strlen(e->interp);
		r = rustos_sys_proc_exec_file_broker(&a);
		if (r == 0)
			r = read_ticket_file(ticket, 1, iimg, &size, NULL);
	}
	if (r < 0) {
		svc_log(SVC_LOG_WARN, "interpreter %s: cannot read: %ld",
		    e->interp, r);
		return r;
	}
	if ((r = lelf_parse_interp(*iimg, size, ie, &why)) < 0) {
		svc_log(SVC_LOG_WARN, "interpreter %s: not loadable: %s",
		    e->interp, why);
		free(*iimg);
		*iimg = NULL;
	}
	return r;
}

static const struct loader_brokers real_brokers = {
	rustos_sys_proc_prepare_broker,
	rustos_sys_proc_map_data_broker,
	rustos_sys_proc_map_zeroed_broker,
	rustos_sys_proc_set_linux_runtime_broker,
	rustos_sys_proc_commit_broker,
	rustos_sys_proc_abort_broker,
	rustos_sys_proc_exec_target_broker,
};

static long
h_spawn(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	const struct rustos_loader_spawn_request *q = req;
	struct rustos_loader_spawn_response *o = resp;
	char path[LOADER_EXEC_PATH_MAX];
	struct lelf_image e, ie;
	unsigned char *img = NULL, *iimg = NULL;
	const char *why;
	size_t size = 0;
	uint64_t e_stack = 0;
	int by_path = 0;
	long r;

	/*
	 * Launchers only (rootd, initd, procd's exec path: system senders,
	 * IPC_SENDER_FLAG_SYSTEM).  An app -- a confined linux-runtime one
	 * above all -- must not have an image program started for it with
	 * the system profile; it runs programs by fork and execve.
	 */
	if (!(svc_sender_flags & IPC_SENDER_FLAG_SYSTEM)) {
		svc_log(SVC_LOG_WARN, "spawn refused: sender is no launcher");
		return -EACCES;
	}
	if (loader_check_request(q, &why) < 0) {
		svc_log(SVC_LOG_WARN, "spawn request refused: %s", why);
		return -EINVAL;
	}
	memcpy(path, q->exec_path, q->exec_path_len);
	path[q->exec_path_len] = '\0';
	r = -ENOENT;
	if (q->flags & LOADER_SPAWN_FLAG_EXEC)
		r = read_ticket_file(q->console_session, 0, &img, &size,
		    &e_stack);
	if (r == -ENOENT && path[0] == '/') {
		r = read_image(path, &img, &size);
		by_path = 1;
	}
	if (r < 0) {
		svc_log(SVC_LOG_WARN, "%s: cannot read: %ld", path, r);
		return r;
	}
	r = lelf_parse(img, size, &e, &why);
	if (r < 0) {
		svc_log(SVC_LOG_WARN, "%s: not loadable: %s", path, why);
		free(img);
		return r;
	}
	e.stack_size = e_stack;
	if (e.interp[0] != '\0' && (r = load_interp(q->console_session,
	    by_path, &e, &iimg, &ie)) < 0) {
		free(img);
		return r;
	}
	r = loader_build(&real_brokers, q, img, &e, iimg,
	    iimg != NULL ? &ie : NULL);
	free(img);
	free(iimg);
	if (r < 0) {
		svc_log(SVC_LOG_WARN, "%s: process build failed: %ld", path, r);
		return r;
	}
	svc_log(SVC_LOG_INFO, "launched %s pid=%ld", path, r);
	o->status = 0;
	o->pid = (uint64_t)r;
	/* A new session's id is its leader's pid; else none of its own. */
	o->session_handle = q->flags & LOADER_SPAWN_FLAG_NEW_SESSION ?
	    (uint64_t)r : 0;
	return (long)sizeof(*o);
}

static long
h_ping(void *ctx, const void *req, size_t len, void *resp, size_t cap)
{
	return svc_status_reply(resp, cap, RUSTOS_SERVICE_OP_PING, 0);
}

static const struct svc_op ops[] = {
	{ RUSTOS_SERVICE_OP_PING, 1, 8, 8, 16, h_ping, 0 },
	{ LOADER_IPC_OP_SPAWN, 0, sizeof(struct rustos_loader_spawn_request),
	    sizeof(struct rustos_loader_spawn_request),
	    sizeof(struct rustos_loader_spawn_response), h_spawn, 0 },
};

static const struct svc_table table = {
	"loaderd", IPC_SERVICE_LOADERD, LOADER_IPC_ABI_VERSION,
	ops, sizeof(ops) / sizeof(ops[0]),
	0	/* requests act for no other pid */
};

int
main(int argc, char **argv)
{
	svc_parse_args(argc, argv);
	/* SPAWN checks who sent it (IPC_SENDER_FLAG_SYSTEM). */
	svc_want_sender = 1;
	return svc_serve(&table, NULL, NULL, NULL) < 0 ? 1 : 0;
}
