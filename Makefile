# onixfeed: `make run` exports the example records, `make test` runs the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

run: install
	$(BIN)/onixfeed export records --out feeds

test: install
	$(BIN)/python -m pytest -q -n auto

# Benchmarks need xmllint (Debian's libxml2-utils) as a peer; installed here when missing.
bench: install
	@command -v xmllint >/dev/null || (apt-get update -qq && apt-get install -y -qq libxml2-utils) || \
		echo "xmllint not available: install libxml2-utils to compare against it"
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) feeds .pytest_cache bench-data
