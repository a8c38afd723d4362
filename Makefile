# Two commands for a newcomer: `make run` (demo at http://127.0.0.1:8000) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PO_FILES := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
TEST_PG_URL ?= $(or $(FRAMSTEG_TEST_POSTGRES_URL),postgresql+psycopg://postgres@127.0.0.1:5432/test)
PYTEST_ARGS ?=

.PHONY: install run serve test lint typecheck test-sqlite test-postgres translations translations-update bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) $(MO_FILES)

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ >/dev/null

translations: $(MO_FILES)

# After adding strings: extract them, merge into both catalogues, then translate the new entries.
translations-update: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -o app/translations/messages.pot --no-location --sort-output . >/dev/null
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching --ignore-obsolete

run: install
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
