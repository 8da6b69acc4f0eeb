"""The "not found" decision: pure, over a few numbers about the best candidates.

A question is answered when its best sentence is close enough to it, by meaning (cosine) or by words
(share of the question's term weight found in the sentence's window), and, for "what did X say" questions,
when X occurs in the corpus at all and, if X is a person the corpus names, some candidate has X speaking
(or being reported) on the topic.
What every number here was tuned on (all development data; none of it is evidence of quality elsewhere):
the fixed thresholds on the tuning half of ReQA SQuAD (first 24 articles: answerable questions against the
index, and the same questions against the index without their article, as unanswerable ones) and on the
corpus/ development set (tests/data/corpus_questions.jsonl); the ``strong_speaker`` exception on the
speaker development set (benchmarks/speaker_questions.jsonl); ``SpeakerModel`` on the train and dev splits
of the Wikinews development set. Error rates: benchmarks/QUESTIONS.md.

``SpeakerModel`` reads the evidence by name (``FEATURES``); decision.json lists the names it was fitted on
(none listed: ``DEFAULT_FEATURES``), so a refit may add one (``fit_decision --features``) without a code change.
Two are offered beyond the shipped four: ``speaker_own_words`` (the topic's words in the asked person's own
sentences, not just in their articles: tells "the other person in the article said it") and ``best_speaker``.
With the Wikinews set as it is (its unanswerable questions come from other articles), refits with them move
the shipped operating point little (benchmarks/QUESTIONS.md, "the other person said it").
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
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
    speaker_own_words: float = -1.0  # the most of the topic's words the speaker's own sentences of one article hold
    # the cross-encoder's best score among the candidates it read (search/rerank.py); XENC_FLOOR when the decision
    # answers whatever it reads (reading_needed: not read); None when it did not run
    best_xenc: float | None = None
    # its best score of the best answers read bare (no speaker label), for a person's topic none of their own
    # sentences words; None otherwise
    topic_xenc: float | None = None


# The shipped cross-encoder's lowest score: its logit saturates at about -3.87 (the least of 1,740 random
# question-passage pairs, empty and junk passages among them, and of 1,539 top-3 candidates of 513 ReQA questions;
# 2026-12-02). A reading is clipped here, so a decision that answers at the floor answers at any reading
# (``reading_needed``) and the cross-encoder need not run: no reading observed is changed by the clip.
XENC_FLOOR = -4.0

# The numbers a SpeakerModel can use, by name (decision.json lists the ones it was fitted on).
FEATURES: dict[str, Callable[[Evidence], float]] = {
    "top_score": lambda e: e.top_score,
    "speaker_topic": lambda e: max(e.speaker_topic, 0.0),
    "has_topic": lambda e: float(e.has_topic),
    "speaker_topic_words": lambda e: max(e.speaker_topic_words, 0.0),
    "speaker_own_words": lambda e: max(e.speaker_own_words, 0.0),
    "best_speaker": lambda e: e.best_speaker,
    "best_dense": lambda e: e.best_dense,
    "best_cover": lambda e: e.best_cover,
    "best_xenc": lambda e: max(e.best_xenc, XENC_FLOOR) if e.best_xenc is not None else math.nan,
}
# The evidence of the factual model (decision_factual.json) when it names none; a model fitted with "best_xenc"
# decides only questions the cross-encoder read (VERIFY_TOP or RERANK_TOP > 0).
FACTUAL_FEATURES = ("best_dense", "best_cover")
FACTUAL_PATH = Path(__file__).with_name("decision_factual.json")
DEFAULT_FEATURES = ("top_score", "speaker_topic", "has_topic", "speaker_topic_words")  # a model that names none


@dataclass(frozen=True)
class SpeakerModel:
    """Whether a question about a person the corpus names is answered: a logistic model over the best
    candidate's score, how close the person's own sentences come to the question's topic, whether the question
    has a topic, and how much of the topic's words an article where the person speaks holds, fitted on the
    train split of the Wikinews development set and thresholded on its dev split
    (``python -m retrieval.eval.fit_decision``; benchmarks/QUALITY.md). The same logistic form over
    FACTUAL_FEATURES decides the questions that ask for no one's words (decision_factual.json)."""

    mean: tuple[float, ...]
    std: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    note: str = ""
    names: tuple[str, ...] = DEFAULT_FEATURES  # the features, in the order of ``weights``

    def features(self, e: Evidence) -> tuple[float, ...]:
        return feature_values(e, self.names)

    def reads(self, e: Evidence) -> bool:
        """Whether the evidence holds every number the model was fitted on (the cross-encoder's may be absent)."""
        return "best_xenc" not in self.names or e.best_xenc is not None

    def probability(self, e: Evidence) -> float:
        if len(self.weights) != len(self.names):
            raise ValueError("the decision model was fitted on other features; refit it (retrieval.eval.fit_decision)")
        z = self.bias + sum(
            w * (x - m) / s for w, x, m, s in zip(self.weights, self.features(e), self.mean, self.std, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def to_json(self) -> str:
        return json.dumps(
            {
                "features": self.names,
                "mean": self.mean,
                "std": self.std,
                "weights": self.weights,
                "bias": self.bias,
                "threshold": self.threshold,
                "note": self.note,
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str) -> SpeakerModel:
        d = json.loads(text)
        mean, std, weights = (tuple(float(v) for v in d[k]) for k in ("mean", "std", "weights"))
        names = tuple(str(n) for n in d.get("features", DEFAULT_FEATURES))
        if not len(mean) == len(std) == len(weights) == len(names) or not set(names) <= set(FEATURES):
            raise ValueError("a decision model with mismatched lengths or unknown features")
        return cls(mean, std, weights, float(d["bias"]), float(d["threshold"]), str(d.get("note", "")), names)


def feature_values(e: Evidence, names: tuple[str, ...]) -> tuple[float, ...]:
    return tuple(FEATURES[n](e) for n in names)


@lru_cache(maxsize=1)
def load_speaker_model(path: Path = MODEL_PATH) -> SpeakerModel | None:
    """The shipped model (decision.json; or ``path``, as for decision_factual.json), or None when it is missing or
    damaged: then the fixed thresholds below decide."""
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
    # With a candidate this speaker-relevant (the speaker on the topic), a lower cosine is close enough.
    # Tuned on the speaker development set (added with it; one of its 45 questions depends on it: "How did
    # the mayor respond to the criticism?"). Only used without the speaker model (decision.json), which
    # decides these questions otherwise; benchmarks/QUESTIONS.md measures both.
    strong_speaker: float = 0.8
    min_dense_with_speaker: float = 0.30
    open: bool = False  # answer everything (tests, evaluation of ranking alone)
    # questions about a person the corpus names: the learned model (decision.json) when there is one
    speaker_model: SpeakerModel | None = field(default_factory=lambda: load_speaker_model())
    # "What did X say about Y?" where none of X's own sentences has a word of Y: answered only if the cross-encoder
    # reads one of the best answers, without its speaker label, as answering it (topic_xenc at least this). The
    # words of Y elsewhere in X's article ("What did Tim Yeo say about the National Union of Students?", whom only
    # another speaker named) carry the learned model over its threshold, and X's words on something else come
    # back. Off (None) by default: at 0.0 it declines 5 of 8 such questions written for it and 4 of the speaker
    # set's 5 false answers, but also 17 of 301 answerable Wikinews train questions and 6 of 160 dev ones
    # (benchmarks/QUALITY.md, session 8). Costs a cross-encoder reading of such questions when set.
    min_xenc_unworded: float | None = None
    # other questions: a logistic model over FACTUAL_FEATURES (decision_factual.json, fitted on ReQA's tuning half
    # by ``python -m benchmarks.not_found --fit``); without it, the fixed thresholds above
    factual_model: SpeakerModel | None = field(default_factory=lambda: load_speaker_model(FACTUAL_PATH))


def answerable(e: Evidence, s: DecisionSettings) -> bool:
    if s.open:
        return True
    if e.asks_speaker and e.speaker_known and s.speaker_model is not None:
        if unworded_unread(e, s):
            return False
        return s.speaker_model.probability(e) >= s.speaker_model.threshold
    if not e.asks_speaker and s.factual_model is not None and s.factual_model.reads(e):
        return s.factual_model.probability(e) >= s.factual_model.threshold
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


def reading_needed(e: Evidence, s: DecisionSettings) -> bool:
    """Whether the cross-encoder's best score (``best_xenc``) can change the decision on this evidence: not when the
    factual model does not read it, nor when the model answers even at the lowest score the cross-encoder gives
    (its weight is positive: a higher score only adds). Measured on 513 ReQA questions (every 20th, all 48
    articles; AMD host): 82% are answered at the floor, so the ~13 ms a pair costs there is spent on the rest."""
    m = s.factual_model
    if s.open or e.asks_speaker or m is None or "best_xenc" not in m.names:
        return False
    weight = m.weights[m.names.index("best_xenc")]
    return weight <= 0.0 or m.probability(replace(e, best_xenc=XENC_FLOOR)) < m.threshold


def unworded_unread(e: Evidence, s: DecisionSettings) -> bool:
    """A person's topic that none of their own sentences words, and that the cross-encoder does not read in the
    best answers either (``DecisionSettings.min_xenc_unworded``)."""
    return (
        s.min_xenc_unworded is not None
        and e.has_topic
        and e.speaker_own_words == 0.0
        and e.topic_xenc is not None
        and e.topic_xenc < s.min_xenc_unworded
    )
