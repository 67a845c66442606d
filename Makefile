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
	fonts-dejavu-core fonts-liberation fonts-noto-core chromium firefox-esr redis-server wrk nginx
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export OMP_THREAD_LIMIT := 1

# Browser tests drive Debian's Chromium through Playwright and Debian's Firefox ESR through
# puppeteer-core (WebDriver BiDi); neither tool's own browser download is ever used.
.PHONY: setup system-deps run test test-latest lock lint typecheck compose-check pytest kb coverage bench clean \
	extension extension-lint js-test bench-extension fuzz load bench-jobs bench-serve bench-http

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

# Python dependencies come from the lock files under requirements/ (made by `make lock`, every
# pin with its hashes): `uv pip sync` installs exactly those versions and removes anything else.
# uv itself is pinned in requirements/bootstrap.txt and installed by pip with its hashes.
# DEPS=latest (used by `make test-latest`) ignores the locks and takes the newest releases that
# pyproject.toml's bounds allow.
DEPS ?= locked
LOCKS := requirements/dev.txt requirements/runtime.txt requirements/bootstrap.txt
UV := $(BIN)/uv
UV_PIP := $(UV) pip --quiet

$(VENV)/.installed: pyproject.toml $(LOCKS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(UV) || $(BIN)/python -m pip install -q --require-hashes --no-deps \
		-r requirements/bootstrap.txt
ifeq ($(DEPS),latest)
	$(UV_PIP) install --python $(BIN)/python --upgrade -e '.[dev]'
	$(BIN)/python .ci/lock_drift.py requirements/dev.txt
else
	$(UV_PIP) sync --python $(BIN)/python --require-hashes requirements/dev.txt
	$(UV_PIP) install --python $(BIN)/python --no-deps -e .
endif
	touch $@

# JavaScript tooling (web-ext, axe-core), pinned by package-lock.json (DEPS=latest: the newest
# releases package.json allows, the lock file ignored).
node_modules/.installed: package.json package-lock.json
ifeq ($(DEPS),latest)
	npm install --no-audit --no-fund --no-package-lock --loglevel=error
	npm ls --depth=0
else
	npm ci --no-audit --no-fund --loglevel=error
endif
	touch $@

# Re-resolve every Python dependency to the newest release pyproject.toml allows and rewrite the
# locks (commit them after `make test` passes). The runtime and bootstrap locks are constrained
# by the dev lock, so all three pin the same versions.
LOCK_FLAGS := --generate-hashes --universal --python-version 3.11 --no-emit-index-url \
	--no-emit-find-links --quiet
lock: $(VENV)/.installed
	$(UV) pip compile pyproject.toml --extra dev --upgrade $(LOCK_FLAGS) -o requirements/dev.txt
	$(UV) pip compile pyproject.toml -c requirements/dev.txt $(LOCK_FLAGS) \
		-o requirements/runtime.txt
	$(UV) pip compile requirements/bootstrap.in -c requirements/dev.txt $(LOCK_FLAGS) \
		-o requirements/bootstrap.txt

# The whole of `make test` against the newest dependency releases the bounds allow (Python and
# npm), in a copy of this tree with its own environments: an upstream release that breaks the
# project shows here first. The copy is left in .latest/ to inspect.
LATEST := .latest
test-latest:
	rm -rf $(LATEST) && mkdir -p $(LATEST)/tree
	git ls-files -z --cached --others --exclude-standard | \
		$(PYTHON) -c 'import os, sys; names = sys.stdin.read().split("\0"); \
		sys.stdout.write("\0".join(n for n in names if n and os.path.lexists(n)))' | \
		xargs -0 cp --parents --no-dereference -t $(LATEST)/tree
	INCILENS_SHARED_DATA=$(abspath $(SHARED)) \
		$(MAKE) -C $(LATEST)/tree test DEPS=latest SHARED=$(abspath $(SHARED))

run: setup
	$(BIN)/incilens serve --host $(HOST) --port $(PORT)

test: setup lint compose-check js-test extension-lint pytest

lint: setup
	$(BIN)/ruff check service tests bench .ci
	$(BIN)/ruff format --check service tests bench .ci
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

typecheck: setup
	$(BIN)/mypy

compose-check:
	docker-compose -f docker-compose.yml config -q

pytest: setup
	INCILENS_TEST_DEPS=$(DEPS) $(BIN)/pytest

# Rebuild the packaged knowledge base from the public datasets.
kb: setup
	$(BIN)/python -m incilens.kb.build --source $(SHARED)

# Figures quoted in docs/ (docs/BENCHMARKS.md lists where).
bench: setup
	$(BIN)/python bench/bench_kb.py --shared $(SHARED)
	$(BIN)/python bench/eval_text.py
	$(BIN)/python bench/bench_text.py --shared $(SHARED) --repeat 5

# Long property, fuzz and schema runs; the counts reached are quoted in docs/TESTING.md.
fuzz: setup
	INCILENS_FUZZ_EXAMPLES=5000 INCILENS_PROPERTY_EXAMPLES=3000 INCILENS_SCHEMA_EXAMPLES=300 \
		$(BIN)/pytest -q tests/ocr/test_image_intake.py tests/core/test_text_properties.py tests/http/test_hardening_schema.py \
		--hypothesis-show-statistics

# Throughput, latency and overload behaviour of the real service (loopback, about 2-3 minutes).
load: setup
	$(BIN)/python bench/load.py --seconds 20

# Batch-job throughput with 1 and 2 Celery workers (loopback Redis; the scaling ratio).
bench-jobs: setup
	$(BIN)/python bench/jobs.py

# The HTTP path beside a hello-world route under the same gunicorn settings (about 2 minutes).
bench-http: setup
	$(BIN)/python bench/http_json.py

# gunicorn workers x threads on this machine, and memory per worker (about 30 minutes).
bench-serve: setup
	$(BIN)/python bench/serve_sizing.py

# The browser extension: dist/incilens-chrome.zip and dist/incilens-firefox.zip (and the
# unpacked trees beside them), built from the one source tree in extension/.
extension: node_modules/.installed
	node extension/scripts/build.mjs --out dist

# Mozilla's linter on the Firefox build: warnings are reported, errors fail.
extension-lint: extension
	npx --no-install web-ext lint --source-dir dist/firefox --no-input --warnings-as-errors

# The extension's pure logic under node --test (jsdom for the DOM parts).
js-test: node_modules/.installed
	node --test extension/test/

# Main-thread time of finding and highlighting on a 5,000-text-node page, beside a naive baseline.
bench-extension: setup
	$(BIN)/python bench/extension/run.py --repeat 30

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache dist $(LATEST)
