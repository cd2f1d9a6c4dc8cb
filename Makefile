# Two commands on a fresh machine (Python 3.11 needed):
#   make refresh   build or update the warehouse from raw/ (python -m pipelines refresh)
#   make test      run the tests
# Both first set up .venv (once; again only when pyproject.toml changes) and the dbt manifest.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: refresh test lint format setup prepare dev ocr

refresh: setup
	$(BIN)/python -m pipelines refresh

# Two workers (the machine has two cores); a test module stays on one worker, so its warehouse
# fixture is built once.
test: setup
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

# ruff: lint and format check (CI runs it before the tests); `make format` rewrites in place
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

setup: $(STAMP) ocr prepare

# tesseract with its Simplified Chinese and orientation models reads scanned pages; a CJK font (1.8 MB)
# lets pdfium draw the tests' generated scans (their CJK text is in a font PDFs do not embed).
# Debian/Ubuntu; needs root or sudo.
ocr:
	@if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>&1 | grep -qx chi_sim \
			|| ! tesseract --list-langs 2>&1 | grep -qx osd || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-osd \
			fonts-droid-fallback fontconfig; \
	fi

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# dbt parse, only when dbt_project/target/manifest.json is missing or older than the project
prepare: $(STAMP)
	$(BIN)/python -m pipelines prepare

# The Dagster UI on http://localhost:3000, with run history kept in .dagster/
dev: setup
	mkdir -p .dagster && cp dagster.yaml .dagster/dagster.yaml
	DAGSTER_HOME=$(CURDIR)/.dagster $(BIN)/dagster dev -w workspace.yaml
