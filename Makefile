# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install browser demo test bench bench-db bench-crawl clean

$(BIN)/bantin: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/bantin

install: $(BIN)/bantin

demo: install
	$(BIN)/bantin demo --db bantin-demo.db

# The Datasette page is tested in a real headless Chromium, Debian's package.
browser:
	@command -v chromium >/dev/null || ($(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null)

test: install browser
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/bench_extract.py

# The database at scale (default 1,000,000 synthetic articles: about 35 minutes on 2 cores).
ARTICLES ?= 1000000
bench-db: install
	$(BIN)/python benchmarks/bench_db.py --articles $(ARTICLES)

# The crawl at scale: a generated 10,000-article portal on loopback, bantin beside a bare Scrapy spider.
bench-crawl: install
	$(BIN)/python benchmarks/bench_crawl.py

clean:
	rm -rf $(VENV) bantin-demo.db* .pytest_cache
