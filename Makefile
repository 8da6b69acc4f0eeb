# Verbatim: every command a developer or CI needs. `make demo` and `make test` work from a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
export NO_PROXY := 127.0.0.1,localhost
export no_proxy := 127.0.0.1,localhost
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install demo test lint bench serve index clean-index venv-size

# torch is installed first, pinned to the CPU build, so that nothing pulls the CUDA build. PYTHONWARNINGS:
# setuptools warns on every editable install that folders named like the package could shadow it, which is
# nothing to act on; the first `make demo` stays quiet.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	PYTHONWARNINGS=ignore $(PY) -m pip install --quiet -e ".[dev]"
	@if $(PY) -m pip list 2>/dev/null | grep -qi '^nvidia-'; then echo "CUDA packages were installed: refusing" >&2; exit 1; fi
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/verbatim index
	$(VENV)/bin/verbatim ask "what did Putin say about Rutte?"

test: $(STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check retrieval bot tests benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	$(PY) -m benchmarks.run

serve: $(STAMP)
	$(VENV)/bin/verbatim serve

index: $(STAMP)
	$(VENV)/bin/verbatim index

clean-index:
	find index -mindepth 1 ! -name README.md -exec rm -rf {} +

venv-size:
	du -sh $(VENV)
