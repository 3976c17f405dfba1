#!/usr/bin/env python3
# fat-damage.py -- damage chosen files of a FAT12/16/32 volume image in
# place, for tests/qemu/fat-corrupt.sh.  usage: fat-damage.py IMAGE DIR
# where DIR is a top-level directory (8.3 name) holding:
#   LOOP.BIN   a file of >= 3 clusters: its last FAT entry points back to
#              its first cluster (a cluster-chain loop);
#   RANGE.BIN  its directory entry's first cluster is set past the volume
#              (an out-of-range cluster);
#   SIZE.BIN   a one-cluster file whose directory entry claims 16 MiB
#              (a bad directory entry: the chain ends before the size);
#   BADDIR     a subdirectory whose entry's first cluster is out of range.
# Every FAT copy is changed alike.  Prints one line per change; exits 1
# (saying why) when the volume or a file is not as expected.
import struct
import sys


def die(msg):
    print("fat-damage: " + msg)
    sys.exit(1)


def main():
    if len(sys.argv) != 3:
        die("usage: fat-damage.py IMAGE DIR")
    path, dname = sys.argv[1], sys.argv[2].upper()
    with open(path, "r+b") as f:
        img = bytearray(f.read())
        bps, spc, rsvd, nfats, rootents, tot16 = struct.unpack_from(
            "<HBHBHH", img, 11)
        fatsz16, = struct.unpack_from("<H", img, 22)
        tot32, fatsz32, rootclus = struct.unpack_from("<I4xI4xI", img, 32)
        if bps != 512 or spc == 0 or nfats == 0:
            die("not a FAT volume with 512-byte sectors")
        fatsz = fatsz16 or fatsz32
        tot = tot16 or tot32
        rootsecs = (rootents * 32 + bps - 1) // bps
        data = rsvd + nfats * fatsz + rootsecs
        nclus = (tot - data) // spc
        kind = 12 if nclus < 4085 else 16 if nclus < 65525 else 32
        if kind == 12:
            die("FAT12 is not handled")
        csize = spc * bps
        esize = 2 if kind == 16 else 4

        def fat_get(c):
            off = rsvd * bps + c * esize
            v = struct.unpack_from("<H" if kind == 16 else "<I", img, off)[0]
            return v if kind == 16 else v & 0x0FFFFFFF

        def fat_set(c, v):
            for i in range(nfats):
                off = (rsvd + i * fatsz) * bps + c * esize
                struct.pack_into("<H" if kind == 16 else "<I", img, off, v)

        def chain(c):
            out = []
            while 2 <= c < nclus + 2 and len(out) <= nclus:
                out.append(c)
                c = fat_get(c)
            return out

        def clus_off(c):
            return (data + (c - 2) * spc) * bps

        def entries(first):
            """(byte offset, 11-byte name, attr, cluster, size) of a dir."""
            if first == 0:
                spans = [((rsvd + nfats * fatsz) * bps, rootents * 32)]
            else:
                spans = [(clus_off(c), csize) for c in chain(first)]
            for base, length in spans:
                for o in range(base, base + length, 32):
                    if img[o] == 0:
                        return
                    attr = img[o + 11]
                    if img[o] == 0xE5 or attr == 0x0F:
                        continue
                    hi, = struct.unpack_from("<H", img, o + 20)
                    lo, size = struct.unpack_from("<HI", img, o + 26)
                    yield o, bytes(img[o:o + 11]), attr, (hi << 16) | lo, size

        def name83(n):
            base, _, ext = n.partition(".")
            return (base.ljust(8) + ext.ljust(3)).encode()

        def find(first, n):
            for e in entries(first):
                if e[1] == name83(n):
                    return e
            die("%s not found" % n)

        root = 0 if kind == 16 else rootclus
        d = find(root, dname)
        if not d[2] & 0x10:
            die(dname + " is not a directory")
        dirclus = d[3]
        bad = nclus + 100        # past the last cluster (nclus + 1)

        o, _, _, c, size = find(dirclus, "LOOP.BIN")
        ch = chain(c)
        if len(ch) < 3:
            die("LOOP.BIN spans %d clusters, want >= 3" % len(ch))
        fat_set(ch[-1], ch[0])
        print("LOOP.BIN: FAT entry of cluster %d now points back to %d"
              % (ch[-1], ch[0]))

        o, _, _, c, size = find(dirclus, "RANGE.BIN")
        struct.pack_into("<H", img, o + 20, bad >> 16)
        struct.pack_into("<H", img, o + 26, bad & 0xFFFF)
        print("RANGE.BIN: first cluster %d -> %d (volume has %d)"
              % (c, bad, nclus))

        o, _, _, c, size = find(dirclus, "SIZE.BIN")
        if len(chain(c)) != 1:
            die("SIZE.BIN must fit one cluster")
        struct.pack_into("<I", img, o + 28, 16 << 20)
        print("SIZE.BIN: size %d -> %d with a one-cluster chain"
              % (size, 16 << 20))

        o, _, attr, c, size = find(dirclus, "BADDIR")
        if not attr & 0x10:
            die("BADDIR is not a directory")
        struct.pack_into("<H", img, o + 20, bad >> 16)
        struct.pack_into("<H", img, o + 26, bad & 0xFFFF)
        print("BADDIR: first cluster %d -> %d" % (c, bad))
        f.seek(0)
        f.write(img)
    print("fat-damage: FAT%d, %d clusters of %d bytes, 4 changes"
          % (kind, nclus, csize))


main()
