"""Answering a question from a loaded index: retrieve, score, choose quotes, decide "not found".

``Engine`` is the thin object that holds the index and the embedder and calls ``encode``; the scoring and
selection it uses are pure functions (scoring.py, quotes.py). An Engine never changes after it is made:
to serve a new index generation, make a new Engine with the same embedder and swap the reference.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from retrieval.embedder import Embedder
from retrieval.quotes import Ranked, build_quotes
from retrieval.reader import IndexData
from retrieval.records import Answer
from retrieval.scoring import FusionWeights, Signals, fuse, spread_to_sentences, top_indices


@dataclass(frozen=True)
class EngineConfig:
    dense_candidates: int = 100
    passage_candidates: int = 50
    lexical_candidates: int = 50
    weights: FusionWeights = FusionWeights()
    # "not found" calibration: the best sentence must be at least this similar to the question ...
    min_best_dense: float = 0.40
    # ... and each quote shown must be at least this similar (no unrelated quotes as padding).
    min_quote_dense: float = 0.25
    max_question_chars: int = 1000


NOT_FOUND = "Nothing in the corpus answers this question closely enough."


class Engine:
    def __init__(self, index: IndexData, embedder: Embedder, config: EngineConfig | None = None) -> None:
        self.index = index
        self.embedder = embedder
        self.config = config or EngineConfig()

    def ask(self, question: str, k: int = 5, offset: int = 0) -> Answer:
        """The best ``k`` quotes for a question, skipping the first ``offset`` (for paging)."""
        q = question.strip()
        if not q:
            return Answer(question, False, (), "The question is empty: ask something about the articles.")
        if len(q) > self.config.max_question_chars:
            return Answer(
                question, False, (),
                f"The question is too long ({len(q)} characters; at most {self.config.max_question_chars}).",
            )
        if self.index.n_sentences == 0:
            return Answer(question, False, (), "The index is empty: add articles to the corpus and reindex.")
        query = self.embedder.encode([q])[0]
        signals = self.signals(q, query)
        fused = fuse(signals, self.config.weights)
        order = top_indices(fused, len(fused))
        best_dense = float(np.max(signals.dense)) if len(signals.dense) else 0.0
        if best_dense < self.config.min_best_dense:
            return Answer(question, False, (), NOT_FOUND)
        ranked = [
            Ranked(int(signals.ids[i]), float(fused[i]))
            for i in order
            if signals.dense[i] >= self.config.min_quote_dense
        ]
        quotes = build_quotes(self.index, ranked, limit=offset + k)
        page = tuple(quotes[offset : offset + k])
        if not page:
            return Answer(question, False, (), "No more quotes for this question." if offset else NOT_FOUND)
        return Answer(question, True, page)

    def signals(self, question: str, query: np.ndarray) -> Signals:
        """Candidate sentences and their four signals (see scoring.py)."""
        idx = self.index
        cfg = self.config
        d_scores, d_ids = idx.sentence_index.search(query, cfg.dense_candidates)
        p_scores, p_ids = idx.passage_index.search(query, cfg.passage_candidates)
        lex_all = idx.sentence_bm25.scores(question)
        lex_top = top_indices(lex_all, cfg.lexical_candidates)
        lex_top = lex_top[lex_all[lex_top] > 0]
        pas_lex_all = idx.passage_bm25.scores(question)
        pas_lex_top = top_indices(pas_lex_all, cfg.passage_candidates)

        from_passages = [
            s for p in p_ids[0].tolist() if p >= 0 for s in range(int(idx.pass_first[p]), int(idx.pass_last[p]) + 1)
        ]
        ids = np.unique(np.concatenate([d_ids[0], np.asarray(from_passages, dtype=np.int64), lex_top]).astype(np.int64))
        ids = ids[ids >= 0]
        dense = np.asarray(idx.vectors[ids] @ query, dtype=np.float64)
        dense_ctx = spread_to_sentences(ids, p_ids[0], p_scores[0], idx.pass_first, idx.pass_last,
                                        default=float(p_scores[0][-1]) if p_scores.shape[1] else 0.0)
        lex_ctx = spread_to_sentences(ids, pas_lex_top, pas_lex_all[pas_lex_top], idx.pass_first, idx.pass_last)
        return Signals(ids=ids, dense=dense, dense_ctx=dense_ctx, lex=lex_all[ids].astype(np.float64), lex_ctx=lex_ctx)
