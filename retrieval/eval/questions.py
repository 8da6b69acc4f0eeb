"""Scoring a question set (JSON lines) against an Engine: hit@1, hit@3, gold recall, wrong speaker first,
and both "not found" error rates.

One line per question: ``{"question": str, "answerable": bool, "speaker": str | null,
"gold": [{"source": str, "text": str}, ...]}``. A quote hits when one of its citations is a gold sentence
(same source, same text) or its text is a gold text. Pure over the answers; ``evaluate`` asks the Engine.
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
    wrong_speaker_first: float  # over answerable questions with a speaker: a non-gold quote by someone else first
    missed: float  # answerable questions answered "not found"
    false_answers: float  # unanswerable questions answered


def score_answers(
    questions: Sequence[GoldQuestion], answers: Sequence[Answer], source_text: dict[str, str]
) -> SetScores:
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
            top = a.quotes[0] if a.quotes else None
            top_is_gold = bool(hits) and hits[0]
            if top is not None and not top_is_gold and top.speaker and not name_matches(top.speaker, q.speaker) \
                    and not name_matches(q.speaker, top.speaker):
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
    source_text = {s.source: s.text for s in engine.index.sources}
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
