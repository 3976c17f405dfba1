/*
 * toml.h -- a TOML 1.0 parser producing a small document tree.
 *
 * Used by rustos-pkg for RUSTOS.package.toml and config/rustos.toml, and by
 * tests/unit/toml-decode (the toml-test decoder).  Tables keep their keys in
 * source order.  Every node records where it was written (1-based line and
 * column) so callers can report "file:line:col".
 *
 * Ownership: toml_parse() returns a tree that toml_free() releases whole;
 * nothing inside is owned by the caller.
 */
#ifndef RUSTOS_TOML_H
#define RUSTOS_TOML_H

#include <stddef.h>
#include <stdint.h>

enum toml_type {
	TOML_STRING,
	TOML_INTEGER,
	TOML_FLOAT,
	TOML_BOOL,
	TOML_DATETIME,		/* offset date-time: 1979-05-27T07:32:00Z */
	TOML_DATETIME_LOCAL,	/* 1979-05-27T07:32:00 */
	TOML_DATE_LOCAL,	/* 1979-05-27 */
	TOML_TIME_LOCAL,	/* 07:32:00 */
	TOML_ARRAY,
	TOML_TABLE,
};

struct toml_table;
struct toml_array;

struct toml_value {
	enum toml_type type;
	int line, col;			/* where the value starts */
	union {
		struct {
			char *ptr;	/* UTF-8, NUL-terminated; may hold U+0000 */
			size_t len;
		} s;			/* TOML_STRING */
		int64_t i;		/* TOML_INTEGER */
		double f;		/* TOML_FLOAT */
		int b;			/* TOML_BOOL */
		char *dt;		/* date/time kinds: text as written, with
					   ' '/'t'/'z' normalised to 'T'/'T'/'Z' */
		struct toml_array *arr;	/* TOML_ARRAY */
		struct toml_table *tab;	/* TOML_TABLE */
	} u;
};

struct toml_keyval {
	char *key;			/* NUL-terminated; a quoted key may hold
				   U+0000 ("\u0000"), so keylen rules */
	size_t keylen;
	int line, col;			/* where the key was written */
	struct toml_value val;
};

struct toml_table {
	struct toml_keyval *items;
	size_t len, cap;
	int line, col;			/* header or first key that made it */
	unsigned flags;			/* parser-private bookkeeping */
};

struct toml_array {
	struct toml_value *items;
	size_t len, cap;
	unsigned flags;			/* parser-private bookkeeping */
};

/* Columns count characters (UTF-8 code points), a tab as one. */
struct toml_error {
	int line, col;			/* 1-based; 0 when not tied to a place */
	char msg[200];
};

/*
 * Parse len bytes of TOML.  Returns the root table, or NULL with *err filled
 * (message without file name; callers prefix "PATH:LINE:COL: ").
 */
struct toml_table *toml_parse(const char *src, size_t len,
    struct toml_error *err);

/* Read and parse a file; a read failure is reported in err with line 0. */
struct toml_table *toml_parse_file(const char *path, struct toml_error *err);

void toml_free(struct toml_table *root);

/* Look up a key in one table (no dotted paths); NULL when absent. */
const struct toml_value *toml_table_get(const struct toml_table *t,
    const char *key);
const struct toml_keyval *toml_table_get_kv(const struct toml_table *t,
    const char *key);

/* "string", "integer", "float", "bool", "datetime", ..., "array", "table" */
const char *toml_type_name(enum toml_type type);

#endif /* RUSTOS_TOML_H */
