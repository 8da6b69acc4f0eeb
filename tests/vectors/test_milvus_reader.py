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
from retrieval.index.layout import STORE_NAME
from retrieval.index.milvus_fields import MilvusSentences
from retrieval.index.milvus_index import MilvusTarget
from retrieval.index.reader import IndexData, load_index
from retrieval.index.store import read_article
from retrieval.search.context import quote_context
from retrieval.search.engine import Engine, EngineConfig
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
