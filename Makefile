# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install demo test bench clean

$(BIN)/bantin: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/bantin

install: $(BIN)/bantin

demo: install
	$(BIN)/bantin demo --db bantin-demo.db

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/bench_extract.py

clean:
	rm -rf $(VENV) bantin-demo.db* .pytest_cache
