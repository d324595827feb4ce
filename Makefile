# Forecast Watch: `make run` starts the whole service on this machine, `make test`
# runs the suite. Both use the virtualenv at .venv and create it when missing.

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python

# The stamp's name carries a hash of the requirement files, so pip runs again
# exactly when their content changes (not merely their mtime, which a fresh
# clone or a branch switch resets).
REQUIREMENTS := requirements.txt requirements-dev.txt
REQ_HASH := $(shell cat $(REQUIREMENTS) 2>/dev/null | sha256sum | cut -c1-16)
STAMP := $(VENV)/.installed-$(REQ_HASH)

.PHONY: help install run test bench

help:
	@echo "make run    set up .venv, var/, the database, demo data and an admin; start web, worker and beat"
	@echo "make test   set up .venv and run the whole suite with pytest (honours DATABASE_URL)"
	@echo "make bench  the scale benchmarks (benchmarks/run.py; BENCH_SCALE=1.0): a table and bench/results.json"

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): | $(PY)
	$(PY) -m pip install --disable-pip-version-check --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

# axe-core, the accessibility checker the browser tests inject into each page
# (tests/browser/test_pages.py), from the npm registry into a folder of
# the tests' own; npm runs again only when the file is missing.
AXE_JS := .cache/npm/node_modules/axe-core/axe.min.js

$(AXE_JS):
	npm install --prefix .cache/npm --no-audit --no-fund --no-save --loglevel=error axe-core@4

install: $(STAMP) $(AXE_JS)

run: $(STAMP)
	@bash scripts/run.sh

# pytest exits 5 when it collected no test: that is a failure, not a pass.
test: $(STAMP) $(AXE_JS)
	@$(PY) -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: FAILED: pytest ran no test (exit code 5)" >&2; fi; \
	exit $$rc

# make bench: the scale benchmarks (benchmarks/run.py) against PostgreSQL and
# Redis on localhost, with real worker processes; BENCH_SCALE (default 1.0)
# scales every size. Prints a table and writes bench/results.json. The older
# sweep benchmarks still run with `$(PY) -m pytest benchmarks`.
BENCH_STAMP := $(VENV)/.bench-$(shell cat requirements-bench.txt $(REQUIREMENTS) 2>/dev/null | sha256sum | cut -c1-16)

$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --disable-pip-version-check --quiet -r requirements-bench.txt
	rm -f $(VENV)/.bench-*
	touch $@

bench: $(BENCH_STAMP)
	@$(PY) -m benchmarks.run $(BENCH_ARGS)
