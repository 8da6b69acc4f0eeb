"""The Milvus Lite tests need the Milvus extra, which lives in .venv-milvus (see the Makefile: it keeps .venv
under 2 GB). `make test` runs tests/vectors a second time with that environment; in one without pymilvus these
modules are not collected."""

from __future__ import annotations

import importlib.util

collect_ignore_glob = [] if importlib.util.find_spec("pymilvus") else ["test_milvus*.py"]
