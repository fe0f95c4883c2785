# Two entry points (README "Quick start"): `make demo` and `make test`. Only python3, pip and make needed.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SAMPLES = $(shell find samples -type f ! -name '*.expected.json' ! -name '*.py' ! -name '*.md' | sort)

.PHONY: demo test install install-test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Extract every sample and print what was found, a table per file. Bad-input samples are there on
# purpose: they print their error, and the command exits 2, which is the contract, not a failure here.
demo: install
	$(BIN)/cpd-evidence extract $(SAMPLES) || test $$? -eq 2

test: install-test
	$(BIN)/python -m pytest -q

bench: install-test
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var build *.egg-info
