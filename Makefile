# Developer commands. CI runs the same targets (see .ci/run).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
DEMO ?= demo
export SYLLABUS_DATABASE_URL ?= sqlite:///./var/syllabus.db

.PHONY: install install-dev serve migrate demo test test-pg lint fmt bench coverage-report clean

$(BIN)/syllabus: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	@touch $@

install: $(BIN)/syllabus

$(VENV)/.dev: $(BIN)/syllabus
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install-dev: $(VENV)/.dev

migrate: install
	$(BIN)/syllabus migrate

# Set up, migrate, create and seed the demo site once, print how to call it, and serve.
serve: install
	$(BIN)/syllabus migrate
	$(BIN)/syllabus demo $(DEMO) --host $(HOST) --port $(PORT)
	$(BIN)/syllabus serve --host $(HOST) --port $(PORT)

test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

test-pg: install-dev
	SYLLABUS_TEST_DATABASE_URL=$${SYLLABUS_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres} $(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy

fmt: install-dev
	$(BIN)/ruff format src tests bench scripts
	$(BIN)/ruff check --fix src tests bench scripts

# Regenerate docs/coverage.md: every upstream operation, [x] where implemented.
coverage-report: install-dev
	$(BIN)/python scripts/coverage.py

bench: install-dev
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
