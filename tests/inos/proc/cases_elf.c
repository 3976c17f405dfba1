/*
 * cases_elf.c -- corrupt-executable cases of psuite.  Each case writes a
 * small ELF64 image into the scratch directory at run time and execs it
 * from a forked child.  The well-formed control image (linked at the RustOS
 * program address 0x8000400000, docs/ai/bootstrap.md) just exits 42; every
 * corrupt variant must either make execve fail (ENOEXEC, or EINVAL/ENOMEM/
 * EIO for the layout errors) with the caller still intact, or -- Linux
 * checks some layouts only after the point of no return -- end the new
 * image by a signal before any of its code ran.  Exit 42 from a corrupt
 * image is always a failure.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "psuite.h"

#define BASE		0x8000400000ULL
#define CODE_OFF	0x100
#define FILE_LEN	0x2000
#define CANARY		0x5a17c0de

enum variant {
	V_CONTROL, V_TRUNCATED, V_MAGIC, V_MACHINE, V_ETREL, V_PHENT,
	V_PHNUM0, V_PHOFF, V_ENTRY, V_HUGE, V_OVERLAP, V_FILESZ, V_OFFSET
};

/* mov $60,%eax; mov $42,%edi; syscall: exit(42). */
static const unsigned char exit42[] = {
	0xb8, 0x3c, 0x00, 0x00, 0x00, 0xbf, 0x2a, 0x00, 0x00, 0x00, 0x0f, 0x05
};

static size_t
build(enum variant v, unsigned char *img)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
	Elf64_Phdr *ph = (Elf64_Phdr *)(img + sizeof(*eh));
	size_t len = FILE_LEN;

	memset(img, 0, FILE_LEN);
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = BASE + CODE_OFF;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 1;
	ph[0].p_type = PT_LOAD;
	ph[0].p_flags = PF_R | PF_X;
	ph[0].p_offset = 0;
	ph[0].p_vaddr = ph[0].p_paddr = BASE;
	ph[0].p_filesz = ph[0].p_memsz = 0x1000;
	ph[0].p_align = 0x1000;
	memcpy(img + CODE_OFF, exit42, sizeof(exit42));
	switch (v) {
	case V_CONTROL:
		break;
	case V_TRUNCATED:
		len = 40;
		break;
	case V_MAGIC:
		eh->e_ident[EI_MAG1] = 'X';
		break;
	case V_MACHINE:
		eh->e_machine = 183;	/* EM_AARCH64 */
		break;
	case V_ETREL:
		eh->e_type = ET_REL;
		break;
	case V_PHENT:
		eh->e_phentsize = 32;
		break;
	case V_PHNUM0:
		eh->e_phnum = 0;
		break;
	case V_PHOFF:
		eh->e_phoff = 0x100000;
		break;
	case V_ENTRY:
		eh->e_entry = BASE + 0x40000000ULL;
		break;
	case V_HUGE:
		ph[0].p_memsz = 1ULL << 50;
		break;
	case V_OVERLAP:
		/* A writable, non-executable second segment over the code
		 * page, backed by zero bytes of the file. */
		eh->e_phnum = 2;
		ph[1] = ph[0];
		ph[1].p_flags = PF_R | PF_W;
		ph[1].p_offset = 0x1000;
		break;
	case V_FILESZ:
		ph[0].p_memsz = 0x100;
		break;
	case V_OFFSET:
		/* vaddr and offset disagree modulo the page size. */
		ph[0].p_offset = 0x10;
		ph[0].p_filesz = ph[0].p_memsz = 0x800;
		break;
	}
	return (len);
}

static const char *
write_image(const char *name, enum variant v)
{
	static unsigned char img[FILE_LEN];
	const char *path;
	size_t len;
	int fd;

	path = ps_scratch_path(name);
	len = build(v, img);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd == -1)
		ps_skip("cannot create %s: %s", path, strerror(errno));
	if (write(fd, img, len) != (ssize_t)len)
		ps_fail("write %s: %s", path, strerror(errno));
	close(fd);
	return (path);
}

/*
 * Exec path from a forked child.  Returns the wait status; the child exits
 * with execve's errno (after checking its memory is intact) or 99 when the
 * canary was damaged.
 */
static int
try_exec(const char *path)
{
	volatile unsigned canary = CANARY;
	char *av[] = { (char *)path, NULL };
	char *ev[] = { NULL };
	pid_t pid;
	int e;

	pid = fork();
	if (pid == -1)
		ps_fail("fork: %s", strerror(errno));
	if (pid == 0) {
		execve(path, av, ev);
		e = errno;
		_exit(canary == CANARY && e > 0 && e < 99 ? e : 99);
	}
	return (ps_wait(pid));
}

static void
expect_refused(const char *name, enum variant v, int strict)
{
	const char *path;
	int st, e;

	path = write_image(name, v);
	st = try_exec(path);
	unlink(path);
	if (WIFEXITED(st)) {
		e = WEXITSTATUS(st);
		if (e == 42)
			ps_fail("the corrupt image ran (exit 42)");
		if (e == 99)
			ps_fail("the caller's memory changed after a failed "
			    "execve");
		if (e == EACCES)
			ps_skip("scratch directory does not allow exec "
			    "(EACCES)");
		if (e == ENOEXEC)
			return;
		if (!strict && (e == EINVAL || e == ENOMEM || e == EIO))
			return;
		ps_fail("execve failed with errno %d (%s), want ENOEXEC%s", e,
		    strerror(e), strict ? "" : "/EINVAL/ENOMEM/EIO");
	}
	if (!strict && WIFSIGNALED(st) && (WTERMSIG(st) == SIGSEGV ||
	    WTERMSIG(st) == SIGKILL || WTERMSIG(st) == SIGBUS))
		return;
	ps_fail("corrupt image: %s", ps_status_str(st));
}

static void
elf_control(void)
{
	const char *path;
	int st;

	path = write_image("elf-control", V_CONTROL);
	st = try_exec(path);
	unlink(path);
	if (WIFEXITED(st) && WEXITSTATUS(st) == EACCES)
		ps_skip("scratch directory does not allow exec (EACCES)");
	ps_expect_exit("well-formed generated image", st, 42);
}

/* strict: only ENOEXEC; otherwise also EINVAL/ENOMEM/EIO or a signal. */
#define REFUSED(fn, file, v, strict)					\
static void								\
fn(void)								\
{									\
	expect_refused(file, v, strict);				\
}

REFUSED(elf_truncated, "elf-trunc", V_TRUNCATED, 1)
REFUSED(elf_bad_magic, "elf-magic", V_MAGIC, 1)
REFUSED(elf_bad_machine, "elf-mach", V_MACHINE, 1)
REFUSED(elf_et_rel, "elf-rel", V_ETREL, 1)
REFUSED(elf_bad_phentsize, "elf-phent", V_PHENT, 1)
REFUSED(elf_no_phdrs, "elf-phnum", V_PHNUM0, 1)
REFUSED(elf_phoff_outside, "elf-phoff", V_PHOFF, 0)
REFUSED(elf_entry_outside, "elf-entry", V_ENTRY, 0)
REFUSED(elf_huge_segment, "elf-huge", V_HUGE, 0)
REFUSED(elf_overlap, "elf-overlap", V_OVERLAP, 0)
REFUSED(elf_filesz_gt_memsz, "elf-filesz", V_FILESZ, 0)
REFUSED(elf_misaligned_offset, "elf-offset", V_OFFSET, 0)

static void
elf_empty_file(void)
{
	const char *path;
	int fd, st;

	path = ps_scratch_path("elf-empty");
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd == -1)
		ps_skip("cannot create %s: %s", path, strerror(errno));
	close(fd);
	st = try_exec(path);
	unlink(path);
	if (WIFEXITED(st) && WEXITSTATUS(st) == EACCES)
		ps_skip("scratch directory does not allow exec (EACCES)");
	ps_expect_exit("empty file (execve errno)", st, ENOEXEC);
}

static void
elf_not_executable(void)
{
	const char *path;
	int st;

	char dir[512], *slash;
	int dfd;
	pid_t pid;

	path = write_image("elf-noexec", V_CONTROL);
	CHECK_OK(chmod(path, 0644));
	st = try_exec(path);
	if (geteuid() == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 42) {
		unlink(path);
		ps_fail("a file without any x bit ran");
	}
	ps_expect_exit("mode 0644 (execve errno)", st, EACCES);
	/* The same through execveat(dirfd, name). */
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	CHECK(slash != NULL, "scratch path %s", path);
	*slash = '\0';
	dfd = open(dir[0] != '\0' ? dir : "/", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC);
	CHECK(dfd != -1, "open %s: %s", dir, strerror(errno));
	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0) {
		char *av[] = { slash + 1, NULL };
		char *ev[] = { NULL };

		syscall(SYS_execveat, dfd, slash + 1, av, ev, 0);
		_exit(errno > 0 && errno < 99 ? errno : 99);
	}
	st = ps_wait(pid);
	close(dfd);
	ps_expect_exit("mode 0644 (execveat(dirfd, name) errno)", st, EACCES);
	/* And by fd (execveat(fd, "", AT_EMPTY_PATH): fexecve). */
	dfd = open(path, O_RDONLY | O_CLOEXEC);
	CHECK(dfd != -1, "open %s: %s", path, strerror(errno));
	pid = fork();
	CHECK(pid != -1, "fork");
	if (pid == 0) {
		char *av[] = { "elf-noexec", NULL };
		char *ev[] = { NULL };

		syscall(SYS_execveat, dfd, "", av, ev, AT_EMPTY_PATH);
		_exit(errno > 0 && errno < 99 ? errno : 99);
	}
	st = ps_wait(pid);
	close(dfd);
	unlink(path);
	ps_expect_exit("mode 0644 (execveat(fd, \"\", AT_EMPTY_PATH) errno)",
	    st, EACCES);
}

const struct ps_case ps_cases_elf[] = {
	{ "elf_control", elf_control, 0 },
	{ "elf_truncated", elf_truncated, 0 },
	{ "elf_bad_magic", elf_bad_magic, 0 },
	{ "elf_bad_machine", elf_bad_machine, 0 },
	{ "elf_et_rel", elf_et_rel, 0 },
	{ "elf_bad_phentsize", elf_bad_phentsize, 0 },
	{ "elf_no_phdrs", elf_no_phdrs, 0 },
	{ "elf_phoff_outside", elf_phoff_outside, 0 },
	{ "elf_entry_outside", elf_entry_outside, 0 },
	{ "elf_huge_segment", elf_huge_segment, 0 },
	{ "elf_overlap", elf_overlap, 0 },
	{ "elf_filesz_gt_memsz", elf_filesz_gt_memsz, 0 },
	{ "elf_misaligned_offset", elf_misaligned_offset, 0 },
	{ "elf_empty_file", elf_empty_file, 0 },
	{ "elf_not_executable", elf_not_executable, 0 },
	{ NULL, NULL, 0 }
};
