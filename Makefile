# Two commands on a fresh machine (Python 3.11 needed):
#   make refresh   build or update the warehouse from raw/ (python -m pipelines refresh)
#   make test      run the tests
# Both first set up .venv (once; again only when pyproject.toml changes) and the dbt manifest.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: refresh test setup prepare dev ocr office

refresh: setup
	$(BIN)/python -m pipelines refresh

# Two workers (the machine has two cores); a test module stays on one worker, so its warehouse
# fixture is built once.
test: setup
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

setup: $(STAMP) ocr office prepare

# tesseract with its Simplified Chinese and orientation models reads scanned pages (Debian/Ubuntu; needs root or sudo)
ocr:
	@if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>&1 | grep -qx chi_sim \
			|| ! tesseract --list-langs 2>&1 | grep -qx osd; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-osd; \
	fi

# LibreOffice Writer and the fonts it prints in: the tests print the seeds with it (tests/fixtures/writer_plain_prints.py)
OFFICE_FONTS := NotoSansCJK LiberationMono DroidSansFallback DejaVuSansMono
office:
	@missing=; command -v soffice >/dev/null 2>&1 || missing=soffice; \
	for font in $(OFFICE_FONTS); do fc-list : file 2>/dev/null | grep -q $$font || missing="$$missing $$font"; done; \
	if [ -n "$$missing" ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui \
			fonts-noto-cjk fonts-liberation2 fonts-droid-fallback fonts-dejavu-core fontconfig; \
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
