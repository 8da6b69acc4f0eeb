"""Baselines on the development set, scored with ``retrieval.eval.questionset``: plain BM25 (bm25s, English stop
words, no stemming) over the sentences that hold a quotation mark, and over all sentences; and, with
``--verbatim``, Verbatim itself through its CLI (``index``, then ``ask --json -k 5`` with one question per line).

    .venv/bin/python -m benchmarks.devset.baseline [--data DIR] [--verbatim] [--work DIR]

BM25 always answers with its top 5 (it cannot decline), so its "unanswerable answered" is 1 by construction.
Answers are written to ``--work`` (default benchmarks/.work/devset) as ``<split>-<run>.jsonl`` for inspection.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s

from benchmarks.devset.build import DEFAULT_OUT, SPLITS
from retrieval.eval.gold_text import Span, all_sentence_spans, has_quote_mark
from retrieval.eval.questionset import (
    TABLE_HEAD,
    answer_from_json,
    question_from_json,
    read_articles,
    read_jsonl,
    score,
    table_row,
)

ROOT = Path(__file__).resolve().parents[2]
K = 5


@dataclass(frozen=True)
class Sentence:
    source: str
    span: Span
    text: str
    line: int


def sentences(texts: Mapping[str, str], quoted_only: bool) -> list[Sentence]:
    out: list[Sentence] = []
    for source in sorted(texts):
        text = texts[source]
        for span in all_sentence_spans(text):
            s = text[span.start : span.end]
            if not quoted_only or has_quote_mark(s):
                out.append(Sentence(source, span, s, text.count("\n", 0, span.start) + 1))
    return out


def bm25_answers(questions: Sequence[str], pool: Sequence[Sentence], k: int = K) -> list[dict[str, Any]]:
    """``ask --json``-shaped answers: the top ``k`` sentences of ``pool`` by BM25, always answered."""
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize([s.text for s in pool], stopwords="en", show_progress=False), show_progress=False)
    query_tokens = bm25s.tokenize(list(questions), stopwords="en", show_progress=False)
    docs, scores = retriever.retrieve(query_tokens, k=min(k, len(pool)), show_progress=False)
    out: list[dict[str, Any]] = []
    for question, row, row_scores in zip(questions, docs, scores, strict=True):
        quotes = [
            {"text": pool[int(i)].text, "source": pool[int(i)].source, "start": pool[int(i)].span.start,
             "end": pool[int(i)].span.end, "line": pool[int(i)].line, "score": float(sc)}
            for i, sc in zip(row, row_scores, strict=True)
        ]  # fmt: skip
        out.append({"question": question, "answered": bool(quotes), "quotes": quotes})
    return out


def verbatim_answers(articles: Path, questions: Sequence[str], index: Path, k: int = K) -> list[dict[str, Any]]:
    """Index ``articles`` with Verbatim's CLI and answer ``questions`` (one per stdin line) with ``ask --json``."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    cli = [sys.executable, "-m", "retrieval.cli"]
    subprocess.run([*cli, "index", "--corpus", str(articles), "--index", str(index)], check=True, env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    done = subprocess.run(
        [*cli, "ask", "--json", "-k", str(k), "--corpus", str(articles), "--index", str(index)],
        input="\n".join(questions) + "\n", capture_output=True, text=True, check=True, env=env, cwd=ROOT,
    )  # fmt: skip
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.devset.baseline", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_OUT, help="the built development set")
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks/.work/devset", help="answers go here")
    parser.add_argument("--verbatim", action="store_true", help="also run Verbatim through its CLI")
    parser.add_argument("--splits", nargs="*", default=list(SPLITS))
    parser.add_argument(
        "--forms", action="store_true", help="the questions in other words (questions-SPLIT-forms.jsonl: devset.forms)"
    )
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    print(TABLE_HEAD)
    suffix = "-forms" if args.forms else ""
    for split in args.splits:
        folder = args.data / "articles" / split
        qfile = args.data / f"questions-{split}{suffix}.jsonl"
        if not qfile.is_file():
            make = "benchmarks.devset.forms" if args.forms else "benchmarks.devset.build"
            print(f"baseline: {qfile} is missing; build it first (python -m {make})", file=sys.stderr)
            return 2
        questions = [question_from_json(d) for d in read_jsonl(qfile)]
        texts = read_articles(folder)
        asked = [q.question for q in questions]
        runs: dict[str, list[dict[str, Any]]] = {}
        if args.verbatim:
            with tempfile.TemporaryDirectory(prefix="verbatim-devset-") as tmp:
                runs["Verbatim"] = verbatim_answers(folder, asked, Path(tmp) / "index")
        runs["BM25 quoted sentences"] = bm25_answers(asked, sentences(texts, quoted_only=True))
        runs["BM25 all sentences"] = bm25_answers(asked, sentences(texts, quoted_only=False))
        for name, answers in runs.items():
            slug = name.lower().replace(" ", "-")
            (args.work / f"{split}{suffix}-{slug}.jsonl").write_text(
                "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in answers), encoding="utf-8"
            )
            s = score(questions, [answer_from_json(a) for a in answers], texts)
            print(table_row(f"{split}{suffix} · {name}", s))
            print("|  | hit@1 by kind: " + ", ".join(f"{k} {v:.3f} ({n})" for k, v, n in s.hit_at_1_by_kind)
                  + " | | | | | | |", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
