# The two commands: `make run` and `make test`. Only Python 3.11+ and make are needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
E2E_STAMP := $(VENV)/.installed-e2e
CHROMIUM  := /usr/bin/chromium
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DATA   ?= .sprintsync
LOGINS := $(DATA)/demo-logins.txt

.PHONY: run test lint format e2e screenshots clean-db help

help:
	@echo "make run    start SprintSync at http://localhost:8501 (metrics on :9464) and its API on :8502"
	@echo "make test   run the whole test suite against a real PostgreSQL"
	@echo "make e2e    run the real-browser suite (installs chromium with apt-get if missing)"
	@echo "make lint   ruff check, format check and mypy (strict) over sprintsync/"
	@echo "make screenshots  retake docs/screenshots from the running app with demo data"
	@echo "make clean-db  forget the demo workspace (stop make run first: Ctrl+C)"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed (set PYTHON=...)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/sprintsync db upgrade
	$(BIN)/sprintsync demo seed --if-empty --logins-file $(LOGINS)
	@test -f $(LOGINS) && cat $(LOGINS) || true
	@# The API (http://localhost:8502/api/v1/docs) runs beside the app and stops with it.
	@$(BIN)/sprintsync api & api=$$!; \
	trap 'kill $$api 2>/dev/null' EXIT INT TERM; \
	$(BIN)/sprintsync serve

test: $(STAMP)
	$(BIN)/python -m pytest -q --numprocesses=auto --maxprocesses=4

# Playwright drives Debian's chromium: its own browser download is never used.
$(E2E_STAMP): $(STAMP)
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/python -m pip install --quiet \
		--disable-pip-version-check -e '.[dev,e2e]'
	@touch $(E2E_STAMP)

$(CHROMIUM):
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends \
		chromium chromium-driver

# A failed test runs once more (an R, and `rerun` in the summary): see README.md, "Tests and benchmarks".
e2e: $(E2E_STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest -q -m e2e --reruns 1 tests/e2e

screenshots: $(E2E_STAMP) $(CHROMIUM)
	SPRINTSYNC_SCREENSHOTS=docs $(BIN)/python -m pytest -q -m e2e tests/e2e/test_docs_screenshots.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The embedded PostgreSQL of `make run` lives in $(DATA)/pgdata; the benchmark database in
# $(DATA)/bench is kept (it takes minutes to build).
clean-db:
	@pid=$$(head -n 1 $(DATA)/pgdata/postmaster.pid 2>/dev/null); \
	if [ -n "$$pid" ] && kill -0 "$$pid" 2>/dev/null; then \
		echo "The database in $(DATA)/pgdata is in use: stop make run (Ctrl+C) first."; exit 1; \
	fi
	rm -rf $(DATA)/pgdata $(LOGINS)
	@echo "Demo workspace removed; the next make run seeds a fresh one."
