/*
 * cases_cred.c -- fsuite cases on credentials and Linux permission rules:
 * owner/group/other classes (supplementary groups included), search
 * permission on directories, creating and removing names, the sticky
 * bit, set-gid directories, chmod and chown rules, access with the real
 * ids against faccessat2's AT_EACCESS, root's bypass.  The unprivileged
 * side runs in a child that dropped to FS_UID (fs_as_user, fsuite.c);
 * files of other owners are made by root first.  Run as root (RustOS
 * and the host CI); otherwise the cases skip.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsuite.h"

#define FS_SYS_FACCESSAT2	439
#define FS_AT_EACCESS		0x200

/* A file with an owner, group and mode (made by root in a set-up). */
static int
mkown(const char *name, unsigned uid, unsigned gid, mode_t mode)
{
	if (fs_mkfile(name, "data\n") < 0 || chown(name, uid, gid) < 0 ||
	    chmod(name, mode) < 0)
		return (fs_fail("set-up %s: %s", name, fs_errname(errno)));
	return (FS_OK);
}

static int
mkdirown(const char *name, unsigned uid, unsigned gid, mode_t mode)
{
	if (mkdir(name, 0700) < 0 || chown(name, uid, gid) < 0 ||
	    chmod(name, mode) < 0)
		return (fs_fail("set-up %s/: %s", name, fs_errname(errno)));
	return (FS_OK);
}

#define SETUP(x) do {							\
	int r_ = (x);							\
	if (r_ != FS_OK)						\
		return (r_);						\
} while (0)

/* ---- the ids themselves, and a fork keeps them ---- */

static int
ids_setup(void)
{
	SETUP(mkown("root600", 0, 0, 0600));
	return (FS_OK);
}

static int
ids_body(void)
{
	gid_t g[4];
	pid_t pid;
	int st, fd;

	CHECK(getgroups(4, g) == 1 && g[0] == FS_GROUP2);
	/* The very next file call after the drop already sees the ids. */
	EXPECT_ERR(open("root600", O_RDONLY), EACCES);
	/* A child forked afterwards has them too. */
	CHK_OK(pid = fork());
	if (pid == 0) {
		fd = open("root600", O_RDONLY);
		_exit(fd < 0 && errno == EACCES && geteuid() == FS_UID ? 0 : 1);
	}
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* Dropped for good: no way back to root. */
	EXPECT_ERR(setuid(0), EPERM);
	EXPECT_ERR(open("root600", O_RDONLY), EACCES);
	return (FS_OK);
}

static int
c_cred_ids(void)
{
	return (fs_as_user(ids_setup, ids_body));
}

/* ---- owner, group (primary and supplementary), other ---- */

static int
classes_setup(void)
{
	SETUP(mkown("own600", FS_UID, FS_OTHER, 0600));
	SETUP(mkown("own060", FS_UID, FS_GROUP2, 0066));
	SETUP(mkown("sup060", FS_OTHER, FS_GROUP2, 0060));
	SETUP(mkown("pri060", FS_OTHER, FS_GID, 0060));
	SETUP(mkown("oth006", FS_OTHER, FS_OTHER, 0006));
	SETUP(mkown("oth660", FS_OTHER, FS_OTHER, 0660));
	SETUP(mkown("oth604", FS_OTHER, FS_OTHER, 0604));
	return (FS_OK);
}

static int
classes_body(void)
{
	int fd;

	CHK_OK(fd = open("own600", O_RDWR));
	close(fd);
	/* The owner class decides for the owner, even with group bits. */
	EXPECT_ERR(open("own060", O_RDONLY), EACCES);
	EXPECT_ERR(access("own060", R_OK), EACCES);
	CHK_OK(fd = open("sup060", O_RDWR));
	close(fd);
	CHK_OK(access("sup060", R_OK | W_OK));
	CHK_OK(fd = open("pri060", O_RDWR));
	close(fd);
	CHK_OK(fd = open("oth006", O_RDWR));
	close(fd);
	EXPECT_ERR(open("oth660", O_RDONLY), EACCES);
	EXPECT_ERR(access("oth660", F_OK | R_OK), EACCES);
	CHK_OK(access("oth660", F_OK));
	CHK_OK(fd = open("oth604", O_RDONLY));
	close(fd);
	EXPECT_ERR(open("oth604", O_WRONLY), EACCES);
	EXPECT_ERR(open("oth604", O_RDONLY | O_TRUNC), EACCES);
	EXPECT_ERR(access("oth604", W_OK), EACCES);
	EXPECT_ERR(access("oth604", X_OK), EACCES);
	return (FS_OK);
}

static int
c_cred_classes(void)
{
	return (fs_as_user(classes_setup, classes_body));
}

/* ---- search (x) permission on every directory on the way ---- */

static int
search_setup(void)
{
	SETUP(mkdirown("nox", FS_OTHER, FS_OTHER, 0776));
	SETUP(mkown("nox/f", FS_OTHER, FS_OTHER, 0666));
	SETUP(mkdirown("nox/sub", FS_OTHER, FS_OTHER, 0777));
	SETUP(mkdirown("xonly", FS_OTHER, FS_OTHER, 0711));
	SETUP(mkown("xonly/f", FS_OTHER, FS_OTHER, 0644));
	return (FS_OK);
}

static int
search_body(void)
{
	struct stat st;
	int fd;

	EXPECT_ERR(open("nox/f", O_RDONLY), EACCES);
	EXPECT_ERR(stat("nox/f", &st), EACCES);
	EXPECT_ERR(access("nox/f", F_OK), EACCES);
	EXPECT_ERR(chdir("nox"), EACCES);
	EXPECT_ERR(open("nox/sub/new", O_WRONLY | O_CREAT, 0644), EACCES);
	EXPECT_ERR(mkdir("nox/sub/d", 0755), EACCES);
	/* The directory itself may be listed (r), not entered. */
	CHK_OK(fd = open("nox", O_RDONLY | O_DIRECTORY));
	close(fd);
	/* x without r: enter and open what is named, not list. */
	CHK_OK(fd = open("xonly/f", O_RDONLY));
	close(fd);
	CHK_OK(stat("xonly/f", &st));
	EXPECT_ERR(open("xonly", O_RDONLY | O_DIRECTORY), EACCES);
	CHK_OK(chdir("xonly"));
	CHK_OK(chdir(".."));
	return (FS_OK);
}

static int
c_cred_search(void)
{
	return (fs_as_user(search_setup, search_body));
}

/* ---- creating and removing names needs w and x on the directory ---- */

static int
names_setup(void)
{
	SETUP(mkdirown("ro", FS_OTHER, FS_OTHER, 0755));
	SETUP(mkown("ro/f", FS_OTHER, FS_OTHER, 0666));
	SETUP(mkdirown("ro/d", FS_OTHER, FS_OTHER, 0777));
	SETUP(mkdirown("rw", FS_OTHER, FS_OTHER, 0777));
	SETUP(mkown("rw/theirs", FS_OTHER, FS_OTHER, 0600));
	SETUP(mkdirown("rw/theirdir", FS_OTHER, FS_OTHER, 0755));
	return (FS_OK);
}

static int
names_body(void)
{
	struct stat st;
	int fd;

	EXPECT_ERR(open("ro/new", O_WRONLY | O_CREAT, 0644), EACCES);
	EXPECT_ERR(mkdir("ro/newd", 0755), EACCES);
	EXPECT_ERR(symlink("f", "ro/lnk"), EACCES);
	EXPECT_ERR(unlink("ro/f"), EACCES);
	EXPECT_ERR(rmdir("ro/d"), EACCES);
	EXPECT_ERR(rename("ro/f", "mine"), EACCES);
	CHECK(fs_mkfile("mine", "x") == 0);
	EXPECT_ERR(rename("mine", "ro/mine"), EACCES);
	/* Existing names and missing ones: those errors come first. */
	EXPECT_ERR(mkdir("ro/d", 0755), EEXIST);
	EXPECT_ERR(unlink("ro/nosuch"), ENOENT);
	/* An existing file with w on it may be written, not removed. */
	CHK_OK(fd = open("ro/f", O_WRONLY | O_TRUNC));
	close(fd);
	/* A writable directory: others' files go (no sticky bit). */
	CHK_OK(fd = open("rw/new", O_WRONLY | O_CREAT | O_EXCL, 0640));
	close(fd);
	CHK_OK(stat("rw/new", &st));
	CHECK(st.st_uid == FS_UID && st.st_gid == FS_GID);
	CHECK((st.st_mode & 07777) == 0640);
	CHK_OK(mkdir("rw/nd", 0750));
	CHK_OK(stat("rw/nd", &st));
	CHECK(st.st_uid == FS_UID && st.st_gid == FS_GID);
	CHK_OK(symlink("new", "rw/nl"));
	CHK_OK(lstat("rw/nl", &st));
	CHECK(st.st_uid == FS_UID);
	CHK_OK(rename("rw/theirs", "rw/moved"));
	CHK_OK(unlink("rw/moved"));
	/* A directory moving to another parent needs w on itself. */
	EXPECT_ERR(rename("ro/d", "rw/d"), EACCES);
	CHK_OK(rename("rw/theirdir", "rw/theirdir2"));
	EXPECT_ERR(rename("rw/theirdir2", "rw/nd/theirdir"), EACCES);
	return (FS_OK);
}

static int
c_cred_names(void)
{
	return (fs_as_user(names_setup, names_body));
}

/* ---- the sticky bit (as on /tmp) ---- */

static int
sticky_setup(void)
{
	SETUP(mkdirown("st", FS_OTHER, FS_OTHER, 01777));
	SETUP(mkown("st/theirs", FS_OTHER, FS_OTHER, 0666));
	SETUP(mkdirown("st/theirdir", FS_OTHER, FS_OTHER, 0777));
	SETUP(mkdirown("mst", FS_UID, FS_GID, 01777));
	SETUP(mkown("mst/theirs", FS_OTHER, FS_OTHER, 0600));
	return (FS_OK);
}

static int
sticky_body(void)
{
	struct stat st;

	CHK_OK(stat("/tmp", &st));
	CHECK((st.st_mode & 01777) == 01777);
	EXPECT_ERR(unlink("st/theirs"), EPERM);
	EXPECT_ERR(rmdir("st/theirdir"), EPERM);
	EXPECT_ERR(rename("st/theirs", "st/x"), EPERM);
	/* Replacing their name by a rename is removing it, too. */
	CHECK(fs_mkfile("st/mine", "x") == 0);
	EXPECT_ERR(rename("st/mine", "st/theirs"), EPERM);
	CHK_OK(rename("st/mine", "st/mine2"));
	CHK_OK(unlink("st/mine2"));
	/* The directory's owner may remove anything in it. */
	CHK_OK(unlink("mst/theirs"));
	return (FS_OK);
}

static int
c_cred_sticky(void)
{
	return (fs_as_user(sticky_setup, sticky_body));
}

/* ---- set-gid directories hand their group down ---- */

static int
setgid_setup(void)
{
	SETUP(mkdirown("sg", FS_OTHER, FS_OTHER, 02777));
	return (FS_OK);
}

static int
setgid_body(void)
{
	struct stat st;

	CHECK(fs_mkfile("sg/f", "x") == 0);
	CHK_OK(stat("sg/f", &st));
	CHECK(st.st_uid == FS_UID && st.st_gid == FS_OTHER);
	CHK_OK(mkdir("sg/sub", 0755));
	CHK_OK(stat("sg/sub", &st));
	CHECK(st.st_gid == FS_OTHER && (st.st_mode & 02000) != 0);
	CHECK(fs_mkfile("sg/sub/g", "x") == 0);
	CHK_OK(stat("sg/sub/g", &st));
	CHECK(st.st_gid == FS_OTHER);
	/* Outside: the creator's own group. */
	CHECK(fs_mkfile("plain", "x") == 0);
	CHK_OK(stat("plain", &st));
	CHECK(st.st_gid == FS_GID);
	return (FS_OK);
}

static int
c_cred_setgid_dir(void)
{
	return (fs_as_user(setgid_setup, setgid_body));
}

/* ---- chmod: the owner or root; S_ISGID needs the group ---- */

static int
chmod_setup(void)
{
	SETUP(mkown("theirs", FS_OTHER, FS_OTHER, 0666));
	SETUP(mkown("mine-oth", FS_UID, FS_OTHER, 0644));
	SETUP(mkown("mine-sup", FS_UID, FS_GROUP2, 0644));
	return (FS_OK);
}

static int
chmod_body(void)
{
	struct stat st;
	int fd;

	EXPECT_ERR(chmod("theirs", 0600), EPERM);
	CHK_OK(fd = open("theirs", O_RDONLY));
	EXPECT_ERR(fchmod(fd, 0600), EPERM);
	close(fd);
	CHK_OK(stat("theirs", &st));
	CHECK((st.st_mode & 07777) == 0666);
	/* Not in the file's group: S_ISGID is dropped silently. */
	CHK_OK(chmod("mine-oth", 02755));
	CHK_OK(stat("mine-oth", &st));
	CHECK((st.st_mode & 07777) == 0755);
	CHK_OK(chmod("mine-sup", 02750));
	CHK_OK(stat("mine-sup", &st));
	CHECK((st.st_mode & 07777) == 02750);
	CHK_OK(chmod("mine-sup", 0));
	EXPECT_ERR(open("mine-sup", O_RDONLY), EACCES);
	/* The owner may give itself access back. */
	CHK_OK(chmod("mine-sup", 0600));
	CHK_OK(fd = open("mine-sup", O_RDWR));
	close(fd);
	return (FS_OK);
}

static int
c_cred_chmod(void)
{
	return (fs_as_user(chmod_setup, chmod_body));
}

/* ---- chown: only root gives files away; the owner picks its group ---- */

static int
chown_setup(void)
{
	SETUP(mkown("theirs", FS_OTHER, FS_OTHER, 0666));
	SETUP(mkown("mine", FS_UID, FS_GID, 0644));
	SETUP(mkown("suid", FS_UID, FS_GID, 06755));
	return (FS_OK);
}

static int
chown_body(void)
{
	struct stat st;
	int fd;

	EXPECT_ERR(chown("mine", FS_OTHER, (gid_t)-1), EPERM);
	EXPECT_ERR(chown("mine", (uid_t)-1, FS_OTHER), EPERM);
	EXPECT_ERR(chown("theirs", (uid_t)-1, FS_GID), EPERM);
	EXPECT_ERR(chown("theirs", FS_UID, (gid_t)-1), EPERM);
	/* To itself and to one of its groups (supplementary). */
	CHK_OK(chown("mine", FS_UID, (gid_t)-1));
	CHK_OK(chown("mine", (uid_t)-1, FS_GROUP2));
	CHK_OK(stat("mine", &st));
	CHECK(st.st_uid == FS_UID && st.st_gid == FS_GROUP2);
	CHK_OK(fd = open("mine", O_RDONLY));
	CHK_OK(fchown(fd, (uid_t)-1, FS_GID));
	close(fd);
	CHK_OK(stat("mine", &st));
	CHECK(st.st_gid == FS_GID);
	/* A change of group takes S_ISUID and S_ISGID (group x) away. */
	CHK_OK(chown("suid", (uid_t)-1, FS_GROUP2));
	CHK_OK(stat("suid", &st));
	CHECK((st.st_mode & 07777) == 0755 && st.st_gid == FS_GROUP2);
	/* Mounting stays root's. */
	CHK_OK(mkdir("mnt", 0755));
	EXPECT_ERR(mount("none", "mnt", "tmpfs", 0, NULL), EPERM);
	return (FS_OK);
}

static int
c_cred_chown(void)
{
	return (fs_as_user(chown_setup, chown_body));
}

/* ---- root: any owner, -1 keeps, links themselves, set-id bits ---- */

static int
c_cred_chown_root(void)
{
	struct stat st;

	if (!fs_is_root())
		return (fs_skip("needs root"));
	CHECK(fs_mkfile("cr", "x") == 0);
	CHK_OK(chown("cr", FS_UID, FS_GROUP2));
	CHK_OK(stat("cr", &st));
	CHECK(st.st_uid == FS_UID && st.st_gid == FS_GROUP2);
	CHK_OK(chown("cr", (uid_t)-1, (gid_t)-1));
	CHK_OK(stat("cr", &st));
	CHECK(st.st_uid == FS_UID && st.st_gid == FS_GROUP2);
	CHK_OK(chown("cr", 0, (gid_t)-1));
	CHK_OK(stat("cr", &st));
	CHECK(st.st_uid == 0 && st.st_gid == FS_GROUP2);
	CHK_OK(chmod("cr", 06755));
	CHK_OK(chown("cr", FS_UID, FS_GID));
	CHK_OK(stat("cr", &st));
	CHECK((st.st_mode & 07777) == 0755);
	/* A directory keeps its set-gid bit. */
	CHK_OK(mkdir("crd", 02755));
	CHK_OK(chmod("crd", 02755));
	CHK_OK(chown("crd", FS_UID, FS_GID));
	CHK_OK(stat("crd", &st));
	CHECK((st.st_mode & 07777) == 02755 && st.st_uid == FS_UID);
	/* lchown and AT_SYMLINK_NOFOLLOW change the link, not the target. */
	CHK_OK(symlink("cr", "crl"));
	CHK_OK(lchown("crl", FS_OTHER, FS_OTHER));
	CHK_OK(lstat("crl", &st));
	CHECK(st.st_uid == FS_OTHER && st.st_gid == FS_OTHER);
	CHK_OK(stat("cr", &st));
	CHECK(st.st_uid == FS_UID);
	CHK_OK(fchownat(AT_FDCWD, "crl", FS_GID, FS_GID,
	    AT_SYMLINK_NOFOLLOW));
	CHK_OK(lstat("crl", &st));
	CHECK(st.st_uid == FS_GID);
	CHK_OK(fchownat(AT_FDCWD, "crl", FS_OTHER, (gid_t)-1, 0));
	CHK_OK(stat("cr", &st));
	CHECK(st.st_uid == FS_OTHER);
	EXPECT_ERR(fchownat(AT_FDCWD, "cr", 0, 0, 0x4), EINVAL);
	EXPECT_ERR(chown("nosuch", 0, 0), ENOENT);
	if (fs_ro && fs_ro_file[0] != '\0')
		EXPECT_ERR(chown(fs_ro_file, FS_UID, (gid_t)-1), EROFS);
	return (FS_OK);
}

/* ---- access: the real ids; AT_EACCESS and open: the effective ---- */

static int
real_setup(void)
{
	SETUP(mkown("eff600", FS_OTHER, FS_OTHER, 0600));
	SETUP(mkown("real600", FS_UID, FS_GID, 0600));
	return (FS_OK);
}

static int
real_body(void)
{
	int fd;

	/* ruid FS_UID, euid FS_OTHER (fs_as_ids). */
	EXPECT_ERR(access("eff600", R_OK), EACCES);
	CHK_OK(access("real600", R_OK | W_OK));
	CHK_OK(syscall(FS_SYS_FACCESSAT2, AT_FDCWD, "eff600", R_OK,
	    FS_AT_EACCESS));
	EXPECT_ERR(syscall(FS_SYS_FACCESSAT2, AT_FDCWD, "real600", R_OK,
	    FS_AT_EACCESS), EACCES);
	CHK_OK(fd = open("eff600", O_RDWR));
	close(fd);
	EXPECT_ERR(open("real600", O_RDONLY), EACCES);
	return (FS_OK);
}

static int
c_cred_access_real(void)
{
	return (fs_as_ids(FS_UID, FS_OTHER, real_setup, real_body));
}

/* ---- setfsuid: files are judged by the fs id, a new euid resets it ---- */

#define FS_SYS_SETFSUID		122
#define FS_SYS_SETFSGID		123

static int
fsuid_body(void)
{
	int fd;

	/* ruid FS_UID, euid FS_OTHER (fs_as_ids); -1 only asks. */
	CHECK(syscall(FS_SYS_SETFSUID, -1) == FS_OTHER);
	CHECK(syscall(FS_SYS_SETFSUID, FS_UID) == FS_OTHER);
	CHECK(syscall(FS_SYS_SETFSUID, -1) == FS_UID);
	CHK_OK(fd = open("real600", O_RDWR));
	close(fd);
	EXPECT_ERR(open("eff600", O_RDONLY), EACCES);
	/* Not one of its ids: unchanged, the old one comes back. */
	CHECK(syscall(FS_SYS_SETFSUID, 3000) == FS_UID);
	CHECK(syscall(FS_SYS_SETFSUID, -1) == FS_UID);
	CHECK(syscall(FS_SYS_SETFSGID, -1) == FS_GID);
	/* Setting the effective id again resets the fs id to it. */
	CHK_OK(seteuid(FS_OTHER));
	CHECK(syscall(FS_SYS_SETFSUID, -1) == FS_OTHER);
	CHK_OK(fd = open("eff600", O_RDWR));
	close(fd);
	return (FS_OK);
}

static int
c_cred_setfsuid(void)
{
	return (fs_as_ids(FS_UID, FS_OTHER, real_setup, fsuid_body));
}

/* ---- execute: x bits of the caller's class; root needs one x ---- */

static int
exec_setup(void)
{
	SETUP(mkown("ownx", FS_OTHER, FS_OTHER, 0744));
	SETUP(mkown("grpx", FS_OTHER, FS_GROUP2, 0750));
	return (FS_OK);
}

static int
exec_body(void)
{
	char *argv[] = { "x", NULL }, *envp[] = { NULL };

	EXPECT_ERR(access("ownx", X_OK), EACCES);
	EXPECT_ERR(execve("ownx", argv, envp), EACCES);
	CHK_OK(access("grpx", X_OK));
	return (FS_OK);
}

static int
c_cred_exec(void)
{
	return (fs_as_user(exec_setup, exec_body));
}

static int
c_cred_root_bypass(void)
{
	struct stat st;
	int fd;

	if (!fs_is_root())
		return (fs_skip("needs root"));
	CHECK(fs_mkfile("rb", "x") == 0);
	CHK_OK(chown("rb", FS_OTHER, FS_OTHER));
	CHK_OK(chmod("rb", 0));
	CHK_OK(fd = open("rb", O_RDWR));
	close(fd);
	CHK_OK(access("rb", R_OK | W_OK));
	EXPECT_ERR(access("rb", X_OK), EACCES);
	CHK_OK(chmod("rb", 0010));
	CHK_OK(access("rb", X_OK));
	CHK_OK(mkdir("rbd", 0));
	CHK_OK(chown("rbd", FS_OTHER, FS_OTHER));
	CHK_OK(access("rbd", R_OK | W_OK | X_OK));
	CHECK(fs_mkfile("rbd/in", "x") == 0);
	CHK_OK(stat("rbd/in", &st));
	CHECK(st.st_uid == 0 && st.st_gid == 0);
	/* Root chmods anything. */
	CHK_OK(chmod("rbd", 0700));
	return (FS_OK);
}

const struct fs_case fs_cases_cred[] = {
	{ "cred.ids", c_cred_ids },
	{ "cred.classes", c_cred_classes },
	{ "cred.search", c_cred_search },
	{ "cred.names", c_cred_names },
	{ "cred.sticky", c_cred_sticky },
	{ "cred.setgid-dir", c_cred_setgid_dir },
	{ "cred.chmod", c_cred_chmod },
	{ "cred.chown", c_cred_chown },
	{ "cred.chown-root", c_cred_chown_root },
	{ "cred.access-real", c_cred_access_real },
	{ "cred.setfsuid", c_cred_setfsuid },
	{ "cred.exec", c_cred_exec },
	{ "cred.root-bypass", c_cred_root_bypass },
	{ NULL, NULL },
};
