# netvaerk: `make run` serves the demo, `make test` runs the whole suite. Both set everything up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app netvaerk
STAMP := $(VENV)/.installed

.PHONY: setup run test test-postgres test-browser bench lint translations compile-translations migration wheel-check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,postgres,serve,browser]'
	touch $(STAMP)

setup: $(STAMP) compile-translations

compile-translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d translations

run: setup
	$(FLASK) db upgrade
	$(FLASK) demo --if-empty
	# Plain HTTP on this machine only, so the session cookie may not demand HTTPS here.
	NETVAERK_COOKIE_SECURE=0 $(FLASK) run --host 127.0.0.1 --port $(PORT)

test: setup
	$(BIN)/python tests/run_suite.py

test-postgres: setup
	NETVAERK_TEST_DATABASE_URL=$${NETVAERK_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
		$(BIN)/python tests/run_suite.py --postgres

test-browser: setup
	$(BIN)/python tests/run_suite.py --browser

bench: setup
	$(BIN)/python tests/benchmarks/run.py

lint: $(STAMP)
	$(BIN)/ruff check netvaerk tests
	$(BIN)/ruff format --check netvaerk tests
	$(BIN)/lint-imports

translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k _n:1,2 --no-location --sort-output -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile --use-fuzzy -d translations

migration: $(STAMP)
	$(FLASK) db migrate -m "$(m)"

clean:
	rm -rf $(VENV) dist build *.egg-info
