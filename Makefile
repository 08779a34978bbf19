# One-stop-shop portal: the commands a developer needs (see README.md).
#
#   make run       demo on http://127.0.0.1:8000 (SQLite, Celery eager, demo accounts)
#   make test      full test suite on PostgreSQL + Redis
#   make lint      ruff check + ruff format --check + import contracts (lint-imports)
#   make messages  update and compile translations (vi, en)
#   make schema    write docs/openapi.yaml
#   make fuzz      long schemathesis run of the API (reports in fuzz-reports/)
#
# uv is called as `python3 -m uv` and installed with pip when missing; set UV=uv to use a
# standalone uv instead, PYTHON=... to pick another interpreter for that.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV ?= $(PYTHON) -m uv
VENV_PY := .venv/bin/python
MANAGE := $(VENV_PY) manage.py

# make run: the zero-setup demo (SQLite next to manage.py, tasks run eagerly in-process).
# Set here, not from .env: a production .env must not leak into the demo.
HOST ?= 127.0.0.1
PORT ?= 8000
# The address printed on slips (QR codes), in survey invitations and in messages: it must be
# the one the demo really answers on, so it follows HOST and PORT unless given.
PUBLIC_URL ?= http://$(HOST):$(PORT)
DEMO_DATABASE_URL ?= sqlite:///$(CURDIR)/db.sqlite3
# The demo server starts once, without the autoreloader (it imports the whole project a second
# time in a child process) and without the system checks (migrate has just run them): about
# 13 s of a first run. RUNSERVER_ARGS= brings both back while editing code.
RUNSERVER_ARGS ?= --noreload --skip-checks
DEMO_ENV := DJANGO_SETTINGS_MODULE=portal.settings.base DATABASE_URL=$(DEMO_DATABASE_URL) \
	DJANGO_DEBUG=true CELERY_EAGER=true DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost,$(HOST) \
	PORTAL_PUBLIC_URL=$(PUBLIC_URL)

# make test: real PostgreSQL and Redis (pytest-django creates and drops test_<name>).
DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/motcua
REDIS_URL ?= redis://127.0.0.1:6379/15
# Two processes (pytest-xdist), a test file stays on one process; PYTEST_ARGS="" for serial.
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: help uv sync run test lint format messages schema fuzz bench check-migrations

help:
	@sed -n '2,9p' Makefile | sed 's/^# \{0,1\}//'

# Install uv when missing, then check that the interpreter in .python-version can be found.
uv:
	@if ! $(PYTHON) -c "" >/dev/null 2>&1; then \
		echo "'$(PYTHON)' does not start here. With pyenv, install Python $$(cat .python-version)" \
			"(pyenv install $$(cat .python-version)), the version in .python-version; or run" \
			"make with PYTHON=/path/to/python3 (any version, it only runs uv)." >&2; \
		exit 1; \
	fi
	@if ! $(UV) --version >/dev/null 2>&1; then \
		echo "uv not found: installing it with pip"; \
		$(PYTHON) -m pip install --user --quiet uv 2>/dev/null \
			|| $(PYTHON) -m pip install --quiet uv \
			|| { echo "Could not install uv with pip (see above; a system Python may refuse)." \
				"Install uv another way (pipx install uv, or your package manager) and run" \
				"make again with UV=uv." >&2; exit 1; }; \
	fi
	@want=$$(cat .python-version); \
	if ! $(UV) python find "$$want" >/dev/null 2>&1; then \
		if [ "$${UV_PYTHON_DOWNLOADS:-automatic}" = "never" ]; then \
			echo "Python $$want (from .python-version) was not found and UV_PYTHON_DOWNLOADS=never" \
				"forbids downloading it." >&2; \
			echo "Install Python $$want (e.g. 'pyenv install $$want', or your system's python$$want" \
				"package) and run again." >&2; \
			exit 1; \
		fi; \
		echo "Python $$want (from .python-version) not found: uv will try to download it."; \
	fi

sync: uv
	@$(UV) sync --locked || { \
		echo "uv sync failed. The project needs Python $$(cat .python-version) (.python-version):" \
			"install it, or let uv download it (unset UV_PYTHON_DOWNLOADS)." >&2; exit 1; }

run: sync
	@echo "==> database: $(DEMO_DATABASE_URL)"
	@$(DEMO_ENV) $(MANAGE) migrate --noinput
	@echo "==> demo data"
	@$(DEMO_ENV) $(MANAGE) seed_demo
	@echo "==> Open $(PUBLIC_URL)/ : the citizens' front door; staff sign in with a demo account above."
	@# No beat task in the demo: report buckets are recomputed right after each change.
	@$(DEMO_ENV) REPORTS_RECOMPUTE_ON_COMMIT=true $(MANAGE) runserver $(RUNSERVER_ARGS) $(HOST):$(PORT)

test: sync
	@DATABASE_URL='$(DATABASE_URL)' REDIS_URL='$(REDIS_URL)' $(VENV_PY) scripts/check_services.py
	@DATABASE_URL='$(DATABASE_URL)' REDIS_URL='$(REDIS_URL)' \
		.venv/bin/pytest --ds=portal.settings.test $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure." >&2; fi; \
	exit $$status

# lint-imports checks who imports whom ([tool.importlinter] in pyproject.toml, DESIGN.md).
lint: sync
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports --no-logo

format: sync
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

# Fails when a model change has no migration. Uses a throwaway SQLite file, so it needs no server.
check-migrations: sync
	@tmp=$$(mktemp -d); \
	DJANGO_SETTINGS_MODULE=portal.settings.base DATABASE_URL="sqlite:///$$tmp/check.sqlite3" \
		$(MANAGE) makemigrations --check --dry-run; status=$$?; rm -rf "$$tmp"; exit $$status

messages: sync
	mkdir -p locale
	DJANGO_SETTINGS_MODULE=portal.settings.base $(MANAGE) makemessages -l vi -l en \
		--ignore=.venv --ignore=staticfiles --ignore=node_modules
	DJANGO_SETTINGS_MODULE=portal.settings.base $(MANAGE) compilemessages \
		--ignore=.venv --ignore=staticfiles --ignore=node_modules

schema: sync
	mkdir -p docs
	DJANGO_SETTINGS_MODULE=portal.settings.base $(MANAGE) spectacular --lang en --file docs/openapi.yaml \
		--validate
	@echo "wrote docs/openapi.yaml"

# The API against its schema (tests/portal/test_api_schemathesis.py) with many more generated
# requests than in `make test`: FUZZ_MAX_EXAMPLES per operation and phase, another FUZZ_SEED
# for other cases. pytest's log (each failure with a curl command to replay it) and a JUnit
# file go to FUZZ_REPORT_DIR. Zero failures expected.
FUZZ_MAX_EXAMPLES ?= 100
FUZZ_SEED ?= 1302
FUZZ_REPORT_DIR ?= $(CURDIR)/fuzz-reports
fuzz: sync
	@mkdir -p '$(FUZZ_REPORT_DIR)'
	@DATABASE_URL='$(DATABASE_URL)' REDIS_URL='$(REDIS_URL)' $(VENV_PY) scripts/check_services.py
	@DATABASE_URL='$(DATABASE_URL)' REDIS_URL='$(REDIS_URL)' FUZZ_MAX_EXAMPLES=$(FUZZ_MAX_EXAMPLES) \
		FUZZ_SEED=$(FUZZ_SEED) FUZZ_REPORT_DIR='$(FUZZ_REPORT_DIR)' \
		.venv/bin/pytest --ds=portal.settings.test -p no:cacheprovider -q \
		--junitxml='$(FUZZ_REPORT_DIR)/junit.xml' \
		tests/portal/test_api_schemathesis.py 2>&1 | tee '$(FUZZ_REPORT_DIR)/pytest.log'; \
	status=$${PIPESTATUS[0]}; echo "reports: $(FUZZ_REPORT_DIR)"; exit $$status

# Benchmarks (not tests): each creates its own database (BENCH_DATABASE_URL, default
# motcua_bench), starts gunicorn (and, for the national rollups, a Celery worker and beat) on
# 127.0.0.1 (exports, profile: in-process) and prints figures; first_run times `make run` in a
# fresh clone of the committed HEAD. Each records its figures with their targets in
# BENCH_RESULTS (emptied first), and the run ends with all of them in one table
# (benchmarks.results). A benchmark that fails (or outlives BENCH_STEP_TIMEOUT seconds) does not
# stop the others; make exits non-zero at the end then. About 15–20 minutes on 2 cores; the
# national one needs the bench group (DuckDB, pyarrow) and runs at its quick size.
# docs/performance.md records the figures.
BENCH_RESULTS ?= benchmarks/out/results.jsonl
BENCH_STEP_TIMEOUT ?= 1200
bench_failed := benchmarks/out/failed.txt
# One benchmark: SIGINT at the timeout, so it stops its servers and cleans up on the way out.
bench_step = echo "==> $(1)"; timeout -s INT $(BENCH_STEP_TIMEOUT) $(VENV_PY) -m $(1) \
	|| echo "$(1)" >> $(bench_failed)
bench: export BENCH_RESULTS := $(BENCH_RESULTS)
bench: sync
	$(UV) sync --locked --group bench
	@mkdir -p "$$(dirname '$(BENCH_RESULTS)')" benchmarks/out
	@: > '$(BENCH_RESULTS)'; : > $(bench_failed)
	@$(call bench_step,benchmarks.intake --direct --processes 2 --agencies 8)
	@$(call bench_step,benchmarks.intake --agencies 8)
	@$(call bench_step,benchmarks.tracking)
	@$(call bench_step,benchmarks.staff)
	@$(call bench_step,benchmarks.national)
	@$(call bench_step,benchmarks.exports)
	@$(call bench_step,benchmarks.profile)
	@$(call bench_step,benchmarks.first_run)
	@$(VENV_PY) -m benchmarks.results '$(BENCH_RESULTS)'
	@if [ -s $(bench_failed) ]; then echo "failed:" >&2; cat $(bench_failed) >&2; exit 1; fi
