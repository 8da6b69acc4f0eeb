"""A reader of a Milvus index (real Milvus Lite, corpus/, the fake embedder) holds no per-sentence data: it
reads each sentence's fields and vector from the sentence collection by id, through bounded caches, and they
are exactly what the FAISS backend's store and vectors.npy hold for the same corpus."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from retrieval.corpus.segment import SegmentationSettings
from retrieval.errors import IndexCorruptError
from retrieval.index.builder import build_index
from retrieval.index.layout import STORE_NAME, TABLES_DIR
from retrieval.index.milvus_fields import MilvusContext, MilvusSentences
from retrieval.index.milvus_index import MilvusTarget
from retrieval.index.prefetch import index_files
from retrieval.index.reader import IndexData, load_index
from retrieval.index.store import read_article
from retrieval.search.context import quote_context
from retrieval.search.engine import Engine, EngineConfig
from retrieval.search.features import best_documents
from retrieval.vectors import milvus
from tests.support.fake_embedder import FakeEmbedder

SEG = SegmentationSettings()
EMBEDDER = FakeEmbedder()
OPEN = EngineConfig(min_best_dense=-1.0, min_quote_dense=-1.0)
CORPUS = Path(__file__).resolve().parents[2] / "corpus"
QUESTIONS = ("What did Putin say about Rutte?", "What did the NATO chief warn?", "Who spoke about Ukraine?",
             "What did Zelensky say?", "when did the summit take place")


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("reader")
    uri = str(root / "milvus.db")
    build_index(CORPUS, root / "faiss", EMBEDDER, SEG)
    build_index(CORPUS, root / "milvus", EMBEDDER, SEG, vector_backend="milvus", milvus_target=MilvusTarget(uri))
    yield root
    milvus.release(uri)


def load(root: Path, backend: str, cache: int = 20_000) -> IndexData:
    return load_index(root / backend, EMBEDDER.name, SEG, vector_backend=backend, cache_sentences=cache)


def remote(data: IndexData) -> MilvusSentences:
    assert isinstance(data.sentences, MilvusSentences)
    return data.sentences


def test_the_reader_holds_no_columns_articles_or_vectors(root: Path) -> None:
    data = load(root, "milvus")
    remote(data)
    assert all(row.text == "" for row in data.sources)  # articles are read one at a time when needed
    for held_locally in ("vectors", "sent_start", "sent_end", "speakers", "mentions"):
        with pytest.raises(ValueError, match="VECTOR_BACKEND=milvus"):
            getattr(data, held_locally)
    assert remote(data).cached() == (0, 0)


def test_every_row_is_what_was_indexed(root: Path) -> None:
    local, data = load(root, "faiss"), load(root, "milvus")
    ids = list(range(local.n_sentences))
    assert data.n_sentences == local.n_sentences > 100
    got = remote(data).infos(ids)
    assert got == local.sentences.infos(ids)  # text, source, offsets, line, paragraph, speaker, mentions
    store = data.folder / STORE_NAME
    for s in got:  # a quote's text is its article's text[start:end], as indexed
        assert s.text == read_article(store, s.source_no)[s.start : s.end]
    assert sum(1 for s in got if s.speaker) > 10 and sum(1 for s in got if s.mentions != "[]") > 10
    np.testing.assert_allclose(data.vectors_of(np.asarray(ids[::-1])), local.vectors[ids[::-1]], atol=1e-6)
    speakers = {s.speaker for s in got if s.speaker}
    for name in speakers:
        np.testing.assert_array_equal(remote(data).spoken_by({name}), local.sentences.spoken_by({name}))
    np.testing.assert_array_equal(remote(data).spoken_by(speakers), local.sentences.spoken_by(speakers))


def test_answers_and_context_equal_faiss_with_caches_that_stay_bounded(root: Path) -> None:
    local = Engine(load(root, "faiss"), EMBEDDER, OPEN)
    data = load(root, "milvus", cache=40)  # far fewer than a question's candidates: rows are evicted mid-answer
    engine = Engine(data, EMBEDDER, OPEN)
    for question in QUESTIONS:
        want, got = local.ask(question, k=5), engine.ask(question, k=5)
        assert got.quotes and got == want
        for q in got.quotes:
            assert quote_context(data, q.source, q.start, q.end, q.text) == quote_context(
                local.index, q.source, q.start, q.end, q.text)
        fields, vectors = remote(data).cached()
        assert 0 < fields <= 40 and 0 < vectors <= 40


def test_a_row_from_another_source_than_the_index_says_is_refused(root: Path) -> None:
    data = load(root, "milvus")
    sentences = remote(data)
    # the layout says every sentence is in the next article: a row from Milvus then names another source
    shifted = MilvusSentences(sentences.collection, sentences.sources, (sentences.document_of + 1) % len(data.sources),
                              sentences.store)
    with pytest.raises(IndexCorruptError, match="does not match the index folder"):
        shifted.info(0)
    assert sentences.info(0).source_no == 0


def test_a_text_cut_to_the_field_limit_is_read_from_the_article(root: Path) -> None:
    data = load(root, "milvus")
    sentences = remote(data)
    record = sentences.collection.sentences([7])[0]
    whole = sentences.info(7)
    cut = sentences._checked(replace(record, text=record.text[:5]), None)  # as rows.fit cuts a long text
    assert cut == whole and len(whole.text) == whole.end - whole.start > 5


def test_the_reader_never_opens_the_folders_vectors(root: Path) -> None:
    folder = load(root, "milvus").folder
    kept = folder / "vectors.npy.kept"
    (folder / "vectors.npy").rename(kept)  # kept for the builder's next incremental run, never read to answer
    try:
        engine = Engine(load(root, "milvus"), EMBEDDER, OPEN)
        engine.warm_up()
        assert engine.wait_until_warm(60)
        assert engine.ask(QUESTIONS[0], k=5).quotes
    finally:
        kept.rename(folder / "vectors.npy")


def context(data: IndexData) -> MilvusContext:
    remote = data.tables.remote
    assert isinstance(remote, MilvusContext)
    return remote


def test_paragraph_and_document_vectors_come_from_milvus_and_equal_the_tables(root: Path) -> None:
    local, data = load(root, "faiss"), load(root, "milvus", cache=40)
    assert data.tables.paragraph_vectors.size == 0 and data.tables.document_vectors.size == 0  # not read
    paras = np.arange(local.tables.n_paragraphs)[::-1]
    docs = np.arange(len(local.sources))[::-1]
    assert len(paras) > 40  # more than the cache holds: evicted and fetched again on the way
    # a paragraph's vector is the build's mean of its sentences' vectors, computed the same way: bit for bit
    np.testing.assert_array_equal(data.tables.paragraph_rows(paras), local.tables.paragraph_vectors[paras])
    np.testing.assert_array_equal(data.tables.documents.rows(docs), local.tables.document_vectors[docs])
    np.testing.assert_array_equal(data.tables.documents.every(len(docs)), local.tables.document_vectors)
    assert context(data).cached() == (40, len(docs))
    warmed = {f.name for f in index_files(data.folder, vectors=False)}  # the warm-up does not read them either
    assert "cues.npy" in warmed and not warmed & {"paragraph_vectors.npy", "document_vectors.npy"}


def test_the_document_shortlist_is_searched_in_milvus_when_the_cache_cannot_hold_every_document(root: Path) -> None:
    # (as above ANN_EXACT_MAX documents, where the build writes tables/document.faiss; corpus/ has 5 documents,
    # too few to train that index, so a 4-entry cache stands in for a corpus with more documents than it holds)
    local, data = load(root, "faiss"), load(root, "milvus", cache=4)
    assert local.tables.documents.index is None
    found = data.tables.documents.index
    assert isinstance(found, milvus.MilvusVectorIndex) and found.role == "documents"
    n = len(local.sources)
    for question in QUESTIONS:
        query = EMBEDDER.encode([question])[0]
        _, nearest = found.search(query, 64)
        np.testing.assert_array_equal(nearest[0], np.argsort(-(local.tables.document_vectors @ query), kind="stable"))
        bm25 = np.linspace(0.0, 1.0, n)
        want, want_cos = best_documents(local.tables.documents, query, bm25, 3)
        got, got_cos = best_documents(data.tables.documents, query, bm25, 3)  # the shortlist and the moments
        np.testing.assert_array_equal(got, want)
        np.testing.assert_allclose(got_cos(got), want_cos(want), atol=1e-6)
    engine, faiss_engine = Engine(data, EMBEDDER, OPEN), Engine(local, EMBEDDER, OPEN)
    for question in QUESTIONS:
        assert engine.ask(question, k=5) == faiss_engine.ask(question, k=5)
    assert context(data).cached() == (4, 4)


def test_the_reader_answers_without_the_folders_paragraph_and_document_vectors(root: Path) -> None:
    local = Engine(load(root, "faiss"), EMBEDDER, OPEN)
    folder = load(root, "milvus").folder / TABLES_DIR
    kept = [folder / "paragraph_vectors.npy", folder / "document_vectors.npy"]
    for p in kept:  # kept for the builder, never read to answer
        p.rename(p.with_name(p.name + ".kept"))
    (folder / "document_vectors.npy").write_bytes(b"unreadable")  # were it opened, the load would fail
    try:
        for cache in (20_000, 4):  # every document scored; the documents searched
            engine = Engine(load(root, "milvus", cache=cache), EMBEDDER, OPEN)
            for question in QUESTIONS:
                got = engine.ask(question, k=5)
                assert got.quotes and got == local.ask(question, k=5)
    finally:
        (folder / "document_vectors.npy").unlink()
        for p in kept:
            p.with_name(p.name + ".kept").rename(p)
