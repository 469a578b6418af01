# Two commands on a fresh clone: `make demo` (set up, run the demo) and `make test` (set up, test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# the message catalogues, compiled for the source tree (a built wheel compiles its own)
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard shared/locale/*/LC_MESSAGES/antrian.po))

.PHONY: demo test lint setup clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

setup: $(STAMP) $(CATALOGUES)

demo: setup
	$(BIN)/antrian demo

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
