"""The metadata store: one SQLite file per index generation.

Tables:
- ``sources``: one row per article: its id (path relative to the corpus), content hash, decoding, the
  decoded text itself (so quotes and context come from exactly what was indexed, never from a path a user
  names), its sentence count, and the title and URL its file carries (for citations).
- ``sentences``: one row per sentence, ``id`` = its row in the vector index: source, offsets, 1-based line,
  paragraph, a hash of its text (the embedding cache key), its detected speaker and the people it names or
  refers to (``mentions``, JSON); sources keep the people their article names (``people``, JSON), so an
  unchanged article is never analysed again.
- ``passages``: windows of consecutive sentences of one source (first and last sentence id).
- ``people``: every person of the corpus, merged over articles (key -> JSON), read when a question first asks
  for someone's words.
- ``files``: size and modification time of every corpus file the build saw (indexed or skipped), so that
  asking can tell cheaply that the corpus changed since (freshness.py). Stores written before it have no
  such table: then nothing is said.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.records import SourceRow

SCHEMA = """
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    encoding TEXT NOT NULL,
    text TEXT NOT NULL,
    n_sentences INTEGER NOT NULL,
    people TEXT NOT NULL DEFAULT '{}',
    title TEXT,
    url TEXT
);
CREATE TABLE sentences (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    line INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    text_hash TEXT NOT NULL,
    speaker TEXT,
    mentions TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE passages (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    first_sentence INTEGER NOT NULL,
    last_sentence INTEGER NOT NULL
);
CREATE TABLE people (key TEXT PRIMARY KEY, person TEXT NOT NULL);
CREATE TABLE info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
FILES_TABLE = (
    "CREATE TABLE IF NOT EXISTS files (source TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL)"
)


@contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the store at ``path``, closed on leaving."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        yield con
    finally:
        con.close()


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class SentenceRow:
    id: int
    source_id: int
    start: int
    end: int
    line: int
    paragraph: int
    text_hash: str
    speaker: str | None
    mentions: str = "[]"  # JSON list: the people this sentence names or refers to


@dataclass(frozen=True)
class FileStat:
    """A corpus file as the build saw it: size in bytes and modification time in ns (-1: unknown)."""

    size: int
    mtime_ns: int


@dataclass(frozen=True)
class PassageRow:
    id: int
    source_id: int
    first_sentence: int
    last_sentence: int


@dataclass(frozen=True)
class StoreContents:
    sources: tuple[SourceRow, ...]
    sentences: tuple[SentenceRow, ...]
    passages: tuple[PassageRow, ...]
    info: dict[str, str]


def write_store(
    path: Path,
    sources: Iterable[SourceRow],
    sentences: Iterable[SentenceRow],
    passages: Iterable[PassageRow],
    info: dict[str, str],
    people: Iterable[tuple[str, str]] = (),
    files: dict[str, FileStat] | None = None,
) -> None:
    """Write a complete store to a new file at ``path``; ``people`` are (key, JSON) rows, ``files`` the
    corpus files the build saw."""
    con = sqlite3.connect(path)
    try:
        con.executescript(SCHEMA)
        con.execute(FILES_TABLE)
        con.executemany(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (s.id, s.source, s.sha256, s.encoding, s.text, s.n_sentences, s.people, s.title, s.url)
                for s in sources
            ),
        )
        con.executemany(
            "INSERT INTO sentences VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (s.id, s.source_id, s.start, s.end, s.line, s.paragraph, s.text_hash, s.speaker, s.mentions)
                for s in sentences
            ),
        )
        con.executemany(
            "INSERT INTO passages VALUES (?, ?, ?, ?)",
            ((p.id, p.source_id, p.first_sentence, p.last_sentence) for p in passages),
        )
        con.executemany("INSERT INTO people VALUES (?, ?)", people)
        con.executemany("INSERT INTO info VALUES (?, ?)", info.items())
        _insert_files(con, files or {})
        con.commit()
    finally:
        con.close()


def _insert_files(con: sqlite3.Connection, files: dict[str, FileStat]) -> None:
    con.executemany("INSERT INTO files VALUES (?, ?, ?)", ((k, v.size, v.mtime_ns) for k, v in files.items()))


def read_info(path: Path) -> dict[str, str]:
    """The store's info (key -> value): when it was built, from which corpus folder."""
    with _read_only(path) as con:
        return dict(con.execute("SELECT key, value FROM info").fetchall())


def read_files(path: Path) -> dict[str, FileStat] | None:
    """The corpus files a build saw, or None for a store written before they were recorded."""
    with _read_only(path) as con:
        try:
            rows = con.execute("SELECT source, size, mtime_ns FROM files").fetchall()
        except sqlite3.OperationalError:  # no such table: an older store
            return None
    return {source: FileStat(size, mtime) for source, size, mtime in rows}


def refresh_files(path: Path, files: dict[str, FileStat], info: dict[str, str]) -> None:
    """Record new file times (and ``info`` keys) in a published store, after a build found every article's
    content unchanged (``touch``, a checkout): the only write to a published generation, and only to what
    the freshness check reads; SQLite keeps it atomic for readers."""
    con = sqlite3.connect(path)
    try:
        with con:
            con.execute(FILES_TABLE)
            con.execute("DELETE FROM files")
            _insert_files(con, files)
            con.executemany("INSERT OR REPLACE INTO info VALUES (?, ?)", info.items())
    finally:
        con.close()


def read_sources_brief(path: Path) -> dict[str, str]:
    """source id -> sha256, without reading texts (for the incremental no-op check)."""
    with _read_only(path) as con:
        return dict(con.execute("SELECT source, sha256 FROM sources").fetchall())


def read_source(path: Path, source: str) -> SourceRow | None:
    """One article's row (its indexed text included), or None when the store has no such source."""
    with _read_only(path) as con:
        row = con.execute("SELECT * FROM sources WHERE source = ?", (source,)).fetchone()
    return SourceRow(*row) if row is not None else None


def read_store(path: Path) -> StoreContents:
    """Read a whole store. Raises sqlite3.DatabaseError on a damaged file."""
    with _read_only(path) as con:
        sources = tuple(SourceRow(*row) for row in con.execute("SELECT * FROM sources ORDER BY id"))
        sentences = tuple(SentenceRow(*row) for row in con.execute("SELECT * FROM sentences ORDER BY id"))
        passages = tuple(PassageRow(*row) for row in con.execute("SELECT * FROM passages ORDER BY id"))
        info = dict(con.execute("SELECT key, value FROM info").fetchall())
    return StoreContents(sources, sentences, passages, info)


@dataclass(frozen=True)
class StoreColumns:
    """What answering needs from a store, as arrays (no per-sentence objects): fast to load at scale."""

    sources: tuple[SourceRow, ...]
    sent_source: np.ndarray  # int32
    sent_start: np.ndarray  # int64
    sent_end: np.ndarray  # int64
    sent_line: np.ndarray  # int32
    sent_paragraph: np.ndarray  # int32
    speakers: tuple[str | None, ...]
    mentions: tuple[str, ...]  # JSON per sentence
    pass_first: np.ndarray  # int64
    pass_last: np.ndarray  # int64
    info: dict[str, str]

    @property
    def n_sentences(self) -> int:
        return len(self.sent_start)


def _int_columns(con: sqlite3.Connection, sql: str, width: int) -> np.ndarray:
    rows = con.execute(sql).fetchall()
    return np.array(rows, dtype=np.int64).reshape(len(rows), width)


def read_columns(path: Path) -> StoreColumns:
    """Read the store as columns. Raises sqlite3.DatabaseError on a damaged file."""
    with _read_only(path) as con:
        sources = tuple(  # without each article's people: answering reads the merged ones (read_people)
            SourceRow(*row)
            for row in con.execute(
                "SELECT id, source, sha256, encoding, text, n_sentences, '{}', title, url FROM sources ORDER BY id"
            )
        )
        sent = _int_columns(
            con, 'SELECT source_id, start, "end", line, paragraph FROM sentences ORDER BY id', 5
        )
        speakers = tuple(r[0] for r in con.execute("SELECT speaker FROM sentences ORDER BY id"))
        mentions = tuple(r[0] for r in con.execute("SELECT mentions FROM sentences ORDER BY id"))
        passages = _int_columns(con, "SELECT first_sentence, last_sentence FROM passages ORDER BY id", 2)
        info = dict(con.execute("SELECT key, value FROM info").fetchall())
    return StoreColumns(
        sources=sources,
        sent_source=sent[:, 0].astype(np.int32),
        sent_start=np.ascontiguousarray(sent[:, 1]),
        sent_end=np.ascontiguousarray(sent[:, 2]),
        sent_line=sent[:, 3].astype(np.int32),
        sent_paragraph=sent[:, 4].astype(np.int32),
        speakers=speakers,
        mentions=mentions,
        pass_first=np.ascontiguousarray(passages[:, 0]),
        pass_last=np.ascontiguousarray(passages[:, 1]),
        info=info,
    )


def read_people(path: Path) -> dict[str, str]:
    """The merged people of the corpus: key -> JSON. Raises sqlite3.DatabaseError on a damaged file."""
    with _read_only(path) as con:
        return dict(con.execute("SELECT key, person FROM people").fetchall())


@dataclass(frozen=True)
class StoreLayout:
    """What the ranking structure needs from a store, without the articles' texts or the per-sentence fields
    (a reader whose sentences are in Milvus): sources without their text, each sentence's source and
    paragraph, each passage's sentences."""

    sources: tuple[SourceRow, ...]  # text "" (read_article reads one)
    sent_source: np.ndarray  # int32
    sent_paragraph: np.ndarray  # int32
    pass_first: np.ndarray  # int64
    pass_last: np.ndarray  # int64
    info: dict[str, str]


def read_layout(path: Path) -> StoreLayout:
    """Read the store's layout. Raises sqlite3.DatabaseError on a damaged file."""
    with _read_only(path) as con:
        sources = tuple(
            SourceRow(*row)
            for row in con.execute(
                "SELECT id, source, sha256, encoding, '', n_sentences, '{}', title, url FROM sources ORDER BY id"
            )
        )
        sent = _int_columns(con, "SELECT source_id, paragraph FROM sentences ORDER BY id", 2)
        passages = _int_columns(con, "SELECT first_sentence, last_sentence FROM passages ORDER BY id", 2)
        info = dict(con.execute("SELECT key, value FROM info").fetchall())
    return StoreLayout(
        sources=sources,
        sent_source=sent[:, 0].astype(np.int32),
        sent_paragraph=sent[:, 1].astype(np.int32),
        pass_first=np.ascontiguousarray(passages[:, 0]),
        pass_last=np.ascontiguousarray(passages[:, 1]),
        info=info,
    )


def read_article(path: Path, source_no: int) -> str:
    """The indexed text of source number ``source_no``. Raises sqlite3.DatabaseError, or KeyError when absent."""
    with _read_only(path) as con:
        row = con.execute("SELECT text FROM sources WHERE id = ?", (int(source_no),)).fetchone()
    if row is None:
        raise KeyError(source_no)
    return str(row[0])


def read_mentions(path: Path, ids: Sequence[int]) -> dict[int, str]:
    """The mentions JSON of these sentences. Raises sqlite3.DatabaseError on a damaged file."""
    wanted = [int(i) for i in ids]
    with _read_only(path) as con:
        marks = ",".join("?" * len(wanted))
        rows = con.execute(f"SELECT id, mentions FROM sentences WHERE id IN ({marks})", wanted).fetchall()
    return {int(i): str(m) for i, m in rows}
