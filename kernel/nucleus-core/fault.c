/*
 * fault.c -- the kernel fault-injection runtime.  Rules are parsed with the
 * shared parser of lib/fault-rules/ and kept in a fixed table with one call
 * counter per rule; nc_fault_should_fail() applies the rule's action to the
 * call.  A rule string that does not parse is reported with the parser's
 * message and ignored as a whole (no partial rule sets).
 */
#include <nucleus-core/api.h>
#include <hal/api.h>

#include "fault_rules.h"

struct fault_point {
	struct fault_rule rule;
	uint64_t calls;
	uint64_t failures;
};

static struct fault_point points[FAULT_RULES_MAX];
static size_t npoints;
static struct nc_spinlock fault_lock = NC_SPINLOCK_INIT;
static uint64_t rate_state = 0x9e3779b97f4a7c15ULL;

void
nc_fault_clear(void)
{
	nc_spin_lock(&fault_lock);
	npoints = 0;
	nc_spin_unlock(&fault_lock);
}

int
nc_fault_load(const char *text, size_t len)
{
	static struct fault_rule parsed[FAULT_RULES_MAX];
	struct fault_parse_status st;
	int n, i;

	n = fault_rules_parse(text, len, parsed, FAULT_RULES_MAX, &st);
	if (n < 0) {
		nc_warn(DEBUG, "fault-injection: bad rule at offset %zu "
		    "(\"%.*s\"): %s; all rules ignored", st.offset,
		    (int)st.length, text + st.offset,
		    fault_parse_error_str(st.error));
		nc_fault_clear();
		return (-NC_EINVAL);
	}
	nc_spin_lock(&fault_lock);
	for (i = 0; i < n; i++) {
		points[i].rule = parsed[i];
		points[i].calls = 0;
		points[i].failures = 0;
	}
	npoints = (size_t)n;
	nc_spin_unlock(&fault_lock);
	for (i = 0; i < n; i++)
		nc_info(DEBUG, "fault-injection: rule %s=%s n=%llu",
		    parsed[i].location, fault_action_name(parsed[i].action),
		    (unsigned long long)parsed[i].n);
	return (n);
}

void
nc_fault_init_from_qemu_fw_cfg(void)
{
	static char buf[4096];
	long n;

	if (!hal_fwcfg_present()) {
		nc_info(DEBUG, "fault-injection: no fw_cfg, no rules");
		return;
	}
	n = hal_fwcfg_read_file("opt/rustos/fault-injection", buf, sizeof(buf));
	if (n == -NC_ENOENT) {
		nc_info(DEBUG, "fault-injection: no rules configured");
		return;
	}
	if (n < 0) {
		nc_warn(DEBUG, "fault-injection: cannot read rules (%ld); "
		    "rules ignored", n);
		return;
	}
	if ((size_t)n >= sizeof(buf)) {
		nc_warn(DEBUG, "fault-injection: rule string of %ld bytes is "
		    "longer than %zu; rules ignored", n, sizeof(buf) - 1);
		return;
	}
	nc_fault_load(buf, (size_t)n);
}

static struct fault_point *
find_point(const char *point)
{
	size_t i;

	for (i = 0; i < npoints; i++)
		if (strcmp(points[i].rule.location, point) == 0)
			return (&points[i]);
	return (NULL);
}

/* xorshift64: deterministic, so a rate rule fails the same calls each boot. */
static uint64_t
next_random(void)
{
	rate_state ^= rate_state << 13;
	rate_state ^= rate_state >> 7;
	rate_state ^= rate_state << 17;
	return (rate_state);
}

bool
nc_fault_should_fail(const char *point)
{
	struct fault_point *p;
	bool fail = false;
	uint64_t call;

	if (npoints == 0)
		return (false);
	nc_spin_lock(&fault_lock);
	p = find_point(point);
	if (p == NULL) {
		nc_spin_unlock(&fault_lock);
		return (false);
	}
	call = ++p->calls;
	switch (p->rule.action) {
	case FAULT_ACTION_OFF:
	case FAULT_ACTION_DELAY_MS:
		break;
	case FAULT_ACTION_FAIL:
		fail = true;
		break;
	case FAULT_ACTION_DROP_EVERY:
		fail = p->rule.n > 0 && call % p->rule.n == 0;
		break;
	case FAULT_ACTION_FAIL_AFTER:
		fail = call > p->rule.n;
		break;
	case FAULT_ACTION_RATE:
		fail = next_random() % 1000 < p->rule.n;
		break;
	}
	if (fail)
		p->failures++;
	nc_spin_unlock(&fault_lock);
	return (fail);
}

uint64_t
nc_fault_delay_ms(const char *point)
{
	struct fault_point *p;
	uint64_t ms = 0;

	if (npoints == 0)
		return (0);
	nc_spin_lock(&fault_lock);
	p = find_point(point);
	if (p != NULL && p->rule.action == FAULT_ACTION_DELAY_MS)
		ms = p->rule.n;
	nc_spin_unlock(&fault_lock);
	return (ms);
}
