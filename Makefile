# netvaerk: `make run` serves the demo, `make test` runs the whole suite. Each sets up what it needs:
# `make run` only the app (a fresh clone serves in about a minute), `make test` the test tools too.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app netvaerk
# --no-compile: Python compiles what is imported when it is first imported, not every module
# of every package at install time (about 20 s of CPU for the app alone here).
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-compile
# The app alone: what `make run` needs.
APP_STAMP := $(VENV)/.installed-app
# The app with the test, PostgreSQL, serving and browser extras: what the tests and tools need.
STAMP := $(VENV)/.installed

.PHONY: setup setup-app run test test-all test-postgres test-browser bench soak lint translations compile-translations migration wheel-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(APP_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) -e .
	touch $(APP_STAMP)

$(STAMP): pyproject.toml | $(BIN)/python
	$(PIP) --upgrade pip
	$(PIP) -e '.[test,postgres,serve,browser]'
	touch $(STAMP) $(APP_STAMP)

PROVIDER := tests/sso/provider
PROVIDER_STAMP := $(PROVIDER)/node_modules/.installed

# The real OpenID provider of the single sign-on tests (Node.js); without node they are skipped.
$(PROVIDER_STAMP): $(PROVIDER)/package.json $(PROVIDER)/package-lock.json
	@if command -v npm >/dev/null; then \
		cd $(PROVIDER) && npm ci --no-audit --no-fund --silent && touch node_modules/.installed; \
	else echo "npm not found: the OpenID Connect tests will be skipped"; fi

# Everything the tests and tools need (the SSO provider's npm packages included).
setup: $(STAMP) compile-translations $(PROVIDER_STAMP)

# Only what serving the app needs: no test tools, no npm.
setup-app: $(APP_STAMP) compile-translations

compile-translations: $(APP_STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d translations
	$(BIN)/pybabel compile -d examples/intranet/translations

run: setup-app
	$(FLASK) db upgrade
	$(FLASK) demo --if-empty
	# The worker (periodic jobs, the mail outbox) runs in the background and is stopped with the
	# server. Plain HTTP on this machine only, so the session cookie may not demand HTTPS here.
	$(FLASK) worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		NETVAERK_COOKIE_SECURE=0 $(FLASK) run --host 127.0.0.1 --port $(PORT)

test: setup
	$(BIN)/python tests/run_suite.py

test-postgres: setup
	NETVAERK_TEST_DATABASE_URL=$${NETVAERK_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
		$(BIN)/python tests/run_suite.py --postgres

test-browser: setup
	$(BIN)/python tests/run_suite.py --browser

test-all: setup
	$(BIN)/python tests/run_suite.py --with-browser

# Small by default (5 networks x 1 year); BENCH_ARGS="--full" for 300 networks x 5 years.
bench: setup
	$(BIN)/python tests/benchmarks/run.py $(BENCH_ARGS)

# gunicorn -w 4 with Redis rate limits for 5 minutes; SOAK_ARGS="--seconds 60" for less.
soak: setup
	$(BIN)/python tests/benchmarks/soak.py $(SOAK_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check netvaerk tests
	$(BIN)/ruff format --check netvaerk tests
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_transactions.py netvaerk

translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k _n:1,2 --no-location --sort-output -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile --use-fuzzy -d translations
	$(BIN)/pybabel compile -d examples/intranet/translations

migration: $(APP_STAMP)
	$(FLASK) db migrate -m "$(m)"

clean:
	rm -rf $(VENV) dist build *.egg-info
