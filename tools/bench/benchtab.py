#!/usr/bin/env python3
"""benchtab.py -- parse the console logs of `make bench` runs and print the
RustOS / Linux table (markdown): per operation the median over runs of each
run's median, the smallest minimum, and the ratio RustOS/Linux; then the
RustOS-native IPC round trip next to Linux's pipe ping-pong, and the boot
phases from the host-side timestamps.

A run is a directory written by tools/bench/run.py:
  serial.log    COM1, one line per console line, "@<seconds> <text>" where
                <seconds> is host monotonic time since QEMU was started
  debugcon.log  the same for the debug console (RustOS only)
  run.txt       key=value lines: system, rc, wall
Lines without an "@<seconds> " prefix are accepted (no timestamp).

Bench lines (apps/bench/bench.c):
  BENCH <name> iters=N min_ns=X med_ns=Y [key=value...]
  BENCH <name> n/a reason=<text>
A malformed BENCH line is reported on stderr as FILE:LINE: message and
ignored; it never stops the table.  No figure is ever invented: a value is
n/a when no run of that system printed one, with the reason.

usage: benchtab.py [--icount] --rustos DIR... --linux DIR...
"""

import argparse
import os
import re
import sys

# Table order and labels; unknown names from the logs follow in log order.
OPS = [
    ("getpid", "getpid"),
    ("clock_gettime", "clock_gettime(MONOTONIC)"),
    ("pread_4k", "pread 4 KiB (cached file)"),
    ("open_read_close", "open + read 4 KiB + close"),
    ("pipe_pingpong", "pipe ping-pong (round trip, 2 processes)"),
    ("unix_pingpong", "unix socketpair ping-pong"),
    ("sched_yield", "sched_yield"),
    ("mmap_munmap_4k", "mmap + munmap 4 KiB"),
    ("page_fault", "first-touch page fault (per page)"),
    ("fork_exit_wait", "fork + exit + wait"),
    ("fork_exec_wait", "fork + exec static true + wait"),
    ("posix_spawn", "posix_spawn static true + wait"),
    ("ipc_roundtrip", "RustOS IPC call/reply round trip"),
]

STAMP = re.compile(r"^@(\d+(?:\.\d+)?) (.*)$")
ANSI = re.compile(r"\x1b\[[0-9;=?]*[A-Za-z]")
NAME = re.compile(r"^[A-Za-z0-9_.+-]{1,64}$")
UINT = re.compile(r"^[0-9]{1,20}$")


def warn(msg):
    sys.stderr.write("benchtab: %s\n" % msg)


class Result:
    """One operation of one run: figures, or the reason it is n/a."""

    def __init__(self, iters=None, min_ns=None, med_ns=None, reason=None):
        self.iters = iters
        self.min_ns = min_ns
        self.med_ns = med_ns
        self.reason = reason


def read_log(path):
    """[(seconds or None, text)] of a console log; [] when it is missing."""
    out = []
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return out
    for raw in data.decode("utf-8", "replace").split("\n"):
        line = ANSI.sub("", raw.replace("\r", ""))
        m = STAMP.match(line)
        if m:
            out.append((float(m.group(1)), m.group(2)))
        elif line != "":
            out.append((None, line))
    return out


def parse_bench(entries, where="log"):
    """(results by name in first-seen order, names list, info lines)."""
    results = {}
    names = []
    info = []
    for n, (_, text) in enumerate(entries, 1):
        if text.startswith("BENCH-INFO ") or text == "BENCH-DONE":
            info.append(text)
            continue
        if not text.startswith("BENCH "):
            continue
        f = text.split()
        if len(f) < 3 or not NAME.match(f[1]):
            warn("%s:%d: malformed BENCH line: %r" % (where, n, text))
            continue
        name = f[1]
        if f[2] == "n/a":
            kv = dict(x.split("=", 1) for x in f[3:] if "=" in x)
            reason = kv.get("reason", "")
            if reason == "" and len(f) > 3:
                reason = " ".join(f[3:])
            r = Result(reason=reason or "unspecified")
        else:
            kv = {}
            bad = False
            for x in f[2:]:
                if "=" not in x:
                    bad = True
                    break
                k, v = x.split("=", 1)
                kv[k] = v
            if bad or not all(k in kv and UINT.match(kv[k])
                              for k in ("iters", "min_ns", "med_ns")):
                warn("%s:%d: malformed BENCH line (want iters=N min_ns=X "
                     "med_ns=Y): %r" % (where, n, text))
                continue
            r = Result(int(kv["iters"]), int(kv["min_ns"]),
                       int(kv["med_ns"]))
            if r.iters == 0 or r.min_ns > r.med_ns:
                warn("%s:%d: inconsistent BENCH line (iters 0 or min > "
                     "median): %r" % (where, n, text))
                continue
        if name not in results:
            names.append(name)
        results[name] = r
    return results, names, info


class Run:
    """One boot of one system."""

    def __init__(self, path):
        self.path = path
        self.meta = {}
        try:
            with open(os.path.join(path, "run.txt")) as f:
                for line in f:
                    if "=" in line:
                        k, v = line.rstrip("\n").split("=", 1)
                        self.meta[k] = v
        except OSError:
            pass
        self.serial = read_log(os.path.join(path, "serial.log"))
        self.debugcon = read_log(os.path.join(path, "debugcon.log"))
        # A RustOS program's console output reaches both logs: take the
        # bench lines from one of them only.
        src, where = self.debugcon, "debugcon.log"
        if not any(t.startswith("BENCH") for _, t in src):
            src, where = self.serial, "serial.log"
        self.results, self.names, self.info = parse_bench(
            src, os.path.join(path, where))
        self.lines = sorted(
            [e for e in self.serial + self.debugcon if e[0] is not None],
            key=lambda e: e[0])
        self.all_text = [t for _, t in self.serial + self.debugcon]

    def first(self, pred, log=None):
        """Time of the first timestamped line matching pred, or None."""
        entries = self.lines if log is None else log
        for t, text in entries:
            if t is not None and pred(text):
                return t
        return None

    def no_bench_reason(self):
        """Why a run printed no line for an operation (short, one line)."""
        if "BENCH-DONE" in self.info:
            return "not in the bench output"
        if any(t.startswith("BENCH-INFO") for t in self.info):
            return "bench stopped before this operation"
        if any(t.startswith("initd: idle") for t in self.all_text):
            return "bench did not run (initd went idle without it)"
        if any(t.startswith("initd:") for t in self.all_text):
            return "bench did not run (initd started, no bench output)"
        if any(t.startswith("rootd:") for t in self.all_text):
            return "bench did not run (user space stopped before initd)"
        if any(t.startswith("linux-init:") for t in self.all_text):
            return "bench did not run (init started, no bench output)"
        if self.all_text:
            return "no user space: the kernel stopped before running any " \
                "program"
        return "no console output"


def median(v):
    s = sorted(v)
    return s[(len(s) - 1) // 2]


class Agg:
    """One operation over the runs of one system."""

    def __init__(self, name, runs):
        vals = [r.results[name] for r in runs if name in r.results
                and r.results[name].med_ns is not None]
        self.nruns = len(runs)
        self.nvals = len(vals)
        self.med = median([v.med_ns for v in vals]) if vals else None
        self.min = min(v.min_ns for v in vals) if vals else None
        self.iters = vals[0].iters if vals else None
        # The most common reason among the runs without a figure (ties:
        # the first run's).
        reasons = [r.results[name].reason if name in r.results
                   else r.no_bench_reason() for r in runs
                   if name not in r.results or r.results[name].reason]
        if not runs:
            self.reason = "no runs"
        elif reasons:
            self.reason = max(reasons, key=reasons.count)
        else:
            self.reason = ""


def fmt_int(v):
    return "{:,}".format(v)


def cell(a):
    if a.med is None:
        return "n/a (%s)" % a.reason
    s = "%s (min %s)" % (fmt_int(a.med), fmt_int(a.min))
    if a.nvals < a.nruns:
        s += " [%d of %d runs]" % (a.nvals, a.nruns)
    return s


def ratio(a, b):
    if a.med is None or b.med is None:
        return "n/a"
    if b.med == 0:
        return "n/a (Linux 0)"
    r = a.med / b.med
    # Two decimals, or two significant digits for ratios far below 1.
    return "%.2f" % r if r >= 0.1 else "%.2g" % r


def esc(s):
    return s.replace("|", "\\|")


def op_table(rustos, linux, icount=False):
    unit = "guest instructions per op" if icount else "ns per op"
    names = [n for n, _ in OPS]
    labels = dict(OPS)
    for run in rustos + linux:
        for n in run.names:
            if n not in names:
                names.append(n)
    out = [
        "| operation | RustOS (%s, median) | Linux (%s, median) | ratio "
        "RustOS/Linux |" % (unit, unit),
        "|---|---|---|---|",
    ]
    for n in names:
        a, b = Agg(n, rustos), Agg(n, linux)
        out.append("| %s | %s | %s | %s |" % (
            esc(labels.get(n, n)), esc(cell(a)), esc(cell(b)), ratio(a, b)))
    a, b = Agg("ipc_roundtrip", rustos), Agg("pipe_pingpong", linux)
    out.append("| RustOS IPC round trip vs Linux pipe ping-pong | %s | %s "
               "| %s |" % (esc(cell(a)), esc(cell(b)), ratio(a, b)))
    return out


def is_stub_line(t):
    return t.startswith("linux-init: user space up")


def linux_kernel_start(run):
    """Host time of the kernel's start: arrival of the init line minus the
    /proc/uptime it carries (quiet kernels print nothing earlier)."""
    for t, text in run.serial:
        if t is not None and is_stub_line(text):
            m = re.search(r"uptime=(\d+(?:\.\d+)?)", text)
            if m:
                return max(0.0, t - float(m.group(1)))
    return None


# Boot phases: (label, RustOS probe, Linux probe); a probe maps a run to
# seconds since QEMU start, or None; the string "-" means not applicable.
PHASES = [
    ("firmware done: boot manager's first line (GRUB)",
     lambda r: r.first(lambda t: "Welcome to GRUB" in t or
                       t.startswith("RustOS boot manager"), r.serial),
     "-"),
    ("kernel first line",
     lambda r: r.first(lambda t: True, r.debugcon),
     linux_kernel_start),
    ("kernel core up",
     lambda r: r.first(lambda t: t.startswith("nucleus: kernel core up")),
     "-"),
    ("first user-space line",
     lambda r: r.first(lambda t: t.startswith("rootd:")),
     lambda r: r.first(is_stub_line, r.serial)),
    ("initd started (rootd: initd spawned)",
     lambda r: r.first(lambda t: t.startswith("rootd: initd spawned")),
     "-"),
    ("initd launch order printed",
     lambda r: r.first(lambda t: t.startswith("initd: launch order")),
     "-"),
    ("bench start",
     lambda r: r.first(lambda t: t.startswith("BENCH-INFO")),
     lambda r: r.first(lambda t: t.startswith("BENCH-INFO"))),
    ("boot done (initd: idle)",
     lambda r: r.first(lambda t: t.startswith("initd: idle")),
     "-"),
    ("UI ready", "no UI yet", "-"),
    ("QEMU exit (wall time of the run)",
     lambda r: float(r.meta["wall"]) if "wall" in r.meta else None,
     lambda r: float(r.meta["wall"]) if "wall" in r.meta else None),
]


def phase_cell(probe, runs):
    if isinstance(probe, str):
        return "—" if probe == "-" else "n/a (%s)" % probe
    if not runs:
        return "n/a (no runs)"
    vals = [v for v in (probe(r) for r in runs) if v is not None]
    if not vals:
        return "n/a (not reached)"
    s = "%.2f" % median(vals)
    if len(vals) < len(runs):
        s += " [%d of %d runs]" % (len(vals), len(runs))
    return s


def phase_table(rustos, linux):
    out = [
        "| boot phase (seconds since QEMU start, median) | RustOS (OVMF + "
        "GRUB + kernel) | Linux (OVMF direct kernel boot) |",
        "|---|---|---|",
    ]
    for label, pr, pl in PHASES:
        out.append("| %s | %s | %s |" % (esc(label), phase_cell(pr, rustos),
                                         phase_cell(pl, linux)))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="RustOS / Linux table from make-bench run directories")
    ap.add_argument("--rustos", nargs="*", default=[], metavar="DIR")
    ap.add_argument("--linux", nargs="*", default=[], metavar="DIR")
    ap.add_argument("--icount", action="store_true",
                    help="figures are guest instructions (-icount shift=0)")
    ap.add_argument("--no-phases", action="store_true")
    a = ap.parse_args(argv)
    for d in a.rustos + a.linux:
        if not os.path.isdir(d):
            warn("%s: not a run directory" % d)
            return 2
    rustos = [Run(d) for d in a.rustos]
    linux = [Run(d) for d in a.linux]
    lines = op_table(rustos, linux, a.icount)
    if not a.no_phases:
        lines += [""] + phase_table(rustos, linux)
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
