# tools/bench/local.mk -- `make bench` (included from apps/bench/local.mk):
# RustOS and Linux side by side in the same QEMU configuration
# (spec/testing-and-benchmarks.md; tools/bench/run.py says how).
#
#   make bench                   3 interleaved runs of each system
#   make bench BENCH_RUNS=5      more runs
#   make bench BENCH_ICOUNT=1    deterministic: -icount shift=0,sleep=off,
#                                figures are guest instructions per op
# (both variables also come from the environment: BENCH_ICOUNT=1 make bench)
#
# Downloads Debian's kernel and busybox-static once into build/bench/cache/
# and leaves logs and build/bench/report.md.  Not part of `make check`.

BENCH_RUNS ?= 3
BENCH_ICOUNT ?=
BENCH_DIR = build/bench

EXTRA_DIST += \
	tools/bench/fetch.sh \
	tools/bench/mkinitramfs.sh \
	tools/bench/stage-rustos.sh \
	tools/bench/run.py \
	tools/bench/benchtab.py \
	docs/benchmarks

.PHONY: bench

if ENABLE_IMAGE
bench: apps/bench/bench$(EXEEXT) apps/bench/true$(EXEEXT) $(IMAGE_ARTIFACTS) $(RUSTOS_PKG)
	@icount=; case "$(BENCH_ICOUNT)" in ""|0|no) ;; *) icount=--icount ;; esac; \
	QEMU='$(QEMU)' OVMF='$(OVMF)' GPG='$(GPG)' MFORMAT='$(MFORMAT)' \
	MCOPY='$(MCOPY)' $(PYTHON) $(srcdir)/tools/bench/run.py \
	  --srcdir $(srcdir) --builddir . --out $(BENCH_DIR) \
	  --runs $(BENCH_RUNS) $$icount
else !ENABLE_IMAGE
bench:
	@echo "RustOS was configured with --disable-image: make bench needs the image" >&2; exit 1
endif !ENABLE_IMAGE
