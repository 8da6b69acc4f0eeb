"""Where answering reads a sentence's fields and vector: the seam between the local store and an engine.

``Sentences`` is what the engine, the quotes and the context read about one sentence (text, offsets, line,
paragraph, speaker, mentions, vector) and about the sentences of a speaker. Two sources serve it:

- ``LocalSentences`` (VECTOR_BACKEND=faiss or exact): the store's columns and the memory-mapped vectors of the
  generation folder, held for the life of the process (fast at one machine's scale);
- ``MilvusSentences`` (milvus_fields.py, VECTOR_BACKEND=milvus): the rows of the generation's sentence
  collection, fetched by id through bounded LRU caches, so that a serve process holds no per-sentence data
  that grows with the corpus.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

import numpy as np

from retrieval.index.store import StoreColumns
from retrieval.settings import DEFAULT_CACHE_SENTENCES as DEFAULT_CACHE_SENTENCES  # re-exported
from retrieval.vectors.base import rows_of


@dataclass(frozen=True)
class SentenceInfo:
    """One sentence as answering reads it; ``text`` is always its source's text[start:end]."""

    source_no: int  # row of IndexData.sources
    start: int
    end: int
    line: int
    paragraph: int
    text: str
    speaker: str | None
    mentions: str  # JSON (attribution.py)


class Sentences(Protocol):
    """Per-sentence fields and vectors by id (ids are rows 0..n-1 of the generation)."""

    def info(self, sentence_id: int) -> SentenceInfo: ...

    def infos(self, ids: Sequence[int]) -> list[SentenceInfo]:
        """Several at once (one round trip for those not cached), in the order asked."""
        ...

    def text(self, sentence_id: int) -> str: ...

    def prefetch(self, ids: np.ndarray) -> None:
        """Bring these sentences' fields close (one round trip) before they are read one by one."""
        ...

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        """The float32 sentence vectors of ``ids``, in the order asked."""
        ...

    def spoken_by(self, speakers: Collection[str]) -> np.ndarray:
        """The sorted ids of the sentences whose speaker is one of ``speakers``."""
        ...

    def article(self, source_no: int) -> str:
        """The indexed text of a source (what every sentence's offsets point into)."""
        ...

    def warm(self) -> None:
        """Do once, in the engine's warm-up thread, what would otherwise slow the first question."""
        ...


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Lru(Generic[K, V]):
    """A thread-safe least-recently-used cache of at most ``size`` entries (0: keeps nothing)."""

    def __init__(self, size: int) -> None:
        self.size = max(0, size)
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get_many(self, keys: Sequence[K], fetch: Callable[[list[K]], dict[K, V]]) -> list[V]:
        """The values of ``keys`` in order; those not cached come from one ``fetch`` of the missing keys."""
        found: dict[K, V] = {}
        with self._lock:
            for k in keys:
                if k in self._items:
                    self._items.move_to_end(k)
                    found[k] = self._items[k]
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        if missing:
            fetched = fetch(missing)
            found.update(fetched)
            with self._lock:
                for k, v in fetched.items():
                    self._items[k] = v
                    self._items.move_to_end(k)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return [found[k] for k in keys]

    def get(self, key: K, fetch: Callable[[list[K]], dict[K, V]]) -> V:
        return self.get_many([key], fetch)[0]


class LocalSentences:
    """The store's columns and the generation's vectors.npy (memory-mapped), held by the process."""

    def __init__(self, columns: StoreColumns, vectors: np.ndarray) -> None:
        self.columns = columns
        self.vectors_array = vectors
        self._rows = rows_of(vectors)
        self._spoken_by: dict[str, np.ndarray] | None = None
        self._lock = threading.Lock()

    def text(self, sentence_id: int) -> str:
        c = self.columns
        start, end = int(c.sent_start[sentence_id]), int(c.sent_end[sentence_id])
        return c.sources[int(c.sent_source[sentence_id])].text[start:end]

    def info(self, sentence_id: int) -> SentenceInfo:
        c, i = self.columns, int(sentence_id)
        return SentenceInfo(
            source_no=int(c.sent_source[i]), start=int(c.sent_start[i]), end=int(c.sent_end[i]),
            line=int(c.sent_line[i]), paragraph=int(c.sent_paragraph[i]), text=self.text(i),
            speaker=c.speakers[i], mentions=c.mentions[i],
        )

    def infos(self, ids: Sequence[int]) -> list[SentenceInfo]:
        return [self.info(i) for i in ids]

    def prefetch(self, ids: np.ndarray) -> None:
        """Nothing to do: the columns are in memory."""

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        return self._rows(np.asarray(ids, dtype=np.int64))

    def spoken_by(self, speakers: Collection[str]) -> np.ndarray:
        by = self._by_speaker()
        found = [by[k] for k in speakers if k in by]
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)

    def _by_speaker(self) -> dict[str, np.ndarray]:
        """Each speaker's sentences: one pass over the stored speaker labels (in the warm-up)."""
        with self._lock:
            if self._spoken_by is None:
                by: dict[str, list[int]] = {}
                for i, speaker in enumerate(self.columns.speakers):
                    if speaker:
                        by.setdefault(speaker, []).append(i)
                self._spoken_by = {k: np.asarray(v, dtype=np.int64) for k, v in by.items()}
            return self._spoken_by

    def article(self, source_no: int) -> str:
        return self.columns.sources[source_no].text

    def warm(self) -> None:
        self._by_speaker()
