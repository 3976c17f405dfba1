#!/usr/bin/env python3
# toml-json-compare.py -- semantic comparison of toml-test tagged JSON.
#
# Usage: toml-json-compare.py EXPECTED GOT
#        toml-json-compare.py --batch < LIST
# In batch mode every input line is "NAME<TAB>EXPECTED<TAB>GOT" and one line
# "NAME<TAB>ok" or "NAME<TAB>FAIL: reason" is printed per pair, so the suite
# costs one Python start instead of hundreds.
#
# Tables must have the same keys, arrays the same length, leaves the same
# type tag.  Values compare per type: integers and floats numerically (nan
# equals nan, inf spellings agree), date/times after upper-casing, using 'T'
# as the date/time separator and dropping trailing zeros of the fraction.

import json
import math
import sys


def is_leaf(v):
    return (isinstance(v, dict) and set(v) == {"type", "value"} and
            isinstance(v["type"], str) and isinstance(v["value"], str))


def norm_float(s):
    t = s.strip().lower().replace("_", "")
    if t in ("nan", "+nan", "-nan"):
        return "nan"
    if t in ("inf", "+inf"):
        return math.inf
    if t == "-inf":
        return -math.inf
    return float(t)


def norm_datetime(s):
    s = s.upper()
    if len(s) > 10 and s[10] == " ":
        s = s[:10] + "T" + s[11:]
    dot = s.find(".")
    if dot >= 0:
        end = dot + 1
        while end < len(s) and s[end].isdigit():
            end += 1
        frac = s[dot + 1:end].rstrip("0")
        s = s[:dot] + ("." + frac if frac else "") + s[end:]
    return s


def leaf_equal(a, b):
    t = a["type"]
    x, y = a["value"], b["value"]
    try:
        if t == "integer":
            return int(x) == int(y)
        if t == "float":
            fx, fy = norm_float(x), norm_float(y)
            if fx == "nan" or fy == "nan":
                return fx == fy
            return fx == fy
        if t in ("datetime", "datetime-local", "date-local", "time-local"):
            return norm_datetime(x) == norm_datetime(y)
    except ValueError:
        return False
    return x == y


def compare(exp, got, path):
    """Return None when equal, else a description of the first difference."""
    if is_leaf(exp):
        if not is_leaf(got):
            return "%s: expected a %s value, got %s" % (
                path, exp["type"], json.dumps(got)[:60])
        if exp["type"] != got["type"]:
            return "%s: expected type %s, got %s" % (
                path, exp["type"], got["type"])
        if not leaf_equal(exp, got):
            return "%s: expected %r, got %r" % (
                path, exp["value"], got["value"])
        return None
    if isinstance(exp, dict):
        if not isinstance(got, dict) or is_leaf(got):
            return "%s: expected a table" % path
        if set(exp) != set(got):
            missing = sorted(set(exp) - set(got))
            extra = sorted(set(got) - set(exp))
            return "%s: keys differ (missing %r, extra %r)" % (
                path, missing[:5], extra[:5])
        for k in exp:
            r = compare(exp[k], got[k], "%s.%s" % (path, json.dumps(k)))
            if r:
                return r
        return None
    if isinstance(exp, list):
        if not isinstance(got, list):
            return "%s: expected an array" % path
        if len(exp) != len(got):
            return "%s: expected %d elements, got %d" % (
                path, len(exp), len(got))
        for i, (e, g) in enumerate(zip(exp, got)):
            r = compare(e, g, "%s[%d]" % (path, i))
            if r:
                return r
        return None
    return "%s: unexpected JSON %r in the expected file" % (path, exp)


def compare_files(expected, got):
    try:
        with open(expected, encoding="utf-8") as f:
            exp = json.load(f)
    except (OSError, ValueError) as e:
        return "cannot read expected JSON: %s" % e
    try:
        with open(got, encoding="utf-8") as f:
            g = json.load(f)
    except (OSError, ValueError) as e:
        return "decoder output is not JSON: %s" % e
    return compare(exp, g, "$")


def main(argv):
    if len(argv) == 2 and argv[1] == "--batch":
        for line in sys.stdin:
            line = line.rstrip("\n")
            if not line:
                continue
            name, expected, got = line.split("\t")
            r = compare_files(expected, got)
            print("%s\t%s" % (name, "ok" if r is None else "FAIL: " + r))
        return 0
    if len(argv) != 3:
        sys.stderr.write("usage: toml-json-compare.py EXPECTED GOT\n")
        return 2
    r = compare_files(argv[1], argv[2])
    if r is not None:
        print(r)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
