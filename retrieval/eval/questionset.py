"""Question sets with gold sentences: the file format, and scoring answers against it.

    verbatim eval questions QUESTIONS.jsonl --corpus DIR     index DIR, ask every question, print the scores
    python -m retrieval.eval.questionset QUESTIONS.jsonl ANSWERS.jsonl --articles DIR   score saved answers

QUESTIONS.jsonl has one JSON object per line:

    {"id": "test-0001", "question": "What did Adam Schiff say about the wall?", "kind": "speaker_topic",
     "unanswerable": false, "speaker": "Adam Schiff",
     "gold": [{"source": "<file path relative to the corpus folder>", "text": "<exact gold sentence>"}]}

``question`` and ``unanswerable`` are required; ``gold`` lists the sentences that answer it (empty for an
unanswerable question), ``speaker`` the person whose words are asked for (optional), ``kind`` any label
(hit@1 is also reported per kind), ``id`` optional.

ANSWERS holds one ``ask --json`` object per line, in the order of the questions (the question text must match).
DIR is the split's article folder (the corpus the answers were made from).

Definitions (all pure functions below):

- A quote **hits** a gold item when one of its citations (``source``/``start``/``end``, and every entry of
  ``sources``) has the gold item's source and its ``[start, end)`` overlaps a place where the gold text stands in
  that file; or, failing that, when the quote's text contains the gold text or is contained in it (20 characters
  at least).
- **hit@1**, **hit@3**: share of answerable questions with a hit among the first 1 or 3 quotes (a declined
  question has none).
- **recall@5**: per answerable question, the gold items hit by the first 5 quotes over ``min(len(gold), 5)``,
  averaged (so a question with eight gold sentences can still reach 1).
- **wrong-speaker-first**: among answerable questions that ask about a person (``speaker`` set) and were
  answered, the share whose first quote hits no gold item and whose own text attributes a quotation explicitly
  to someone whose surname is not the gold speaker's (``attribution.attribution_names``). It uses the gold
  speaker, never the product's speaker label; a first quote with no explicit attribution ("he said") does not
  count.
- **answerable declined**: share of answerable questions answered "not found" (``answered`` false or no quotes).
- **unanswerable answered**: share of unanswerable questions answered with at least one quote.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retrieval.eval.gold_attribution import attribution_names, fold
from retrieval.eval.gold_text import Span, occurrences
from retrieval.records import Answer
from retrieval.search.service import make_embedder, open_engine, reindex
from retrieval.settings import Settings

MIN_CONTAINED = 20


@dataclass(frozen=True)
class Gold:
    source: str
    text: str


@dataclass(frozen=True)
class DevQuestion:
    id: str
    question: str
    kind: str
    unanswerable: bool
    gold: tuple[Gold, ...]
    speaker: str | None


@dataclass(frozen=True)
class Citation:
    source: str
    start: int
    end: int


@dataclass(frozen=True)
class QuoteOut:
    text: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class AnswerOut:
    question: str
    answered: bool
    quotes: tuple[QuoteOut, ...]


@dataclass(frozen=True)
class Scores:
    questions: int
    answerable: int
    unanswerable: int
    hit_at_1: float
    hit_at_3: float
    recall_at_5: float
    wrong_speaker_first: float
    speaker_answered: int  # the denominator of wrong_speaker_first
    answerable_declined: float
    unanswerable_answered: float
    hit_at_1_by_kind: tuple[tuple[str, float, int], ...]  # (kind, hit@1, questions)


def question_from_json(d: Mapping[str, Any]) -> DevQuestion:
    gold = tuple(Gold(str(g["source"]), str(g["text"])) for g in d.get("gold", []))
    speaker = d.get("speaker")
    return DevQuestion(
        str(d.get("id", "")),
        str(d["question"]),
        str(d.get("kind", "")),
        bool(d["unanswerable"]),
        gold,
        str(speaker) if speaker else None,
    )


def answer_from_json(d: Mapping[str, Any]) -> AnswerOut:
    quotes: list[QuoteOut] = []
    for q in d.get("quotes", []):
        cites = [Citation(str(q["source"]), int(q["start"]), int(q["end"]))] if "source" in q else []
        cites += [Citation(str(s["source"]), int(s["start"]), int(s["end"])) for s in q.get("sources", [])]
        quotes.append(QuoteOut(str(q.get("text", "")), tuple(dict.fromkeys(cites))))
    return AnswerOut(str(d.get("question", "")), bool(d.get("answered", bool(quotes))), tuple(quotes))


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def quote_hits(quote: QuoteOut, gold: Gold, texts: Mapping[str, str]) -> bool:
    text = texts.get(gold.source)
    if text is not None:
        places = occurrences(text, gold.text)
        for c in quote.citations:
            if c.source == gold.source and any(Span(c.start, c.end).overlaps(p) for p in places):
                return True
    shorter = min(len(quote.text), len(gold.text))
    return shorter >= MIN_CONTAINED and (quote.text in gold.text or gold.text in quote.text)


def hit_within(answer: AnswerOut, q: DevQuestion, texts: Mapping[str, str], k: int) -> bool:
    return any(quote_hits(quote, g, texts) for quote in answer.quotes[:k] for g in q.gold)


def recall_within(answer: AnswerOut, q: DevQuestion, texts: Mapping[str, str], k: int) -> float:
    if not q.gold:
        return 0.0
    found = sum(any(quote_hits(quote, g, texts) for quote in answer.quotes[:k]) for g in q.gold)
    return found / min(len(q.gold), k)


def declined(answer: AnswerOut) -> bool:
    return not answer.answered or not answer.quotes


def wrong_speaker_first(answer: AnswerOut, q: DevQuestion, texts: Mapping[str, str]) -> bool:
    """The first quote is not gold and explicitly attributes its words to someone who is not the gold speaker."""
    if q.speaker is None or declined(answer) or hit_within(answer, q, texts, 1):
        return False
    gold_surname = fold(q.speaker.split()[-1])
    names = attribution_names(answer.quotes[0].text)
    return any(fold(n.split()[-1]) != gold_surname for n in names)


def _mean(values: Iterable[float]) -> float:
    vals = list(values)
    return sum(vals) / len(vals) if vals else 0.0


def score(questions: Sequence[DevQuestion], answers: Sequence[AnswerOut], texts: Mapping[str, str]) -> Scores:
    if len(questions) != len(answers):
        raise ValueError(f"{len(questions)} questions but {len(answers)} answers")
    for q, a in zip(questions, answers, strict=True):
        if a.question and a.question != q.question:
            raise ValueError(f"answer for {a.question!r} stands where {q.question!r} was asked")
    pairs = list(zip(questions, answers, strict=True))
    answerable = [(q, a) for q, a in pairs if not q.unanswerable]
    unanswerable = [(q, a) for q, a in pairs if q.unanswerable]
    speaker_answered = [(q, a) for q, a in answerable if q.speaker is not None and not declined(a)]
    kinds = sorted({q.kind for q, _ in answerable})
    by_kind = tuple(
        (k, _mean(float(hit_within(a, q, texts, 1)) for q, a in answerable if q.kind == k),
         sum(q.kind == k for q, _ in answerable))
        for k in kinds
    )  # fmt: skip
    return Scores(
        questions=len(pairs),
        answerable=len(answerable),
        unanswerable=len(unanswerable),
        hit_at_1=_mean(float(hit_within(a, q, texts, 1)) for q, a in answerable),
        hit_at_3=_mean(float(hit_within(a, q, texts, 3)) for q, a in answerable),
        recall_at_5=_mean(recall_within(a, q, texts, 5) for q, a in answerable),
        wrong_speaker_first=_mean(float(wrong_speaker_first(a, q, texts)) for q, a in speaker_answered),
        speaker_answered=len(speaker_answered),
        answerable_declined=_mean(float(declined(a)) for _, a in answerable),
        unanswerable_answered=_mean(float(not declined(a)) for _, a in unanswerable),
        hit_at_1_by_kind=by_kind,
    )


def answer_out(answer: Answer) -> AnswerOut:
    """An engine answer as the scorer reads it (the same fields as ``verbatim ask --json``)."""
    quotes = tuple(
        QuoteOut(q.text, tuple(dict.fromkeys(Citation(c.source, c.start, c.end) for c in q.citations)))
        for q in answer.quotes
    )
    return AnswerOut(answer.question, answer.answered and bool(quotes), quotes)


def run_questions(
    path: Path, settings: Settings, work: Path, k: int = 5, progress: Callable[[int], None] | None = None
) -> Scores:
    """Index ``settings.corpus_dir`` into ``work`` (unless ``settings.index_dir`` already holds its index), ask
    every question of ``path`` through the engine and score the answers."""
    questions = [question_from_json(d) for d in read_jsonl(path)]
    settings = settings.model_copy(update={"index_dir": work}) if work != settings.index_dir else settings
    embedder = make_embedder(settings)
    reindex(settings, embedder)
    engine = open_engine(settings, embedder)
    answers = []
    for q in questions:
        answers.append(answer_out(engine.ask(q.question, k=k)))
        if progress is not None:
            progress(1)
    return score(questions, answers, read_articles(settings.corpus_dir))


def format_scores(s: Scores, name: str) -> str:
    return "\n".join([
        TABLE_HEAD,
        table_row(name, s),
        "hit@1 by kind: " + ", ".join(f"{k} {v:.3f} ({n})" for k, v, n in s.hit_at_1_by_kind),
    ])


def read_articles(folder: Path) -> dict[str, str]:
    """Every article of a split folder by its path relative to the folder (the corpus source id)."""
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.txt"))}


TABLE_HEAD = (
    "| run | questions | hit@1 | hit@3 | recall@5 | wrong-speaker-first | answerable declined | "
    "unanswerable answered |\n|---|---|---|---|---|---|---|---|"
)


def table_row(name: str, s: Scores) -> str:
    return (
        f"| {name} | {s.answerable}+{s.unanswerable} | {s.hit_at_1:.3f} | {s.hit_at_3:.3f} | {s.recall_at_5:.3f} | "
        f"{s.wrong_speaker_first:.3f} (of {s.speaker_answered}) | {s.answerable_declined:.3f} | "
        f"{s.unanswerable_answered:.3f} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m retrieval.eval.questionset", description=__doc__.split("\n")[0])
    parser.add_argument("questions", type=Path)
    parser.add_argument("answers", type=Path)
    parser.add_argument("--articles", type=Path, required=True, help="the split's article folder")
    args = parser.parse_args(argv)
    try:
        questions = [question_from_json(d) for d in read_jsonl(args.questions)]
        answers = [answer_from_json(d) for d in read_jsonl(args.answers)]
        s = score(questions, answers, read_articles(args.articles))
    except (OSError, ValueError, KeyError) as e:
        print(f"score: {e}", file=sys.stderr)
        return 2
    print(format_scores(s, args.answers.name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
