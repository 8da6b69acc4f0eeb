"""The vector backend chosen by the ``VECTOR_BACKEND`` setting (as txtai's ``ANNFactory`` chooses its ANN).

An index records the backend it was built with (manifest ``vectors``), and is loaded with that backend.
Milvus (milvus.py) holds a whole generation's collections, written together and published by alias, so the
index builder writes them itself (retrieval/index/milvus_index.py); here it is only loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np

from retrieval.errors import VerbatimError
from retrieval.vectors.base import VectorIndex
from retrieval.vectors.exact import ExactIndex
from retrieval.vectors.faiss import DEFAULT_EXACT_MAX, FaissIndex

VectorBackend = Literal["faiss", "exact", "milvus"]
VECTOR_BACKENDS: tuple[VectorBackend, ...] = ("faiss", "exact", "milvus")


def _check(backend: str) -> None:
    if backend not in VECTOR_BACKENDS:
        raise VerbatimError(f"unknown VECTOR_BACKEND {backend!r}; use one of {', '.join(VECTOR_BACKENDS)}")


def build_vectors(
    backend: str, vectors: np.ndarray, exact_max: int = DEFAULT_EXACT_MAX, dimension: int | None = None
) -> VectorIndex:
    """A searchable index of ``vectors`` (rows are ids) with ``backend``."""
    _check(backend)
    if backend == "milvus":
        raise ValueError("Milvus collections are written per generation by retrieval.index.milvus_index")
    if backend == "exact":
        return ExactIndex.build(vectors, dimension)
    return FaissIndex.build(vectors, exact_max, dimension)


def load_vectors(backend: str, path: Path, *, uri: str | None = None) -> VectorIndex:
    """Read an index that ``save`` wrote; raises on a missing or damaged file. ``uri``: where Milvus is
    (default: where the index was built); a Milvus problem is a MilvusBackendError, with its fix."""
    _check(backend)
    if backend == "milvus":
        from retrieval.vectors.milvus import MilvusVectorIndex  # pymilvus (~1 s to import) only when used

        return MilvusVectorIndex.load(path, uri=uri)
    if backend == "exact":
        return ExactIndex.load(path)
    return FaissIndex.load(path)
