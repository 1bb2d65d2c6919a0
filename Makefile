# Two commands: `make lab` (set up and start JupyterLab) and `make test` (set up and run all tests).
# Everything lives in .venv; nothing is installed system-wide except Chromium (browser tests)
# and Prometheus (the /metrics tests scrape a real one), both from Debian's packages.
# `make lab` installs what running needs; test and lint tools come with `make test` / `make lint`.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Machines that already hold a CPU wheel pin it: `make test TORCH_SPEC=torch==2.13.0` (see .ci/run).
TORCH_SPEC ?= torch
# torchao backs the `quantize` refactor's preferred target; it has no install-time
# dependencies, and 0.18 supports torch >= 2.11. --no-deps keeps it from touching torch.
TORCHAO_SPEC ?= torchao==0.18.*
NOTEBOOK ?= examples/quickstart.ipynb
CHROMIUM ?= /usr/bin/chromium
PROMETHEUS ?= /usr/bin/prometheus
# Jupyter refuses to run as root unless told to (containers and CI machines run as root).
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u)),--allow-root,)
# JupyterLab opens (and prints) the notebook's own URL, in a workspace of its own that
# starts empty each time: the default workspace would reopen whatever was open last.
LAB_WORKSPACES := $(VENV)/lab-workspaces
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: lab test pytest jstest ui-test screenshots lint format build install clean

lab: $(VENV)/.installed build
	rm -rf $(LAB_WORKSPACES)
	$(BIN)/jupyter lab $(LAB_FLAGS) --LabApp.default_url=/lab/tree/$(NOTEBOOK) \
		--LabApp.workspaces_dir=$(LAB_WORKSPACES)

test: $(VENV)/.dev-installed build $(CHROMIUM) $(PROMETHEUS) ui-tests/node_modules/.installed
	$(MAKE) pytest
	$(MAKE) jstest
	$(MAKE) ui-test

pytest:
	$(BIN)/python -m pytest

# Unit tests of the front end's logic (jest, in Node; labextension/test/).
jstest: build
	jlpm test

ui-test:
	cd ui-tests && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 jlpm playwright test

# The browser tests again, saving their screenshots over the README's in docs/images.
screenshots:
	cd ui-tests && GREEN_ASSIST_UPDATE_SCREENSHOTS=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 jlpm playwright test

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check green_assist tests bench
	$(BIN)/ruff format --check green_assist tests bench
	$(BIN)/mypy
	jlpm lint:check

# Rewrite the sources the way `make lint` wants them (Python, TypeScript, CSS).
format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix green_assist tests bench
	$(BIN)/ruff format green_assist tests bench
	jlpm lint

install: $(VENV)/.dev-installed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip

# Torch first, pinned by TORCH_SPEC, so that the `torch` extra finds it satisfied.
$(VENV)/.installed: $(BIN)/python pyproject.toml package.json
	$(BIN)/pip install "$(TORCH_SPEC)"
	# jupyter-builder links the extension for development (recent JupyterLab ships it; 4.4 does not).
	$(BIN)/pip install -e ".[torch]" "jupyter-builder>=1.0"
	$(BIN)/pip install --no-deps "$(TORCHAO_SPEC)"
	$(BIN)/jupyter-builder develop --overwrite .
	touch $@

# pytest, Jupyter's test fixtures, ruff, mypy...: for `make test` and `make lint` only.
$(VENV)/.dev-installed: $(VENV)/.installed
	$(BIN)/pip install -e ".[torch,test,dev,mlflow]"
	touch $@

# The TypeScript bundle is rebuilt when its sources change (a few seconds).
build: $(VENV)/.installed
	jlpm build

$(CHROMIUM):
	apt-get update && apt-get install -y chromium

# Only the binary is used (tests run it on 127.0.0.1 in a temp folder), not its service.
$(PROMETHEUS):
	apt-get update && apt-get install -y --no-install-recommends prometheus

ui-tests/node_modules/.installed: ui-tests/package.json ui-tests/yarn.lock $(VENV)/.dev-installed
	cd ui-tests && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 jlpm install
	touch $@

clean:
	rm -rf $(VENV) node_modules lib green_assist/labextension tsconfig.tsbuildinfo ui-tests/node_modules
