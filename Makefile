# Two entry points (README "Quick start"): `make demo` and `make test`. Only python3, pip and make needed.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

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

# The whole service path on the embedded default (SQLite and a blob folder under var/demo, no server):
# every sample uploaded for a demo member, read, its activities printed, then the member's CPD years.
# Bad-input samples are there on purpose: they end as failed uploads with their reason, and the
# command exits 2, which is the contract, not a failure here.
DEMO_SAMPLES = $(shell find samples -type f ! -name '*.expected.json' ! -name '*.py' ! -name '*.md' ! -path 'samples/export/*' | sort)

demo: install
	rm -rf var/demo
	CPD_DATA_DIR=var/demo $(BIN)/cpd-evidence ingest $(DEMO_SAMPLES) --member demo --role trust-administrator \
		--show-activities || test $$? -eq 2

# mypy --strict (pyproject [tool.mypy]) first, then the whole suite on every core (pytest-xdist), the
# import contracts and the slow end-to-end tests included.
test: install-test
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest -q -n auto

bench: install-test
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var build *.egg-info
