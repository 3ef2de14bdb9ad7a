# make          set up the environment, build datapackage/ and validate it
# make test     lint and run the whole test suite
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: all setup build validate check test lint bench clean

all: validate

$(BIN)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --constraint requirements.lock --editable '.[dev,docs]'
	touch $@

setup: $(BIN)/.installed

build: setup
	$(BIN)/eaeu-facts build

validate: build
	$(BIN)/eaeu-facts validate
	$(BIN)/frictionless validate datapackage/datapackage.json

check: setup
	$(BIN)/eaeu-facts build --check

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

test: setup lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
