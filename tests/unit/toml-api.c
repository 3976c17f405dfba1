/*
 * toml-api.c -- TAP test of the toml.h API beyond what toml-test sees:
 * lookups, source positions of keys, values and tables, key order, keys
 * and strings holding U+0000, newline normalisation, numeric edge values,
 * date/time normalisation, file reading and error reporting.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/rustos-pkg/toml.h"

static int n, failed;

static void
ok(int cond, const char *name)
{
	n++;
	if (!cond)
		failed = 1;
	printf("%sok %d - %s\n", cond ? "" : "not ", n, name);
}

static struct toml_table *
parse(const char *s, struct toml_error *err)
{
	return toml_parse(s, strlen(s), err);
}

int
main(void)
{
	struct toml_error err;
	struct toml_table *t;
	const struct toml_value *v, *w;
	const struct toml_keyval *kv;
	FILE *f;

	printf("1..26\n");

	t = parse("# c\nname = \"rustos\"\n  n = -9223372036854775808\n"
	    "[build]\nbuilder = 'c-program'\nsources = [\"a.c\",\n  \"b.c\"]\n"
	    "[install.x]\n", &err);
	ok(t != NULL, "parse a small manifest");
	if (t == NULL) {
		printf("# %d:%d: %s\n", err.line, err.col, err.msg);
		printf("Bail out! cannot continue\n");
		return 1;
	}
	v = toml_table_get(t, "name");
	ok(v != NULL && v->type == TOML_STRING && v->u.s.len == 6 &&
	    strcmp(v->u.s.ptr, "rustos") == 0, "string lookup");
	kv = toml_table_get_kv(t, "n");
	ok(kv != NULL && kv->val.type == TOML_INTEGER &&
	    kv->val.u.i == INT64_MIN, "INT64_MIN parses");
	ok(kv != NULL && kv->line == 3 && kv->col == 3 && kv->val.line == 3 &&
	    kv->val.col == 7, "key and value positions");
	v = toml_table_get(t, "build");
	ok(v != NULL && v->type == TOML_TABLE && v->u.tab->line == 4 &&
	    v->u.tab->col == 1, "header table position");
	w = v != NULL ? toml_table_get(v->u.tab, "sources") : NULL;
	ok(w != NULL && w->type == TOML_ARRAY && w->u.arr->len == 2 &&
	    w->u.arr->items[1].line == 7 && w->u.arr->items[1].col == 3 &&
	    strcmp(w->u.arr->items[1].u.s.ptr, "b.c") == 0,
	    "array element and its position");
	ok(t->len == 4 && strcmp(t->items[0].key, "name") == 0 &&
	    strcmp(t->items[2].key, "build") == 0 &&
	    strcmp(t->items[3].key, "install") == 0, "keys in source order");
	v = toml_table_get(t, "install");
	ok(v != NULL && v->type == TOML_TABLE &&
	    toml_table_get(v->u.tab, "x") != NULL &&
	    toml_table_get(t, "missing") == NULL &&
	    toml_table_get(t, "build.builder") == NULL,
	    "implicit table, absent keys, no dotted-path lookup");
	toml_free(t);

	t = parse("\"a\\u0000b\" = \"x\\u0000y\"\n", &err);
	ok(t != NULL && t->len == 1 && t->items[0].keylen == 3 &&
	    memcmp(t->items[0].key, "a\0b", 4) == 0 &&
	    t->items[0].val.u.s.len == 3 &&
	    memcmp(t->items[0].val.u.s.ptr, "x\0y", 4) == 0,
	    "U+0000 in keys and strings, lengths authoritative");
	toml_free(t);

	t = parse("s = \"\"\"\r\none\r\ntwo\\\r\n   three\"\"\"\r\n", &err);
	v = t != NULL ? toml_table_get(t, "s") : NULL;
	ok(v != NULL && strcmp(v->u.s.ptr, "one\ntwothree") == 0,
	    "multi-line string: CRLF stored as LF, line-ending backslash");
	toml_free(t);

	t = parse("a = 0.1e-5\nb = -0.0\nc = -inf\nd = nan\n"
	    "e = 0x7fff_ffff_ffff_ffff\nf = 0b1_0\ng = 0o17\nh = 6.02e+23\n",
	    &err);
	ok(t != NULL && toml_table_get(t, "a")->type == TOML_FLOAT &&
	    toml_table_get(t, "a")->u.f == 1e-6, "0.1e-5 is a float");
	ok(t != NULL && signbit(toml_table_get(t, "b")->u.f) &&
	    isinf(toml_table_get(t, "c")->u.f) &&
	    toml_table_get(t, "c")->u.f < 0 &&
	    isnan(toml_table_get(t, "d")->u.f), "-0.0, -inf, nan");
	ok(t != NULL && toml_table_get(t, "e")->u.i == INT64_MAX &&
	    toml_table_get(t, "f")->u.i == 2 &&
	    toml_table_get(t, "g")->u.i == 15 &&
	    toml_table_get(t, "h")->u.f == 6.02e23, "hex, binary, octal, exp");
	toml_free(t);

	t = parse("a = 1979-05-27 07:32:00.5z\nb = 1979-05-27t07:32:00\n"
	    "c = 2000-02-29\nd = 23:59:60\n", &err);
	v = t != NULL ? toml_table_get(t, "a") : NULL;
	ok(v != NULL && v->type == TOML_DATETIME &&
	    strcmp(v->u.dt, "1979-05-27T07:32:00.5Z") == 0,
	    "offset date-time normalised to T and Z");
	v = t != NULL ? toml_table_get(t, "b") : NULL;
	ok(v != NULL && v->type == TOML_DATETIME_LOCAL &&
	    strcmp(v->u.dt, "1979-05-27T07:32:00") == 0, "local date-time");
	ok(t != NULL && toml_table_get(t, "c")->type == TOML_DATE_LOCAL &&
	    toml_table_get(t, "d")->type == TOML_TIME_LOCAL,
	    "local date (leap day) and local time (leap second)");
	toml_free(t);

	t = parse("[t]\nx = 1\n\n[t]\n", &err);
	ok(t == NULL && err.line == 4 && err.col == 2 &&
	    strstr(err.msg, "defined twice") != NULL, "error position");
	t = parse("a = 1\na = 2\n", NULL);
	ok(t == NULL, "NULL error pointer is allowed");
	t = toml_parse(NULL, 0, &err);
	ok(t != NULL && t->len == 0, "empty input is an empty table");
	toml_free(t);
	t = toml_parse("a = 1\0b = 2\n", 12, &err);
	ok(t == NULL && err.line == 1 && err.col == 6,
	    "NUL byte in the document is rejected");
	t = toml_parse("\xEF\xBB\xBF" "a = 1", 8, &err);
	ok(t != NULL && t->len == 1, "leading byte-order mark is skipped");
	toml_free(t);

	t = toml_parse_file("/nonexistent/dir/x.toml", &err);
	ok(t == NULL && err.line == 0 && err.msg[0] != '\0',
	    "unreadable file: error with line 0");
	if ((f = fopen("toml-api.tmp.toml", "wb")) != NULL) {
		fputs("[p]\nid = \"x\"\n", f);
		fclose(f);
	}
	t = toml_parse_file("toml-api.tmp.toml", &err);
	remove("toml-api.tmp.toml");
	v = t != NULL ? toml_table_get(t, "p") : NULL;
	ok(v != NULL && toml_table_get(v->u.tab, "id") != NULL,
	    "toml_parse_file reads a file");
	toml_free(t);

	ok(strcmp(toml_type_name(TOML_DATETIME_LOCAL), "datetime-local") == 0 &&
	    strcmp(toml_type_name(TOML_BOOL), "bool") == 0 &&
	    strcmp(toml_type_name(TOML_TABLE), "table") == 0, "type names");
	toml_free(NULL);
	ok(1, "toml_free(NULL) is a no-op");
	t = parse("x = {a.b = 1}\nx.a.c = 2\n", &err);
	ok(t == NULL && err.line == 2 && err.col == 1 &&
	    strstr(err.msg, "inline") != NULL, "inline tables are sealed");
	return failed;
}
