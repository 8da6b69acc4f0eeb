"""The not-found model's evidence by name (search/decide.py FEATURES): a model names what it was fitted on, and
the asked speaker's own sentences are told apart from another speaker's words on the topic in the same article."""

from __future__ import annotations

from dataclasses import replace

import pytest

from retrieval.search.decide import DEFAULT_FEATURES, Evidence, SpeakerModel
from retrieval.search.engine import Engine
from tests.support.small_engine import engine_over

COUNCIL = """Council row over the bridge

"The contractor must pay penalties for every week of delay," Amara Okafor said on Tuesday.

"The repairs will be finished by March," Devan Raman told the council.

Raman also said the budget for the river walk would stay the same.
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return engine_over(tmp_path_factory.mktemp("decide"), {"council.txt": COUNCIL})


def test_topic_words_in_the_speakers_own_sentences_not_in_the_article(engine: Engine) -> None:
    raman, okafor = engine.sentences_of("Raman"), engine.sentences_of("Okafor")
    assert len(raman) == 2 and len(okafor) == 1
    # both people's article holds "contractor penalties"; only Okafor's own words do
    assert engine.topic_in_own_articles(raman, "the contractor penalties") == 1.0
    assert engine.topic_in_own_sentences(raman, "the contractor penalties") == 0.0
    assert engine.topic_in_own_sentences(okafor, "the contractor penalties") == 1.0
    # Raman's two sentences hold "repairs" and "river walk" between them
    assert engine.topic_in_own_sentences(raman, "the repairs and the river walk") == 1.0
    assert engine.topic_in_own_sentences(raman, "the repairs and the harbour") == pytest.approx(0.5, abs=0.25)
    assert engine.topic_in_own_sentences(engine.sentences_of("Nobody"), "the repairs") == -1.0


def test_a_model_uses_the_features_it_names() -> None:
    names = (*DEFAULT_FEATURES, "speaker_own_words")
    model = SpeakerModel((10.0, 0.1, 0.5, 0.5, 0.5), (5.0, 0.2, 0.5, 0.3, 0.4), (1.0, 0.5, -0.5, 0.5, 2.0), 0.0,
                         0.5, names=names)  # fmt: skip
    own = Evidence(0.2, 0.1, True, True, True, 0.35, top_score=15.0, speaker_topic=0.2, has_topic=True,
                   speaker_topic_words=1.0, speaker_own_words=1.0)  # fmt: skip
    others = replace(own, speaker_own_words=0.0)
    assert model.probability(own) > 0.5 > model.probability(others)
    assert SpeakerModel.from_json(model.to_json()) == model
    # a model without the list is the four-feature model decision.json held before
    old = SpeakerModel((10.0, 0.1, 0.5, 0.5), (5.0, 0.2, 0.5, 0.3), (1.0, 0.5, -0.5, 0.5), 0.0, 0.5)
    text = old.to_json().replace('"features"', '"ignored"')
    assert SpeakerModel.from_json(text).names == DEFAULT_FEATURES
    assert old.probability(own) == old.probability(others)


def test_a_model_naming_an_unknown_feature_is_refused() -> None:
    model = SpeakerModel((1.0,), (1.0,), (1.0,), 0.0, 0.5, names=("top_score",))
    with pytest.raises(ValueError, match="unknown features"):
        SpeakerModel.from_json(model.to_json().replace('"top_score"', '"shoe_size"'))


def test_a_fit_on_named_features_learns_the_one_that_separates() -> None:
    from retrieval.eval.fit_decision import choose_threshold, fit

    base = Evidence(0.2, 0.1, True, True, True, 0.35, top_score=15.0, speaker_topic=0.2, has_topic=True,
                    speaker_topic_words=1.0)  # fmt: skip
    rows = [(replace(base, speaker_own_words=w, top_score=15.0 + i % 3), w > 0.5) for i, w in
            enumerate([0.0, 0.1, 0.9, 1.0, 0.0, 0.8, 0.2, 1.0])]  # fmt: skip
    model = fit(rows, names=(*DEFAULT_FEATURES, "speaker_own_words"))
    assert model.names[-1] == "speaker_own_words" and model.weights[-1] > 0
    threshold = choose_threshold(model, rows, max_declined=0.0)
    assert all((model.probability(e) >= threshold) == answerable for e, answerable in rows)


def test_a_topic_the_persons_own_words_never_hold_is_read_by_the_cross_encoder_only_when_asked(engine: Engine) -> None:
    from retrieval.search.decide import DecisionSettings, answerable, unworded_unread

    question = "What did Raman say about the contractor penalties?"  # only Okafor spoke of them
    off = engine.score(question, engine.embedder.encode([question])[0]).evidence
    assert off.speaker_own_words == 0.0 and off.topic_xenc is None  # off by default: no reading, no cost
    strict = replace(engine.config, decision=replace(engine.config.decision, min_xenc_unworded=5.0))
    on_engine = Engine(engine.index, engine.embedder, strict)
    if on_engine.cross_encoder is None:
        pytest.skip("the cross-encoder model or onnxruntime is missing")
    on = on_engine.score(question, on_engine.embedder.encode([question])[0]).evidence
    assert on.topic_xenc is not None and on.topic_xenc < 5.0
    assert not answerable(on, strict.decision) and not on_engine.ask(question).answered
    # a topic the person's own words hold is never read this way
    own = on_engine.score("What did Raman say about the river walk?", on_engine.embedder.encode(["river walk"])[0])
    assert own.evidence.speaker_own_words > 0.0 and own.evidence.topic_xenc is None
    # the rule itself: only with a topic, no own words and a low reading
    e, rule = replace(on, topic_xenc=-2.0), DecisionSettings(min_xenc_unworded=0.0)
    assert unworded_unread(e, rule) and not answerable(e, rule)
    assert not unworded_unread(replace(e, topic_xenc=2.0), rule)
    assert not unworded_unread(replace(e, has_topic=False), rule)
    assert not unworded_unread(replace(e, speaker_own_words=0.5), rule)
    assert not unworded_unread(e, DecisionSettings(min_xenc_unworded=None))
