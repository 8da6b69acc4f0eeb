"""The vector-store seam: what the index and the engine need from a vector backend, and the pure helpers
every backend shares.

A backend keeps L2-normalised float32 vectors whose ids are their row numbers 0..n-1 and answers top-k inner
product (= cosine) searches. ``factory.py`` chooses one by the ``VECTOR_BACKEND`` setting: ``faiss``
(faiss.py, the default: exact up to a limit, IVF with 8-bit codes above) or ``exact`` (exact.py: NumPy, the
reference the others are tested against).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

Exact = Callable[[np.ndarray], np.ndarray]  # ids -> their exact (float32, normalised) vectors


class VectorIndex(Protocol):
    """A searchable set of vectors (ids are rows 0..n-1)."""

    @property
    def dimension(self) -> int: ...

    @property
    def count(self) -> int: ...

    @property
    def kind(self) -> str:
        """What it is, for the manifest and /stats: "flat", "ivf<nlist>-sq8-nprobe<p>-rerank", "exact"."""
        ...

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids), each of shape (len(queries), min(k, count)); best first (ids -1 past the end)."""
        ...

    def attach_exact(self, exact: Exact) -> VectorIndex:
        """Where the exact vectors are, for backends that re-rank approximate candidates exactly."""
        ...

    def save(self, path: Path) -> None: ...


def probe_queries(vectors: np.ndarray, count: int, seed: int = 0) -> np.ndarray:
    """Probe queries for calibration: random data vectors pushed to cosine 0.5 of themselves, normalised
    (about how far a question is from the sentence that answers it)."""
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(vectors), size=min(count, len(vectors)), replace=False)
    base = np.asarray(vectors[np.sort(rows)], dtype=np.float32)
    noise = rng.standard_normal(base.shape).astype(np.float32)
    noise -= (noise * base).sum(axis=1, keepdims=True) * base  # orthogonal to the vector
    noise /= np.maximum(np.linalg.norm(noise, axis=1, keepdims=True), 1e-12)
    out = 0.5 * base + 0.866 * noise
    return np.ascontiguousarray(out / np.linalg.norm(out, axis=1, keepdims=True), dtype=np.float32)


def recall_at(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean fraction of each row of ``truth`` ids that ``found`` has (ids < 0 never count)."""
    if truth.size == 0:
        return 1.0
    pairs = zip(found, truth, strict=True)
    hits = sum(len(set(f[f >= 0].tolist()) & set(t[t >= 0].tolist())) for f, t in pairs)
    return hits / max(1, int((truth >= 0).sum()))


def rows_of(vectors: np.ndarray) -> Exact:
    """Exact vectors by id: rows of a (memory-mapped) array."""

    def exact(ids: np.ndarray) -> np.ndarray:
        order = np.argsort(ids)  # sorted reads are kinder to a memory map
        out = np.empty((len(ids), vectors.shape[1]), dtype=np.float32)
        out[order] = vectors[ids[order]]
        return out

    return exact


def window_means(vectors: np.ndarray, first: np.ndarray, last: np.ndarray) -> Exact:
    """Exact vectors of windows of rows (passages): the L2-normalised mean of rows first[id]..last[id]."""

    def exact(ids: np.ndarray) -> np.ndarray:
        lo, hi = first[ids], last[ids]
        acc = np.zeros((len(ids), vectors.shape[1]), dtype=np.float64)
        for step in range(int((hi - lo).max()) + 1 if len(ids) else 0):
            rows = lo + step
            inside = rows <= hi
            acc[inside] += rows_of(vectors)(rows[inside])
        norms = np.linalg.norm(acc, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return np.asarray(acc / norms, dtype=np.float32)

    return exact


