# Two commands for a newcomer: `make run` (demo at http://127.0.0.1:8000) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-stamp
DEV_STAMP := $(VENV)/.dev-stamp
PO_FILES := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
TEST_PG_URL ?= $(or $(FRAMSTEG_TEST_POSTGRES_URL),postgresql+psycopg://postgres@127.0.0.1:5432/test)
PYTEST_ARGS ?=

.PHONY: install install-runtime run serve test lint typecheck test-sqlite test-postgres translations translations-update bench clean

# `make run` needs only the runtime packages (a quicker first start); the test tools come with `make test`.
$(RUNTIME_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $(RUNTIME_STAMP)

$(DEV_STAMP): $(RUNTIME_STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(DEV_STAMP)

install-runtime: $(RUNTIME_STAMP) $(MO_FILES)

install: $(DEV_STAMP) $(MO_FILES)

# The .mo files are build output (ignored by git): install, and so run and test, compile them before the app starts.
%.mo: %.po scripts/i18n.py $(RUNTIME_STAMP)
	$(BIN)/python scripts/i18n.py compile $<

translations: $(MO_FILES)

# After adding strings: extract them, merge into both catalogues (English filled from the msgids), then translate
# the new Swedish entries; `$(BIN)/python scripts/i18n.py missing` lists what is left.
translations-update: $(RUNTIME_STAMP)
	$(BIN)/python scripts/i18n.py update

run: install-runtime
	$(BIN)/framsteg db upgrade
	$(BIN)/framsteg seed demo
	@echo "Framsteg runs at http://127.0.0.1:8000 (Ctrl+C stops it)."
	$(BIN)/framsteg serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

test-sqlite: install
	FRAMSTEG_TEST_DB=sqlite $(BIN)/pytest $(PYTEST_ARGS)

# Under CI=true PostgreSQL is required; locally it runs when the server answers.
test-postgres: install
	@if FRAMSTEG_TEST_POSTGRES_URL="$(TEST_PG_URL)" $(BIN)/python -m tests.support.pg_available; then \
	  FRAMSTEG_TEST_DB=postgres FRAMSTEG_TEST_POSTGRES_URL="$(TEST_PG_URL)" $(BIN)/pytest -m "not e2e" $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL is required under CI but not reachable at $(TEST_PG_URL)"; exit 1; \
	else echo "PostgreSQL not reachable at $(TEST_PG_URL): skipping the PostgreSQL run"; fi

test: lint typecheck test-sqlite test-postgres

bench: install
	$(BIN)/python bench/bench_analysis.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis data test-artifacts
