"""The engine with the cross-encoder reranker: it is used when shipped, answering works the same way without
its file, and every quote is still the indexed text at its citation."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from retrieval.corpus.segment import SegmentationSettings
from retrieval.embed.onnx_backend import OnnxEmbedder
from retrieval.index.builder import build_index
from retrieval.index.reader import IndexData, load_index
from retrieval.records import Answer
from retrieval.search.decide import XENC_FLOOR
from retrieval.search.engine import Engine, EngineConfig
from retrieval.search.rerank import FUSED_FEATURES, rerank_features
from retrieval.settings import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parents[2]
SEG = SegmentationSettings()
QUESTIONS = ("what did Putin say about Rutte?", "What did Rutte say about NATO spending?",
             "When did Putin hold his annual live broadcast?")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> IndexData:
    emb = OnnxEmbedder(DEFAULT_MODEL)
    folder = tmp_path_factory.mktemp("index")
    build_index(ROOT / "corpus", folder, emb, SEG)
    return load_index(folder, emb.name, SEG, backend=emb.backend)


def shape(answer: Answer) -> list[tuple[str, int, int]]:
    return [(q.source, q.start, q.end) for q in answer.quotes]


@pytest.mark.model
def test_the_shipped_reranker_is_used_and_quotes_are_the_indexed_text(index: IndexData) -> None:
    engine = Engine(index, OnnxEmbedder(DEFAULT_MODEL), EngineConfig(rerank_top=8))
    assert engine.cross_encoder is not None and engine.fused is not None
    for question in QUESTIONS:
        scored = engine.score(question, engine.embedder.encode([question])[0])
        assert scored.fused is not None and scored.fused.shape == (len(scored.candidates.ids), len(FUSED_FEATURES))
        seen = scored.fused[:, FUSED_FEATURES.index("xenc_seen")]
        assert seen.sum() == min(engine.config.rerank_top, len(seen))
        answer = engine.ask(question, k=5)
        assert answer.answered, question
        for q in answer.quotes:
            assert (ROOT / "corpus" / q.source).read_text(encoding="utf-8")[q.start : q.end] == q.text


@pytest.mark.model
def test_a_missing_model_file_answers_as_without_reranker(index: IndexData, tmp_path: Path) -> None:
    emb = OnnxEmbedder(DEFAULT_MODEL)
    missing = Engine(index, emb, EngineConfig(rerank_top=8, reranker_path=tmp_path / "absent.onnx"))
    off = Engine(index, emb, EngineConfig(rerank_top=0, verify_top=0))
    assert missing.cross_encoder is None and off.cross_encoder is None
    for question in QUESTIONS:
        a, b = missing.ask(question, k=5), off.ask(question, k=5)
        assert a.answered and shape(a) == shape(b)
    on = Engine(index, emb, replace(EngineConfig(), rerank_top=4))
    assert on.cross_encoder is not None
    assert Engine(index, emb).fused is None  # reranking is off by default (see EngineConfig.rerank_top)


def test_rerank_features_mark_what_the_cross_encoder_read() -> None:
    first = np.array([0.5, 2.0, -1.0, 1.0])
    rows = rerank_features(first, np.array([1, 3]), np.array([4.0, -2.0]))
    np.testing.assert_allclose(rows[:, 0], first)
    np.testing.assert_allclose(rows[:, 1], [-2.0, 4.0, -2.0, -2.0])  # unseen: the lowest score it gave
    np.testing.assert_allclose(rows[:, 2], [-6.0, 0.0, -6.0, -6.0])
    np.testing.assert_allclose(rows[:, 3], [0.0, 1.0, 0.0, 1.0])


@pytest.mark.model
def test_the_verifier_reads_the_best_candidates_and_changes_no_order(index: IndexData) -> None:
    emb = OnnxEmbedder(DEFAULT_MODEL)
    verified = Engine(index, emb, EngineConfig(verify_top=3, verify_when_needed=False))
    plain = Engine(index, emb, EngineConfig(verify_top=0))
    assert verified.cross_encoder is not None and plain.cross_encoder is None
    assert Engine(index, emb).config.verify_top == 3  # on by default
    for question in QUESTIONS:
        a = verified.score(question, emb.encode([question])[0])
        b = plain.score(question, emb.encode([question])[0])
        np.testing.assert_allclose(a.scores, b.scores)
        assert b.evidence.best_xenc is None
        # read only for the questions whose decision uses it: not for "what did X say" questions
        assert (a.evidence.best_xenc is None) == a.evidence.asks_speaker, question
    # the question the corpus answers reads higher to the cross-encoder than one it does not
    answered = verified.score(QUESTIONS[2], emb.encode([QUESTIONS[2]])[0]).evidence.best_xenc
    absent = "What did the Bank of England decide about interest rates in March?"
    unrelated = verified.score(absent, emb.encode([absent])[0]).evidence.best_xenc
    assert answered is not None and unrelated is not None and answered > unrelated
    assert not verified.ask(absent).answered and verified.ask(QUESTIONS[2]).answered


@pytest.mark.model
def test_the_verifier_reads_only_where_the_decision_needs_it_and_answers_the_same(index: IndexData) -> None:
    emb = OnnxEmbedder(DEFAULT_MODEL)
    lazy = Engine(index, emb)  # the default: read when the reading can change the decision
    eager = Engine(index, emb, EngineConfig(verify_when_needed=False))
    assert lazy.config.verify_when_needed and lazy.cross_encoder is not None
    questions = (*QUESTIONS, "What did the Bank of England decide about interest rates in March?",
                 "When did Putin and Rutte meet in person?", "How much will NATO members spend on defence?",
                 "Who is the Secretary General of NATO?", "What is the weather in Lisbon?")
    skipped = read = 0
    for question in questions:
        lazy_xenc = lazy.score(question, emb.encode([question])[0]).evidence.best_xenc
        eager_xenc = eager.score(question, emb.encode([question])[0]).evidence.best_xenc
        if lazy_xenc == XENC_FLOOR and eager_xenc is not None:  # not read: the decision answers at any reading
            skipped += 1
            assert eager_xenc > XENC_FLOOR
        elif lazy_xenc is not None:
            read += 1
            assert lazy_xenc == eager_xenc
        a, b = lazy.ask(question, k=5), eager.ask(question, k=5)
        assert (a.answered, shape(a), a.reason) == (b.answered, shape(b), b.reason), question
    assert skipped and read  # both happen over these questions


@pytest.mark.model
def test_a_person_misspelt_in_the_topic_is_read_as_that_person(index: IndexData) -> None:
    engine = Engine(index, OnnxEmbedder(DEFAULT_MODEL))
    for question in ("What did Putin say about rute?", "What did Puttin say about Rute?"):
        answer = engine.ask(question, k=3)
        assert answer.answered and answer.note is not None and "Did you mean Mark Rutte?" in answer.note, question
        assert answer.quotes[0].speaker is not None and "Putin" in answer.quotes[0].speaker
    # a word the corpus never uses that spells no one's name: no correction, not found
    absent = engine.ask("What did Putin say about Lisbon?", k=3)
    assert not absent.answered and absent.note is None
