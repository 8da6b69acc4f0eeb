"""The embedder for a backend setting."""

from __future__ import annotations

from retrieval.embed.base import BACKENDS
from retrieval.embed.onnx_backend import OnnxEmbedder
from retrieval.embed.torch_backend import SentenceTransformerEmbedder
from retrieval.errors import VerbatimError


def make_embedder(
    model: str, backend: str, batch_size: int = 32
) -> SentenceTransformerEmbedder | OnnxEmbedder:
    """The embedder for a backend setting (see BACKENDS)."""
    if backend == "torch":
        return SentenceTransformerEmbedder(model, batch_size=batch_size)
    if backend in ("onnx", "onnx-int8"):
        return OnnxEmbedder(model, quantized=backend == "onnx-int8", batch_size=batch_size)
    raise VerbatimError(f"unknown EMBEDDING_BACKEND {backend!r}; use one of {', '.join(BACKENDS)}")
