# Every target builds .venv on first use and re-installs only when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/mlquiz serve

# Lint first, so a lint error fails `make test` (and CI, which runs it).
test: lint
	$(BIN)/python -m pytest -n 2 -q

# mypy and lint-imports read their settings from pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/grading.py
	$(BIN)/python bench/storage.py --scale 0.05
	$(BIN)/python bench/ack.py
	$(BIN)/python bench/reveal.py
	$(BIN)/python bench/panels.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
