# Réalisa — the two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint pytest bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstalled whenever pyproject.toml or constraints.txt changes: every package at the
# version CI tests (constraints.txt), as the production install does (docs/operations.md).
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# The demo's settings: its mode, and SITE_URL, from which e-mails and PDFs (QR codes) build
# their links, on the address it is served on (make demo PORT=8001 links to port 8001).
DEMO_ENV = REALISA_DEMO=1 SITE_URL=http://$(HOST):$(PORT)

## make demo: install, migrate, seed the demo data, serve on http://$(HOST):$(PORT)
demo: install
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input --verbosity 0
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo
	@echo "Réalisa est servi sur http://$(HOST):$(PORT)/ (Ctrl+C pour arrêter)"
	$(DEMO_ENV) $(BIN)/python manage.py runserver --insecure $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy realisa
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run --skip-checks

## pytest on SQLite, or on the database DATABASE_URL names (PostgreSQL in CI)
pytest: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## make test: lint, types, migrations check, then every test
test: lint pytest

## make bench: every benchmark, each figure next to a baseline measured in the same run,
## then one table of them all (bench/run_all.py; docs/performance.md says what each measures).
## Render and seal (one certificate), the month-start batch (10,000 dossiers, 2 processes),
## pages under gunicorn + wrk (Debian's package, installed when missing), CSV export.
## A missed target is printed and the next benchmark still runs.
bench: install
	@command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
