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
	test-notebooks lint typecheck bench clean demo wheel messages structure screenshots

## the venv starts without pip (ensurepip alone took 5 s of a fresh install): the system's
## pip fetches uv into $(VENV)/uv, and uv installs everything, pip included; where the system
## has no pip or uv cannot be fetched, pip_install falls back to ensurepip and pip
$(BIN)/python:
	$(PYTHON) -m venv --without-pip $(VENV)
	@$(PYTHON) -m pip install --quiet --disable-pip-version-check --target $(VENV)/uv uv \
	  >/dev/null 2>&1 || echo "uv could not be fetched: pip will install"

## pip_install: install $(1) into the venv with uv (same resolution as pip, much faster:
## a fresh clone's venv and install took 21 s, 10 s of it compiling bytecode, against 60-100 s
## with pip; docs/decisions.md, "Tests in half the time"), or with pip where uv cannot be
## installed or fails. Then compile every module to bytecode, as pip would at install: where
## PYTHONDONTWRITEBYTECODE is set, as on these machines, Python never writes a .pyc itself,
## and every process would compile pandas, Jupyter and Altair from source again (importing
## pandas and Altair: 2.9 CPU-s instead of 0.9). The libraries' own test folders (a fifth of
## their modules, never imported by the workbook) are left out: 15 CPU-s instead of 20. The
## package's own sources too (editable).
define pip_install
	@if [ -x $(VENV)/uv/bin/uv ] && $(VENV)/uv/bin/uv pip install --quiet \
	  --python $(BIN)/python pip uv $(1); then :; \
	else echo "uv unavailable or failed: installing with pip"; \
	  $(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip --upgrade >/dev/null; \
	  $(BIN)/python -m pip install --quiet --no-compile $(1); fi
	@$(BIN)/python -m compileall -q -j 0 -x 'site-packages/(.*/)?tests?/' \
	  "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" src >/dev/null
endef

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(call pip_install,-e .)
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(call pip_install,-e ".[test]")
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
	$(LINT)

typecheck: install-test
	$(TYPECHECK)

## The tests run in lanes at the same time (docs/decisions.md, "Tests in half the time"):
## the parallel lane (pytest-xdist, TEST_WORKERS workers) runs everything not marked `serial`;
## the serial tests (tests/browser/, PostgreSQL, LibreOffice: marked `serial` by
## tests/conftest.py) run one after another in two serial lanes beside it, split by file
## (`serial2`: tests/conftest.py's SERIAL_LANE_2 and PostgreSQL). The lanes' output is kept
## in files and printed one lane after the other. Any lane failing fails the target.
TEST_WORKERS ?= 3
## nbval is the notebooks' plugin: the lanes do without it (loading it costs ~3 s of CPU in
## every pytest process and xdist worker: it imports nbformat and jsonschema first thing).
## pytest keeps each test module, its asserts rewritten, as bytecode in tests/__pycache__,
## unless PYTHONDONTWRITEBYTECODE is set (as on these machines): then every pytest process
## and worker rewrote all of them again (collecting: 7 CPU-s instead of 3). The lanes unset it.
## The browser tests' screenshots (artifacts/screenshots/) are for people to open: `make
## screenshots` takes them; the lanes skip them (WORKBOOK_SCREENSHOTS=0, ~35 CPU-s of
## Chromium making pictures of pages up to 12,000 px tall that nobody opens).
PYTEST := env -u PYTHONDONTWRITEBYTECODE WORKBOOK_SCREENSHOTS=0 $(BIN)/pytest -q \
	-p no:cacheprovider -p no:nbval
PARALLEL_LANE := $(PYTEST) -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder \
	-m "not serial" --durations=25 tests
## under `make test` the serial lanes start SERIAL_DELAY seconds after the parallel lane, so
## that its workers have rewritten the test modules they then read (they end a minute or more
## before the parallel lane; the machine is busy meanwhile)
SERIAL_DELAY ?= 20
SERIAL_LANE_1 := $(PYTEST) -m "serial and not serial2" --durations=10 tests
SERIAL_LANE_2 := $(PYTEST) -m serial2 --durations=10 tests
LATER_SERIAL_LANE_1 := sleep $(SERIAL_DELAY) && $(SERIAL_LANE_1)
LATER_SERIAL_LANE_2 := sleep $(SERIAL_DELAY) && $(SERIAL_LANE_2)
SERIAL_LANE := $(PYTEST) -m serial --durations=15 tests
NOTEBOOKS := tmp=$$(mktemp -d); \
	WORKBOOK_DATA_DIR=$$tmp $(BIN)/workbook demo >/dev/null && \
	WORKBOOK_DATA_DIR=$$tmp $(BIN)/pytest -q -p no:cacheprovider --nbval-lax notebooks; \
	rc=$$?; rm -rf $$tmp; exit $$rc

## run_lanes: start every NAME=VARIABLE of $(1) at once (the command in VARIABLE), each one's
## output in its own file; print each output, its exit code, its time and the CPU time of its
## processes as it ends (in the order given); fail when any failed
define run_lanes
	@dir=$$(mktemp -d); start=$$(date +%s); lanes=""; \
	$(foreach lane,$(1),name=$(word 1,$(subst =, ,$(lane))); \
	  ( s=$$(date +%s); ( $($(word 2,$(subst =, ,$(lane)))) ) >"$$dir/$$name.log" 2>&1; \
	    echo "$$? $$(( $$(date +%s) - s ))" >"$$dir/$$name.rc"; times >"$$dir/$$name.cpu" ) & \
	  lanes="$$lanes $$name:$$!";) \
	echo "== running at once:$(foreach lane,$(1), $(word 1,$(subst =, ,$(lane))))"; failed=""; \
	for lane in $$lanes; do \
	  name=$${lane%%:*}; wait $${lane##*:}; read rc secs <"$$dir/$$name.rc"; \
	  read user sys < <(tail -1 "$$dir/$$name.cpu"); \
	  echo "== $$name: exit $$rc after $$secs s (CPU: user $$user, system $$sys)"; \
	  cat "$$dir/$$name.log"; \
	  [ "$$rc" -eq 0 ] || failed="$$failed $$name"; \
	done; \
	echo "== every lane ended after $$(( $$(date +%s) - start )) s;$${failed:+ failed:$$failed}"; \
	rm -rf "$$dir"; [ -z "$$failed" ]
endef

TEST_LANES := parallel=PARALLEL_LANE serial-1=LATER_SERIAL_LANE_1 serial-2=LATER_SERIAL_LANE_2
test-pytest: install-test sysdeps
	$(call run_lanes,$(TEST_LANES))

## the old name of the pytest run
test-unit: test-pytest

## only the parallel lane (quick: no browser, PostgreSQL or LibreOffice)
test-fast: install-test
	$(PARALLEL_LANE)

## only the serial lane, one test after another
test-serial: install-test sysdeps
	$(SERIAL_LANE)

## every browser test, taking its screenshots into artifacts/screenshots/ (open them)
screenshots: install-test sysdeps
	env -u PYTHONDONTWRITEBYTECODE WORKBOOK_SCREENSHOTS=1 $(BIN)/pytest -q -p no:cacheprovider \
	  -p no:nbval tests/browser

## nbval runs every shipped notebook against a fresh demo store
test-notebooks: install-test
	@$(NOTEBOOKS)

LINT := $(BIN)/ruff check src tests benchmarks
TYPECHECK := $(BIN)/mypy

## everything at once: lint, types, the three test lanes and the notebooks are independent
## of each other, so `make test` runs them side by side (docs/decisions.md)
test: install-test sysdeps
	$(call run_lanes,lint=LINT typecheck=TYPECHECK $(TEST_LANES) notebooks=NOTEBOOKS)

## the package's shape against the limits of docs/architecture.md (root modules, module and
## function sizes); tests/unit/test_structure.py holds the package to them
structure:
	$(or $(wildcard $(BIN)/python),$(PYTHON)) tests/structure.py

bench: install-test sysdeps
	$(BIN)/python benchmarks/run.py

## the wheel (dist/), with the bank, notebooks, templates and migrations as package data; a
## test (tests/integration/test_wheel.py, part of `make test`) installs it in a fresh venv and runs it
wheel: install-test
	$(BIN)/python -m build $$($(BIN)/python -c 'import uv' 2>/dev/null && echo --installer uv) --outdir dist .

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
