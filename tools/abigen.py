#!/usr/bin/env python3
"""abigen.py -- generate the RustOS ABI outputs from abi/*.def.

Reads abi/syscalls.def and abi/services.def (the single source of truth,
see spec/abi.md) and writes, relative to --outdir:

  include/rustos/syscall_numbers.h   SYS_RUSTOS_* and RUSTOS_LINUX_SYS_*
  include/rustos/ipc_services.h      IPC_SERVICE_* ids and IPC_SERVICE_CAP_*
  include/rustos/syscalls.h          prototypes of the user-side stubs
  lib/user-abi/syscall_stubs.c       the stubs (raw `syscall` instruction)
  lib/user-abi/rustos-user-abi.map   version script: stubs + ipc_helpers.sym
  kernel/generated/syscall_table.h   kernel dispatch table fragment
  kernel/generated/syscall_table.c
  docs/abi/syscalls.md               reference page

Python 3 standard library only.  Errors are reported as FILE:LINE:COL: rule
and exit status 1; nothing is written unless the whole table is valid.
"""

import argparse
import os
import re
import sys

PRIVATE_BASE = 0x52550000
ARG_REGS = ["rdi", "rsi", "rdx", "r10", "r8", "r9"]
OWNERS = ["kernel", "syscalld", "vfsd", "procd", "loaderd", "netd", "devmgrd"]
SCALARS = {
    "u64": "uint64_t", "i64": "int64_t", "u32": "uint32_t",
    "i32": "int32_t", "size": "uint64_t", "handle": "uint64_t",
}


class AbiError(Exception):
    pass


def fail(path, lineno, col, rule):
    raise AbiError("%s:%d:%d: %s" % (path, lineno, col, rule))


class Arg:
    def __init__(self, name, kind, bound, struct):
        self.name = name
        self.kind = kind      # scalar name, or in/out/inout
        self.bound = bound    # buffer bound (arg name or literal) or None
        self.struct = struct  # struct suffix for in<T>, or None

    def ctype(self):
        if self.kind in SCALARS:
            return SCALARS[self.kind]
        const = "const " if self.kind == "in" else ""
        if self.struct is None or self.struct.startswith("linux_"):
            return const + "void *"
        if self.struct in ("u64", "u32", "i32", "i64"):
            return const + SCALARS[self.struct] + " *"
        return const + "struct rustos_" + self.struct + " *"

    def annotation(self):
        if self.kind in SCALARS:
            return "%s:%s" % (self.name, self.kind)
        if self.struct is not None:
            return "%s:%s<%s>" % (self.name, self.kind, self.struct)
        return "%s:%s[%s]" % (self.name, self.kind, self.bound)


class Call:
    def __init__(self, cls, number, name, who, args, summary, lineno):
        self.cls = cls          # rustos | reserved | linux
        self.number = number
        self.name = name
        self.who = who          # gate (rustos) or owner (linux)
        self.args = args
        self.summary = summary
        self.lineno = lineno
        self.served = [who] if cls == "linux" else []   # linux: who serves it


LINE_RE = re.compile(
    r"^(rustos|linux)\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+served=(\S+))?\s+\((.*)\)\s+--\s+(.+)$")
# Where a Linux call is served today: the owner (default), "kernel" while
# the policy still lives in ring 0, several joined by "+", or "none".
SERVERS = OWNERS + ["none"]
RESERVED_RE = re.compile(r"^reserved\s+(\S+)\s+(\S+)\s+--\s+(.+)$")
ARG_RE = re.compile(
    r"^([a-z_][a-z0-9_]*):(?:(u64|i64|u32|i32|size|handle)|"
    r"(in|out|inout)(?:\[([a-z_][a-z0-9_]*|[0-9]+)\]|<([a-z_][a-z0-9_]*)>))$")


def parse_number(path, lineno, line, text):
    col = line.find(text) + 1
    try:
        return int(text, 0)
    except ValueError:
        fail(path, lineno, col, "number must be decimal or 0x-hex: %r" % text)


def parse_args(path, lineno, line, text):
    args = []
    text = text.strip()
    if text == "":
        return args
    for piece in text.split(","):
        piece = piece.strip()
        col = line.find(piece) + 1
        m = ARG_RE.match(piece)
        if not m:
            fail(path, lineno, col,
                 "argument must be name:kind, name:in[bound] or name:in<type>: %r" % piece)
        name, scalar, direction, bound, struct = m.groups()
        if any(a.name == name for a in args):
            fail(path, lineno, col, "duplicate argument name %r" % name)
        args.append(Arg(name, scalar or direction, bound, struct))
    if len(args) > 6:
        fail(path, lineno, 1, "at most six arguments fit the registers")
    names = {a.name for a in args}
    for a in args:
        if a.bound is not None and not a.bound.isdigit() and a.bound not in names:
            fail(path, lineno, line.find(a.bound) + 1,
                 "buffer bound %r is not an argument of this call" % a.bound)
    return args


def parse_services(path):
    caps, services = [], []
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            head, sep, summary = s.partition(" -- ")
            if not sep:
                fail(path, lineno, 1, "entry needs ' -- summary'")
            f_ = head.split()
            if f_[0] == "cap" and len(f_) == 3:
                bit = parse_number(path, lineno, line, f_[2])
                if not 0 <= bit < 64:
                    fail(path, lineno, line.find(f_[2]) + 1, "cap bit must be 0..63")
                if any(c[0] == f_[1] for c in caps) or any(c[1] == bit for c in caps):
                    fail(path, lineno, 1, "duplicate cap name or bit: %s" % f_[1])
                caps.append((f_[1], bit, summary.strip(), lineno))
            elif f_[0] == "service" and len(f_) == 4:
                sid = parse_number(path, lineno, line, f_[2])
                if not 0 < sid < 65536:
                    fail(path, lineno, line.find(f_[2]) + 1, "service id must be 1..65535")
                if any(x[0] == f_[1] or x[1] == sid for x in services):
                    fail(path, lineno, 1, "duplicate service name or id: %s" % f_[1])
                capnames = [] if f_[3] == "-" else f_[3].split("|")
                for c in capnames:
                    if not any(c == k[0] for k in caps):
                        fail(path, lineno, line.find(c) + 1, "unknown cap %r" % c)
                services.append((f_[1], sid, capnames, summary.strip(), lineno))
            else:
                fail(path, lineno, 1, "expected 'cap NAME BIT -- ...' or 'service NAME ID CAPS -- ...'")
    return caps, services


def parse_syscalls(path, capnames):
    calls = []
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            m = RESERVED_RE.match(s)
            if m:
                num = parse_number(path, lineno, line, m.group(1))
                calls.append(Call("reserved", num, m.group(2), None, [],
                                  m.group(3).strip(), lineno))
                continue
            m = LINE_RE.match(s)
            if not m:
                fail(path, lineno, 1,
                     "expected 'rustos|linux NUMBER NAME WHO [served=WHERE] (ARGS) -- SUMMARY' or 'reserved NUMBER NAME -- REASON'")
            cls, numtext, name, who, served, argtext, summary = m.groups()
            num = parse_number(path, lineno, line, numtext)
            args = parse_args(path, lineno, line, argtext)
            col = line.find(who) + 1
            if cls == "rustos":
                if not re.match(r"^[A-Z][A-Z0-9_]*$", name):
                    fail(path, lineno, line.find(name) + 1, "RustOS call names are upper case")
                if who not in ("any", "rootd") and who not in capnames:
                    fail(path, lineno, col, "gate must be any, rootd or a cap of abi/services.def: %r" % who)
            else:
                if not re.match(r"^[a-z][a-z0-9_]*$", name):
                    fail(path, lineno, line.find(name) + 1, "Linux call names are lower case")
                if who not in OWNERS:
                    fail(path, lineno, col, "owner must be one of %s: %r" % ("|".join(OWNERS), who))
            if served is not None:
                scol = line.find("served=") + 1
                if cls != "linux":
                    fail(path, lineno, scol, "served= is for linux lines only")
                parts = served.split("+")
                if any(x not in SERVERS for x in parts) or len(set(parts)) != len(parts):
                    fail(path, lineno, scol, "served= wants distinct %s joined by +: %r"
                         % ("|".join(SERVERS), served))
                if "none" in parts and len(parts) > 1:
                    fail(path, lineno, scol, "served=none stands alone")
                if parts == [who]:
                    fail(path, lineno, scol, "served=%s repeats the owner: drop it" % who)
            c = Call(cls, num, name, who, args, summary.strip(), lineno)
            if served is not None:
                c.served = served.split("+")
            calls.append(c)
    private = [c for c in calls if c.cls != "linux"]
    linux = [c for c in calls if c.cls == "linux"]
    for group, lo, hi, what in ((private, PRIVATE_BASE + 1, PRIVATE_BASE + 0xffff, "RustOS"),
                                (linux, 0, 0x0fff, "Linux")):
        prev = None
        seen = set()
        for c in group:
            if not lo <= c.number <= hi:
                fail(path, c.lineno, 1, "%s number 0x%x out of range" % (what, c.number))
            if c.name in seen:
                fail(path, c.lineno, 1, "duplicate name %s" % c.name)
            seen.add(c.name)
            if prev is not None and c.number <= prev.number:
                fail(path, c.lineno, 1,
                     "numbers must ascend (append only): 0x%x after 0x%x" % (c.number, prev.number))
            prev = c
    if private:
        nums = [c.number for c in private]
        expect = list(range(PRIVATE_BASE + 1, PRIVATE_BASE + 1 + len(nums)))
        if nums != expect:
            fail(path, private[0].lineno, 1,
                 "RustOS numbers must be dense from 0x%x; retire with a reserved line" % (PRIVATE_BASE + 1))
    return private, linux


def banner(src, style):
    text = "Generated by tools/abigen.py from %s; do not edit." % src
    if style == "c":
        return "/* %s */\n" % text
    if style == "map":
        return "/* %s */\n" % text
    return "<!-- %s -->\n" % text


def gen_numbers(private, linux):
    out = [banner("abi/syscalls.def", "c")]
    out.append("""/*
 * rustos/syscall_numbers.h -- syscall numbers of the RustOS ABI.
 *
 * RustOS-private calls use 0x5255xxxx ("RU"); Linux numbers mean what they
 * mean on Linux x86_64.  Numbers are append only; retired ones stay reserved.
 */
#ifndef RUSTOS_SYSCALL_NUMBERS_H
#define RUSTOS_SYSCALL_NUMBERS_H

#define RUSTOS_SYSCALL_PRIVATE_BASE\t0x52550000
""")
    last = private[-1].number
    out.append("#define RUSTOS_SYSCALL_PRIVATE_LAST\t0x%08x\n" % last)
    out.append("/* Entries of the private table, indexed by number - BASE (0 unused). */\n")
    out.append("#define RUSTOS_SYSCALL_PRIVATE_COUNT\t%d\n\n" % (last - PRIVATE_BASE + 1))
    for c in private:
        if c.cls == "reserved":
            out.append("/* 0x%08x reserved, was %s: %s */\n" % (c.number, c.name, c.summary))
        else:
            out.append("#define SYS_RUSTOS_%s\t0x%08x\n" % (c.name, c.number))
    out.append("\n/* Linux x86_64 calls RustOS routes (see docs/abi/syscalls.md for owners). */\n")
    for c in linux:
        out.append("#define RUSTOS_LINUX_SYS_%s\t%d\n" % (c.name, c.number))
    out.append("\n#endif /* RUSTOS_SYSCALL_NUMBERS_H */\n")
    return "".join(out)


def gen_services(caps, services):
    out = [banner("abi/services.def", "c")]
    out.append("""/*
 * rustos/ipc_services.h -- stable IPC service ids and the capability bits
 * the kernel grants to the registered owner of each id.
 *
 * Append only.  Broker authorization checks these bits, never a path.
 */
#ifndef RUSTOS_IPC_SERVICES_H
#define RUSTOS_IPC_SERVICES_H

""")
    for name, bit, summary, _ in caps:
        out.append("#define IPC_SERVICE_CAP_%s\t(1ULL << %d)\t/* %s */\n" % (name, bit, summary))
    out.append("\n")
    for name, sid, capnames, summary, _ in services:
        out.append("#define IPC_SERVICE_%s\t%d\t/* %s */\n" % (name, sid, summary))
    out.append("\n/* Capability bits granted with each id (0: none). */\n")
    for name, sid, capnames, summary, _ in services:
        val = " | ".join("IPC_SERVICE_CAP_%s" % c for c in capnames) or "0ULL"
        out.append("#define IPC_SERVICE_CAPS_%s\t(%s)\n" % (name, val))
    out.append("\n/* Highest assigned service id. */\n")
    out.append("#define IPC_SERVICE_ID_MAX\t%d\n" % max(s[1] for s in services))
    out.append("\n#endif /* RUSTOS_IPC_SERVICES_H */\n")
    return "".join(out)


def proto(c):
    params = ", ".join("%s%s%s" % (a.ctype(), "" if a.ctype().endswith("*") else " ", a.name)
                       for a in c.args) or "void"
    return "long rustos_sys_%s(%s)" % (c.name.lower(), params)


def struct_names(private):
    names = set()
    for c in private:
        for a in c.args:
            if a.struct and not a.struct.startswith("linux_") and a.struct not in SCALARS:
                names.add(a.struct)
    return sorted(names)


def gen_syscalls_h(private):
    out = [banner("abi/syscalls.def", "c")]
    out.append("""/*
 * rustos/syscalls.h -- user-side stubs of the RustOS-private syscalls
 * (librustos-user-abi).  Each returns the kernel's rax: a non-negative
 * result or a negative errno.  Argument structs live in the topic headers
 * (ipc.h, proc_broker.h, ...); they are only named here.
 */
#ifndef RUSTOS_SYSCALLS_H
#define RUSTOS_SYSCALLS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

""")
    for s in struct_names(private):
        out.append("struct rustos_%s;\n" % s)
    out.append("\n")
    for c in private:
        if c.cls == "reserved":
            continue
        out.append("/* %s */\n%s;\n" % (c.summary, proto(c)))
    out.append("""
#ifdef __cplusplus
}
#endif

#endif /* RUSTOS_SYSCALLS_H */
""")
    return "".join(out)


def gen_stubs(private):
    out = [banner("abi/syscalls.def", "c")]
    out.append("""/*
 * syscall_stubs.c -- one function per RustOS-private syscall.  Freestanding:
 * no libc, so rootd can link librustos-user-abi without one.
 */
#include <rustos/syscall_numbers.h>
#include <rustos/syscalls.h>

#include "raw_syscall.h"
""")
    for c in private:
        if c.cls == "reserved":
            continue
        regs = ["(long)%s" % a.name for a in c.args]
        out.append("\nRUSTOS_USER_ABI_EXPORT %s\n{\n" % proto(c))
        out.append("\treturn rustos_raw_syscall%d(SYS_RUSTOS_%s%s);\n}\n" %
                   (len(c.args), c.name, "".join(", " + r for r in regs)))
    return "".join(out)


def gen_map(private, helpers):
    out = [banner("abi/syscalls.def and lib/user-abi/ipc_helpers.sym", "map")]
    out.append("RUSTOS_USER_ABI_0 {\nglobal:\n")
    for c in private:
        if c.cls != "reserved":
            out.append("\trustos_sys_%s;\n" % c.name.lower())
    for h in helpers:
        out.append("\t%s;\n" % h)
    out.append("local:\n\t*;\n};\n")
    return "".join(out)


def gen_kernel_h(private, linux):
    out = [banner("abi/syscalls.def", "c")]
    out.append("""/*
 * syscall_table.h -- the kernel's dispatch-table fragment for the private
 * syscalls and the routing table of the Linux calls.
 *
 * Index ex_syscall_table with (number - RUSTOS_SYSCALL_PRIVATE_BASE) after
 * checking it is below EX_SYSCALL_PRIVATE_COUNT.  A handler is a weak
 * reference to ex_sys_<name>: it is NULL until the kernel defines that
 * function, and the dispatcher answers -ENOSYS for NULL or reserved slots.
 * The gate must be checked before the handler runs (-EACCES).
 */
#ifndef KERNEL_GENERATED_SYSCALL_TABLE_H
#define KERNEL_GENERATED_SYSCALL_TABLE_H

#include <stdint.h>

#include <rustos/syscall_numbers.h>
#include <rustos/ipc_services.h>

#define EX_SYSCALL_PRIVATE_COUNT\tRUSTOS_SYSCALL_PRIVATE_COUNT

enum ex_syscall_gate {
\tEX_SYSCALL_GATE_RESERVED = 0,\t/* unassigned or retired: -ENOSYS */
\tEX_SYSCALL_GATE_ANY = 1,
\tEX_SYSCALL_GATE_ROOTD = 2,\t/* only the bootstrap task */
\tEX_SYSCALL_GATE_CAP = 3\t\t/* caller's registered caps & cap_mask */
};

enum ex_syscall_owner {
""")
    for i, o in enumerate(OWNERS):
        out.append("\tEX_SYSCALL_OWNER_%s = %d,\n" % (o.upper(), i))
    out.append("""};

typedef long ex_syscall_handler_t(uint64_t, uint64_t, uint64_t, uint64_t,
    uint64_t, uint64_t);

struct ex_syscall_entry {
\tconst char\t\t*name;
\tex_syscall_handler_t\t*handler;
\tuint64_t\t\t cap_mask;
\tuint32_t\t\t number;
\tuint8_t\t\t\t nargs;
\tuint8_t\t\t\t gate;\t/* enum ex_syscall_gate */
\tuint16_t\t\t reserved;
};

/* ex_linux_route.flags */
#define EX_LINUX_ROUTE_NONE\t0x1\t/* served=none: the report says -ENOSYS */

struct ex_linux_route {
\tconst char\t*name;
\tuint32_t\t number;
\tuint8_t\t\t owner;\t/* enum ex_syscall_owner */
\tuint8_t\t\t nargs;
\tuint16_t\t flags;\t/* EX_LINUX_ROUTE_* */
};

""")
    out.append("#define EX_LINUX_ROUTE_COUNT\t%d\n\n" % len(linux))
    out.append("extern const struct ex_syscall_entry ex_syscall_table[EX_SYSCALL_PRIVATE_COUNT];\n")
    out.append("/* Sorted by number. */\n")
    out.append("extern const struct ex_linux_route ex_linux_routes[EX_LINUX_ROUTE_COUNT];\n\n")
    for c in private:
        if c.cls != "reserved":
            out.append("ex_syscall_handler_t ex_sys_%s;\n" % c.name.lower())
    out.append("\n#endif /* KERNEL_GENERATED_SYSCALL_TABLE_H */\n")
    return "".join(out)


def gen_kernel_c(private, linux):
    out = [banner("abi/syscalls.def", "c")]
    out.append("""/*
 * syscall_table.c -- dispatch and routing tables (see syscall_table.h).
 */
#include "syscall_table.h"

""")
    for c in private:
        if c.cls != "reserved":
            out.append("#pragma weak ex_sys_%s\n" % c.name.lower())
    out.append("\nconst struct ex_syscall_entry ex_syscall_table[EX_SYSCALL_PRIVATE_COUNT] = {\n")
    out.append("\t[0] = { \"(none)\", 0, 0, RUSTOS_SYSCALL_PRIVATE_BASE, 0, EX_SYSCALL_GATE_RESERVED, 0 },\n")
    for c in private:
        idx = c.number - PRIVATE_BASE
        if c.cls == "reserved":
            out.append("\t[0x%02x] = { \"%s (retired)\", 0, 0, 0x%08x, 0, EX_SYSCALL_GATE_RESERVED, 0 },\n"
                       % (idx, c.name, c.number))
            continue
        if c.who == "any":
            gate, mask = "EX_SYSCALL_GATE_ANY", "0"
        elif c.who == "rootd":
            gate, mask = "EX_SYSCALL_GATE_ROOTD", "0"
        else:
            gate, mask = "EX_SYSCALL_GATE_CAP", "IPC_SERVICE_CAP_%s" % c.who
        out.append("\t[0x%02x] = { \"%s\", ex_sys_%s, %s, SYS_RUSTOS_%s, %d, %s, 0 },\n"
                   % (idx, c.name, c.name.lower(), mask, c.name, len(c.args), gate))
    out.append("};\n\nconst struct ex_linux_route ex_linux_routes[EX_LINUX_ROUTE_COUNT] = {\n")
    for c in linux:
        out.append("\t{ \"%s\", %d, EX_SYSCALL_OWNER_%s, %d, %s },\n"
                   % (c.name, c.number, c.who.upper(), len(c.args),
                      "EX_LINUX_ROUTE_NONE" if c.served == ["none"] else "0"))
    out.append("};\n")
    return "".join(out)


def gen_docs(private, linux, caps, services):
    out = [banner("abi/syscalls.def and abi/services.def", "md")]
    out.append("""# Syscall and service reference

This page is generated from `abi/syscalls.def` and `abi/services.def`, the
single source of truth of the RustOS ABI (see `docs/abi/README.md` for the
wire structs).  Calling convention: Linux x86_64 `syscall`, number in `rax`,
arguments in `rdi rsi rdx r10 r8 r9`, result in `rax` (negative errno on
failure).  Argument kinds: `in[n]`/`out[n]` are user buffers bounded by `n`,
`in<T>` points to `struct rustos_T`.

## RustOS-private calls

| number | name | caller | arguments | summary |
|---|---|---|---|---|
""")
    for c in private:
        if c.cls == "reserved":
            out.append("| `0x%08x` | *reserved* (`%s`) | — | — | %s |\n" % (c.number, c.name, c.summary))
        else:
            args = ", ".join("`%s`" % a.annotation() for a in c.args) or "—"
            who = c.who if c.who in ("any", "rootd") else "`IPC_SERVICE_CAP_%s`" % c.who
            out.append("| `0x%08x` | `SYS_RUSTOS_%s` | %s | %s | %s |\n"
                       % (c.number, c.name, who, args, c.summary))
    out.append("\nUser stubs: `long rustos_sys_<name>(...)` in `<rustos/syscalls.h>` "
               "(librustos-user-abi).\n")
    out.append(gen_report(linux, "md"))
    out.append("## IPC services and capability bits\n\n| cap | bit | summary |\n|---|---|---|\n")
    for name, bit, summary, _ in caps:
        out.append("| `IPC_SERVICE_CAP_%s` | 1<<%d | %s |\n" % (name, bit, summary))
    out.append("\n| service | id | caps granted | summary |\n|---|---|---|---|\n")
    for name, sid, capnames, summary, _ in services:
        cl = ", ".join("`%s`" % c for c in capnames) or "—"
        out.append("| `IPC_SERVICE_%s` | %d | %s | %s |\n" % (name, sid, cl, summary))
    return "".join(out)


def report_rows(linux):
    """(number, name, owner, served text, status) per Linux call."""
    rows = []
    for c in linux:
        if c.served == ["none"]:
            status = "not implemented (-ENOSYS)"
        elif c.served == [c.who]:
            status = "implemented"
        else:
            status = "implemented (%s)" % ("kernel-direct" if c.served == ["kernel"]
                                          else "served by " + " + ".join(c.served))
        rows.append((c.number, c.name, c.who, "+".join(c.served), status))
    return rows


def gen_report(linux, style):
    """The syscall report: markdown for docs, or plain lines for a test."""
    rows = report_rows(linux)
    if style == "text":
        return "".join("%3d %-18s owner=%-8s served=%-14s %s\n" % r for r in rows)
    n_impl = sum(1 for r in rows if r[3] != "none")
    n_direct = sum(1 for r in rows if r[3] == "kernel")
    n_svc = sum(1 for r in rows if r[3] not in ("none", "kernel"))
    out = ["\n## Linux calls: which syscall is implemented where\n\n"]
    out.append("The Linux x86_64 calls RustOS knows.  *owner* is the policy owner the\n"
               "contract assigns; *served* is where the call is decided today: the\n"
               "owner, `kernel` (ring 0 still holds the policy; a follow-up moves it\n"
               "to the owner), several joined by `+` (e.g. `kernel+vfsd`: pipes and\n"
               "the console in the kernel, files in vfsd), or `none` (the kernel\n"
               "answers -ENOSYS).  Any number not listed is -ENOSYS too.\n"
               "`tests/qemu/syscall-report.sh` prints this table and checks it against\n"
               "the in-OS suites' run.\n\n")
    out.append("%d calls: %d implemented (%d kernel-direct, %d through a service or "
               "split), %d not implemented.\n\n"
               % (len(rows), n_impl, n_direct, n_svc, len(rows) - n_impl))
    out.append("| number | name | owner | served | status | summary |\n"
               "|---|---|---|---|---|---|\n")
    for c, r in zip(linux, rows):
        out.append("| %d | `%s` | %s | %s | %s | %s |\n"
                   % (r[0], r[1], r[2], r[3], r[4], c.summary))
    out.append("\n")
    return "".join(out)


def read_helpers(path):
    syms = []
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            s = raw.strip()
            if not s or s.startswith("#"):
                continue
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", s):
                fail(path, lineno, 1, "one C symbol per line")
            syms.append(s)
    return syms


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--srcdir", default=".", help="source tree holding abi/")
    ap.add_argument("--outdir", default=None, help="where to write (default: srcdir)")
    ap.add_argument("--list", action="store_true", help="print the output paths and exit")
    ap.add_argument("--report", action="store_true",
                    help="print the Linux syscall report (one line per call) and exit")
    opts = ap.parse_args(argv)
    src = opts.srcdir
    outdir = opts.outdir if opts.outdir is not None else src
    try:
        caps, services = parse_services(os.path.join(src, "abi", "services.def"))
        private, linux = parse_syscalls(os.path.join(src, "abi", "syscalls.def"),
                                        [c[0] for c in caps])
        helpers = read_helpers(os.path.join(src, "lib", "user-abi", "ipc_helpers.sym"))
    except AbiError as e:
        sys.stderr.write("abigen: %s\n" % e)
        return 1
    except OSError as e:
        sys.stderr.write("abigen: %s\n" % e)
        return 1
    outputs = {
        "include/rustos/syscall_numbers.h": gen_numbers(private, linux),
        "include/rustos/ipc_services.h": gen_services(caps, services),
        "include/rustos/syscalls.h": gen_syscalls_h(private),
        "lib/user-abi/syscall_stubs.c": gen_stubs(private),
        "lib/user-abi/rustos-user-abi.map": gen_map(private, helpers),
        "kernel/generated/syscall_table.h": gen_kernel_h(private, linux),
        "kernel/generated/syscall_table.c": gen_kernel_c(private, linux),
        "docs/abi/syscalls.md": gen_docs(private, linux, caps, services),
    }
    if opts.report:
        sys.stdout.write(gen_report(linux, "text"))
        return 0
    if opts.list:
        for p in outputs:
            print(p)
        return 0
    for rel, text in outputs.items():
        path = os.path.join(outdir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        old = None
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                old = f.read()
        if old != text:
            tmp = path + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
