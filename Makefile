# Groeiwijzer TSO — developer commands. Quick start: `make run`, `make test`.
PYTHON ?= python3.12
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
PYTEST_WORKERS ?= 2  # pytest-xdist processes (the machines have 2 cores); 0 runs everything in one process
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run install install-dev test lint format migrations-check check-deploy messages compile-messages lock ci bench bench-http soak backup restore clean

$(STAMP): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.lock
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock -r requirements-dev.lock
	touch $(DEV_STAMP)

install: $(STAMP)  ## create or update .venv from the lock file

install-dev: $(DEV_STAMP)

# the port of `make run` (`make run PORT=8101`)
PORT ?= 8000

run: $(STAMP) compile-messages  ## migrate, load demo data, serve on http://127.0.0.1:$(PORT) with the mail worker and the scheduler beside it
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demo --port $(PORT)
	$(PY) scripts/run_dev.py 127.0.0.1:$(PORT)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates
	$(BIN)/mypy

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates

migrations-check: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run

test: $(DEV_STAMP) lint migrations-check compile-messages  ## lint + the whole test suite (browser tests skip without Chromium unless REQUIRE_BROWSER=1)
	$(BIN)/pytest -n $(PYTEST_WORKERS)

check-deploy: $(STAMP)  ## manage.py check --deploy with production settings and throwaway secrets
	DJANGO_SETTINGS_MODULE=groeiwijzer.settings_production \
	SECRET_KEY="throwaway-$$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')" \
	ALLOWED_HOSTS=groeiwijzer.example.nl \
	DATABASE_URL=sqlite:///$(CURDIR)/.check-deploy.sqlite3 \
	$(PY) manage.py check --deploy --fail-level WARNING

# The msgids are the Dutch texts, so only English has a catalogue (locale/en/LC_MESSAGES/django.po, committed; the .mo
# is compiled by `make run`, `make test` and the Dockerfile, not committed). README "Languages".
messages: $(STAMP)  ## update the English catalogue from the code and templates (then fill its new entries), compile it
	$(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=static --ignore=staticfiles --ignore=tests
	$(PY) scripts/merge_translations.py --compile

compile-messages:  ## compile locale/*/LC_MESSAGES/*.po to .mo (pure Python, no gettext needed)
	$(PY) scripts/merge_translations.py --compile

lock:  ## recompile the lock files from requirements*.in (needs uv)
	uv pip compile --python-version 3.12 --generate-hashes --quiet requirements.in -o requirements.lock
	uv pip compile --python-version 3.12 --generate-hashes --quiet requirements-dev.in -o requirements-dev.lock

bench: $(STAMP)  ## server time of the fill-in and consensus pages for 60 participants
	$(PY) scripts/bench_round.py

# Over HTTP against PostgreSQL (127.0.0.1:5432; README "Benchmarks"): ARGS=... passes options, e.g. ARGS="--quick"
bench-http: $(STAMP)  ## req/s of the key pages (gunicorn, production settings, 2 workers) against a bare Django view
	$(PY) scripts/bench_http.py $(ARGS)

soak: $(STAMP)  ## 10 minutes at a fixed rate above the national peak per app server, mixed roles; errors, p95, memory
	$(PY) scripts/soak.py $(ARGS)

# Back-ups of the database of DATABASE_URL (README "Back-ups"): `make backup` (FILE=... to choose the file),
# `make restore FILE=backups/...` (asks first; YES=1 does not)
backup: $(STAMP)  ## pg_dump (custom format) of the database of DATABASE_URL to backups/, or FILE=...
	$(PY) scripts/backup.py dump $(if $(FILE),--output "$(FILE)")

restore: $(STAMP)  ## replace the database of DATABASE_URL by the back-up FILE=... (pg_restore --clean)
	$(PY) scripts/backup.py restore $(if $(FILE),"$(FILE)") $(if $(YES),--yes)

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) db.sqlite3 .check-deploy.sqlite3
