/*
 * fault_rules.c -- the fault-injection rule parser (see fault_rules.h).
 *
 * Compiled twice: freestanding into the kernel and hosted into rustos-pkg
 * and the tests.  It therefore calls nothing outside this file: no libc, no
 * allocation, only <stddef.h>/<stdint.h> types.  Every input byte is looked
 * at through an explicit length, so the text need not be NUL-terminated and
 * may contain NUL bytes (which are simply invalid location characters).
 */
#include "fault_rules.h"

static int
fr_is_blank(char c)
{

	return (c == ' ' || c == '\t' || c == '\r' || c == '\v' ||
	    c == '\f' || c == '\n');
}

static int
fr_is_separator(char c)
{

	return (c == ';' || c == ',' || c == '\n');
}

static int
fr_is_location_char(char c)
{

	return ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' ||
	    c == '/' || c == '-');
}

/* Narrow [*start, *end) so that it holds no leading or trailing blanks. */
static void
fr_trim(const char *text, size_t *start, size_t *end)
{

	while (*start < *end && fr_is_blank(text[*start]))
		(*start)++;
	while (*end > *start && fr_is_blank(text[*end - 1]))
		(*end)--;
}

/* True when text[0..len) is exactly the NUL-terminated word w. */
static int
fr_equals(const char *text, size_t len, const char *w)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (w[i] == '\0' || w[i] != text[i])
			return (0);
	return (w[len] == '\0');
}

/* True when text starts with the word w; *wlen gets the length of w. */
static int
fr_has_prefix(const char *text, size_t len, const char *w, size_t *wlen)
{
	size_t i;

	for (i = 0; w[i] != '\0'; i++)
		if (i >= len || text[i] != w[i])
			return (0);
	*wlen = i;
	return (1);
}

/* Decimal digits only (no sign, no blanks), at least one, fits uint64_t. */
static int
fr_parse_u64(const char *text, size_t len, uint64_t *out)
{
	uint64_t v;
	size_t i;
	unsigned d;

	if (len == 0)
		return (-1);
	v = 0;
	for (i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return (-1);
		d = (unsigned)(text[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return (-1);
		v = v * 10 + d;
	}
	*out = v;
	return (0);
}

static const struct {
	const char *name;
	enum fault_action action;
	int takes_n;
} fr_actions[] = {
	{ "off", FAULT_ACTION_OFF, 0 },
	{ "fail", FAULT_ACTION_FAIL, 0 },
	{ "drop-every", FAULT_ACTION_DROP_EVERY, 1 },
	{ "fail-after", FAULT_ACTION_FAIL_AFTER, 1 },
	{ "rate", FAULT_ACTION_RATE, 1 },
	{ "delay-ms", FAULT_ACTION_DELAY_MS, 1 },
};

#define FR_NACTIONS (sizeof(fr_actions) / sizeof(fr_actions[0]))

static enum fault_parse_error
fr_parse_action(const char *text, size_t len, struct fault_rule *out)
{
	size_t i, wlen = 0;
	uint64_t n;

	for (i = 0; i < FR_NACTIONS; i++) {
		if (!fr_actions[i].takes_n) {
			if (!fr_equals(text, len, fr_actions[i].name))
				continue;
			out->action = fr_actions[i].action;
			out->n = 0;
			return (FAULT_PARSE_OK);
		}
		if (!fr_has_prefix(text, len, fr_actions[i].name, &wlen) ||
		    wlen >= len || text[wlen] != ':')
			continue;
		if (fr_parse_u64(text + wlen + 1, len - wlen - 1, &n) != 0)
			return (FAULT_ERR_BAD_NUMBER);
		if (fr_actions[i].action == FAULT_ACTION_DROP_EVERY && n == 0)
			return (FAULT_ERR_BAD_NUMBER);
		if (fr_actions[i].action == FAULT_ACTION_RATE && n > 1000)
			return (FAULT_ERR_RATE_OUT_OF_RANGE);
		out->action = fr_actions[i].action;
		out->n = n;
		return (FAULT_PARSE_OK);
	}
	return (FAULT_ERR_UNSUPPORTED_ACTION);
}

enum fault_parse_error
fault_rule_parse_one(const char *text, size_t len, struct fault_rule *out)
{
	enum fault_parse_error err;
	size_t start, end, eq, lstart, lend, astart, aend, i;

	if (text == NULL)
		len = 0;
	start = 0;
	end = len;
	fr_trim(text, &start, &end);
	if (start == end)
		return (FAULT_ERR_EMPTY_RULE);
	for (eq = start; eq < end && text[eq] != '='; eq++)
		;
	if (eq == end)
		return (FAULT_ERR_MISSING_EQUALS);
	lstart = start;
	lend = eq;
	fr_trim(text, &lstart, &lend);
	astart = eq + 1;
	aend = end;
	fr_trim(text, &astart, &aend);
	if (lstart == lend)
		return (FAULT_ERR_EMPTY_LOCATION);
	for (i = lstart; i < lend; i++)
		if (!fr_is_location_char(text[i]))
			return (FAULT_ERR_BAD_LOCATION_CHAR);
	if (lend - lstart >= FAULT_LOCATION_MAX)
		return (FAULT_ERR_LOCATION_TOO_LONG);
	err = fr_parse_action(text + astart, aend - astart, out);
	if (err != FAULT_PARSE_OK)
		return (err);
	for (i = lstart; i < lend; i++)
		out->location[i - lstart] = text[i];
	out->location[lend - lstart] = '\0';
	return (FAULT_PARSE_OK);
}

/* A byte loop, so the freestanding build never needs memcpy for this. */
static void
fr_copy_rule(struct fault_rule *dst, const struct fault_rule *src)
{
	size_t i;

	for (i = 0; i < FAULT_LOCATION_MAX; i++) {
		dst->location[i] = src->location[i];
		if (src->location[i] == '\0')
			break;
	}
	dst->action = src->action;
	dst->n = src->n;
}

int
fault_rules_parse(const char *text, size_t len, struct fault_rule *out,
    size_t cap, struct fault_parse_status *status)
{
	struct fault_rule scratch;
	enum fault_parse_error err;
	size_t pos, start, end;
	int count;

	if (status != NULL) {
		status->error = FAULT_PARSE_OK;
		status->offset = 0;
		status->length = 0;
	}
	if (text == NULL)
		len = 0;
	count = 0;
	pos = 0;
	while (pos < len) {
		start = pos;
		while (pos < len && !fr_is_separator(text[pos]))
			pos++;
		end = pos;
		if (pos < len)
			pos++;
		fr_trim(text, &start, &end);
		if (start == end)
			continue;
		err = fault_rule_parse_one(text + start, end - start,
		    &scratch);
		if (err == FAULT_PARSE_OK && ((size_t)count >= cap ||
		    count >= 0x7fffffff))
			err = FAULT_ERR_TOO_MANY_RULES;
		if (err != FAULT_PARSE_OK) {
			if (status != NULL) {
				status->error = err;
				status->offset = start;
				status->length = end - start;
			}
			return (-1);
		}
		fr_copy_rule(&out[count++], &scratch);
	}
	return (count);
}

const char *
fault_parse_error_str(enum fault_parse_error err)
{

	switch (err) {
	case FAULT_PARSE_OK:
		return ("ok");
	case FAULT_ERR_EMPTY_RULE:
		return ("empty fault rule");
	case FAULT_ERR_MISSING_EQUALS:
		return ("fault rule is missing '=' (expected location=action)");
	case FAULT_ERR_EMPTY_LOCATION:
		return ("fault rule has an empty location");
	case FAULT_ERR_BAD_LOCATION_CHAR:
		return ("fault location may only contain A-Z a-z 0-9 . _ : / -");
	case FAULT_ERR_LOCATION_TOO_LONG:
		return ("fault location is longer than 63 bytes");
	case FAULT_ERR_UNSUPPORTED_ACTION:
		return ("unsupported fault action (expected off, fail, "
		    "drop-every:N, fail-after:N, rate:N or delay-ms:N)");
	case FAULT_ERR_BAD_NUMBER:
		return ("bad number in fault action (expected decimal digits; "
		    "drop-every needs N > 0)");
	case FAULT_ERR_RATE_OUT_OF_RANGE:
		return ("fault rate out of range (expected 0..1000 per 1000 "
		    "calls)");
	case FAULT_ERR_TOO_MANY_RULES:
		return ("too many fault rules");
	}
	return ("unknown fault rule error");
}

const char *
fault_action_name(enum fault_action action)
{
	size_t i;

	for (i = 0; i < FR_NACTIONS; i++)
		if (fr_actions[i].action == action)
			return (fr_actions[i].name);
	return ("unknown");
}
