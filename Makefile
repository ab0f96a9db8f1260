# `make dev`  : from a fresh clone to the running API on DynamoDB Local.
# `make test` : from a fresh clone to the whole suite (lint, types, SDL drift, template, tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export SAM_CLI_TELEMETRY := 0

.PHONY: dev test lint check-template dynamodb-local schema clean

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

dev: $(VENV)/.local-installed dynamodb-local
	$(BIN)/kado dev

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check functions tests
	$(BIN)/mypy
	$(BIN)/kado schema check

# The bundle is built for its real target (arm64, Python 3.12) into a throwaway dir.
check-template: $(VENV)/.dev-installed
	$(BIN)/cfn-lint template.yaml
	$(BIN)/sam validate --lint
	dir=$$(mktemp -d) && PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/sam build --build-dir $$dir \
		--cache-dir $$dir/cache > $$dir.log 2>&1 || { cat $$dir.log; exit 1; }; rm -rf $$dir $$dir.log

test: $(VENV)/.dev-installed dynamodb-local lint check-template
	$(BIN)/pytest -n 2 --dist loadfile

schema: $(VENV)/.local-installed
	$(BIN)/kado schema export

clean:
	rm -rf $(VENV) .cache .kado .aws-sam
