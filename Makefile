# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck bench eval fuzz clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/readout demo

test: $(STAMP)
	$(PY) -m pytest -q
	$(PY) -m mypy
	$(VENV)/bin/ruff check src tests bench

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench

typecheck: $(STAMP)
	$(PY) -m mypy

bench: $(STAMP)
	$(PY) bench/bench.py
	$(PY) bench/bench_store.py

# Measured accuracy (needs ../shared/eval): every `readout eval`, the textacy peer, then the
# README's Accuracy numbers regenerated from bench/accuracy.json.
eval: $(STAMP)
	$(PY) bench/accuracy.py run
	$(PY) bench/accuracy.py readme

# The long fuzzing run: every property of tests/test_fuzz.py with Hypothesis' "fuzz" profile
# (thousands of random cases each; `make test` runs a short, repeatable pass), then the README's
# figures regenerated from bench/fuzz.json. Fails if any input crashed readout.
fuzz: $(STAMP)
	$(PY) bench/fuzz.py run
	$(PY) bench/fuzz.py readme

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
