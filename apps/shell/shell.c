/*
 * shell.c -- the RustOS interactive shell: `shell [-l] [-c COMMAND | FILE]`.
 *
 * -l (the console session initd starts): become a session leader and take
 * stdin's terminal as the controlling terminal, in the foreground; with
 * a terminal that is ours, pipelines run as jobs (exec.c, sh_jobctl):
 * ^Z stops one, `cmd &` starts one in the background, fg/bg/jobs/wait/kill
 * act on them (jobs.c).  Before each prompt the shell reports background
 * jobs that finished or stopped since the last one.
 *
 * Reads lines from stdin (or FILE), prints the prompt `rustos$ ` on stderr
 * when the input is a terminal, and runs each line (parse.c, exec.c).  The
 * console's line discipline does the editing in canonical mode, so a tty
 * read returns one line.  Other input is read one byte at a time: a child
 * that reads stdin must find the bytes after the shell's current line,
 * which a read-ahead buffer would have taken.  Exit status: that of the
 * last command, or of `exit N`.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shell.h"

static struct sh_list list;
static volatile sig_atomic_t got_sigint;

static void
on_sigint(int sig)
{
	got_sigint = 1;
}

static void
run_line(const char *line)
{
	char err[256];

	if (sh_parse(line, &list, err, sizeof(err)) < 0) {
		sh_err("%s", err);
		sh_status = 2;
		return;
	}
	sh_run_list(&list);
}

/*
 * Reads one line into buf (without the newline).  Returns its length, -1 at
 * end of input, -2 for an overlong line (the rest of it is discarded).
 */
static int
read_line(int fd, int tty, char *buf, size_t cap)
{
	static char tbuf[SH_LINE_MAX];
	static size_t tlen;
	size_t len;
	ssize_t n;
	char *nl, c;
	int over;

	len = 0;
	over = 0;
	for (;;) {
		if (tty) {
			/* Canonical mode: one read is one line (or less). */
			if (tlen == 0) {
				n = read(fd, tbuf, sizeof(tbuf));
				if (n < 0 && errno == EINTR && got_sigint) {
					/* ^C: the terminal dropped the line. */
					got_sigint = 0;
					return (-3);
				}
				if (n < 0 && errno == EINTR)
					continue;
				if (n <= 0)
					return (len > 0 && !over ? (int)len :
					    over ? -2 : -1);
				tlen = (size_t)n;
			}
			nl = memchr(tbuf, '\n', tlen);
			n = nl != NULL ? nl - tbuf : (ssize_t)tlen;
			if (!over && len + n < cap) {
				memcpy(buf + len, tbuf, n);
				len += n;
			} else
				over = 1;
			if (nl != NULL)
				n++;
			memmove(tbuf, tbuf + n, tlen - n);
			tlen -= n;
			if (nl != NULL)
				break;
			continue;
		}
		n = read(fd, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (len == 0 && !over)
				return (-1);
			break;
		}
		if (c == '\n')
			break;
		if (len + 1 < cap)
			buf[len++] = c;
		else
			over = 1;
	}
	buf[len] = '\0';
	return (over ? -2 : (int)len);
}

static void
usage(void)
{
	dprintf(2, "usage: shell [-l] [-c COMMAND | FILE]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	char line[SH_LINE_MAX];
	struct sigaction sa;
	int fd, tty, n, login = 0;

	signal(SIGPIPE, SIG_DFL);
	if (argc > 1 && strcmp(argv[1], "-l") == 0) {
		login = 1;
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	if (argc > 1 && strcmp(argv[1], "-c") == 0) {
		if (argc != 3)
			usage();
		run_line(argv[2]);
		return (sh_status);
	}
	if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
		usage();
	fd = 0;
	if (argc == 2 && (fd = open(argv[1], O_RDONLY | O_CLOEXEC)) < 0) {
		sh_err("%s: %s", argv[1], strerror(errno));
		return (127);
	}
	tty = isatty(fd);
	if (tty && fd == 0 && login) {
		/* A session of our own with this terminal as its tty. */
		setsid();
		ioctl(0, TIOCSCTTY, 0);
		tcsetpgrp(0, getpgrp());
	}
	if (tty && fd == 0) {
		/*
		 * Ctrl-C ends the foreground program, not the shell; at the
		 * prompt it abandons the line (the handler interrupts read).
		 */
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_sigint;
		sigaction(SIGINT, &sa, NULL);
		signal(SIGQUIT, SIG_IGN);
		signal(SIGTSTP, SIG_IGN);
		signal(SIGTTIN, SIG_IGN);
		signal(SIGTTOU, SIG_IGN);
		sh_jobctl = tcgetpgrp(0) == getpgrp();
		sh_interactive = 1;
		sh_jobs_init();
	}
	while (!sh_exit_requested) {
		got_sigint = 0;
		/* Finished and stopped background jobs, before the prompt. */
		sh_jobs_notify();
		if (tty && fd == 0)
			dprintf(2, "rustos$ ");
		n = read_line(fd, tty, line, sizeof(line));
		if (n == -1)
			break;
		if (n == -3) {
			dprintf(2, "\n");
			continue;
		}
		if (n == -2) {
			sh_err("line longer than %d bytes ignored",
			    SH_LINE_MAX - 1);
			sh_status = 2;
			continue;
		}
		sh_line_no++;
		run_line(line);
	}
	if (tty && fd == 0 && !sh_exit_requested)
		dprintf(2, "\n");
	return (sh_status);
}
