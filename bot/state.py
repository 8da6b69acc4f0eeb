"""The bot's small persistent state: answers behind buttons, and when the last reindex ran.

One SQLite file (TELEGRAM_STATE_FILE, by default ``<INDEX_DIR>/bot-state.sqlite``). A button carries only
an opaque random key (callback_data.py); the key maps to the question and to the citations of the quotes
shown, so "More quotes" and "Show context" keep working after a restart. Rows older than
``KEEP_DAYS`` are dropped at start-up; their buttons then answer "this answer expired".

Safe to call from worker threads: one connection, used under a lock.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Protocol

from retrieval.records import Quote

KEEP_DAYS: Final = 30

SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS answers (
    key TEXT PRIMARY KEY,
    question TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS quotes (
    key TEXT NOT NULL REFERENCES answers(key) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    source TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    line INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (key, number)
);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class StoredQuote:
    """Where quote [number] of an answer stood when it was shown (its first citation)."""

    number: int
    source: str
    start: int
    end: int
    line: int
    text: str


class AnswerStore(Protocol):
    """What the bot needs of its state: this SQLite store, or the Redis one several processes share
    (state_redis.py)."""

    def close(self) -> None: ...

    def prune(self, keep_days: float = KEEP_DAYS) -> int: ...

    def new_answer(self, question: str, quotes: Sequence[Quote]) -> str: ...

    def add_quotes(self, key: str, first_number: int, quotes: Sequence[Quote]) -> None: ...

    def question(self, key: str) -> str | None: ...

    def quote(self, key: str, number: int) -> StoredQuote | None: ...

    def get_meta(self, name: str) -> str | None: ...

    def set_meta(self, name: str, value: str) -> None: ...


class StateStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._con = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._con.execute("PRAGMA journal_mode=WAL")
        self._con.execute("PRAGMA synchronous=NORMAL")
        self._con.execute("PRAGMA foreign_keys=ON")
        self._con.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._con.close()

    def prune(self, keep_days: float = KEEP_DAYS) -> int:
        """Forget answers older than ``keep_days``; how many were forgotten."""
        with self._lock:
            cutoff = time.time() - keep_days * 86400
            cur = self._con.execute("DELETE FROM answers WHERE created < ?", (cutoff,))
            return cur.rowcount

    def new_answer(self, question: str, quotes: Sequence[Quote]) -> str:
        """Remember a question and its first quotes, numbered from 1; the key for its buttons."""
        key = secrets.token_urlsafe(9)  # 12 characters of [A-Za-z0-9_-]
        with self._lock, self._con:
            self._con.execute("BEGIN")
            self._con.execute("INSERT INTO answers VALUES (?, ?, ?)", (key, question, time.time()))
            self._insert_quotes(key, 1, quotes)
        return key

    def add_quotes(self, key: str, first_number: int, quotes: Sequence[Quote]) -> None:
        """Remember more quotes of an answer, numbered from ``first_number``."""
        with self._lock, self._con:
            self._con.execute("BEGIN")
            self._insert_quotes(key, first_number, quotes)

    def _insert_quotes(self, key: str, first_number: int, quotes: Sequence[Quote]) -> None:
        self._con.executemany(
            'INSERT OR REPLACE INTO quotes (key, number, source, start, "end", line, text) '
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(key, first_number + i, q.source, q.start, q.end, q.line, q.text) for i, q in enumerate(quotes)],
        )

    def question(self, key: str) -> str | None:
        with self._lock:
            row = self._con.execute("SELECT question FROM answers WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def quote(self, key: str, number: int) -> StoredQuote | None:
        with self._lock:
            row = self._con.execute(
                'SELECT number, source, start, "end", line, text FROM quotes WHERE key = ? AND number = ?',
                (key, number),
            ).fetchone()
        return None if row is None else StoredQuote(int(row[0]), str(row[1]), int(row[2]), int(row[3]),
                                                    int(row[4]), str(row[5]))

    def get_meta(self, name: str) -> str | None:
        with self._lock:
            row = self._con.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, name: str, value: str) -> None:
        with self._lock:
            self._con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))
