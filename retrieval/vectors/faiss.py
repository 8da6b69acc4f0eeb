"""The FAISS vector backend (the default, ``VECTOR_BACKEND=faiss``): build, search, save, load, count, kind.

Vectors are L2-normalised, so inner product is cosine similarity. Small indexes use exact search
(IndexFlatIP). Above ``exact_max`` vectors, ``VectorIndex.build`` makes an IVF index with 8-bit scalar
quantized codes (``IVF<nlist>,SQ8``: a quarter of the memory of float32) whose ``nprobe`` is calibrated at
build time until recall@10 against exact search reaches ``CALIBRATION_RECALL`` on held-out probe queries
(data vectors moved away from themselves, as questions are from their answers), never below MIN_NPROBE,
and each IVF search re-ranks its candidates with the exact vectors (read from the memory-mapped float32
vectors). FAISS files are read into memory: they hold 8-bit codes, a quarter of the vectors' size.
Nothing outside retrieval/vectors/ knows it is FAISS: the rest sees the ``VectorIndex`` protocol (base.py).
"""

from __future__ import annotations

import math
from pathlib import Path

import faiss
import numpy as np

from retrieval.vectors.base import Exact, probe_queries, recall_at, rows_of

DEFAULT_EXACT_MAX = 50_000
CALIBRATION_RECALL = 0.98  # the bench's bar is 0.95 on real questions, which are harder than the probes
MIN_NPROBE = 32  # and never fewer lists than this: probe queries flatter small nprobe values
_PROBES = 256
RERANK_FACTOR = 4  # an IVF search fetches this many times k candidates for exact re-ranking
_NPROBES = (4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512)


def nlist_for(n: int) -> int:
    """IVF list count for n vectors: about 2·sqrt(n), between 64 and 4096."""
    return int(min(4096, max(64, round(2 * math.sqrt(max(n, 1))))))


class FaissIndex:
    def __init__(self, dimension: int) -> None:
        self.dimension = dimension
        self._index: faiss.Index = faiss.IndexFlatIP(dimension)
        self._exact: Exact | None = None

    def attach_exact(self, exact: Exact) -> FaissIndex:
        """Where the exact vectors are: an IVF search then re-ranks RERANK_FACTOR·k candidates exactly, so
        that 8-bit codes only choose candidates and never decide the order or the scores."""
        self._exact = exact
        return self

    @classmethod
    def build(
        cls, vectors: np.ndarray, exact_max: int = DEFAULT_EXACT_MAX, dimension: int | None = None
    ) -> FaissIndex:
        """An index of ``vectors`` (rows are ids 0..n-1): exact up to ``exact_max`` rows, else IVF."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        dim = int(vectors.shape[1]) if vectors.ndim == 2 else int(dimension or 0)
        out = cls(dimension if dimension is not None else dim)
        if len(vectors) <= exact_max:
            out.index(vectors)
        else:
            ivf = _ivf(vectors)
            out._index = ivf
            out.attach_exact(rows_of(vectors))
            ivf.nprobe = calibrate(out, vectors)
        return out

    def index(self, vectors: np.ndarray) -> None:
        """Replace the contents with ``vectors`` (rows are ids 0..n-1), searched exactly."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != self.dimension:
            raise ValueError(f"expected vectors of dimension {self.dimension}, got shape {vectors.shape}")
        self._index = faiss.IndexFlatIP(self.dimension)
        if len(vectors):
            self._index.add(vectors)

    @property
    def kind(self) -> str:
        """"flat", or "ivf<nlist>-sq8-nprobe<p>-rerank"."""
        ivf = _as_ivf(self._index)
        if ivf is None:
            return "flat"
        return f"ivf{ivf.nlist}-sq8-nprobe{ivf.nprobe}-rerank"

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids), each of shape (len(queries), min(k, count)); best first (ids -1 past the end)."""
        k = min(k, self.count)
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        if k <= 0:
            empty = np.zeros((len(queries), 0))
            return empty.astype(np.float32), empty.astype(np.int64)
        if self._exact is None or _as_ivf(self._index) is None:
            return self._raw_search(queries, k)
        _, found = self._raw_search(queries, min(self.count, max(RERANK_FACTOR * k, k + 32)))
        scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
        ids = np.full((len(queries), k), -1, dtype=np.int64)
        for row, (q, cand) in enumerate(zip(queries, found, strict=True)):
            cand = cand[cand >= 0]
            exact = self._exact(cand) @ q
            best = np.lexsort((cand, -exact))[:k]
            scores[row, : len(best)] = exact[best]
            ids[row, : len(best)] = cand[best]
        return scores, ids

    def _raw_search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if len(queries) > 1:
            scores, ids = self._index.search(queries, k)
            return scores, ids
        # One query: one thread. FAISS would spread it over OpenMP threads, whose hand-offs cost more than
        # the search itself at these sizes (17 ms instead of 1.3 ms for 20k vectors on 2 busy cores).
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            scores, ids = self._index.search(queries, k)
        finally:
            faiss.omp_set_num_threads(threads)
        return scores, ids

    @property
    def count(self) -> int:
        return int(self._index.ntotal)

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path) -> FaissIndex:
        """Read an index written by ``save`` into memory; raises on a missing or damaged file. Attach the
        exact vectors (``attach_exact``) for IVF re-ranking.

        Not memory-mapped: an IVF search over FAISS's mapped lists took 2.4 ms at 1M vectors against 0.9 ms
        in memory, and the 8-bit codes are small (384 bytes a vector; the float32 vectors stay mapped)."""
        raw = faiss.read_index(str(path))
        out = cls(int(raw.d))
        out._index = raw
        return out


def _as_ivf(index: faiss.Index) -> faiss.IndexIVF | None:
    try:
        ivf = faiss.extract_index_ivf(index)
    except RuntimeError:
        return None
    return ivf if isinstance(ivf, faiss.IndexIVF) else None


def _ivf(vectors: np.ndarray) -> faiss.IndexIVF:
    n, dim = vectors.shape
    nlist = nlist_for(n)
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFScalarQuantizer(
        quantizer, dim, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
    )
    rng = np.random.default_rng(1)
    sample_size = min(n, max(40 * nlist, 20_000))
    sample = vectors[np.sort(rng.choice(n, size=sample_size, replace=False))] if sample_size < n else vectors
    index.cp.niter = 12
    index.train(np.ascontiguousarray(sample))
    index.add(vectors)
    return index


def calibrate(index: FaissIndex, vectors: np.ndarray, k: int = 10) -> int:
    """The smallest nprobe whose recall@k (re-ranked search) against exact search reaches
    CALIBRATION_RECALL on probe queries."""
    ivf = _as_ivf(index._index)
    assert ivf is not None
    queries = probe_queries(vectors, _PROBES)
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    _, truth = exact.search(queries, k)
    del exact
    for nprobe in (p for p in _NPROBES if p >= MIN_NPROBE):
        if nprobe >= ivf.nlist:
            return int(ivf.nlist)
        ivf.nprobe = nprobe
        _, found = index.search(queries, k)
        if recall_at(found, truth) >= CALIBRATION_RECALL:
            return nprobe
    return int(min(ivf.nlist, _NPROBES[-1]))
