# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo serve test lint typecheck bench eval fuzz screenshots clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev,web,dask]"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/readout demo
	@echo
	@echo "To open the channel board in a browser: make serve, then open http://127.0.0.1:8000/dyads/CHN-USA"
	@echo "(the API: http://127.0.0.1:8000/docs; Ctrl-C stops the server)"

# The web board and the JSON API over the demo database (made by make demo when missing).
serve: $(STAMP)
	test -f readout-demo.db || $(VENV)/bin/readout demo
	$(VENV)/bin/readout serve --db readout-demo.db

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
	$(PY) bench/bench_scale.py
	command -v wrk >/dev/null || (test "$$(id -u)" = 0 && apt-get install -y -qq wrk >/dev/null) || (echo "install wrk: apt-get install wrk" && false)
	$(PY) bench/bench_web.py
	$(PY) bench/bench_web.py readme

# The README's screenshots (docs/*.png) of the demo database, taken with Debian's Chromium.
screenshots: $(STAMP)
	test -f readout-demo.db || $(VENV)/bin/readout demo
	$(PY) scripts/screenshots.py --db readout-demo.db --out docs

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
