"""The Milvus backend against real Milvus Lite in a temporary folder: search, generations published by alias,
failed builds, BM25 full-text search, reference files, and the one-line errors."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from retrieval.vectors import milvus
from retrieval.vectors.faiss import FaissIndex
from retrieval.vectors.milvus import (
    DocumentRows,
    GenerationBuild,
    MilvusBackendError,
    MilvusVectorIndex,
    PassageRows,
    SentenceRows,
)
from tests.support.net import free_port

DIM = 32


@pytest.fixture()
def uri(tmp_path: Path) -> Iterator[str]:
    path = str(tmp_path / "milvus.db")
    yield path
    milvus.release(path)


def unit(n: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return np.asarray(v / np.linalg.norm(v, axis=1, keepdims=True), dtype=np.float32)


def sentence_rows(vectors: np.ndarray, texts: list[str] | None = None) -> SentenceRows:
    n = len(vectors)
    ids = np.arange(n, dtype=np.int64)
    return SentenceRows(
        ids=ids, vectors=vectors, texts=texts or [f"sentence number {i}" for i in range(n)],
        sources=[f"dir/{i % 4}.txt" for i in range(n)], start=ids * 100, end=ids * 100 + 42, line=ids + 1,
        paragraph=ids // 3, speakers=["Vladimir Putin" if i % 3 == 0 else None for i in range(n)],
        dup_keys=np.arange(n, dtype=np.uint64) + np.uint64(2**63),  # high bit set: must survive int64 storage
    )


def parts(vectors: np.ndarray, seed: int, texts: list[str] | None = None) -> dict[str, list[milvus.Rows]]:
    n = len(vectors)
    passages = max(n - 2, 0)
    pids = np.arange(passages, dtype=np.int64)
    return {
        "sentences": [sentence_rows(vectors, texts)],
        "passages": [PassageRows(pids, unit(passages, seed + 1), pids, pids + 2)],
        "documents": [
            DocumentRows(np.arange(4, dtype=np.int64), unit(4, seed + 2), [f"dir/{i}.txt" for i in range(4)])
        ],
    }


def build(uri: str, generation: str, vectors: np.ndarray, seed: int = 0, **kw: object) -> milvus.MilvusGeneration:
    return milvus.build_generation(milvus.connect(uri), uri, generation, DIM, parts(vectors, seed), **kw)  # type: ignore[arg-type]


def exact_top(queries: np.ndarray, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    scores = queries @ vectors.T
    ids = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(scores, ids, axis=1), ids


def test_search_equals_exact_numpy_top_k(uri: str) -> None:
    vectors = unit(1_000, seed=1)
    generation = build(uri, "gen-a", vectors)
    queries = unit(25, seed=2)
    scores, ids = generation["sentences"].search(queries, 10)
    want_scores, want_ids = exact_top(queries, vectors, 10)
    assert generation["sentences"].kind == "milvus-flat"
    np.testing.assert_array_equal(ids, want_ids)
    np.testing.assert_allclose(scores, want_scores, atol=1e-5)
    # k past the end is cut to the count, as with FAISS; the passage index is its own collection
    _, all_ids = generation["documents"].search(queries[:2], 50)
    assert all_ids.shape == (2, 4) and sorted(all_ids[0].tolist()) == [0, 1, 2, 3]


def test_search_matches_the_faiss_backend_on_the_same_vectors(uri: str) -> None:
    vectors = unit(500, seed=3)
    queries = unit(10, seed=4)
    m_scores, m_ids = build(uri, "gen-a", vectors)["sentences"].search(queries, 5)
    f_scores, f_ids = FaissIndex.build(vectors).search(queries, 5)
    np.testing.assert_array_equal(m_ids, f_ids)
    np.testing.assert_allclose(m_scores, f_scores, atol=1e-5)


def test_above_exact_max_hnsw_finds_stored_vectors(uri: str) -> None:
    vectors = unit(400, seed=5)
    generation = build(uri, "gen-a", vectors, exact_max=100)
    index = generation["sentences"]
    assert index.kind == "milvus-hnsw"
    scores, ids = index.search(vectors[:40], 5)
    assert ids[:, 0].tolist() == list(range(40))  # each stored vector finds itself first
    np.testing.assert_allclose(scores[:, 0], 1.0, atol=1e-5)  # scored with the float vectors


def test_sentence_fields_round_trip(uri: str) -> None:
    vectors = unit(12, seed=6)
    generation = build(uri, "gen-a", vectors)
    records = generation["sentences"].sentences([9, 0, 3, 99])
    assert [r.id for r in records] == [9, 0, 3]  # the order asked; an id not stored is left out
    r = records[0]
    fields = (r.source, r.start, r.end, r.line, r.paragraph, r.speaker)
    assert fields == ("dir/1.txt", 900, 942, 10, 3, "Vladimir Putin")
    assert r.text == "sentence number 9"
    assert r.dup_key == 2**63 + 9
    assert records[1].dup_key == 2**63 and records[2].speaker == "Vladimir Putin"
    assert generation["sentences"].sentences([1])[0].speaker is None


def test_bm25_finds_the_sentence_with_the_query_terms(uri: str) -> None:
    texts = [
        "The weather in Moscow was cold on Tuesday.",
        "Putin called Rutte intelligent and systematic during the broadcast.",
        "Rutte said the alliance would keep supporting Ukraine.",
        "Markets closed higher after the announcement.",
        "The broadcast lasted four hours.",
    ]
    vectors = unit(len(texts), seed=7)
    client = milvus.connect(uri)
    generation = milvus.build_generation(client, uri, "gen-a", DIM, parts(vectors, 7, texts))
    scores, ids = generation["sentences"].text_search(["Rutte intelligent systematic", "markets announcement"], 3)
    assert ids[0, 0] == 1 and ids[1, 0] == 3
    assert scores[0, 0] > scores[0, 1] > 0  # positive, best first
    assert ids[0, 1] == 2  # shares only "Rutte"
    _, none = generation["sentences"].text_search(["zebra"], 3)
    assert (none == -1).all()


def test_without_bm25_the_text_is_stored_but_not_searchable(uri: str) -> None:
    generation = build(uri, "gen-a", unit(5, seed=8), bm25=False)
    assert generation["sentences"].sentences([2])[0].text == "sentence number 2"
    with pytest.raises(MilvusBackendError):
        generation["sentences"].text_search(["sentence"], 2)


def test_a_build_is_invisible_until_published_and_then_switches_every_role(uri: str) -> None:
    client = milvus.connect(uri)
    build(uri, "gen-a", unit(30, seed=9))
    new = unit(50, seed=10)
    with GenerationBuild(client, uri, "gen-b", DIM) as b:
        for role, rows in parts(new, 10).items():
            b.add(role, rows[0])
        # every row of gen-b is in Milvus, not yet published: readers still get gen-a, whole
        live = milvus.published(client, uri)
        assert live is not None and live.generation == "gen-a"
        assert (live["sentences"].count, live["passages"].count) == (30, 28)
        b.publish()
    live = milvus.published(client, uri)
    assert live is not None and live.generation == "gen-b"
    assert (live["sentences"].count, live["passages"].count, live["documents"].count) == (50, 48, 4)
    aliases = {milvus.alias_name("verbatim", r): client.describe_alias(milvus.alias_name("verbatim", r))
               for r in milvus.ROLES}
    assert {a["collection_name"] for a in aliases.values()} == {
        milvus.collection_name("verbatim", r, "gen-b") for r in milvus.ROLES
    }


def test_readers_during_rebuilds_see_old_or_new_never_partial(uri: str) -> None:
    sizes = {"gen-0": 40, "gen-1": 300, "gen-2": 120, "gen-3": 200}
    sets = {g: unit(n, seed=20 + i) for i, (g, n) in enumerate(sizes.items())}
    build(uri, "gen-0", sets["gen-0"], seed=20)
    seen: list[str] = []
    errors: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        client = milvus.connect(uri)
        while not stop.is_set():
            live = milvus.published(client, uri)
            assert live is not None
            g = live.generation
            vectors = sets[g]
            if live["sentences"].count != len(vectors) or live["passages"].count != len(vectors) - 2:
                errors.append(f"{g}: counts {live['sentences'].count}/{live['passages'].count}")
            q = vectors[len(seen) % len(vectors)][None, :]
            _, ids = live["sentences"].search(q, 3)
            if ids[0, 0] != len(seen) % len(vectors):
                errors.append(f"{g}: a stored vector did not find itself")
            seen.append(g)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i, g in enumerate(list(sizes)[1:], start=1):
            build(uri, g, sets[g], seed=20 + i)
        while seen[-1:] != ["gen-3"]:
            thread.join(0.05)
    finally:
        stop.set()
        thread.join()
    assert errors == []
    assert seen[0] == "gen-0" and seen[-1] == "gen-3"
    order = [g for i, g in enumerate(seen) if i == 0 or seen[i - 1] != g]
    assert order == sorted(order)  # never back to an older generation


def test_a_failed_build_leaves_the_old_generation_serving(uri: str) -> None:
    client = milvus.connect(uri)
    old = unit(30, seed=30)
    build(uri, "gen-a", old)
    # an exception half-way through the rows
    with pytest.raises(RuntimeError), GenerationBuild(client, uri, "gen-b", DIM) as b:
        b.add("sentences", sentence_rows(unit(10, seed=31)))
        raise RuntimeError("the embedder died")
    # rows of the wrong dimension
    with pytest.raises(ValueError), GenerationBuild(client, uri, "gen-c", DIM) as b:
        b.add("sentences", sentence_rows(unit(10, seed=31)[:, :16]))
    # a collection of the new generation dropped under the build: publishing finds it and refuses
    with pytest.raises(MilvusBackendError, match="old index still serves"), \
            GenerationBuild(client, uri, "gen-d", DIM) as b:
        for role, rows in parts(unit(20, seed=32), 32).items():
            b.add(role, rows[0])
        client.drop_collection(milvus.collection_name("verbatim", "passages", "gen-d"))
        b.publish()
    live = milvus.published(client, uri)
    assert live is not None and live.generation == "gen-a"
    _, ids = live["sentences"].search(old[:5], 1)
    assert ids[:, 0].tolist() == [0, 1, 2, 3, 4]
    leftovers = [c for c in client.list_collections() if not c.endswith("_gen_a")]
    assert leftovers == []  # the failed builds dropped what they made


def test_publishing_keeps_the_previous_generation_and_drops_older(uri: str) -> None:
    client = milvus.connect(uri)
    for i, g in enumerate(("gen-a", "gen-b", "gen-c")):
        build(uri, g, unit(10 + i, seed=40 + i))
    assert sorted(client.list_collections()) == sorted(
        milvus.collection_name("verbatim", r, g) for r in milvus.ROLES for g in ("gen-b", "gen-c")
    )


def test_reference_file_round_trip_and_refusals(uri: str, tmp_path: Path) -> None:
    vectors = unit(20, seed=50)
    generation = build(uri, "gen-a", vectors)
    ref = tmp_path / "sentences.milvus"
    generation["sentences"].save(ref)
    assert milvus.backend_of(ref) == "milvus"
    loaded = MilvusVectorIndex.load(ref)
    assert (loaded.count, loaded.dimension, loaded.kind, loaded.generation) == (20, DIM, "milvus-flat", "gen-a")
    np.testing.assert_array_equal(loaded.search(vectors[:3], 1)[1][:, 0], [0, 1, 2])

    faiss_file = tmp_path / "sentences.faiss"
    FaissIndex.build(vectors).save(faiss_file)
    assert milvus.backend_of(faiss_file) == "faiss"
    with pytest.raises(MilvusBackendError, match=r"built by the FAISS backend.*VECTOR_BACKEND=faiss"):
        MilvusVectorIndex.load(faiss_file)

    # two more generations: gen-a's collections are dropped; its reference says so, with the fix
    build(uri, "gen-b", vectors)
    build(uri, "gen-c", vectors)
    with pytest.raises(MilvusBackendError, match=r"not in Milvus.*--rebuild"):
        MilvusVectorIndex.load(ref)
    with pytest.raises(MilvusBackendError, match=r"gone from Milvus.*--rebuild"):
        loaded.search(vectors[:1], 1)

    ref.write_text('{"backend": "milvus", "format": 1}')
    with pytest.raises(MilvusBackendError, match="damaged"):
        MilvusVectorIndex.load(ref)


@pytest.mark.parametrize(
    ("make_uri", "message"),
    [
        (lambda d: "", "MILVUS_URI is not set"),
        (lambda d: "  ", "MILVUS_URI is not set"),
        (lambda d: str(d / "missing" / "m.db"), "does not exist; create it"),
        (lambda d: str(d / "vectors.sqlite"), "does not end in .db"),
        (lambda d: "ftp://example.org/m.db", "neither http"),
        (lambda d: "http://", "names no host"),
        (lambda d: f"http://127.0.0.1:{free_port()}", "cannot reach the Milvus server"),
    ],
)
def test_bad_uri_is_one_line_with_the_fix(tmp_path: Path, make_uri: object, message: str) -> None:
    with pytest.raises(MilvusBackendError) as caught:
        milvus.connect(make_uri(tmp_path), timeout=3)  # type: ignore[operator]
    text = str(caught.value)
    assert message in text and "\n" not in text
    assert "MILVUS_URI" in text


def test_a_file_where_the_lite_folder_should_be(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    path.write_bytes(b"SQLite format 3\0")
    with pytest.raises(MilvusBackendError, match="is a file, not a Milvus Lite data folder"):
        milvus.connect(str(path))


def test_a_lite_folder_open_in_another_process(tmp_path: Path) -> None:
    path = str(tmp_path / "busy.db")
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from retrieval.vectors import milvus
            milvus.connect({path!r})
            print("open", flush=True)
            sys.stdin.read()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(MilvusBackendError, match=r"open in another process.*http://host:19530"):
            milvus.connect(path)
    finally:
        holder.communicate("", timeout=30)
