#!/usr/bin/env python3
"""run.py -- `make bench`: RustOS and Linux side by side in the same QEMU
configuration (spec: testing-and-benchmarks.md).

1. tools/bench/fetch.sh: Debian's kernel and busybox-static (cached).
2. tools/bench/mkinitramfs.sh: busybox + the bench and true binaries that
   RustOS stages (byte-identical) + an /init that runs the bench, with the
   arguments of apps/bench/RUSTOS.package.toml's desktop entry.
3. tools/bench/stage-rustos.sh: the RustOS image of the `bench` profile.
4. Boots, interleaved (RustOS, Linux, RustOS, ...), each through
   tools/qemu-run, so both get the same machine: q35, TCG, -cpu max, 1 vCPU,
   the same memory, the RustOS disk on AHCI, virtio-vga, OVMF.  RustOS boots
   OVMF -> signed GRUB -> kernel; Linux boots OVMF -> the kernel's EFI stub
   directly (-kernel/-initrd), so its firmware phase has no boot manager.
   Console lines are timestamped on the host as they arrive (FIFOs read
   here), relative to the moment QEMU is started.
5. tools/bench/benchtab.py: the table; a report (markdown) with the machine,
   QEMU version, packages, table, boot phases and the raw BENCH lines.

--icount adds `-icount shift=0,sleep=off` to both: one guest instruction is
one ns of virtual time, so the ns figures read as instructions per op.
"""

import argparse
import datetime
import errno
import hashlib
import json
import os
import platform
import re
import select
import shlex
import shutil
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# The source tree may be read-only (and stays clean): no __pycache__ there.
sys.dont_write_bytecode = True
import benchtab  # noqa: E402


def say(msg):
    sys.stdout.write("bench: %s\n" % msg)
    sys.stdout.flush()


def die(msg):
    sys.stderr.write("bench: %s\n" % msg)
    sys.exit(1)


class Stamper(threading.Thread):
    """Reads a FIFO QEMU writes a console to and stores each line as
    "@<seconds since t0> <text>".  The FIFO is opened read-write so the open
    never blocks and a QEMU that dies before opening it leaves no reader
    hanging; the run ends the thread after QEMU has exited."""

    def __init__(self, fifo, out, t0):
        threading.Thread.__init__(self, daemon=True)
        self.fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
        self.out = open(out, "w", encoding="utf-8", errors="replace")
        self.t0 = t0
        self.stop = False
        self.buf = b""

    def emit(self, final=False):
        while b"\n" in self.buf:
            line, self.buf = self.buf.split(b"\n", 1)
            self.write(line)
        if final and self.buf:
            self.write(self.buf)
            self.buf = b""

    def write(self, line):
        t = time.monotonic() - self.t0
        text = line.decode("utf-8", "replace").rstrip("\r")
        self.out.write("@%.6f %s\n" % (t, text))

    def run(self):
        while True:
            r, _, _ = select.select([self.fd], [], [], 0.1)
            if r:
                try:
                    data = os.read(self.fd, 65536)
                except OSError as e:
                    if e.errno in (errno.EAGAIN, errno.EINTR):
                        continue
                    break
                self.buf += data
                self.emit()
            elif self.stop:
                break
        self.emit(final=True)
        self.out.close()
        os.close(self.fd)


def mkfifo(path):
    if os.path.lexists(path):
        os.unlink(path)
    os.mkfifo(path, 0o600)


def boot(system, rundir, a, image, extra):
    """One boot; returns (qemu-run status, wall seconds)."""
    if os.path.isdir(rundir):
        shutil.rmtree(rundir)
    os.makedirs(rundir)
    serial_fifo = os.path.join(rundir, "serial.fifo")
    mkfifo(serial_fifo)
    cmd = [os.path.join(a.srcdir, "tools", "qemu-run"), "--image", image,
           "--serial", serial_fifo, "--timeout", str(a.timeout),
           "--memory", str(a.memory)]
    fifos = [(serial_fifo, "serial.log")]
    if system == "rustos":
        dbg_fifo = os.path.join(rundir, "debugcon.fifo")
        mkfifo(dbg_fifo)
        cmd += ["--debugcon", dbg_fifo, "--test", "exit"]
        fifos.append((dbg_fifo, "debugcon.log"))
    if extra:
        cmd += ["--"] + extra
    with open(os.path.join(rundir, "cmdline.txt"), "w") as f:
        f.write(" ".join(shlex.quote(c) for c in cmd) + "\n")
    t0 = time.monotonic()
    readers = [Stamper(p, os.path.join(rundir, name), t0)
               for p, name in fifos]
    for r in readers:
        r.start()
    with open(os.path.join(rundir, "qemu-run.out"), "w") as out:
        rc = subprocess.call(cmd, stdin=subprocess.DEVNULL, stdout=out,
                             stderr=subprocess.STDOUT)
    wall = time.monotonic() - t0
    for r in readers:
        r.stop = True
    for r in readers:
        r.join()
    for p, _ in fifos:
        os.unlink(p)
    with open(os.path.join(rundir, "run.txt"), "w") as f:
        f.write("system=%s\nrc=%d\nwall=%.3f\n" % (system, rc, wall))
    return rc, wall


def manifest_args(path):
    """argv of the bench's desktop entry (one-line `args = [...]`)."""
    with open(path) as f:
        for line in f:
            m = re.match(r"^\s*args\s*=\s*(\[.*\])\s*$", line)
            if m:
                v = json.loads(m.group(1))
                if (not isinstance(v, list) or not v or
                        not all(isinstance(x, str) for x in v)):
                    die("%s: args must be a non-empty list of strings" % path)
                return v
    die("%s: no one-line args = [...] in the desktop entry" % path)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "unknown"
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem = "%.1f GiB" % (int(line.split()[1]) / 1048576.0)
                    break
    except OSError:
        pass
    return "%s, %d CPUs (nproc), %s RAM, host kernel %s" % (
        model, os.cpu_count() or 0, mem, platform.release())


def qemu_version(qemu):
    try:
        out = subprocess.check_output([qemu, "--version"],
                                      stderr=subprocess.STDOUT)
        return out.decode().splitlines()[0].strip()
    except (OSError, subprocess.CalledProcessError, IndexError):
        return "unknown (%s --version failed)" % qemu


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--srcdir", required=True)
    ap.add_argument("--builddir", required=True)
    ap.add_argument("--out", required=True, help="work dir (build/bench)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--memory", type=int, default=1024)
    ap.add_argument("--timeout", type=int, default=0,
                    help="seconds per boot (default 300, 900 with --icount)")
    ap.add_argument("--icount", action="store_true")
    a = ap.parse_args()
    if not 1 <= a.runs <= 20:
        die("--runs must be 1..20")
    if a.timeout <= 0:
        a.timeout = 900 if a.icount else 300
    if not 128 <= a.memory <= 8192:
        die("--memory must be 128..8192 MiB")
    a.srcdir = os.path.abspath(a.srcdir)
    a.builddir = os.path.abspath(a.builddir)
    a.out = os.path.abspath(a.out)
    os.makedirs(a.out, exist_ok=True)
    tools = os.path.join(a.srcdir, "tools", "bench")
    started = datetime.datetime.now(datetime.timezone.utc)

    cache = os.path.join(a.out, "cache")
    if subprocess.call(["sh", os.path.join(tools, "fetch.sh"), cache]) != 0:
        die("fetching the Linux side failed")

    art = os.path.join(a.builddir, "build", "artifacts", "apps", "bench")
    bench_elf = os.path.join(art, "bench.elf")
    true_elf = os.path.join(art, "true.elf")
    for p in (bench_elf, true_elf):
        if not os.path.isfile(p):
            die("%s missing (make bench builds it; run make first)" % p)
    argv = manifest_args(os.path.join(a.srcdir, "apps", "bench",
                                      "RUSTOS.package.toml"))
    initrd = os.path.join(a.out, "linux-initrd.cpio")
    if subprocess.call(["sh", os.path.join(tools, "mkinitramfs.sh"),
                        os.path.join(cache, "busybox"), bench_elf, true_elf,
                        initrd, " ".join(argv[1:])]) != 0:
        die("building the initramfs failed")
    rdir = os.path.join(a.out, "rustos")
    if subprocess.call(["sh", os.path.join(tools, "stage-rustos.sh"),
                        a.srcdir, a.builddir, rdir]) != 0:
        die("staging the RustOS bench image failed")
    disk = os.path.join(rdir, "disk.img")
    staged = os.path.join(rdir, "image", "apps", "bench", "bench.elf")
    if sha256(staged) != sha256(bench_elf):
        die("the staged bench.elf differs from %s" % bench_elf)

    extra = ["-icount", "shift=0,sleep=off"] if a.icount else []
    linux_extra = extra + ["-kernel", os.path.join(cache, "vmlinuz"),
                           "-initrd", initrd,
                           "-append", "console=ttyS0 quiet"]
    runs = {"rustos": [], "linux": []}
    status = []
    for i in range(1, a.runs + 1):
        for system in ("rustos", "linux"):
            d = os.path.join(a.out, "runs", "%s-%d" % (system, i))
            say("run %d/%d: %s%s ..." % (i, a.runs, system,
                                         " (icount)" if a.icount else ""))
            if system == "rustos":
                rc, wall = boot(system, d, a, disk, extra)
                ok = rc == 0
            else:
                # The bench image is only there to give both machines the
                # same disk; Linux boots from -kernel.
                rc, wall = boot(system, d, a, disk, linux_extra)
                ok = rc == 3
            say("run %d/%d: %s done in %.1f s (qemu-run status %d%s)" % (
                i, a.runs, system, wall, rc, "" if ok else ", unexpected"))
            status.append("%s-%d: qemu-run status %d, %.1f s" % (
                system, i, rc, wall))
            runs[system].append(d)

    rr = [benchtab.Run(d) for d in runs["rustos"]]
    lr = [benchtab.Run(d) for d in runs["linux"]]
    table = benchtab.op_table(rr, lr, a.icount)
    phases = benchtab.phase_table(rr, lr)
    sys.stdout.write("\n" + "\n".join(table) + "\n\n" +
                     "\n".join(phases) + "\n\n")

    versions = []
    try:
        with open(os.path.join(cache, "versions.txt")) as f:
            versions = [v.strip() for v in f if v.strip()]
    except OSError:
        pass
    with open(os.path.join(runs["linux"][0], "cmdline.txt")) as f:
        lcmd = f.read().strip()
    with open(os.path.join(runs["rustos"][0], "cmdline.txt")) as f:
        rcmd = f.read().strip()
    rep = []
    rep.append("# make bench: RustOS vs Linux, %s" %
               started.strftime("%Y-%m-%d %H:%M UTC"))
    rep.append("")
    rep.append("- Date: %s" % started.strftime("%Y-%m-%d %H:%M:%S UTC"))
    rep.append("- QEMU: %s, TCG, q35, -cpu max, 1 vCPU, %d MiB%s" % (
        qemu_version(os.environ.get("QEMU") or "qemu-system-x86_64"),
        a.memory, ", -icount shift=0,sleep=off" if a.icount else ""))
    rep.append("- Host: %s" % machine())
    rep.append("- Linux: %s, initramfs with %s" % (
        versions[0] if versions else "?",
        versions[1] if len(versions) > 1 else "busybox-static"))
    rep.append("- Bench binary (same bytes in both): sha256 %s, args `%s`" %
               (sha256(bench_elf), " ".join(argv[1:])))
    rep.append("- Runs: %d per system, interleaved (%s)" % (
        a.runs, "; ".join(status)))
    rep.append("")
    rep.append("Figures: per run, each operation's median and minimum over "
               "its timed repetitions (each repetition: elapsed "
               "CLOCK_MONOTONIC / iterations); the table shows the median "
               "of the runs' medians and the smallest minimum.  n/a carries "
               "the reason (the failing call and errno, or why the bench "
               "did not run); no figure is estimated.")
    if a.icount:
        rep.append("Deterministic mode: under -icount shift=0 one ns of "
                   "guest time is one guest instruction, so the figures "
                   "are guest instructions per operation.")
    rep.append("")
    rep += table
    rep.append("")
    rep.append("Boot phases are host-side arrival times of console lines "
               "(COM1 and, for RustOS, the debug console), measured from "
               "the moment QEMU is started.  The firmware phases differ: "
               "RustOS boots OVMF -> signed GRUB -> kernel from the disk, "
               "Linux boots OVMF -> the kernel's EFI stub directly "
               "(-kernel/-initrd), with `quiet`, so its kernel start is "
               "derived from the first user-space line minus the "
               "/proc/uptime it prints.")
    rep.append("")
    rep += phases
    rep.append("")
    rep.append("QEMU command lines (tools/qemu-run adds `-machine q35 -accel "
               "tcg -cpu max -smp 1 -no-reboot -bios OVMF`, the AHCI disk "
               "with snapshot=on, isa-debug-exit and `-vga none -device "
               "virtio-vga -display none`):")
    rep.append("")
    def rel(c):
        return c.replace(a.out, "build/bench").replace(
            os.path.join(a.srcdir, ""), "")
    rep.append("    RustOS: %s" % rel(rcmd))
    rep.append("    Linux:  %s" % rel(lcmd))
    rep.append("")
    rep.append("## Raw BENCH lines")
    for d in runs["rustos"] + runs["linux"]:
        run = benchtab.Run(d)
        rep.append("")
        rep.append("%s (%s):" % (os.path.basename(d),
                                 "qemu-run status " + run.meta.get("rc", "?")))
        rep.append("")
        src = run.debugcon if any(t.startswith("BENCH") for _, t in
                                  run.debugcon) else run.serial
        lines = [t for _, t in src if t.startswith("BENCH")]
        if not lines:
            lines = ["(no BENCH lines: %s)" % run.no_bench_reason()]
        rep += ["    " + t for t in lines]
    report = os.path.join(a.out, "report.md")
    with open(report, "w") as f:
        f.write("\n".join(rep) + "\n")
    say("report: %s (logs: %s/runs/)" % (report, a.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
