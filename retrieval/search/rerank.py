"""The cross-encoder as a feature of the learned ranker: pure fusion over arrays, plus the passage text.

The first-stage ranker (ranker.json) orders a question's candidates; the cross-encoder (embed/reranker.py)
scores only its best ``top_n``; the fused ranker (reranker.json, fitted by ``retrieval.eval.calibrate`` on the
same features plus ``RERANK_FEATURES``) then scores every candidate. A candidate the cross-encoder did not see
gets the lowest score it gave and ``xenc_seen`` 0, so the fused ranker knows it was not looked at. Without the
model file (or the fused ranker's weights) the first stage's scores are used as they are.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from retrieval.embed.reranker import pair_text
from retrieval.index.reader import IndexData
from retrieval.lang.en.speakers.quotes import quoted_share
from retrieval.search.features import FEATURES
from retrieval.search.ranker import Ranker, linear_ranker, read_ranker

RERANK_FEATURES = ("first_stage", "xenc", "xenc_gap", "xenc_seen")
FUSED_FEATURES = FEATURES + RERANK_FEATURES
XENC_COLUMN = FUSED_FEATURES.index("xenc")  # the cross-encoder's score in a fused row
FUSED_PATH = Path(__file__).with_name("ranker_xenc.json")
QUOTED_CONTEXT = 0.5  # a sentence at least this much in quotation marks travels with a neighbour


def passage_of(index: IndexData, sentence_id: int) -> str:
    """The sentence as the cross-encoder reads it: with the speaker label the index holds for it, and, for a
    sentence that is mostly a quotation, the next sentence of its document (else the previous one), where the
    speaker is often named ("…" / Smith said that ...)."""
    text = index.text(sentence_id)
    context = None
    if quoted_share(text) >= QUOTED_CONTEXT:
        t = index.tables
        nxt, prev = int(t.next_id[sentence_id]), int(t.prev_id[sentence_id])
        other = nxt if nxt != sentence_id else prev
        if other != sentence_id:
            context = index.text(other)
    return pair_text(text, index.speaker(sentence_id), context)


def rerank_features(first_stage: np.ndarray, top: np.ndarray, xenc_top: np.ndarray) -> np.ndarray:
    """Rows of RERANK_FEATURES for every candidate: ``top`` are the indices the cross-encoder scored (its scores
    ``xenc_top``, aligned); the others get its lowest score, a gap from the best, and ``xenc_seen`` 0."""
    n = len(first_stage)
    xenc = np.full(n, float(xenc_top.min()) if len(xenc_top) else 0.0)
    seen = np.zeros(n)
    if len(top):
        xenc[top] = xenc_top
        seen[top] = 1.0
    best = float(xenc.max()) if n else 0.0
    return np.column_stack([np.asarray(first_stage, dtype=np.float64), xenc, xenc - best, seen])


@lru_cache(maxsize=4)
def load_fused(path: Path = FUSED_PATH) -> Ranker | None:
    """The shipped fused ranker, or None (missing, or made for other features): then no reranking."""
    return read_ranker(path, FUSED_FEATURES)


# For collecting the fused features before a fused ranker exists (retrieval.eval.reqa.dump_features): it ranks
# exactly as the first stage does.
FIRST_STAGE_ONLY = linear_ranker({"first_stage": 1.0}, FUSED_FEATURES)
