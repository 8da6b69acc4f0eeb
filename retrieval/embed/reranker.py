"""The cross-encoder reranker: a (question, sentence) pair in, one relevance score out.

A MiniLM-L6 cross-encoder fine-tuned from the packaged all-MiniLM-L6-v2 (``retrieval.eval.train_reranker``:
the data, its licences and the method are documented there), exported to ONNX and quantized to int8. The
file ships in the package (``models/reranker-int8.onnx``); the tokenizer is the packaged MiniLM's. Nothing is
fetched: a missing model file, or a missing runtime, makes ``load_reranker`` return None and the engine ranks
without it. Loaded lazily, once per process, on the first ``score``.

The sentence goes in with its attribution context (``pair_text``): the speaker label the index holds for it,
and, when the sentence is mostly a quotation, its neighbour (which often says who is speaking).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.embed.base import resolve_model

MODEL_PATH = Path(__file__).with_name("models") / "reranker-int8.onnx"
TOKENIZER_MODEL = "sentence-transformers/all-MiniLM-L6-v2"  # the packaged MiniLM: the reranker's vocabulary
MAX_LENGTH = 96  # tokens of question + sentence (+ context); the question is never cut, the passage may be
MAX_CONTEXT_CHARS = 200


def pair_text(sentence: str, speaker: str | None = None, context: str | None = None) -> str:
    """The passage side of a pair: the sentence, who the index says speaks in it, and a neighbouring sentence
    (for a bare quotation, where the speaker is named next to it). One copy, used by training and answering."""
    parts = [f"({speaker})" if speaker else "", sentence.strip()]
    if context:
        parts.append(f"[{context.strip()[:MAX_CONTEXT_CHARS]}]")
    return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class Pair:
    question: str
    passage: str  # pair_text(...)


class CrossEncoder:
    """An ONNX cross-encoder with the packaged MiniLM tokenizer; ``score`` is thread-safe."""

    def __init__(self, path: Path = MODEL_PATH, threads: int = 2) -> None:
        self.path = path
        self._threads = threads
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None
        self._inputs: tuple[str, ...] = ()

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._session is None:
                import onnxruntime as ort
                from tokenizers import Tokenizer

                tokenizer = Tokenizer.from_file(str(Path(resolve_model(TOKENIZER_MODEL)) / "tokenizer.json"))
                tokenizer.enable_truncation(MAX_LENGTH, strategy="only_second")
                tokenizer.enable_padding()
                options = ort.SessionOptions()
                options.intra_op_num_threads = self._threads
                options.inter_op_num_threads = 1
                # idle threads must not spin into the next question's FAISS and BLAS work on 2 cores
                options.add_session_config_entry("session.intra_op.allow_spinning", "0")
                session = ort.InferenceSession(str(self.path), options, providers=["CPUExecutionProvider"])
                self._inputs = tuple(i.name for i in session.get_inputs())
                self._tokenizer, self._session = tokenizer, session
            return self._session, self._tokenizer

    def score(self, pairs: Sequence[Pair]) -> np.ndarray:
        """One logit per pair (higher: the passage answers the question better); float64."""
        if not pairs:
            return np.zeros(0)
        session, tokenizer = self._load()
        encoded = tokenizer.encode_batch([(p.question, p.passage) for p in pairs])
        feed = {
            "input_ids": np.asarray([e.ids for e in encoded], dtype=np.int64),
            "attention_mask": np.asarray([e.attention_mask for e in encoded], dtype=np.int64),
            "token_type_ids": np.asarray([e.type_ids for e in encoded], dtype=np.int64),
        }
        out = session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]
        return np.asarray(out, dtype=np.float64).reshape(-1)


def runtime_available() -> bool:
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=4)
def load_reranker(path: Path = MODEL_PATH) -> CrossEncoder | None:
    """The shipped reranker (loaded on its first use), or None when its file or runtime is missing."""
    if not path.is_file() or not runtime_available():
        return None
    return CrossEncoder(path)
