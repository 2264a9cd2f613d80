# skyorder: the one task runner. `make serve` and `make test` set everything up themselves.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: serve test lint typecheck unit install clean console bench-orders bench-feasibility bench-weather bench-sandbox bench-placement fuzz

# The web console's browser code (console/) is bundled into the package by esbuild; the
# bundle is built here, never committed (see docs/decisions.md).
CONSOLE_DEPS := console/node_modules/.package-lock.json
CONSOLE_OUT := src/skyorder/api/console/static/console.js
CONSOLE_SRC := $(wildcard console/src/*.js console/src/*.css console/src/pages/*.js) console/build.mjs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[server,dev]'
	touch $(STAMP)

$(CONSOLE_DEPS): console/package-lock.json
	cd console && npm ci --no-audit --no-fund --loglevel=error

$(CONSOLE_OUT): $(CONSOLE_DEPS) $(CONSOLE_SRC)
	cd console && npm run --silent build

## Build the console's browser bundle.
console: $(CONSOLE_OUT)

install: $(STAMP) $(CONSOLE_OUT)

## Run the platform on the embedded default (SQLite, sandbox clock) with demo data.
serve: $(STAMP) $(CONSOLE_OUT)
	$(BIN)/skyorder serve --demo

## Lint, type-check and run the whole test suite (SQLite; PostgreSQL too when
## SKYORDER_TEST_DATABASE_URL names a server, e.g. postgresql://postgres@127.0.0.1:5432/postgres).
test: $(STAMP) $(CONSOLE_OUT) lint typecheck
	$(BIN)/pytest -q -n auto --dist loadfile -m "not serial"
	$(BIN)/pytest -q -m serial

lint: $(STAMP)
	$(BIN)/ruff check src tests $(wildcard bench)

typecheck: $(STAMP)
	$(BIN)/mypy

## Schemathesis over every operation with a large budget (make test runs a small one).
fuzz: $(STAMP)
	SKYORDER_FUZZ_EXAMPLES=$${SKYORDER_FUZZ_EXAMPLES:-100} SKYORDER_FUZZ_PHASES=examples,coverage,fuzzing \
		$(BIN)/pytest -q tests/e2e/test_fuzz.py

bench-orders: $(STAMP)
	$(BIN)/python bench/orders_list.py

bench-feasibility: $(STAMP)
	$(BIN)/python bench/feasibility.py

bench-weather: $(STAMP)
	$(BIN)/python bench/weather.py

## Sandbox time travel (issue 18's targets): one JSON line.
bench-sandbox: $(STAMP)
	$(BIN)/python bench/sandbox.py

## Order placement at 1 and 16 clients on SQLite and PostgreSQL (issue 13): JSON lines.
bench-placement: $(STAMP)
	$(BIN)/python bench/order_placement.py

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache console/node_modules \
		src/skyorder/api/console/static
