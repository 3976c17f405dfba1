/*
 * svc.h -- services/common: the request loop shared by the musl services
 * (register the endpoint, receive, validate, dispatch, reply) and the
 * structured logging client.
 *
 * Every protocol of a service puts u16 version at offset 0, u16 op at 2 and,
 * in replies, i32 status at 4 (service.h framing, loader.h, vfs.h and
 * offload.h all agree), so one validator and one error reply fit them all.
 * Only the generic framing (PING and ops >= RUSTOS_SERVICE_OP_FIRST_SPECIFIC
 * of rustos_service_request_header) also carries a u32 length at offset 4
 * that must equal the received byte count.
 */
#ifndef SERVICES_COMMON_SVC_H
#define SERVICES_COMMON_SVC_H

#include <stddef.h>
#include <stdint.h>

#include <rustos/ipc.h>
#include <rustos/service.h>

/*
 * Receive buffer: the largest message IPC carries, so no request can be
 * too big to receive (and answer).
 */
#define SVC_MAX_REQUEST	IPC_MAX_MESSAGE_BYTES
/* Reply buffer: a VFS READ reply is the largest. */
#define SVC_MAX_REPLY	(40u + 32768u)

/* An op a service answers; min_len/max_len bound the received bytes. */
struct svc_op {
	uint16_t	op;
	uint16_t	framed;		/* 1: generic header, length must match */
	uint32_t	min_len;
	uint32_t	max_len;
	uint32_t	err_reply_len;	/* size of an error reply (>= 16) */
	/*
	 * Fill resp (capacity resp_cap, zeroed) and return the reply length,
	 * or a negative errno for an error reply.  The loop fills version and
	 * op; the handler sets status itself on success replies.
	 */
	long		(*handler)(void *ctx, const void *req, size_t len,
			    void *resp, size_t resp_cap);
	int		accepts_handles;	/* see svc_handles() */
};

struct svc_table {
	const char		*name;		/* "vfsd": marker prefix */
	uint32_t		service_id;	/* IPC_SERVICE_* */
	uint16_t		version;	/* protocol version of the ops */
	const struct svc_op	*ops;
	size_t			nops;
	/*
	 * Offset of a u64 pid the requests act for (vfsd, syscalld), or 0.
	 * Such a request must come from that pid itself or be forwarded by
	 * the kernel for it (IPC_SENDER_INFO); anything else is refused with
	 * -EPERM, so no process can act on another's handles or memory.
	 */
	uint32_t		behalf_pid_offset;
};

/*
 * Validate one received request: returns the index of its op in t->ops, or
 * -EPROTO (bad version), -EINVAL (bad length) or -EOPNOTSUPP (unknown op).
 * *op_out receives the op field when at least 4 bytes arrived, else 0.
 */
long svc_validate(const struct svc_table *t, const void *req, size_t len,
    uint16_t *op_out);
/*
 * Build an error reply of err_len (>= 16) bytes in resp: version, op,
 * status; framed replies also carry length.  Returns the length.
 */
size_t svc_error_reply(void *resp, size_t cap, uint16_t version, uint16_t op,
    int32_t status, size_t err_len, int framed);
/* Generic 16-byte status reply for framed ops (PING etc.). */
long svc_status_reply(void *resp, size_t cap, uint16_t op, int32_t status);
/* Handle one request in buf (len bytes): fills resp, returns reply length. */
size_t svc_handle(const struct svc_table *t, void *ctx, const void *req,
    size_t len, void *resp, size_t resp_cap);

/*
 * Create an endpoint, register it under t->service_id, print
 * "<name>: endpoint registered id=<n>" and the optional extra marker,
 * call ready(ctx, endpoint) if given, then serve forever.  Returns only on
 * a fatal registration error (negative errno).
 */
long svc_serve(const struct svc_table *t, void *ctx, const char *marker,
    void (*ready)(void *ctx, uint64_t ep));
/*
 * Parse the arguments every service accepts: "--test-crash" (given by
 * rootd when the boot volume holds /system/registry/test/crash-services
 * naming the service) makes svc_serve exit with status 3 shortly after
 * registering, so the restart budget can be tested.
 */
void svc_parse_args(int argc, char **argv);

/*
 * Whether the request being handled was forwarded by the kernel
 * (IPC_SENDER_FLAG_KERNEL_FORWARDED); only meaningful for tables with a
 * behalf_pid_offset.  Handlers use it for kernel-only ops.
 */
extern int svc_kernel_forwarded;
/*
 * The IPC_SERVICE_CAP_* bits of the request's sender (IPC_SENDER_INFO;
 * 0 for apps and kernel-forwarded requests); same tables as above.
 * Service-only ops check them and refuse others with -EACCES.
 */
extern uint32_t svc_sender_caps;
/*
 * The IPC_SENDER_FLAG_* bits of the request's sender, for tables with a
 * behalf_pid_offset, or for every request once the service set
 * svc_want_sender (0 when the kernel could not say).
 */
extern uint32_t svc_sender_flags;
/*
 * Set nonzero before svc_serve: ask the kernel who sent every request even
 * without a behalf pid (loaderd's launcher-only SPAWN).  Costs one
 * IPC_SENDER_INFO per request.
 */
extern int svc_want_sender;

/* Register the endpoint only (for services with their own loop). */
long svc_register(const struct svc_table *t, const char *marker);
/* Serve one request or time out (bounded); 0, or negative errno. */
long svc_serve_once(const struct svc_table *t, void *ctx, uint64_t ep);

/*
 * For ops with accepts_handles: the fds that came with the request (the
 * loop closes them after replying) and the fds to send back with the
 * reply (copied by the kernel at the reply).
 */
uint16_t svc_handles(const int32_t **fds);
void svc_reply_handles(const int32_t *fds, uint16_t n);

/* Plain marker line on the debug console ("\n" appended). */
void svc_marker(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Structured log line (observability format), cat=service. */
#define SVC_LOG_ERROR	"error"
#define SVC_LOG_WARN	"warn"
#define SVC_LOG_INFO	"info"
void svc_log_at(const char *lvl, const char *file, int line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
#define svc_log(lvl, ...)	svc_log_at((lvl), __FILE__, __LINE__, __VA_ARGS__)

/* Format a log line into buf (pure; used by svc_log_at and tests). */
/* util.c (musl services only, not rootd). */
void svc_sleep_ms(unsigned ms);
char *svc_read_file(const char *path, size_t max, size_t *len);

size_t svc_log_format(char *buf, size_t cap, uint64_t seq, uint64_t ts_us,
    const char *lvl, const char *file, int line, long pid, long tid,
    const char *msg);

#endif /* SERVICES_COMMON_SVC_H */
