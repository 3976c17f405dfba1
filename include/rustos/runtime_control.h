/*
 * rustos/runtime_control.h -- runtimed's control socket: wire frames, the
 * client API (libruntime-control), the server-side codec runtimed uses, and
 * the registry/runtime-env parsers shared by runtimed, initd and third
 * parties.  See spec/runtime-control.md.
 *
 * Every function returns 0 (or a documented non-negative value) or a
 * negative errno and fills caller-provided structs; nothing is allocated.
 */
#ifndef RUSTOS_RUNTIME_CONTROL_H
#define RUSTOS_RUNTIME_CONTROL_H

#include <stddef.h>
#include <stdint.h>

#include <rustos/abi_assert.h>

#define RUNTIME_CONTROL_VERSION			1
#define RUNTIME_CONTROL_DEFAULT_SOCKET		"/run/runtimed.sock"
#define RUNTIME_CONTROL_SOCKET_ENV		"RUSTOS_RUNTIMED_SOCKET"
/* A request text of this many bytes or more is refused (-ENAMETOOLONG). */
#define RUNTIME_CONTROL_MAX_REQUEST_PATH_BYTES	128
#define RUNTIME_CONTROL_MAX_RECORDS		64
/* Whole-exchange client deadline. */
#define RUNTIME_CONTROL_DEADLINE_MS		5000
#define RUNTIME_CONTROL_WATCH_MAX_WAIT_MS	2000

#define RUNTIME_CONTROL_OP_ERROR		0	/* reply-only error envelope */
#define RUNTIME_CONTROL_OP_SNAPSHOT		1
#define RUNTIME_CONTROL_OP_LAUNCH		2
#define RUNTIME_CONTROL_OP_TERMINATE		3
#define RUNTIME_CONTROL_OP_UI_READY		4
#define RUNTIME_CONTROL_OP_WATCH		5

#define RUNTIME_CONTROL_TARGET_NONE		0
#define RUNTIME_CONTROL_TARGET_SESSION		1	/* op 3 */
#define RUNTIME_CONTROL_TARGET_PID		2	/* op 3 */
#define RUNTIME_CONTROL_TARGET_NEW_SESSION	2	/* op 2 */
#define RUNTIME_CONTROL_TARGET_UISERVER		1	/* op 4 */

/* Request frame (152 bytes).  text is not NUL-terminated. */
struct rustos_runtime_control_request {
	uint16_t	version;
	uint16_t	op;
	uint16_t	target_kind;
	uint16_t	wait_ms;	/* op 5 only, <= 2000 */
	uint32_t	text_len;	/* < RUNTIME_CONTROL_MAX_REQUEST_PATH_BYTES */
	uint32_t	pad;		/* zero */
	uint64_t	target_value;
	uint8_t		text[RUNTIME_CONTROL_MAX_REQUEST_PATH_BYTES];
};
RUSTOS_ABI_SIZE(runtime_control_request, 152);
RUSTOS_ABI_OFFSET(runtime_control_request, version, 0);
RUSTOS_ABI_OFFSET(runtime_control_request, op, 2);
RUSTOS_ABI_OFFSET(runtime_control_request, target_kind, 4);
RUSTOS_ABI_OFFSET(runtime_control_request, wait_ms, 6);
RUSTOS_ABI_OFFSET(runtime_control_request, text_len, 8);
RUSTOS_ABI_OFFSET(runtime_control_request, pad, 12);
RUSTOS_ABI_OFFSET(runtime_control_request, target_value, 16);
RUSTOS_ABI_OFFSET(runtime_control_request, text, 24);

/* Response frame (12 bytes); status < 0 is -errno; count records follow. */
struct rustos_runtime_control_response {
	uint16_t	version;
	uint16_t	op;
	int32_t		status;
	uint32_t	count;
};
RUSTOS_ABI_SIZE(runtime_control_response, 12);
RUSTOS_ABI_OFFSET(runtime_control_response, version, 0);
RUSTOS_ABI_OFFSET(runtime_control_response, op, 2);
RUSTOS_ABI_OFFSET(runtime_control_response, status, 4);
RUSTOS_ABI_OFFSET(runtime_control_response, count, 8);

/* Running-program record (184 bytes); strings NUL-padded. */
struct rustos_runtime_control_record {
	uint64_t	pid;
	uint32_t	program_id;
	uint32_t	reserved;
	uint64_t	session_handle;
	char		desktop_file_id[48];
	char		display_name[48];
	char		exec_path[64];
};
RUSTOS_ABI_SIZE(runtime_control_record, 184);
RUSTOS_ABI_OFFSET(runtime_control_record, pid, 0);
RUSTOS_ABI_OFFSET(runtime_control_record, program_id, 8);
RUSTOS_ABI_OFFSET(runtime_control_record, reserved, 12);
RUSTOS_ABI_OFFSET(runtime_control_record, session_handle, 16);
RUSTOS_ABI_OFFSET(runtime_control_record, desktop_file_id, 24);
RUSTOS_ABI_OFFSET(runtime_control_record, display_name, 72);
RUSTOS_ABI_OFFSET(runtime_control_record, exec_path, 120);

/* A snapshot as the client returns it (not a wire frame). */
struct rustos_runtime_control_snapshot {
	uint32_t	count;
	uint32_t	reserved;
	uint64_t	digest;		/* FNV-1a 64 of the count records */
	struct rustos_runtime_control_record records[RUNTIME_CONTROL_MAX_RECORDS];
};

/* Registry records (not wire frames): values copied, NUL-terminated. */
struct rustos_registry_desktop_program {
	char		desktop_id[128];
	char		package_id[128];
	char		startup[16];
	char		display_name[128];
	char		image[256];
	char		exec[256];
	uint32_t	weight_micros;
	uint8_t		logical_admin;
	uint8_t		console_hosted;
	uint8_t		terminal;
	uint8_t		hidden;
	uint8_t		no_display;
	uint8_t		autostart_enabled;
	uint8_t		reserved[2];
	char		launch[16];
	char		deps[512];	/* split on ',' with runtime_control_split */
	char		args[1024];	/* split on '|' */
	char		env[2048];	/* split on '|' */
};

struct rustos_registry_startup_program {
	char		desktop_id[128];
	char		package_id[128];
	char		mode[16];
	char		display_name[128];
	char		exec[256];
	char		launch[16];
	char		deps[512];
};

struct rustos_registry_env_entry {
	char		scope[16];
	char		key[128];
	char		value[1024];
};

/* Where a registry line was refused: 1-based byte column and the rule. */
struct rustos_registry_error {
	uint32_t	column;
	uint32_t	reserved;
	const char	*rule;
};

#ifdef __cplusplus
extern "C" {
#endif

/* The socket to use: override if non-NULL, else $RUSTOS_RUNTIMED_SOCKET, else the default. */
const char *runtime_control_socket_path(const char *override_path);

/* Client.  socket_path may be NULL (see runtime_control_socket_path). */
int runtime_control_snapshot_running_programs(const char *socket_path,
    struct rustos_runtime_control_snapshot *out);
int runtime_control_request_launch_program_new_session(const char *socket_path,
    const char *desktop_id_or_path);
/* -ESRCH when nothing matched. */
int runtime_control_request_terminate_session(const char *socket_path,
    uint64_t session_handle);
int runtime_control_request_terminate_pid(const char *socket_path, uint64_t pid);
/* One-way: no reply is read. */
int runtime_control_notify_ui_ready(const char *socket_path);
/* 0 and a new snapshot when the digest changed; -EAGAIN when it did not. */
int runtime_control_watch(const char *socket_path, uint64_t last_digest,
    uint16_t wait_ms, struct rustos_runtime_control_snapshot *out);

/* FNV-1a 64 over count records (the watch digest). */
uint64_t runtime_control_digest(const struct rustos_runtime_control_record *records,
    uint32_t count);

/* Server-side codec (runtimed). */
int runtime_control_decode_request(const void *buf, size_t len,
    struct rustos_runtime_control_request *out);
int runtime_control_encode_response(void *buf, size_t cap, uint16_t op,
    int32_t status, const struct rustos_runtime_control_record *records,
    uint32_t count);
/* Read and decode one request from a connected socket (bounded by timeout_ms). */
int runtime_control_server_read_request(int fd,
    struct rustos_runtime_control_request *out, int timeout_ms);
/* Encode and write one reply (bounded by timeout_ms). */
int runtime_control_server_send_reply(int fd, uint16_t op, int32_t status,
    const struct rustos_runtime_control_record *records, uint32_t count,
    int timeout_ms);
/* Fill a record; -ENAMETOOLONG when a string does not fit with its NUL. */
int runtime_control_record_fill(struct rustos_runtime_control_record *rec,
    uint64_t pid, uint32_t program_id, uint64_t session_handle,
    const char *desktop_file_id, const char *display_name, const char *exec_path);

/*
 * Registry parsers.  line need not be NUL-terminated; a trailing "\n" or
 * "\r\n" is ignored.  Return 0 for a record, 1 for a line to skip (blank,
 * `#` comment, or -- for runtime-env -- another scope), negative errno for a
 * malformed line with *err (if non-NULL) naming column and rule.
 */
int runtime_control_parse_desktop_program(const char *line, size_t len,
    struct rustos_registry_desktop_program *out, struct rustos_registry_error *err);
int runtime_control_parse_startup_program(const char *line, size_t len,
    struct rustos_registry_startup_program *out, struct rustos_registry_error *err);
int runtime_control_parse_runtime_env(const char *line, size_t len,
    const char *scope, struct rustos_registry_env_entry *out,
    struct rustos_registry_error *err);
/* "1 true True yes Yes" -> 1; "0 false False no No" and "" -> 0; else -EINVAL. */
int runtime_control_parse_bool(const char *s, size_t len);
/*
 * Split s on sep into items pointing into buf (a NUL-terminated copy);
 * returns the item count (0 for an empty s), -E2BIG when buf or items is
 * too small.
 */
int runtime_control_split(const char *s, char sep, char *buf, size_t buf_size,
    const char **items, size_t max_items);

#ifdef __cplusplus
}
#endif

#endif /* RUSTOS_RUNTIME_CONTROL_H */
