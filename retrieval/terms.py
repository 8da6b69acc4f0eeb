"""Terms for scoring: a light-stemming tokenizer and BM25 weights over any grouping of sentences.

The persisted BM25 (lexical.py) matches surface words only; ranking also wants "founded" to meet "found"
and a question's words to be looked for in a sentence's paragraph and article, not only in the sentence.
These tables are made once per loaded index (a few hundred ms for 10k sentences) and are pure data:
sparse matrices whose columns are terms, so scoring a question is a column sum.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)

STOPWORDS = frozenset(
    [
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are",
        "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
        "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from",
        "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself",
        "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most",
        "my", "myself", "no", "nor", "not", "of", "off", "on", "once", "only", "or", "other", "our", "ours",
        "ourselves", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that",
        "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those",
        "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where",
        "which", "while", "who", "whom", "whose", "why", "will", "with", "would", "you", "your", "yours",
        "yourself", "yourselves", "s", "t", "don", "said", "says", "say", "tell", "told", "according", "mr",
        "mrs", "ms", "one", "many", "much"
    ]
)
# "said" and friends are stop words here: every quote has them; who said it is the speaker model's job.
# Negations ("not", "no", "never") stay stop words for BM25 but dedupe.py looks at them.


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stemmer: plural and verb endings only, so that it rarely merges unrelated words."""
    w = word
    if len(w) <= 3:
        return w
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                return w
            if suffix == "es" and not w.endswith(("ches", "shes", "xes", "sses", "zes")):
                return w[:-1]
            w = w[: len(w) - len(suffix)] + repl
            if suffix in ("ing", "ed") and len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]  # stopped -> stopp -> stop
            return w
    return w


def words(text: str) -> list[str]:
    """Lower-cased words of a text, apostrophes normalised (’ -> ')."""
    return [m.group(0).lower().replace("’", "'") for m in _WORD.finditer(text)]


def terms(text: str) -> list[str]:
    """Index terms: words less stop words and possessive 's, stemmed."""
    out: list[str] = []
    for w in words(text):
        if w.endswith("'s"):
            w = w[:-2]
        if w in STOPWORDS or not w:
            continue
        out.append(stem(w))
    return out


@dataclass(frozen=True)
class TermTables:
    """Per-unit BM25 weights (units x terms, CSC) for sentences, paragraphs and documents."""

    vocab: dict[str, int]
    idf: np.ndarray  # per term, over sentences
    sentence_bm25: sp.csc_matrix
    paragraph_bm25: sp.csc_matrix
    document_bm25: sp.csc_matrix
    sentence_terms: np.ndarray  # distinct terms per sentence
    bigrams: dict[str, int]  # "term term" of adjacent terms -> column
    sentence_bigrams: sp.csc_matrix  # 0/1 presence, sentences x bigrams

    def all_known(self, phrase: str) -> bool:
        """Whether every term of ``phrase`` occurs in some sentence (False when it has no terms)."""
        ts = terms(phrase)
        return bool(ts) and all(t in self.vocab for t in ts)

    def query_bigrams(self, question: str) -> np.ndarray:
        """Columns of the question's distinct known bigrams (adjacent terms)."""
        ts = terms(question)
        cols = sorted({self.bigrams[b] for b in map(" ".join, itertools.pairwise(ts)) if b in self.bigrams})
        return np.asarray(cols, dtype=np.int64)

    def query_columns(self, question: str) -> tuple[np.ndarray, np.ndarray]:
        """(term columns, idf) of the question's distinct known terms."""
        cols = sorted({self.vocab[t] for t in terms(question) if t in self.vocab})
        arr = np.asarray(cols, dtype=np.int64)
        return arr, self.idf[arr] if len(arr) else np.zeros(0)


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
    texts: Sequence[str], paragraph_of: np.ndarray, document_of: np.ndarray
) -> TermTables:
    """Tables for sentences ``texts``; ``paragraph_of``/``document_of`` give each sentence's unit number."""
    vocab: dict[str, int] = {}
    bigrams: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    b_rows: list[int] = []
    b_cols: list[int] = []
    for i, text in enumerate(texts):
        ts = terms(text)
        for t in ts:
            rows.append(i)
            cols.append(vocab.setdefault(t, len(vocab)))
        for a, b in itertools.pairwise(ts):
            b_rows.append(i)
            b_cols.append(bigrams.setdefault(f"{a} {b}", len(bigrams)))
    n, v = len(texts), max(len(vocab), 1)
    tf = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, v))
    tf.sum_duplicates()
    has = tf.copy()
    has.data[:] = 1.0
    df = np.asarray(has.sum(axis=0)).ravel()
    idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def grouped(unit_of: np.ndarray) -> sp.csr_matrix:
        units = int(unit_of.max()) + 1 if n else 0
        g = sp.csr_matrix((np.ones(n), (unit_of, np.arange(n))), shape=(units, n))
        return sp.csr_matrix(g @ tf)

    return TermTables(
        vocab=vocab,
        idf=idf,
        sentence_bm25=_bm25(tf),
        paragraph_bm25=_bm25(grouped(paragraph_of)),
        document_bm25=_bm25(grouped(document_of)),
        sentence_terms=np.asarray(has.sum(axis=1)).ravel(),
        bigrams=bigrams,
        sentence_bigrams=_presence(b_rows, b_cols, (n, max(len(bigrams), 1))),
    )


def _presence(rows: list[int], cols: list[int], shape: tuple[int, int]) -> sp.csc_matrix:
    m = sp.csc_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    m.sum_duplicates()
    m.data[:] = 1.0
    return m


def columns(matrix: sp.csc_matrix, cols: np.ndarray) -> np.ndarray:
    """The given columns as a dense (len(cols), units) array, read straight from the CSC arrays (fast)."""
    out = np.zeros((len(cols), matrix.shape[0]))
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    for k, j in enumerate(cols.tolist()):
        lo, hi = indptr[j], indptr[j + 1]
        out[k, indices[lo:hi]] = data[lo:hi]
    return out
