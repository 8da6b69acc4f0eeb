"""The "not found" decision and the learned ranker (shipped weights, JSON round trip, fitting)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from retrieval.eval.calibrate import Group, fit_ranker, rank_of_gold
from retrieval.search.decide import DecisionSettings, Evidence, answerable
from retrieval.search.features import FEATURES
from retrieval.search.ranker import WEIGHTS_PATH, Ranker, linear_ranker, load_ranker

S = DecisionSettings(speaker_model=None)  # the fixed thresholds: the rule when no decision.json is shipped
MODEL = DecisionSettings()  # with the shipped model for questions about a named person


def ev(dense: float = 0.6, cover: float = 1.0, asks: bool = False, known: bool = False, words: bool = False,
       speaker: float = 0.0) -> Evidence:
    return Evidence(dense, cover, asks, known, words, speaker)


def test_close_questions_are_answered_far_ones_not() -> None:
    assert answerable(ev(dense=0.6), S)
    assert not answerable(ev(dense=0.2, cover=1.0), S)
    assert answerable(ev(dense=S.min_dense_with_words + 0.01, cover=0.9), S)
    assert not answerable(ev(dense=S.min_dense_with_words + 0.01, cover=0.1), S)


def test_speech_questions_need_the_speaker() -> None:
    assert not answerable(ev(asks=True, known=False, words=False), S)  # "What did Macron say ...": absent
    assert answerable(ev(asks=True, known=False, words=True), S)  # an unnamed "mayor" can still speak
    assert answerable(ev(asks=True, known=True, words=True, speaker=1.0), S)
    assert not answerable(ev(asks=True, known=True, words=True, speaker=0.35), S)  # never on that topic
    assert answerable(ev(dense=0.0, asks=True), DecisionSettings(open=True))
    # with the model: someone the corpus never names is still not found, and the model decides only for
    # named people (an absent speaker never reaches it)
    assert MODEL.speaker_model is not None
    assert not answerable(ev(asks=True, known=False, words=False), MODEL)
    assert answerable(ev(asks=True, known=False, words=True), MODEL)


def test_the_shipped_ranker_matches_the_features() -> None:
    ranker = load_ranker()
    assert ranker.features == FEATURES and ranker.note != "fallback"
    assert Ranker.from_json(WEIGHTS_PATH.read_text()).features == FEATURES


def test_a_ranker_for_other_features_falls_back(tmp_path: Path) -> None:
    bad = linear_ranker({"dense": 1.0})
    other = Ranker(("x",), np.zeros(1), np.ones(1), np.zeros((1, 0)), np.zeros(0), np.zeros(0), np.ones(1))
    path = tmp_path / "r.json"
    path.write_text(other.to_json())
    assert load_ranker(path).note == "fallback"
    assert load_ranker(tmp_path / "missing.json").note == "fallback"
    x = np.random.default_rng(0).normal(size=(5, len(FEATURES)))
    assert np.allclose(Ranker.from_json(bad.to_json()).score(x), bad.score(x))


def test_fitting_learns_which_feature_marks_the_gold() -> None:
    rng = np.random.default_rng(1)
    groups = []
    for _ in range(60):
        x = rng.normal(size=(12, len(FEATURES)))
        gold = np.zeros(12, dtype=bool)
        g = int(rng.integers(12))
        x[g, 3] += 3.0  # the gold candidate stands out on one feature only
        gold[g] = True
        groups.append(Group(x, gold))
    ranker = fit_ranker(groups, hidden=4, max_iter=200)
    ranks = [rank_of_gold(ranker.score(g.features), g.gold) for g in groups]
    assert sum(r == 1 for r in ranks) / len(ranks) > 0.9
    assert rank_of_gold(np.array([0.1, 0.9]), np.array([False, False])) is None
