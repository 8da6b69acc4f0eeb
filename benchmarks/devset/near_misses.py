"""Near-miss negatives for the not-found model: "What did A say about Y?" where Y is what another person quoted
in the SAME article spoke about, and A's words never touch it.

The development set's unanswerable questions ask about absent people or about another article's topic; none
asks about a topic that the asked person's own article holds in someone else's words. That is the "other
person said it" case of the speaker question set (benchmarks/QUESTIONS.md), and a model fitted without it
learns that "the person's article holds the topic's words" means answerable. This writes each split's
questions plus such negatives, for fitting and checking a model with them:

    .venv/bin/python -m benchmarks.devset.near_misses --out DIR [--source DIR]
    .venv/bin/python -m retrieval.eval.fit_decision DIR/questions-train.jsonl benchmarks/data/devset/articles/train \\
        DIR/questions-dev.jsonl benchmarks/data/devset/articles/dev --features ... --out FILE

A negative: the article has explicit quotations (gold rules) of two people or more; for person A, a topic of
another person's quotation (a phrase or name in it, as the set's own topics are made) none of whose words occur
in a sentence that names A (surname) or holds A's quotations. At most ``PER_ARTICLE`` per article. Label noise:
A may speak of Y in narration that never names A ("he said ..."), which the check cannot see.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from benchmarks.devset.build import (
    DEFAULT_OUT,
    DEFAULT_SOURCE,
    SPLITS,
    TOPIC_FORMS,
    Article,
    Question,
    _pick,
    _q,
    _words,
    common_words,
    read_source_or_say,
    select_articles,
    topics_for,
)
from retrieval.eval.gold_attribution import attributed_quotes, fold
from retrieval.eval.gold_text import all_sentence_spans

PER_ARTICLE = 2


def near_misses(split: str, articles: Sequence[Article], common: frozenset[str]) -> list[Question]:
    out: list[Question] = []
    for a in articles:
        quotes = [q for q in attributed_quotes(a.text, common) if q.explicit]
        names = sorted({q.speaker for q in quotes})
        if len(names) < 2:
            continue
        sentences = [a.text[s.start : s.end] for s in all_sentence_spans(a.text)]
        made = 0
        for name in sorted(names, key=lambda n: hashlib.sha256(f"{split}:{a.id}:{n}".encode()).hexdigest()):
            if made >= PER_ARTICLE:
                break
            surname = fold(name.split()[-1])
            near: set[str] = set()
            for s in sentences:
                words = _words(s)
                if surname in words:
                    near |= words
            for q in quotes:
                if q.speaker == name:
                    for span in q.sentences:
                        near |= _words(a.text[span.start : span.end])
            topics = [
                t
                for q in quotes
                if fold(q.speaker.split()[-1]) != surname
                for t in topics_for(a, q, q.speaker, common)
                if not t.whole_article and not (t.words & near)
            ]
            if not topics:
                continue
            topic = _pick(f"{split}:{a.id}:{name}:nm", topics)
            form = _pick(f"{split}:{a.id}:{name}:nmf", TOPIC_FORMS[:1] + TOPIC_FORMS[2:])
            out.append(_q("unanswerable_other_speaker", form.format(x=name, y=topic.phrase), [], name))
            made += 1
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--data", type=Path, default=DEFAULT_OUT, help="the built development set")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    rows = read_source_or_say(args.source, "near_misses")
    if rows is None:
        return 2
    articles = select_articles(rows)
    common = common_words(articles)
    args.out.mkdir(parents=True, exist_ok=True)
    for split in SPLITS:
        extra = near_misses(split, [a for a in articles if a.split == split], common)
        rows = (args.data / f"questions-{split}.jsonl").read_text(encoding="utf-8").splitlines()
        rows += [json.dumps({"id": f"{split}-nm{i:03d}", **q}, ensure_ascii=False) for i, q in enumerate(extra)]
        (args.out / f"questions-{split}.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
        print(f"{split}: {len(extra)} near-miss questions added")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
