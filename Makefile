# The two commands: `make run` and `make test`. Only Python 3.11+ and make are needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
LOGINS := .sprintsync/demo-logins.txt

.PHONY: run test lint format e2e clean-db help

help:
	@echo "make run    start SprintSync at http://localhost:8501 (metrics on :9464)"
	@echo "make test   run the whole test suite against a real PostgreSQL"
	@echo "make e2e    run the real-browser suite (installs chromium with apt-get if missing)"
	@echo "make lint   ruff check and format check"

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
	$(BIN)/sprintsync serve

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
