"""The staleness record of an index (index/freshness.py): what a build records, and an older index that
has no record (it loads, and nothing is said). The note itself: tests/cli/test_cli_first_hour.py."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from retrieval.corpus.segment import SegmentationSettings
from retrieval.index.builder import build_index
from retrieval.index.freshness import corpus_changes
from retrieval.index.generations import current_generation
from retrieval.index.layout import STORE_NAME
from retrieval.index.reader import load_index
from tests.support.fake_embedder import FakeEmbedder

SEG = SegmentationSettings()


def test_a_build_records_the_corpus_it_read(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("One sentence.\n", encoding="utf-8")
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    build_index(corpus, tmp_path / "index", FakeEmbedder(), SEG)
    generation = current_generation(tmp_path / "index")
    assert generation is not None
    assert not corpus_changes(generation, None) and not corpus_changes(generation, corpus)  # skipped files too
    (corpus / "empty.txt").write_text("Now it has a sentence.\n", encoding="utf-8")
    changes = corpus_changes(generation, None)  # the corpus the index was built from
    assert changes is not None and changes.changed == ("empty.txt",) and not changes.added + changes.removed
    other = tmp_path / "other"
    other.mkdir()
    elsewhere = corpus_changes(generation, other)
    assert elsewhere is not None and elsewhere.built_from == corpus.resolve()
    assert elsewhere.summary() == f"the index was built from {corpus.resolve()}, not from {other}"


def test_an_index_from_before_file_times_were_recorded_loads_and_says_nothing_of_staleness(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("One sentence.\n", encoding="utf-8")
    build_index(corpus, tmp_path / "index", FakeEmbedder(), SEG)
    generation = current_generation(tmp_path / "index")
    assert generation is not None
    (corpus / "a.txt").write_text("Another sentence now.\n", encoding="utf-8")
    assert corpus_changes(generation, corpus)
    con = sqlite3.connect(generation / STORE_NAME)
    con.execute("DROP TABLE files")
    con.execute("DELETE FROM info WHERE key = 'corpus_dir'")
    con.commit()
    con.close()
    assert load_index(tmp_path / "index", FakeEmbedder().name, SEG).n_sentences == 1
    assert corpus_changes(generation, corpus) is None and corpus_changes(generation, None) is None
