# Two commands for a fresh clone (Python 3.11+): `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test install lint types contracts pytest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

run: install
	PORT=$(PORT) $(BIN)/yiwang run

lint: install
	$(BIN)/ruff check yiwang tests bench
	$(BIN)/ruff format --check yiwang tests bench

contracts: install
	$(BIN)/lint-imports

types: install
	$(BIN)/mypy yiwang/core yiwang/domains/*/services.py yiwang/domains/*/selectors.py

pytest: install
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint contracts types pytest

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
