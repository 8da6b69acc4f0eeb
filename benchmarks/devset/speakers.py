"""Verbatim's speaker labels against the development set's gold attribution rules, per split.

    .venv/bin/python -m benchmarks.devset.speakers [--source DIR] [--splits train dev] [--show N]

The gold (``retrieval/eval/gold_attribution.py``) marks the sentences that hold an explicitly attributed direct
quotation (and its continuations) with their speaker. Verbatim's analysis (``retrieval/lang/en/speakers/``)
labels each of its own sentences with a speaker or none. Sentences are matched by overlap.

- recall: the share of gold sentences whose overlapping Verbatim sentence carries the gold speaker (same
  surname, the gold's own test for "another speaker").
- precision (on gold): of the Verbatim-labelled sentences that overlap a gold sentence, the share labelled
  with a gold speaker of that sentence.
- labelled elsewhere: Verbatim-labelled sentences that overlap no gold sentence, split into those holding
  a quotation mark (words the gold rules may have missed) and those without one (narration: a reporting verb
  with a person as subject). Their correctness is not scored here; ``--show`` prints samples to read.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.devset.build import DEFAULT_SOURCE, SPLITS, Article, common_words, read_source_or_say, select_articles
from retrieval.corpus.segment import segment
from retrieval.eval.gold_attribution import attributed_quotes, fold
from retrieval.eval.gold_text import has_quote_mark
from retrieval.lang.en.speakers.analyzer import analyze_article


def _surname(name: str) -> str:
    return fold(name.split()[-1])


@dataclass
class Tally:
    gold: int = 0
    found: int = 0
    labelled_on_gold: int = 0
    right_on_gold: int = 0
    quoted_elsewhere: int = 0
    narration: int = 0
    missed: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)
    wrong: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)
    extra: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)


def tally(articles: Sequence[Article], common: frozenset[str]) -> Tally:
    t = Tally()
    for article in articles:
        text = article.text
        spans = segment(text)
        result = analyze_article(text, spans)
        gold: dict[tuple[int, int], set[str]] = {}
        for q in attributed_quotes(text, common):
            for s in q.sentences:
                gold.setdefault((s.start, s.end), set()).add(q.speaker)
        for (gs, ge), speakers in gold.items():
            t.gold += 1
            labels = {result.speakers[i] for i, sp in enumerate(spans) if sp.start < ge and gs < sp.end}
            hit = any(lab and _surname(lab) in {_surname(g) for g in speakers} for lab in labels)
            t.found += hit
            if not hit:
                lab = next((x for x in labels if x), None)
                t.missed.append((article.id, text[gs:ge], ", ".join(sorted(speakers)), lab))
        for i, sp in enumerate(spans):
            label = result.speakers[i]
            if not label:
                continue
            over = [g for (gs, ge), g in gold.items() if sp.start < ge and gs < sp.end]
            sentence = text[sp.start : sp.end]
            if over:
                t.labelled_on_gold += 1
                right = any(_surname(label) == _surname(g) for gg in over for g in gg)
                t.right_on_gold += right
                if not right:
                    t.wrong.append((article.id, sentence, ", ".join(sorted(set().union(*over))), label))
            elif has_quote_mark(sentence):
                t.quoted_elsewhere += 1
                t.extra.append((article.id, sentence, result.cues[i], label))
            else:
                t.narration += 1
                t.extra.append((article.id, sentence, result.cues[i], label))
    return t


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--splits", nargs="*", default=["train", "dev"])
    parser.add_argument("--show", type=int, default=0, help="print this many missed, wrong and extra labels")
    args = parser.parse_args(argv)
    source_rows = read_source_or_say(args.source, "speakers")
    if source_rows is None:
        return 2
    articles = select_articles(source_rows)
    common = common_words(articles)
    print("| split | gold sentences | recall | labelled on gold | precision on gold | quoted, not gold | narration |")
    print("|---|---|---|---|---|---|---|")
    for split in args.splits:
        if split not in SPLITS:
            raise SystemExit(f"unknown split {split}")
        t = tally([a for a in articles if a.split == split], common)
        recall, precision = t.found / max(t.gold, 1), t.right_on_gold / max(t.labelled_on_gold, 1)
        print(f"| {split} | {t.gold} | {recall:.3f} | {t.labelled_on_gold} | {precision:.3f} | "
              f"{t.quoted_elsewhere} | {t.narration} |")  # fmt: skip
        if args.show:
            rng = random.Random(0)
            for what, rows in (("MISSED", t.missed), ("WRONG", t.wrong), ("EXTRA", t.extra)):
                print(f"## {split} {what} ({len(rows)})")
                for aid, sentence, a, b in rng.sample(rows, min(args.show, len(rows))):
                    print(f"- [{a} | {b}] {sentence[:300]!r}  ({aid[:40]})")
            print(Counter(c for _, _, c, _ in t.extra))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
