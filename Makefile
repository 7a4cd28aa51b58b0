# The whole loop: `make demo`, `make test`, `make lint`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
DEMO_DB ?= demo.db

.PHONY: install demo test lint format bench serve eval gate clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/redline --db $(DEMO_DB) ingest examples/
	$(BIN)/redline --db $(DEMO_DB) statements --side russia
	$(BIN)/redline --db $(DEMO_DB) contradictions

test: install
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check src tests scripts/eval_gate.py benchmarks
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

serve: install
	$(BIN)/redline --db $(DEMO_DB) serve

eval: install
	$(BIN)/python -m pip install --quiet -e ".[eval]"
	$(BIN)/redline eval analysis devset
	$(BIN)/redline eval polnear ../shared/eval/polnear

gate: install
	$(BIN)/python scripts/eval_gate.py

bench: install
	$(BIN)/python benchmarks/extract_speed.py
	$(BIN)/python benchmarks/link_bench.py --n 1000000

format: install
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

clean:
	rm -rf $(VENV) *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache $(DEMO_DB)*
