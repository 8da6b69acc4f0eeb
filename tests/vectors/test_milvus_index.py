"""The index builder with VECTOR_BACKEND=milvus (real Milvus Lite, the fake embedder): answers equal FAISS's,
the incremental reindex publishes new collections by alias, and failures leave the published index serving."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.corpus.segment import SegmentationSettings
from retrieval.index import builder
from retrieval.index.builder import build_index
from retrieval.index.milvus_index import MilvusTarget
from retrieval.index.reader import IndexData, load_index
from retrieval.records import BuildReport
from retrieval.search.engine import Engine, EngineConfig
from retrieval.vectors import milvus
from retrieval.vectors.milvus import MilvusBackendError
from tests.support.bot_corpus import QUESTION, write_corpus
from tests.support.fake_embedder import FakeEmbedder
from tests.support.net import free_port

SEG = SegmentationSettings()
OPEN = EngineConfig(min_best_dense=-1.0, min_quote_dense=-1.0)
EMBEDDER = FakeEmbedder()
QUESTIONS = (QUESTION, "Orchestra players performed Mozart?", "What did the council vote?", "rust cracks bolts")


@pytest.fixture()
def target(tmp_path: Path) -> Iterator[MilvusTarget]:
    uri = str(tmp_path / "milvus.db")
    yield MilvusTarget(uri)
    milvus.release(uri)


def build(corpus: Path, index: Path, target: MilvusTarget | None, **kw: object) -> BuildReport:
    if target is None:
        return build_index(corpus, index, EMBEDDER, SEG, **kw)  # type: ignore[arg-type]
    return build_index(corpus, index, EMBEDDER, SEG, vector_backend="milvus", milvus_target=target, **kw)  # type: ignore[arg-type]


def load(index: Path, vectors: str = "milvus") -> IndexData:
    return load_index(index, EMBEDDER.name, SEG, vector_backend=vectors)


def quotes(data: IndexData, question: str) -> list[tuple[str, int, int, str]]:
    answer = Engine(data, EMBEDDER, OPEN).ask(question, k=5)
    return [(q.source, q.start, q.end, q.text) for q in answer.quotes]


def test_answers_equal_the_faiss_backend(tmp_path: Path, target: MilvusTarget) -> None:
    corpus = write_corpus(tmp_path)
    build(corpus, tmp_path / "faiss", None)
    build(corpus, tmp_path / "milvus", target)
    faiss, data = load(tmp_path / "faiss", "faiss"), load(tmp_path / "milvus")
    assert data.sentence_index.kind == "milvus-flat" and data.manifest.vectors == "milvus"
    for question in QUESTIONS:
        assert quotes(data, question) == quotes(faiss, question)
        assert quotes(data, question)


def test_incremental_reindex_publishes_new_collections_by_alias(tmp_path: Path, target: MilvusTarget) -> None:
    corpus = write_corpus(tmp_path)
    index = tmp_path / "index"
    first = build(corpus, index, target)
    old = load(index)
    client = milvus.connect(target.uri)
    live = milvus.published(client, target.uri)
    assert live is not None and live.generation == first.generation

    assert build(corpus, index, target).noop  # nothing changed: no new generation, nothing written
    (corpus / "music.txt").write_text("Festival\n\nThe choir sang Bach cantatas all night.\n", encoding="utf-8")
    second = build(corpus, index, target)
    assert not second.noop and second.changed == ("music.txt",)
    assert 0 < second.embedded < second.sentences  # only the changed file's sentences were embedded
    live = milvus.published(client, target.uri)
    assert live is not None and live.generation == second.generation != first.generation
    new = load(index)
    assert new.sentence_index.count == second.sentences
    assert any("Bach" in q[3] for q in quotes(new, "choir sang Bach cantatas"))
    # the generation a running reader still has stays searchable (the previous one is kept): it answers with
    # the same quotes from the files that did not change (music.txt changed between the two)
    unchanged = [q for q in quotes(old, QUESTION) if q[0] != "music.txt"]
    assert unchanged and unchanged == [q for q in quotes(new, QUESTION) if q[0] != "music.txt"]

    (corpus / "echo.txt").unlink()
    third = build(corpus, index, target)
    names = set(client.list_collections())
    for role in milvus.ROLES:
        assert milvus.collection_name("verbatim", role, third.generation or "") in names
        assert milvus.collection_name("verbatim", role, second.generation or "") in names
        assert milvus.collection_name("verbatim", role, first.generation or "") not in names


def test_unreachable_milvus_fails_before_any_work(tmp_path: Path, target: MilvusTarget) -> None:
    corpus = write_corpus(tmp_path)
    index = tmp_path / "index"
    build(corpus, index, target)
    live = (index / "CURRENT").read_text()
    with pytest.raises(MilvusBackendError, match="cannot reach the Milvus server"):
        build(corpus, index, MilvusTarget(f"http://127.0.0.1:{free_port()}"), rebuild=True)
    assert (index / "CURRENT").read_text() == live
    assert quotes(load(index), QUESTION)


def test_a_build_that_fails_at_publishing_leaves_everything_published(
    tmp_path: Path, target: MilvusTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = write_corpus(tmp_path)
    index = tmp_path / "index"
    first = build(corpus, index, target)
    client = milvus.connect(target.uri)
    before = sorted(client.list_collections())

    def disk_full(index_dir: Path, workspace: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(builder, "publish", disk_full)  # the generation folder cannot be published
    with pytest.raises(OSError, match="No space left"):
        build(corpus, index, target, rebuild=True)
    monkeypatch.undo()
    assert (index / "CURRENT").read_text().strip() == first.generation
    assert sorted(client.list_collections()) == before  # the new collections were dropped
    live = milvus.published(client, target.uri)
    assert live is not None and live.generation == first.generation
    assert quotes(load(index), QUESTION)


def test_the_builder_default_prefix_is_the_backends() -> None:
    assert MilvusTarget("x.db").prefix == milvus.DEFAULT_PREFIX


def test_faiss_users_never_import_pymilvus() -> None:
    """pymilvus takes about a second to import: `verbatim ask` with FAISS must not pay it."""
    import subprocess
    import sys

    code = "import sys, retrieval.search.service, retrieval.cli.main; print('pymilvus' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
