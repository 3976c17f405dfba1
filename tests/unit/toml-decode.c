/*
 * toml-decode.c -- toml-test decoder for tools/rustos-pkg/toml.c.
 *
 * Reads TOML from the file named on the command line (or stdin), prints the
 * document as toml-test's tagged JSON on stdout and exits 0.  A parse error
 * goes to stderr as "LINE:COL: message" with exit status 1; a usage or read
 * error exits 2.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/rustos-pkg/toml.h"

static void print_value(const struct toml_value *v, FILE *out);

static void
print_string(const char *s, size_t len, FILE *out)
{
	size_t i;

	putc('"', out);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\b':
			fputs("\\b", out);
			break;
		case '\f':
			fputs("\\f", out);
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(out, "\\u%04x", c);
			else
				putc(c, out);
		}
	}
	putc('"', out);
}

static void
print_tagged(const char *type, const char *text, FILE *out)
{
	fprintf(out, "{\"type\": \"%s\", \"value\": ", type);
	print_string(text, strlen(text), out);
	putc('}', out);
}

static void
print_table(const struct toml_table *t, FILE *out)
{
	size_t i;

	putc('{', out);
	for (i = 0; i < t->len; i++) {
		if (i > 0)
			fputs(", ", out);
		print_string(t->items[i].key, t->items[i].keylen, out);
		fputs(": ", out);
		print_value(&t->items[i].val, out);
	}
	putc('}', out);
}

static void
print_value(const struct toml_value *v, FILE *out)
{
	char num[64];
	size_t i;

	switch (v->type) {
	case TOML_STRING:
		fputs("{\"type\": \"string\", \"value\": ", out);
		print_string(v->u.s.ptr, v->u.s.len, out);
		putc('}', out);
		break;
	case TOML_INTEGER:
		snprintf(num, sizeof(num), "%" PRId64, v->u.i);
		print_tagged("integer", num, out);
		break;
	case TOML_FLOAT:
		if (isnan(v->u.f))
			snprintf(num, sizeof(num), "nan");
		else if (isinf(v->u.f))
			snprintf(num, sizeof(num), "%sinf",
			    v->u.f < 0 ? "-" : "");
		else
			snprintf(num, sizeof(num), "%.17g", v->u.f);
		print_tagged("float", num, out);
		break;
	case TOML_BOOL:
		print_tagged("bool", v->u.b ? "true" : "false", out);
		break;
	case TOML_DATETIME:
	case TOML_DATETIME_LOCAL:
	case TOML_DATE_LOCAL:
	case TOML_TIME_LOCAL:
		print_tagged(toml_type_name(v->type), v->u.dt, out);
		break;
	case TOML_ARRAY:
		putc('[', out);
		for (i = 0; i < v->u.arr->len; i++) {
			if (i > 0)
				fputs(", ", out);
			print_value(&v->u.arr->items[i], out);
		}
		putc(']', out);
		break;
	case TOML_TABLE:
		print_table(v->u.tab, out);
		break;
	}
}

int
main(int argc, char **argv)
{
	struct toml_error err;
	struct toml_table *root;

	if (argc > 2) {
		fprintf(stderr, "usage: toml-decode [FILE] < TOML\n");
		return 2;
	}
	if (argc == 2)
		root = toml_parse_file(argv[1], &err);
	else {
		char *data = NULL, *np;
		size_t len = 0, cap = 0, n;

		do {
			if (cap - len < 4096) {
				cap = cap ? cap * 2 : 65536;
				if ((np = realloc(data, cap)) == NULL) {
					fprintf(stderr, "toml-decode: out of "
					    "memory\n");
					return 2;
				}
				data = np;
			}
			n = fread(data + len, 1, cap - len, stdin);
			len += n;
		} while (n > 0);
		if (ferror(stdin)) {
			perror("toml-decode: stdin");
			return 2;
		}
		root = toml_parse(data, len, &err);
		free(data);
	}
	if (root == NULL) {
		if (err.line == 0) {
			fprintf(stderr, "%s: %s\n",
			    argc == 2 ? argv[1] : "stdin", err.msg);
			return 2;
		}
		fprintf(stderr, "%d:%d: %s\n", err.line, err.col, err.msg);
		return 1;
	}
	print_table(root, stdout);
	putc('\n', stdout);
	toml_free(root);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("toml-decode: stdout");
		return 2;
	}
	return 0;
}
