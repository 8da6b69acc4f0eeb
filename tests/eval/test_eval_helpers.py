"""ReQA and question-set scoring helpers: gold sentences, ranks, metrics, hits (pure, no model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrieval.corpus.segment import SegmentationSettings
from retrieval.eval.questions import GoldQuestion, load_questions, score_answers
from retrieval.eval.reqa import (
    ReqaQuestion,
    first_hit,
    gold_sentences,
    load_squad,
    metrics,
    rank_questions,
    sentence_ranges,
    write_corpus,
)
from retrieval.index.builder import build_index
from retrieval.index.reader import load_index
from retrieval.records import Answer, Citation, Quote
from retrieval.search.engine import Engine, EngineConfig
from tests.support.fake_embedder import FakeEmbedder

ROOT = Path(__file__).resolve().parents[2]
SQUAD = {
    "version": "1.1",
    "data": [
        {"title": "Bridges", "paragraphs": [{
            "context": "The bridge opened in 1932. Engineers painted it red. It carries six lanes.",
            "qas": [
                {"id": "q1", "question": "When did the bridge open?",
                 "answers": [{"answer_start": 22, "text": "1932"}]},
                {"id": "q2", "question": "What colour was the bridge painted?",
                 "answers": [{"answer_start": 47, "text": "red"}, {"answer_start": 47, "text": "red"}]},
            ]}]},
        {"title": "Rivers", "paragraphs": [{
            "context": "The river floods every spring. Farmers plant rice after the flood.",
            "qas": [{"id": "q3", "question": "What do farmers plant?",
                     "answers": [{"answer_start": 43, "text": "rice"}]}],
        }]},
    ],
}


def test_metrics_and_first_hit() -> None:
    m = metrics([1, 2, None, 11])
    assert m.n == 4 and m.p_at_1 == 0.25 and m.r_at_5 == 0.5 and m.mrr_at_10 == pytest.approx((1 + 0.5) / 4)
    assert first_hit([frozenset({3}), frozenset({5, 7})], frozenset({7})) == 2
    assert first_hit([frozenset({3})], frozenset({7})) is None


def test_squad_paragraphs_become_sources_and_gold_is_the_answer_sentence(tmp_path: Path) -> None:
    path = tmp_path / "dev.json"
    path.write_text(json.dumps(SQUAD), encoding="utf-8")
    reqa = load_squad(path)
    assert reqa.n_articles == 2 and len(reqa.paragraphs) == 2 and len(reqa.questions) == 3
    assert reqa.questions[1] == ReqaQuestion("q2", "What colour was the bridge painted?", 0, "a00/p000.txt", (47,))
    write_corpus(reqa, tmp_path / "corpus")
    emb = FakeEmbedder()
    seg = SegmentationSettings()
    build_index(tmp_path / "corpus", tmp_path / "index", emb, seg)
    index = load_index(tmp_path / "index", emb.name, seg)
    ranges = sentence_ranges(index)
    first, stop = ranges["a00/p000.txt"]
    assert [index.text(s) for s in gold_sentences(index, first, stop, (47,))] == ["Engineers painted it red."]
    assert [index.text(s) for s in gold_sentences(index, first, stop, (22,))] == ["The bridge opened in 1932."]
    engine = Engine(index, emb, EngineConfig(min_best_dense=-1.0))
    methods, latency = rank_questions(index, engine, emb, reqa.questions)
    assert [m.method for m in methods] == ["dense alone", "BM25 alone", "Verbatim pipeline"]
    assert len(latency) == 3 and all(len(m.ranks) == 3 for m in methods)
    assert methods[2].ranks[2] == 1  # "What do farmers plant?" -> "Farmers plant rice after the flood."


def quote(text: str, source: str, start: int, speaker: str | None = None) -> Quote:
    c = Citation(source, start, start + len(text), 1)
    return Quote(text, source, c.start, c.end, 1, 1.0, (0,), speaker, (c,))


def test_question_set_scores() -> None:
    texts = {"a.txt": "Putin spoke. Rutte spoke."}
    qs = [
        GoldQuestion("What did Putin say?", True, "Vladimir Putin", frozenset({("a.txt", "Putin spoke.")})),
        GoldQuestion("What did Rutte say?", True, "Mark Rutte", frozenset({("a.txt", "Rutte spoke.")})),
        GoldQuestion("What did Macron say?", False, None, frozenset()),
    ]
    answers = [
        Answer(qs[0].question, True, (quote("Putin spoke.", "a.txt", 0, "Vladimir Putin"),)),
        Answer(qs[1].question, True, (quote("Putin spoke.", "a.txt", 0, "Vladimir Putin"),
                                      quote("Rutte spoke.", "a.txt", 13, "Mark Rutte"))),
        Answer(qs[2].question, True, (quote("Putin spoke.", "a.txt", 0),)),
    ]
    s = score_answers(qs, answers, texts)
    assert (s.answerable, s.unanswerable) == (2, 1)
    assert s.hit_at_1 == 0.5 and s.hit_at_3 == 1.0 and s.recall_at_k == 1.0
    assert s.wrong_speaker_first == 0.5 and s.missed == 0.0 and s.false_answers == 1.0


def test_the_shipped_question_sets_load() -> None:
    for path in (ROOT / "tests/data/corpus_questions.jsonl", ROOT / "benchmarks/speaker_questions.jsonl"):
        qs = load_questions(path)
        assert qs and any(not q.answerable for q in qs) and all(q.gold or not q.answerable for q in qs)


def test_speaker_benchmark_gold_are_sentences_of_their_files() -> None:
    from retrieval.corpus.segment import segment

    folder = ROOT / "benchmarks/speaker_corpus"
    sentences = {}
    for p in folder.glob("*.txt"):
        text = p.read_text(encoding="utf-8")
        sentences[p.name] = {text[s.start : s.end] for s in segment(text)}
    for q in load_questions(ROOT / "benchmarks/speaker_questions.jsonl"):
        for source, text in q.gold:
            assert text in sentences[source], (q.question, text)
