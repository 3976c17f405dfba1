/*
 * memfs_test.c -- vfsd's /tmp and /run memory file systems (memfs.c):
 * create/write/read, truncation, O_EXCL, mkdir/rmdir/unlink rules, rename
 * (replace, EXDEV, below itself), unlink of an open file, the byte and
 * node bounds (ENOSPC), and name length limits.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "services/vfsd/memfs.h"
#include "tests/unit/services/tap.h"

static char big[64 * 1024];

int
main(void)
{
	uint32_t id, id2, cur, got;
	char buf[64], name[300], path[400];
	long r;
	int i, n;

	memfs_init();
	CHECK(memfs_owns("/tmp") && memfs_owns("/tmp/a") && memfs_owns("/run"),
	    "owns /tmp and /run");
	CHECK(!memfs_owns("/tmpx") && !memfs_owns("/etc/tmp"),
	    "does not own /tmpx or /etc/tmp");
	CHECK(memfs_lookup("/tmp", &id) == 0 && memfs_node(id)->dir,
	    "/tmp is a directory");
	CHECK(memfs_open("/tmp/f", 0, &id) == -ENOENT, "open missing: ENOENT");
	CHECK(memfs_open("/tmp/f", MEMFS_O_CREAT | MEMFS_O_WRITE, &id) == 0,
	    "create /tmp/f");
	CHECK(memfs_pwrite(id, "hello world", 11, 0) == 11, "write 11 bytes");
	r = memfs_pread(id, buf, sizeof(buf), 0);
	CHECK(r == 11 && memcmp(buf, "hello world", 11) == 0, "read them back");
	CHECK(memfs_pread(id, buf, sizeof(buf), 11) == 0, "read at EOF: 0");
	CHECK(memfs_pwrite(id, "X", 1, 20) == 1 && memfs_node(id)->size == 21,
	    "write past the end extends");
	r = memfs_pread(id, buf, sizeof(buf), 11);
	CHECK(r == 10 && buf[0] == 0 && buf[8] == 0 && buf[9] == 'X',
	    "the hole reads as zeros");
	CHECK(memfs_truncate(id, 5) == 0 && memfs_node(id)->size == 5,
	    "truncate to 5");
	CHECK(memfs_open("/tmp/f", MEMFS_O_CREAT | MEMFS_O_EXCL, &id2) ==
	    -EEXIST, "O_CREAT|O_EXCL on an existing file: EEXIST");
	CHECK(memfs_open("/tmp/f", MEMFS_O_DIRECTORY, &id2) == -ENOTDIR,
	    "O_DIRECTORY on a file: ENOTDIR");
	CHECK(memfs_open("/tmp/f/x", MEMFS_O_CREAT, &id2) == -ENOTDIR,
	    "create below a file: ENOTDIR");
	CHECK(memfs_open("/tmp/f", MEMFS_O_TRUNC | MEMFS_O_WRITE, &id2) == 0 &&
	    id2 == id && memfs_node(id)->size == 0, "O_TRUNC empties");
	memfs_close(id2);
	CHECK(memfs_open("/tmp", MEMFS_O_WRITE, &id2) == -EISDIR,
	    "open a directory for writing: EISDIR");
	CHECK(memfs_mkdir("/tmp/d") == 0, "mkdir /tmp/d");
	CHECK(memfs_mkdir("/tmp/d") == -EEXIST, "mkdir again: EEXIST");
	CHECK(memfs_mkdir("/tmp/no/d") == -ENOENT, "mkdir, missing parent: ENOENT");
	CHECK(memfs_mkdir("/tmp/f/d") == -ENOTDIR, "mkdir below a file: ENOTDIR");
	CHECK(memfs_open("/tmp/d/g", MEMFS_O_CREAT | MEMFS_O_WRITE, &id2) == 0,
	    "create /tmp/d/g");
	memfs_close(id2);
	CHECK(memfs_unlink("/tmp/d", 1) == -ENOTEMPTY, "rmdir non-empty: ENOTEMPTY");
	CHECK(memfs_unlink("/tmp/d", 0) == -EISDIR, "unlink a directory: EISDIR");
	CHECK(memfs_unlink("/tmp/d/g", 1) == -ENOTDIR, "rmdir a file: ENOTDIR");
	CHECK(memfs_unlink("/tmp", 1) == -EBUSY, "rmdir the mount: EBUSY");
	CHECK(memfs_rename("/tmp/d/g", "/tmp/h") == 0 &&
	    memfs_lookup("/tmp/h", &id2) == 0 &&
	    memfs_lookup("/tmp/d/g", &id2) == -ENOENT, "rename moves");
	CHECK(memfs_rename("/tmp/h", "/run/h") == -EXDEV,
	    "rename across mounts: EXDEV");
	CHECK(memfs_rename("/tmp/d", "/tmp/d/e") == -EINVAL,
	    "rename a directory below itself: EINVAL");
	CHECK(memfs_rename("/tmp/h", "/tmp/f") == 0 &&
	    memfs_lookup("/tmp/h", &id2) == -ENOENT, "rename replaces a file");
	CHECK(memfs_node(id) != NULL, "the replaced file stays while open");
	memfs_close(id);
	CHECK(memfs_node(id) == NULL, "and goes with its last close");
	CHECK(memfs_unlink("/tmp/d", 1) == 0, "rmdir empty");
	/* readdir sees exactly the children. */
	CHECK(memfs_lookup("/tmp", &id) == 0, "lookup /tmp");
	n = 0;
	cur = 0;
	while (memfs_readdir(id, &cur, &got) == 1)
		n++;
	CHECK(n == 1, "readdir of /tmp lists 1 entry (got %d)", n);
	/* Open then unlink: data stays readable until close. */
	CHECK(memfs_open("/tmp/u", MEMFS_O_CREAT | MEMFS_O_WRITE, &id) == 0 &&
	    memfs_pwrite(id, "abc", 3, 0) == 3 &&
	    memfs_unlink("/tmp/u", 0) == 0 &&
	    memfs_lookup("/tmp/u", &id2) == -ENOENT &&
	    memfs_pread(id, buf, 3, 0) == 3, "unlinked open file stays readable");
	memfs_close(id);
	/* Bounds. */
	CHECK(memfs_open("/run/big", MEMFS_O_CREAT | MEMFS_O_WRITE, &id) == 0,
	    "create /run/big");
	for (i = 0, r = 0; r >= 0 && i < 1000; i++)
		r = memfs_pwrite(id, big, sizeof(big), (uint64_t)i * sizeof(big));
	CHECK(r == -ENOSPC && memfs_used_bytes() <= MEMFS_MAX_BYTES,
	    "filling memory ends in ENOSPC, bound kept");
	memfs_close(id);
	CHECK(memfs_unlink("/run/big", 0) == 0, "unlink the big file");
	CHECK(memfs_used_bytes() < 1024, "its bytes are given back");
	for (i = 0, r = 0; r == 0 && i < MEMFS_MAX_NODES + 5; i++) {
		snprintf(path, sizeof(path), "/run/n%d", i);
		r = memfs_mkdir(path);
	}
	CHECK(r == -ENOSPC, "node table full: ENOSPC");
	for (i = 0; i < MEMFS_MAX_NODES + 5; i++) {
		snprintf(path, sizeof(path), "/run/n%d", i);
		(void)memfs_unlink(path, 1);
	}
	memset(name, 'a', sizeof(name));
	name[sizeof(name) - 1] = '\0';
	snprintf(path, sizeof(path), "/tmp/%s", name);
	CHECK(memfs_mkdir(path) == -ENAMETOOLONG, "component over 255: ENAMETOOLONG");

	/* tmpfs mounts on a directory. */
	CHECK(memfs_mkdir("/tmp/m") == 0 && memfs_open("/tmp/m/under",
	    MEMFS_O_CREAT | MEMFS_O_WRITE, &id) == 0, "a file under the mount point");
	memfs_close(id);
	CHECK(memfs_umount("/tmp/m", 0) == -EINVAL, "umount of a plain dir: EINVAL");
	CHECK(memfs_mount("/tmp/m/under", 0) == -ENOTDIR, "mount on a file: ENOTDIR");
	CHECK(memfs_mount("/tmp/nope", 0) == -ENOENT, "mount on nothing: ENOENT");
	CHECK(memfs_mount("/tmp/m", 0) == 0 &&
	    memfs_lookup("/tmp/m/under", &id2) == -ENOENT,
	    "the mount hides what was below");
	CHECK(memfs_open("/tmp/m/in", MEMFS_O_CREAT | MEMFS_O_WRITE, &id) == 0,
	    "create inside the mount");
	CHECK(memfs_unlink("/tmp/m", 1) == -EBUSY, "rmdir of a mount point: EBUSY");
	CHECK(memfs_umount("/tmp/m", 0) == -EBUSY, "open file inside: EBUSY");
	memfs_close(id);
	CHECK(memfs_umount("/tmp/m", 0) == 0 &&
	    memfs_lookup("/tmp/m/in", &id2) == -ENOENT &&
	    memfs_lookup("/tmp/m/under", &id2) == 0,
	    "umount: its files go, the directory below shows again");
	CHECK(memfs_mount("/tmp/m", 0) == 0 && memfs_open("/tmp/m/d",
	    MEMFS_O_CREAT | MEMFS_O_WRITE, &id) == 0 &&
	    memfs_umount("/tmp/m", 1) == 0 && memfs_pwrite(id, "x", 1, 0) == 1,
	    "lazy umount: an open file lives on");
	memfs_close(id);

	/* A read-only tmpfs: nothing below changes (EROFS), reads work. */
	CHECK(memfs_mount("/tmp/m", 1) == 0, "read-only mount");
	CHECK(memfs_open("/tmp/m/f", MEMFS_O_CREAT | MEMFS_O_WRITE, &id) ==
	    -EROFS && memfs_mkdir("/tmp/m/d") == -EROFS &&
	    memfs_lookup("/tmp/m", &id2) == 0 && memfs_chmod(id2, 0700) ==
	    -EROFS && memfs_rename("/tmp/m/under", "/tmp/m/x") == -ENOENT,
	    "read-only mount: create, mkdir, chmod EROFS");
	CHECK(memfs_open("/tmp/m", MEMFS_O_DIRECTORY, &id) == 0,
	    "read-only mount: the root opens for reading");
	memfs_close(id);
	CHECK(memfs_mount("/tmp/m", 0) == 0 && memfs_open("/tmp/m/w",
	    MEMFS_O_CREAT | MEMFS_O_WRITE, &id) == 0,
	    "a writable tmpfs on top of a read-only one");
	memfs_close(id);
	/* MNT_EXPIRE: mark, unmount on the second call; an open unmarks. */
	CHECK(memfs_expire("/tmp/m") == -EAGAIN, "expire: first call marks");
	CHECK(memfs_open("/tmp/m/w", 0, &id) == 0, "open below the mark");
	memfs_close(id);
	CHECK(memfs_expire("/tmp/m") == -EAGAIN, "expire: used since: again");
	CHECK(memfs_expire("/tmp/m") == 0 &&
	    memfs_lookup("/tmp/m/w", &id2) == -ENOENT, "expire: unmounted");
	CHECK(memfs_expire("/tmp/m") == -EAGAIN &&
	    memfs_expire("/tmp/m") == 0, "the read-only one below expires too");
	CHECK(memfs_expire("/tmp/m") == -EINVAL, "expire: no mount: EINVAL");

	/* Symbolic links: a node holding its target; vfsd follows them. */
	{
		static char longt[MEMFS_LINK_MAX + 2];
		const struct memfs_node *n;

		CHECK(memfs_symlink("/tmp/sl", "some/target", 11) == 0 &&
		    memfs_lookup("/tmp/sl", &id) == 0 &&
		    (n = memfs_node(id))->link && !n->dir && n->size == 11 &&
		    memcmp(n->data, "some/target", 11) == 0 && n->perm == 0777,
		    "symlink: a link node with its target, mode 0777");
		CHECK(memfs_open("/tmp/sl", 0, &id2) == -ELOOP,
		    "memfs_open of a link: ELOOP");
		CHECK(memfs_open("/tmp/sl", MEMFS_O_CREAT | MEMFS_O_EXCL |
		    MEMFS_O_WRITE, &id2) == -EEXIST, "O_CREAT|O_EXCL: EEXIST");
		CHECK(memfs_symlink("/tmp/sl", "x", 1) == -EEXIST,
		    "symlink over a name: EEXIST");
		CHECK(memfs_symlink("/tmp/nodir/l", "x", 1) == -ENOENT,
		    "symlink in a missing directory: ENOENT");
		CHECK(memfs_symlink("/tmp/e", "", 0) == -ENOENT,
		    "empty target: ENOENT");
		memset(longt, 'a', sizeof(longt) - 1);
		CHECK(memfs_symlink("/tmp/lt", longt, MEMFS_LINK_MAX + 1) ==
		    -ENAMETOOLONG && memfs_symlink("/tmp/lt", longt,
		    MEMFS_LINK_MAX) == 0, "target limit: ENAMETOOLONG beyond");
		CHECK(memfs_unlink("/tmp/lt", 0) == 0 && memfs_unlink("/tmp/sl",
		    0) == 0 && memfs_lookup("/tmp/sl", &id2) == -ENOENT,
		    "unlink removes links");
		CHECK(memfs_mount("/tmp/m", 1) == 0 &&
		    memfs_symlink("/tmp/m/l", "x", 1) == -EROFS &&
		    memfs_umount("/tmp/m", 0) == 0,
		    "symlink on a read-only mount: EROFS");
	}
	return tap_done();
}
