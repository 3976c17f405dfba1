/*
 * fuzz.c -- deterministic mutation fuzzer for rustos-pkg, built with
 * $(HOST_CC) -fsanitize=address,undefined by tests/unit/pkg/fuzz.sh and
 * linked with every rustos-pkg module except main.c.
 *
 *   fuzz manifests SEED N FILE...   N mutated manifests, in-process
 *   fuzz rules SEED N               N mutated fault-rule strings
 *   fuzz configs SEED N TMPDIR FILE...  N mutated config files
 *   fuzz emit SEED N OUTDIR FILE... write N mutated files for CLI runs
 *
 * The sanitizers turn any memory or UB bug into an abort; the harness
 * itself checks the promise that every rejected input produced at least one
 * error message, and that accepted rule strings satisfy the grammar.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "lib/fault-rules/fault_rules.h"
#include "manifest.h"
#include "toml.h"
#include "util.h"

#define MAXLEN	(64 * 1024)

struct corpus {
	char **buf;
	size_t *len;
	size_t n;
};

static uint64_t rng;

static uint64_t
rnd(void)
{

	/* xorshift64*: deterministic for a given seed on every host. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (rng * 0x2545F4914F6CDD1DULL);
}

static size_t
rndn(size_t n)
{

	return (n == 0 ? 0 : (size_t)(rnd() % n));
}

static const char *const tokens[] = {
	"\"", "'", "[", "]", "[[", "]]", "{", "}", "=", ",", ".", "#", "\n",
	"\\", "\\u0000", "\\U0010FFFF", "\\x", "\"\"\"", "'''", "\t", "\r\n",
	"\0", "\xff", "\xc3\xa9", "true", "false", "-", "+", "1e400", "nan",
	"0x7fffffffffffffff", "99999999999999999999", "1979-05-27T07:32:00Z",
	"kind = \"bridge-driver\"", "kind = \"app\"", "startup = \"desktop\"",
	"[autoload]", "[[desktop.entries]]", "[install]", "[build]",
	"runtime_deps = [\"a\", \"a\"]", "id = \"a\"", "path = \"\"",
	"layout = \"directory\"", "profiles = []", "a=fail", ";", "rate:",
	"drop-every:0", "delay-ms:", "fail-after:18446744073709551616", "=",
	"[fault_injection]", "[kernel.build]", "[logging.categories]",
	"opt_level = \"s\"", "enabled = true", "rules = [\"\"]",
};

#define NTOKENS (sizeof(tokens) / sizeof(tokens[0]))

static size_t
insert(char *b, size_t len, size_t at, const char *s, size_t n)
{

	if (len + n > MAXLEN)
		return (len);
	memmove(b + at + n, b + at, len - at);
	memcpy(b + at, s, n);
	return (len + n);
}

/* Values that pass TOML but test the schema rules. */
static const char *const hostile[] = {
	"", "a,b", "a|b", "/abs/path", "../up", "a//b", "a/", "x.desktop",
	"\\t", "\\n", "\\r", "\\u0000", "apps/a/a.elf", "system/drivers/x.ko",
	"drivers/user/x", "compat/x", "services/x", "c-program", "bridge-driver",
	"user-driver", "kernel", "directory", "desktop", "session", "init",
	"display-primary", "virtio", "all-sessions", "KEY=VALUE", "=x", "a b",
	"\\u00e9", "default", "network-dev",
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
};

#define NHOSTILE (sizeof(hostile) / sizeof(hostile[0]))

/* Replace the body of one "basic string" chosen at random. */
static size_t
replace_string(char *b, size_t len)
{
	size_t q[64], nq, i, at, end, n;
	const char *h;

	nq = 0;
	for (i = 0; i < len && nq < 64; i++)
		if (b[i] == '"' && (i == 0 || b[i - 1] != '\\'))
			q[nq++] = i;
	if (nq < 2)
		return (len);
	i = rndn(nq / 2) * 2;
	at = q[i] + 1;
	end = q[i + 1];
	h = hostile[rndn(NHOSTILE)];
	n = strlen(h);
	if (len - (end - at) + n > MAXLEN)
		return (len);
	memmove(b + at + n, b + end, len - end);
	memcpy(b + at, h, n);
	return (len - (end - at) + n);
}

static size_t
mutate(char *b, size_t len, const struct corpus *c)
{
	size_t ops, i, at, n, k, srclen;
	const char *t, *src;

	/* Half the inputs stay valid TOML, so the schema code is reached. */
	if (rndn(2) == 0) {
		ops = 1 + rndn(3);
		for (i = 0; i < ops; i++)
			len = replace_string(b, len);
		return (len);
	}
	ops = 1 + rndn(4);
	for (i = 0; i < ops; i++) {
		at = rndn(len + 1);
		switch (rndn(10)) {
		case 0:
			if (len > 0)
				b[rndn(len)] ^= (char)(1u << rndn(8));
			break;
		case 1:
			if (len > 0)
				b[rndn(len)] = (char)rnd();
			break;
		case 2:
			t = tokens[rndn(NTOKENS)];
			n = t[0] == '\0' ? 1 : strlen(t);
			len = insert(b, len, at, t, n);
			break;
		case 3:
			n = 1 + rndn(16);
			if (at + n > len)
				n = len - at;
			memmove(b + at, b + at + n, len - at - n);
			len -= n;
			break;
		case 4:
			if (len == 0)
				break;
			k = rndn(len);
			n = 1 + rndn(64);
			if (k + n > len)
				n = len - k;
			{
				char tmp[64];

				memcpy(tmp, b + k, n);
				len = insert(b, len, at, tmp, n);
			}
			break;
		case 5:
			/* Splice a line of another corpus file. */
			if (c == NULL || c->n == 0)
				break;
			k = rndn(c->n);
			src = c->buf[k];
			srclen = c->len[k];
			if (srclen == 0)
				break;
			k = rndn(srclen);
			for (n = 0; k + n < srclen && src[k + n] != '\n'; n++)
				;
			len = insert(b, len, at, src + k, n < srclen - k ?
			    n + 1 : n);
			break;
		case 6:
			if (len > 0)
				b[rndn(len)] = "\"'[]{}=,.#\n\\\t"[rndn(14)];
			break;
		case 7:
			if (rndn(4) == 0)
				len = rndn(len + 1);
			break;
		case 8:
		case 9:
			/* Keep the TOML valid, make a string value hostile. */
			len = replace_string(b, len);
			break;
		}
	}
	return (len);
}

static void
load_corpus(struct corpus *c, char **files, int n)
{
	int i;

	c->buf = xcalloc((size_t)n, sizeof(*c->buf));
	c->len = xcalloc((size_t)n, sizeof(*c->len));
	for (i = 0; i < n; i++) {
		c->buf[c->n] = read_whole_file(files[i], MAXLEN, &c->len[c->n]);
		if (c->buf[c->n] == NULL) {
			fprintf(stderr, "fuzz: cannot read %s\n", files[i]);
			exit(2);
		}
		c->n++;
	}
}

static char *
pick(const struct corpus *c, size_t *len)
{
	char *b;
	size_t k;

	b = xmalloc(MAXLEN + 1);
	k = rndn(c->n);
	memcpy(b, c->buf[k], c->len[k]);
	*len = mutate(b, c->len[k], c);
	b[*len] = '\0';
	return (b);
}

static int
fuzz_manifests(unsigned long n, const struct corpus *c)
{
	struct pkgset set;
	struct manifest *m, *fixed[2];
	unsigned long i, parse_err, invalid, valid;
	size_t len;
	int before;
	char *b;

	parse_err = invalid = valid = 0;
	fixed[0] = manifest_load_buffer("fixed-0", c->buf[0], c->len[0]);
	fixed[1] = manifest_load_buffer("fixed-1", c->buf[c->n - 1],
	    c->len[c->n - 1]);
	for (i = 0; i < n; i++) {
		b = pick(c, &len);
		before = diag_errors;
		m = manifest_load_buffer("fuzz/RUSTOS.package.toml", b, len);
		if (m == NULL || !m->ok) {
			if (diag_errors == before) {
				fprintf(stderr, "fuzz: manifest %lu rejected "
				    "without a message\n", i);
				return (1);
			}
			if (m == NULL)
				parse_err++;
			else
				invalid++;
		} else
			valid++;
		if (m != NULL) {
			/* Cross checks with two known manifests. */
			set.m = xcalloc(3, sizeof(*set.m));
			set.m[0] = m;
			set.m[1] = fixed[0];
			set.m[2] = fixed[1];
			set.n = 3;
			pkgset_validate(&set, (i & 1) ? "default" : NULL);
			free(set.m);
			manifest_free(m);
		}
		free(b);
	}
	manifest_free(fixed[0]);
	manifest_free(fixed[1]);
	printf("# manifests: %lu parse errors, %lu invalid, %lu valid\n",
	    parse_err, invalid, valid);
	return (0);
}

static int
rule_ok(const struct fault_rule *r)
{
	const char *p;
	size_t n;

	n = strlen(r->location);
	if (n == 0 || n >= FAULT_LOCATION_MAX)
		return (0);
	for (p = r->location; *p != '\0'; p++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789._:/-", *p) == NULL)
			return (0);
	if (r->action == FAULT_ACTION_RATE && r->n > 1000)
		return (0);
	if (r->action == FAULT_ACTION_DROP_EVERY && r->n == 0)
		return (0);
	return (1);
}

static const char *const seed_rules[] = {
	"alloc.frame=fail", "block.read=drop-every:3;block.write=off",
	"socket.send=rate:500, socket.recv=fail-after:10\nprocess.spawn=fail",
	"display.present=delay-ms:20", "virtio-gpu.control.submit=fail",
	" pci.config.read = rate:1000 ;;", "driver.module.load=fail-after:0",
};

static int
fuzz_rules(unsigned long n)
{
	struct fault_rule rules[FAULT_RULES_MAX];
	struct fault_parse_status st;
	unsigned long i, good, bad;
	char *b;
	size_t len, k;
	int rc, j;

	good = bad = 0;
	b = xmalloc(MAXLEN + 1);
	for (i = 0; i < n; i++) {
		k = rndn(sizeof(seed_rules) / sizeof(seed_rules[0]));
		len = strlen(seed_rules[k]);
		memcpy(b, seed_rules[k], len);
		len = mutate(b, len, NULL);
		/* The parser must never read past len: no terminator. */
		rc = fault_rules_parse(b, len, rules, FAULT_RULES_MAX, &st);
		if (rc < 0) {
			if (st.error == FAULT_PARSE_OK ||
			    st.offset + st.length > len ||
			    fault_parse_error_str(st.error)[0] == '\0') {
				fprintf(stderr, "fuzz: rule string %lu: bad "
				    "status\n", i);
				return (1);
			}
			bad++;
			continue;
		}
		for (j = 0; j < rc; j++)
			if (!rule_ok(&rules[j])) {
				fprintf(stderr, "fuzz: rule string %lu: "
				    "accepted rule %d breaks the grammar\n",
				    i, j);
				return (1);
			}
		good++;
	}
	free(b);
	printf("# rule strings: %lu rejected, %lu accepted\n", bad, good);
	return (0);
}

static int
fuzz_configs(unsigned long n, const char *tmpdir, const struct corpus *c)
{
	unsigned long i, bad;
	char *path, *b, *argv[5];
	size_t len;
	int before, rc;

	path = xasprintf("%s/fuzz-config.toml", tmpdir);
	bad = 0;
	if (freopen("/dev/null", "w", stdout) == NULL)
		return (1);
	for (i = 0; i < n; i++) {
		b = pick(c, &len);
		if (write_file(path, b, len, 0644) != 0) {
			fprintf(stderr, "fuzz: cannot write %s\n", path);
			return (1);
		}
		argv[0] = "config";
		argv[1] = (i % 3 == 0) ? "show" : (i % 3 == 1) ? "check" :
		    "kernel-cflags";
		argv[2] = "--config";
		argv[3] = path;
		argv[4] = NULL;
		before = diag_errors;
		rc = config_main(4, argv);
		if (rc != 0 && diag_errors == before) {
			fprintf(stderr, "fuzz: config %lu rejected without a "
			    "message\n", i);
			return (1);
		}
		bad += rc != 0;
		free(b);
	}
	fprintf(stderr, "# configs: %lu rejected of %lu\n", bad, n);
	free(path);
	return (0);
}

static int
emit(unsigned long n, const char *outdir, const struct corpus *c)
{
	unsigned long i;
	char *b, *p;
	size_t len;

	for (i = 0; i < n; i++) {
		b = pick(c, &len);
		p = xasprintf("%s/%04lu.toml", outdir, i);
		if (write_file(p, b, len, 0644) != 0) {
			fprintf(stderr, "fuzz: cannot write %s\n", p);
			return (1);
		}
		free(p);
		free(b);
	}
	return (0);
}

int
main(int argc, char **argv)
{
	struct corpus c = { 0 };
	unsigned long n;

	if (argc < 4) {
		fprintf(stderr, "usage: fuzz manifests|rules|configs|emit "
		    "SEED N [DIR] [FILE...]\n");
		return (2);
	}
	rng = strtoull(argv[2], NULL, 0) | 1;
	n = strtoul(argv[3], NULL, 0);
	diag_quiet = 1;
	if (strcmp(argv[1], "rules") == 0)
		return (fuzz_rules(n));
	if (strcmp(argv[1], "manifests") == 0 && argc > 4) {
		load_corpus(&c, argv + 4, argc - 4);
		return (fuzz_manifests(n, &c));
	}
	if ((strcmp(argv[1], "configs") == 0 || strcmp(argv[1], "emit") ==
	    0) && argc > 5) {
		load_corpus(&c, argv + 5, argc - 5);
		if (argv[1][0] == 'c')
			return (fuzz_configs(n, argv[4], &c));
		return (emit(n, argv[4], &c));
	}
	fprintf(stderr, "fuzz: bad arguments\n");
	return (2);
}
