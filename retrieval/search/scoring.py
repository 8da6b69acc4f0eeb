"""Pure scoring helpers over arrays: normalisation, top-k, passage-to-sentence spreading, speaker terms.

No I/O and no models. The learned fusion of features lives in ranker.py; how a question's speaker moves
a sentence lives here (``speaker_boost``) so that the engine only adds arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np


def zscore(x: np.ndarray) -> np.ndarray:
    """(x - mean) / std; all zeros when x is constant or empty."""
    x = np.asarray(x, dtype=np.float64)
    if x.size == 0:
        return x
    std = float(x.std())
    if std < 1e-9:
        return np.zeros_like(x)
    return (x - float(x.mean())) / std


def top_indices(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest scores, best first (stable for ties)."""
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
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


def group_max(groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For each item, the largest value among the items of its group."""
    if len(values) == 0:
        return np.zeros(0)
    uniq, inv = np.unique(groups, return_inverse=True)
    best = np.full(len(uniq), -np.inf)
    np.maximum.at(best, inv, values)
    return np.asarray(best[inv], dtype=np.float64)


def speaker_boost(
    scores: np.ndarray, relevance: np.ndarray | Sequence[float], weight: float, shortlist: int
) -> np.ndarray:
    """Scores moved by speaker relevance in [-1, 1], in units of the spread of the best ``shortlist`` scores.

    Only the shortlist is moved (a sentence far down by content stays down); within it, a sentence where
    the asked speaker talks about the topic rises above one where someone else talks about the speaker.
    """
    out = np.asarray(scores, dtype=np.float64).copy()
    if len(out) == 0 or weight == 0.0:
        return out
    top = top_indices(out, shortlist)
    spread = float(out[top[0]] - out[top[-1]]) if len(top) > 1 else 1.0
    unit = max(spread, 1e-6)
    rel = np.asarray(relevance, dtype=np.float64)
    out[top] += weight * unit * rel[top]
    return out


def relevance_of(ids: np.ndarray | Sequence[int], fn: Callable[[int], float]) -> np.ndarray:
    """``fn`` applied to each sentence id (speaker relevance, say), as an array."""
    return np.fromiter((fn(int(i)) for i in ids), dtype=np.float64, count=len(ids))
