"""Calibrating and measuring "not found" on ReQA SQuAD: both error rates, tuning half and held-out half.

Three indexes of SQuAD dev paragraphs are built: all 48 articles, the first 24 only, the last 24 only.
- answerable: each question against the full index (its paragraph is there);
- unanswerable: each question against the index of the other half (its article is not there).
A grid over the decision thresholds (retrieval/search/decide.py) is scored on the first 24 articles' questions
only; the table reports the shipped thresholds on both halves. Run:

    .venv/bin/python -m benchmarks.not_found [path/to/dev-v1.1.json] [--grid]
"""

from __future__ import annotations

import argparse
import itertools
import pickle
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from retrieval.corpus.segment import SegmentationSettings
from retrieval.embed.torch_backend import SentenceTransformerEmbedder
from retrieval.eval.reqa import TUNING_ARTICLES, ReqaSet, load_squad
from retrieval.index.builder import build_index
from retrieval.index.reader import load_index
from retrieval.search.decide import DecisionSettings, Evidence, answerable
from retrieval.search.engine import Engine
from retrieval.settings import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parents[1]
SEG = SegmentationSettings()


@dataclass(frozen=True)
class Case:
    article: int
    answerable: bool
    evidence: Evidence


def _engine(reqa: ReqaSet, keep: range, folder: Path, emb: SentenceTransformerEmbedder) -> Engine:
    corpus = folder / "corpus"
    for source, text in reqa.paragraphs:
        if int(source[1:3]) in keep:
            path = corpus / source
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
    build_index(corpus, folder / "index", emb, SEG)
    return Engine(load_index(folder / "index", emb.name, SEG), emb)


def collect(path: Path, every: int) -> list[Case]:
    reqa = load_squad(path)
    emb = SentenceTransformerEmbedder(DEFAULT_MODEL)
    questions = reqa.questions[::every]
    vectors = emb.encode([q.question for q in questions])
    cases: list[Case] = []
    n = reqa.n_articles
    with tempfile.TemporaryDirectory(prefix="verbatim-notfound-") as tmp:
        full = _engine(reqa, range(n), Path(tmp) / "all", emb)
        first = _engine(reqa, range(TUNING_ARTICLES), Path(tmp) / "first", emb)
        last = _engine(reqa, range(TUNING_ARTICLES, n), Path(tmp) / "last", emb)
        for q, vec in zip(questions, vectors, strict=True):
            cases.append(Case(q.article, True, full.score(q.question, vec).evidence))
            other = last if q.article < TUNING_ARTICLES else first
            cases.append(Case(q.article, False, other.score(q.question, vec).evidence))
    return cases


def rates(cases: list[Case], s: DecisionSettings) -> tuple[float, float, int, int]:
    """(missed share of answerable, answered share of unanswerable, n answerable, n unanswerable)."""
    ans = [c for c in cases if c.answerable]
    una = [c for c in cases if not c.answerable]
    missed = sum(1 for c in ans if not answerable(c.evidence, s)) / max(len(ans), 1)
    false = sum(1 for c in una if answerable(c.evidence, s)) / max(len(una), 1)
    return missed, false, len(ans), len(una)


def grid(cases: list[Case], max_missed: float) -> DecisionSettings:
    """The thresholds with the fewest false answers among those missing at most ``max_missed``."""
    best: tuple[float, DecisionSettings] | None = None
    for dense, dense_words, cover in itertools.product(
        np.arange(0.30, 0.62, 0.02), np.arange(0.20, 0.50, 0.02), np.arange(0.3, 1.01, 0.1)
    ):
        s = replace(DecisionSettings(), min_best_dense=round(float(dense), 2),
                    min_dense_with_words=round(float(dense_words), 2), min_cover=round(float(cover), 2))
        missed, false, _, _ = rates(cases, s)
        if missed <= max_missed and (best is None or false < best[0]):
            best = (false, s)
    assert best is not None
    return best[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.not_found")
    parser.add_argument("path", nargs="?", type=Path, default=ROOT.parent / "shared/data/squad/dev-v1.1.json")
    parser.add_argument("--every", type=int, default=5, help="use every n-th question (default 5)")
    parser.add_argument("--grid", action="store_true", help="search thresholds on the tuning half")
    parser.add_argument("--max-missed", type=float, default=0.01)
    parser.add_argument("--cases", type=Path, default=None,
                        help="a pickle of the collected evidence: read it when it exists, else write it")
    args = parser.parse_args(argv)
    if args.cases is not None and args.cases.exists():
        cases = pickle.loads(args.cases.read_bytes())
    else:
        cases = collect(args.path, args.every)
        if args.cases is not None:
            args.cases.write_bytes(pickle.dumps(cases))
    shipped = DecisionSettings()
    if args.grid:
        tuned = grid([c for c in cases if c.article < TUNING_ARTICLES], args.max_missed)
        missed, false, _, _ = rates([c for c in cases if c.article < TUNING_ARTICLES], tuned)
        print(f"grid on the first {TUNING_ARTICLES} articles (missed <= {args.max_missed}): {tuned}: "
              f"missed {missed:.3f}, false answers {false:.3f}")
    print("| Questions | Answerable | Unanswerable | missed (answerable → not found) | false answers |")
    print("|---|---|---|---|---|")
    for name, keep in ((f"first {TUNING_ARTICLES} (tuning)", lambda a: a < TUNING_ARTICLES),
                       ("last 24 (held out)", lambda a: a >= TUNING_ARTICLES), ("all 48", lambda a: True)):
        missed, false, n_a, n_u = rates([c for c in cases if keep(c.article)], shipped)
        print(f"| {name} | {n_a} | {n_u} | {missed:.3f} | {false:.3f} |")
    print(f"thresholds: {shipped}; every {args.every}th question; command: python -m benchmarks.not_found"
          + (" --grid" if args.grid else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
