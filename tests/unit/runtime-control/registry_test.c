/*
 * registry_test.c -- registry and runtime-env parsers on good and
 * malformed lines.
 */
#include <errno.h>
#include <string.h>

#include <rustos/runtime_control.h>

#include "tap.h"

#define DESKTOP_LINE \
	"desktop_id=hello-app.desktop\tpackage_id=hello-app\tstartup=desktop\t" \
	"display_name=Hello App\timage=apps/hello-app/hello-app.elf\t" \
	"exec=apps/hello-app/hello-app.elf\tweight=100\tlogical_admin=0\t" \
	"console_hosted=1\tterminal=1\thidden=0\tno_display=0\tautostart_enabled=0\t" \
	"launch=new-session\tdeps=netd,vfsd\targs=hello-app|--greet|world\t" \
	"env=LANG=C|TERM=vt100\n"

static int
parse(const char *s, struct rustos_registry_desktop_program *p,
    struct rustos_registry_error *e)
{
	return runtime_control_parse_desktop_program(s, strlen(s), p, e);
}

int
main(void)
{
	struct rustos_registry_desktop_program p;
	struct rustos_registry_startup_program sp;
	struct rustos_registry_env_entry env;
	struct rustos_registry_error err;
	const char *items[8];
	char buf[256], line[2048];
	int r;

	r = parse(DESKTOP_LINE, &p, &err);
	tap_ok(r == 0, "desktop-programs: full 17-field line parses");
	tap_ok(strcmp(p.desktop_id, "hello-app.desktop") == 0 &&
	    strcmp(p.display_name, "Hello App") == 0 && p.weight_micros == 100 &&
	    p.console_hosted == 1 && p.logical_admin == 0 &&
	    strcmp(p.launch, "new-session") == 0, "desktop-programs: fields by key");
	r = runtime_control_split(p.args, '|', buf, sizeof(buf), items, 8);
	tap_ok(r == 3 && strcmp(items[0], "hello-app") == 0 && strcmp(items[2], "world") == 0,
	    "args split on |");
	r = runtime_control_split(p.deps, ',', buf, sizeof(buf), items, 8);
	tap_ok(r == 2 && strcmp(items[1], "vfsd") == 0, "deps split on ,");
	r = runtime_control_split(p.env, '|', buf, sizeof(buf), items, 8);
	tap_ok(r == 2 && strcmp(items[0], "LANG=C") == 0, "env split on |");
	tap_ok(runtime_control_split("a|b|c", '|', buf, sizeof(buf), items, 2) == -E2BIG,
	    "split: too many items -> -E2BIG");
	tap_ok(runtime_control_split("", '|', buf, sizeof(buf), items, 2) == 0, "split: empty -> 0 items");
	tap_ok(parse("exec=/x\tpackage_id=p\tdesktop_id=d\tfuture_key=1", &p, &err) == 0 &&
	    strcmp(p.exec, "/x") == 0, "fields in any order; unknown key ignored");
	tap_ok(parse("", &p, &err) == 1 && parse("   \t \r\n", &p, &err) == 1, "blank lines skipped");
	tap_ok(parse("# comment\tdesktop_id=x", &p, &err) == 1 && parse("  #x", &p, &err) == 1,
	    "# lines skipped");
	tap_ok(runtime_control_parse_desktop_program("desktop_id=d\tpackage_id=p\texec=/e\r\n", 33, &p, &err) == 0 &&
	    strcmp(p.exec, "/e") == 0, "CRLF line ending stripped");

	memset(&err, 0, sizeof(err));
	strcpy(p.exec, "untouched");
	r = parse("desktop_id=d\tpackage_id\texec=/e", &p, &err);
	tap_ok(r == -EINVAL && err.column == 14 && strcmp(p.exec, "untouched") == 0,
	    "field without = -> -EINVAL at column 14, output untouched");
	r = parse("desktop_id=d\tpackage_id=p\texec=/e\texec=/f", &p, &err);
	tap_ok(r == -EINVAL && strcmp(err.rule, "duplicate key") == 0, "duplicate key refused");
	r = parse("desktop_id=d\tpackage_id=p\texec=/e\thidden=maybe", &p, &err);
	tap_ok(r == -EINVAL && err.column == 42, "bad boolean refused at its column");
	r = parse("desktop_id=d\tpackage_id=p\texec=/e\tweight=12x", &p, &err);
	tap_ok(r == -EINVAL, "non-numeric weight refused");
	r = parse("desktop_id=d\tpackage_id=p\texec=/e\tweight=99999999999", &p, &err);
	tap_ok(r < 0, "weight beyond u32 refused");
	r = parse("desktop_id=d\texec=/e", &p, &err);
	tap_ok(r == -EINVAL && strcmp(err.rule, "missing required key") == 0, "missing package_id refused");
	r = parse("=x\tdesktop_id=d", &p, &err);
	tap_ok(r == -EINVAL && err.column == 1, "empty key refused");
	memset(line, 0, sizeof(line));
	strcpy(line, "desktop_id=d\tpackage_id=p\texec=/e\tdisplay_name=");
	memset(line + strlen(line), 'z', 200);
	r = parse(line, &p, &err);
	tap_ok(r == -ENAMETOOLONG, "over-long value -> -ENAMETOOLONG");
	tap_ok(runtime_control_parse_desktop_program("desktop_id=d\0x", 15, &p, &err) == -EINVAL,
	    "embedded NUL refused");

	r = runtime_control_parse_startup_program("desktop_id=a\tpackage_id=b\tmode=init\texec=/x\tjunk",
	    43, &sp, &err);
	tap_ok(r == 0 && strcmp(sp.exec, "/x") == 0, "startup-programs: stops at the given length");
	{
		const char *s = "desktop_id=uiserver.desktop\tpackage_id=uiserver\tmode=session\t"
		    "display_name=UI\texec=services/uiserver/uiserver.elf\tlaunch=none\tdeps=";
		r = runtime_control_parse_startup_program(s, strlen(s), &sp, &err);
		tap_ok(r == 0 && strcmp(sp.mode, "session") == 0 && sp.deps[0] == '\0',
		    "startup-programs: good line");
		r = runtime_control_parse_startup_program("desktop_id=x\tpackage_id=y\texec=/z", 33, &sp, &err);
		tap_ok(r == -EINVAL, "startup-programs: missing mode refused");
	}

#define ENV(s, scope) runtime_control_parse_runtime_env(s, strlen(s), scope, &env, &err)
	r = ENV("scope=init\tkey=PATH\tvalue=/bin:/usr/bin:/usr/local/bin\n", "init");
	tap_ok(r == 0 && strcmp(env.key, "PATH") == 0 &&
	    strcmp(env.value, "/bin:/usr/bin:/usr/local/bin") == 0, "runtime-env: init PATH");
	tap_ok(ENV("scope=runtime\tkey=XDG_SESSION_TYPE\tvalue=wayland", "init") == 1,
	    "runtime-env: other scope skipped");
	tap_ok(ENV("scope=runtime\tkey=XDG_SESSION_TYPE\tvalue=wayland", NULL) == 0 &&
	    strcmp(env.scope, "runtime") == 0, "runtime-env: NULL scope takes all");
	tap_ok(ENV("scope=runtime\tkey=EMPTY\tvalue=", "runtime") == 0 && env.value[0] == '\0',
	    "runtime-env: empty value allowed");
	tap_ok(ENV("scope=boot\tkey=A\tvalue=b", NULL) == -EINVAL, "runtime-env: unknown scope refused");
	tap_ok(ENV("scope=init\tkey=A=B\tvalue=b", NULL) == -EINVAL, "runtime-env: = in name refused");
	tap_ok(ENV("scope=init\tvalue=b", NULL) == -EINVAL, "runtime-env: missing key refused");
	tap_ok(ENV("# scope=init", NULL) == 1, "runtime-env: comment skipped");

	tap_ok(runtime_control_parse_bool("1", 1) == 1 && runtime_control_parse_bool("true", 4) == 1 &&
	    runtime_control_parse_bool("True", 4) == 1 && runtime_control_parse_bool("yes", 3) == 1 &&
	    runtime_control_parse_bool("Yes", 3) == 1, "booleans 1 true True yes Yes");
	tap_ok(runtime_control_parse_bool("0", 1) == 0 && runtime_control_parse_bool("false", 5) == 0 &&
	    runtime_control_parse_bool("", 0) == 0, "booleans 0 false empty");
	tap_ok(runtime_control_parse_bool("TRUE", 4) == -EINVAL && runtime_control_parse_bool("2", 1) == -EINVAL,
	    "other booleans refused");
	return tap_done();
}
