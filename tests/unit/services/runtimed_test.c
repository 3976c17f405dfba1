/*
 * runtimed_test.c -- host unit test of runtimed's pure logic
 * (services/runtimed/table.c): registry loading with bad lines reported
 * as FILE:LINE, launch resolution by desktop id and by path, the loaderd
 * spawn request (weight passed as is, env = scope runtime then the
 * entry's, argv), and the table of launched programs.
 */
#include <errno.h>
#include <string.h>

#include "services/runtimed/runtimed.h"
#include "tests/unit/services/tap.h"

static const char programs[] =
    "# comment\n"
    "desktop_id=a.desktop\tpackage_id=a\tstartup=desktop\t"
    "display_name=Alpha\timage=apps/a/a.elf\texec=apps/a/a.elf\t"
    "weight=300\tlogical_admin=0\tconsole_hosted=1\tterminal=1\t"
    "hidden=0\tno_display=0\tautostart_enabled=0\tlaunch=none\tdeps=\t"
    "args=/apps/a/a.elf|--x\tenv=A_ENV=1|B_ENV=2\n"
    "\n"
    "desktop_id=broken\tweight=abc\n"
    "desktop_id=b.desktop\tpackage_id=b\texec=apps/b/b.elf\tweight=0\n";

static const char envreg[] =
    "scope=init\tkey=PATH\tvalue=/bin\n"
    "scope=runtime\tkey=XDG_SESSION_TYPE\tvalue=wayland\n"
    "scope=runtime\tvalue=nokey\n";

static unsigned bad_lines[8], nbad;

static void
bad(const char *file, unsigned lineno, const struct rtd_bad *b)
{
	if (nbad < 8 && strcmp(file, "reg.tsv") == 0 && b->rule != NULL)
		bad_lines[nbad++] = lineno;
}

/* The index-th NUL-separated string of a block, or NULL. */
static const char *
item(const uint8_t *b, uint32_t len, unsigned index)
{
	uint32_t o = 0;

	while (o < len) {
		if (index-- == 0)
			return (const char *)b + o;
		o += (uint32_t)strlen((const char *)b + o) + 1;
	}
	return NULL;
}

static struct rtd_state s;
static struct rustos_loader_spawn_request q;

int
main(void)
{
	struct rustos_runtime_control_record recs[RUNTIME_CONTROL_MAX_RECORDS];
	struct rtd_launch l, l2;
	uint64_t pids[4];
	int r;

	rtd_load_programs(&s, programs, sizeof(programs) - 1, "reg.tsv", bad);
	CHECK(s.nprogs == 2, "two programs loaded (%zu)", s.nprogs);
	CHECK(nbad == 1 && bad_lines[0] == 4,
	    "the bad line is reported with its number (%u: %u)", nbad,
	    bad_lines[0]);
	nbad = 0;
	rtd_load_env(&s, envreg, sizeof(envreg) - 1, "reg.tsv", bad);
	CHECK(s.nenv == 1 && strcmp(s.env[0].key, "XDG_SESSION_TYPE") == 0,
	    "runtime-scope env only (%zu)", s.nenv);
	CHECK(nbad == 1 && bad_lines[0] == 3, "bad env line 3 reported");

	r = rtd_resolve(&s, "a.desktop", &l);
	CHECK(r == 0 && strcmp(l.exec, "/apps/a/a.elf") == 0 &&
	    strcmp(l.display_name, "Alpha") == 0 && l.weight_micros == 300 &&
	    l.program_id == 1 && strcmp(l.desktop_id, "a.desktop") == 0,
	    "resolve by desktop id");
	CHECK(rtd_resolve(&s, "nope.desktop", &l2) == -ENOENT,
	    "unknown desktop id: -ENOENT");
	CHECK(rtd_resolve(&s, "", &l2) == -EINVAL, "empty text: -EINVAL");
	CHECK(rtd_resolve(&s, "/apps/../x", &l2) == -EINVAL,
	    "path with ..: -EINVAL");
	r = rtd_resolve(&s, "/apps/a/a.elf", &l2);
	CHECK(r == 0 && l2.desktop_id[0] == '\0' && l2.weight_micros == 300 &&
	    l2.program_id == 1, "a path of an entry takes its weight");
	r = rtd_resolve(&s, "/apps/z/zeta.elf", &l2);
	CHECK(r == 0 && l2.entry == NULL && l2.weight_micros == 0 &&
	    strcmp(l2.display_name, "zeta.elf") == 0,
	    "other path: basename, default weight");

	r = rtd_build_spawn(&s, &l, &q);
	CHECK(r == 0 && q.weight_micros == 300 &&
	    q.flags == LOADER_SPAWN_FLAG_NEW_SESSION,
	    "spawn: manifest weight passed as is, new session, no service flag");
	CHECK(q.argc == 2 && strcmp(item(q.argv, q.argv_len, 1), "--x") == 0,
	    "spawn: the entry's args");
	CHECK(q.envc == 3 &&
	    strcmp(item(q.envp, q.envp_len, 0), "XDG_SESSION_TYPE=wayland") == 0 &&
	    strcmp(item(q.envp, q.envp_len, 2), "B_ENV=2") == 0,
	    "spawn: runtime env, then the entry's");
	r = rtd_resolve(&s, "/apps/a/a.elf", &l2);
	r = rtd_build_spawn(&s, &l2, &q);
	CHECK(r == 0 && q.argc == 1 &&
	    strcmp(item(q.argv, q.argv_len, 0), "/apps/a/a.elf") == 0 &&
	    q.envc == 3, "spawn by path: argv = {path}, entry env");

	CHECK(rtd_snapshot(&s, recs, RUNTIME_CONTROL_MAX_RECORDS) == 0,
	    "empty snapshot");
	CHECK(rtd_remember(&s, 10, 10, &l) == 0 &&
	    rtd_remember(&s, 11, 11, &l2) == 0, "remember two");
	CHECK(rtd_snapshot(&s, recs, RUNTIME_CONTROL_MAX_RECORDS) == 2 &&
	    recs[0].pid == 10 && strcmp(recs[0].desktop_file_id,
	    "a.desktop") == 0 && strcmp(recs[1].exec_path,
	    "/apps/a/a.elf") == 0 && recs[1].session_handle == 11,
	    "snapshot records");
	CHECK(rtd_match(&s, 0, 11, pids, 4) == 1 && pids[0] == 11,
	    "match by pid");
	CHECK(rtd_match(&s, 1, 10, pids, 4) == 1 && pids[0] == 10,
	    "match by session");
	CHECK(rtd_match(&s, 0, 12, pids, 4) == 0 &&
	    rtd_match(&s, 0, 0, pids, 4) == 0, "no match for others, or 0");
	CHECK(rtd_forget(&s, 10) == 0 && rtd_forget(&s, 10) == -ESRCH &&
	    rtd_find(&s, 10) == NULL && rtd_find(&s, 11) != NULL,
	    "forget");
	CHECK(rtd_snapshot(&s, recs, RUNTIME_CONTROL_MAX_RECORDS) == 1,
	    "snapshot after forget");
	return tap_done();
}
