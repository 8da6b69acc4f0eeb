"""Scoring a question set (JSON lines) against an Engine: hit@1, hit@3, gold recall, wrong speaker first,
and both "not found" error rates.

One line per question: ``{"question": str, "answerable": bool, "speaker": str | null,
"gold": [{"source": str, "text": str}, ...]}``. A quote hits when one of its citations is a gold sentence
(same source, same text) or its text is a gold text. Pure over the answers; ``evaluate`` asks the Engine.

"Wrong speaker first" is scored against the question set, never against the speaker Verbatim detects
(which would hide exactly the misattributions it is meant to count). Over the answerable questions that
name a speaker: the first quote is not a gold sentence of the question, and the set's gold attributes it
to someone else, i.e. it is a gold sentence (same source and text, or same text) of another question of
the set whose ``speaker`` is a different person (``name_matches`` neither way). A first quote that no
question of the set attributes to anyone is not counted here (it is a miss of hit@1 only): the figure is
a lower bound, as complete as the set's gold is.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from retrieval.lang.en.names import name_matches
from retrieval.records import Answer, Quote
from retrieval.search.engine import Engine


@dataclass(frozen=True)
class GoldQuestion:
    question: str
    answerable: bool
    speaker: str | None
    gold: frozenset[tuple[str, str]]  # (source, text)


def load_questions(path: Path) -> list[GoldQuestion]:
    out: list[GoldQuestion] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        gold = frozenset((g["source"], g["text"]) for g in d.get("gold", []))
        out.append(GoldQuestion(d["question"], bool(d["answerable"]), d.get("speaker"), gold))
    return out


def quote_hits(quote: Quote, source_text: dict[str, str], gold: frozenset[tuple[str, str]]) -> bool:
    texts = {t for _, t in gold}
    if quote.text in texts:
        return True
    return any((c.source, source_text[c.source][c.start : c.end]) in gold for c in quote.citations)


@dataclass(frozen=True)
class SetScores:
    answerable: int
    unanswerable: int
    hit_at_1: float  # over answerable questions
    hit_at_3: float
    recall_at_k: float  # share of all gold sentences (merged by text) found in the first k quotes
    wrong_speaker_first: float  # answerable questions with a speaker: first a non-gold quote the set's gold gives
    # to someone else (see the module docstring)
    missed: float  # answerable questions answered "not found"
    false_answers: float  # unanswerable questions answered


def gold_speakers(questions: Iterable[GoldQuestion]) -> dict[tuple[str, str] | str, frozenset[str]]:
    """Who speaks each gold sentence of the set, by (source, text) and by text alone: the speakers of the
    questions it is gold for."""
    out: dict[tuple[str, str] | str, set[str]] = {}
    for q in questions:
        if q.speaker:
            for source, text in q.gold:
                out.setdefault((source, text), set()).add(q.speaker)
                out.setdefault(text, set()).add(q.speaker)
    return {k: frozenset(v) for k, v in out.items()}


def _same_person(a: str, b: str) -> bool:
    return name_matches(a, b) or name_matches(b, a)


def wrong_speaker(
    quote: Quote, speaker: str, speakers: dict[tuple[str, str] | str, frozenset[str]], source_text: dict[str, str]
) -> bool:
    """Does the set's gold give this (non-gold) quote to someone other than ``speaker``, and never to them?"""
    keys: list[tuple[str, str] | str] = [quote.text]
    keys += [(c.source, source_text[c.source][c.start : c.end]) for c in quote.citations]
    owners = {who for key in keys for who in speakers.get(key, ())}
    return bool(owners) and not any(_same_person(who, speaker) for who in owners)


def score_answers(
    questions: Sequence[GoldQuestion], answers: Sequence[Answer], source_text: dict[str, str]
) -> SetScores:
    speakers = gold_speakers(questions)
    ans = [(q, a) for q, a in zip(questions, answers, strict=True) if q.answerable]
    una = [(q, a) for q, a in zip(questions, answers, strict=True) if not q.answerable]
    h1 = h3 = 0
    recall: list[float] = []
    wrong = with_speaker = 0
    missed = 0
    for q, a in ans:
        if not a.answered:
            missed += 1
        hits = [quote_hits(x, source_text, q.gold) for x in a.quotes]
        h1 += bool(hits[:1] and hits[0])
        h3 += any(hits[:3])
        gold_texts = {t for _, t in q.gold}
        found: set[str] = set()
        for x, hit in zip(a.quotes, hits, strict=True):
            if hit:
                found |= {source_text[c.source][c.start : c.end] for c in x.citations} & gold_texts
                found |= {x.text} & gold_texts
        recall.append(len(found) / len(gold_texts) if gold_texts else 1.0)
        if q.speaker:
            with_speaker += 1
            if a.quotes and not hits[0] and wrong_speaker(a.quotes[0], q.speaker, speakers, source_text):
                wrong += 1
    n = max(len(ans), 1)
    return SetScores(
        answerable=len(ans),
        unanswerable=len(una),
        hit_at_1=h1 / n,
        hit_at_3=h3 / n,
        recall_at_k=sum(recall) / n,
        wrong_speaker_first=wrong / max(with_speaker, 1),
        missed=missed / n,
        false_answers=sum(1 for _, a in una if a.answered) / max(len(una), 1),
    )


def evaluate(engine: Engine, questions: Iterable[GoldQuestion], k: int = 5) -> SetScores:
    qs = list(questions)
    answers = [engine.ask(q.question, k=k) for q in qs]
    source_text = {s.source: engine.index.article(no) for no, s in enumerate(engine.index.sources)}
    return score_answers(qs, answers, source_text)


def format_scores(name: str, s: SetScores, k: int) -> str:
    return (
        f"| {name} | {s.answerable} | {s.unanswerable} | {s.hit_at_1:.3f} | {s.hit_at_3:.3f} | {s.recall_at_k:.3f} "
        f"| {s.wrong_speaker_first:.3f} | {s.missed:.3f} | {s.false_answers:.3f} |"
    )


TABLE_HEAD = (
    "| Set | Answerable | Unanswerable | hit@1 | hit@3 | gold recall@{k} | wrong speaker first | missed (answerable "
    "→ not found) | false answers (unanswerable → answered) |\n|---|---|---|---|---|---|---|---|---|"
)
