"""A generation's sentences read from Milvus (VECTOR_BACKEND=milvus), through bounded caches.

The sentence collection holds each sentence's text, source, offsets, line, paragraph, speaker, mentions and
vector (retrieval/vectors/milvus/rows.py). A reader fetches the rows it needs by id, a question's candidates
at once, and keeps the last ``cache_size`` of them (and as many vectors) in LRU caches: what a serve process
holds does not grow with the corpus. Each row is checked against what was indexed: its source must be the
sentence's source in the generation's layout, and its text exactly ``end - start`` characters (a text the
VARCHAR limit cut is read from the article instead), so a quote is always the article's text[start:end].
Articles (for context and multi-sentence quotes) are read from the generation's store, one at a time, into a
small LRU cache of their own.

``MilvusContext`` gives the paragraph and document vectors the ranking features read (tables.py reads them
from the generation folder for FAISS): a document's from the documents collection by id, a paragraph's as
the build computes it (the normalised float64 mean of its sentences' vectors, tables.mean_vectors) from its
sentences' vectors fetched through ``MilvusSentences``; each kept in an LRU cache of ``cache_size``.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from retrieval.errors import IndexCorruptError
from retrieval.index.fields import DEFAULT_CACHE_SENTENCES, Lru, SentenceInfo
from retrieval.index.store import read_article, read_mentions
from retrieval.index.tables import mean_vectors
from retrieval.records import SourceRow

if TYPE_CHECKING:  # pymilvus is imported only by readers of a Milvus index
    from retrieval.vectors.milvus import MilvusVectorIndex, SentenceRecord

T = TypeVar("T")

ARTICLE_CACHE = 256  # articles (~5 KB of text each in news)
SPEAKER_CACHE = 256  # speakers' sentence id lists


class MilvusSentences:
    def __init__(
        self, collection: MilvusVectorIndex, sources: tuple[SourceRow, ...], document_of: np.ndarray, store: Path,
        cache_size: int = DEFAULT_CACHE_SENTENCES,
    ) -> None:
        self.collection = collection
        self.sources = sources
        self.document_of = document_of  # source number per sentence (the ranking structure has it anyway)
        self.store = store
        self.cache_size = cache_size
        self._infos: Lru[int, SentenceInfo] = Lru(cache_size)
        self._vectors: Lru[int, np.ndarray] = Lru(cache_size)
        self._articles: Lru[int, str] = Lru(ARTICLE_CACHE)
        self._speakers: Lru[tuple[str, ...], np.ndarray] = Lru(SPEAKER_CACHE)

    def info(self, sentence_id: int) -> SentenceInfo:
        return self._infos.get(int(sentence_id), self._fetch)

    def infos(self, ids: Sequence[int]) -> list[SentenceInfo]:
        return self._infos.get_many([int(i) for i in ids], self._fetch)

    def text(self, sentence_id: int) -> str:
        return self.info(sentence_id).text

    def prefetch(self, ids: np.ndarray) -> None:
        self.infos(np.unique(np.asarray(ids, dtype=np.int64)).tolist())

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        wanted = _ints(ids)
        rows = self._vectors.get_many(wanted, lambda missing: _vectors_by_id(self.collection, missing))
        return _stack(rows, self.collection.dimension)

    def spoken_by(self, speakers: Collection[str]) -> np.ndarray:
        key = tuple(sorted(set(speakers)))
        return self._speakers.get(key, lambda keys: {k: self.collection.spoken_by(k) for k in keys})

    def article(self, source_no: int) -> str:
        return self._articles.get(int(source_no), self._read_articles)

    def cached(self) -> tuple[int, int]:
        """How many sentences' fields and vectors the caches hold now (each at most ``cache_size``)."""
        return len(self._infos), len(self._vectors)

    def warm(self) -> None:
        """Nothing to read ahead: every row is fetched when a question first needs it."""

    # --- fetching --------------------------------------------------------------------------------------

    def _fetch(self, ids: list[int]) -> dict[int, SentenceInfo]:
        records = {r.id: r for r in self.collection.sentences(ids)}
        missing = [i for i in ids if i not in records]
        if missing:
            raise self._damaged(f"has no row for sentence {missing[0]}")
        lost = [i for i in ids if records[i].mentions is None]  # too long for the field: the store has it
        mentions = self._read(lambda: read_mentions(self.store, lost)) if lost else {}
        return {i: self._checked(records[i], mentions.get(i)) for i in ids}

    def _checked(self, r: SentenceRecord, mentions: str | None) -> SentenceInfo:
        no = int(self.document_of[r.id])
        if self.sources[no].source != r.source or r.end < r.start:
            raise self._damaged(f"row {r.id} is from {r.source}, the index has it in {self.sources[no].source}")
        text = r.text
        if len(text) != r.end - r.start:  # cut to the VARCHAR limit: the article has it whole
            text = self.article(no)[r.start : r.end]
        return SentenceInfo(no, r.start, r.end, r.line, r.paragraph, text, r.speaker, r.mentions or mentions or "[]")

    def _read_articles(self, nos: list[int]) -> dict[int, str]:
        return {no: self._read(functools.partial(read_article, self.store, no)) for no in nos}

    def _read(self, read: Callable[[], T]) -> T:
        try:
            return read()
        except (OSError, sqlite3.DatabaseError, KeyError) as exc:
            raise IndexCorruptError(
                f"index file {self.store} is missing or damaged ({exc.__class__.__name__}: {exc}). "
                "Rebuild the index with `verbatim index --rebuild`."
            ) from exc

    def _damaged(self, what: str) -> IndexCorruptError:
        return IndexCorruptError(
            f"the sentences collection {self.collection.collection} in Milvus at {self.collection.uri} {what}: "
            "it does not match the index folder. Rebuild the index with `verbatim index --rebuild`."
        )


class MilvusContext:
    """Paragraph and document vectors by number (tables.RemoteVectors), read from Milvus through LRU caches."""

    def __init__(
        self, sentences: MilvusSentences, documents: MilvusVectorIndex, paragraph_of: np.ndarray,
        cache_size: int = DEFAULT_CACHE_SENTENCES,
    ) -> None:
        self.sentences = sentences
        self.collection = documents
        self.paragraph_of = paragraph_of  # global paragraph number per sentence (ascending)
        self._paragraphs: Lru[int, np.ndarray] = Lru(cache_size)
        self._documents: Lru[int, np.ndarray] = Lru(cache_size)

    def paragraphs(self, numbers: np.ndarray) -> np.ndarray:
        return _stack(self._paragraphs.get_many(_ints(numbers), self._fetch_paragraphs), self.collection.dimension)

    def documents(self, numbers: np.ndarray) -> np.ndarray:
        rows = self._documents.get_many(_ints(numbers), lambda missing: _vectors_by_id(self.collection, missing))
        return _stack(rows, self.collection.dimension)

    def cached(self) -> tuple[int, int]:
        """How many paragraph and document vectors the caches hold now (each at most ``cache_size``)."""
        return len(self._paragraphs), len(self._documents)

    def _fetch_paragraphs(self, nos: list[int]) -> dict[int, np.ndarray]:
        wanted = np.asarray(nos, dtype=np.int64)
        first = np.searchsorted(self.paragraph_of, wanted, side="left")
        stop = np.searchsorted(self.paragraph_of, wanted, side="right")
        ids = np.concatenate([np.arange(a, b, dtype=np.int64) for a, b in zip(first, stop, strict=True)])
        unit = np.repeat(np.arange(len(nos), dtype=np.int64), stop - first)  # every paragraph has a sentence
        means = mean_vectors(self.sentences.vectors(ids), unit, len(nos))  # the build's arithmetic, row for row
        return {no: means[row] for row, no in enumerate(nos)}


def _ints(numbers: np.ndarray) -> list[int]:
    return [int(i) for i in np.asarray(numbers, dtype=np.int64).reshape(-1)]


def _vectors_by_id(collection: MilvusVectorIndex, ids: list[int]) -> dict[int, np.ndarray]:
    """The vectors of ``ids`` in one Milvus ``get`` (sentences or documents: the same call)."""
    found = collection.vectors(ids)
    return {i: found[row] for row, i in enumerate(ids)}


def _stack(rows: list[np.ndarray], dimension: int) -> np.ndarray:
    return np.asarray(rows, dtype=np.float32).reshape(len(rows), dimension)
