"""The ``torch`` backend: sentence-transformers on PyTorch, as the model ships."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from retrieval.embed.base import length_order, resolve_model


class SentenceTransformerEmbedder:
    """sentence-transformers on PyTorch behind the Embedder protocol; L2-normalised float32 vectors."""

    def __init__(self, model: str, backend: str = "torch", batch_size: int = 64) -> None:
        if backend != "torch":
            raise ValueError(f"SentenceTransformerEmbedder runs the torch backend only, not {backend!r}")
        self._name = model
        self._batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self._name

    @property
    def backend(self) -> str:
        return "torch"

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
        step = self._batch_size  # one batch per call: progress as each batch finishes
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


# --- ONNX -----------------------------------------------------------------------------------------
