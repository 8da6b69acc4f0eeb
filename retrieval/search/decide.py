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

from dataclasses import dataclass


@dataclass(frozen=True)
class Evidence:
    best_dense: float  # the best cosine of the question and a candidate sentence
    best_cover: float  # the best share of the question's term weight in a candidate's window (0..1)
    asks_speaker: bool  # the question asks for someone's words ("what did X say ...")
    speaker_known: bool  # the asked speaker is a person the corpus names (speakers.py found them)
    speaker_words: bool  # the asked speaker's words ("Macron", "the mayor") occur in the corpus at all
    best_speaker: float  # the best speaker relevance among the shortlisted candidates (-1..1)


@dataclass(frozen=True)
class DecisionSettings:
    min_best_dense: float = 0.45  # answered when the best cosine reaches this ...
    min_dense_with_words: float = 0.38  # ... or this, with at least min_cover of the question's words
    min_cover: float = 0.6
    min_speaker: float = 0.5  # a speech question needs a candidate at least this speaker-relevant
    strong_speaker: float = 0.8  # ... and with one this relevant (the speaker on the topic) ...
    min_dense_with_speaker: float = 0.30  # ... this cosine is close enough
    open: bool = False  # answer everything (tests, evaluation of ranking alone)


def answerable(e: Evidence, s: DecisionSettings) -> bool:
    if s.open:
        return True
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
