# skyorder: the one task runner. `make serve` and `make test` set everything up themselves.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: serve test lint typecheck unit install clean bench-orders bench-feasibility bench-weather fuzz

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Run the platform on the embedded default (SQLite, sandbox clock) with demo data.
serve: $(STAMP)
	$(BIN)/skyorder serve --demo

## Lint, type-check and run the whole test suite (SQLite; PostgreSQL too when
## SKYORDER_TEST_DATABASE_URL names a server, e.g. postgresql://postgres@127.0.0.1:5432/postgres).
test: $(STAMP) lint typecheck
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

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
