# obsgen: every target that needs the environment depends on `setup`, so on a fresh machine
# `make build` or `make test` works as the first command.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup system-deps build check test lint golden benchmark clean help docs deploy

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

setup: system-deps $(STAMP) ## Install promtool/prometheus (Debian) and the venv with obsgen

system-deps:
	@if ! command -v promtool >/dev/null || ! command -v prometheus >/dev/null; then \
		echo "Installing Debian's prometheus package (promtool and the server)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends prometheus; \
	fi
	@if ! command -v chromium >/dev/null; then \
		echo "Installing Debian's chromium (the runbook site's browser test)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

build: setup ## Compile definitions/ into build/
	$(BIN)/obsgen build

docs: setup ## Build the runbook site (mkdocs-material, --strict) into build/site/
	$(BIN)/obsgen docs

check: setup ## Build, then schema-check, promtool check rules and promtool test rules
	$(BIN)/obsgen check

test: setup ## Run the test suite (unit, golden, corpus, real promtool and Prometheus)
	$(BIN)/pytest

lint: setup ## ruff on src and tests, mypy --strict on src
	$(BIN)/ruff check src tests definitions benchmarks
	$(BIN)/mypy

golden: setup ## Regenerate the golden files on purpose; review the diff before committing
	OBSGEN_REGENERATE_GOLDEN=1 $(BIN)/pytest tests/golden -q

benchmark: setup ## Print build/check cold, no-op and after edits vs promtool at 1x and 2x of 5,000 rules (BENCH_ARGS="--scale 0.1")
	$(BIN)/python benchmarks/bench_check.py $(BENCH_ARGS)
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_lint.py
	$(BIN)/python benchmarks/bench_import.py

deploy: build ## Deploy dashboards to Grafana, rules to a ruler or Prometheus (env vars: README)
	$(BIN)/obsgen deploy grafana $(DEPLOY_FLAGS)
	@if [ -n "$$RULER_URL" ] || [ -n "$$PROMETHEUS_RULES_DIR" ]; then \
		echo "$(BIN)/obsgen deploy rules $(DEPLOY_FLAGS)"; \
		$(BIN)/obsgen deploy rules $(DEPLOY_FLAGS); \
	else \
		echo "Rules not deployed: set RULER_URL, or PROMETHEUS_RULES_DIR and PROMETHEUS_URL."; \
	fi

clean: ## Remove the venv and caches (build/ is committed and kept)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
