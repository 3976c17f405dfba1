/*
 * rtaccess_test.c -- vfsd's linux-runtime access profile (access.c) on
 * the host: the strict parser of linux-runtime-access.tsv (each rule of
 * a bad line, normalisation, duplicates, the bounds, a cut last line),
 * the classifier, the profile table, and the hooks in ops.c through the
 * service dispatcher over a fake bootfs: LIFECYCLE EXEC of a memfs image
 * confines, fork inherits, denied paths are -EACCES for every path op,
 * listings are filtered, open handles stay usable.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rustos/vfs.h>

#include "services/common/svc.h"
#include "services/vfsd/access.h"
#include "services/vfsd/vfsd.h"
#include "tests/unit/services/tap.h"

/* ---- the parser --------------------------------------------------- */

static unsigned warn_line[64];
static char warn_rule[64][96];
static size_t nwarn;

static void
warn(void *ctx, unsigned line, const char *rule)
{
	(void)ctx;
	if (nwarn < 64) {
		warn_line[nwarn] = line;
		snprintf(warn_rule[nwarn], sizeof(warn_rule[nwarn]), "%s", rule);
	}
	nwarn++;
}

static size_t
parse(const char *text, int truncated)
{
	nwarn = 0;
	return rta_parse(text, strlen(text), truncated, warn, NULL);
}

/* Was line reported with a rule starting with prefix? */
static int
warned(unsigned line, const char *prefix)
{
	size_t i;

	for (i = 0; i < nwarn && i < 64; i++)
		if (warn_line[i] == line &&
		    strncmp(warn_rule[i], prefix, strlen(prefix)) == 0)
			return 1;
	return 0;
}

static void
parser_cases(void)
{
	static char big[RTA_FILE_MAX];
	const char *p;
	size_t n, i, o;
	int kind;

	n = parse("kind=dir\tpath=/lib\nkind=file\tpath=/etc/hosts\n", 0);
	p = rta_entry(0, &kind);
	CHECK(n == 2 && nwarn == 0 && kind == RTA_KIND_DIR &&
	    strcmp(p, "/lib") == 0, "two good lines: two grants, no warning");
	p = rta_entry(1, &kind);
	CHECK(kind == RTA_KIND_FILE && strcmp(p, "/etc/hosts") == 0,
	    "kind=file entry");
	n = parse("path=/usr//lib/./x/../y/\tkind=dir", 0);
	CHECK(n == 1 && strcmp(rta_entry(0, NULL), "/usr/lib/y") == 0,
	    "fields in either order, path normalised, no final newline");
	n = parse("\n\nkind=dir\tpath=/a\n\n", 0);
	CHECK(n == 1 && nwarn == 0, "blank lines are skipped silently");

	n = parse("kind=dir\tpath=/a\n"		/* 1 ok */
	    "kind=socket\tpath=/b\n"			/* 2 */
	    "kind=file\tpath=rel\n"			/* 3 */
	    "kind=dir\n"				/* 4 */
	    "kind=dir\tpath=/a/\n"			/* 5 dup of 1 */
	    "kind=dir\tpath=/c\tx=1\n"			/* 6 */
	    "kind=dir\tkind=file\n"			/* 7 */
	    "path=/d\tpath=/e\n"			/* 8 */
	    "kond=dir\tpath=/f\n"			/* 9 */
	    "kind=dir\tpath=\n"				/* 10 */
	    "kind=file\tpath=/g\r\n"			/* 11 */
	    "kind=\tpath=/h\n"				/* 12 */
	    "# comment\n"				/* 13 */
	    "kind=file\tpath=/a\n"			/* 14 dup, other kind */
	    "kind=dir\tpath=/z\n", 0);			/* 15 ok */
	CHECK(n == 2 && strcmp(rta_entry(1, NULL), "/z") == 0,
	    "bad lines skipped, the rest kept");
	CHECK(warned(2, "kind must be dir or file"), "unknown kind");
	CHECK(warned(3, "path must be absolute"), "relative path");
	CHECK(warned(4, "expected two TAB-separated fields"), "missing field");
	CHECK(warned(5, "duplicate of line 1"), "duplicate after normalising");
	CHECK(warned(6, "more than two fields"), "extra field");
	CHECK(warned(7, "duplicate field kind="), "kind twice");
	CHECK(warned(8, "duplicate field path="), "path twice");
	CHECK(warned(9, "unknown field kond"), "unknown field named");
	CHECK(warned(10, "path must be absolute"), "empty path");
	CHECK(warned(11, "path contains a control character"), "CR in path");
	CHECK(warned(12, "kind must be dir or file"), "empty kind");
	CHECK(warned(13, "expected two TAB-separated fields"), "comment line");
	CHECK(warned(14, "duplicate of line 1"), "same path, other kind");
	CHECK(nwarn == 13, "one warning per bad line (%zu)", nwarn);

	/* A path over 1023 bytes. */
	o = (size_t)snprintf(big, sizeof(big), "kind=dir\tpath=/");
	for (i = 0; i < 1100; i++)
		big[o++] = 'a';
	big[o++] = '\n';
	big[o] = '\0';
	n = parse(big, 0);
	CHECK(n == 0 && warned(1, "path longer than 1023 bytes"),
	    "over-long path refused");
	n = rta_parse("kind=dir\tpath=/a\0b\n", 19, 0, warn, NULL);
	CHECK(n == 0 && warned(1, "path contains a control character"),
	    "NUL inside a path refused");

	/* A cut last line is never a grant. */
	n = parse("kind=dir\tpath=/usr/lib\nkind=dir\tpath=/us", 1);
	CHECK(n == 1 && strcmp(rta_entry(0, NULL), "/usr/lib") == 0,
	    "truncated file: the cut last line is dropped");

	/* More than RTA_MAX_ENTRIES grants: the rest ignored, one warning. */
	for (o = 0, i = 0; i < RTA_MAX_ENTRIES + 10; i++)
		o += (size_t)snprintf(big + o, sizeof(big) - o,
		    "kind=file\tpath=/f%zu\n", i);
	n = parse(big, 0);
	CHECK(n == RTA_MAX_ENTRIES && nwarn == 1 &&
	    warned(RTA_MAX_ENTRIES + 1, "more than 256 grants"),
	    "grant table bounded, one warning");
	/* Many bad lines: logged up to the cap, then one summary. */
	for (o = 0, i = 0; i < 100; i++)
		o += (size_t)snprintf(big + o, sizeof(big) - o, "x\n");
	n = parse(big, 0);
	CHECK(n == 0 && nwarn == RTA_MAX_WARNINGS + 1 &&
	    warned(RTA_MAX_WARNINGS + 1, "more bad lines"),
	    "warnings bounded (%zu)", nwarn);
	n = parse("", 0);
	CHECK(n == 0 && nwarn == 0, "empty file: no grant");
}

static void
classify_cases(void)
{
	parse("kind=dir\tpath=/usr/lib\nkind=file\tpath=/etc/hosts\n"
	    "kind=file\tpath=/system/registry/system/s.tsv\n", 0);
	CHECK(rta_classify("/usr/lib") == RTA_GRANTED &&
	    rta_classify("/usr/lib/x/y.so") == RTA_GRANTED,
	    "dir grant: itself and everything below");
	CHECK(rta_classify("/usr/lib64") == RTA_DENIED &&
	    rta_classify("/usr/libx/y") == RTA_DENIED,
	    "a name sharing the prefix is not below");
	CHECK(rta_classify("/etc/hosts") == RTA_GRANTED &&
	    rta_classify("/etc/hosts/x") == RTA_DENIED &&
	    rta_classify("/etc/hostsx") == RTA_DENIED,
	    "file grant: exactly the path");
	CHECK(rta_classify("/") == RTA_ANCESTOR &&
	    rta_classify("/usr") == RTA_ANCESTOR &&
	    rta_classify("/system/registry") == RTA_ANCESTOR,
	    "directories above grants are ancestors");
	CHECK(rta_classify("/nucleus.elf") == RTA_DENIED &&
	    rta_classify("/system/registry/kernel") == RTA_DENIED,
	    "everything else denied");
	CHECK(rta_classify_child("/", "etc", 3) == RTA_ANCESTOR &&
	    rta_classify_child("/etc", "hosts", 5) == RTA_GRANTED &&
	    rta_classify_child("/etc", "os-release", 10) == RTA_DENIED,
	    "children of a directory");
	rta_clear();
	CHECK(rta_classify("/") == RTA_DENIED, "no grants: even / denied");
}

static void
profile_cases(void)
{
	size_t i;
	int full = 0;

	CHECK(!rta_confined(5) && rta_confine(5) == 0 && rta_confined(5),
	    "confine a pid");
	CHECK(rta_fork(5, 6) == 0 && rta_confined(6), "a fork inherits it");
	CHECK(rta_fork(7, 8) == 0 && !rta_confined(8),
	    "a system parent's child is not confined");
	rta_exit(5);
	CHECK(!rta_confined(5) && rta_confined(6), "exit drops only that pid");
	rta_exit(6);
	for (i = 0; i < RTA_MAX_CONFINED + 1; i++)
		if (rta_confine(1000 + i) == -ENOSPC)
			full = 1;
	CHECK(full, "table bounded: -ENOSPC");
	CHECK(rta_fork(1000, 9) == -ENOSPC && !rta_confined(9),
	    "a fork with no slot left fails");
	for (i = 0; i < RTA_MAX_CONFINED + 1; i++)
		rta_exit(1000 + i);
	CHECK(rta_confine(0) == -EINVAL && !rta_confined(0), "pid 0 refused");
}

/* ---- through ops.c, over a fake bootfs ------------------------------ */

static const struct { const char *name, *data; } files[] = {
	{ "/nucleus.elf", "kernel" },
	{ "/etc/hosts", "127.0.0.1 localhost\n" },
	{ "/etc/os-release", "NAME=x\n" },
	{ "/usr/lib/libc.so", "so" },
	{ "/apps/a/a.elf", "elf" },
};

static long
fake_bootfs(struct rustos_bootfs_broker_args *a)
{
	size_t n = sizeof(files) / sizeof(files[0]), l;

	if (a->index >= n)
		return -ENOENT;
	if (a->op == BOOTFS_BROKER_OP_LIST) {
		l = strlen(files[a->index].name);
		memcpy((void *)(uintptr_t)a->buf_ptr, files[a->index].name, l);
		a->value = strlen(files[a->index].data);
		return (long)l;
	}
	if (a->op == BOOTFS_BROKER_OP_READ) {
		l = strlen(files[a->index].data);
		if (a->offset >= l)
			return 0;
		l -= a->offset;
		if (l > a->buf_len)
			l = a->buf_len;
		memcpy((void *)(uintptr_t)a->buf_ptr,
		    files[a->index].data + a->offset, l);
		return (long)l;
	}
	return -EINVAL;
}

static struct rustos_vfs_ipc_request q;
static struct rustos_vfs_ipc_response r;

static void
req(uint16_t op, uint64_t pid, uint64_t rid, const char *path, uint32_t flags,
    uint64_t a0, uint64_t a1)
{
	memset(&q, 0, sizeof(q));
	memset(&r, 0xee, sizeof(r));
	q.version = VFS_IPC_ABI_VERSION;
	q.op = op;
	q.pid = pid;
	q.remote_id = rid;
	q.flags = flags;
	q.arg0 = a0;
	q.arg1 = a1;
	if (path != NULL) {
		q.path_len = (uint32_t)strlen(path);
		memcpy(q.path, path, q.path_len);
	}
	(void)svc_handle(&vfsd_table, NULL, &q, sizeof(q), &r, sizeof(r));
}

/* The names of directory handle rid of pid, ','-joined, via getdents. */
static void
names(uint64_t pid, uint64_t rid, char *out, size_t cap)
{
	size_t o = 0;
	long off;

	out[0] = '\0';
	for (;;) {
		req(VFS_IPC_OP_GETDENTS64, pid, rid, NULL, VFS_IPC_F_CURSOR, 0,
		    4096);
		if (r.status <= 0)
			break;
		for (off = 0; off < r.status;) {
			uint16_t rl;
			const char *nm = (const char *)r.payload + off + 19;

			memcpy(&rl, r.payload + off + 16, 2);
			off += rl;
			if (strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0)
				continue;
			o += (size_t)snprintf(out + o, cap - o, "%s%s",
			    o ? "," : "", nm);
		}
	}
}

static void
ops_cases(void)
{
	char got[512];
	uint64_t frid, drid, vrid, mrid;
	int e1, e2, e3, e4;

	vfsd_load(fake_bootfs);
	parse("kind=dir\tpath=/usr/lib\nkind=file\tpath=/etc/hosts\n", 0);
	/* pid 20: system; opens a denied file and / before its exec. */
	req(VFS_IPC_OP_OPENAT, 20, 0, "/nucleus.elf", O_RDONLY, 0, 0);
	frid = r.remote_id;
	CHECK(r.status == 0, "system profile opens a file outside the grants");
	req(VFS_IPC_OP_OPENAT, 20, 0, "/", O_RDONLY | O_DIRECTORY, 0, 0);
	drid = r.remote_id;
	/* The images: one on the volume, one on memfs (handles of 20). */
	req(VFS_IPC_OP_OPENAT, 20, 0, "/apps/a/a.elf", O_RDONLY, 0, 0);
	vrid = r.remote_id;
	req(VFS_IPC_OP_OPENAT, 20, 0, "/tmp/p", O_RDWR | O_CREAT, 0755, 0);
	mrid = r.remote_id;
	/* An exec from the volume keeps the system profile. */
	svc_kernel_forwarded = 1;
	req(VFS_IPC_OP_LIFECYCLE, 20, vrid, NULL, 0, VFS_LIFECYCLE_EXEC, 0);
	CHECK(r.status == 0 && r.value == 0, "exec of a volume image: system");
	req(VFS_IPC_OP_LIFECYCLE, 20, 999, NULL, 0, VFS_LIFECYCLE_EXEC, 0);
	CHECK(r.status == -EBADF && !rta_confined(20),
	    "exec notice without a handle of the pid: -EBADF");
	req(VFS_IPC_OP_LIFECYCLE, 21, mrid, NULL, 0, VFS_LIFECYCLE_EXEC, 0);
	CHECK(r.status == -EBADF && !rta_confined(21),
	    "exec notice naming another pid's handle: -EBADF");
	req(VFS_IPC_OP_LIFECYCLE, 20, mrid, NULL, 0, VFS_LIFECYCLE_EXEC, 0);
	CHECK(r.status == 0 && r.value == 1, "exec of a memfs image confines");
	svc_kernel_forwarded = 0;
	req(VFS_IPC_OP_LIFECYCLE, 21, 0, NULL, 0, VFS_LIFECYCLE_EXEC, 0);
	CHECK(r.status == -EPERM && !rta_confined(21),
	    "exec notice not from the kernel: -EPERM");

	req(VFS_IPC_OP_OPENAT, 20, 0, "/nucleus.elf", O_RDONLY, 0, 0);
	e1 = r.status;
	req(VFS_IPC_OP_NEWFSTATAT, 20, 0, "/nucleus.elf", 0, 0, 0);
	e2 = r.status;
	req(VFS_IPC_OP_ACCESS, 20, 0, "/nucleus.elf", 0, 4, 0);
	e3 = r.status;
	req(VFS_IPC_OP_STATX, 20, 0, "/apps/a/a.elf", 0, 0, 0);
	e4 = r.status;
	CHECK(e1 == -EACCES && e2 == -EACCES && e3 == -EACCES && e4 == -EACCES,
	    "denied: open, stat, access, statx (%d %d %d %d)", e1, e2, e3, e4);
	req(VFS_IPC_OP_OPENAT, 20, 0, "/nosuch", O_RDONLY, 0, 0);
	e1 = r.status;
	req(VFS_IPC_OP_CHDIR, 20, 0, "/apps", 0, 0, 0);
	e2 = r.status;
	req(VFS_IPC_OP_MKDIR, 20, 0, "/newdir", 0, 0755, 0);
	e3 = r.status;
	req(VFS_IPC_OP_READLINKAT, 20, 0, "/apps/a", 0, 0, 64);
	e4 = r.status;
	CHECK(e1 == -EACCES && e2 == -EACCES && e3 == -EACCES && e4 == -EACCES,
	    "denied: missing name, chdir, mkdir, readlink (%d %d %d %d)", e1,
	    e2, e3, e4);
	req(VFS_IPC_OP_OPENAT, 20, 0, "/etc/hosts", O_RDONLY, 0, 0);
	CHECK(r.status == 0, "granted file opens");
	req(VFS_IPC_OP_OPENAT, 20, 0, "/usr/lib/libc.so", O_RDONLY, 0, 0);
	CHECK(r.status == 0, "file under a granted dir opens");
	req(VFS_IPC_OP_NEWFSTATAT, 20, 0, "/usr", 0, 0, 0);
	e1 = r.status;
	req(VFS_IPC_OP_CHDIR, 20, 0, "/etc", 0, 0, 0);
	e2 = r.status;
	req(VFS_IPC_OP_OPENAT, 20, 0, "hosts", O_RDONLY, 0, 0);
	e3 = r.status;
	req(VFS_IPC_OP_OPENAT, 20, 0, "os-release", O_RDONLY, 0, 0);
	e4 = r.status;
	CHECK(e1 == 0 && e2 == 0 && e3 == 0 && e4 == -EACCES,
	    "ancestors stat and chdir; relative names judged (%d %d %d %d)",
	    e1, e2, e3, e4);
	req(VFS_IPC_OP_CHDIR, 20, 0, "/tmp", 0, 0, 0);
	req(VFS_IPC_OP_OPENAT, 20, 0, "/tmp/f", O_RDWR | O_CREAT, 0644, 0);
	CHECK(r.status == 0, "memfs unaffected");
	req(VFS_IPC_OP_READ, 20, frid, NULL, 0, 0, 16);
	CHECK(r.status == 6, "a handle opened before the exec still reads");

	/* Listings: a handle opened confined lists only grants' paths. */
	names(20, drid, got, sizeof(got));
	CHECK(strstr(got, "nucleus.elf") != NULL && strstr(got, "apps"),
	    "a listing handle from before the exec is not filtered (%s)", got);
	req(VFS_IPC_OP_OPENAT, 20, 0, "/", O_RDONLY | O_DIRECTORY, 0, 0);
	drid = r.remote_id;
	names(20, drid, got, sizeof(got));
	CHECK(strcmp(got, "etc,usr") == 0, "/ lists etc,usr (%s)", got);
	req(VFS_IPC_OP_OPENAT, 20, 0, "/etc", O_RDONLY | O_DIRECTORY, 0, 0);
	names(20, r.remote_id, got, sizeof(got));
	CHECK(strcmp(got, "hosts") == 0, "/etc lists hosts only (%s)", got);

	/* fork inherits; exit forgets. */
	svc_kernel_forwarded = 1;
	req(VFS_IPC_OP_LIFECYCLE, 20, 0, NULL, 0, VFS_LIFECYCLE_FORK, 22);
	svc_kernel_forwarded = 0;
	req(VFS_IPC_OP_OPENAT, 22, 0, "/nucleus.elf", O_RDONLY, 0, 0);
	CHECK(r.status == -EACCES, "the fork child is confined");
	svc_kernel_forwarded = 1;
	req(VFS_IPC_OP_LIFECYCLE, 22, vrid, NULL, 0, VFS_LIFECYCLE_EXEC, 0);
	svc_kernel_forwarded = 0;
	CHECK(r.status == 0 && r.value == 1 && rta_confined(22),
	    "an exec of a volume image keeps the confinement");
	svc_kernel_forwarded = 1;
	req(VFS_IPC_OP_LIFECYCLE, 22, 0, NULL, 0, VFS_LIFECYCLE_EXIT, 0);
	req(VFS_IPC_OP_LIFECYCLE, 20, 0, NULL, 0, VFS_LIFECYCLE_EXIT, 0);
	svc_kernel_forwarded = 0;
	CHECK(!rta_confined(20) && !rta_confined(22), "exit forgets the pids");
	req(VFS_IPC_OP_OPENAT, 20, 0, "/nucleus.elf", O_RDONLY, 0, 0);
	CHECK(r.status == 0, "a system pid sees the volume again");
	rta_clear();
}

int
main(void)
{
	parser_cases();
	classify_cases();
	profile_cases();
	ops_cases();
	return tap_done();
}
