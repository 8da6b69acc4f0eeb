"""The "not found" decision: pure, over a few numbers about the best candidates.

A question is answered when its best sentence is close enough to it, by meaning (cosine) or by words
(share of the question's term weight found in the sentence's window), and, for "what did X say" questions,
when X occurs in the corpus at all and, if X is a person the corpus names, some candidate has X speaking
(or being reported) on the topic.
Thresholds were calibrated on the tuning half of ReQA SQuAD (answerable questions against the index, and
the same questions against the index without their article, as unanswerable ones) and on
tests/data/corpus_questions.jsonl; benchmarks/NOT_FOUND.md has the error rates.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("decision.json")


@dataclass(frozen=True)
class Evidence:
    best_dense: float  # the best cosine of the question and a candidate sentence
    best_cover: float  # the best share of the question's term weight in a candidate's window (0..1)
    asks_speaker: bool  # the question asks for someone's words ("what did X say ...")
    speaker_known: bool  # the asked speaker is a person the corpus names (speakers.py found them)
    speaker_words: bool  # the asked speaker's words ("Macron", "the mayor") occur in the corpus at all
    best_speaker: float  # the best speaker relevance among the shortlisted candidates (-1..1)
    top_score: float = 0.0  # the best candidate's final score (ranker and speaker boost)
    speaker_topic: float = -1.0  # best cosine of the question's topic and a sentence the asked speaker says
    has_topic: bool = False  # the question names a topic ("what did X say about Y")
    speaker_topic_words: float = -1.0  # the most of the topic's words one article where the speaker speaks has


@dataclass(frozen=True)
class SpeakerModel:
    """Whether a question about a person the corpus names is answered: a logistic model over the best
    candidate's score, how close the person's own sentences come to the question's topic, whether the question
    has a topic, and how much of the topic's words an article where the person speaks holds, fitted on the
    train split of the Wikinews development set and thresholded on its dev split
    (``python -m retrieval.eval.fit_decision``; benchmarks/QUALITY.md)."""

    mean: tuple[float, ...]
    std: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    note: str = ""

    @staticmethod
    def features(e: Evidence) -> tuple[float, ...]:
        return (e.top_score, max(e.speaker_topic, 0.0), float(e.has_topic), max(e.speaker_topic_words, 0.0))

    def probability(self, e: Evidence) -> float:
        if len(self.weights) != len(self.features(e)):
            raise ValueError("the decision model was fitted on other features; refit it (retrieval.eval.fit_decision)")
        z = self.bias + sum(
            w * (x - m) / s for w, x, m, s in zip(self.weights, self.features(e), self.mean, self.std, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def to_json(self) -> str:
        return json.dumps(
            {"mean": self.mean, "std": self.std, "weights": self.weights, "bias": self.bias,
             "threshold": self.threshold, "note": self.note},
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str) -> SpeakerModel:
        d = json.loads(text)
        mean, std, weights = (tuple(float(v) for v in d[k]) for k in ("mean", "std", "weights"))
        if not len(mean) == len(std) == len(weights):
            raise ValueError("a decision model with mismatched lengths")
        return cls(mean, std, weights, float(d["bias"]), float(d["threshold"]), str(d.get("note", "")))


@lru_cache(maxsize=1)
def load_speaker_model(path: Path = MODEL_PATH) -> SpeakerModel | None:
    """The shipped model, or None (then the fixed thresholds below decide) when it is missing or damaged."""
    try:
        return SpeakerModel.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


@dataclass(frozen=True)
class DecisionSettings:
    min_best_dense: float = 0.45  # answered when the best cosine reaches this ...
    min_dense_with_words: float = 0.38  # ... or this, with at least min_cover of the question's words
    min_cover: float = 0.6
    min_speaker: float = 0.5  # a speech question needs a candidate at least this speaker-relevant
    strong_speaker: float = 0.8  # ... and with one this relevant (the speaker on the topic) ...
    min_dense_with_speaker: float = 0.30  # ... this cosine is close enough
    open: bool = False  # answer everything (tests, evaluation of ranking alone)
    # questions about a person the corpus names: the learned model (decision.json) when there is one
    speaker_model: SpeakerModel | None = field(default_factory=lambda: load_speaker_model())


def answerable(e: Evidence, s: DecisionSettings) -> bool:
    if s.open:
        return True
    if e.asks_speaker and e.speaker_known and s.speaker_model is not None:
        return s.speaker_model.probability(e) >= s.speaker_model.threshold
    close = e.best_dense >= s.min_best_dense or (e.best_dense >= s.min_dense_with_words and e.best_cover >= s.min_cover)
    if e.asks_speaker and e.speaker_known and e.best_speaker >= s.strong_speaker:
        close = close or e.best_dense >= s.min_dense_with_speaker
    if not close:
        return False
    if e.asks_speaker:
        if e.speaker_known:
            return e.best_speaker >= s.min_speaker
        # Not a person the corpus names: answer only if the words are there (an unnamed "mayor" can speak).
        return e.speaker_words
    return True
