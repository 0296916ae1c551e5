# The two commands: `make run` and `make test`. Both create the virtual environment they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# mypy (strict, pyproject.toml) checks the packages and every test module that is not a test
# file itself: conftest.py files, harnesses, fakes and helpers (found afresh on each run).
TYPED := conversations storage bot $(shell find tests -name '*.py' ! -name 'test_*' | sort)

.PHONY: run test bench screenshots lint venv clean

run: $(STAMP)
	$(BIN)/yousaid consultation load config/consultations --open
	$(BIN)/yousaid serve

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(TYPED)
	# Both cores (pytest-xdist); a test file's module fixtures stay on one worker.
	scripts/run-tests -n 2 --dist loadscope --durations=20

# The benchmarks (minutes; never part of `make test`): figures appended to docs/benchmarks.md.
bench: $(STAMP)
	scripts/run-bench $(BENCH_ARGS)

# The console's main pages photographed into docs/screenshots/ for docs/console.md (about a
# minute; never part of `make test`, which writes nothing into docs/).
screenshots: $(STAMP)
	scripts/screenshots $(SCREENSHOTS_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
