# venuewire developer commands. Every target creates .venv from pinned versions first.
# `make help` lists them.

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PIP    := $(PY) -m pip --disable-pip-version-check --quiet

.DEFAULT_GOAL := help
.PHONY: help install protoc demo generate check-generated lint format typecheck test matrix bench check lock clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): requirements/dev.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run make PYTHON=python3.x (3.11+)"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "error: venuewire needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade "pip>=24"
	$(PIP) install -r requirements/dev.lock
	$(PIP) install --no-deps --no-build-isolation -e .
	@touch $(STAMP)

install: $(STAMP) ## create .venv from requirements/dev.lock and install venuewire (editable)

# protoc's own tool environment: grpcio-tools 1.66.2 needs protobuf<6 (not .venv's) and stamps
# gencode 5.27.2, pyproject's protobuf floor (codegen/config.toml [protobuf]).
PROTOC_ENV   := .build/protoc
PROTOC_STAMP := $(PROTOC_ENV)/.installed-stamp

$(PROTOC_STAMP): requirements/protoc.lock | $(STAMP)
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run make PYTHON=python3.x (3.11+)"; exit 1; }
	rm -rf $(PROTOC_ENV)
	$(PYTHON) -m venv --without-pip $(PROTOC_ENV)
	$(PIP) --python $(PROTOC_ENV)/bin/python install --no-deps -r requirements/protoc.lock
	@touch $(PROTOC_STAMP)

protoc: $(STAMP) $(PROTOC_STAMP) ## create .build/protoc (the pinned protoc of `make generate`) from requirements/protoc.lock

# make demo's own light environment: the runtime dependencies and the [cli] extra only
# (requirements/demo.lock), venuewire installed editable. It runs the committed generated/
# (CI's drift check keeps it equal to schemas/; after editing schemas/, `make generate`).
DEMO_ENV   := .build/demo
DEMO_STAMP := $(DEMO_ENV)/.installed-stamp

$(DEMO_STAMP): requirements/demo.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run make PYTHON=python3.x (3.11+)"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "error: venuewire needs Python 3.11 or newer")'
	rm -rf $(DEMO_ENV)
	$(PYTHON) -m venv $(DEMO_ENV)
	$(DEMO_ENV)/bin/python -m pip --disable-pip-version-check --quiet install --no-deps -r requirements/demo.lock
	$(DEMO_ENV)/bin/python -m pip --disable-pip-version-check --quiet install --no-deps --no-build-isolation -e .
	$(DEMO_ENV)/bin/python -m pip --disable-pip-version-check check
	@touch $(DEMO_STAMP)

demo: $(DEMO_STAMP) ## every client against its embedded simulator, from a light runtime-only environment
	$(DEMO_ENV)/bin/venuewire demo

generate: $(STAMP) $(PROTOC_STAMP) ## regenerate generated/ from schemas/ (protoc + datamodel-code-generator + registry)
	$(PY) -m codegen

check-generated: $(STAMP) $(PROTOC_STAMP) ## fail if generated/ differs from a fresh build of schemas/
	$(PY) -m codegen --check

lint: $(STAMP) ## ruff lint and format check (generated/ excluded: it is output)
	$(PY) -m ruff check runtime codegen tests bench
	$(PY) -m ruff format --check runtime codegen tests bench

format: $(STAMP) ## apply ruff fixes and formatting
	$(PY) -m ruff check --fix runtime codegen tests bench
	$(PY) -m ruff format runtime codegen tests bench

typecheck: $(STAMP) ## mypy --strict over the installed package (generated code included) and codegen/
	rm -rf .build/typecheck
	$(PIP) install --no-deps --no-build-isolation --target .build/typecheck .
	cd .build/typecheck && ../../$(PY) -m mypy --config-file ../../pyproject.toml -p venuewire
	$(PY) -m mypy --config-file pyproject.toml -p codegen

test: $(STAMP) $(PROTOC_STAMP) ## run the test suite (the codegen proof tests run protoc: .build/protoc)
	$(PY) -m pytest

matrix: $(STAMP) ## compatibility matrix: protobuf 5.27.2 / newest 6.x / newest 7.x, and Python 3.12 / 3.13 (.ci/matrix)
	.ci/matrix

bench: $(STAMP) ## benchmarks, side by side with the official clients; prints ratios and targets
	$(PY) -m bench

check: check-generated lint typecheck test ## everything CI runs

lock: ## re-pin requirements/dev.lock from requirements/dev.in (needs the network to PyPI)
	rm -rf .build/lock && $(PYTHON) -m venv .build/lock
	.build/lock/bin/python -m pip --disable-pip-version-check --quiet install -r requirements/dev.in setuptools==84.2.1
	.build/lock/bin/python -m pip freeze --all | grep -v -E '^(pip|wheel)==' | sort -f > requirements/dev.lock

clean: ## remove the virtual environment and build output
	rm -rf $(VENV) .build build *.egg-info runtime/*.egg-info
