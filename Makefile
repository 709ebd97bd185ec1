# The README's contract: `make serve` and `make test` work from a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve test lint fmt install clean fuzz soak bench bench-profile

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Serve every app on its port (migrating the embedded databases and loading demo data once).
serve: $(STAMP)
	$(BIN)/trident serve all --demo

## The whole suite on SQLite; again on PostgreSQL + Redis when TEST_DATABASE_URL is set.
test: $(STAMP)
	TRIDENT_TEST_BACKEND=sqlite $(BIN)/pytest -n auto
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "--- again on PostgreSQL + Redis"; \
		TRIDENT_TEST_BACKEND=postgres $(BIN)/pytest -n auto; \
	fi

## The long property-based fuzz run (the fast profile is part of `make test`).
fuzz: $(STAMP)
	TRIDENT_FUZZ=long $(BIN)/pytest tests/reliability/test_fuzz.py

## Drive each app against a real server process for a bounded time, then check invariants.
soak: $(STAMP)
	$(BIN)/python -m tests.reliability.soak --app all $(SOAK_ARGS)

## Throughput and latency beside same-run baselines (docs/performance.md). Installs wrk.
bench: $(STAMP)
	$(BIN)/python -m bench run $(BENCH_ARGS)

## One request per scenario in-process, time split into auth/database/serialization/framework.
bench-profile: $(STAMP)
	$(BIN)/python -m bench profile $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src/trident/core

fmt: $(STAMP)
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache .mypy_cache
