"""Index generations: build, save, load, mismatch, incremental no-op and updates, damage at load."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from retrieval.corpus.segment import SegmentationSettings
from retrieval.errors import IndexCorruptError, IndexMismatchError, IndexMissingError
from retrieval.index.builder import build_index
from retrieval.index.generations import current_generation
from retrieval.index.layout import SENTENCE_FAISS, STORE_NAME, VECTORS_NAME
from retrieval.index.reader import load_index
from retrieval.lang.en.speakers.version import ANALYSIS_VERSION
from retrieval.search.engine import Engine
from tests.support.fake_embedder import FakeEmbedder

SEG = SegmentationSettings()


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text("Alpha Headline\n\nThe cat sat on the mat. The dog barked at the moon.\n")
    (root / "b.txt").write_text("Rutte warned Russia. Putin called Rutte intelligent.\n")
    return root


def test_build_then_load_round_trip(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    emb = FakeEmbedder()
    report = build_index(corpus, index_dir, emb, SEG)
    assert not report.noop and report.added == ("a.txt", "b.txt") and report.sentences == 5
    data = load_index(index_dir, emb.name, SEG)
    assert data.n_sentences == 5
    assert [data.text(i) for i in range(5)] == [
        "Alpha Headline", "The cat sat on the mat.", "The dog barked at the moon.",
        "Rutte warned Russia.", "Putin called Rutte intelligent."]
    s = data.sentence(2)
    assert (s.source, s.line) == ("a.txt", 3)
    assert (corpus / "a.txt").read_text()[s.start : s.end] == s.text
    norms = np.linalg.norm(np.asarray(data.vectors), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-5)


def test_unchanged_corpus_is_a_noop_without_embedding(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    emb = FakeEmbedder()
    first = build_index(corpus, index_dir, emb, SEG)
    calls = list(emb.calls)
    again = build_index(corpus, index_dir, emb, SEG)
    assert again.noop and again.embedded == 0 and again.generation == first.generation
    assert emb.calls == calls


def test_changed_file_reembeds_only_new_sentences_and_removed_file_drops_out(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    emb = FakeEmbedder()
    build_index(corpus, index_dir, emb, SEG)
    (corpus / "b.txt").write_text("Rutte warned Russia. Putin called Rutte systematic.\n")
    (corpus / "a.txt").unlink()
    (corpus / "c.md").write_text("The cat sat on the mat.\n")
    emb.calls.clear()
    report = build_index(corpus, index_dir, emb, SEG)
    assert report.changed == ("b.txt",) and report.removed == ("a.txt",) and report.added == ("c.md",)
    assert report.embedded == 1 and emb.calls == [1]  # only "Putin called Rutte systematic."
    data = load_index(index_dir, emb.name, SEG)
    assert sorted(s.source for s in data.sources) == ["b.txt", "c.md"]
    assert "The dog barked at the moon." not in [data.text(i) for i in range(data.n_sentences)]


def test_index_built_with_another_model_is_refused_with_rebuild_hint(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, FakeEmbedder(name="model-a"), SEG)
    # the hint names the folder asked about (--index), so that it rebuilds that one and not ./index
    with pytest.raises(IndexMismatchError, match=rf"model-a.*`verbatim index --index {index_dir} --rebuild`"):
        load_index(index_dir, "model-b", SEG)
    with pytest.raises(IndexMismatchError, match="segmentation"):
        load_index(index_dir, "model-a", SegmentationSettings(passage_sentences=5))


def test_reindex_with_another_model_rebuilds_everything(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, FakeEmbedder(name="model-a"), SEG)
    report = build_index(corpus, index_dir, FakeEmbedder(name="model-b"), SEG)
    assert report.reused == 0 and report.embedded == 5 and "model" in (report.full_rebuild_reason or "")
    load_index(index_dir, "model-b", SEG)


def test_index_from_an_older_speaker_analysis_is_refused_then_reanalysed(corpus: Path, tmp_path: Path) -> None:
    """The index keeps each sentence's speaker; one labelled by another version of the speaker analysis (a
    manifest without ``analysis`` is from before it was kept) is refused, and indexing analyses it again."""
    index_dir = tmp_path / "index"
    emb = FakeEmbedder()
    build_index(corpus, index_dir, emb, SEG)
    gen = current_generation(index_dir)
    assert gen is not None
    manifest = json.loads((gen / "manifest.json").read_text())
    assert manifest["analysis"] == ANALYSIS_VERSION
    del manifest["analysis"]
    (gen / "manifest.json").write_text(json.dumps(manifest))
    with sqlite3.connect(gen / STORE_NAME) as con:
        con.execute("UPDATE sentences SET speaker = 'Stale Label'")
    with pytest.raises(IndexMismatchError, match=rf"speaker analysis.*`verbatim index --index {index_dir} --rebuild`"):
        load_index(index_dir, emb.name, SEG)
    report = build_index(corpus, index_dir, emb, SEG)
    assert not report.noop and "speaker analysis" in (report.full_rebuild_reason or "")
    data = load_index(index_dir, emb.name, SEG)
    speakers = [data.speaker(i) for i in range(data.n_sentences)]
    # "Rutte warned Russia." only narrates; "Putin called Rutte intelligent." carries Putin's description
    assert speakers == [None, None, None, None, "Putin"]


def test_missing_index_says_how_to_build(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="verbatim index"):
        load_index(tmp_path / "none", "x", SEG)


@pytest.mark.parametrize(
    "damage",
    ["truncate-faiss", "garbage-sqlite", "delete-vectors", "bad-manifest", "bad-pointer", "truncate-table",
     "delete-table", "resized-table"],
)
def test_damaged_index_is_detected_at_load_and_rebuild_recovers(corpus: Path, tmp_path: Path, damage: str) -> None:
    index_dir = tmp_path / "index"
    emb = FakeEmbedder()
    build_index(corpus, index_dir, emb, SEG)
    gen = current_generation(index_dir)
    assert gen is not None
    if damage == "truncate-faiss":
        raw = (gen / SENTENCE_FAISS).read_bytes()
        (gen / SENTENCE_FAISS).write_bytes(raw[: len(raw) // 2])
        named = SENTENCE_FAISS
    elif damage == "garbage-sqlite":
        (gen / STORE_NAME).write_bytes(b"not a database" * 100)
        named = STORE_NAME
    elif damage == "delete-vectors":
        (gen / VECTORS_NAME).unlink()
        named = VECTORS_NAME
    elif damage == "bad-manifest":
        (gen / "manifest.json").write_text("{")
        named = "manifest.json"
    elif damage == "truncate-table":
        raw = (gen / "tables" / "idf.npy").read_bytes()
        (gen / "tables" / "idf.npy").write_bytes(raw[:60])
        named = "idf.npy"
    elif damage == "delete-table":
        (gen / "tables" / "sentence_bm25.data.npy").unlink()
        named = "sentence_bm25.data.npy"
    elif damage == "resized-table":
        np.save(gen / "tables" / "heading.npy", np.zeros(2, dtype=bool))
        named = "heading.npy"
    else:
        (index_dir / "CURRENT").write_text("gen-does-not-exist\n")
        named = "CURRENT"
    with pytest.raises(IndexCorruptError, match=rf"{named}.*`verbatim index --index {index_dir} --rebuild`"):
        load_index(index_dir, emb.name, SEG)
    build_index(corpus, index_dir, emb, SEG, rebuild=True)
    assert load_index(index_dir, emb.name, SEG).n_sentences == 5


def test_plain_reindex_also_recovers_from_a_damaged_store(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    emb = FakeEmbedder()
    build_index(corpus, index_dir, emb, SEG)
    gen = current_generation(index_dir)
    assert gen is not None
    (gen / STORE_NAME).write_bytes(b"junk")
    report = build_index(corpus, index_dir, emb, SEG)
    assert not report.noop
    assert load_index(index_dir, emb.name, SEG).n_sentences == 5


def test_store_is_sqlite_with_offsets_and_hashes(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, FakeEmbedder(), SEG)
    gen = current_generation(index_dir)
    assert gen is not None
    con = sqlite3.connect(gen / STORE_NAME)
    rows = con.execute("SELECT s.source, t.start, t.\"end\", t.line FROM sentences t JOIN sources s "
                       "ON s.id = t.source_id ORDER BY t.id").fetchall()
    con.close()
    assert rows[0] == ("a.txt", 0, 14, 1)


def test_engine_answers_with_verbatim_quotes_from_a_fake_index(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    emb = FakeEmbedder()
    build_index(corpus, index_dir, emb, SEG)
    engine = Engine(load_index(index_dir, emb.name, SEG), emb)
    answer = engine.ask("What did Putin call Rutte?", k=3)
    assert answer.answered
    assert answer.quotes[0].text == "Putin called Rutte intelligent."
    for q in answer.quotes:
        assert (corpus / q.source).read_text()[q.start : q.end] == q.text
    assert not engine.ask("   ").answered
    assert "too long" in (engine.ask("x" * 5000).reason or "")
