"""The bounded LRU cache a Milvus reader keeps its sentences in (retrieval/index/fields.py)."""

from __future__ import annotations

import threading

from retrieval.index.fields import Lru


def test_get_many_fetches_only_what_is_missing_once_and_keeps_the_order() -> None:
    asked: list[list[int]] = []

    def fetch(keys: list[int]) -> dict[int, str]:
        asked.append(keys)
        return {k: f"v{k}" for k in keys}

    cache: Lru[int, str] = Lru(10)
    assert cache.get_many([3, 1, 3, 2], fetch) == ["v3", "v1", "v3", "v2"]
    assert cache.get_many([2, 5, 1], fetch) == ["v2", "v5", "v1"]
    assert asked == [[3, 1, 2], [5]]  # one fetch per call, each missing key once


def test_the_least_recently_used_go_first_and_the_size_holds() -> None:
    cache: Lru[int, int] = Lru(3)
    asked: list[list[int]] = []

    def fetch(keys: list[int]) -> dict[int, int]:
        asked.append(keys)
        return {k: k * k for k in keys}

    cache.get_many([1, 2, 3], fetch)
    cache.get(1, fetch)  # 1 is now the most recent: 2 goes first
    cache.get(4, fetch)
    assert len(cache) == 3
    assert cache.get_many([1, 3, 4, 2], fetch) == [1, 9, 16, 4]
    assert asked == [[1, 2, 3], [4], [2]]


def test_a_batch_larger_than_the_cache_is_still_answered_whole() -> None:
    cache: Lru[int, int] = Lru(2)
    assert cache.get_many(list(range(5)), lambda keys: {k: -k for k in keys}) == [0, -1, -2, -3, -4]
    assert len(cache) == 2


def test_threads_share_one_cache_without_losing_entries() -> None:
    cache: Lru[int, int] = Lru(1000)

    def work(offset: int) -> None:
        for i in range(200):
            assert cache.get((i + offset) % 300, lambda keys: {k: k + 1 for k in keys}) == (i + offset) % 300 + 1

    threads = [threading.Thread(target=work, args=(o,)) for o in (0, 50, 100, 150)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(cache) == 300
