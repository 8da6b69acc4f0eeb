"""Pure scoring: fusing retrieval signals into one ranking, over arrays. No I/O, no models.

Each candidate sentence has four signals:
- ``dense``: cosine of the question and the sentence;
- ``dense_ctx``: the best cosine of the question and a passage (window of sentences) containing it;
- ``lex``: BM25 of the question against the sentence;
- ``lex_ctx``: the best BM25 of a passage containing it.
Signals are z-normalised over the candidate set and summed with weights (z-score fusion).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Signals:
    ids: np.ndarray  # sentence ids, int64
    dense: np.ndarray
    dense_ctx: np.ndarray
    lex: np.ndarray
    lex_ctx: np.ndarray


@dataclass(frozen=True)
class FusionWeights:
    dense: float = 1.0
    dense_ctx: float = 0.5
    lex: float = 0.6
    lex_ctx: float = 0.3


def zscore(x: np.ndarray) -> np.ndarray:
    """(x - mean) / std; all zeros when x is constant or empty."""
    x = np.asarray(x, dtype=np.float64)
    if x.size == 0:
        return x
    std = float(x.std())
    if std < 1e-9:
        return np.zeros_like(x)
    return (x - float(x.mean())) / std


def fuse(signals: Signals, weights: FusionWeights) -> np.ndarray:
    """One fused score per candidate (higher is better)."""
    return (
        weights.dense * zscore(signals.dense)
        + weights.dense_ctx * zscore(signals.dense_ctx)
        + weights.lex * zscore(signals.lex)
        + weights.lex_ctx * zscore(signals.lex_ctx)
    )


def top_indices(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest scores, best first (stable for ties)."""
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if k < len(scores):
        part = np.argpartition(-scores, k - 1)[:k]
    else:
        part = np.arange(len(scores))
    return part[np.lexsort((part, -scores[part]))]


def spread_to_sentences(
    sentence_ids: np.ndarray,
    passage_ids: np.ndarray,
    passage_scores: np.ndarray,
    pass_first: np.ndarray,
    pass_last: np.ndarray,
    default: float = 0.0,
) -> np.ndarray:
    """For each sentence, the best score among the given passages that contain it (else ``default``)."""
    best: dict[int, float] = {}
    for pid, score in zip(passage_ids.tolist(), passage_scores.tolist(), strict=True):
        if pid < 0:
            continue
        for sid in range(int(pass_first[pid]), int(pass_last[pid]) + 1):
            if score > best.get(sid, -np.inf):
                best[sid] = score
    return np.fromiter((best.get(int(s), default) for s in sentence_ids), dtype=np.float64, count=len(sentence_ids))
