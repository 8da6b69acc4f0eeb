"""Plain BM25 (bm25s) behind a narrow interface: the lexical baseline of `verbatim eval reqa`.

Answering does not use it (its stemmed BM25 tables are in terms.py and are stored in the index)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.errors import VerbatimError


def _bm25s() -> Any:
    """bm25s, an optional dependency (the ``eval`` extra: ``pip install 'verbatim[eval]'``)."""
    try:
        import bm25s
    except ImportError as exc:
        raise VerbatimError(
            "the BM25 baseline needs bm25s: install the eval extra (pip install -e '.[eval]', or make install)"
        ) from exc
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    bm25s = _bm25s()
    return list(bm25s.tokenize(list(texts), stopwords="en", show_progress=False, return_ids=False))


class LexicalIndex:
    def __init__(self, model: Any = None, count: int = 0) -> None:
        self._model = model
        self._count = count

    @classmethod
    def build(cls, texts: Sequence[str]) -> LexicalIndex:
        bm25s = _bm25s()
        tokens = bm25s.tokenize(list(texts), stopwords="en", show_progress=False) if texts else None
        if tokens is None or not tokens.vocab:  # nothing but stop words: no term can ever match
            return cls(None, len(texts))
        model = bm25s.BM25()
        model.index(tokens, show_progress=False)
        return cls(model, len(texts))

    @property
    def count(self) -> int:
        return self._count

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for the query (zeros when no term matches)."""
        if self._model is None:
            return np.zeros(self._count, dtype=np.float32)
        tokens = tokenize([query])[0]
        if not tokens:
            return np.zeros(self._count, dtype=np.float32)
        return np.asarray(self._model.get_scores(tokens), dtype=np.float32)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "count").write_text(f"{self._count} {int(self._model is not None)}")
        if self._model is not None:
            self._model.save(str(folder))

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        bm25s = _bm25s()
        count, has_model = (int(x) for x in (folder / "count").read_text().split())
        model = bm25s.BM25.load(str(folder)) if has_model else None
        return cls(model, count)
