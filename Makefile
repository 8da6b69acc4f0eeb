# Verbatim: every command a developer or CI needs. `make demo` and `make test` work from a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# Milvus (pymilvus and Milvus Lite, with pyarrow and pandas: about 300 MB) lives in a second environment
# layered over .venv (it sees .venv's packages through a .pth file), so that .venv stays under 2 GB. The Milvus
# tests run with it; VECTOR_BACKEND=milvus users install the extra: pip install -e ".[milvus]".
MILVUS_VENV ?= .venv-milvus
MILVUS_PY := $(MILVUS_VENV)/bin/python
MILVUS_STAMP := $(MILVUS_VENV)/.installed-stamp
export NO_PROXY := 127.0.0.1,localhost
export no_proxy := 127.0.0.1,localhost
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install install-milvus demo test lint bench serve index clean-index venv-size

# torch is installed first, pinned to the CPU build, so that nothing pulls the CUDA build. PYTHONWARNINGS:
# setuptools warns on every editable install that folders named like the package could shadow it, which is
# nothing to act on; the first `make demo` stays quiet.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	PYTHONWARNINGS=ignore $(PY) -m pip install --quiet -e ".[dev,redis]"
	@if $(PY) -m pip list 2>/dev/null | grep -qi '^nvidia-'; then echo "CUDA packages were installed: refusing" >&2; exit 1; fi
	touch $(STAMP)

$(MILVUS_STAMP): $(STAMP)
	test -x $(MILVUS_PY) || $(PYTHON) -m venv $(MILVUS_VENV)
	$(PY) -c "import sysconfig; print(sysconfig.get_paths()['purelib'])" \
		> "$$($(MILVUS_PY) -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")/verbatim-base.pth"
	$(MILVUS_PY) -m pip install --quiet "pymilvus>=3.0,<4" "milvus-lite>=3.2,<4"
	@if $(MILVUS_PY) -m pip list 2>/dev/null | grep -qi '^nvidia-'; then echo "CUDA packages were installed: refusing" >&2; exit 1; fi
	touch $(MILVUS_STAMP)

install: $(STAMP)

install-milvus: $(MILVUS_STAMP)

demo: $(STAMP)
	$(VENV)/bin/verbatim index
	$(VENV)/bin/verbatim ask "what did Putin say about Rutte?"

test: $(STAMP) $(MILVUS_STAMP)
	$(PY) -m pytest
	$(MILVUS_PY) -m pytest tests/vectors  # the Milvus Lite tests (skipped above: no pymilvus in .venv)

lint: $(STAMP)
	$(VENV)/bin/ruff check retrieval bot tests benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# The Milvus step (serve memory and ask latency at 100k, FAISS vs Milvus Lite, and ReQA parity: it fails when
# P@1 or MRR@10 differ by more than 0.005) runs in .venv-milvus; RESULTS.md is then rendered again with its rows.
bench: $(STAMP) $(MILVUS_STAMP)
	$(PY) -m benchmarks.run
	$(MILVUS_PY) -m benchmarks.milvus_serve --save
	BENCH_RENDER=1 $(PY) -m benchmarks.run

serve: $(STAMP)
	$(VENV)/bin/verbatim serve

index: $(STAMP)
	$(VENV)/bin/verbatim index

clean-index:
	find index -mindepth 1 ! -name README.md -exec rm -rf {} +

venv-size:
	du -sh $(VENV) $(MILVUS_VENV)
