"""Hostile corpora and hostile questions: every case is indexed, skipped with a warning, or explained."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from retrieval.cli.render import answer_json, answer_text
from retrieval.corpus.scan import read_document, scan_corpus
from retrieval.corpus.segment import SegmentationSettings
from retrieval.index.builder import build_index
from retrieval.index.reader import load_index
from retrieval.records import Answer
from retrieval.search.engine import Engine
from tests.support.fake_embedder import FakeEmbedder

SEG = SegmentationSettings()
EMB = FakeEmbedder()


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "corpus"
    root.mkdir()
    (root / "good.txt").write_text("The council approved the harbour budget on Monday.\n")
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (root / "latin1.txt").write_bytes("Le maire a dit: « Ça suffit ». Café fermé.".encode("latin-1"))
    (root / "one-long-line.txt").write_text(" ".join(["harbour"] * 300_000))  # ~2.4 MB, no punctuation
    (root / "too big.txt").write_bytes(b"Big file sentence. " * 700_000)  # ~13 MB > MAX_FILE_MB=10
    (root / "odd name ünï\ncode ✓.md").write_text("Odd names are fine here.\n")
    (root / "ansi.txt").write_text("Evil \x1b[2J\x1b[31mred\x1b[0m text in an article.\n")
    os.symlink("/etc/passwd", root / "passwd.txt")
    return root


@pytest.fixture(scope="module")
def hostile_engine(hostile_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """One index of the hostile corpus, shared by the question tests (they only read it)."""
    index = tmp_path_factory.mktemp("hostile-index")
    build_index(hostile_corpus, index, EMB, SEG)
    return Engine(load_index(index, EMB.name, SEG), EMB)


def test_hostile_corpus_is_indexed_or_skipped_with_warnings(hostile_corpus: Path, tmp_path: Path) -> None:
    report = build_index(hostile_corpus, tmp_path / "index", EMB, SEG)
    skipped = {s.source: s.reason for s in report.skipped}
    assert skipped == {"empty.txt": "empty", "binary.txt": "unreadable", "too big.txt": "too large",
                       "passwd.txt": "outside the corpus"}
    assert [w for w in report.warnings if "latin1.txt" in w and "UTF-8" in w]
    data = load_index(tmp_path / "index", EMB.name, SEG)
    sources = {s.source for s in data.sources}
    assert sources == {"good.txt", "latin1.txt", "one-long-line.txt", "odd name ünï\ncode ✓.md", "ansi.txt"}
    assert max(int(e - s) for s, e in zip(data.sent_start, data.sent_end, strict=True)) <= SEG.max_sentence_chars
    assert not any("root:" in s.text for s in data.sources)


def test_a_file_that_vanishes_before_it_is_read_is_skipped(tmp_path: Path) -> None:
    gone = tmp_path / "gone.txt"
    result = read_document("gone.txt", gone)
    assert not hasattr(result, "text") and "could not be read" in getattr(result, "why", "")


def test_a_file_that_vanishes_during_the_scan_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import retrieval.corpus.scan as ingest

    (tmp_path / "a.txt").write_text("Alpha.")
    (tmp_path / "b.txt").write_text("Beta.")
    real = ingest.iter_article_paths

    def vanishing(root: Path):  # type: ignore[no-untyped-def]
        for item in real(root):
            if isinstance(item, tuple) and item[0] == "b.txt":
                item[1].unlink()  # deleted between listing and reading, as by another process
            yield item

    monkeypatch.setattr(ingest, "iter_article_paths", vanishing)
    scan = scan_corpus(tmp_path)
    assert [d.source for d in scan.documents] == ["a.txt"]
    assert scan.skipped[0].source == "b.txt" and "could not be read" in scan.skipped[0].why


HOSTILE_QUESTIONS = [
    "", "   \t ", "?", "x" * 10_000, "\x00\x07\x1b[31mharbour\x1b[0m budget",
    "<b>harbour</b> <script>alert(1)</script>",
    "**harbour** [budget](http://evil.example)", "😀🔥 harbour?", "Что сказал совет о бюджете?", "\u202eharbour",
    "&amp; &lt; &#0; budget",
]


@pytest.mark.parametrize("question", HOSTILE_QUESTIONS)
def test_hostile_questions_are_answered_or_explained(
    hostile_engine: Engine, question: str
) -> None:
    answer = hostile_engine.ask(question)
    assert isinstance(answer, Answer) and answer.question == question
    assert answer.answered or answer.reason
    if not question.strip():
        assert "empty" in (answer.reason or "")
    if len(question) > 1000:
        assert "too long" in (answer.reason or "")
    assert json.loads(answer_json(answer))["question"] == question
    shown = answer_text(answer)
    assert "\x1b" not in shown and "\x00" not in shown and "\u202e" not in shown


def test_text_output_never_prints_raw_control_characters_from_the_corpus(hostile_engine: Engine) -> None:
    answer = hostile_engine.ask("Evil red text in an article")
    assert answer.answered and "\x1b" in answer.quotes[0].text  # the quote itself stays exact ...
    assert "\x1b" not in answer_text(answer) and "\\x1b[31mred" in answer_text(answer)  # ... but is shown safely


def test_max_file_mb_setting_reaches_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from retrieval.search import service
    from retrieval.settings import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "small.txt").write_text("A short article about the harbour.\n")
    (corpus / "large.txt").write_text("A long article about the harbour. " * 40_000)  # ~1.4 MB
    # Through a dict: mypy (no pydantic plugin) takes the fields with Field(<default>, ...) for required ones.
    values: dict[str, Any] = {"corpus_dir": corpus, "index_dir": tmp_path / "index", "max_file_mb": 1.0}
    settings = Settings(**values)
    report = service.reindex(settings, EMB)  # type: ignore[arg-type]
    assert [(s.source, s.reason) for s in report.skipped] == [("large.txt", "too large")]
    assert report.sources == 1
