# Two commands do all the set-up: `make run` (quick start on SQLite: the development
# server and one background-task worker) and `make test`
# (ruff and the whole suite on PostgreSQL, browser tests included).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal

.PHONY: run test lint messages bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.deps: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.deps

run: $(VENV)/.deps
	bin/ensure-packages --optional font
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	PYTHON=$(PY) bin/serve 127.0.0.1:8000

test: $(VENV)/.dev-deps
	bin/ensure-postgres
	bin/ensure-packages chromium font libreoffice
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DATABASE_URL=$(TEST_DATABASE_URL) $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Re-extract and compile the translation catalogues (needs GNU gettext; the compiled .mo
# files are committed so a machine without gettext still runs the portal).
messages: $(VENV)/.dev-deps
	$(PY) manage.py messages

bench: $(VENV)/.dev-deps
	bin/ensure-postgres
	@for script in bench/[a-z]*.py; do echo "== $$script"; DATABASE_URL=$(TEST_DATABASE_URL) $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
