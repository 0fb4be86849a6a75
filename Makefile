# Two entry points for a fresh machine: `make demo` (install the runtime dependencies only, run
# the main job on the sample corpus) and `make test` (add the test tools, run lint, types and the
# test suite).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The runtime: wheels only, nothing to compile (FollowTheMoney, whose PyICU pip compiles from
# source, is the `ftm` extra).
$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

# The runtime with the test tools, Ray and FollowTheMoney (PyICU: g++, libicu-dev and pkg-config,
# see build-deps), in one pip run: a fresh clone resolves and builds once.
$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime
install-test: build-deps $(VENV)/.test

# Debian packages that compiling PyICU (for the `ftm` and `test` extras) needs.
build-deps:
	@command -v g++ >/dev/null && command -v pkg-config >/dev/null && pkg-config --exists icu-uc || \
	  ($(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q \
	     g++ libicu-dev pkg-config)

# Debian packages the tests use: Chromium renders the report and drives the web app's browser tests;
# PostgreSQL's server, which the tests start on loopback in a folder of their own.
system-deps:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
	  ($(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q \
	     chromium chromium-driver postgresql)

# The sample corpus beside the repository, else our own short examples.
CORPUS ?= $(firstword $(wildcard ../shared/corpus/china-serbia) examples)

demo: install
	rm -f out/demo.db
	$(BIN)/bilateral extract $(CORPUS) --out out/demo --db out/demo.db
	$(BIN)/bilateral timeline --db out/demo.db
	$(BIN)/bilateral register arms --db out/demo.db
	$(BIN)/bilateral report --db out/demo.db -o out/demo/briefing.html
	@echo "exports in out/demo/, briefing in out/demo/briefing.html"

# The extractor's scores on the development sets in ../shared: a table per set and combined.
eval: install
	$(BIN)/python bench/eval.py

test: install-test system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q --durations=10 --ignore=tests/test_distributed.py
	# Ray in a pytest process of its own: after the browser tests in the same process, a local
	# Ray's workers stall (see the closing note of issue 7).
	$(BIN)/python -m pytest -q tests/test_distributed.py

# The standing robustness suite of issue 17 (bad input, faults, kills, properties), also part of test.
robust: install-test
	$(BIN)/python -m pytest -q tests/test_robust_*.py

.PHONY: install install-test build-deps system-deps demo eval test robust
