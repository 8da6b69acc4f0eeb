"""Candidate sentences for a question and the features that rank them: pure functions over arrays.

Candidates are the union of: the nearest sentences by cosine, the sentences of the nearest passages, the
best sentences by stemmed BM25, and every sentence of the few best documents (by document cosine and
BM25), so that a sentence whose words are spread over its article is still considered.

Each candidate gets one row of ``FEATURES``: its own cosine and BM25, the same signals for its neighbours,
its paragraph and its document (context), how much of the question's weight its sentence, window and
document cover, and whether it holds the kind of thing the question asks for (cues.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from retrieval.index.tables import DocumentSpace, IndexTables
from retrieval.index.terms import ColumnSum, column_sum, presence
from retrieval.lang.en.cues import QuestionKind
from retrieval.search.scoring import group_max, spread_to_sentences, top_indices, zscore
from retrieval.vectors.base import Exact

FEATURES = (
    "dense",
    "dense_nbr",
    "dense_pas",
    "dense_para",
    "dense_doc",
    "bm25",
    "bm25_nbr",
    "bm25_para",
    "bm25_doc",
    "cover",
    "cover_win",
    "cover_doc",
    "cue",
    "cue_missing",
    "first",
    "log_terms",
    "z_dense",
    "z_bm25",
    "z_dense_doc",
    "z_bm25_doc",
    "z_dense_pas",
    "z_bm25_para",
    "bigram",
    "bigram_win",
    "rel_dense",
    "rel_cover",
    "rel_bm25",
    "cue_date",
    "cue_number",
    "cue_person",
    "cue_place",
)


@dataclass(frozen=True)
class CandidateSettings:
    dense: int = 100
    passages: int = 30
    lexical: int = 50
    documents: int = 5
    max_document_sentences: int = 80  # documents longer than this add only their cosine/BM25 candidates


@dataclass(frozen=True)
class Candidates:
    ids: np.ndarray  # int64 sentence ids
    features: np.ndarray  # float64 (len(ids), len(FEATURES))
    dense: np.ndarray  # float64 cosine per candidate (for "not found" decisions)
    coverage: np.ndarray  # float64 share of the question's term weight in the sentence's window


def candidate_ids(
    tables: IndexTables,
    settings: CandidateSettings,
    dense_ids: np.ndarray,
    passage_ids: np.ndarray,
    pass_first: np.ndarray,
    pass_last: np.ndarray,
    sentence_bm25: ColumnSum,
    documents: np.ndarray,
) -> np.ndarray:
    """The candidate set (sorted, unique sentence ids); ``documents`` are the best documents, best first."""
    parts = [dense_ids[dense_ids >= 0].astype(np.int64)]
    for p in passage_ids[passage_ids >= 0].tolist():
        parts.append(np.arange(int(pass_first[p]), int(pass_last[p]) + 1, dtype=np.int64))
    lex = top_indices(sentence_bm25.sums, settings.lexical)
    parts.append(sentence_bm25.units[lex[sentence_bm25.sums[lex] > 0]])
    for d in documents.tolist():
        first, stop = int(tables.doc_first[d]), int(tables.doc_stop[d])
        if 0 < stop - first <= settings.max_document_sentences:
            parts.append(np.arange(first, stop, dtype=np.int64))
    return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)


DOCUMENT_SHORTLIST = 64  # with a document ANN index: the documents scored exactly, by cosine and by BM25


def best_documents(
    space: DocumentSpace, query: np.ndarray, doc_bm25: np.ndarray, k: int, nearest: np.ndarray | None = None
) -> tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]:
    """The ``k`` best documents by z(cosine) + z(BM25) over all documents, best first, and a function giving
    the cosine of any documents. With few documents every cosine is computed; with a document ANN index only
    a shortlist (the nearest by cosine and the best by BM25) is, and the cosines' mean and spread over all
    documents come from the stored moments, so the z-scores are still those over the whole corpus."""
    z_bm25 = zscore(doc_bm25)
    if space.index is None:
        doc_dense = np.asarray(space.every(len(doc_bm25)) @ query, dtype=np.float64)
        return top_indices(zscore(doc_dense) + z_bm25, k), lambda docs: doc_dense[docs]

    def cosine(docs: np.ndarray) -> np.ndarray:
        return np.asarray(space.rows(docs) @ query, dtype=np.float64)

    near = nearest if nearest is not None else space.index.search(query, DOCUMENT_SHORTLIST)[1][0]
    shortlist = np.unique(np.concatenate([near[near >= 0], top_indices(z_bm25, DOCUMENT_SHORTLIST)]))
    mu, sd = space.moments(query)
    dense = cosine(shortlist)
    z_dense = (dense - mu) / sd if sd >= 1e-9 else np.zeros(len(shortlist))
    return shortlist[top_indices(z_dense + z_bm25[shortlist], k)], cosine


@dataclass(frozen=True)
class Query:
    """One question as the candidate stage sees it: its vector, its known terms and what it asks for."""

    vector: np.ndarray  # float32, normalised
    terms: np.ndarray  # int64 term columns of its distinct known terms
    idf: np.ndarray  # float64, one per term
    bigrams: np.ndarray  # int64 columns of its known bigrams
    wants: QuestionKind  # answer-type flags (lang/en/cues.py)


def query_of(tables: IndexTables, vector: np.ndarray, question: str, wants: QuestionKind) -> Query:
    cols, idf = tables.terms.query_columns(question)
    return Query(vector, cols, idf, tables.terms.query_bigrams(question), wants)


@dataclass(frozen=True)
class Shortlists:
    """What the vector searches found for the question (sentence, passage and document searches)."""

    dense_ids: np.ndarray
    passage_ids: np.ndarray
    passage_scores: np.ndarray
    nearest_documents: np.ndarray | None = None  # above the exact limit: the document search's shortlist


def candidate_features(
    tables: IndexTables,
    vectors: Exact,
    passages: tuple[np.ndarray, np.ndarray],
    q: Query,
    found: Shortlists,
    settings: CandidateSettings,
) -> Candidates:
    """Candidates and their feature rows for one question (see FEATURES); ``vectors`` gives sentence vectors
    by id; ``passages`` is the index's (first, last) sentence of every passage."""
    query, question_terms, term_idf, question_bigrams, kind = q.vector, q.terms, q.idf, q.bigrams, q.wants
    dense_ids, passage_ids, passage_scores = found.dense_ids, found.passage_ids, found.passage_scores
    nearest_documents = found.nearest_documents
    pass_first, pass_last = passages
    t = tables.terms
    sent_bm25 = column_sum(t.sentence_bm25, question_terms)
    doc_bm25_all = column_sum(t.document_bm25, question_terms).dense(len(tables.doc_first))
    documents, doc_cosine = best_documents(
        tables.documents, query, doc_bm25_all, settings.documents, nearest_documents
    )
    ids = candidate_ids(tables, settings, dense_ids, passage_ids, pass_first, pass_last, sent_bm25, documents)
    if len(ids) == 0:
        empty = np.zeros(0)
        return Candidates(ids, np.zeros((0, len(FEATURES))), empty, empty)

    prev, nxt = tables.prev_id[ids], tables.next_id[ids]
    has_prev, has_next = prev != ids, nxt != ids
    around = np.unique(np.concatenate([ids, prev, nxt]))
    cos_around = np.asarray(vectors(around) @ query, dtype=np.float64)
    dense = cos_around[np.searchsorted(around, ids)]
    cos_prev = np.where(has_prev, cos_around[np.searchsorted(around, prev)], -1.0)
    cos_next = np.where(has_next, cos_around[np.searchsorted(around, nxt)], -1.0)
    dense_nbr = np.maximum(cos_prev, cos_next)
    default_pas = float(passage_scores[-1]) if len(passage_scores) else 0.0
    dense_pas = spread_to_sentences(ids, passage_ids, passage_scores, pass_first, pass_last, default_pas)
    paras = tables.paragraph_of[ids]
    docs = tables.document_of[ids]
    dense_para = np.asarray(tables.paragraph_rows(paras) @ query, dtype=np.float64)
    unique_docs, doc_index = np.unique(docs, return_inverse=True)
    dense_d = doc_cosine(unique_docs)[doc_index]

    bm25 = sent_bm25.at(ids)
    bm25_nbr = np.maximum(np.where(has_prev, sent_bm25.at(prev), 0.0), np.where(has_next, sent_bm25.at(nxt), 0.0))
    bm25_para = column_sum(t.paragraph_bm25, question_terms).at(paras)
    bm25_d = doc_bm25_all[docs]

    total_idf = float(term_idf.sum())
    if len(question_terms) and total_idf > 0:
        own = presence(t.sentence_bm25, question_terms, ids)
        win = own | (presence(t.sentence_bm25, question_terms, prev) & has_prev) | (
            presence(t.sentence_bm25, question_terms, nxt) & has_next
        )
        cover = term_idf @ own / total_idf
        cover_win = term_idf @ win / total_idf
        cover_doc = term_idf @ presence(t.document_bm25, question_terms, docs) / total_idf
    else:
        cover = cover_win = cover_doc = np.zeros(len(ids))

    if len(question_bigrams):
        b_own = presence(t.sentence_bigrams, question_bigrams, ids)
        b_win = b_own | (presence(t.sentence_bigrams, question_bigrams, prev) & has_prev) | (
            presence(t.sentence_bigrams, question_bigrams, nxt) & has_next
        )
        bigram = b_own.sum(axis=0) / len(question_bigrams)
        bigram_win = b_win.sum(axis=0) / len(question_bigrams)
    else:
        bigram = bigram_win = np.zeros(len(ids))
    flags = np.asarray(kind.flags, dtype=np.float64)
    per_kind = tables.cues[ids].astype(np.float64) * flags
    cue = per_kind.sum(axis=1)
    cue_missing = np.full(len(ids), 1.0 if kind.any else 0.0) * (cue == 0)
    first = (tables.position[ids] == 0).astype(np.float64)
    log_terms = np.log1p(t.sentence_terms[ids])

    features = np.column_stack([
        dense, dense_nbr, dense_pas, dense_para, dense_d,
        bm25, bm25_nbr, bm25_para, bm25_d,
        cover, cover_win, cover_doc,
        cue, cue_missing, first, log_terms,
        zscore(dense), zscore(bm25), zscore(dense_d), zscore(bm25_d), zscore(dense_pas), zscore(bm25_para),
        bigram, bigram_win,
        dense - group_max(docs, dense), cover_win - group_max(docs, cover_win), bm25 - group_max(docs, bm25),
        per_kind,
    ])
    return Candidates(ids, features, dense, cover_win)
