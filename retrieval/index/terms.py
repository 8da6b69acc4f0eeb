"""Terms for scoring: a light-stemming tokenizer and BM25 weights over any grouping of sentences.

The persisted BM25 (lexical.py) matches surface words only; ranking also wants "founded" to meet "found"
and a question's words to be looked for in a sentence's paragraph and article, not only in the sentence.
These tables are made when the index is built (tables.py saves them in the generation) and are pure data:
sparse matrices by column (``Postings``), so scoring a question sums a few columns and touches only the
sentences that hold its terms; term and bigram columns are found through hashed lookups (``Lookup``).
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from retrieval.lang.en.tokens import terms

TERM_HASH_BYTES = 8


def term_hashes(items: Iterable[str]) -> np.ndarray:
    """A stable 64-bit hash per string (blake2b): how term and bigram tables are looked up on disk."""
    return np.fromiter(
        (int.from_bytes(hashlib.blake2b(x.encode("utf-8", "surrogatepass"), digest_size=TERM_HASH_BYTES).digest())
         for x in items),
        dtype=np.uint64,
    )


def pair_key(a: int, b: int) -> int:
    """The key of the bigram of term columns a then b."""
    return (a << 32) | b


@dataclass(frozen=True)
class Lookup:
    """String -> column, as two arrays (sorted hashes, their columns) that can be memory-mapped."""

    hashes: np.ndarray  # uint64, sorted
    cols: np.ndarray  # int64, aligned with hashes

    @classmethod
    def of(cls, mapping: dict[str, int]) -> Lookup:
        return cls.of_keys(term_hashes(mapping), np.fromiter(mapping.values(), dtype=np.int64, count=len(mapping)))

    @classmethod
    def of_keys(cls, keys: np.ndarray, cols: np.ndarray) -> Lookup:
        """A lookup by integer keys (e.g. ``pair_key`` of two term columns)."""
        order = np.argsort(keys, kind="stable")
        return cls(np.asarray(keys, dtype=np.uint64)[order], np.asarray(cols, dtype=np.int64)[order])

    def find(self, items: Sequence[str]) -> list[int | None]:
        """The column of each item, None for an unknown one."""
        return self.find_keys(term_hashes(items)) if items else []

    def find_keys(self, keys: np.ndarray) -> list[int | None]:
        if not len(self.hashes):
            return [None] * len(keys)
        keys = np.asarray(keys, dtype=np.uint64)
        pos = np.minimum(np.searchsorted(self.hashes, keys), len(self.hashes) - 1)
        found = self.hashes[pos] == keys
        return [int(self.cols[p]) if f else None for p, f in zip(pos.tolist(), found.tolist(), strict=True)]

    def __len__(self) -> int:
        return len(self.hashes)


@dataclass(frozen=True)
class Postings:
    """A (units x terms) sparse matrix by column, as plain arrays (memory-mappable): column j holds the
    units ``indices[indptr[j]:indptr[j + 1]]`` (ascending) with weights ``data[...]``."""

    indptr: np.ndarray  # int64, columns + 1
    indices: np.ndarray  # int32 or int64
    data: np.ndarray  # float64
    n_units: int

    @classmethod
    def of(cls, matrix: sp.spmatrix) -> Postings:
        csc = sp.csc_matrix(matrix)
        csc.sum_duplicates()
        csc.sort_indices()
        idx_type = np.int32 if csc.shape[0] < 2**31 else np.int64
        return cls(
            np.asarray(csc.indptr, dtype=np.int64), np.asarray(csc.indices, dtype=idx_type),
            np.asarray(csc.data, dtype=np.float64), int(csc.shape[0]),
        )

    def column(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = int(self.indptr[j]), int(self.indptr[j + 1])
        return self.indices[lo:hi], self.data[lo:hi]


@dataclass(frozen=True)
class ColumnSum:
    """The sum of some columns of a Postings, sparse: the units with a non-zero sum (ascending) and the sums."""

    units: np.ndarray  # int64
    sums: np.ndarray  # float64

    def at(self, ids: np.ndarray) -> np.ndarray:
        """The sum at each of ``ids`` (0 where no column has the unit)."""
        ids = np.asarray(ids, dtype=np.int64)
        if not len(self.units):
            return np.zeros(len(ids))
        pos = np.minimum(np.searchsorted(self.units, ids), len(self.units) - 1)
        return np.where(self.units[pos] == ids, self.sums[pos], 0.0)

    def dense(self, n_units: int) -> np.ndarray:
        out = np.zeros(n_units)
        out[self.units] = self.sums
        return out


def column_sum(postings: Postings, cols: np.ndarray) -> ColumnSum:
    """Sum of the given columns, touching only their entries (not every unit)."""
    parts = [postings.column(j) for j in cols.tolist()]
    if not parts:
        return ColumnSum(np.zeros(0, dtype=np.int64), np.zeros(0))
    rows = np.concatenate([r for r, _ in parts]).astype(np.int64, copy=False)
    vals = np.concatenate([v for _, v in parts])
    units, inverse = np.unique(rows, return_inverse=True)
    return ColumnSum(units, np.bincount(inverse, weights=vals, minlength=len(units)))


def presence(postings: Postings, cols: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """(len(cols), len(ids)) bool: whether unit ids[i] has a non-zero entry in column cols[k]."""
    ids = np.asarray(ids, dtype=np.int64)
    out = np.zeros((len(cols), len(ids)), dtype=bool)
    for k, j in enumerate(cols.tolist()):
        rows, _ = postings.column(j)
        if len(rows):
            pos = np.minimum(np.searchsorted(rows, ids), len(rows) - 1)
            out[k] = rows[pos] == ids
    return out


@dataclass(frozen=True)
class TermTables:
    """Per-unit BM25 weights (units x terms) for sentences, paragraphs and documents, by column."""

    vocab: Lookup
    idf: np.ndarray  # per term, over sentences
    sentence_bm25: Postings
    paragraph_bm25: Postings
    document_bm25: Postings
    sentence_terms: np.ndarray  # distinct terms per sentence
    bigrams: Lookup  # pair_key(column of a term, column of the next term) -> column
    sentence_bigrams: Postings  # 0/1 presence, sentences x bigrams

    def all_known(self, phrase: str) -> bool:
        """Whether every term of ``phrase`` occurs in some sentence (False when it has no terms)."""
        ts = terms(phrase)
        return bool(ts) and all(c is not None for c in self.vocab.find(ts))

    def phrase_known(self, phrase: str) -> bool:
        """Whether ``phrase``'s terms occur, and each two adjacent ones next to each other in some sentence: "the
        European Commission" is not known from "European leaders" and "commissioning"."""
        found = self.vocab.find(terms(phrase))
        if not found or any(c is None for c in found):
            return False
        keys = np.asarray([pair_key(a, b) for a, b in itertools.pairwise(found) if a is not None and b is not None],
                          dtype=np.uint64)  # fmt: skip
        return all(c is not None for c in self.bigrams.find_keys(keys)) if len(keys) else True

    def query_bigrams(self, question: str) -> np.ndarray:
        """Columns of the question's distinct known bigrams (adjacent terms)."""
        known = self.vocab.find(terms(question))
        keys = [pair_key(a, b) for a, b in itertools.pairwise(known) if a is not None and b is not None]
        cols = sorted({c for c in self.bigrams.find_keys(np.asarray(keys, dtype=np.uint64)) if c is not None})
        return np.asarray(cols, dtype=np.int64)

    def query_columns(self, question: str) -> tuple[np.ndarray, np.ndarray]:
        """(term columns, idf) of the question's distinct known terms."""
        cols = sorted({c for c in self.vocab.find(terms(question)) if c is not None})
        arr = np.asarray(cols, dtype=np.int64)
        return arr, np.asarray(self.idf[arr]) if len(arr) else np.zeros(0)


def _bm25(tf: sp.csr_matrix, k1: float = 1.2, b: float = 0.75) -> sp.csc_matrix:
    """BM25 weight of each (unit, term): idf(term) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len / avglen))."""
    n_units = tf.shape[0]
    lengths = np.asarray(tf.sum(axis=1)).ravel()
    avg = float(lengths.mean()) if n_units and lengths.mean() > 0 else 1.0
    df = np.bincount(tf.indices, minlength=tf.shape[1]).astype(np.float64)
    idf = np.log(1.0 + (n_units - df + 0.5) / (df + 0.5))
    coo = tf.tocoo()
    norm = k1 * (1.0 - b + b * lengths[coo.row] / avg)
    data = idf[coo.col] * coo.data * (k1 + 1.0) / (coo.data + norm)
    return sp.csc_matrix((data, (coo.row, coo.col)), shape=tf.shape)


def build_term_tables(
    texts: Sequence[str], paragraph_of: np.ndarray, document_of: np.ndarray, n_documents: int | None = None
) -> TermTables:
    """Tables for sentences ``texts``; ``paragraph_of``/``document_of`` give each sentence's unit number
    (units may be empty: ``document_of`` may skip numbers of documents without sentences)."""
    vocab: dict[str, int] = {}
    bigrams: dict[int, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    b_rows: list[int] = []
    b_cols: list[int] = []
    for i, text in enumerate(texts):
        ids = [vocab.setdefault(t, len(vocab)) for t in terms(text)]
        rows.extend([i] * len(ids))
        cols.extend(ids)
        for a, b in itertools.pairwise(ids):
            b_rows.append(i)
            b_cols.append(bigrams.setdefault(pair_key(a, b), len(bigrams)))
    n, v = len(texts), max(len(vocab), 1)
    tf = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, v))
    tf.sum_duplicates()
    has = tf.copy()
    has.data[:] = 1.0
    df = np.asarray(has.sum(axis=0)).ravel()
    idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def grouped(unit_of: np.ndarray, n_units: int | None = None) -> sp.csr_matrix:
        units = int(unit_of.max()) + 1 if n else 0
        units = max(units, n_units or 0)
        g = sp.csr_matrix((np.ones(n), (unit_of, np.arange(n))), shape=(units, n))
        return sp.csr_matrix(g @ tf)

    return TermTables(
        vocab=Lookup.of(vocab),
        idf=idf,
        sentence_bm25=Postings.of(_bm25(tf)),
        paragraph_bm25=Postings.of(_bm25(grouped(paragraph_of))),
        document_bm25=Postings.of(_bm25(grouped(document_of, n_documents))),
        sentence_terms=np.asarray(has.sum(axis=1)).ravel(),
        bigrams=Lookup.of_keys(
            np.fromiter(bigrams.keys(), dtype=np.uint64, count=len(bigrams)),
            np.fromiter(bigrams.values(), dtype=np.int64, count=len(bigrams)),
        ),
        sentence_bigrams=Postings.of(_presence(b_rows, b_cols, (n, max(len(bigrams), 1)))),
    )


def _presence(rows: list[int], cols: list[int], shape: tuple[int, int]) -> sp.csc_matrix:
    m = sp.csc_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    m.sum_duplicates()
    m.data[:] = 1.0
    return m
