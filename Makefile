# INCI Lens: `make run` sets everything up and serves on http://127.0.0.1:8000;
# `make test` sets everything up and runs every check. Both are idempotent.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared/data
HOST ?= 127.0.0.1
PORT ?= 8000
APT_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd docker-compose \
	fonts-dejavu-core fonts-liberation fonts-noto-core chromium redis-server wrk nginx
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export OMP_THREAD_LIMIT := 1

# Browser tests drive Debian's Chromium through Playwright (its own browser download is never used).
.PHONY: setup system-deps run test lint typecheck compose-check pytest kb coverage bench clean \
	extension extension-lint js-test bench-extension fuzz load bench-jobs bench-serve

setup: system-deps $(VENV)/.installed node_modules/.installed

# Debian/Ubuntu packages, installed only when something is missing.
system-deps:
	@missing=""; \
	for pkg in $(APT_PACKAGES); do dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || missing="$$missing python3-venv"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

# JavaScript tooling (web-ext, axe-core), pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: setup
	$(BIN)/incilens serve --host $(HOST) --port $(PORT)

test: setup lint compose-check js-test extension-lint pytest

lint: setup
	$(BIN)/ruff check service tests bench
	$(BIN)/ruff format --check service tests bench
	$(BIN)/mypy

typecheck: setup
	$(BIN)/mypy

compose-check:
	docker-compose -f docker-compose.yml config -q

pytest: setup
	$(BIN)/pytest

# Rebuild the packaged knowledge base from the public datasets.
kb: setup
	$(BIN)/python -m incilens.kb.build --source $(SHARED)

# Figures quoted in the README.
bench: setup
	$(BIN)/python bench/bench_kb.py --shared $(SHARED)
	$(BIN)/python bench/eval_text.py
	$(BIN)/python bench/bench_text.py --shared $(SHARED) --repeat 5

# Long property, fuzz and schema runs; the counts reached are quoted in the README.
fuzz: setup
	INCILENS_FUZZ_EXAMPLES=5000 INCILENS_PROPERTY_EXAMPLES=3000 INCILENS_SCHEMA_EXAMPLES=300 \
		$(BIN)/pytest -q tests/fuzz tests/property tests/integration/test_hardening_schema.py \
		--hypothesis-show-statistics

# Throughput, latency and overload behaviour of the real service (loopback, about 2-3 minutes).
load: setup
	$(BIN)/python bench/load.py --seconds 20

# Batch-job throughput with 1 and 2 Celery workers (loopback Redis; the scaling ratio).
bench-jobs: setup
	$(BIN)/python bench/jobs.py

# gunicorn workers x threads on this machine, and memory per worker (about 30 minutes).
bench-serve: setup
	$(BIN)/python bench/serve_sizing.py

# The browser extension: dist/incilens-chrome.zip and dist/incilens-firefox.zip (and the
# unpacked trees beside them), built from the one source tree in extension/.
extension: node_modules/.installed
	node extension/scripts/build.mjs --out dist

# Mozilla's linter on the Firefox build: warnings are reported, errors fail.
extension-lint: extension
	npx --no-install web-ext lint --source-dir dist/firefox --no-input

# The extension's pure logic under node --test (jsdom for the DOM parts).
js-test: node_modules/.installed
	node --test extension/test/

# Main-thread time of finding and highlighting on a 5,000-text-node page, beside a naive baseline.
bench-extension: setup
	$(BIN)/python bench/extension/run.py --repeat 30

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache dist
