# kil-consult: the commands the README opens with.
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3.13 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
# gunicorn's web workers for `make run` (served as the benchmark serves the app)
KIL_WORKERS ?= 2
KIL_PORT ?= 5000
export KIL_PORT  # the server, the worker and their email links agree on the port

.PHONY: run run-hub test tools test-browser test-postgres lint install install-dev assets check-migrations clean bench

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: install, migrate the SQLite database under instance/, load the demo, serve (gunicorn,
## KIL_WORKERS web workers), with
## the background worker (results recomputation, queued in instance/jobs.sqlite3) beside the
## server; stopping the server stops the worker
run: install
	$(FLASK) db upgrade
	$(FLASK) kil load-demo --if-empty
	@$(FLASK) kil worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(BIN)/gunicorn --workers $(KIL_WORKERS) --bind 127.0.0.1:$(KIL_PORT) app:app

## make run-hub: a demo Keep it Local Network hub (KIL_MODE=hub) on port 5001 beside a second
## demo council on port 5002, each with its own database, queue and worker under instance/; the
## hub harvests them and the council of `make run` (port 5000: start it first, in another
## terminal). Stopping it stops them all.
HUB_PORT ?= 5001
COUNCIL_B_PORT ?= 5002
HUB_ENV := KIL_MODE=hub KIL_PORT=$(HUB_PORT) KIL_DATABASE_URL=sqlite:///$(CURDIR)/instance/hub.sqlite3 \
	KIL_JOBS_PATH=$(CURDIR)/instance/hub-jobs.sqlite3 KIL_CACHE_PATH=$(CURDIR)/instance/hub-cache.sqlite3
COUNCIL_B_ENV := KIL_PORT=$(COUNCIL_B_PORT) KIL_DATABASE_URL=sqlite:///$(CURDIR)/instance/council-b.sqlite3 \
	KIL_JOBS_PATH=$(CURDIR)/instance/council-b-jobs.sqlite3 \
	KIL_CACHE_PATH=$(CURDIR)/instance/council-b-cache.sqlite3 KIL_COUNCIL_NAME="Wealden District Council" \
	KIL_COUNCIL_GSS_CODE=E07000065
run-hub: install
	$(COUNCIL_B_ENV) $(FLASK) db upgrade
	$(COUNCIL_B_ENV) $(FLASK) kil load-demo --if-empty
	$(HUB_ENV) $(FLASK) db upgrade
	$(HUB_ENV) $(FLASK) kil load-hub-demo --member http://127.0.0.1:$(KIL_PORT) \
		--member http://127.0.0.1:$(COUNCIL_B_PORT)
	@$(COUNCIL_B_ENV) $(FLASK) run --host 127.0.0.1 --port $(COUNCIL_B_PORT) & council=$$!; \
	$(HUB_ENV) $(FLASK) kil worker & worker=$$!; \
	trap 'kill $$council $$worker 2>/dev/null; wait $$council $$worker 2>/dev/null' EXIT; \
	sleep 3; $(HUB_ENV) $(FLASK) kil harvest; \
	$(HUB_ENV) $(FLASK) run --host 127.0.0.1 --port $(HUB_PORT)

## make tools: check (as root: install from Debian and npm) what the tests need besides Python
tools:
	.ci/ensure-tools

## make test: install the dev extras and the tools the tests need, lint, scan with bandit (no
## finding of medium severity or above) and run the whole suite (browser tests included), in
## TEST_WORKERS processes (pytest-xdist; each has its own database; TEST_WORKERS=0 runs serially)
TEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS))
test: install-dev tools
	$(BIN)/ruff check .
	$(BIN)/bandit -q -c pyproject.toml -r kil_consult app.py --severity-level medium
	$(PYTEST)

## make test-browser: only the real-browser journeys and accessibility checks
test-browser: install-dev tools
	$(BIN)/pytest tests/browser

## make test-postgres: the suite against the local PostgreSQL
test-postgres: install-dev tools
	KIL_TEST_DATABASE_URL=$${KIL_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(PYTEST)

## make check-migrations: an empty SQLite database reaches head and `flask db check` finds no drift
check-migrations: install
	rm -f /tmp/kil-migration-check.sqlite3*
	KIL_DATABASE_URL=sqlite:////tmp/kil-migration-check.sqlite3 $(FLASK) db upgrade
	KIL_DATABASE_URL=sqlite:////tmp/kil-migration-check.sqlite3 $(FLASK) db check

## make bench: the scale benchmarks under bench/ (not part of the test run)
bench: install
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## make assets: rebuild static/ from the pinned GOV.UK Frontend (needs Node.js and npm)
assets:
	npm ci
	npm run build

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
