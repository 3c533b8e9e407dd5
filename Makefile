# The two set-up commands: `make run` (serve the site) and `make test` (run
# every test and lint). Both install what they need into .venv/ and
# node_modules/ first; nothing is assumed beyond Python 3.11, pip and node.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
ADDR ?= 127.0.0.1:8000
# Services for the integration tests; .ci/run starts them when they are down.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tutor
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.DEFAULT_GOAL := help
.PHONY: help run test lint unit integration bench setup assets browser clean

help:
	@echo "make run    install, migrate, load the course, create demo accounts, serve on $(ADDR)"
	@echo "make test   install test tools, lint, run every test (integration: PostgreSQL + Redis)"
	@echo "make bench  run the benchmarks and print their figures (QUICK=1: a few minutes)"

$(VENV)/.base: requirements/base.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.dev: $(VENV)/.base requirements/dev.txt
	$(PY) -m pip install --quiet -r requirements/dev.txt
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

static/dist/.built: node_modules/.package-lock.json scripts/build-assets.mjs $(wildcard static/src/*)
	npm run --silent build
	touch $@

assets: static/dist/.built

# A development .env (DEBUG on, a random secret key) on the first run only.
.env:
	printf 'DEBUG=True\nSECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@

setup: $(VENV)/.base assets .env
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py load_course
	$(PY) manage.py setup_demo

run: setup
	@echo "Serving on http://$(ADDR)/ (Ctrl-C stops the site and its grading worker)"
	$(PY) manage.py devserver $(ADDR)

# Headless Chromium for the browser tests and the cheat-sheet PDFs, from
# Debian's packages, with the maths font the sheets are set in.
BROWSER_PACKAGES := chromium fonts-dejavu-extra
browser:
	@{ test -x /usr/bin/chromium && dpkg -s fonts-dejavu-extra >/dev/null 2>&1; } || { \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null; }; \
	  else echo "note: install $(BROWSER_PACKAGES) (apt-get); without Chromium the browser tests are skipped"; fi; }

lint: $(VENV)/.dev .env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --check --lint
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run --verbosity 0

# Unit and browser tests on every core (each pytest-xdist process has its own
# test database and sandbox hosts); the integration tests run one at a time,
# since they start worker processes and restart Redis.
unit: $(VENV)/.dev assets .env
	$(VENV)/bin/pytest -m "not integration" -n auto --durations=30

integration: $(VENV)/.dev assets .env
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(VENV)/bin/pytest -m integration

test: browser lint unit integration

bench: $(VENV)/.dev assets .env
	$(PY) -m benchmarks $(if $(QUICK),--quick)

clean:
	rm -rf $(VENV) node_modules static/dist staticfiles var
