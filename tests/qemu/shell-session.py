#!/usr/bin/env python3
# shell-session.py -- drive the RustOS console shell over COM1 (a FIFO pair,
# tools/qemu-run --serial pipe:BASE) and print TAP, one line per case.
# Used by tests/qemu/shell.sh, which stages the image first.
#
# Every line is typed only after the shell's prompt appeared, as a person
# would, so the transcript is deterministic: prompt, the terminal's echo of
# the line, the command's output, the next prompt.  Cases: canonical echo
# and editing (DEL, ^U), ^C at the prompt, ^C ending a running job (the
# shell survives, $? = 130), ^\ ending one with SIGQUIT, job control
# (jobctl_cases: `sleep 30 &`, jobs, ^Z, bg, fg, kill %1, wait, the
# Done/Stopped/Terminated notices, a pipeline stopped as one process group;
# run first against the host build on a pty, then on the console), the
# scripted session of
# tests/unit/shell/session.txt against its expected output, `exit 4` ending
# the session (initd reports status=4 and starts a new shell), ^D at an
# empty prompt ending that one (status=0).  QEMU is killed at the end.
import os
import subprocess
import sys
import threading
import time

PROMPT = b"rustos$ "


class Console:
    def __init__(self, qemu_run, image, wd, timeout):
        self.wd = wd
        base = os.path.join(wd, "com1")
        for ext in (".in", ".out"):
            if os.path.exists(base + ext):
                os.unlink(base + ext)
            os.mkfifo(base + ext)
        self.log = open(os.path.join(wd, "serial.log"), "wb")
        self.proc = subprocess.Popen(
            [qemu_run, "--image", image,
             "--debugcon", os.path.join(wd, "debugcon.log"),
             "--serial", "pipe:" + base, "--timeout", str(timeout)],
            stdin=subprocess.DEVNULL,
            stdout=open(os.path.join(wd, "qemu-run.out"), "wb"),
            stderr=subprocess.STDOUT)
        # QEMU opens both FIFOs read-write, so these opens do not block
        # for long; open the input side read-write too, so a slow QEMU
        # start cannot deadlock us.
        self.out = os.open(base + ".out", os.O_RDONLY)
        self.inp = os.open(base + ".in", os.O_RDWR)
        self.buf = b""
        self.lock = threading.Lock()
        self.done = False
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        while True:
            try:
                data = os.read(self.out, 4096)
            except OSError:
                data = b""
            if not data:
                break
            self.log.write(data)
            self.log.flush()
            with self.lock:
                self.buf += data
        self.done = True

    def pos(self):
        with self.lock:
            return len(self.buf)

    def text(self, start=0, end=None):
        with self.lock:
            return self.buf[start:end]

    def wait_for(self, pat, start, timeout):
        """Index just after pat at or after start, or -1 on timeout."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                i = self.buf.find(pat, start)
            if i >= 0:
                return i + len(pat)
            if self.done:
                return -1
            time.sleep(0.05)
        return -1

    def send(self, data):
        os.write(self.inp, data)

    def exec_count(self):
        return read_log(os.path.join(self.wd, "debugcon.log")).count(
            b"exec'd sleep.elf")

    def wait_exec(self, n):
        """Until the kernel logged the n-th exec of sleep.elf (then the
        job has the terminal), and a second more."""
        end = time.monotonic() + 60
        while time.monotonic() < end and self.exec_count() < n:
            time.sleep(0.2)
        time.sleep(1)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def clean(b):
    return b.replace(b"\r", b"").decode("utf-8", "replace")


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, diag=()):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, name))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, name))
            for d in diag:
                for line in str(d).splitlines():
                    print("# " + line)
        sys.stdout.flush()


class PtyTerm:
    """The host build of the shell on a pty, driven like the console."""

    def __init__(self, host_shell, wd, bindir_files):
        import pty
        import shutil
        home = os.path.join(wd, "host-jobs-home")
        bindir = os.path.join(wd, "host-jobs-bin")
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(bindir, ignore_errors=True)
        os.makedirs(home)
        os.makedirs(bindir)
        for f in bindir_files:
            shutil.copy(f, os.path.join(bindir, os.path.basename(f)))
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(home)
            try:
                os.execve(bindir_files[0], [bindir_files[0]],
                          {"HOME": home, "PATH": bindir})
            finally:
                os._exit(127)
        self.buf = b""
        self.done = False

    def _pump(self, t):
        import select
        r, _, _ = select.select([self.fd], [], [], t)
        if r:
            try:
                data = os.read(self.fd, 4096)
            except OSError:
                data = b""
            if not data:
                self.done = True
            self.buf += data

    def pos(self):
        self._pump(0)
        return len(self.buf)

    def text(self, start=0, end=None):
        self._pump(0)
        return self.buf[start:end]

    def wait_for(self, pat, start, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            i = self.buf.find(pat, start)
            if i >= 0:
                return i + len(pat)
            if self.done:
                return -1
            self._pump(0.2)
        return -1

    def send(self, data):
        os.write(self.fd, data)

    def wait_exec(self, n):
        """The job runs sleep (a pty child execs at once)."""
        time.sleep(1)

    def exec_count(self):
        return 0

    def close(self):
        try:
            os.write(self.fd, b"exit 0\n")
            os.waitpid(self.pid, 0)
        except OSError:
            pass


def jobctl_cases(term, tap, where):
    """Job control on a terminal: `&`, jobs, ^Z, bg, fg, kill, wait and
    the Done/Stopped/Terminated notices; pids are matched, not compared.
    `where` names the shell ("RustOS" or "host") in the case names."""
    import re

    def case(cond, name, diag):
        tap.ok(cond, "%s job control: %s" % (where, name), diag)

    def typed(line, ctrl=None, execs=0, timeout=60):
        """Types line; with ctrl, sends it once the job runs its
        `execs`-th new sleep.  Output up to the next prompt, or None."""
        n0 = term.exec_count()
        start = term.pos()
        term.send(line.encode() + b"\n")
        e = term.wait_for(line.encode() + b"\r\n", start, timeout)
        if e < 0:
            return None
        if ctrl is not None:
            term.wait_exec(n0 + execs)
            term.send(ctrl)
        p = term.wait_for(PROMPT, e, timeout)
        if p < 0:
            return None
        return strip_logs(clean(term.text(e, p - len(PROMPT))))

    out = typed("sleep 30 &")
    case(out is not None and re.fullmatch(r"\[1\] \d+\n", out),
         "'sleep 30 &' prints [1] PID", ["got %r" % out])
    out = typed("jobs")
    case(out == "[1]+  Running                 sleep 30 &\n",
         "jobs lists the running job", ["got %r" % out])
    out = typed("sleep 40", b"\x1a", 1)
    case(out == "^Z\n[2]+  Stopped                 sleep 40\n",
         "^Z stops the foreground job: [2]+ Stopped", ["got %r" % out])
    out = typed("echo st=$?")
    case(out == "st=148\n", "a stopped job's status is 128+SIGTSTP",
         ["got %r" % out])
    out = typed("jobs")
    case(out == "[1]-  Running                 sleep 30 &\n"
         "[2]+  Stopped                 sleep 40\n",
         "jobs: one running (%-), one stopped (%+)", ["got %r" % out])
    out = typed("bg")
    case(out == "[2]+ sleep 40 &\n", "bg continues the stopped job",
         ["got %r" % out])
    out = typed("jobs %2")
    case(out == "[2]+  Running                 sleep 40 &\n",
         "after bg the job runs", ["got %r" % out])
    out = typed("kill %1; wait %1; echo w=$?")
    case(out == "w=143\n[1]-  Terminated              sleep 30\n",
         "kill %1, wait %1: SIGTERM (143), then [1]- Terminated before "
         "the prompt", ["got %r" % out])
    out = typed("fg %2", b"\x03")
    case(out == "sleep 40\n^C\n", "fg brings the job back; ^C ends it",
         ["got %r" % out])
    out = typed("echo st=$?")
    case(out == "st=130\n", "its status is 130", ["got %r" % out])
    out = typed("sleep 30 | sleep 31 | sleep 32", b"\x1a", 3)
    case(out == "^Z\n[1]+  Stopped                 "
         "sleep 30 | sleep 31 | sleep 32\n",
         "^Z stops a whole pipeline (one process group)", ["got %r" % out])
    out = typed("kill %1; wait %1; echo w=$?")
    case(out == "w=143\n[1]+  Terminated              "
         "sleep 30 | sleep 31 | sleep 32\n",
         "kill %1 ends the stopped pipeline (its group gets SIGTERM and "
         "SIGCONT)", ["got %r" % out])
    # One line each: a job that ends before the next prompt is reported
    # and forgotten there, so `wait` on a later line would not find it.
    out = typed("sleep 1 & wait")
    case(out is not None and re.fullmatch(
         r"\[1\] \d+\n\[1\]\+  Done                    sleep 1\n", out),
         "wait, then [1]+ Done before the prompt", ["got %r" % out])
    out = typed("shell -c 'exit 3' & wait %1; echo w=$?")
    case(out is not None and re.fullmatch(
         r"\[1\] \d+\nw=3\n\[1\]\+  Exit 3                  "
         r"shell -c 'exit 3'\n", out),
         "a background job's exit status: wait gives it, Exit 3",
         ["got %r" % out])
    out = typed("false && echo x & wait %1; echo w=$?")
    case(out is not None and re.fullmatch(
         r"\[1\] \d+\nw=1\n\[1\]\+  Exit 1                  "
         r"false && echo x\n", out),
         "'a && b &' is one job (a subshell)", ["got %r" % out])
    out = typed("jobs")
    case(out == "", "no jobs left", ["got %r" % out])


def main():
    qemu_run, image, wd, session, expected, host_shell, todo = sys.argv[1:8]
    wd = os.path.abspath(wd)
    tap = Tap()
    try:
        ref = host_reference(host_shell, session, wd)
    except OSError as e:
        # No pseudo-terminals on this build host: no reference.
        ref = None
        print("# no host reference (pty: %s)" % e)
    # The job control cases against the host build first (the
    # reference: they must hold there too).
    sleep_bin = os.path.join(os.path.dirname(os.path.abspath(host_shell)),
                             "..", "sleep", "sleep")
    try:
        term = PtyTerm(os.path.abspath(host_shell), wd,
                       [os.path.abspath(host_shell), sleep_bin])
    except OSError as e:
        term = None
        print("# no host job control run (pty: %s)" % e)
    if term is not None:
        try:
            term.wait_for(PROMPT, 0, 20)
            jobctl_cases(term, tap, "host")
        finally:
            term.close()
    con = Console(qemu_run, image, wd, 600)
    try:
        run(con, tap, session, expected, ref, load_todo(todo))
    finally:
        con.close()
    print("1..%d" % tap.n)


def load_todo(path):
    """Session commands RustOS does not get right yet: command -> reason."""
    todo = {}
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#") or "\t" not in line:
            continue
        cmd, why = line.split("\t", 1)
        todo[cmd] = why.strip()
    return todo


def session_lines(path):
    lines = [l.rstrip("\n") for l in open(path, encoding="utf-8")]
    return [l for l in lines if l and not l.startswith("#")]


def host_reference(host_shell, session, wd):
    """Per-command output of the host build of the shell on a pty: the
    same prompts and echo as on the RustOS console, in the same setup
    (HOME an empty directory, `shell` on PATH)."""
    import pty
    import shutil
    host_shell = os.path.abspath(host_shell)
    home = os.path.join(wd, "host-home")
    bindir = os.path.join(wd, "host-bin")
    shutil.rmtree(home, ignore_errors=True)
    shutil.rmtree(bindir, ignore_errors=True)
    os.makedirs(home)
    os.makedirs(bindir)
    shutil.copy(host_shell, os.path.join(bindir, "shell"))
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(home)
        os.umask(0o022)
        try:
            os.execve(host_shell, [host_shell],
                      {"HOME": home, "PATH": bindir})
        finally:
            os._exit(127)
    buf = [b""]

    def wait_prompt(start, timeout=20):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            i = buf[0].find(PROMPT, start)
            if i >= 0:
                return i
            import select
            r, _, _ = select.select([fd], [], [], 0.5)
            if r:
                try:
                    data = os.read(fd, 4096)
                except OSError:
                    data = b""
                if not data:
                    return -1
                buf[0] += data
        return -1

    out = {}
    order = []
    p = wait_prompt(0)
    for line in session_lines(session):
        if line.startswith("exit"):
            break
        start = p + len(PROMPT)
        os.write(fd, line.encode() + b"\n")
        p = wait_prompt(start)
        chunk = buf[0][start:p if p >= 0 else None]
        echo = line.encode() + b"\r\n"
        if chunk.startswith(echo):
            chunk = chunk[len(echo):]
        order.append((line, clean(chunk)))
        if p < 0:
            break
    os.write(fd, b"exit 4\n")
    try:
        os.waitpid(pid, 0)
    except OSError:
        pass
    return order


def command(con, line, timeout=60):
    """Type line after the prompt; return (output, found next prompt)."""
    start = con.pos()
    con.send(line.encode() + b"\n")
    echo_end = con.wait_for(line.encode() + b"\r\n", start, timeout)
    if echo_end < 0:
        return con.text(start), False
    p = con.wait_for(PROMPT, echo_end, timeout)
    if p < 0:
        return con.text(echo_end), False
    return con.text(echo_end, p - len(PROMPT)), True


def strip_logs(text):
    """Drop the kernel's and services' structured log lines (serial
    mirror of the debug console), which may come between a command's
    output lines."""
    return "".join(l for l in text.splitlines(True)
                   if not l.startswith("seq="))


def read_log(path):
    """The debug console log so far (empty before QEMU creates it)."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return b""


def run(con, tap, session, expected, ref, todo):
    # Type ahead as soon as the kernel is up (the firmware and GRUB, which
    # read COM1 too, are done): the line waits in the kernel until the
    # shell reads it, nothing is lost.
    dlog = os.path.join(con.wd, "debugcon.log")
    end = time.monotonic() + 300
    while time.monotonic() < end:
        if b"nucleus: kernel core up" in read_log(dlog):
            break
        time.sleep(0.1)
    con.send(b"echo typed-ahead\n")
    p = con.wait_for(PROMPT, 0, 300)
    tap.ok(p >= 0, "the console shows the shell prompt after boot",
           ["serial tail: %r" % con.text()[-400:]])
    if p < 0:
        return
    # The line is echoed when the kernel takes it from the UART: before the
    # first prompt or, when QEMU hands the bytes over late, after it; a
    # late service's console line (storaged's inventory) may also land
    # between the prompt and the output.  The output is a whole line
    # followed by the next prompt; the echo has "echo " in front.
    q = -1
    end = time.monotonic() + 60
    while q < 0 and time.monotonic() < end and not con.done:
        for pat in (PROMPT + b"typed-ahead\r\n" + PROMPT,
                    b"\ntyped-ahead\r\n" + PROMPT):
            q = con.wait_for(pat, p - len(PROMPT), 0.5)
            if q >= 0:
                break
    tap.ok(q >= 0, "a line typed during boot is read by the shell",
           ["serial tail: %r" % con.text()[-400:]])

    # Canonical mode: DEL erases (echo "\b \b"), the line is echoed.
    start = con.pos()
    con.send(b"echo abcX\x7fd\n")
    q = con.wait_for(PROMPT, start, 60)
    got = con.text(start, q)
    tap.ok(b"echo abcX\b \bd\r\n" in got and b"\r\nabcd\r\n" in got,
           "typed line is echoed and DEL erases a character",
           ["got %r" % got])

    # ^U kills the line typed so far.
    start = con.pos()
    con.send(b"echo wrong\x15echo right\n")
    q = con.wait_for(PROMPT, start, 60)
    got = con.text(start, q)
    tap.ok(b"right\r\n" in got and b"wrong\r\n" not in got,
           "^U erases the line", ["got %r" % got])

    # IUTF8: one DEL erases a whole UTF-8 character (here 2 bytes).
    start = con.pos()
    con.send("echo caf\u00e9\x7fe\n".encode())
    q = con.wait_for(PROMPT, start, 60)
    got = con.text(start, q)
    tap.ok(q >= 0 and "caf\u00e9\b \be\r\n".encode() in got and
           b"\r\ncafe\r\n" in got,
           "DEL erases a whole UTF-8 character", ["got %r" % got])

    # /dev/tty is the session's terminal (devmgrd OPEN, the shell's ctty).
    out, ok = command(con, "echo via-dev-tty > /dev/tty")
    tap.ok(ok and clean(out) == "via-dev-tty\n",
           "the shell's /dev/tty is the console", ["got %r" % out])

    # ^C at the prompt abandons the line; the shell prompts again.
    start = con.pos()
    con.send(b"echo never\x03")
    q = con.wait_for(PROMPT, start, 60)
    out, ok = command(con, "echo after-interrupt") if q >= 0 else (b"", 0)
    got = con.text(start)
    tap.ok(q >= 0 and b"^C" in got and clean(out) == "after-interrupt\n"
           and b"never\r\n" not in got,
           "^C at the prompt drops the line, the shell goes on",
           ["got %r" % got])

    # ^C ends a running job, not the shell.
    start = con.pos()
    con.send(b"sleep 30\n")
    con.wait_for(b"sleep 30\r\n", start, 30)
    # The job has the terminal once it runs sleep.elf (the kernel logs
    # the exec on the debug console); ^C before that would reach the shell.
    end = time.monotonic() + 60
    while time.monotonic() < end:
        if b"exec'd sleep.elf" in read_log(dlog):
            break
        time.sleep(0.2)
    time.sleep(1)
    t0 = time.monotonic()
    con.send(b"\x03")
    q = con.wait_for(PROMPT, start, 25)
    took = time.monotonic() - t0
    got = con.text(start, q if q >= 0 else None)
    tap.ok(q >= 0 and b"^C" in got,
           "^C ends a running 'sleep 30' and the prompt returns",
           ["got %r after %.1fs" % (got, took)])
    out, ok = command(con, "echo status=$?")
    tap.ok(ok and clean(out) == "status=130\n",
           "the job's status is 128+SIGINT, the shell survived",
           ["got %r" % out])

    # ^\ sends SIGQUIT to the job: "[signal 3]", status 131.
    start = con.pos()
    n0 = read_log(dlog).count(b"exec'd sleep.elf")
    con.send(b"sleep 30\n")
    end = time.monotonic() + 60
    while time.monotonic() < end:
        if read_log(dlog).count(b"exec'd sleep.elf") > n0:
            break
        time.sleep(0.2)
    time.sleep(1)
    con.send(b"\x1c")
    q = con.wait_for(PROMPT, start, 25)
    got = con.text(start, q if q >= 0 else None)
    out, ok = command(con, "echo status=$?") if q >= 0 else (b"", False)
    tap.ok(q >= 0 and b"^\\" in got and b"[signal 3]" in got and ok and
           clean(out) == "status=131\n",
           "^\\ ends a running job with SIGQUIT ([signal 3], status 131)",
           ["got %r then %r" % (got, out)])

    jobctl_cases(con, tap, "RustOS")

    # The scripted session, command by command against the host build.
    for pre in ("mkdir /tmp/s", "export HOME=/tmp/s"):
        out, ok = command(con, pre)
        tap.ok(ok and out == b"", "session setup: %s" % pre,
               ["got %r" % out])
    if ref is None:
        tap.ok(True, "session commands # SKIP no pty on the build host "
               "for the reference run")
        ref = []
    else:
        host = "".join(o for _, o in ref)
        want = open(expected, encoding="utf-8").read()
        tap.ok(host == want, "the host build's pty session matches %s "
               "(the reference is right)" % os.path.basename(expected),
               ["host transcript %r" % host])
    ended = -1
    for line, ref_out in ref:
        out, ok = command(con, line)
        got = strip_logs(clean(out))
        name = "session: %s" % line
        if line in todo:
            if got == ref_out and ok:
                print("ok %d - %s # TODO %s (passes now: remove it from "
                      "shell-todo.txt)" % (tap.n + 1, name, todo[line]))
            else:
                print("not ok %d - %s # TODO %s" % (tap.n + 1, name,
                                                    todo[line]))
                for l in ("want %r" % ref_out, "got  %r" % got):
                    print("# " + l)
            tap.n += 1
        else:
            tap.ok(ok and got == ref_out, name,
                   ["want %r" % ref_out, "got  %r" % got])
        if not ok:
            break
    start = con.pos()
    con.send(b"exit 4\n")
    ended = con.wait_for(b"initd: console session ended status=", start, 60)
    code = con.text(ended, ended + 4) if ended >= 0 else b""
    tap.ok(ended >= 0 and code.startswith(b"4\r"),
           "exit 4 ends the session (initd: console session ended "
           "status=4)", ["got %r" % code])

    # initd starts a new shell; ^D at its empty prompt ends it (EOF).
    p = con.wait_for(PROMPT, max(ended, 0), 60)
    if p >= 0:
        start = con.pos()
        con.send(b"\x04")
        e = con.wait_for(b"initd: console session ended status=", start, 60)
        code = con.text(e, e + 4) if e >= 0 else b""
    tap.ok(p >= 0 and code.startswith(b"0\r"),
           "a new shell is started; ^D at its prompt ends it (status=0)",
           ["got %r" % con.text(max(ended, 0))[-300:]])
    dbg = read_log(os.path.join(con.wd, "debugcon.log"))
    tap.ok(b"[PANIC]" not in dbg and b"[PANIC]" not in con.text(),
           "no [PANIC]")


if __name__ == "__main__":
    main()
