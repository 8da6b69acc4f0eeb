"""The vector backend: FAISS behind a narrow interface (index, search, save, load, count).

Vectors are L2-normalised, so inner product is cosine similarity. Exact search (IndexFlatIP) is used here;
nothing outside this file knows it is FAISS.
"""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np


class VectorIndex:
    def __init__(self, dimension: int) -> None:
        self.dimension = dimension
        self._index: faiss.Index = faiss.IndexFlatIP(dimension)

    def index(self, vectors: np.ndarray) -> None:
        """Replace the contents with ``vectors`` (rows are ids 0..n-1)."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != self.dimension:
            raise ValueError(f"expected vectors of dimension {self.dimension}, got shape {vectors.shape}")
        self._index = faiss.IndexFlatIP(self.dimension)
        if len(vectors):
            self._index.add(vectors)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids), each of shape (len(queries), min(k, count)); best first."""
        k = min(k, self.count)
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        if k <= 0:
            empty = np.zeros((len(queries), 0))
            return empty.astype(np.float32), empty.astype(np.int64)
        scores, ids = self._index.search(queries, k)
        return scores, ids

    @property
    def count(self) -> int:
        return int(self._index.ntotal)

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path) -> VectorIndex:
        """Read an index written by ``save``; raises on a missing or damaged file."""
        raw = faiss.read_index(str(path))
        out = cls(int(raw.d))
        out._index = raw
        return out
