# Two commands do all the set-up on a machine with Python 3.11+ and make:
#   make reports   create .venv if missing, install, build every report from the demo data
#   make test      same set-up, then the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: env reports reports-yearly test test-fast lab validate demo-data sync-notebooks benchmarks clean-reports help

help:
	@echo "make reports         build reports/index.html from the demo data (sets up .venv first)"
	@echo "make reports-yearly  build reports/demo-yearly/index.html from the yearly demo data (data/raw/demo-yearly)"
	@echo "make test            run the whole test suite (sets up .venv first)"
	@echo "make lab             open the notebooks in JupyterLab"
	@echo "make validate DATA=dir   check a data folder against the contract"
	@echo "make demo-data       regenerate data/raw/demo from its seed"
	@echo "make sync-notebooks  re-pair notebooks/*.ipynb with their py:percent twins"

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "tzeval needs Python 3.11 or newer; set PYTHON=python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

env: $(INSTALLED)

reports: env
	$(BIN)/python -m tzeval reports

reports-yearly: env
	$(BIN)/python -m tzeval reports --data-dir data/raw/demo-yearly --out reports/demo-yearly

test: env
	$(BIN)/python -m pytest

test-fast: env
	$(BIN)/python -m pytest tests -m "not slow and not browser"

lab: env
	$(BIN)/jupyter lab notebooks/

validate: env
	$(BIN)/python -m tzeval validate --data-dir $(or $(DATA),data/raw/demo)

demo-data: env
	$(BIN)/python -m tzeval demo --out data/raw/demo

sync-notebooks: env
	cd notebooks && ../$(BIN)/jupytext --sync *.py

benchmarks: env
	$(BIN)/python benchmarks/bench_reports.py

clean-reports:
	rm -rf reports/index.html reports/summary.html reports/scale_gap.html reports/territories reports/results reports/assets \
		reports/notebooks reports/processed reports/demo-yearly
