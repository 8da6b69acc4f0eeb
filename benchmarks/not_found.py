"""Calibrating and measuring "not found" on ReQA SQuAD: both error rates, tuning half and held-out half.

Three indexes of SQuAD dev paragraphs are built: all 48 articles, the first 24 only, the last 24 only.
- answerable: each question against the full index (its paragraph is there);
- unanswerable: each question against the index of the other half (its article is not there).
A grid over the decision thresholds (retrieval/search/decide.py) is scored on the first 24 articles' questions
only; the table reports the shipped thresholds on both halves. With ``--rerank-top N`` the cross-encoder reads
each question's best N candidates, and the decision is the factual model (decision_factual.json) where there is
one. ``--fit`` fits the factual model (a logistic regression over ``--features``, default FACTUAL_FEATURES: the
best cosine and the best share of the question's words) on the tuning half and writes decision_factual.json;
with the cross-encoder's score among the features, only on articles XENC_FIT_ARTICLES (the tuning articles
the cross-encoder was not trained on: retrieval/eval/train_reranker.py). Run:

    .venv/bin/python -m benchmarks.not_found [path/to/dev-v1.1.json] [--grid] [--rerank-top 8 [--fit]]
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
from retrieval.search.decide import (
    FACTUAL_FEATURES,
    FACTUAL_PATH,
    FEATURES,
    DecisionSettings,
    Evidence,
    SpeakerModel,
    answerable,
    feature_values,
)
from retrieval.search.engine import Engine, EngineConfig
from retrieval.settings import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parents[1]
SEG = SegmentationSettings()


@dataclass(frozen=True)
class Case:
    article: int
    answerable: bool
    evidence: Evidence


XENC_FIT_ARTICLES = range(12, TUNING_ARTICLES)


def _engine(reqa: ReqaSet, keep: range, folder: Path, emb: SentenceTransformerEmbedder, config: EngineConfig) -> Engine:
    corpus = folder / "corpus"
    for source, text in reqa.paragraphs:
        if int(source[1:3]) in keep:
            path = corpus / source
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
    build_index(corpus, folder / "index", emb, SEG)
    return Engine(load_index(folder / "index", emb.name, SEG), emb, config)


def collect(path: Path, every: int, rerank_top: int = 0, verify_top: int = 0) -> list[Case]:
    reqa = load_squad(path)
    emb = SentenceTransformerEmbedder(DEFAULT_MODEL)
    questions = reqa.questions[::every]
    vectors = emb.encode([q.question for q in questions])
    cases: list[Case] = []
    n = reqa.n_articles
    config = EngineConfig(rerank_top=rerank_top, verify_top=verify_top, verify_when_needed=False)  # fitting reads all
    with tempfile.TemporaryDirectory(prefix="verbatim-notfound-") as tmp:
        full = _engine(reqa, range(n), Path(tmp) / "all", emb, config)
        first = _engine(reqa, range(TUNING_ARTICLES), Path(tmp) / "first", emb, config)
        last = _engine(reqa, range(TUNING_ARTICLES, n), Path(tmp) / "last", emb, config)
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
        s = replace(DecisionSettings(), factual_model=None, min_best_dense=round(float(dense), 2),
                    min_dense_with_words=round(float(dense_words), 2), min_cover=round(float(cover), 2))
        missed, false, _, _ = rates(cases, s)
        if missed <= max_missed and (best is None or false < best[0]):
            best = (false, s)
    assert best is not None
    return best[1]


def fit_factual(cases: list[Case], max_missed: float, names: tuple[str, ...] = FACTUAL_FEATURES,
                note: str = "") -> SpeakerModel:
    """The factual model: a logistic regression over ``names`` (classes weighted alike, small L2), and the
    threshold with the fewest false answers among those missing at most ``max_missed`` of the answerable
    questions, both on the same cases."""
    from scipy.optimize import minimize

    x = np.array([feature_values(c.evidence, names) for c in cases], dtype=np.float64)
    y = np.array([float(c.answerable) for c in cases])
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mean) / std
    weight = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))

    def loss(w: np.ndarray) -> float:
        p = 1 / (1 + np.exp(-(z @ w[:-1] + w[-1])))
        return float(-(weight * (y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))).mean()
                     + 0.01 * np.sum(w[:-1] ** 2))

    w = minimize(loss, np.zeros(x.shape[1] + 1), method="L-BFGS-B").x
    model = SpeakerModel(tuple(mean.tolist()), tuple(std.tolist()), tuple(w[:-1].tolist()), float(w[-1]), 0.5,
                         names=names)
    p = np.array([model.probability(c.evidence) for c in cases])
    ans = y == 1
    threshold = 0.0
    for t in np.sort(np.unique(p)):  # the highest threshold still within the missed budget
        if float(np.mean(p[ans] < t)) <= max_missed:
            threshold = float(t)
    note = (f"{note}{int(ans.sum())} answerable and {int((~ans).sum())} cross-article unanswerable questions; the "
            f"threshold misses at most {max_missed:.0%} of the answerable ones")
    return replace(model, threshold=threshold, note=note)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.not_found")
    parser.add_argument("path", nargs="?", type=Path, default=ROOT.parent / "shared/data/squad/dev-v1.1.json")
    parser.add_argument("--every", type=int, default=5, help="use every n-th question (default 5)")
    parser.add_argument("--grid", action="store_true", help="search thresholds on the tuning half")
    parser.add_argument("--max-missed", type=float, default=0.01)
    parser.add_argument("--thresholds-only", action="store_true", help="score the fixed thresholds, not the model")
    parser.add_argument("--rerank-top", type=int, default=0, help="the cross-encoder reads this many (0: off)")
    parser.add_argument("--verify-top", type=int, default=0,
                        help="the cross-encoder reads this many of the final ranking, for the decision only")
    parser.add_argument("--fit", action="store_true", help="fit and write the factual model (with --rerank-top)")
    parser.add_argument("--fit-max-missed", type=float, default=0.01)
    parser.add_argument("--features", nargs="+", choices=sorted(FEATURES), default=list(FACTUAL_FEATURES),
                        help="the factual model's evidence (--fit)")
    parser.add_argument("--cases", type=Path, default=None,
                        help="a pickle of the collected evidence: read it when it exists, else write it")
    args = parser.parse_args(argv)
    if args.cases is not None and args.cases.exists():
        cases = pickle.loads(args.cases.read_bytes())
    else:
        cases = collect(args.path, args.every, args.rerank_top, args.verify_top)
        if args.cases is not None:
            args.cases.write_bytes(pickle.dumps(cases))
    shipped = DecisionSettings()
    if args.thresholds_only:
        shipped = replace(shipped, factual_model=None)
    if args.fit:
        names = tuple(args.features)
        fit_on = XENC_FIT_ARTICLES if "best_xenc" in names else range(TUNING_ARTICLES)
        if "best_xenc" in names and not all(c.evidence.best_xenc is not None for c in cases):
            print("not_found: the cross-encoder's score needs --verify-top N or --rerank-top N", file=sys.stderr)
            return 2
        note = f"ReQA SQuAD dev, every {args.every}th question of articles {fit_on.start}-{fit_on.stop - 1}: "
        # the questions the model decides: those that ask for no one's words (decide.answerable)
        factual = [c for c in cases if c.article in fit_on and not c.evidence.asks_speaker]
        model = fit_factual(factual, args.fit_max_missed, names, note)
        FACTUAL_PATH.write_text(model.to_json() + "\n", encoding="utf-8")
        print(f"wrote {FACTUAL_PATH}: weights {np.round(model.weights, 3).tolist()}, threshold {model.threshold:.3f}")
        shipped = replace(shipped, factual_model=model)
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
    used = shipped.factual_model
    decided_by = f"factual model {used.names}, threshold {used.threshold:.3f}" if used else "fixed thresholds"
    print(f"decided by: {decided_by}; every {args.every}th question; cross-encoder reranks {args.rerank_top}, "
          f"verifies {args.verify_top}; "
          "command: python -m benchmarks.not_found " + " ".join(argv if argv is not None else sys.argv[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
