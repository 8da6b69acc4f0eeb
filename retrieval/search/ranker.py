"""The learned fusion of candidate features into one score: a tiny listwise-trained network, pure numpy.

score(x) = w2 · tanh(W1 x' + b1) + v · x', with x' the features standardised by the training mean and
std. It was fitted by ``retrieval.eval.calibrate`` on ReQA SQuAD dev, first 24 articles only (the other 24 are
held out), to maximise the softmax probability of a gold sentence among each question's candidates.
The weights ship as ``ranker.json`` beside this file; a missing or mismatched file falls back to a fixed
linear z-score fusion, so answering never depends on it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from retrieval.search.features import FEATURES

WEIGHTS_PATH = Path(__file__).with_name("ranker.json")


@dataclass(frozen=True)
class Ranker:
    features: tuple[str, ...]
    mean: np.ndarray
    std: np.ndarray
    w1: np.ndarray  # (features, hidden)
    b1: np.ndarray  # (hidden,)
    w2: np.ndarray  # (hidden,)
    v: np.ndarray  # (features,)
    note: str = ""

    def score(self, x: np.ndarray) -> np.ndarray:
        """One score per row of ``x`` (rows of FEATURES)."""
        if len(x) == 0:
            return np.zeros(0)
        z = (np.asarray(x, dtype=np.float64) - self.mean) / self.std
        hidden = np.tanh(z @ self.w1 + self.b1) if len(self.b1) else np.zeros((len(z), 0))
        return np.asarray(hidden @ self.w2 + z @ self.v, dtype=np.float64)

    def to_json(self) -> str:
        return json.dumps(
            {
                "features": list(self.features),
                "mean": self.mean.tolist(),
                "std": self.std.tolist(),
                "w1": self.w1.tolist(),
                "b1": self.b1.tolist(),
                "w2": self.w2.tolist(),
                "v": self.v.tolist(),
                "note": self.note,
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str) -> Ranker:
        d = json.loads(text)
        n = len(d["features"])
        w1 = np.asarray(d["w1"], dtype=np.float64).reshape(n, -1)
        return cls(
            features=tuple(d["features"]),
            mean=np.asarray(d["mean"], dtype=np.float64),
            std=np.asarray(d["std"], dtype=np.float64),
            w1=w1,
            b1=np.asarray(d["b1"], dtype=np.float64),
            w2=np.asarray(d["w2"], dtype=np.float64),
            v=np.asarray(d["v"], dtype=np.float64),
            note=str(d.get("note", "")),
        )


# Used when ranker.json is missing or was made for other features: z-score fusion of the main signals.
_FALLBACK = {"z_dense": 1.0, "z_bm25": 0.6, "z_dense_pas": 0.5, "z_bm25_para": 0.3, "z_bm25_doc": 0.3, "cover_win": 1.0}


def linear_ranker(weights: dict[str, float], features: tuple[str, ...] = FEATURES) -> Ranker:
    n = len(features)
    v = np.zeros(n)
    for name, w in weights.items():
        v[features.index(name)] = w
    return Ranker(features, np.zeros(n), np.ones(n), np.zeros((n, 0)), np.zeros(0), np.zeros(0), v, "fallback")


def read_ranker(path: Path, features: tuple[str, ...]) -> Ranker | None:
    """The ranker in ``path`` when it is there and made for ``features``, else None."""
    try:
        ranker = Ranker.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError):
        return None
    return ranker if ranker.features == features else None


@lru_cache(maxsize=4)
def load_ranker(path: Path = WEIGHTS_PATH) -> Ranker:
    """The shipped ranker, or the linear fallback when the file is missing or made for other features."""
    return read_ranker(path, FEATURES) or linear_ranker(_FALLBACK)
