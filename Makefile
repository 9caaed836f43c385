# Two commands on a fresh machine (Python 3.11, pip, make):
#   make run    set up .venv, build the graph from data/, serve the API on 127.0.0.1:8000
#   make test   set up .venv with dev extras, run ruff, mypy and pytest
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint build namespace clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/kg build
	$(BIN)/kg serve

build: $(VENV)/.installed
	$(BIN)/kg build

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check kg api tests tools benchmarks
	$(BIN)/ruff format --check kg api tests tools benchmarks
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

# Regenerate kg/namespace.py after changing ontology/llmkg.ttl.
namespace: $(VENV)/.installed
	$(BIN)/python tools/gen_namespace.py

clean:
	rm -rf $(VENV) build .mypy_cache .pytest_cache .ruff_cache
