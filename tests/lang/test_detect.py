"""Telling a question that is not in English (lang/detect.py), and what answering does with one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrieval.corpus.segment import SegmentationSettings
from retrieval.index.builder import build_index
from retrieval.index.reader import load_index
from retrieval.lang.detect import accepted, foreign_language
from retrieval.search.engine import Engine, EngineConfig
from tests.support.fake_embedder import FakeEmbedder

ROOT = Path(__file__).resolve().parents[2]

ENGLISH = [
    "what did Putin say about Rutte?", "Who held a press conference with Rutte?", "How much is Germany's fund?",
    "What is the capital of Peru?", "Putin?", "Rutte", "NATO", "What did Von der Leyen say about tariffs?",
    "Von der Leyen on tariffs?", "What does 'la dolce vita' mean?", "What did Macron say about la France?",
    "Was it a war?", "What was said about the AfD?", "Is Rutte in Den Haag?", "Who is de Gaulle?",
    "What was the Zeitenwende speech about?", "What did Путин say?", "caf\ufffd Putin", "", "?!", "42",
    # English words that are function words elsewhere (war, son, come, men, door, era, ten, sin, con, die)
    "war", "war men", "Die Hard?", "son of man", "come on", "the door", "the era of war", "ten men", "sin",
    "con men", "Who will die in the war?", "Did ten men die?",
    # one word is not enough to tell ("why?" in German): answered as English, not refused
    "Warum?", "Merkel und Macron",
]
FOREIGN = {
    "Что сказал Путин о Рютте?": "Cyrillic script",
    "Was sagte Putin über Rutte?": "German",
    "Wer ist der Präsident?": "German",
    "Qu'a dit Macron sur l'OTAN ?": "French",
    "¿Qué dijo Putin sobre Rutte?": "Spanish",
    "Cosa ha detto Putin su Rutte?": "Italian",
    "O que disse Putin sobre Rutte?": "Portuguese",
    "Wat zei Poetin over Rutte?": "Dutch",
    "Co powiedział Putin o Rutte?": "Polish",
    "Vad sa Putin om Rutte?": "Swedish",
    "习近平说了什么？": "CJK script",
    "Ποιος είναι ο Πούτιν;": "Greek script",
    "מה אמר ראש העיר על הגשר?": "Hebrew script",
}


@pytest.mark.parametrize("question", ENGLISH)
def test_english_questions_are_english(question: str) -> None:
    assert foreign_language(question) is None


@pytest.mark.parametrize(("question", "name"), FOREIGN.items())
def test_other_languages_are_told(question: str, name: str) -> None:
    language = foreign_language(question)
    assert language is not None and language.name == name


@pytest.mark.parametrize("path", ["tests/data/corpus_questions.jsonl", "benchmarks/speaker_questions.jsonl"])
def test_no_question_of_the_english_question_sets_is_taken_for_another_language(path: str) -> None:
    questions = [json.loads(line)["question"] for line in (ROOT / path).read_text(encoding="utf-8").splitlines()]
    assert len(questions) > 40
    assert [q for q in questions if foreign_language(q) is not None] == []


def test_a_tie_between_two_languages_names_both() -> None:
    language = foreign_language("Cosa detto, dijo fue?")  # two Italian words, two Spanish ones
    assert language is not None and language.name == "Spanish or Italian" and language.codes == {"es", "it"}
    assert accepted(language, {"it"}) and not accepted(language, {"en"})


def test_question_languages_decide_what_is_accepted() -> None:
    russian, german = foreign_language("Что сказал Путин?"), foreign_language("Was sagte Putin über Rutte?")
    assert accepted(None, {"en"}) and not accepted(russian, {"en"}) and not accepted(german, {"en"})
    assert accepted(russian, {"en", "ru"}) and not accepted(german, {"en", "ru"}) and accepted(german, {"de"})
    assert accepted(russian, {"any"}) and accepted(german, {"any"})


def test_the_engine_says_why_instead_of_not_found(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The mayor said the bridge will reopen.\n", encoding="utf-8")
    emb, seg = FakeEmbedder(), SegmentationSettings()
    build_index(corpus, tmp_path / "index", emb, seg)
    open_all = EngineConfig(min_best_dense=-1.0, min_quote_dense=-1.0)
    engine = Engine(load_index(tmp_path / "index", emb.name, seg), emb, open_all)
    answer = engine.ask("Что сказал мэр о мосте?")
    assert not answer.answered and answer.reason is not None
    assert answer.reason.startswith("Questions must be in English") and "EMBEDDING_MODEL" in answer.reason
    anything = Engine(engine.index, emb, EngineConfig(min_best_dense=-1.0, min_quote_dense=-1.0,
                                                      question_languages=frozenset({"any"})))
    assert anything.ask("Что сказал мэр о мосте?").answered
