"""The Redis state store against a real redis-server on 127.0.0.1: the SQLite store's behaviour, shared by
several clients (as several bot processes), update claims, expiry, and one-line errors."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from bot.state import KEEP_DAYS, StateStore, StoredQuote
from bot.state_redis import UPDATE_TTL_S, RedisStateStore, StateUnavailableError
from retrieval.records import Citation, Quote
from tests.support.net import free_port
from tests.support.redis_server import redis_server


@pytest.fixture()
def url(tmp_path: Path) -> Iterator[str]:
    with redis_server(tmp_path / "redis") as running:
        yield running


def quote(n: int, text: str = "Putin called Rutte “intelligent and systematic”.") -> Quote:
    return Quote(text, f"dir/{n}.txt", 10 * n, 10 * n + len(text), n + 1, 0.5, (n,), None,
                 (Citation(f"dir/{n}.txt", 10 * n, 10 * n + len(text), n + 1),))


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_same_behaviour_as_the_sqlite_store(kind: str, tmp_path: Path, url: str) -> None:
    store: StateStore | RedisStateStore = (
        StateStore(tmp_path / "state.sqlite") if kind == "sqlite" else RedisStateStore(url)
    )
    try:
        key = store.new_answer("what did Putin say about Rutte?", [quote(0), quote(1)])
        assert len(key) == 12 and key.replace("-", "").replace("_", "").isalnum()
        assert store.question(key) == "what did Putin say about Rutte?"
        assert store.quote(key, 1) == StoredQuote(1, "dir/0.txt", 0, len(quote(0).text), 1, quote(0).text)
        assert store.quote(key, 2) == StoredQuote(2, "dir/1.txt", 10, 10 + len(quote(1).text), 2, quote(1).text)
        assert store.quote(key, 3) is None
        store.add_quotes(key, 3, [quote(5, "Ünïcode ‘quotes’ — and <html> & stuff")])
        added = store.quote(key, 3)
        assert added is not None and added.text == "Ünïcode ‘quotes’ — and <html> & stuff" and added.line == 6
        assert store.question("unknown-key0") is None and store.quote("unknown-key0", 1) is None
        assert store.new_answer("q", []) != key
        assert store.get_meta("last_reindex") is None
        store.set_meta("last_reindex", "2026-12-01T00:00:00Z")
        assert store.get_meta("last_reindex") == "2026-12-01T00:00:00Z"
        assert store.prune() == 0  # nothing is old yet
    finally:
        store.close()


def test_two_clients_share_answers_and_meta(url: str) -> None:
    first, second = RedisStateStore(url), RedisStateStore(url)
    key = first.new_answer("question", [quote(0)])
    assert second.question(key) == "question"
    second.add_quotes(key, 2, [quote(1)])
    got = first.quote(key, 2)
    assert got is not None and got.source == "dir/1.txt"
    second.set_meta("last_reindex", "now")
    assert first.get_meta("last_reindex") == "now"


def test_prefixes_keep_two_bots_apart(url: str) -> None:
    one, two = RedisStateStore(url, prefix="bot1:"), RedisStateStore(url, prefix="bot2:")
    key = one.new_answer("question", [quote(0)])
    assert two.question(key) is None
    assert one.claim_update(5) and two.claim_update(5)


def test_answers_expire_keep_days_after_they_were_made(url: str) -> None:
    store = RedisStateStore(url)
    key = store.new_answer("question", [quote(0)])
    raw = redis.Redis.from_url(url)
    for name in (f"verbatim:answer:{key}", f"verbatim:quotes:{key}"):
        ttl = raw.ttl(name)
        assert KEEP_DAYS * 86_400 - 120 <= ttl <= KEEP_DAYS * 86_400
    short = RedisStateStore(url, keep_days=1 / 86_400)  # one second
    gone = short.new_answer("question", [quote(0)])
    deadline = time.monotonic() + 10
    while short.question(gone) is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert short.question(gone) is None and short.quote(gone, 1) is None
    short.add_quotes(gone, 2, [quote(1)])  # an expired answer gets no quotes back
    assert short.quote(gone, 2) is None and raw.exists(f"verbatim:quotes:{gone}") == 0
    assert store.question(key) == "question"


def test_an_update_is_claimed_once_across_clients_and_threads(url: str) -> None:
    stores = [RedisStateStore(url) for _ in range(4)]
    assert stores[0].claim_update(1001) is True
    assert [s.claim_update(1001) for s in stores] == [False] * 4
    wins: list[bool] = []
    lock = threading.Lock()
    start = threading.Barrier(16)

    def claim(store: RedisStateStore) -> None:
        start.wait()
        won = store.claim_update(2002)
        with lock:
            wins.append(won)

    threads = [threading.Thread(target=claim, args=(stores[i % 4],)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == [False] * 15 + [True]
    ttl = redis.Redis.from_url(url).ttl("verbatim:update:2002")
    assert UPDATE_TTL_S - 60 <= ttl <= UPDATE_TTL_S


def test_unreachable_redis_is_one_line_with_the_fix() -> None:
    with pytest.raises(StateUnavailableError) as caught:
        RedisStateStore(f"redis://:s3cret@127.0.0.1:{free_port()}/0")
    text = str(caught.value)
    assert "cannot reach Redis" in text and "TELEGRAM_STATE_URL" in text and "\n" not in text
    assert "s3cret" not in text


def test_a_url_that_is_not_redis_is_refused() -> None:
    with pytest.raises(StateUnavailableError, match="not a Redis URL"):
        RedisStateStore("http://127.0.0.1:6379/0")


def test_claims_fail_open_when_redis_goes_away(tmp_path: Path) -> None:
    with redis_server(tmp_path / "redis") as running:
        store = RedisStateStore(running)
        assert store.claim_update(1) is True and store.claim_update(1) is False
    assert store.claim_update(1) is True  # the server is gone: answer rather than drop the update
