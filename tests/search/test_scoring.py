"""Pure scoring helpers: z-scores, top-k, group maxima, the speaker and heading boost."""

from __future__ import annotations

import numpy as np

from retrieval.search.scoring import group_max, speaker_boost, spread_to_sentences, top_indices, zscore


def test_zscore_and_constant_input() -> None:
    z = zscore(np.array([1.0, 2.0, 3.0]))
    assert np.allclose(z.mean(), 0.0) and np.allclose(z.std(), 1.0)
    assert np.all(zscore(np.array([2.0, 2.0])) == 0.0)
    assert zscore(np.array([])).size == 0


def test_top_indices_best_first_and_stable() -> None:
    s = np.array([0.1, 0.9, 0.5, 0.9])
    assert top_indices(s, 3).tolist() == [1, 3, 2]
    assert top_indices(s, 10).tolist() == [1, 3, 2, 0]
    assert top_indices(s, 0).tolist() == []


def test_group_max() -> None:
    assert group_max(np.array([7, 3, 7, 3]), np.array([1.0, 5.0, 4.0, 2.0])).tolist() == [4.0, 5.0, 4.0, 5.0]


def test_spread_to_sentences_takes_the_best_passage() -> None:
    first, last = np.array([0, 1]), np.array([1, 2])
    got = spread_to_sentences(np.array([0, 1, 2, 3]), np.array([0, 1]), np.array([0.2, 0.7]), first, last, -1.0)
    assert got.tolist() == [0.2, 0.7, 0.7, -1.0]


def test_speaker_boost_reorders_the_shortlist_only() -> None:
    scores = np.array([10.0, 9.8, 9.0, 1.0])
    rel = np.array([-0.9, 1.0, 0.5, 1.0])
    out = speaker_boost(scores, rel, weight=1.0, shortlist=3)
    assert top_indices(out, 4).tolist()[:3] == [1, 2, 0]  # the asked speaker first, the reversed roles down
    assert out[3] == 1.0  # outside the shortlist: untouched
    assert np.array_equal(speaker_boost(scores, rel, 0.0, 3), scores)
