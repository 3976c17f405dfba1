# docs/local.mk -- `make docs` renders docs/ to build/mdbook.
EXTRA_DIST += \
	docs/SUMMARY.md \
	docs/introduction.md \
	docs/building.md \
	docs/boot.md \
	docs/sdk.md \
	docs/testing.md \
	docs/ai/token-policy.md \
	docs/ai/task-router.md \
	docs/ai/build-conventions.md \
	docs/ai/boot-image.md \
	docs/ai/ring3-evacuation.md \
	docs/ai/bootstrap.md \
	docs/ai/packages.md \
	docs/ai/fault-injection.md \
	tools/render-docs

.PHONY: docs
docs:
	$(AM_V_GEN)$(PYTHON) $(srcdir)/tools/render-docs $(srcdir)/docs build/mdbook
