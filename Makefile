# Everything a developer or CI runs. Only Python 3.11 and pip are assumed; the rest installs itself.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements-dev.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint typecheck pytest bench lock messages e2e-deps clean

$(STAMP): requirements-dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-dev.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

venv: $(STAMP)

## make run: migrate SQLite, load the regions and the demo province, start on 127.0.0.1:8000
run: venv
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_regions --demo
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_demo
	@# The task worker (push e-mails and notifications) runs beside the server and stops with it.
	DJANGO_DEBUG=1 $(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

## make test: checks, then the whole suite (on PostgreSQL too when DATABASE_URL is set)
test: venv lint typecheck pytest

lint: venv
	$(BIN)/ruff check xiangzhen bench tests scripts conftest.py
	$(BIN)/ruff format --check xiangzhen bench tests scripts conftest.py
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python scripts/check_writes.py

typecheck: venv
	$(BIN)/mypy

# pytest exits 5 when it collected nothing: that is a failure here, not a silent pass.
pytest: venv
	$(BIN)/pytest -p no:cacheprovider; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$rc

## make bench: every bench/bench_*.py, each writing bench/results/<name>.json
bench: venv
	@set -e; found=0; for f in bench/bench_*.py; do \
	  [ -e "$$f" ] || continue; found=1; echo "== $$f"; $(BIN)/python $$f; done; \
	if [ $$found -eq 0 ]; then echo "no benchmarks under bench/ yet"; fi

## make lock: re-pin requirements*.lock from requirements*.in
lock: venv
	$(BIN)/pip-compile -q --strip-extras --no-header -o requirements.lock requirements.in
	$(BIN)/pip-compile -q --strip-extras --no-header -o requirements-dev.lock requirements-dev.in

## make messages: refresh the English catalog and compile it (pure Python, no gettext needed)
messages: venv
	$(BIN)/python scripts/compile_messages.py

## make e2e-deps: Debian's Chromium for the browser tests and nginx for the deploy test (root, as in CI)
e2e-deps:
	command -v chromium >/dev/null && command -v nginx >/dev/null || \
	  (apt-get update -q && apt-get install -y -q chromium nginx-light)

clean:
	rm -rf $(VENV) var staticfiles
