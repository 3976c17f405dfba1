/*
 * fault-rules-test.c -- TAP test of lib/fault-rules: every action, every
 * error code and its message, the three separators, blank handling, the
 * rule-count limit and the error position reported for a bad rule.
 */
#include <stdio.h>
#include <string.h>

#include "lib/fault-rules/fault_rules.h"

#define NCASES 43

static int tap_n;
static int tap_failed;

static void
tap(int ok, const char *fmt, const char *arg)
{
	tap_n++;
	if (!ok)
		tap_failed++;
	printf("%s %d - ", ok ? "ok" : "not ok", tap_n);
	printf(fmt, arg);
	printf("\n");
}

static void
one_ok(const char *text, const char *loc, enum fault_action action,
    uint64_t n)
{
	struct fault_rule r;
	enum fault_parse_error e;

	memset(&r, 0x5a, sizeof(r));
	e = fault_rule_parse_one(text, strlen(text), &r);
	tap(e == FAULT_PARSE_OK && strcmp(r.location, loc) == 0 &&
	    r.action == action && r.n == n, "rule '%s' parses", text);
}

static void
one_err(const char *text, enum fault_parse_error want)
{
	struct fault_rule r;
	struct fault_parse_status st;
	char label[256];
	int rc;

	rc = fault_rules_parse(text, strlen(text), &r, 1, &st);
	snprintf(label, sizeof(label), "'%s' -> %s", text,
	    fault_parse_error_str(want));
	tap(rc == -1 && st.error == want, "%s", label);
}

int
main(void)
{
	struct fault_rule rules[FAULT_RULES_MAX + 1];
	struct fault_parse_status st;
	char big[FAULT_RULES_MAX * 16 + 64], loc[80];
	const char *msgs[FAULT_ERR_TOO_MANY_RULES + 1];
	const char *s;
	size_t i, j;
	int rc, distinct;

	printf("1..%d\n", NCASES);

	/* Every action, with and without N. */
	one_ok("alloc.frame=off", "alloc.frame", FAULT_ACTION_OFF, 0);
	one_ok("block.read=fail", "block.read", FAULT_ACTION_FAIL, 0);
	one_ok("block.write=drop-every:3", "block.write",
	    FAULT_ACTION_DROP_EVERY, 3);
	one_ok("socket.send=fail-after:0", "socket.send",
	    FAULT_ACTION_FAIL_AFTER, 0);
	one_ok("socket.recv=fail-after:18446744073709551615", "socket.recv",
	    FAULT_ACTION_FAIL_AFTER, UINT64_MAX);
	one_ok("pci.config.read=rate:0", "pci.config.read", FAULT_ACTION_RATE,
	    0);
	one_ok("process.spawn=rate:1000", "process.spawn", FAULT_ACTION_RATE,
	    1000);
	one_ok("display.present=delay-ms:250", "display.present",
	    FAULT_ACTION_DELAY_MS, 250);
	one_ok("virtio-gpu.control.submit=fail", "virtio-gpu.control.submit",
	    FAULT_ACTION_FAIL, 0);
	one_ok("  A_z/0:9-x.y \t=\t fail ", "A_z/0:9-x.y", FAULT_ACTION_FAIL, 0);
	/* Split at the first '=': the action "b=fail" is unsupported. */
	one_err("a=b=fail", FAULT_ERR_UNSUPPORTED_ACTION);

	/* Every error code. */
	rc = fault_rules_parse("   ", 3, rules, 4, &st);
	tap(rc == 0 && st.error == FAULT_PARSE_OK, "%s",
	    "a blank string holds zero rules");
	tap(fault_rule_parse_one(" \t ", 3, rules) == FAULT_ERR_EMPTY_RULE,
	    "%s", "a blank single rule is FAULT_ERR_EMPTY_RULE");
	one_err("alloc.frame", FAULT_ERR_MISSING_EQUALS);
	one_err(" =fail", FAULT_ERR_EMPTY_LOCATION);
	one_err("alloc frame=fail", FAULT_ERR_BAD_LOCATION_CHAR);
	one_err("alloc*=fail", FAULT_ERR_BAD_LOCATION_CHAR);
	memset(loc, 'x', 64);
	strcpy(loc + 64, "=fail");
	one_err(loc, FAULT_ERR_LOCATION_TOO_LONG);
	loc[63] = '=';
	strcpy(loc + 64, "fail");
	one_ok(loc, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxx", FAULT_ACTION_FAIL, 0);
	one_err("a=explode", FAULT_ERR_UNSUPPORTED_ACTION);
	one_err("a=", FAULT_ERR_UNSUPPORTED_ACTION);
	one_err("a=off:1", FAULT_ERR_UNSUPPORTED_ACTION);
	one_err("a=FAIL", FAULT_ERR_UNSUPPORTED_ACTION);
	one_err("a=drop-every", FAULT_ERR_UNSUPPORTED_ACTION);
	one_err("a=drop-every:0", FAULT_ERR_BAD_NUMBER);
	one_err("a=drop-every:", FAULT_ERR_BAD_NUMBER);
	one_err("a=fail-after:-1", FAULT_ERR_BAD_NUMBER);
	one_err("a=delay-ms:1x", FAULT_ERR_BAD_NUMBER);
	one_err("a=rate: 5", FAULT_ERR_BAD_NUMBER);
	one_err("a=fail-after:18446744073709551616", FAULT_ERR_BAD_NUMBER);
	one_err("a=rate:1001", FAULT_ERR_RATE_OUT_OF_RANGE);

	/* Messages: distinct and non-empty for every code. */
	distinct = 1;
	for (i = 0; i <= FAULT_ERR_TOO_MANY_RULES; i++) {
		msgs[i] = fault_parse_error_str((enum fault_parse_error)i);
		if (msgs[i] == NULL || msgs[i][0] == '\0')
			distinct = 0;
		for (j = 0; j < i; j++)
			if (strcmp(msgs[i], msgs[j]) == 0)
				distinct = 0;
	}
	tap(distinct, "%s", "every error code has its own message");
	tap(strcmp(fault_action_name(FAULT_ACTION_DROP_EVERY), "drop-every") ==
	    0 && strcmp(fault_action_name(FAULT_ACTION_DELAY_MS), "delay-ms") ==
	    0, "%s", "action names are spelled as in the grammar");

	/* Separators and blanks. */
	s = "a=fail;b=off,c=rate:5\nd=delay-ms:1";
	rc = fault_rules_parse(s, strlen(s), rules, 8, &st);
	tap(rc == 4 && strcmp(rules[0].location, "a") == 0 &&
	    strcmp(rules[1].location, "b") == 0 &&
	    rules[2].action == FAULT_ACTION_RATE && rules[2].n == 5 &&
	    rules[3].action == FAULT_ACTION_DELAY_MS, "%s",
	    "';' ',' and newline all separate rules");
	s = " ;; a = fail ,\r\n\t, ; b=off ;";
	rc = fault_rules_parse(s, strlen(s), rules, 8, &st);
	tap(rc == 2 && strcmp(rules[0].location, "a") == 0 &&
	    rules[0].action == FAULT_ACTION_FAIL &&
	    strcmp(rules[1].location, "b") == 0, "%s",
	    "empty rules and blanks (space, tab, CR) are skipped");
	rc = fault_rules_parse("", 0, rules, 8, &st);
	tap(rc == 0, "%s", "the empty string holds zero rules");
	rc = fault_rules_parse(NULL, 5, rules, 8, &st);
	tap(rc == 0, "%s", "a NULL string holds zero rules");
	s = "a=fail; bad rule here ;c=off";
	rc = fault_rules_parse(s, strlen(s), rules, 8, &st);
	tap(rc == -1 && st.error == FAULT_ERR_MISSING_EQUALS &&
	    st.offset == 8 && st.length == 13, "%s",
	    "the status points at the trimmed bad rule");
	s = "a\0b=off";
	rc = fault_rules_parse(s, 7, rules, 8, &st);
	tap(rc == -1 && st.error == FAULT_ERR_BAD_LOCATION_CHAR, "%s",
	    "a NUL byte inside the string is rejected");

	/* Limits. */
	big[0] = '\0';
	for (i = 0; i < FAULT_RULES_MAX; i++)
		sprintf(big + strlen(big), "p%zu=fail;", i);
	rc = fault_rules_parse(big, strlen(big), rules, FAULT_RULES_MAX, &st);
	tap(rc == FAULT_RULES_MAX, "%s", "FAULT_RULES_MAX rules fit");
	strcat(big, "one.more=off");
	rc = fault_rules_parse(big, strlen(big), rules, FAULT_RULES_MAX, &st);
	tap(rc == -1 && st.error == FAULT_ERR_TOO_MANY_RULES, "%s",
	    "one rule more than the capacity is FAULT_ERR_TOO_MANY_RULES");
	rc = fault_rules_parse("a=fail", 6, rules, 0, &st);
	tap(rc == -1 && st.error == FAULT_ERR_TOO_MANY_RULES, "%s",
	    "capacity 0 holds no rule");
	rc = fault_rules_parse("a=fail;b=fail", 6, rules, 1, &st);
	tap(rc == 1, "%s", "only len bytes are read");

	/* A miscounted plan makes the TAP driver report an error. */
	return (tap_failed != 0 || tap_n != NCASES);
}
