# Two commands on a fresh machine (Python 3.11, pip, make):
#   make run    set up .venv, build the graph from data/, serve the API on 127.0.0.1:8000
#   make test   set up .venv with dev extras, run ruff, mypy and pytest
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

CHROMIUM := /usr/bin/chromium

.PHONY: run test lint build namespace clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[web]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[web,dev]'
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

test: lint chromium
	$(BIN)/pytest

# The browser tests (tests/api/test_browser.py) drive Debian's Chromium: install it when missing
# and apt-get can (as root, as CI runs); elsewhere those tests are skipped (under CI they fail).
chromium:
	@if [ ! -x $(CHROMIUM) ] && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "installing chromium with apt-get for the browser tests"; \
		{ timeout 300 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 900 \
			apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; } \
			|| echo "chromium is not installable here: the browser tests will be skipped"; \
	fi

# Regenerate kg/schema/namespace.py after changing ontology/llmkg.ttl.
namespace: $(VENV)/.installed
	$(BIN)/python tools/gen_namespace.py

clean:
	rm -rf $(VENV) build .mypy_cache .pytest_cache .ruff_cache
