/*
 * fault_rules.h -- the one fault-injection rule parser, shared by the kernel
 * (compiled freestanding) and host tools (rustos-pkg, tests).
 *
 * Grammar (spec/observability-and-faults.md): rules separated by ';', ',' or
 * newline, each trimmed, empty ones skipped; "location=action" split at the
 * first '='; location non-empty, characters [A-Za-z0-9._:/-]; actions
 * off | fail | drop-every:N (N>0) | fail-after:N | rate:N (0..1000) |
 * delay-ms:N.
 *
 * Freestanding-safe: no allocation, no libc; only <stddef.h>/<stdint.h>.
 * The caller owns all storage.
 */
#ifndef RUSTOS_FAULT_RULES_H
#define RUSTOS_FAULT_RULES_H

#include <stddef.h>
#include <stdint.h>

#define FAULT_RULES_MAX         32	/* rules one rule string may hold */
#define FAULT_LOCATION_MAX      64	/* location bytes, including the NUL */

enum fault_action {
	FAULT_ACTION_OFF = 0,		/* registered, never fails */
	FAULT_ACTION_FAIL,		/* every call fails */
	FAULT_ACTION_DROP_EVERY,	/* every n-th call fails */
	FAULT_ACTION_FAIL_AFTER,	/* first n calls pass, then all fail */
	FAULT_ACTION_RATE,		/* about n per 1000 calls fail */
	FAULT_ACTION_DELAY_MS,		/* delay n ms where the point can sleep */
};

enum fault_parse_error {
	FAULT_PARSE_OK = 0,
	FAULT_ERR_EMPTY_RULE,		/* a single rule that is empty after trimming */
	FAULT_ERR_MISSING_EQUALS,
	FAULT_ERR_EMPTY_LOCATION,
	FAULT_ERR_BAD_LOCATION_CHAR,
	FAULT_ERR_LOCATION_TOO_LONG,
	FAULT_ERR_UNSUPPORTED_ACTION,
	FAULT_ERR_BAD_NUMBER,
	FAULT_ERR_RATE_OUT_OF_RANGE,
	FAULT_ERR_TOO_MANY_RULES,
};

struct fault_rule {
	char location[FAULT_LOCATION_MAX];
	enum fault_action action;
	uint64_t n;			/* N of the action; 0 for off/fail */
};

/* Where a parse stopped: error code and byte offset/length of the bad rule. */
struct fault_parse_status {
	enum fault_parse_error error;
	size_t offset;
	size_t length;
};

/* Parse one rule (already split out; surrounding blanks are trimmed). */
enum fault_parse_error fault_rule_parse_one(const char *text, size_t len,
    struct fault_rule *out);

/*
 * Parse a whole rule string into out[0..cap).  Returns the number of rules
 * (>= 0) or -1 with *status describing the first bad rule; out is then
 * unspecified.
 */
int fault_rules_parse(const char *text, size_t len, struct fault_rule *out,
    size_t cap, struct fault_parse_status *status);

/* A stable one-line English message for an error code. */
const char *fault_parse_error_str(enum fault_parse_error err);

/* Spelling of an action, e.g. "drop-every". */
const char *fault_action_name(enum fault_action action);

#endif /* RUSTOS_FAULT_RULES_H */
