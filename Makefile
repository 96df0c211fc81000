# Two commands do all the set-up: `make run` and `make test`. Both are idempotent.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.installed-test

.PHONY: run test bench samples clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# torch first, pinned: its CPU build lies on disk here; an open range pulls a multi-GB CUDA build.
$(INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e .
	# openai-whisper without its triton requirement (~290 MB, only for its CUDA kernels); pyproject lists the rest.
	$(PY) -m pip install -q --no-deps openai-whisper==20250625
	touch $@

$(TEST_INSTALLED): $(INSTALLED)
	$(PY) -m pip install -q -e ".[test]"
	touch $@

run: $(INSTALLED)
	$(VENV)/bin/voc run

test: $(TEST_INSTALLED)
	$(VENV)/bin/pytest

bench: $(INSTALLED)
	$(PY) bench/pipeline.py

# Regenerate the sample interviews (needs espeak-ng).
samples: $(INSTALLED)
	$(PY) scripts/make_samples.py

clean:
	rm -rf $(VENV) .voc
