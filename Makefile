# Alliance Workbook: two commands do all the set-up on a fresh machine with Python 3.11.
#   make app   - create .venv, install, seed the demo engagement, start the workshop app
#   make test  - create .venv, install with test extras and system packages, run every test
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8866
export WORKBOOK_DATA_DIR ?= $(CURDIR)/data

.PHONY: app install install-test sysdeps test test-pytest test-unit test-fast test-serial \
	test-notebooks lint typecheck bench clean demo wheel

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## System packages the tests drive for real: Debian's chromium, poppler (pdftoppm/pdftotext),
## postgresql (the store tests start a throwaway cluster on 127.0.0.1 themselves), LibreOffice
## (the deck) and Node.js with npm (the proxy test installs configurable-http-proxy from npm).
sysdeps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-impress-nogui"; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

demo: install
	$(BIN)/workbook demo

app: install
	$(BIN)/workbook demo
	$(BIN)/workbook serve --port $(PORT)

lint: install-test
	$(BIN)/ruff check src tests benchmarks

typecheck: install-test
	$(BIN)/mypy

## The tests run in two lanes in one pytest-xdist session (docs/decisions.md, "Tests in half
## the time"): the serial lane (tests/browser/, PostgreSQL, tests marked `serial`) is one
## xdist group, so one worker runs it one test at a time, while the other workers share every
## other test. TEST_WORKERS counts both lanes' workers (measured best on 2 cores: see the docs).
TEST_WORKERS ?= 3
PYTEST := $(BIN)/pytest -q -p no:cacheprovider

test-pytest: install-test sysdeps
	$(PYTEST) -n $(TEST_WORKERS) --dist loadgroup --durations=25 tests

## the old name of the pytest run
test-unit: test-pytest

## only the parallel lane (quick, no browser, PostgreSQL or LibreOffice)
test-fast: install-test
	$(PYTEST) -n $(TEST_WORKERS) -m "not serial" --durations=15 tests

## only the serial lane, one test after another
test-serial: install-test sysdeps
	$(PYTEST) -m serial --durations=15 tests

## nbval runs every shipped notebook against a fresh demo store
test-notebooks: install-test
	@tmp=$$(mktemp -d); \
	WORKBOOK_DATA_DIR=$$tmp $(BIN)/workbook demo >/dev/null && \
	WORKBOOK_DATA_DIR=$$tmp $(BIN)/pytest -q -p no:cacheprovider --nbval-lax notebooks; \
	rc=$$?; rm -rf $$tmp; exit $$rc

test: lint typecheck test-pytest test-notebooks

bench: install-test sysdeps
	$(BIN)/python benchmarks/run.py

## the wheel (dist/), with the bank, notebooks, templates and migrations as package data; a
## test (tests/integration/test_wheel.py, part of `make test`) installs it in a fresh venv and runs it
wheel: install-test
	$(BIN)/python -m build --outdir dist .

clean:
	rm -rf $(VENV) artifacts .pytest_cache .ruff_cache .mypy_cache dist build src/workbook_helpers/data
