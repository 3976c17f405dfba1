/*
 * toml.c -- a TOML 1.0 parser (see toml.h for the tree it builds).
 *
 * One pass, recursive descent over the raw bytes.  The whole document is
 * first checked to be UTF-8 without bare CR, so later stages only look at
 * ASCII structure and copy multibyte sequences through.
 *
 * Redefinition rules are enforced with per-table flags (T_* below):
 *  - a [header] may name a table at most once (T_DEFINED), may complete a
 *    table it earlier created implicitly as a path prefix (T_IMPLICIT), and
 *    may pass through, but not name, tables made by dotted keys (T_DOTTED);
 *  - dotted keys may only extend tables made by dotted keys in the same
 *    section or inline table, never header tables;
 *  - inline tables and everything below them are sealed (T_INLINE);
 *  - [[x]] appends only to arrays made by [[x]] (A_AOT), never to a
 *    literal array.
 *
 * Key lookups during the parse go through a side hash table keyed by
 * (table, key) so large documents stay linear; the hash lives only in the
 * parser state.  Nesting of arrays and inline tables is capped so hostile
 * input cannot exhaust the stack.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toml.h"

/* struct toml_table.flags */
#define T_DEFINED	0x01u	/* named by a [header] or [[header]] */
#define T_IMPLICIT	0x02u	/* made as a prefix of a header path */
#define T_DOTTED	0x04u	/* created by a dotted key */
#define T_INLINE	0x08u	/* inline table or inside one: sealed */

/* struct toml_array.flags */
#define A_AOT		0x01u	/* array of tables made by [[x]] */

/*
 * Deepest level a value may sit at (the root table is level 0).  Bounding
 * the tree, not only bracket nesting, keeps every recursive walk (freeing,
 * sealing, callers printing it) shallow even for "a.a.a...= 1".
 */
#define MAX_DEPTH	256

struct hslot {
	struct toml_table *t;	/* NULL: empty slot */
	size_t idx;		/* index into t->items */
	uint64_t h;
};

struct key {
	char *s;
	size_t len;
	size_t off;		/* source offset, for messages */
	int line, col;		/* position of off, taken while parsing */
};

struct parser {
	const unsigned char *src;
	size_t len, pos;
	struct toml_error *err;
	int failed;
	/* position cache: line and column of byte offset lc_off */
	size_t lc_off;
	int lc_line, lc_col;
	/* (table, key) -> item index */
	struct hslot *hash;
	size_t hcap, hused;
	/* current key path (for one key/value line or header) */
	struct key *keys;
	size_t nkeys, keycap;
	int depth;		/* level of the value or table being parsed */
};

static void free_value(struct toml_value *v);
static int parse_value(struct parser *p, struct toml_value *out);

/* Positions and errors. */

static void
pos_at(struct parser *p, size_t off, int *line, int *col)
{
	size_t i;

	if (off > p->len)
		off = p->len;
	if (off < p->lc_off) {
		p->lc_off = 0;
		p->lc_line = 1;
		p->lc_col = 1;
	}
	for (i = p->lc_off; i < off; i++) {
		if (p->src[i] == '\n') {
			p->lc_line++;
			p->lc_col = 1;
		} else if ((p->src[i] & 0xC0) != 0x80)
			p->lc_col++;
	}
	p->lc_off = off;
	*line = p->lc_line;
	*col = p->lc_col;
}

static int
fail_at(struct parser *p, size_t off, const char *fmt, ...)
{
	va_list ap;

	if (p->failed)
		return -1;
	p->failed = 1;
	pos_at(p, off, &p->err->line, &p->err->col);
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static int
nomem(struct parser *p)
{
	return fail_at(p, p->pos, "out of memory");
}

/* A printable rendering of a key for messages, truncated. */
static const char *
key_show(const char *s, size_t len, char *buf, size_t bufsz)
{
	size_t i, o = 0;

	for (i = 0; i < len && o + 5 < bufsz; i++) {
		unsigned char c = (unsigned char)s[i];

		buf[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	if (i < len && o + 4 <= bufsz) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

/* Input checks done once over the whole document. */

static int
check_encoding(struct parser *p)
{
	const unsigned char *s = p->src;
	size_t i = 0, n = p->len;

	while (i < n) {
		unsigned char c = s[i];
		uint32_t cp;
		size_t k, need;

		if (c < 0x80) {
			if (c == '\r' && (i + 1 >= n || s[i + 1] != '\n'))
				return fail_at(p, i, "bare carriage return "
				    "(CR must be followed by LF)");
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			cp = c & 0x07;
		} else
			return fail_at(p, i, "invalid UTF-8 byte 0x%02x", c);
		if (n - i <= need)
			return fail_at(p, i, "truncated UTF-8 sequence");
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return fail_at(p, i,
				    "invalid UTF-8 sequence");
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000))
			return fail_at(p, i, "overlong UTF-8 sequence");
		if (cp >= 0xD800 && cp <= 0xDFFF)
			return fail_at(p, i, "UTF-8 encoded surrogate");
		if (cp > 0x10FFFF)
			return fail_at(p, i, "UTF-8 code point out of range");
		i += need + 1;
	}
	return 0;
}

/* Small lexical helpers. */

static int
at_eof(struct parser *p)
{
	return p->pos >= p->len;
}

static int
peek(struct parser *p)
{
	return p->pos < p->len ? p->src[p->pos] : -1;
}

static int
peek_at(struct parser *p, size_t ahead)
{
	return p->pos + ahead < p->len ? p->src[p->pos + ahead] : -1;
}

static int
is_ctrl(int c)
{
	return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7f;
}

static int
is_bare(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static void
skip_ws(struct parser *p)
{
	while (peek(p) == ' ' || peek(p) == '\t')
		p->pos++;
}

/* At a newline (LF or CRLF)?  Returns its length, else 0. */
static int
newline_len(struct parser *p)
{
	if (peek(p) == '\n')
		return 1;
	if (peek(p) == '\r' && peek_at(p, 1) == '\n')
		return 2;
	return 0;
}

/* Consume a comment starting at '#' up to (not including) the newline. */
static int
skip_comment(struct parser *p)
{
	while (!at_eof(p) && !newline_len(p)) {
		int c = peek(p);

		if (is_ctrl(c))
			return fail_at(p, p->pos, "control character U+%04X "
			    "in comment", c);
		p->pos++;
	}
	return 0;
}

/* Whitespace, newlines and comments (inside arrays). */
static int
skip_ws_nl_comments(struct parser *p)
{
	for (;;) {
		int nl;

		skip_ws(p);
		if ((nl = newline_len(p)) != 0)
			p->pos += nl;
		else if (peek(p) == '#') {
			if (skip_comment(p) < 0)
				return -1;
		} else
			return 0;
	}
}

/* After a key/value or header: optional comment, then newline or EOF. */
static int
expect_eol(struct parser *p, const char *what)
{
	int nl;

	skip_ws(p);
	if (peek(p) == '#' && skip_comment(p) < 0)
		return -1;
	if (at_eof(p))
		return 0;
	if ((nl = newline_len(p)) != 0) {
		p->pos += nl;
		return 0;
	}
	return fail_at(p, p->pos, "expected newline after %s, found '%c'",
	    what, peek(p) >= 0x20 && peek(p) < 0x7f ? peek(p) : '?');
}

/* Growable byte buffer for string contents. */

struct buf {
	char *p;
	size_t len, cap;
};

static int
buf_put(struct buf *b, const void *data, size_t n)
{
	if (b->cap - b->len <= n) {
		size_t ncap = b->cap ? b->cap : 32;
		char *np;

		while (ncap - b->len <= n) {
			if (ncap > ((size_t)-1) / 2)
				return -1;
			ncap *= 2;
		}
		if ((np = realloc(b->p, ncap)) == NULL)
			return -1;
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

static int
buf_putc(struct buf *b, int c)
{
	char ch = (char)c;

	return buf_put(b, &ch, 1);
}

/* Make sure an empty buffer still yields a NUL-terminated string. */
static int
buf_finish(struct buf *b)
{
	if (b->p == NULL) {
		if ((b->p = malloc(1)) == NULL)
			return -1;
		b->p[0] = '\0';
		b->cap = 1;
	}
	return 0;
}

static int
put_utf8(struct buf *b, uint32_t cp)
{
	unsigned char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xC0 | (cp >> 6));
		u[1] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xE0 | (cp >> 12));
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xF0 | (cp >> 18));
		u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return buf_put(b, u, n);
}

/* Strings. */

/* An escape sequence at p->pos (the backslash) in a basic string. */
static int
parse_escape(struct parser *p, struct buf *b)
{
	size_t start = p->pos;
	int c = peek_at(p, 1), ndig, i;
	uint32_t cp = 0;
	char out;

	switch (c) {
	case 'b': out = '\b'; break;
	case 't': out = '\t'; break;
	case 'n': out = '\n'; break;
	case 'f': out = '\f'; break;
	case 'r': out = '\r'; break;
	case '"': out = '"'; break;
	case '\\': out = '\\'; break;
	case 'u':
	case 'U':
		ndig = c == 'u' ? 4 : 8;
		for (i = 0; i < ndig; i++) {
			int h = peek_at(p, 2 + (size_t)i);

			cp <<= 4;
			if (h >= '0' && h <= '9')
				cp |= (uint32_t)(h - '0');
			else if (h >= 'a' && h <= 'f')
				cp |= (uint32_t)(h - 'a' + 10);
			else if (h >= 'A' && h <= 'F')
				cp |= (uint32_t)(h - 'A' + 10);
			else
				return fail_at(p, start, "\\%c escape needs "
				    "%d hex digits", c, ndig);
		}
		if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return fail_at(p, start, "\\%c%0*X is not a Unicode "
			    "scalar value", c, ndig, (unsigned)cp);
		p->pos += 2 + (size_t)ndig;
		if (put_utf8(b, cp) < 0)
			return nomem(p);
		return 0;
	default:
		if (c < 0)
			return fail_at(p, start, "unterminated escape");
		return fail_at(p, start, "invalid escape '\\%c'",
		    c >= 0x20 && c < 0x7f ? c : '?');
	}
	p->pos += 2;
	if (buf_putc(b, out) < 0)
		return nomem(p);
	return 0;
}

/*
 * Copy one character of string body (already known not to end the string)
 * into b, rejecting control characters.  Multibyte UTF-8 was validated up
 * front, so its bytes are copied as they come.
 */
static int
copy_char(struct parser *p, struct buf *b, const char *kind)
{
	int c = peek(p);

	if (is_ctrl(c))
		return fail_at(p, p->pos, "control character U+%04X in %s",
		    c, kind);
	p->pos++;
	if (buf_putc(b, c) < 0)
		return nomem(p);
	return 0;
}

/*
 * Closing run of a multi-line string: at p->pos there are three or more
 * quote characters q.  Up to two quotes before the final three belong to the
 * content.  Returns 1 when the string ended, 0 when the run was fewer than
 * three quotes (the caller copies one quote and continues).
 */
static int
ml_close(struct parser *p, struct buf *b, int q)
{
	size_t n = 0;

	while (peek_at(p, n) == q)
		n++;
	if (n < 3)
		return 0;
	if (n > 5)
		return fail_at(p, p->pos + 5, "too many quotes at the end of "
		    "a multi-line string");
	if (buf_put(b, p->src + p->pos, n - 3) < 0)
		return nomem(p);
	p->pos += n;
	return 1;
}

static int
parse_basic_string(struct parser *p, struct buf *b)
{
	size_t start = p->pos;

	p->pos++;	/* opening quote */
	for (;;) {
		int c = peek(p);

		if (c < 0 || c == '\n' || newline_len(p))
			return fail_at(p, start, "unterminated string");
		if (c == '"') {
			p->pos++;
			break;
		}
		if (c == '\\') {
			if (parse_escape(p, b) < 0)
				return -1;
		} else if (copy_char(p, b, "string") < 0)
			return -1;
	}
	if (buf_finish(b) < 0)
		return nomem(p);
	return 0;
}

static int
parse_literal_string(struct parser *p, struct buf *b)
{
	size_t start = p->pos;

	p->pos++;
	for (;;) {
		int c = peek(p);

		if (c < 0 || c == '\n' || newline_len(p))
			return fail_at(p, start, "unterminated literal string");
		if (c == '\'') {
			p->pos++;
			break;
		}
		if (copy_char(p, b, "literal string") < 0)
			return -1;
	}
	if (buf_finish(b) < 0)
		return nomem(p);
	return 0;
}

static int
parse_ml_string(struct parser *p, struct buf *b, int literal)
{
	size_t start = p->pos;
	int q = literal ? '\'' : '"', nl, r;

	p->pos += 3;
	/* A newline right after the opening delimiter is trimmed. */
	if ((nl = newline_len(p)) != 0)
		p->pos += nl;
	for (;;) {
		int c = peek(p);

		if (c < 0)
			return fail_at(p, start, "unterminated multi-line "
			    "string");
		if (c == q) {
			if ((r = ml_close(p, b, q)) < 0)
				return -1;
			if (r)
				break;
			p->pos++;
			if (buf_putc(b, q) < 0)
				return nomem(p);
			continue;
		}
		if ((nl = newline_len(p)) != 0) {
			/* Newlines are stored as LF whatever the file used. */
			p->pos += nl;
			if (buf_putc(b, '\n') < 0)
				return nomem(p);
			continue;
		}
		if (c == '\\' && !literal) {
			size_t save = p->pos, q2 = p->pos + 1;

			/*
			 * Line-ending backslash: only whitespace may sit
			 * between it and the newline; then all whitespace
			 * and newlines up to the next text are dropped.
			 */
			while (q2 < p->len && (p->src[q2] == ' ' ||
			    p->src[q2] == '\t'))
				q2++;
			p->pos = q2;
			if (newline_len(p)) {
				for (;;) {
					skip_ws(p);
					if ((nl = newline_len(p)) == 0)
						break;
					p->pos += nl;
				}
				continue;
			}
			p->pos = save;
			if (parse_escape(p, b) < 0)
				return -1;
			continue;
		}
		if (copy_char(p, b, "multi-line string") < 0)
			return -1;
	}
	if (buf_finish(b) < 0)
		return nomem(p);
	return 0;
}

/* Keys. */

static void
keys_clear(struct parser *p)
{
	size_t i;

	for (i = 0; i < p->nkeys; i++)
		free(p->keys[i].s);
	p->nkeys = 0;
}

/* One simple key (bare, "basic" or 'literal') appended to p->keys. */
static int
parse_simple_key(struct parser *p)
{
	struct buf b = { NULL, 0, 0 };
	size_t start = p->pos;
	int c = peek(p);

	if (p->nkeys == p->keycap) {
		size_t ncap = p->keycap ? p->keycap * 2 : 8;
		struct key *nk = realloc(p->keys, ncap * sizeof(*nk));

		if (nk == NULL)
			return nomem(p);
		p->keys = nk;
		p->keycap = ncap;
	}
	if (c == '"') {
		if (peek_at(p, 1) == '"' && peek_at(p, 2) == '"')
			return fail_at(p, start, "multi-line string cannot "
			    "be a key");
		if (parse_basic_string(p, &b) < 0)
			goto bad;
	} else if (c == '\'') {
		if (peek_at(p, 1) == '\'' && peek_at(p, 2) == '\'')
			return fail_at(p, start, "multi-line string cannot "
			    "be a key");
		if (parse_literal_string(p, &b) < 0)
			goto bad;
	} else if (is_bare(c)) {
		while (is_bare(peek(p)))
			p->pos++;
		if (buf_put(&b, p->src + start, p->pos - start) < 0) {
			nomem(p);
			goto bad;
		}
	} else {
		if (c < 0)
			return fail_at(p, start, "expected a key, found end "
			    "of input");
		if (c == '\n' || c == '\r')
			return fail_at(p, start, "expected a key, found end "
			    "of line");
		if (c == '=')
			return fail_at(p, start, "empty key");
		return fail_at(p, start, "invalid character '%c' in key",
		    c >= 0x20 && c < 0x7f ? c : '?');
	}
	p->keys[p->nkeys].s = b.p;
	p->keys[p->nkeys].len = b.len;
	p->keys[p->nkeys].off = start;
	pos_at(p, start, &p->keys[p->nkeys].line, &p->keys[p->nkeys].col);
	p->nkeys++;
	return 0;
bad:
	free(b.p);
	return -1;
}

/* A dotted key into p->keys (cleared first).  Stops after trailing ws. */
static int
parse_key(struct parser *p)
{
	keys_clear(p);
	for (;;) {
		skip_ws(p);
		if (parse_simple_key(p) < 0)
			return -1;
		skip_ws(p);
		if (peek(p) != '.')
			return 0;
		p->pos++;
	}
}

/* Tables, arrays and the (table, key) hash. */

static uint64_t
hash_key(const struct toml_table *t, const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)(uintptr_t)t;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	h ^= h >> 29;
	return h;
}

static int
hash_grow(struct parser *p)
{
	size_t ncap = p->hcap ? p->hcap * 2 : 64, i;
	struct hslot *nh;

	if (ncap > ((size_t)-1) / sizeof(*nh))
		return -1;
	if ((nh = calloc(ncap, sizeof(*nh))) == NULL)
		return -1;
	for (i = 0; i < p->hcap; i++) {
		size_t j;

		if (p->hash[i].t == NULL)
			continue;
		j = p->hash[i].h & (ncap - 1);
		while (nh[j].t != NULL)
			j = (j + 1) & (ncap - 1);
		nh[j] = p->hash[i];
	}
	free(p->hash);
	p->hash = nh;
	p->hcap = ncap;
	return 0;
}

static struct toml_keyval *
table_find(struct parser *p, struct toml_table *t, const char *s, size_t len)
{
	uint64_t h;
	size_t j;

	if (p->hcap == 0)
		return NULL;
	h = hash_key(t, s, len);
	for (j = h & (p->hcap - 1); p->hash[j].t != NULL;
	    j = (j + 1) & (p->hcap - 1)) {
		struct toml_keyval *kv;

		if (p->hash[j].h != h || p->hash[j].t != t)
			continue;
		kv = &t->items[p->hash[j].idx];
		if (kv->keylen == len && memcmp(kv->key, s, len) == 0)
			return kv;
	}
	return NULL;
}

/*
 * Append key k (copied) to t; the value is left for the caller to fill in
 * (type TOML_BOOL, false, so the tree stays freeable meanwhile).
 */
static struct toml_keyval *
table_add(struct parser *p, struct toml_table *t, const struct key *k)
{
	struct toml_keyval *kv;
	uint64_t h;
	size_t j;

	if ((p->hused + 1) * 2 > p->hcap && hash_grow(p) < 0)
		goto oom;
	if (t->len == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 4;
		struct toml_keyval *ni;

		if (ncap > ((size_t)-1) / sizeof(*ni))
			goto oom;
		if ((ni = realloc(t->items, ncap * sizeof(*ni))) == NULL)
			goto oom;
		t->items = ni;
		t->cap = ncap;
	}
	kv = &t->items[t->len];
	memset(kv, 0, sizeof(*kv));
	if ((kv->key = malloc(k->len + 1)) == NULL)
		goto oom;
	memcpy(kv->key, k->s, k->len);
	kv->key[k->len] = '\0';
	kv->keylen = k->len;
	kv->line = k->line;
	kv->col = k->col;
	kv->val.type = TOML_BOOL;
	kv->val.line = kv->line;
	kv->val.col = kv->col;

	h = hash_key(t, k->s, k->len);
	j = h & (p->hcap - 1);
	while (p->hash[j].t != NULL)
		j = (j + 1) & (p->hcap - 1);
	p->hash[j].t = t;
	p->hash[j].idx = t->len;
	p->hash[j].h = h;
	p->hused++;
	t->len++;
	return kv;
oom:
	nomem(p);
	return NULL;
}

static struct toml_table *
new_table(struct parser *p, int line, int col, unsigned flags)
{
	struct toml_table *t = calloc(1, sizeof(*t));

	if (t == NULL) {
		nomem(p);
		return NULL;
	}
	t->line = line;
	t->col = col;
	t->flags = flags;
	return t;
}

static struct toml_array *
new_array(struct parser *p, unsigned flags)
{
	struct toml_array *a = calloc(1, sizeof(*a));

	if (a == NULL) {
		nomem(p);
		return NULL;
	}
	a->flags = flags;
	return a;
}

/* Append a value slot to a; returns it zeroed (a false boolean). */
static struct toml_value *
array_add(struct parser *p, struct toml_array *a)
{
	struct toml_value *v;

	if (a->len == a->cap) {
		size_t ncap = a->cap ? a->cap * 2 : 4;
		struct toml_value *ni;

		if (ncap > ((size_t)-1) / sizeof(*ni)) {
			nomem(p);
			return NULL;
		}
		if ((ni = realloc(a->items, ncap * sizeof(*ni))) == NULL) {
			nomem(p);
			return NULL;
		}
		a->items = ni;
		a->cap = ncap;
	}
	v = &a->items[a->len++];
	memset(v, 0, sizeof(*v));
	v->type = TOML_BOOL;
	return v;
}

static void
free_table(struct toml_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->len; i++) {
		free(t->items[i].key);
		free_value(&t->items[i].val);
	}
	free(t->items);
	free(t);
}

static void
free_array(struct toml_array *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->len; i++)
		free_value(&a->items[i]);
	free(a->items);
	free(a);
}

static void
free_value(struct toml_value *v)
{
	switch (v->type) {
	case TOML_STRING:
		free(v->u.s.ptr);
		break;
	case TOML_DATETIME:
	case TOML_DATETIME_LOCAL:
	case TOML_DATE_LOCAL:
	case TOML_TIME_LOCAL:
		free(v->u.dt);
		break;
	case TOML_ARRAY:
		free_array(v->u.arr);
		break;
	case TOML_TABLE:
		free_table(v->u.tab);
		break;
	default:
		break;
	}
	v->type = TOML_BOOL;
	v->u.b = 0;
}

/* Mark an inline table and all tables reachable from it as sealed. */
static void
seal(struct toml_value *v)
{
	size_t i;

	if (v->type == TOML_TABLE) {
		v->u.tab->flags |= T_INLINE;
		for (i = 0; i < v->u.tab->len; i++)
			seal(&v->u.tab->items[i].val);
	} else if (v->type == TOML_ARRAY) {
		for (i = 0; i < v->u.arr->len; i++)
			seal(&v->u.arr->items[i]);
	}
}

/* Numbers, booleans, dates and times. */

/* Digits with single underscores between them; returns the count or -1. */
static int
check_digits(const char *s, size_t n, int (*isdig)(int))
{
	size_t i;

	if (n == 0 || s[0] == '_' || s[n - 1] == '_')
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] == '_') {
			if (s[i + 1] == '_')
				return -1;
		} else if (!isdig((unsigned char)s[i]))
			return -1;
	}
	return 0;
}

static int
is_hex(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int
is_oct(int c)
{
	return c >= '0' && c <= '7';
}

static int
is_bin(int c)
{
	return c == '0' || c == '1';
}

static int
digit_val(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return c - 'A' + 10;
}

/* Integer token s[0..n) (already sign-split); fills *out. */
static int
parse_integer(struct parser *p, size_t off, const char *s, size_t n,
    struct toml_value *out)
{
	int neg = 0, base = 10;
	uint64_t acc = 0, limit;
	size_t i = 0;
	int (*isdig)(int) = is_digit;

	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		i = 1;
	}
	if (n - i >= 2 && s[i] == '0' &&
	    (s[i + 1] == 'x' || s[i + 1] == 'o' || s[i + 1] == 'b')) {
		if (i != 0)
			return fail_at(p, off, "a sign is not allowed on "
			    "hexadecimal, octal or binary integers");
		base = s[1] == 'x' ? 16 : s[1] == 'o' ? 8 : 2;
		isdig = base == 16 ? is_hex : base == 8 ? is_oct : is_bin;
		i = 2;
	} else if (n - i >= 2 && s[i] == '0')
		return fail_at(p, off, "leading zeros are not allowed in "
		    "decimal integers");
	if (check_digits(s + i, n - i, isdig) < 0)
		return fail_at(p, off, "invalid integer '%.*s'",
		    (int)(n > 40 ? 40 : n), s);
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < n; i++) {
		unsigned d;

		if (s[i] == '_')
			continue;
		d = (unsigned)digit_val((unsigned char)s[i]);
		if (acc > (limit - d) / (unsigned)base)
			return fail_at(p, off, "integer '%.*s' does not fit "
			    "in 64 bits", (int)(n > 40 ? 40 : n), s);
		acc = acc * (unsigned)base + d;
	}
	out->type = TOML_INTEGER;
	if (neg)
		out->u.i = acc == (uint64_t)INT64_MAX + 1 ? INT64_MIN :
		    -(int64_t)acc;
	else
		out->u.i = (int64_t)acc;
	return 0;
}

static int
parse_float(struct parser *p, size_t off, const char *s, size_t n,
    struct toml_value *out)
{
	size_t i = 0, j, intlen;
	char tmp[512];
	size_t o = 0;
	const char *e;

	if (s[0] == '+' || s[0] == '-')
		i = 1;
	/* inf and nan, with optional sign. */
	if (n - i == 3 && (memcmp(s + i, "inf", 3) == 0 ||
	    memcmp(s + i, "nan", 3) == 0)) {
		out->type = TOML_FLOAT;
		if (s[i] == 'i')
			out->u.f = s[0] == '-' ? -INFINITY : INFINITY;
		else
			out->u.f = s[0] == '-' ? -NAN : NAN;
		return 0;
	}
	/* Integer part: digits, no leading zero unless it is "0". */
	for (j = i; j < n && (is_digit((unsigned char)s[j]) || s[j] == '_');
	    j++)
		;
	intlen = j - i;
	if (intlen == 0 || check_digits(s + i, intlen, is_digit) < 0)
		goto bad;
	if (intlen > 1 && s[i] == '0')
		return fail_at(p, off, "leading zeros are not allowed in "
		    "floats");
	if (j < n && s[j] == '.') {
		size_t k = ++j;

		while (j < n && (is_digit((unsigned char)s[j]) || s[j] == '_'))
			j++;
		if (check_digits(s + k, j - k, is_digit) < 0)
			goto bad;
	}
	if (j < n && (s[j] == 'e' || s[j] == 'E')) {
		size_t k;

		j++;
		if (j < n && (s[j] == '+' || s[j] == '-'))
			j++;
		k = j;
		while (j < n && (is_digit((unsigned char)s[j]) || s[j] == '_'))
			j++;
		if (check_digits(s + k, j - k, is_digit) < 0)
			goto bad;
	}
	if (j != n)
		goto bad;
	/* strtod on a copy without underscores. */
	for (j = 0; j < n; j++) {
		if (s[j] == '_')
			continue;
		if (o + 1 >= sizeof(tmp))
			return fail_at(p, off, "float literal too long");
		tmp[o++] = s[j];
	}
	tmp[o] = '\0';
	out->type = TOML_FLOAT;
	out->u.f = strtod(tmp, (char **)&e);
	if (*e != '\0')
		goto bad;
	return 0;
bad:
	return fail_at(p, off, "invalid number '%.*s'",
	    (int)(n > 40 ? 40 : n), s);
}

static int
num2(const char *s)
{
	if (!is_digit((unsigned char)s[0]) || !is_digit((unsigned char)s[1]))
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

static int
days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* YYYY-MM-DD at s (n bytes available); returns 10 or -1. */
static int
scan_date(const char *s, size_t n)
{
	int y, m, d;

	if (n < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if (num2(s) < 0 || num2(s + 2) < 0)
		return -1;
	y = num2(s) * 100 + num2(s + 2);
	if ((m = num2(s + 5)) < 1 || m > 12)
		return -1;
	if ((d = num2(s + 8)) < 1 || d > days_in_month(y, m))
		return -1;
	return 10;
}

/* HH:MM:SS[.frac] at s; returns its length or -1. */
static int
scan_time(const char *s, size_t n)
{
	size_t i;
	int h, mi, se;

	if (n < 8 || s[2] != ':' || s[5] != ':')
		return -1;
	if ((h = num2(s)) < 0 || h > 23)
		return -1;
	if ((mi = num2(s + 3)) < 0 || mi > 59)
		return -1;
	/* 60 is a leap second. */
	if ((se = num2(s + 6)) < 0 || se > 60)
		return -1;
	i = 8;
	if (i < n && s[i] == '.') {
		i++;
		if (i >= n || !is_digit((unsigned char)s[i]))
			return -1;
		while (i < n && is_digit((unsigned char)s[i]))
			i++;
	}
	return (int)i;
}

/* Z or +HH:MM / -HH:MM; returns its length or -1. */
static int
scan_offset(const char *s, size_t n)
{
	int h, m;

	if (n >= 1 && (s[0] == 'Z' || s[0] == 'z'))
		return 1;
	if (n < 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':')
		return -1;
	if ((h = num2(s + 1)) < 0 || h > 23)
		return -1;
	if ((m = num2(s + 4)) < 0 || m > 59)
		return -1;
	return 6;
}

static int
parse_datetime(struct parser *p, size_t off, const char *s, size_t n,
    struct toml_value *out)
{
	enum toml_type type;
	size_t i;
	int r;
	char *dt;

	if (n >= 3 && s[2] == ':') {
		if ((r = scan_time(s, n)) < 0 || (size_t)r != n)
			goto bad;
		type = TOML_TIME_LOCAL;
	} else {
		if (scan_date(s, n) < 0)
			goto bad;
		if (n == 10)
			type = TOML_DATE_LOCAL;
		else {
			if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
				goto bad;
			if ((r = scan_time(s + 11, n - 11)) < 0)
				goto bad;
			i = 11 + (size_t)r;
			if (i == n)
				type = TOML_DATETIME_LOCAL;
			else {
				if ((r = scan_offset(s + i, n - i)) < 0 ||
				    i + (size_t)r != n)
					goto bad;
				type = TOML_DATETIME;
			}
		}
	}
	if ((dt = malloc(n + 1)) == NULL)
		return nomem(p);
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == ' ' || c == 't')
			c = 'T';
		else if (c == 'z')
			c = 'Z';
		dt[i] = c;
	}
	dt[n] = '\0';
	out->type = type;
	out->u.dt = dt;
	return 0;
bad:
	return fail_at(p, off, "invalid date or time '%.*s'",
	    (int)(n > 40 ? 40 : n), s);
}

static int
is_token_char(int c)
{
	return is_bare(c) || c == '+' || c == '.' || c == ':';
}

/* A number, boolean, date or time starting at p->pos. */
static int
parse_scalar(struct parser *p, struct toml_value *out)
{
	size_t start = p->pos, n;
	const char *s = (const char *)p->src + start;
	int has_colon = 0, is_float = 0, hex = 0;
	size_t i;

	while (is_token_char(peek(p)))
		p->pos++;
	/*
	 * A date followed by a space and a time is one date-time.  Only
	 * take the space when a time really follows, so "d = 1979-05-27 #x"
	 * still works.
	 */
	if (p->pos - start == 10 && peek(p) == ' ' &&
	    scan_date(s, 10) == 10 && is_digit(peek_at(p, 1)) &&
	    is_digit(peek_at(p, 2)) && peek_at(p, 3) == ':') {
		p->pos++;
		while (is_token_char(peek(p)))
			p->pos++;
	}
	n = p->pos - start;
	if (n == 0) {
		int c = peek(p);

		if (c < 0)
			return fail_at(p, start, "expected a value, found end "
			    "of input");
		if (c == '\n' || c == '\r')
			return fail_at(p, start, "expected a value, found end "
			    "of line");
		return fail_at(p, start, "expected a value, found '%c'",
		    c >= 0x20 && c < 0x7f ? c : '?');
	}
	if (n == 4 && memcmp(s, "true", 4) == 0) {
		out->type = TOML_BOOL;
		out->u.b = 1;
		return 0;
	}
	if (n == 5 && memcmp(s, "false", 5) == 0) {
		out->type = TOML_BOOL;
		out->u.b = 0;
		return 0;
	}
	if ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')) {
		if (!(n == 3 && (memcmp(s, "inf", 3) == 0 ||
		    memcmp(s, "nan", 3) == 0)))
			return fail_at(p, start, "invalid value '%.*s' "
			    "(strings must be quoted; booleans are true and "
			    "false)",
			    (int)(n > 40 ? 40 : n), s);
	}
	for (i = 0; i < n; i++)
		if (s[i] == ':')
			has_colon = 1;
	/* Dates start with four digits and '-'; "0.1e-5" is a float. */
	if (has_colon || (n >= 5 && is_digit((unsigned char)s[0]) &&
	    is_digit((unsigned char)s[1]) && is_digit((unsigned char)s[2]) &&
	    is_digit((unsigned char)s[3]) && s[4] == '-'))
		return parse_datetime(p, start, s, n, out);
	i = (s[0] == '+' || s[0] == '-') ? 1 : 0;
	if (n > i + 1 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'o' ||
	    s[i + 1] == 'b'))
		hex = 1;
	if (!hex)
		for (i = 0; i < n; i++)
			if (s[i] == '.' || s[i] == 'e' || s[i] == 'E' ||
			    s[i] == 'i' || s[i] == 'n')
				is_float = 1;
	if (is_float)
		return parse_float(p, start, s, n, out);
	return parse_integer(p, start, s, n, out);
}

/* Arrays and inline tables. */

static int
parse_array(struct parser *p, struct toml_value *out)
{
	struct toml_array *a;
	int r;

	if ((a = new_array(p, 0)) == NULL)
		return -1;
	out->type = TOML_ARRAY;
	out->u.arr = a;
	p->pos++;	/* '[' */
	for (;;) {
		struct toml_value *v;

		if (skip_ws_nl_comments(p) < 0)
			return -1;
		if (peek(p) == ']')
			break;
		if ((v = array_add(p, a)) == NULL)
			return -1;
		p->depth++;
		r = parse_value(p, v);
		p->depth--;
		if (r < 0)
			return -1;
		if (skip_ws_nl_comments(p) < 0)
			return -1;
		if (peek(p) == ',') {
			p->pos++;
			continue;
		}
		if (peek(p) == ']')
			break;
		if (at_eof(p))
			return fail_at(p, p->pos, "unterminated array");
		return fail_at(p, p->pos, "expected ',' or ']' in array");
	}
	p->pos++;	/* ']' */
	return 0;
}

static int parse_keyval(struct parser *p, struct toml_table *t);

static int
parse_inline_table(struct parser *p, struct toml_value *out)
{
	struct toml_table *t;
	size_t start = p->pos;
	int line, col;

	pos_at(p, start, &line, &col);
	if ((t = new_table(p, line, col, 0)) == NULL)
		return -1;
	out->type = TOML_TABLE;
	out->u.tab = t;
	p->pos++;	/* '{' */
	skip_ws(p);
	if (peek(p) == '}') {
		p->pos++;
		seal(out);
		return 0;
	}
	for (;;) {
		if (parse_keyval(p, t) < 0)
			return -1;
		skip_ws(p);
		if (peek(p) == ',') {
			p->pos++;
			skip_ws(p);
			if (peek(p) == '}')
				return fail_at(p, p->pos, "trailing comma "
				    "in inline table");
			continue;
		}
		if (peek(p) == '}')
			break;
		if (at_eof(p))
			return fail_at(p, start, "unterminated inline table");
		if (newline_len(p))
			return fail_at(p, p->pos, "newline in inline table");
		return fail_at(p, p->pos, "expected ',' or '}' in inline "
		    "table");
	}
	p->pos++;	/* '}' */
	seal(out);
	return 0;
}

static int
parse_value(struct parser *p, struct toml_value *out)
{
	int c = peek(p), r;
	struct buf b = { NULL, 0, 0 };

	pos_at(p, p->pos, &out->line, &out->col);
	if (p->depth > MAX_DEPTH)
		return fail_at(p, p->pos, "arrays and tables nested too "
		    "deeply (limit %d levels)", MAX_DEPTH);
	switch (c) {
	case '"':
	case '\'':
		if (peek_at(p, 1) == c && peek_at(p, 2) == c)
			r = parse_ml_string(p, &b, c == '\'');
		else if (c == '"')
			r = parse_basic_string(p, &b);
		else
			r = parse_literal_string(p, &b);
		if (r < 0) {
			free(b.p);
			return -1;
		}
		out->type = TOML_STRING;
		out->u.s.ptr = b.p;
		out->u.s.len = b.len;
		return 0;
	case '[':
	case '{':
		return c == '[' ? parse_array(p, out) :
		    parse_inline_table(p, out);
	default:
		return parse_scalar(p, out);
	}
}

/*
 * key = value into table t.  Intermediate parts of a dotted key walk or
 * create T_DOTTED tables; header tables and sealed tables cannot be
 * extended that way.
 */
static int
parse_keyval(struct parser *p, struct toml_table *t)
{
	struct toml_keyval *kv;
	struct toml_value val;
	struct key *k;
	char kb[64];
	size_t i;
	int r;

	if (parse_key(p) < 0)
		return -1;
	if (peek(p) != '=') {
		if (at_eof(p) || newline_len(p) || peek(p) == '\n')
			return fail_at(p, p->pos, "expected '=' after key");
		return fail_at(p, p->pos, "expected '=' after key, found "
		    "'%c'", peek(p) >= 0x20 && peek(p) < 0x7f ? peek(p) : '?');
	}
	/* t sits at level p->depth; the value lands nkeys levels below. */
	if (p->nkeys > (size_t)(MAX_DEPTH - p->depth))
		return fail_at(p, p->keys[MAX_DEPTH - p->depth].off,
		    "keys nested too deeply (limit %d levels)", MAX_DEPTH);
	p->pos++;
	for (i = 0; i + 1 < p->nkeys; i++) {
		k = &p->keys[i];
		kv = table_find(p, t, k->s, k->len);
		if (kv == NULL) {
			struct toml_table *nt;

			nt = new_table(p, k->line, k->col, T_DOTTED);
			if (nt == NULL)
				return -1;
			if ((kv = table_add(p, t, k)) == NULL) {
				free_table(nt);
				return -1;
			}
			kv->val.type = TOML_TABLE;
			kv->val.u.tab = nt;
		} else if (kv->val.type != TOML_TABLE)
			return fail_at(p, k->off, "key '%s' is already a %s, "
			    "not a table", key_show(k->s, k->len, kb,
			    sizeof(kb)), toml_type_name(kv->val.type));
		else if (kv->val.u.tab->flags & T_INLINE)
			return fail_at(p, k->off, "cannot extend inline "
			    "table '%s'", key_show(k->s, k->len, kb,
			    sizeof(kb)));
		else if (!(kv->val.u.tab->flags & T_DOTTED))
			return fail_at(p, k->off, "cannot add to table '%s' "
			    "with a dotted key: it was defined by a header",
			    key_show(k->s, k->len, kb, sizeof(kb)));
		t = kv->val.u.tab;
	}
	k = &p->keys[p->nkeys - 1];
	if ((kv = table_find(p, t, k->s, k->len)) != NULL)
		return fail_at(p, k->off, "duplicate key '%s' (first set at "
		    "line %d)", key_show(k->s, k->len, kb, sizeof(kb)),
		    kv->line);
	skip_ws(p);
	memset(&val, 0, sizeof(val));
	val.type = TOML_BOOL;
	/* The key path must survive nested keys in the value. */
	{
		struct key last = *k;
		int save = p->depth;

		last.s = malloc(k->len + 1);
		if (last.s == NULL)
			return nomem(p);
		memcpy(last.s, k->s, k->len);
		p->depth += (int)p->nkeys;
		r = parse_value(p, &val);
		p->depth = save;
		if (r == 0 && (kv = table_add(p, t, &last)) == NULL)
			r = -1;
		free(last.s);
	}
	if (r < 0) {
		free_value(&val);
		return -1;
	}
	kv->val = val;
	return 0;
}

/* [header] and [[header]]. */

static int
parse_header(struct parser *p, struct toml_table *root,
    struct toml_table **cur)
{
	size_t start = p->pos, i;
	int aot = peek_at(p, 1) == '[';
	struct toml_table *t = root, *nt;
	struct toml_keyval *kv;
	struct key *k;
	char kb[64];
	int hline, hcol, level = 0;

	pos_at(p, start, &hline, &hcol);
	p->pos += aot ? 2 : 1;
	if (parse_key(p) < 0)
		return -1;
	if (peek(p) != ']' || (aot && peek_at(p, 1) != ']'))
		return fail_at(p, p->pos, aot ? "expected ']]' to close "
		    "array-of-tables header" : "expected ']' to close table "
		    "header");
	p->pos += aot ? 2 : 1;

	for (i = 0; i + 1 < p->nkeys; i++) {
		k = &p->keys[i];
		if (++level > MAX_DEPTH)
			return fail_at(p, k->off, "tables nested too deeply "
			    "(limit %d levels)", MAX_DEPTH);
		kv = table_find(p, t, k->s, k->len);
		if (kv == NULL) {
			nt = new_table(p, k->line, k->col, T_IMPLICIT);
			if (nt == NULL)
				return -1;
			if ((kv = table_add(p, t, k)) == NULL) {
				free_table(nt);
				return -1;
			}
			kv->val.type = TOML_TABLE;
			kv->val.u.tab = nt;
			t = nt;
			continue;
		}
		if (kv->val.type == TOML_ARRAY &&
		    (kv->val.u.arr->flags & A_AOT)) {
			struct toml_array *a = kv->val.u.arr;

			t = a->items[a->len - 1].u.tab;
			level++;	/* the array, then its last table */
			continue;
		}
		if (kv->val.type != TOML_TABLE)
			return fail_at(p, k->off, "key '%s' is already a %s, "
			    "not a table", key_show(k->s, k->len, kb,
			    sizeof(kb)), toml_type_name(kv->val.type));
		if (kv->val.u.tab->flags & T_INLINE)
			return fail_at(p, k->off, "cannot extend inline "
			    "table '%s'", key_show(k->s, k->len, kb,
			    sizeof(kb)));
		t = kv->val.u.tab;
	}

	k = &p->keys[p->nkeys - 1];
	level += aot ? 2 : 1;
	if (level > MAX_DEPTH)
		return fail_at(p, k->off, "tables nested too deeply (limit %d "
		    "levels)", MAX_DEPTH);
	kv = table_find(p, t, k->s, k->len);
	if (aot) {
		struct toml_array *a;
		struct toml_value *v;

		if (kv == NULL) {
			if ((a = new_array(p, A_AOT)) == NULL)
				return -1;
			if ((kv = table_add(p, t, k)) == NULL) {
				free_array(a);
				return -1;
			}
			kv->val.type = TOML_ARRAY;
			kv->val.u.arr = a;
		} else if (kv->val.type != TOML_ARRAY ||
		    !(kv->val.u.arr->flags & A_AOT))
			return fail_at(p, k->off, "cannot append to '%s' with "
			    "[[...]]: it is already a %s%s", key_show(k->s,
			    k->len, kb, sizeof(kb)),
			    kv->val.type == TOML_ARRAY ? "static " : "",
			    toml_type_name(kv->val.type));
		a = kv->val.u.arr;
		if ((nt = new_table(p, hline, hcol, T_DEFINED)) == NULL)
			return -1;
		if ((v = array_add(p, a)) == NULL) {
			free_table(nt);
			return -1;
		}
		v->line = hline;
	v->col = hcol;
		v->type = TOML_TABLE;
		v->u.tab = nt;
		*cur = nt;
		p->depth = level;
		return 0;
	}
	if (kv == NULL) {
		if ((nt = new_table(p, hline, hcol, T_DEFINED)) == NULL)
			return -1;
		if ((kv = table_add(p, t, k)) == NULL) {
			free_table(nt);
			return -1;
		}
		kv->val.type = TOML_TABLE;
		kv->val.u.tab = nt;
		*cur = nt;
		p->depth = level;
		return 0;
	}
	if (kv->val.type != TOML_TABLE)
		return fail_at(p, k->off, "key '%s' is already a %s, not a "
		    "table", key_show(k->s, k->len, kb, sizeof(kb)),
		    toml_type_name(kv->val.type));
	nt = kv->val.u.tab;
	if (nt->flags & (T_DEFINED | T_DOTTED | T_INLINE))
		return fail_at(p, k->off, "table '%s' is defined twice "
		    "(first at line %d)", key_show(k->s, k->len, kb,
		    sizeof(kb)), nt->line);
	/* Implicitly created earlier; this header now defines it. */
	nt->flags = (nt->flags & ~T_IMPLICIT) | T_DEFINED;
	nt->line = hline;
	nt->col = hcol;
	*cur = nt;
	p->depth = level;
	return 0;
}

/* Entry points. */

struct toml_table *
toml_parse(const char *src, size_t len, struct toml_error *err)
{
	struct parser p;
	struct toml_table *root, *cur;
	struct toml_error dummy;

	if (err == NULL)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	memset(&p, 0, sizeof(p));
	p.src = (const unsigned char *)(src != NULL ? src : "");
	p.len = src != NULL ? len : 0;
	p.err = err;
	p.lc_line = p.lc_col = 1;

	if ((root = new_table(&p, 1, 1, T_DEFINED)) == NULL)
		return NULL;
	cur = root;
	if (check_encoding(&p) < 0)
		goto fail;
	/* A leading byte-order mark is not part of the document. */
	if (p.len >= 3 && memcmp(p.src, "\xEF\xBB\xBF", 3) == 0)
		p.pos = 3;
	while (!at_eof(&p)) {
		int c, nl;

		skip_ws(&p);
		c = peek(&p);
		if (c < 0)
			break;
		if ((nl = newline_len(&p)) != 0) {
			p.pos += nl;
			continue;
		}
		if (c == '#') {
			if (skip_comment(&p) < 0)
				goto fail;
			continue;
		}
		if (c == '[') {
			if (parse_header(&p, root, &cur) < 0 ||
			    expect_eol(&p, "table header") < 0)
				goto fail;
			continue;
		}
		if (parse_keyval(&p, cur) < 0 ||
		    expect_eol(&p, "value") < 0)
			goto fail;
	}
	keys_clear(&p);
	free(p.keys);
	free(p.hash);
	return root;
fail:
	keys_clear(&p);
	free(p.keys);
	free(p.hash);
	free_table(root);
	return NULL;
}

struct toml_table *
toml_parse_file(const char *path, struct toml_error *err)
{
	struct toml_error dummy;
	struct toml_table *t;
	char *data = NULL, *np;
	size_t len = 0, cap = 0, n;
	FILE *f;

	if (err == NULL)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(err->msg, sizeof(err->msg), "cannot open: %s",
		    strerror(errno));
		return NULL;
	}
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			if ((np = realloc(data, cap)) == NULL) {
				snprintf(err->msg, sizeof(err->msg),
				    "out of memory");
				goto fail;
			}
			data = np;
		}
		n = fread(data + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err->msg, sizeof(err->msg), "read error: %s",
		    strerror(errno));
		goto fail;
	}
	fclose(f);
	t = toml_parse(data, len, err);
	free(data);
	return t;
fail:
	fclose(f);
	free(data);
	return NULL;
}

void
toml_free(struct toml_table *root)
{
	free_table(root);
}

const struct toml_keyval *
toml_table_get_kv(const struct toml_table *t, const char *key)
{
	size_t i, len;

	if (t == NULL || key == NULL)
		return NULL;
	len = strlen(key);
	for (i = 0; i < t->len; i++)
		if (t->items[i].keylen == len &&
		    memcmp(t->items[i].key, key, len) == 0)
			return &t->items[i];
	return NULL;
}

const struct toml_value *
toml_table_get(const struct toml_table *t, const char *key)
{
	const struct toml_keyval *kv = toml_table_get_kv(t, key);

	return kv != NULL ? &kv->val : NULL;
}

const char *
toml_type_name(enum toml_type type)
{
	switch (type) {
	case TOML_STRING:
		return "string";
	case TOML_INTEGER:
		return "integer";
	case TOML_FLOAT:
		return "float";
	case TOML_BOOL:
		return "bool";
	case TOML_DATETIME:
		return "datetime";
	case TOML_DATETIME_LOCAL:
		return "datetime-local";
	case TOML_DATE_LOCAL:
		return "date-local";
	case TOML_TIME_LOCAL:
		return "time-local";
	case TOML_ARRAY:
		return "array";
	case TOML_TABLE:
		return "table";
	}
	return "unknown";
}
