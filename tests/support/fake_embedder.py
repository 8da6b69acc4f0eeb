"""A deterministic stand-in for the embedding model, for fast unit tests only.

Each lower-cased word is hashed to a fixed random unit vector; a text's vector is the normalised sum of its
words' vectors, so texts that share words are similar. Integration tests use the real model.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence

import numpy as np

_WORD = re.compile(r"\w+")


class FakeEmbedder:
    def __init__(self, dimension: int = 64, name: str = "fake-hash-embedder") -> None:
        self._dimension = dimension
        self._name = name
        self.calls: list[int] = []  # how many texts each encode call got

    @property
    def name(self) -> str:
        return self._name

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def backend(self) -> str:
        return ""  # not a real model: indexes built with it record no backend

    def _word(self, word: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")
        return np.random.default_rng(seed).standard_normal(self._dimension)

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        self.calls.append(len(texts))
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            words = _WORD.findall(text.lower())
            vec = sum((self._word(w) for w in words), np.zeros(self._dimension))
            norm = float(np.linalg.norm(vec))
            out[i] = vec / norm if norm else self._word("\0empty")/np.linalg.norm(self._word("\0empty"))
        if progress is not None:
            progress(len(texts))
        return out
