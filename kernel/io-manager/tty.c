/*
 * tty.c -- the console terminal: the line discipline between COM1 and the
 * processes reading and writing the console (PS_FD_CONSOLE fds).
 *
 * Layers, bottom up:
 *  1. hal/console.c fills a raw ring from the UART receive interrupt;
 *  2. the "tty" kernel thread (woken by that interrupt, polling the UART
 *     itself every TTY_POLL_MS as a fallback) runs each byte through the
 *     termios input rules: ICRNL/IGNCR/INLCR, ISIG characters (SIGINT,
 *     SIGQUIT, SIGTSTP to the foreground process group), canonical editing
 *     (VERASE, VKILL, VWERASE, VEOF, line delimiters) and echo;
 *  3. finished input sits in the read queue, which io_tty_read hands out:
 *     one line per read in canonical mode, VMIN/VTIME rules otherwise.
 * Output (io_tty_output/io_tty_write) applies OPOST/ONLCR and goes to the
 * UART polled.  Sessions: the controlling session and its foreground
 * group, job control for the others of the session (io_tty_job_check:
 * SIGTTIN/SIGTTOU), the hangup when the session leader leaves.
 *
 * Invariants: the queue holds 16-bit entries, a byte optionally flagged
 * as a line delimiter (TTY_DELIM) or an EOF mark (TTY_EOF, no byte);
 * `lines` counts the delimiters and EOF marks in it.  The thread takes raw
 * bytes only while the queue has room for a whole line, so when readers
 * are slow the input backs up into the UART and QEMU instead of being
 * dropped.  Kernel code is not preempted between safe points on the one
 * CPU, so the state below needs no lock between threads; the interrupt
 * only touches the raw ring (hal) and the `kick` flag.
 */
#include <io-manager/api.h>
#include <hal/api.h>
#include <mm/api.h>
#include <nucleus-core/api.h>
#include <ps/api.h>

#include <rustos/tty.h>

#define EIO		5
#define EAGAIN		11
#define EFAULT		14
#define ENOTTY		25
#define ESRCH		3
#define EPERM		1

#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGCONT		18
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGWINCH	28
#define SI_KERNEL	0x80

#define TTY_Q		8192		/* power of two */
#define TTY_LINE_MAX	4095		/* MAX_CANON */
#define TTY_DELIM	0x100
#define TTY_EOF		0x200
#define TTY_WAITERS	16
#define TTY_POLL_MS	100		/* fallback UART poll */
#define TTY_RECHECK_NS	1000000000ULL

struct tty_waiter {
	long tid;
	volatile int *flag;
};

static struct {
	struct rustos_termios t;
	struct rustos_winsize ws;
	long session;			/* controlling session (its sid), 0 none */
	long pgrp;			/* foreground process group */
	uint8_t line[TTY_LINE_MAX + 1];	/* canonical line being edited */
	size_t line_len;
	uint16_t q[TTY_Q];
	uint32_t qh, qt;		/* qt - qh = entries */
	unsigned lines;			/* delimiters + EOF marks in q */
	uint64_t last_rx_ns;		/* VTIME's inter-byte timer */
	struct tty_waiter w[TTY_WAITERS];
	long thread;
	volatile int kick;
	bool irq;			/* the receive interrupt is routed */
	bool up;
} tty;

static const uint8_t default_cc[RUSTOS_NCCS] = {
	[RUSTOS_VINTR] = 0x03, [RUSTOS_VQUIT] = 0x1c, [RUSTOS_VERASE] = 0x7f,
	[RUSTOS_VKILL] = 0x15, [RUSTOS_VEOF] = 0x04, [RUSTOS_VTIME] = 0,
	[RUSTOS_VMIN] = 1, [RUSTOS_VSTART] = 0x11, [RUSTOS_VSTOP] = 0x13,
	[RUSTOS_VSUSP] = 0x1a, [RUSTOS_VREPRINT] = 0x12,
	[RUSTOS_VWERASE] = 0x17, [RUSTOS_VLNEXT] = 0x16,
};

static void
tty_defaults(void)
{
	tty.t.c_iflag = RUSTOS_ICRNL | RUSTOS_IXON | RUSTOS_IUTF8;
	tty.t.c_oflag = RUSTOS_OPOST | RUSTOS_ONLCR;
	tty.t.c_cflag = RUSTOS_CFLAG_DEFAULT;
	tty.t.c_lflag = RUSTOS_ISIG | RUSTOS_ICANON | RUSTOS_ECHO |
	    RUSTOS_ECHOE | RUSTOS_ECHOK | RUSTOS_ECHOCTL | RUSTOS_ECHOKE |
	    RUSTOS_IEXTEN;
	tty.t.c_line = 0;
	memcpy(tty.t.c_cc, default_cc, sizeof(default_cc));
	tty.ws.ws_row = 24;
	tty.ws.ws_col = 80;
}

/* ---- output ---- */

/* Bytes through OPOST (ONLCR, OCRNL) to the UART. */
void
io_tty_output(const char *s, size_t n)
{
	size_t i, start = 0;

	if (!(tty.t.c_oflag & RUSTOS_OPOST) ||
	    !(tty.t.c_oflag & (RUSTOS_ONLCR | RUSTOS_OCRNL))) {
		hal_serial_write_raw(s, n);
		return;
	}
	for (i = 0; i < n; i++) {
		if (s[i] == '\n' && (tty.t.c_oflag & RUSTOS_ONLCR)) {
			hal_serial_write_raw(s + start, i - start);
			hal_serial_write_raw("\r\n", 2);
			start = i + 1;
		} else if (s[i] == '\r' && (tty.t.c_oflag & RUSTOS_OCRNL)) {
			hal_serial_write_raw(s + start, i - start);
			hal_serial_write_raw("\n", 1);
			start = i + 1;
		}
	}
	hal_serial_write_raw(s + start, n - start);
}

static void
echo_str(const char *s)
{
	io_tty_output(s, strlen(s));
}

/* Echo one input byte: control characters as ^X under ECHOCTL. */
static void
echo_byte(uint8_t c)
{
	char b[2];

	if (!(tty.t.c_lflag & RUSTOS_ECHO))
		return;
	if ((tty.t.c_lflag & RUSTOS_ECHOCTL) && (c < 0x20 || c == 0x7f) &&
	    c != '\n' && c != '\t') {
		b[0] = '^';
		b[1] = c == 0x7f ? '?' : (char)(c + '@');
		io_tty_output(b, 2);
		return;
	}
	b[0] = (char)c;
	io_tty_output(b, 1);
}

/* Columns an echoed byte took (for erasing it). */
static unsigned
echo_width(uint8_t c)
{
	if ((tty.t.c_lflag & RUSTOS_ECHOCTL) && (c < 0x20 || c == 0x7f) &&
	    c != '\t')
		return (2);
	return (1);
}

/* ---- the read queue ---- */

static uint32_t
q_count(void)
{
	return (tty.qt - tty.qh);
}

static void
q_push(uint16_t e)
{
	if (q_count() >= TTY_Q)
		return;		/* never: the thread checks room first */
	tty.q[tty.qt % TTY_Q] = e;
	tty.qt++;
	if (e & (TTY_DELIM | TTY_EOF))
		tty.lines++;
}

static void
wake_readers(void)
{
	unsigned i;

	ps_poll_wake();			/* pollers re-scan the console */

	for (i = 0; i < TTY_WAITERS; i++)
		if (tty.w[i].tid != 0) {
			*tty.w[i].flag = 1;
			ps_unpark(tty.w[i].tid);
			tty.w[i].tid = 0;
		}
}

static void
flush_input(void)
{
	tty.qh = tty.qt = 0;
	tty.lines = 0;
	tty.line_len = 0;
}

/* Move the canonical line into the queue; last entry flagged `flag`. */
static void
commit_line(uint16_t flag)
{
	size_t i;

	for (i = 0; i < tty.line_len; i++)
		q_push(tty.line[i] | (i + 1 == tty.line_len &&
		    flag == TTY_DELIM ? TTY_DELIM : 0));
	if (flag == TTY_EOF || tty.line_len == 0)
		q_push(TTY_EOF);
	tty.line_len = 0;
}

/* ---- sessions and process groups ---- */

static bool
proc_alive(const struct ps_proc *t)
{
	return (t != NULL && !t->zombie);
}

static void signal_pgrp(long pg, int sig);
static void hang_up(const struct ps_proc *leader);

/* Whether the controlling session still has its leader. */
static bool
session_alive(void)
{
	struct ps_proc *t;

	if (tty.session == 0)
		return (false);
	t = ps_proc_find(tty.session);
	if (!proc_alive(t) || t->sid != tty.session) {
		/*
		 * The leader is gone: as Linux does for the controlling
		 * process, hang up the foreground group; the console has no
		 * session any more.  (Noticed at the next console operation.)
		 */
		hang_up(NULL);
		return (false);
	}
	return (true);
}

static bool
pgrp_alive(long pg)
{
	struct ps_proc *t;

	for (t = ps_proc_first(); t != NULL; t = t->next)
		if (!t->zombie && t->pgid == pg)
			return (true);
	return (false);
}

static void
signal_pgrp(long pg, int sig)
{
	struct ps_proc *t;

	if (pg <= 0)
		return;
	for (t = ps_proc_first(); t != NULL; t = t->next)
		if (!t->zombie && t->pgid == pg)
			ps_signal_send(t, sig, 0, SI_KERNEL, 0);
}

bool
io_tty_is_ctty(const struct ps_proc *p)
{
	return (session_alive() && p->sid == tty.session);
}

/*
 * The session loses the console: its foreground group gets SIGHUP, and
 * SIGCONT for members that are stopped (else nothing would let them act
 * on the hangup).  leader, on its way out, is skipped.
 */
static void
hang_up(const struct ps_proc *leader)
{
	struct ps_proc *t;
	long pg = tty.pgrp;

	tty.session = 0;
	tty.pgrp = 0;
	hal_serial_logs_quiet = false;
	if (pg <= 0)
		return;
	for (t = ps_proc_first(); t != NULL; t = t->next) {
		if (t->zombie || t->pgid != pg || t == leader)
			continue;
		ps_signal_send(t, SIGHUP, 0, SI_KERNEL, 0);
		if (t->stopped)
			ps_signal_send(t, SIGCONT, 0, SI_KERNEL, 0);
	}
}

/*
 * A process leaves (ps_proc_exit): when it is the controlling session's
 * leader the console is hung up at once, not at the next console
 * operation.
 */
void
io_tty_proc_exit(const struct ps_proc *p)
{
	if (tty.session != 0 && p->pid == tty.session && p->sid == p->pid)
		hang_up(p);
}

/*
 * An open without O_NOCTTY (devmgrd asked for it): a session leader
 * without a controlling terminal takes the console as its controlling
 * terminal when no live session has it (Linux's rule for a tty open).
 */
void
io_tty_open_ctty(struct ps_proc *p)
{
	if (p->sid != p->pid || session_alive())
		return;
	tty.session = p->sid;
	tty.pgrp = p->pgid;
	hal_serial_logs_quiet = true;
}

/*
 * Job control on the controlling terminal (Linux's tty_check_change): a
 * process of the session outside the foreground group that reads (sig
 * SIGTTIN), writes with TOSTOP or changes the terminal (SIGTTOU) gets its
 * group signalled, and the call is restarted once it continues
 * (-PS_ERESTARTSYS).  With the signal ignored or blocked a read fails with
 * -EIO and a write or change goes ahead; in an orphaned group (nobody to
 * continue it) the call fails with -EIO.  0: go ahead.
 */
long
io_tty_job_check(struct ps_proc *p, int sig)
{
	struct ps_thread *th = ps_thread_cur();
	uint64_t bit = 1ULL << (sig - 1);

	if (!session_alive() || p->sid != tty.session || tty.pgrp == 0 ||
	    p->pgid == tty.pgrp || !pgrp_alive(tty.pgrp))
		return (0);
	if ((p->sig_ignored & bit) || (th != NULL && th->proc == p &&
	    (th->sig_mask & bit)))
		return (sig == SIGTTIN ? -EIO : 0);
	if (ps_pgrp_orphaned(p->pgid, NULL))
		return (-EIO);
	signal_pgrp(p->pgid, sig);
	return (-PS_ERESTARTSYS);
}

/* The ioctls that change the terminal: SIGTTOU from the background. */
long
io_tty_ioctl_check(struct ps_proc *p, uint32_t cmd)
{
	switch (cmd) {
	case RUSTOS_TCSETS: case RUSTOS_TCSETSW: case RUSTOS_TCSETSF:
	case RUSTOS_TIOCSPGRP: case RUSTOS_TCFLSH: case RUSTOS_TCXONC:
	case RUSTOS_TCSBRK:
		return (io_tty_job_check(p, SIGTTOU));
	}
	return (0);
}

/* ---- input processing (the tty thread) ---- */

static void
isig(int sig, uint8_t c)
{
	if (!(tty.t.c_lflag & RUSTOS_NOFLSH))
		flush_input();
	echo_byte(c);
	if (session_alive())
		signal_pgrp(tty.pgrp, sig);
	wake_readers();
}

static void
erase_one(void)
{
	unsigned w;

	if (tty.line_len == 0)
		return;
	/* IUTF8: a character's continuation bytes (10xxxxxx) go with it. */
	if (tty.t.c_iflag & RUSTOS_IUTF8)
		while (tty.line_len > 1 &&
		    (tty.line[tty.line_len - 1] & 0xc0) == 0x80)
			tty.line_len--;
	w = echo_width(tty.line[--tty.line_len]);
	if ((tty.t.c_lflag & RUSTOS_ECHO) && (tty.t.c_lflag & RUSTOS_ECHOE))
		while (w-- > 0)
			echo_str("\b \b");
}

static void
input_byte(uint8_t c)
{
	const uint8_t *cc = tty.t.c_cc;
	uint32_t lf = tty.t.c_lflag, ifl = tty.t.c_iflag;

	if (ifl & RUSTOS_ISTRIP)
		c &= 0x7f;
	if (c == '\r') {
		if (ifl & RUSTOS_IGNCR)
			return;
		if (ifl & RUSTOS_ICRNL)
			c = '\n';
	} else if (c == '\n' && (ifl & RUSTOS_INLCR))
		c = '\r';
	/* A c_cc value of 0 disables that character (_POSIX_VDISABLE). */
	if (lf & RUSTOS_ISIG) {
		if (c != 0 && c == cc[RUSTOS_VINTR]) {
			isig(SIGINT, c);
			return;
		}
		if (c != 0 && c == cc[RUSTOS_VQUIT]) {
			isig(SIGQUIT, c);
			return;
		}
		if (c != 0 && c == cc[RUSTOS_VSUSP]) {
			isig(SIGTSTP, c);
			return;
		}
	}
	if (!(lf & RUSTOS_ICANON)) {
		q_push(c);
		echo_byte(c);
		return;
	}
	if (c != 0 && c == cc[RUSTOS_VERASE]) {
		if (tty.line_len > 0 && !(lf & RUSTOS_ECHOE))
			echo_byte(c);
		erase_one();
		return;
	}
	if (c != 0 && c == cc[RUSTOS_VKILL]) {
		if (lf & (RUSTOS_ECHOKE | RUSTOS_ECHOE)) {
			while (tty.line_len > 0)
				erase_one();
		} else {
			tty.line_len = 0;
			echo_byte(c);
			if (lf & RUSTOS_ECHOK)
				echo_str("\n");
		}
		return;
	}
	if (c != 0 && c == cc[RUSTOS_VWERASE] && (lf & RUSTOS_IEXTEN)) {
		while (tty.line_len > 0 && tty.line[tty.line_len - 1] == ' ')
			erase_one();
		while (tty.line_len > 0 && tty.line[tty.line_len - 1] != ' ')
			erase_one();
		return;
	}
	if (c != 0 && c == cc[RUSTOS_VEOF]) {
		/* The line so far becomes readable; alone it reads as EOF. */
		commit_line(TTY_EOF);
		wake_readers();
		return;
	}
	if (c == '\n' || (c != 0 && (c == cc[RUSTOS_VEOL] ||
	    c == cc[RUSTOS_VEOL2]))) {
		tty.line[tty.line_len++] = c;
		if ((lf & RUSTOS_ECHO) || (c == '\n' && (lf & RUSTOS_ECHONL)))
			io_tty_output((const char *)&c, 1);
		commit_line(TTY_DELIM);
		wake_readers();
		return;
	}
	/* Room is kept for the delimiter; a full line drops input (BEL). */
	if (tty.line_len >= TTY_LINE_MAX - 1) {
		if (lf & RUSTOS_ECHO)
			echo_str("\a");
		return;
	}
	tty.line[tty.line_len++] = c;
	echo_byte(c);
}

/* Take raw bytes while the queue has room for a whole line. */
static bool
input_pump(void)
{
	uint8_t buf[64];
	size_t n, i;
	bool got = false;

	while (q_count() + TTY_LINE_MAX + 2 <= TTY_Q) {
		n = hal_serial_read(buf, sizeof(buf));
		if (n == 0)
			break;
		got = true;
		tty.last_rx_ns = hal_clock_ns();
		for (i = 0; i < n; i++)
			input_byte(buf[i]);
	}
	if (got && !(tty.t.c_lflag & RUSTOS_ICANON))
		wake_readers();
	return (got);
}

static void
rx_notify(void)
{
	tty.kick = 1;
	if (tty.thread > 0)
		ps_unpark(tty.thread);
}

static void
tty_thread(void *arg)
{
	for (;;) {
		tty.kick = 0;
		(void)hal_serial_poll();
		input_pump();
		ps_park_until(hal_clock_ns() + (tty.irq ? 10 : 1) *
		    TTY_POLL_MS * 1000000ULL, &tty.kick);
	}
}

void
io_tty_init(void)
{
	long tid;
	int rc;

	tty_defaults();
	rc = hal_serial_rx_init(rx_notify);
	tty.irq = rc == 0;
	tid = ps_thread_create("tty", tty_thread, NULL,
	    PS_DEFAULT_WEIGHT_MICROS);
	if (tid < 0) {
		nc_error(BOOT, "tty: cannot start the console thread (%ld)",
		    tid);
		return;
	}
	tty.thread = tid;
	tty.up = true;
	nc_info(BOOT, "tty: console input on COM1 (%s)", tty.irq ?
	    "IRQ 4" : "polled");
}

/* ---- reading ---- */

/* Park the current task until the tty changes, deadline at the latest. */
static void
wait_input(struct ps_proc *p, uint64_t deadline)
{
	volatile int flag = 0;
	uint64_t cap = hal_clock_ns() + TTY_RECHECK_NS;
	unsigned i;

	for (i = 0; i < TTY_WAITERS; i++)
		if (tty.w[i].tid == 0) {
			tty.w[i].tid = ps_current_task_id();
			tty.w[i].flag = &flag;
			break;
		}
	ps_park_until(deadline < cap ? deadline : cap, &flag);
	for (i = 0; i < TTY_WAITERS; i++)
		if (tty.w[i].flag == &flag)
			tty.w[i].tid = 0;
}

/* Chars (not EOF marks) in the queue. */
static uint32_t
q_chars(void)
{
	uint32_t i, n = 0;

	for (i = tty.qh; i != tty.qt; i++)
		if (!(tty.q[i % TTY_Q] & TTY_EOF))
			n++;
	return (n);
}

/*
 * Copy queued input to user memory: up to len bytes, stopping after a
 * delimiter when canon.  Returns bytes copied or -EFAULT.
 */
static long
copy_out(uint64_t buf, uint64_t len, bool canon)
{
	uint8_t chunk[128];
	uint64_t done = 0;
	size_t n = 0;
	bool stop = false;

	while (done + n < len && tty.qh != tty.qt && !stop) {
		uint16_t e = tty.q[tty.qh % TTY_Q];

		if (e & TTY_EOF) {
			tty.qh++;
			tty.lines--;
			/* In raw mode an EOF mark is just skipped. */
			if (canon)
				stop = true;
			continue;
		}
		chunk[n++] = (uint8_t)e;
		tty.qh++;
		if (e & TTY_DELIM) {
			tty.lines--;
			if (canon)
				stop = true;
		}
		if (n == sizeof(chunk)) {
			if (hal_copy_to_user(buf + done, chunk, n) != 0)
				return (-EFAULT);
			done += n;
			n = 0;
		}
	}
	if (n > 0) {
		if (hal_copy_to_user(buf + done, chunk, n) != 0)
			return (-EFAULT);
		done += n;
	}
	return ((long)done);
}

long
io_tty_read(struct ps_proc *p, uint64_t buf, uint64_t len, bool nonblock)
{
	uint64_t deadline = UINT64_MAX, vtime_ns;
	uint32_t want, have;
	bool canon;
	long r;

	if (len == 0)
		return (0);
	if (!mm_user_range_ok(buf, len))
		return (-EFAULT);
	for (;;) {
		if (!tty.up)
			return (0);		/* no console input: EOF */
		if ((r = io_tty_job_check(p, SIGTTIN)) != 0)
			return (r);		/* a background reader */
		canon = (tty.t.c_lflag & RUSTOS_ICANON) != 0;
		vtime_ns = (uint64_t)tty.t.c_cc[RUSTOS_VTIME] * 100000000ULL;
		want = tty.t.c_cc[RUSTOS_VMIN];
		if (want > len)
			want = (uint32_t)len;
		have = canon ? 0 : q_chars();
		if (canon ? tty.lines > 0 : (have >= want && (have > 0 ||
		    vtime_ns == 0))) {
			r = copy_out(buf, len, canon);
			/* Room again in the queue: let the thread go on. */
			rx_notify();
			if (r != 0 || canon || want == 0)
				return (r);
			continue;	/* only EOF marks were there */
		}
		if (!canon && vtime_ns != 0) {
			/* VMIN 0: timer from the read; else inter-byte. */
			if (want == 0 && deadline == UINT64_MAX)
				deadline = hal_clock_ns() + vtime_ns;
			else if (want > 0 && have > 0)
				deadline = tty.last_rx_ns + vtime_ns;
			if (hal_clock_ns() >= deadline) {
				r = copy_out(buf, len, false);
				rx_notify();
				return (r);
			}
		}
		if (nonblock)
			return (-EAGAIN);
		/* -EINTR, or a restart after a SA_RESTART handler. */
		if (ps_signal_interrupts(p))
			return (-PS_ERESTARTSYS);
		wait_input(p, deadline);
	}
}

long
io_tty_write(struct ps_proc *p, uint64_t buf, uint64_t len)
{
	char chunk[256];
	uint64_t done = 0;
	long r;

	if (!mm_user_range_ok(buf, len))
		return (-EFAULT);
	if ((tty.t.c_lflag & RUSTOS_TOSTOP) &&
	    (r = io_tty_job_check(p, SIGTTOU)) != 0)
		return (r);
	while (done < len) {
		size_t n = len - done > sizeof(chunk) ? sizeof(chunk) :
		    len - done;

		if (hal_copy_from_user(chunk, buf + done, n) != 0)
			return (done > 0 ? (long)done : -EFAULT);
		io_tty_output(chunk, n);
		hal_debugcon_write(chunk, n);
		done += n;
	}
	return ((long)done);
}

int
tty_poll_mask(void)
{
	bool in;

	if (!tty.up)
		return (4);			/* POLLOUT */
	in = (tty.t.c_lflag & RUSTOS_ICANON) ? tty.lines > 0 :
	    q_chars() > 0;
	return ((in ? 1 : 0) | 4);		/* POLLIN | POLLOUT */
}

/* ---- ioctl ---- */

long
io_tty_ioctl_size(uint32_t cmd, bool *in)
{
	*in = false;
	switch (cmd) {
	case RUSTOS_TCGETS:
		return (sizeof(struct rustos_termios));
	case RUSTOS_TCSETS: case RUSTOS_TCSETSW: case RUSTOS_TCSETSF:
		*in = true;
		return (sizeof(struct rustos_termios));
	case RUSTOS_TIOCGWINSZ:
		return (sizeof(struct rustos_winsize));
	case RUSTOS_TIOCSWINSZ:
		*in = true;
		return (sizeof(struct rustos_winsize));
	case RUSTOS_TIOCSPGRP:
		*in = true;
		return (4);
	case RUSTOS_TIOCGPGRP: case RUSTOS_TIOCGSID: case RUSTOS_FIONREAD:
	case RUSTOS_TIOCOUTQ:
		return (4);
	case RUSTOS_TCSBRK: case RUSTOS_TCXONC: case RUSTOS_TCFLSH:
	case RUSTOS_TIOCSCTTY: case RUSTOS_TIOCNOTTY:
		return (0);
	}
	return (-ENOTTY);
}

long
io_tty_ioctl(struct ps_proc *p, uint32_t cmd, uint64_t scalar, void *data)
{
	struct rustos_termios nt;
	struct rustos_winsize nw;
	int32_t v;

	switch (cmd) {
	case RUSTOS_TCGETS:
		memcpy(data, &tty.t, sizeof(tty.t));
		return (0);
	case RUSTOS_TCSETS: case RUSTOS_TCSETSW: case RUSTOS_TCSETSF:
		memcpy(&nt, data, sizeof(nt));
		/* Output is synchronous: there is never anything to drain. */
		if (cmd == RUSTOS_TCSETSF)
			flush_input();
		if ((tty.t.c_lflag & RUSTOS_ICANON) &&
		    !(nt.c_lflag & RUSTOS_ICANON) && tty.line_len > 0) {
			/* Leaving canonical mode: the partial line is input. */
			size_t i;

			for (i = 0; i < tty.line_len; i++)
				q_push(tty.line[i]);
			tty.line_len = 0;
		}
		tty.t = nt;
		wake_readers();
		rx_notify();
		return (0);
	case RUSTOS_TIOCGWINSZ:
		memcpy(data, &tty.ws, sizeof(tty.ws));
		return (0);
	case RUSTOS_TIOCSWINSZ:
		memcpy(&nw, data, sizeof(nw));
		if (memcmp(&nw, &tty.ws, sizeof(nw)) != 0) {
			tty.ws = nw;
			if (session_alive())
				signal_pgrp(tty.pgrp, SIGWINCH);
		}
		return (0);
	case RUSTOS_TIOCGPGRP:
	case RUSTOS_TIOCGSID:
		if (!io_tty_is_ctty(p))
			return (-ENOTTY);
		v = (int32_t)(cmd == RUSTOS_TIOCGPGRP ? tty.pgrp : tty.session);
		memcpy(data, &v, 4);
		return (0);
	case RUSTOS_TIOCSPGRP: {
		struct ps_proc *t;

		if (!io_tty_is_ctty(p))
			return (-ENOTTY);
		memcpy(&v, data, 4);
		if (v < 0)
			return (-NC_EINVAL);
		/* No such group: -ESRCH; a group of another session: -EPERM. */
		if (!pgrp_alive(v))
			return (-ESRCH);
		for (t = ps_proc_first(); t != NULL; t = t->next)
			if (!t->zombie && t->pgid == v && t->sid == p->sid)
				break;
		if (t == NULL)
			return (-EPERM);
		tty.pgrp = v;
		return (0);
	}
	case RUSTOS_TIOCSCTTY:
		if (io_tty_is_ctty(p))
			return (0);
		if (p->sid != p->pid || session_alive())
			return (-EPERM);
		tty.session = p->sid;
		tty.pgrp = p->pgid;
		hal_serial_logs_quiet = true;
		return (0);
	case RUSTOS_TIOCNOTTY:
		if (!io_tty_is_ctty(p))
			return (-ENOTTY);
		/* By the leader: the session loses it (as at its exit). */
		if (p->sid == p->pid)
			hang_up(NULL);
		return (0);
	case RUSTOS_FIONREAD:
		v = (int32_t)q_chars();
		memcpy(data, &v, 4);
		return (0);
	case RUSTOS_TIOCOUTQ:
		v = 0;
		memcpy(data, &v, 4);
		return (0);
	case RUSTOS_TCFLSH:
		if (scalar > RUSTOS_TCIOFLUSH)
			return (-NC_EINVAL);
		if (scalar != RUSTOS_TCOFLUSH) {
			flush_input();
			rx_notify();
		}
		return (0);
	case RUSTOS_TCXONC:
		return (scalar > 3 ? -NC_EINVAL : 0);
	case RUSTOS_TCSBRK:
		return (0);
	}
	return (-ENOTTY);
}
