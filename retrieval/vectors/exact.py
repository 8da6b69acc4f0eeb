"""The exact NumPy backend (``VECTOR_BACKEND=exact``): every search is a full matrix product.

The reference the approximate backends are tested against, and a backend with no native code for small
corpora. Ties are broken by id, as FAISS's flat index breaks them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from retrieval.vectors.base import Exact


class ExactIndex:
    def __init__(self, vectors: np.ndarray, dimension: int | None = None) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        dim = int(vectors.shape[1]) if vectors.ndim == 2 and vectors.shape[0] else int(dimension or 0)
        self._dimension = dim if dimension is None else dimension
        self._vectors = vectors.reshape(-1, self._dimension) if vectors.size else np.zeros((0, self._dimension),
                                                                                           np.float32)

    @classmethod
    def build(cls, vectors: np.ndarray, dimension: int | None = None) -> ExactIndex:
        return cls(np.ascontiguousarray(vectors, dtype=np.float32), dimension)

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def count(self) -> int:
        return int(self._vectors.shape[0])

    @property
    def kind(self) -> str:
        return "exact"

    def attach_exact(self, exact: Exact) -> ExactIndex:
        return self  # already exact

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        k = min(k, self.count)
        if k <= 0:
            empty = np.zeros((len(queries), 0))
            return empty.astype(np.float32), empty.astype(np.int64)
        scores = queries @ self._vectors.T
        ids = np.arange(self.count)
        order = np.stack([np.lexsort((ids, -row))[:k] for row in scores])
        return np.take_along_axis(scores, order, axis=1).astype(np.float32), order.astype(np.int64)

    def save(self, path: Path) -> None:
        with path.open("wb") as fh:
            np.save(fh, self._vectors)

    @classmethod
    def load(cls, path: Path) -> ExactIndex:
        with path.open("rb") as fh:
            return cls(np.load(fh))
