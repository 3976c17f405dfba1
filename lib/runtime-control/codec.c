/*
 * codec.c -- the runtime-control wire codec: request decoding/validation
 * and response encoding for runtimed, record filling and the watch digest.
 * The client validates replies with the same rules (client.c), so the two
 * sides cannot drift.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <rustos/runtime_control.h>

#include "internal.h"

#define FNV64_OFFSET	0xcbf29ce484222325ULL
#define FNV64_PRIME	0x100000001b3ULL

RC_EXPORT uint64_t
runtime_control_digest(const struct rustos_runtime_control_record *records,
    uint32_t count)
{
	const unsigned char *p = (const unsigned char *)records;
	uint64_t h = FNV64_OFFSET;
	size_t i, n;

	if (records == NULL || count > RUNTIME_CONTROL_MAX_RECORDS)
		count = 0;
	n = (size_t)count * sizeof(*records);
	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= FNV64_PRIME;
	}
	return h;
}

/* Which target kinds each op accepts (spec/runtime-control.md). */
static int
target_kind_valid(uint16_t op, uint16_t kind)
{
	switch (op) {
	case RUNTIME_CONTROL_OP_SNAPSHOT:
	case RUNTIME_CONTROL_OP_WATCH:
		return kind == RUNTIME_CONTROL_TARGET_NONE;
	case RUNTIME_CONTROL_OP_LAUNCH:
		return kind == RUNTIME_CONTROL_TARGET_NEW_SESSION;
	case RUNTIME_CONTROL_OP_TERMINATE:
		return kind == RUNTIME_CONTROL_TARGET_SESSION ||
		    kind == RUNTIME_CONTROL_TARGET_PID;
	case RUNTIME_CONTROL_OP_UI_READY:
		return kind == RUNTIME_CONTROL_TARGET_UISERVER;
	default:
		return 0;
	}
}

RC_EXPORT int
runtime_control_decode_request(const void *buf, size_t len,
    struct rustos_runtime_control_request *out)
{
	struct rustos_runtime_control_request r;

	if (buf == NULL || out == NULL)
		return -EINVAL;
	if (len != sizeof(r))
		return -EPROTO;
	memcpy(&r, buf, sizeof(r));
	if (r.version != RUNTIME_CONTROL_VERSION || r.pad != 0)
		return -EPROTO;
	if (r.op < RUNTIME_CONTROL_OP_SNAPSHOT || r.op > RUNTIME_CONTROL_OP_WATCH)
		return -EPROTO;
	if (!target_kind_valid(r.op, r.target_kind))
		return -EPROTO;
	if (r.text_len >= RUNTIME_CONTROL_MAX_REQUEST_PATH_BYTES)
		return -ENAMETOOLONG;
	if (r.op == RUNTIME_CONTROL_OP_LAUNCH && r.text_len == 0)
		return -EINVAL;
	if (r.op != RUNTIME_CONTROL_OP_LAUNCH && r.text_len != 0)
		return -EPROTO;
	if (r.op == RUNTIME_CONTROL_OP_WATCH) {
		if (r.wait_ms > RUNTIME_CONTROL_WATCH_MAX_WAIT_MS)
			return -EPROTO;
	} else if (r.wait_ms != 0)
		return -EPROTO;
	/* Bytes past text_len carry nothing; zero them for the caller. */
	memset(r.text + r.text_len, 0, sizeof(r.text) - r.text_len);
	*out = r;
	return 0;
}

RC_EXPORT int
runtime_control_encode_response(void *buf, size_t cap, uint16_t op,
    int32_t status, const struct rustos_runtime_control_record *records,
    uint32_t count)
{
	struct rustos_runtime_control_response h;
	size_t need;

	if (buf == NULL || op > RUNTIME_CONTROL_OP_WATCH)
		return -EINVAL;
	if (count > RUNTIME_CONTROL_MAX_RECORDS)
		return -EOVERFLOW;
	if (count != 0 && (records == NULL || status < 0 ||
	    (op != RUNTIME_CONTROL_OP_SNAPSHOT && op != RUNTIME_CONTROL_OP_WATCH)))
		return -EINVAL;
	if (status < -4095)
		return -EINVAL;
	need = sizeof(h) + (size_t)count * sizeof(*records);
	if (cap < need)
		return -ENOBUFS;
	memset(&h, 0, sizeof(h));
	h.version = RUNTIME_CONTROL_VERSION;
	h.op = op;
	h.status = status;
	h.count = count;
	memcpy(buf, &h, sizeof(h));
	if (count != 0)
		memcpy((unsigned char *)buf + sizeof(h), records,
		    (size_t)count * sizeof(*records));
	return (int)need;
}

RC_EXPORT int
runtime_control_server_read_request(int fd,
    struct rustos_runtime_control_request *out, int timeout_ms)
{
	unsigned char buf[sizeof(struct rustos_runtime_control_request)];
	int r;

	if (fd < 0 || out == NULL)
		return -EINVAL;
	r = rc_read_exact(fd, buf, sizeof(buf), rc_deadline_after(timeout_ms));
	if (r == -EPIPE)
		return -EPROTO;
	if (r < 0)
		return r;
	return runtime_control_decode_request(buf, sizeof(buf), out);
}

RC_EXPORT int
runtime_control_server_send_reply(int fd, uint16_t op, int32_t status,
    const struct rustos_runtime_control_record *records, uint32_t count,
    int timeout_ms)
{
	static const size_t max = sizeof(struct rustos_runtime_control_response) +
	    RUNTIME_CONTROL_MAX_RECORDS * sizeof(struct rustos_runtime_control_record);
	unsigned char buf[sizeof(struct rustos_runtime_control_response) +
	    RUNTIME_CONTROL_MAX_RECORDS * sizeof(struct rustos_runtime_control_record)];
	int n;

	if (fd < 0)
		return -EINVAL;
	n = runtime_control_encode_response(buf, max, op, status, records, count);
	if (n < 0)
		return n;
	return rc_write_all(fd, buf, (size_t)n, rc_deadline_after(timeout_ms));
}

static int
copy_padded(char *dst, size_t size, const char *src)
{
	size_t n;

	if (src == NULL)
		src = "";
	n = strnlen(src, size);
	if (n >= size)
		return -ENAMETOOLONG;
	memset(dst, 0, size);
	memcpy(dst, src, n);
	return 0;
}

RC_EXPORT int
runtime_control_record_fill(struct rustos_runtime_control_record *rec,
    uint64_t pid, uint32_t program_id, uint64_t session_handle,
    const char *desktop_file_id, const char *display_name, const char *exec_path)
{
	struct rustos_runtime_control_record r;
	int e;

	if (rec == NULL)
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	r.pid = pid;
	r.program_id = program_id;
	r.session_handle = session_handle;
	if ((e = copy_padded(r.desktop_file_id, sizeof(r.desktop_file_id), desktop_file_id)) < 0 ||
	    (e = copy_padded(r.display_name, sizeof(r.display_name), display_name)) < 0 ||
	    (e = copy_padded(r.exec_path, sizeof(r.exec_path), exec_path)) < 0)
		return e;
	*rec = r;
	return 0;
}
