"""Questions about organisations, with the real all-MiniLM-L6-v2 model on corpus/ (issue 11: "the Kremlin" for
Putin's side): the organisation's own statements and its people's words come first; a person asked by name gets
no organisation's statements; an organisation the corpus never names stays "not found", with no person proposed.
An index analysed before organisations spoke is refused, and re-analysed by ``verbatim index``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrieval.corpus.segment import SegmentationSettings
from retrieval.embed.torch_backend import SentenceTransformerEmbedder
from retrieval.errors import IndexMismatchError
from retrieval.index.builder import build_index
from retrieval.index.layout import MANIFEST_NAME
from retrieval.index.reader import load_index
from retrieval.search.engine import Engine
from retrieval.settings import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parents[2]
SEG = SegmentationSettings()
pytestmark = pytest.mark.model

PUTIN_OWN_WORDS = "he should read the US National Security Strategy,’ Putin said"
NATO_URGED = "NATO has urged member states to be prepared to intercept"


@pytest.fixture(scope="module")
def emb() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(DEFAULT_MODEL)


@pytest.fixture(scope="module")
def engine(emb: SentenceTransformerEmbedder, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    index = tmp_path_factory.mktemp("index")
    build_index(ROOT / "corpus", index, emb, SEG)
    return Engine(load_index(index, emb.name, SEG), emb)


def test_the_kremlin_on_rutte_is_putins_own_words_first(engine: Engine) -> None:
    # corpus/ has no "the Kremlin said": the Russian president speaks for it (his title's affiliation)
    assert engine.speakers_named("the Kremlin") >= {"Vladimir Putin"}
    answer = engine.ask("what did the Kremlin say about Rutte?", k=3)
    assert answer.answered
    first = answer.quotes[0]
    assert first.speaker == "Vladimir Putin" and PUTIN_OWN_WORDS in first.text, [q.text for q in answer.quotes]


# corpus/004 writes out "the North Atlantic Treaty Organization" and says "NATO": one organisation, its fullest name
NATO = "North Atlantic Treaty Organization"


def test_nato_on_russia_is_natos_or_its_secretary_generals(engine: Engine) -> None:
    assert engine.speakers_named("NATO") == {NATO, "Mark Rutte"}  # its own statement, and its chief's words
    answer = engine.ask("what did NATO say about Russia?", k=5)
    assert answer.answered
    assert all(q.speaker in (NATO, "Mark Rutte") for q in answer.quotes[:3]), [q.speaker for q in answer.quotes]
    assert answer.quotes[0].speaker == "Mark Rutte" and "Russia" in answer.quotes[0].text
    # the organisation's own statement is a sentence the index labels with it
    own = engine.sentences_of("NATO")
    assert any(NATO_URGED in engine.index.text(int(i)) and engine.index.speaker(int(i)) == NATO for i in own)


def test_a_person_asked_by_name_gets_no_organisations_statement(engine: Engine) -> None:
    assert NATO not in engine.speakers_named("Rutte")
    for question in ("what did Putin say about Rutte?", "what did Rutte say about Russia?"):
        answer = engine.ask(question, k=5)
        organisations = {k for k, p in engine.people().items() if p.organisation}
        assert answer.answered and not {q.speaker for q in answer.quotes} & organisations


def test_an_organisation_the_corpus_never_names_is_not_found(engine: Engine) -> None:
    for question, name in (("What did the Pentagon say about Rutte?", "Pentagon"),
                           ("How did the European Commission react to Rutte's warning?", "European Commission")):
        answer = engine.ask(question, k=3)
        assert not answer.answered and not answer.quotes
        assert name in (answer.reason or "") and answer.note is None  # no "did you mean" person


def test_an_older_index_is_refused_then_rebuilt(emb: SentenceTransformerEmbedder, tmp_path: Path) -> None:
    build_index(ROOT / "corpus", tmp_path, emb, SEG)
    (generation,) = [p for p in tmp_path.iterdir() if (p / MANIFEST_NAME).is_file()]
    manifest = json.loads((generation / MANIFEST_NAME).read_text(encoding="utf-8"))
    manifest["analysis"] = 2  # the speaker analysis before organisations spoke
    (generation / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexMismatchError, match="version 2 of the speaker analysis"):
        load_index(tmp_path, emb.name, SEG)
    report = build_index(ROOT / "corpus", tmp_path, emb, SEG)
    assert report.full_rebuild_reason and "version 2 of the speaker analysis" in report.full_rebuild_reason
    assert report.embedded == 0  # the vectors are reused: only the analysis is done again
    engine = Engine(load_index(tmp_path, emb.name, SEG), emb)
    assert engine.people()[NATO].organisation
