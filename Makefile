# make          set up the environment, build datapackage/ and validate it
# make test     lint and run the whole test suite
# make docs     build the documentation site into site/ (make serve: preview it locally),
#               with its query page (DuckDB-WASM, installed from package-lock.json by npm ci)
# make bench    time build, validate, rebuild and queries on synthetic corpora
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: all setup build validate check test lint bench clean docs serve chromium node

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
	$(BIN)/ruff check src tests docs benchmarks
	$(BIN)/ruff format --check src tests docs benchmarks

test: setup lint chromium node
	$(BIN)/pytest

# The docs are generated from schemas/ and the published datapackage/ (see docs/hooks.py).
docs: setup node
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

serve: setup node
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

# Debian's Chromium, which the browser tests drive; installed only when it is missing.
CHROMIUM := /usr/bin/chromium
chromium: $(CHROMIUM)

$(CHROMIUM):
	apt-get update && apt-get install -y chromium

# The query page's DuckDB-WASM and esbuild, exactly as package-lock.json pins them (npm ci);
# Debian's Node.js and npm are installed first when npm is missing.
NPM := /usr/bin/npm
node: node_modules/.installed

node_modules/.installed: package.json package-lock.json | $(NPM)
	npm ci
	touch $@

$(NPM):
	apt-get update && apt-get install -y nodejs npm

# Benchmarks on synthetic corpora of up to 10,000 sources; writes benchmarks/results.md.
# Not part of `make test`: it takes several minutes and a few GiB of disk under /tmp.
bench: setup chromium node
	cd benchmarks && ../$(BIN)/python run.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache .cache site test-artifacts
