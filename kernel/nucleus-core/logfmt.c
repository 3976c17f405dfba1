/*
 * logfmt.c -- structured log line formatting and the log ring buffer.
 * Pure code: no hardware, no globals; built into the host unit tests.
 */
#include <nucleus-core/api.h>
#include <nucleus-core/internal.h>

static const char *const level_names[] = RUSTOS_LOG_LEVEL_NAMES;
static const char *const cat_names[] = RUSTOS_LOG_CATEGORY_NAMES;

static const char *
base_name(const char *path)
{
	const char *b = path;

	for (; *path != '\0'; path++)
		if (*path == '/')
			b = path + 1;
	return (b);
}

size_t
nc_log_format(char *buf, size_t cap, uint64_t seq, uint64_t ts_us,
    uint64_t tick, int lvl, int cat, const char *file, int line, long pid,
    long tid, const char *msg)
{
	char ids[2][24];
	size_t n, room;
	int w;

	if (cap < 8)
		return (0);
	if (lvl < 0 || lvl >= RUSTOS_LOG_LEVEL_COUNT)
		lvl = RUSTOS_LOG_LEVEL_ERROR;
	if (cat < 0 || cat >= RUSTOS_LOG_CAT_COUNT)
		cat = RUSTOS_LOG_CAT_DEBUG;
	if (pid < 0)
		nc_snprintf(ids[0], sizeof(ids[0]), "-");
	else
		nc_snprintf(ids[0], sizeof(ids[0]), "%ld", pid);
	if (tid < 0)
		nc_snprintf(ids[1], sizeof(ids[1]), "-");
	else
		nc_snprintf(ids[1], sizeof(ids[1]), "%ld", tid);
	w = nc_snprintf(buf, cap,
	    "seq=%llu ts_us=%llu tick=%llu lvl=%s cat=%s mod=%s line=%d "
	    "pid=%s tid=%s msg=\"", (unsigned long long)seq,
	    (unsigned long long)ts_us, (unsigned long long)tick,
	    level_names[lvl], cat_names[cat], base_name(file), line, ids[0],
	    ids[1]);
	n = (size_t)w;
	if (n + 3 > cap)
		n = cap - 3;
	/* Leave room for the closing quote, newline and NUL. */
	room = cap - 3;
	for (; msg != NULL && *msg != '\0'; msg++) {
		unsigned char c = (unsigned char)*msg;

		if (c == '"' || c == '\\') {
			if (n + 2 > room)
				break;
			buf[n++] = '\\';
			buf[n++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			if (n + 2 > room)
				break;
			buf[n++] = '\\';
			buf[n++] = c == '\n' ? 'n' : c == '\t' ? 't' : '?';
		} else {
			if (n + 1 > room)
				break;
			buf[n++] = (char)c;
		}
	}
	buf[n++] = '"';
	buf[n++] = '\n';
	buf[n] = '\0';
	return (n);
}

void
nc_ring_init(struct nc_ring *r, char *buf, size_t cap)
{
	r->buf = buf;
	r->cap = cap;
	r->head = 0;
	r->len = 0;
	r->dropped = 0;
}

/* Drop the oldest line (through its newline). */
static void
ring_drop_oldest(struct nc_ring *r)
{
	while (r->len > 0) {
		char c = r->buf[r->head];

		r->head = (r->head + 1) % r->cap;
		r->len--;
		if (c == '\n')
			break;
	}
	r->dropped++;
}

void
nc_ring_push(struct nc_ring *r, const char *line, size_t n)
{
	size_t i;

	if (r->cap == 0)
		return;
	if (n > r->cap) {
		/* Keep the tail of an oversized line only. */
		line += n - r->cap;
		n = r->cap;
	}
	while (r->cap - r->len < n)
		ring_drop_oldest(r);
	for (i = 0; i < n; i++)
		r->buf[(r->head + r->len + i) % r->cap] = line[i];
	r->len += n;
}

size_t
nc_ring_snapshot(const struct nc_ring *r, char *out, size_t cap)
{
	size_t n = 0, i;

	if (cap == 0)
		return (0);
	if (r->dropped > 0)
		n = nc_log_format(out, cap, 0, 0, 0, RUSTOS_LOG_LEVEL_WARN,
		    RUSTOS_LOG_CAT_DEBUG, "log.c", 0, -1, -1,
		    "oldest logs dropped");
	for (i = 0; i < r->len && n + 1 < cap; i++)
		out[n++] = r->buf[(r->head + i) % r->cap];
	out[n] = '\0';
	return (n);
}
