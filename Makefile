# Alliance Workbook: two commands do all the set-up on a fresh machine with Python 3.11.
#   make app   - create .venv, install, seed the demo engagement, start the workshop app
#                (PORT=N chooses the port; default: the one `workbook serve --help` shows)
#   make test  - create .venv, install with test extras and system packages, run every test
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export WORKBOOK_DATA_DIR ?= $(CURDIR)/data

.PHONY: app install install-test sysdeps test test-pytest test-unit test-fast test-serial \
	test-notebooks lint typecheck bench clean demo wheel messages structure

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
## Fonts: Liberation Sans (fonts-liberation2, the reports' and deck's face) and DejaVu
## (fonts-dejavu-core) cover Latin-1 and Latin Extended: every character of en, de, fr, es.
sysdeps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	fc-list 2>/dev/null | grep -qi "liberation sans" || missing="$$missing fonts-liberation2"; \
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
	$(BIN)/workbook serve $(if $(PORT),--port $(PORT))

lint: install-test
	$(BIN)/ruff check src tests benchmarks

typecheck: install-test
	$(BIN)/mypy

## The tests run in two lanes at the same time (docs/decisions.md, "Tests in half the time"):
## the parallel lane (pytest-xdist, TEST_WORKERS workers) runs everything not marked `serial`;
## the serial lane (tests/browser/, PostgreSQL, LibreOffice: marked `serial` by
## tests/conftest.py) runs one test after another in a second pytest beside it, its output
## kept in a file and printed after the parallel lane's. Either lane failing fails the target.
TEST_WORKERS ?= 3
PYTEST := $(BIN)/pytest -q -p no:cacheprovider
PARALLEL_LANE := $(PYTEST) -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder \
	-m "not serial" --durations=25 tests
SERIAL_LANE := $(PYTEST) -m serial --durations=15 tests

test-pytest: install-test sysdeps
	@log=$$(mktemp); \
	$(SERIAL_LANE) >"$$log" 2>&1 & serial=$$!; \
	echo "== parallel lane ($(TEST_WORKERS) workers; the serial lane runs beside it)"; \
	$(PARALLEL_LANE); parallel_rc=$$?; \
	wait $$serial; serial_rc=$$?; \
	echo "== serial lane (browser, PostgreSQL, LibreOffice; one test at a time)"; \
	cat "$$log"; rm -f "$$log"; \
	echo "== lanes: parallel exit $$parallel_rc, serial exit $$serial_rc"; \
	[ $$parallel_rc -eq 0 ] && [ $$serial_rc -eq 0 ]

## the old name of the pytest run
test-unit: test-pytest

## only the parallel lane (quick: no browser, PostgreSQL or LibreOffice)
test-fast: install-test
	$(PARALLEL_LANE)

## only the serial lane, one test after another
test-serial: install-test sysdeps
	$(SERIAL_LANE)

## nbval runs every shipped notebook against a fresh demo store
test-notebooks: install-test
	@tmp=$$(mktemp -d); \
	WORKBOOK_DATA_DIR=$$tmp $(BIN)/workbook demo >/dev/null && \
	WORKBOOK_DATA_DIR=$$tmp $(BIN)/pytest -q -p no:cacheprovider --nbval-lax notebooks; \
	rc=$$?; rm -rf $$tmp; exit $$rc

test: lint typecheck test-pytest test-notebooks

## the package's shape against the limits of docs/architecture.md (root modules, module and
## function sizes); tests/unit/test_structure.py holds the package to them
structure:
	$(or $(wildcard $(BIN)/python),$(PYTHON)) tests/structure.py

bench: install-test sysdeps
	$(BIN)/python benchmarks/run.py

## the wheel (dist/), with the bank, notebooks, templates and migrations as package data; a
## test (tests/integration/test_wheel.py, part of `make test`) installs it in a fresh venv and runs it
wheel: install-test
	$(BIN)/python -m build --outdir dist .

## interface catalogues (gettext, through Babel): for each domain, extract the English
## messages of the files babel-<domain>.cfg lists into src/workbook_helpers/locale/<domain>.pot,
## then merge them into every language's locale/<lang>/LC_MESSAGES/<domain>.po (new messages
## arrive with an empty msgstr for the translator; tests/integration/test_i18n.py fails until they are
## translated). See docs/languages.md, "Interface catalogues".
LOCALE := src/workbook_helpers/locale
DOMAINS := apps report
PYBABEL ?= $(BIN)/pybabel
messages:
	@for d in $(DOMAINS); do \
	  $(PYBABEL) -q extract -F babel-$$d.cfg -k n_:1,2 --add-location=file --sort-output \
	    --project=alliance-workbook --copyright-holder="Alliance Workbook" \
	    -o $(LOCALE)/$$d.pot . && \
	  if ls $(LOCALE)/*/LC_MESSAGES/$$d.po >/dev/null 2>&1; then \
	    $(PYBABEL) -q update -N --ignore-obsolete -D $$d -i $(LOCALE)/$$d.pot -d $(LOCALE); \
	  fi || exit 1; \
	done

clean:
	rm -rf $(VENV) artifacts .pytest_cache .ruff_cache .mypy_cache dist build src/workbook_helpers/data
