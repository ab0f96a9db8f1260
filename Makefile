# `make dev`  : from a fresh clone to the running API on DynamoDB Local.
# `make test` : from a fresh clone to the whole suite (lint, types, SDL drift, template, tests).
# `make check`: the inner loop (lint, types, layers, unit, the scenarios on DynamoDB Local).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export SAM_CLI_TELEMETRY := 0

.PHONY: dev test check lint check-template dynamodb-local schema clean web chromium

$(VENV)/.local-installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[local]"
	touch $@

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.local-installed
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

dynamodb-local:
	bash infra/dynamodb-local.sh

# The till and console (web/): packages from the npm registry at build time, nothing
# fetched at run time. Rebuilt when a source file changes.
WEB_BUILT := web/dist/.built
$(WEB_BUILT): web/package.json web/package-lock.json web/build.mjs $(shell find web/src -type f)
	cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build
	touch $@

web: $(WEB_BUILT)

# The browser tests drive Debian's Chromium; installed here when it is missing.
# Chromium, and a Thai font: the pages are tested (and shot) in Thai too.
chromium:
	@{ command -v chromium >/dev/null 2>&1 && fc-list | grep -qi tlwg; } || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-thai-tlwg >/dev/null; }

# make dev PORT=8010 for another port.
PORT ?= 8000
dev: $(VENV)/.local-installed dynamodb-local web
	$(BIN)/kado dev --port $(PORT)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check functions tests
	$(BIN)/mypy
	$(BIN)/lint-imports --config pyproject.toml
	$(BIN)/kado schema check
	$(BIN)/kado lake check

# The bundle is built for its real target (arm64, Python 3.12) into a throwaway dir.
check-template: $(VENV)/.dev-installed
	$(BIN)/cfn-lint template.yaml
	$(BIN)/sam validate --lint
	dir=$$(mktemp -d) && PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/sam build --build-dir $$dir \
		--cache-dir $$dir/cache > $$dir.log 2>&1 || { cat $$dir.log; exit 1; }; rm -rf $$dir $$dir.log

test: $(VENV)/.dev-installed dynamodb-local web chromium lint check-template
	$(BIN)/pytest -n 2 --dist loadfile

# The inner loop: lint, types, the layers, unit tests and the scenarios on DynamoDB Local.
check: $(VENV)/.dev-installed dynamodb-local lint
	$(BIN)/pytest -n 2 --dist loadfile -q tests/unit tests/conformance

schema: $(VENV)/.local-installed
	$(BIN)/kado schema export

clean:
	rm -rf $(VENV) .cache .kado .aws-sam web/node_modules web/dist
