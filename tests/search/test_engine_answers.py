"""The engine with the deterministic fake embedder: near-duplicate grouping, every place cited, not found."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from retrieval.cli.render import answer_json
from retrieval.corpus.segment import SegmentationSettings
from retrieval.index.builder import build_index
from retrieval.index.reader import load_index
from retrieval.search.engine import Engine
from tests.support.fake_embedder import FakeEmbedder

ROOT = Path(__file__).resolve().parents[2]
EMB = FakeEmbedder()
SEG = SegmentationSettings()

LEAD = (
    "NATO Secretary General Mark Rutte warned that the next Russian offensive against Ukraine could prove "
    "‘fatal’ for Moscow."
)
REPRINT = (
    "Reprint\n\n"
    "NATO Secretary General Mark Rutte warned that the next Russian offensive against Ukraine could prove "
    "'fatal' for Moscow.\n\n"
    "NATO Secretary General Mark Rutte warned that the next Russian offensive against Ukraine could prove "
    "fatal for Kyiv.\n\n"
    "NATO Secretary General Mark Rutte warned that the next Russian offensive against Ukraine could not prove "
    "‘fatal’ for Moscow.\n"
)


def engine_for(corpus: Path, index: Path) -> Engine:
    build_index(corpus, index, EMB, SEG)
    return Engine(load_index(index, EMB.name, SEG), EMB)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    root = tmp_path_factory.mktemp("grouping")
    corpus = root / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    (corpus / "reprint.txt").write_text(REPRINT, encoding="utf-8")
    (corpus / "brief.txt").write_text(f"Brief\n\n{LEAD}\n", encoding="utf-8")
    return engine_for(corpus, root / "index")


def test_near_duplicates_in_several_files_are_one_quote_citing_every_place(engine: Engine) -> None:
    answer = engine.ask("Rutte warned the next Russian offensive against Ukraine could prove fatal for Moscow", k=10)
    assert answer.answered
    texts = {s.source: s.text for s in engine.index.sources}
    grouped = [q for q in answer.quotes if {c.source for c in q.citations} >= {"brief.txt", "reprint.txt"}]
    assert len(grouped) == 1, [q.text for q in answer.quotes]
    quote = grouped[0]
    for c in quote.citations:
        assert "Moscow" in texts[c.source][c.start : c.end] and "not" not in texts[c.source][c.start : c.end]
    assert texts[quote.source][quote.start : quote.end] == quote.text
    # another name (Kyiv) or a negation stays a quote of its own
    shown = [q.text for q in answer.quotes]
    assert any("fatal for Kyiv" in t for t in shown)
    assert any("could not prove" in t for t in shown)
    # no sentence is shown twice
    assert len(shown) == len(set(shown))
    as_json = json.loads(answer_json(answer))
    q_json = next(q for q in as_json["quotes"] if q["text"] == quote.text)
    assert {s["source"] for s in q_json["sources"]} >= {"brief.txt", "reprint.txt"}
    for s in q_json["sources"]:
        assert {"source", "start", "end", "line"} <= set(s)


def test_a_speaker_the_corpus_never_names_is_not_found(engine: Engine) -> None:
    answer = engine.ask("What did Macron say about nuclear deterrence?")
    assert not answer.answered and answer.quotes == ()
    assert answer.reason is not None and "Macron" in answer.reason


def test_every_quote_has_a_speaker_field(engine: Engine) -> None:
    answer = engine.ask("What did Putin say about Rutte?")
    assert answer.answered
    assert all(q.speaker is None or isinstance(q.speaker, str) for q in answer.quotes)
    assert any(q.speaker == "Vladimir Putin" for q in answer.quotes)
    for q in json.loads(answer_json(answer))["quotes"]:
        assert "speaker" in q
