"""The bot's state in Redis, shared by several `verbatim serve` processes (TELEGRAM_STATE_URL=redis://...).

The same interface as the SQLite store (state.py): answers behind buttons, meta values; plus
``claim_update``, so that of several webhook processes that receive the same update only one answers it.
SQLite stays the default for one process.

Keys, under a prefix (default ``verbatim:``):

    answer:<key>     hash: question, created (unix time)
    quotes:<key>     hash: quote number -> JSON {source, start, end, line, text}
    meta             hash: name -> value
    update:<id>      "1", set only if absent (SET NX), expiring after UPDATE_TTL_S

An answer and its quotes expire KEEP_DAYS after the answer was created (EXPIREAT on both keys), so Redis
forgets old answers itself and ``prune`` has nothing left to do. Every call is one round trip or one
MULTI/EXEC transaction; redis-py's client is safe to share between threads.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Sequence
from typing import Final

import redis
from redis.typing import EncodableT, FieldT

from bot.state import KEEP_DAYS, StoredQuote
from retrieval.errors import VerbatimError
from retrieval.records import Quote

log = logging.getLogger(__name__)

DEFAULT_PREFIX: Final = "verbatim:"
# Telegram keeps re-delivering an update it got no 200 for for up to 24 hours: a claim outlives that.
UPDATE_TTL_S: Final = 2 * 86_400
CONNECT_TIMEOUT_S: Final = 5.0


class StateUnavailableError(VerbatimError):
    """The shared state store cannot be reached; the message says how to fix it."""


def _redacted(url: str) -> str:
    """The URL without a password (redis://:secret@host -> redis://:***@host)."""
    head, sep, tail = url.rpartition("@")
    if not sep:
        return url
    return f"{head.partition('://')[0]}://***@{tail}"


class RedisStateStore:
    def __init__(self, url: str, *, prefix: str = DEFAULT_PREFIX, keep_days: float = KEEP_DAYS) -> None:
        self.url = _redacted(url)
        self.prefix = prefix
        self.keep_days = keep_days
        try:
            self._redis = redis.Redis.from_url(
                url, decode_responses=True, socket_connect_timeout=CONNECT_TIMEOUT_S,
                socket_timeout=CONNECT_TIMEOUT_S, health_check_interval=30,
            )
            self._redis.ping()
        except ValueError as exc:  # a malformed URL
            raise StateUnavailableError(
                f"TELEGRAM_STATE_URL {self.url!r} is not a Redis URL ({exc}); use redis://host:6379/0"
            ) from exc
        except redis.RedisError as exc:
            raise StateUnavailableError(
                f"cannot reach Redis at {self.url} ({exc}); start redis-server, or fix TELEGRAM_STATE_URL"
            ) from exc

    def _key(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    def close(self) -> None:
        self._redis.close()

    def prune(self, keep_days: float = KEEP_DAYS) -> int:
        """Nothing to do: answers expire in Redis KEEP_DAYS after they were made (EXPIREAT)."""
        return 0

    def new_answer(self, question: str, quotes: Sequence[Quote]) -> str:
        """Remember a question and its first quotes, numbered from 1; the key for its buttons."""
        key = secrets.token_urlsafe(9)  # 12 characters of [A-Za-z0-9_-], as the SQLite store
        created = time.time()
        expires = int(created + self.keep_days * 86_400)
        pipe = self._redis.pipeline(transaction=True)
        pipe.hset(self._key("answer", key), mapping={"question": question, "created": repr(created)})
        pipe.expireat(self._key("answer", key), expires)
        if quotes:
            pipe.hset(self._key("quotes", key), mapping=_quote_fields(1, quotes))
            pipe.expireat(self._key("quotes", key), expires)
        pipe.execute()
        return key

    def add_quotes(self, key: str, first_number: int, quotes: Sequence[Quote]) -> None:
        """Remember more quotes of an answer, numbered from ``first_number`` (nothing if it expired)."""
        created = self._redis.hget(self._key("answer", key), "created")
        if created is None or not quotes:
            return
        pipe = self._redis.pipeline(transaction=True)
        pipe.hset(self._key("quotes", key), mapping=_quote_fields(first_number, quotes))
        pipe.expireat(self._key("quotes", key), int(float(created) + self.keep_days * 86_400))
        pipe.execute()

    def question(self, key: str) -> str | None:
        value = self._redis.hget(self._key("answer", key), "question")
        return None if value is None else str(value)

    def quote(self, key: str, number: int) -> StoredQuote | None:
        raw = self._redis.hget(self._key("quotes", key), str(number))
        if raw is None:
            return None
        q = json.loads(str(raw))
        return StoredQuote(number, str(q["source"]), int(q["start"]), int(q["end"]), int(q["line"]), str(q["text"]))

    def get_meta(self, name: str) -> str | None:
        value = self._redis.hget(self._key("meta"), name)
        return None if value is None else str(value)

    def set_meta(self, name: str, value: str) -> None:
        self._redis.hset(self._key("meta"), name, value)

    def claim_update(self, update_id: int) -> bool:
        """True for the one process that claims this update first; False for every other (SET NX).

        Fails open: when Redis cannot be reached the update is answered (a duplicate answer is better than
        none), with a warning."""
        try:
            return bool(self._redis.set(self._key("update", str(update_id)), "1", nx=True, ex=UPDATE_TTL_S))
        except redis.RedisError as exc:
            log.warning("Could not claim update %d in Redis at %s (%s): answering it", update_id, self.url, exc)
            return True


def _fields(**values: str) -> dict[FieldT, EncodableT]:
    return {name: value for name, value in values.items()}


def _quote_fields(first_number: int, quotes: Sequence[Quote]) -> dict[FieldT, EncodableT]:
    return {
        str(first_number + i): json.dumps(
            {"source": q.source, "start": q.start, "end": q.end, "line": q.line, "text": q.text}, ensure_ascii=False
        )
        for i, q in enumerate(quotes)
    }
