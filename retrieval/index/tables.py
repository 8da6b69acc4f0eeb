"""Per-index tables that ranking needs beyond the vectors and the store.

- Structure (cheap; computed from the store's columns when an index is loaded): each sentence's paragraph
  (global number) and document, its neighbours and its position in the document; each document's first
  and last sentence.
- Content tables (built by ``verbatim index``, saved in the generation's ``tables/`` folder and
  memory-mapped when it is loaded, so that starting costs milliseconds at any size):
  paragraph and document vectors (normalised means of their sentences' vectors: the context signal), the
  documents' vector moments and, above the exact-search limit, an ANN index of the document vectors (so a
  question never reads every document vector); term tables (terms.py); answer-type cues per sentence
  (cues.py); headings; near-duplicate keys (dedupe.py).

Pure functions of the index's texts, paragraphs and vectors, plus ``save_tables``/``load_tables``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import numpy as np

from retrieval.index.layout import DOCUMENT_FAISS, REMOTE_TABLES, TABLES_DIR, TABLES_SHAPES
from retrieval.index.terms import Lookup, Postings, TermTables, build_term_tables
from retrieval.lang.en.cues import sentence_cues
from retrieval.lang.en.dedupe import duplicate_keys
from retrieval.lang.en.lexicon import CLOSING_PUNCTUATION
from retrieval.vectors.base import Exact, VectorIndex, rows_of
from retrieval.vectors.factory import build_vectors, load_vectors
from retrieval.vectors.faiss import DEFAULT_EXACT_MAX


@dataclass(frozen=True)
class Structure:
    paragraph_of: np.ndarray  # int64 per sentence: global paragraph number
    document_of: np.ndarray  # int64 per sentence: source number
    prev_id: np.ndarray  # int64 per sentence: previous sentence of the same document, else itself
    next_id: np.ndarray  # int64 per sentence: next sentence of the same document, else itself
    position: np.ndarray  # int64 per sentence: 0 for the first sentence of its document
    doc_first: np.ndarray  # int64 per document: first sentence id
    doc_stop: np.ndarray  # int64 per document: last sentence id + 1

    @property
    def n_paragraphs(self) -> int:
        return int(self.paragraph_of[-1]) + 1 if len(self.paragraph_of) else 0


@dataclass(frozen=True)
class DocumentSpace:
    """Document vectors and what scores them all without reading them all."""

    vectors: np.ndarray  # float32 (documents, d), normalised means of their sentences' vectors; (0, d) if fetched
    mean: np.ndarray  # float64 (d,): the mean document vector (mean cosine to a query = mean · query)
    second: np.ndarray  # float64 (d, d): Vᵀ V / documents (mean squared cosine = queryᵀ · second · query)
    index: VectorIndex | None  # None: few documents, every one is scored exactly
    fetch: Exact | None = None  # VECTOR_BACKEND=milvus: the vectors by number, from the engine (``vectors`` unread)

    def rows(self, docs: np.ndarray) -> np.ndarray:
        """The vectors of documents ``docs`` (float32), in the order asked."""
        return self.fetch(docs) if self.fetch is not None else rows_of(self.vectors)(docs)

    def every(self, n_docs: int) -> np.ndarray:
        """All ``n_docs`` document vectors (only without an index: few documents)."""
        return self.vectors if self.fetch is None else self.fetch(np.arange(n_docs, dtype=np.int64))

    def moments(self, query: np.ndarray) -> tuple[float, float]:
        """(mean, std) of the cosines of all documents to ``query``, from the moments (no document read)."""
        q = np.asarray(query, dtype=np.float64)
        mu = float(self.mean @ q)
        var = float(q @ self.second @ q) - mu * mu
        return mu, float(np.sqrt(max(var, 0.0)))


@dataclass(frozen=True)
class IndexTables(Structure):
    """The structure and the content tables of one index."""

    paragraph_vectors: np.ndarray  # float32 (paragraphs, d)
    documents: DocumentSpace
    terms: TermTables
    cues: np.ndarray  # float32 (sentences, 4)
    heading: np.ndarray  # bool per sentence: alone in its paragraph and without closing punctuation
    dup_key: np.ndarray  # uint64 per sentence: dedupe.duplicate_key (near duplicates share it)

    # VECTOR_BACKEND=milvus: where paragraph vectors are read (``paragraph_vectors`` unread)
    remote: RemoteVectors | None = None

    @property
    def document_vectors(self) -> np.ndarray:
        return self.documents.vectors

    def paragraph_rows(self, paragraphs: np.ndarray) -> np.ndarray:
        """The vectors of paragraphs ``paragraphs`` (float32), in the order asked."""
        if self.remote is not None:
            return self.remote.paragraphs(paragraphs)
        return np.asarray(self.paragraph_vectors[paragraphs])

    def with_remote_vectors(self, remote: RemoteVectors, documents_index: VectorIndex | None) -> IndexTables:
        """These tables reading paragraph and document vectors from ``remote`` (VECTOR_BACKEND=milvus), and
        searching ``documents_index`` for a question's nearest documents (None: every document is scored)."""
        d = int(self.documents.mean.shape[0])
        empty = np.zeros((0, d), dtype=np.float32)
        return replace(
            self, paragraph_vectors=empty, remote=remote,
            documents=replace(self.documents, vectors=empty, index=documents_index, fetch=remote.documents),
        )


class RemoteVectors(Protocol):
    """Paragraph and document vectors by number, kept outside the process (index/milvus_fields.py)."""

    def paragraphs(self, numbers: np.ndarray) -> np.ndarray: ...

    def documents(self, numbers: np.ndarray) -> np.ndarray: ...


def headings(texts: Sequence[str], paragraph_of: np.ndarray) -> np.ndarray:
    """Headlines, sub-headings and bullet fragments: a paragraph of one sentence that does not end like one."""
    n = len(texts)
    counts = np.bincount(paragraph_of, minlength=int(paragraph_of.max()) + 1 if n else 0)
    alone = counts[paragraph_of] == 1 if n else np.zeros(0, dtype=bool)
    ends = (bool(t) and t.rstrip()[-1] not in CLOSING_PUNCTUATION for t in texts)
    unpunctuated = np.fromiter(ends, dtype=bool, count=n)
    return np.asarray(alone & unpunctuated, dtype=bool)


def structure(sent_source: np.ndarray, sent_paragraph: np.ndarray, n_docs: int) -> Structure:
    """Paragraphs, documents, neighbours and positions of sentences stored document by document, in order."""
    doc = np.asarray(sent_source, dtype=np.int64)
    para = np.asarray(sent_paragraph, dtype=np.int64)
    n = len(doc)
    ids = np.arange(n, dtype=np.int64)
    new_para = np.ones(n, dtype=bool)
    same_prev = np.zeros(n, dtype=bool)
    same_next = np.zeros(n, dtype=bool)
    if n:
        new_para[1:] = (doc[1:] != doc[:-1]) | (para[1:] != para[:-1])
        same_prev[1:] = doc[1:] == doc[:-1]
        same_next[:-1] = doc[:-1] == doc[1:]
    doc_first = np.zeros(n_docs, dtype=np.int64)
    doc_stop = np.zeros(n_docs, dtype=np.int64)
    starts, ends = np.flatnonzero(~same_prev), np.flatnonzero(~same_next)
    doc_first[doc[starts]] = starts
    doc_stop[doc[ends]] = ends + 1
    return Structure(
        paragraph_of=np.cumsum(new_para) - 1,
        document_of=doc,
        prev_id=np.where(same_prev, ids - 1, ids),
        next_id=np.where(same_next, ids + 1, ids),
        position=ids - doc_first[doc] if n else ids,
        doc_first=doc_first,
        doc_stop=doc_stop,
    )


def mean_vectors(vectors: np.ndarray, unit_of: np.ndarray, n_units: int) -> np.ndarray:
    """Normalised mean vector of each unit; ``unit_of`` ascends (units are runs of consecutive rows)."""
    d = int(vectors.shape[1]) if vectors.ndim == 2 else 0
    out = np.zeros((n_units, d), dtype=np.float64)
    if len(unit_of):
        starts = np.flatnonzero(np.r_[True, unit_of[1:] != unit_of[:-1]])
        out[unit_of[starts]] = np.add.reduceat(vectors, starts, axis=0, dtype=np.float64)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.asarray(out / norms, dtype=np.float32)


def document_space(vectors: np.ndarray, exact_max: int = DEFAULT_EXACT_MAX) -> DocumentSpace:
    v = np.asarray(vectors, dtype=np.float32)
    n = max(len(v), 1)
    mean = v.astype(np.float64).sum(axis=0) / n if len(v) else np.zeros(v.shape[1])
    second = (v.T.astype(np.float64) @ v.astype(np.float64)) / n
    index = build_vectors("faiss", v, exact_max, int(v.shape[1])) if len(v) > exact_max else None
    return DocumentSpace(v, mean, second, index)


def build_tables(
    texts: Sequence[str],
    sent_source: np.ndarray,
    sent_paragraph: np.ndarray,
    n_docs: int,
    vectors: np.ndarray,
    exact_max: int = DEFAULT_EXACT_MAX,
    per_text: PerText | None = None,
) -> IndexTables:
    """Every table for sentences ``texts`` (in store order) with their sources, paragraphs and vectors
    (``per_text``: the texts' cues and duplicate keys when the caller already has them, e.g. from the
    previous generation)."""
    per_text = per_text or per_text_tables(texts)
    s = structure(sent_source, sent_paragraph, n_docs)
    return IndexTables(
        **vars(s),
        paragraph_vectors=mean_vectors(vectors, s.paragraph_of, s.n_paragraphs),
        documents=document_space(mean_vectors(vectors, s.document_of, n_docs), exact_max),
        terms=build_term_tables(texts, s.paragraph_of, s.document_of, n_docs),
        cues=per_text.cues,
        heading=headings(texts, s.paragraph_of),
        dup_key=per_text.dup_key,
    )


@dataclass(frozen=True)
class PerText:
    """The tables that depend on a sentence's text alone (so a build can take them from the previous one)."""

    cues: np.ndarray  # float32 (n, 4)
    dup_key: np.ndarray  # uint64 (n,)


def per_text_tables(texts: Sequence[str]) -> PerText:
    return PerText(sentence_cues(texts), np.asarray(duplicate_keys(texts), dtype=np.uint64).reshape(len(texts)))


def previous_per_text(generation: Path, n: int) -> PerText | None:
    """The per-text tables saved in a generation of ``n`` sentences (memory-mapped), or None."""
    try:
        cues = np.load(generation / TABLES_DIR / "cues.npy", mmap_mode="r")
        keys = np.load(generation / TABLES_DIR / "dup_key.npy", mmap_mode="r")
    except (OSError, ValueError):
        return None
    if cues.shape != (n, 4) or keys.shape != (n,):
        return None
    return PerText(cues, keys)


# --- saving and loading ------------------------------------------------------------------------------------

_POSTINGS = ("sentence_bm25", "paragraph_bm25", "document_bm25", "sentence_bigrams")


def _arrays(t: IndexTables) -> dict[str, np.ndarray]:
    tt = t.terms
    out = {
        "paragraph_vectors": t.paragraph_vectors,
        "document_vectors": t.documents.vectors,
        "document_mean": t.documents.mean,
        "document_second": t.documents.second,
        "cues": t.cues,
        "heading": t.heading,
        "dup_key": t.dup_key,
        "idf": tt.idf,
        "sentence_terms": tt.sentence_terms,
        "vocab_hashes": tt.vocab.hashes,
        "vocab_cols": tt.vocab.cols,
        "bigram_hashes": tt.bigrams.hashes,
        "bigram_cols": tt.bigrams.cols,
    }
    for name in _POSTINGS:
        p: Postings = getattr(tt, name)
        out[f"{name}.indptr"], out[f"{name}.indices"], out[f"{name}.data"] = p.indptr, p.indices, p.data
    return out


def save_tables(generation: Path, tables: IndexTables) -> None:
    """Write the content tables into ``generation/tables/`` (a folder being built, not yet published)."""
    folder = generation / TABLES_DIR
    folder.mkdir()
    shapes: dict[str, object] = {}
    for name, arr in _arrays(tables).items():
        np.save(folder / f"{name}.npy", np.ascontiguousarray(arr))
        shapes[name] = list(arr.shape)
    for name in _POSTINGS:
        shapes[f"{name}.units"] = getattr(tables.terms, name).n_units
    if tables.documents.index is not None:
        tables.documents.index.save(folder / DOCUMENT_FAISS)
    (folder / TABLES_SHAPES).write_text(json.dumps(shapes), encoding="utf-8")


class TablesError(ValueError):
    """A table file is missing, damaged or does not fit the rest of the index (``path`` names it)."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(detail)
        self.path = path


def load_tables(
    generation: Path, sent_source: np.ndarray, sent_paragraph: np.ndarray, n_docs: int, dimension: int,
    *, vectors_elsewhere: bool = False,
) -> IndexTables:
    """The tables saved by ``save_tables``, memory-mapped and checked against the store's sizes.
    ``vectors_elsewhere`` (VECTOR_BACKEND=milvus): the paragraph and document vectors and the document index
    are not opened (empty here; ``IndexTables.with_remote_vectors`` says where they are read)."""
    folder = generation / TABLES_DIR
    try:
        shapes = json.loads((folder / TABLES_SHAPES).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TablesError(folder / TABLES_SHAPES, str(exc) or exc.__class__.__name__) from exc
    arrays: dict[str, np.ndarray] = {}
    for name in _arrays_names():
        if vectors_elsewhere and name in REMOTE_TABLES:
            arrays[name] = np.zeros((0, dimension), dtype=np.float32)
            continue
        path = folder / f"{name}.npy"
        try:
            arr = np.load(path, mmap_mode="r")
        except (OSError, ValueError) as exc:
            raise TablesError(path, str(exc) or exc.__class__.__name__) from exc
        if not isinstance(shapes, dict) or list(arr.shape) != shapes.get(name):
            raise TablesError(path, "its size does not match the rest of the index")
        arrays[name] = arr
    s = structure(sent_source, sent_paragraph, n_docs)
    n = len(s.document_of)
    expected = {
        "paragraph_vectors": (s.n_paragraphs, dimension),
        "document_vectors": (n_docs, dimension),
        "document_mean": (dimension,),
        "document_second": (dimension, dimension),
        "cues": (n, 4),
        "heading": (n,),
        "dup_key": (n,),
        "sentence_terms": (n,),
    }
    for name, shape in expected.items():
        if tuple(arrays[name].shape) != shape and not (vectors_elsewhere and name in REMOTE_TABLES):
            raise TablesError(folder / f"{name}.npy", "its size does not match the rest of the index")
    postings = {}
    for name in _POSTINGS:
        postings[name] = Postings(
            arrays[f"{name}.indptr"], arrays[f"{name}.indices"], arrays[f"{name}.data"], int(shapes[f"{name}.units"])
        )
    index: VectorIndex | None = None
    faiss_path = folder / DOCUMENT_FAISS
    if faiss_path.exists() and not vectors_elsewhere:
        try:
            index = load_vectors("faiss", faiss_path)
        except Exception as exc:  # faiss raises RuntimeError on a damaged file
            raise TablesError(faiss_path, str(exc).strip().splitlines()[0] if str(exc).strip() else "damaged") from exc
        if index.count != n_docs:
            raise TablesError(faiss_path, "its size does not match the rest of the index")
        index.attach_exact(rows_of(arrays["document_vectors"]))
    terms = TermTables(
        vocab=Lookup(arrays["vocab_hashes"], arrays["vocab_cols"]),
        idf=arrays["idf"],
        sentence_bm25=postings["sentence_bm25"],
        paragraph_bm25=postings["paragraph_bm25"],
        document_bm25=postings["document_bm25"],
        sentence_terms=arrays["sentence_terms"],
        bigrams=Lookup(arrays["bigram_hashes"], arrays["bigram_cols"]),
        sentence_bigrams=postings["sentence_bigrams"],
    )
    return IndexTables(
        **vars(s),
        paragraph_vectors=arrays["paragraph_vectors"],
        documents=DocumentSpace(
            arrays["document_vectors"], np.asarray(arrays["document_mean"]), np.asarray(arrays["document_second"]),
            index,
        ),
        terms=terms,
        cues=arrays["cues"],
        heading=arrays["heading"],
        dup_key=arrays["dup_key"],
    )


def _arrays_names() -> list[str]:
    names = [
        "paragraph_vectors", "document_vectors", "document_mean", "document_second", "cues", "heading", "dup_key",
        "idf",
        "sentence_terms", "vocab_hashes", "vocab_cols", "bigram_hashes", "bigram_cols",
    ]
    for name in _POSTINGS:
        names += [f"{name}.indptr", f"{name}.indices", f"{name}.data"]
    return names
