"""Per-index tables that ranking needs beyond the persisted index: made once when an Engine is made.

- each sentence's paragraph (global number) and document, its neighbours and its position in the document;
- paragraph and document vectors (normalised means of their sentences' vectors): the context signal;
- term tables (terms.py): stemmed BM25 for sentences, paragraphs and documents;
- answer-type cues per sentence (cues.py).

Pure: a function of the loaded IndexData.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from retrieval.cues import sentence_cues
from retrieval.reader import IndexData
from retrieval.terms import TermTables, build_term_tables


@dataclass(frozen=True)
class IndexTables:
    paragraph_of: np.ndarray  # int64 per sentence: global paragraph number
    document_of: np.ndarray  # int64 per sentence: source number
    prev_id: np.ndarray  # int64 per sentence: previous sentence of the same document, else itself
    next_id: np.ndarray  # int64 per sentence: next sentence of the same document, else itself
    position: np.ndarray  # int64 per sentence: 0 for the first sentence of its document
    doc_first: np.ndarray  # int64 per document: first sentence id
    doc_stop: np.ndarray  # int64 per document: last sentence id + 1
    paragraph_vectors: np.ndarray  # float32 (paragraphs, d)
    document_vectors: np.ndarray  # float32 (documents, d)
    terms: TermTables
    cues: np.ndarray  # float32 (sentences, 4)
    heading: np.ndarray  # bool per sentence: alone in its paragraph and without closing punctuation


_CLOSING = frozenset(".!?…\"”’'):;")


def headings(texts: list[str], paragraph_of: np.ndarray) -> np.ndarray:
    """Headlines, sub-headings and bullet fragments: a paragraph of one sentence that does not end like one."""
    n = len(texts)
    counts = np.bincount(paragraph_of, minlength=int(paragraph_of.max()) + 1 if n else 0)
    alone = counts[paragraph_of] == 1 if n else np.zeros(0, dtype=bool)
    unpunctuated = np.fromiter((bool(t) and t.rstrip()[-1] not in _CLOSING for t in texts), dtype=bool, count=n)
    return np.asarray(alone & unpunctuated, dtype=bool)


def _mean_vectors(vectors: np.ndarray, unit_of: np.ndarray, n_units: int) -> np.ndarray:
    out = np.zeros((n_units, vectors.shape[1]), dtype=np.float64)
    np.add.at(out, unit_of, np.asarray(vectors, dtype=np.float64))
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.asarray(out / norms, dtype=np.float32)


def build_tables(index: IndexData) -> IndexTables:
    n = index.n_sentences
    doc = np.asarray(index.sent_source, dtype=np.int64)
    para = np.asarray(index.sent_paragraph, dtype=np.int64)
    ids = np.arange(n, dtype=np.int64)
    new_para = np.ones(n, dtype=bool)
    if n:
        new_para[1:] = (doc[1:] != doc[:-1]) | (para[1:] != para[:-1])
    paragraph_of = np.cumsum(new_para) - 1
    same_prev = np.zeros(n, dtype=bool)
    if n:
        same_prev[1:] = doc[1:] == doc[:-1]
    prev_id = np.where(same_prev, ids - 1, ids)
    same_next = np.zeros(n, dtype=bool)
    if n:
        same_next[:-1] = doc[:-1] == doc[1:]
    next_id = np.where(same_next, ids + 1, ids)
    n_docs = len(index.sources)
    doc_first = np.full(n_docs, 0, dtype=np.int64)
    doc_stop = np.full(n_docs, 0, dtype=np.int64)
    if n:
        starts = np.flatnonzero(~same_prev)
        for s in starts.tolist():
            doc_first[doc[s]] = s
        ends = np.flatnonzero(~same_next)
        for e in ends.tolist():
            doc_stop[doc[e]] = e + 1
    position = ids - doc_first[doc] if n else ids
    texts = [index.text(i) for i in range(n)]
    vectors = np.asarray(index.vectors, dtype=np.float32)
    n_paras = int(paragraph_of[-1]) + 1 if n else 0
    return IndexTables(
        paragraph_of=paragraph_of,
        document_of=doc,
        prev_id=prev_id,
        next_id=next_id,
        position=position,
        doc_first=doc_first,
        doc_stop=doc_stop,
        paragraph_vectors=_mean_vectors(vectors, paragraph_of, n_paras),
        document_vectors=_mean_vectors(vectors, doc, n_docs),
        terms=build_term_tables(texts, paragraph_of, doc),
        cues=sentence_cues(texts),
        heading=headings(texts, paragraph_of),
    )
