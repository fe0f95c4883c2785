# Two entry points (README "Quick start"): `make demo` and `make test`. Only python3, pip and make needed.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test install install-test ocr-data browser bench clean

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

# OCR (images, scanned PDFs) reads with Tesseract's English and page-orientation models: Debian's
# tesseract-ocr-eng and tesseract-ocr-osd (the engine itself comes with the tesserocr wheel). Installed here
# with apt-get where we are root (CI, containers); elsewhere the command to run is printed. The tests need
# them (OCR_REQUIRED=1); the demo goes on without, its image uploads then fail with ocr_unavailable.
OCR_REQUIRED ?= 1
ocr-data: install
	@$(BIN)/python -m extractors.ocr 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing tesseract-ocr-eng and tesseract-ocr-osd with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr-eng tesseract-ocr-osd \
	      >/dev/null && $(BIN)/python -m extractors.ocr; \
	  else $(BIN)/python -m extractors.ocr; test "$(OCR_REQUIRED)" = 0; fi; }

# The web pages' tests (tests/web, marker `browser`) drive headless Chromium through its WebDriver: Debian's
# chromium and chromium-driver, installed here with apt-get where we are root (CI, containers); elsewhere the
# command to run is printed. Selenium is given both paths, so it never downloads a browser or a driver.
BROWSER_REQUIRED ?= 1
browser:
	@{ chromium --version && chromedriver --version; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing chromium and chromium-driver with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver \
	      >/dev/null && chromium --version && chromedriver --version; \
	  else echo "The browser tests need Chromium and its driver: sudo apt-get install chromium chromium-driver"; \
	    test "$(BROWSER_REQUIRED)" = 0; fi; }

# The whole service path on the embedded default (SQLite and a blob folder under var/demo, no server):
# every sample uploaded for a demo member, read, its activities printed, then the member's CPD years.
# Bad-input samples are there on purpose: they end as failed uploads with their reason, and the
# command exits 2, which is the contract, not a failure here.
DEMO_SAMPLES = $(shell find samples -type f ! -name '*.expected.json' ! -name '*.py' ! -name '*.md' ! -path 'samples/export/*' | sort)

demo: install
	@$(MAKE) --no-print-directory ocr-data OCR_REQUIRED=0
	rm -rf var/demo
	CPD_DATA_DIR=var/demo $(BIN)/cpd-evidence ingest $(DEMO_SAMPLES) --member demo --role trust-administrator \
		--show-activities || test $$? -eq 2

# mypy --strict (pyproject [tool.mypy]) first, then the whole suite on every core (pytest-xdist), the
# import contracts, the slow end-to-end tests and the browser tests included. ocr-data installs Tesseract's
# data first, browser Chromium and its driver.
test: install-test ocr-data browser
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest -q -n auto

bench: install-test
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var build *.egg-info
