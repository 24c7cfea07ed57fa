# Tradewind: `make run` serves the embedded shop, `make test` runs the suite, `make check` lints
# (ruff, mypy and the import contracts of pyproject.toml), `make wheel-check` tries the wheel,
# `make screenshots` takes the console pictures in docs/console, `make vendor` refreshes the
# pinned browser files of web/vendor/ from the npm registry.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEBUG ?= 1
# The demo shop's sender address on customs papers (an illustration, not a real address).
DEMO_ADDRESS_LINES := ["Demo Warehouse, 88 Example Road", "Pudong New Area"]

.PHONY: install run test check format schema trusted-documents settings-doc migrate demo admin bench wheel-check screenshots vendor clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(BIN)/.installed

migrate: install
	$(BIN)/python cli.py migrate

demo: migrate
	$(BIN)/python cli.py load-demo

run: demo
	@echo "Serving http://$(HOST):$(PORT)/ (shop), /console/ (demo admin: admin@demo.example.com / tradewind-demo), /graphql"
	DEBUG=$(DEBUG) TRACKING_SIMULATOR_URL=$${TRACKING_SIMULATOR_URL:-http://$(HOST):$(PORT)} \
	SHOP_ADDRESS_LINES=$${SHOP_ADDRESS_LINES:-'$(DEMO_ADDRESS_LINES)'} SHOP_ADDRESS_CITY=$${SHOP_ADDRESS_CITY:-Shanghai} \
	SHOP_ADDRESS_POSTAL_CODE=$${SHOP_ADDRESS_POSTAL_CODE:-200120} \
	$(BIN)/python cli.py serve --host $(HOST) --port $(PORT)

# The first admin of a real shop: make admin EMAIL=you@example.com (asks for a password).
admin: migrate
	$(BIN)/python cli.py create-admin --email $(EMAIL)

test: install
	$(BIN)/pytest -q

check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

schema: install
	$(BIN)/python cli.py export-schema --output schema/schema.graphql

# The storefront's and console's documents, by hash, which the server always knows.
trusted-documents: install
	$(BIN)/python cli.py trusted-documents

# The README's settings table, from the comments in settings.py.
settings-doc: install
	$(BIN)/python cli.py settings-doc

# Builds the wheel, installs it in a fresh virtualenv and runs the shop from it.
wheel-check: install
	PYTHON=$(BIN)/python .ci/wheel-check

# The console's chart library, pinned in tools/vendor.py, checked and recorded in
# web/vendor/vendor.json.
vendor:
	$(PYTHON) tools/vendor.py

# The console pictures the README shows, taken by the browser tests on the demo shop.
screenshots: install
	CONSOLE_SCREENSHOTS=docs/console $(BIN)/pytest -q tests/browser/test_console_tour.py

bench: install
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) data .mypy_cache .ruff_cache .pytest_cache .import_linter_cache
