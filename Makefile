# Two entry points for a fresh machine: `make demo` (install, run the main job on examples/)
# and `make test` (install with test tools, run lint, types and the test suite).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

$(BIN)/bilateral: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/bilateral

demo: install
	rm -f out/demo.db
	$(BIN)/bilateral extract examples --out out --db out/demo.db
	$(BIN)/bilateral events --db out/demo.db

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

.PHONY: install demo test
