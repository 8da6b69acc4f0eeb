"""Behaviour with the real all-MiniLM-L6-v2 model on corpus/: speakers, the corpus/ question set, not found.

corpus/ and its question set (tests/data/corpus_questions.jsonl) are a development set: the speaker rules and
the not-found thresholds were tuned on them. These tests guard against regressions; they are not a measure
of answer quality on new text (benchmarks/QUESTIONS.md, README "Results")."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.corpus.segment import SegmentationSettings
from retrieval.embed.torch_backend import SentenceTransformerEmbedder
from retrieval.eval.questions import evaluate, load_questions
from retrieval.index.builder import build_index
from retrieval.index.reader import load_index
from retrieval.records import Answer
from retrieval.search.engine import Engine
from retrieval.settings import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parents[2]
SEG = SegmentationSettings()
pytestmark = pytest.mark.model

PUTIN_CHARACTERIZES = "Putin characterized Rutte as ‘intelligent and systematic’"
HE_CHARACTERIZED = "he characterized Rutte as ‘intelligent and systematic’"
PUTIN_URGES_READ = "he should read the US National Security Strategy,’ Putin said"
HE_URGED_READ = "He urged Rutte to ‘read the new US National Security Strategy"
RUTTE_ON_PUTIN = "continued Rutte"


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    emb = SentenceTransformerEmbedder(DEFAULT_MODEL)
    index = tmp_path_factory.mktemp("index")
    build_index(ROOT / "corpus", index, emb, SEG)
    return Engine(load_index(index, emb.name, SEG), emb)


def rank_of(answer: Answer, fragment: str) -> int:
    for n, q in enumerate(answer.quotes, 1):
        if fragment in q.text:
            return n
    return 99


def test_putin_on_rutte(engine: Engine) -> None:
    answer = engine.ask("what did Putin say about Rutte?", k=5)
    assert answer.answered
    characterizes = min(rank_of(answer, PUTIN_CHARACTERIZES), rank_of(answer, HE_CHARACTERIZED))
    urges = min(rank_of(answer, PUTIN_URGES_READ), rank_of(answer, HE_URGED_READ))
    assert characterizes <= 5 and urges <= 5, [q.text for q in answer.quotes]
    assert rank_of(answer, RUTTE_ON_PUTIN) > max(characterizes, urges)
    assert answer.quotes[0].speaker == "Vladimir Putin"


def test_rutte_on_putin_is_the_reverse(engine: Engine) -> None:
    answer = engine.ask("what did Rutte say about Putin?", k=5)
    assert answer.answered
    first = answer.quotes[0]
    assert first.speaker == "Mark Rutte" and "Putin" in first.text, [q.text for q in answer.quotes]
    assert rank_of(answer, PUTIN_CHARACTERIZES) > 1 and rank_of(answer, PUTIN_URGES_READ) > 1
    speakers = [q.speaker for q in answer.quotes[:3]]
    assert "Vladimir Putin" not in speakers


def test_macron_is_not_found(engine: Engine) -> None:
    answer = engine.ask("What did Macron say about nuclear deterrence?")
    assert not answer.answered and not answer.quotes


def test_every_quote_is_its_source_slice(engine: Engine) -> None:
    texts = {s.source: s.text for s in engine.index.sources}
    for question in ("what did Putin say about Rutte?", "Who is the NATO Secretary General?",
                     "How large is the fund Germany approved to boost military spending?"):
        for q in engine.ask(question, k=10).quotes:
            assert texts[q.source][q.start : q.end] == q.text
            for c in q.citations:
                assert texts[c.source][c.start : c.end]


def test_the_corpus_question_set(engine: Engine) -> None:
    """Regression floors on the corpus/ development set (29 answerable questions, 13 unanswerable): each
    one question under what benchmarks/QUESTIONS.md reports for this code, the torch backend, k=5. One
    question of slack because torch's CPU kernels and thread counts can turn a near tie; a second question
    lost is a regression to look at (and, if intended, to re-measure in QUESTIONS.md and move here)."""
    scores = evaluate(engine, load_questions(ROOT / "tests" / "data" / "corpus_questions.jsonl"), k=5)
    assert (scores.answerable, scores.unanswerable) == (29, 13)
    # Narration is not speech (issue 11): hit@3 was 26/29; the question lost has as gold a sentence that only
    # narrates the person speaking ("Rutte issued an urgent warning to Putin during an official visit to
    # Warsaw"), which now ranks below the person's own words (benchmarks/QUESTIONS.md).
    assert scores.hit_at_1 >= (23 - 1) / 29  # measured 23/29 = 0.793
    assert scores.hit_at_3 >= (25 - 1) / 29  # measured 25/29 = 0.862
    assert scores.wrong_speaker_first <= 1 / 20  # measured 0 of the 20 answerable questions naming a speaker
    assert scores.missed <= 1 / 29  # measured 0/29
    assert scores.false_answers <= (3 + 1) / 13  # measured 3/13 = 0.231
