"""Fitting the "not found" model for questions about a named person (search/decide.py ``SpeakerModel``).

    python -m retrieval.eval.fit_decision TRAIN.jsonl TRAIN_CORPUS DEV.jsonl DEV_CORPUS [--max-declined 0.10]
        [--features top_score speaker_topic ...]

Each question file is a question set (retrieval/eval/questionset.py) over its own corpus folder, split by
article (the Wikinews development set: benchmarks/devset). The logistic model is fitted on TRAIN's questions
that ask about a person the corpus names (answerable: 1, unanswerable: 0; classes weighted equally, a small L2
penalty); the threshold is the one that makes the fewest errors on DEV, an answerable question declined and an
unanswerable one answered weighing alike ("not found" is no worse than a guess for people checking who said
what), declining at most ``--max-declined`` of the answerable ones. The test split is never read here.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

from retrieval.eval.questionset import question_from_json, read_jsonl
from retrieval.search.decide import DEFAULT_FEATURES, FEATURES, MODEL_PATH, Evidence, SpeakerModel, feature_values
from retrieval.search.service import make_embedder, open_engine, reindex
from retrieval.settings import Settings


def collect(questions: Path, corpus: Path, work: Path) -> list[tuple[Evidence, bool]]:
    """(evidence, answerable) of every question about a person the corpus names."""
    settings = Settings(corpus_dir=corpus, index_dir=work)
    embedder = make_embedder(settings)
    reindex(settings, embedder)
    engine = open_engine(settings, embedder)
    out: list[tuple[Evidence, bool]] = []
    for row in read_jsonl(questions):
        q = question_from_json(row)
        scored = engine.score(q.question, engine.embedder.encode([q.question])[0])
        e = scored.evidence
        if e.asks_speaker and e.speaker_known:
            out.append((e, not q.unanswerable))
    return out


def fit(rows: list[tuple[Evidence, bool]], l2: float = 0.03, names: tuple[str, ...] = DEFAULT_FEATURES) -> SpeakerModel:
    from scipy.optimize import minimize

    x = np.array([feature_values(e, names) for e, _ in rows], dtype=np.float64)
    y = np.array([float(a) for _, a in rows])
    if y.min() == y.max():
        raise ValueError("the training questions need both answerable and unanswerable ones")
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mean) / std
    weight = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))  # both classes count equally

    def loss(w: np.ndarray) -> float:
        p = 1 / (1 + np.exp(-(z @ w[:-1] + w[-1])))
        nll = -(weight * (y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))).mean()
        return float(nll + l2 * np.sum(w[:-1] ** 2))

    w = minimize(loss, np.zeros(x.shape[1] + 1), method="L-BFGS-B").x
    return SpeakerModel(_t(mean), _t(std), _t(w[:-1]), float(w[-1]), 0.5, names=names)


def choose_threshold(model: SpeakerModel, rows: list[tuple[Evidence, bool]], max_declined: float) -> float:
    """The threshold with the fewest errors on ``rows``, the two kinds weighed alike (share of answerable
    questions declined + share of unanswerable ones answered), declining at most ``max_declined`` of the
    answerable ones; the lowest such threshold."""
    p = np.array([model.probability(e) for e, _ in rows])
    y = np.array([a for _, a in rows])
    best, best_errors = 0.0, 3.0
    for t in np.unique(np.concatenate([[0.0], p])):
        declined = float(np.mean(p[y] < t)) if y.any() else 0.0
        answered = float(np.mean(p[~y] >= t)) if (~y).any() else 0.0
        if declined <= max_declined and declined + answered < best_errors:
            best, best_errors = float(t), declined + answered
    return best


def _t(v: np.ndarray) -> tuple[float, ...]:
    return tuple(float(x) for x in v)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m retrieval.eval.fit_decision", description=__doc__.split("\n")[0])
    parser.add_argument("train", type=Path)
    parser.add_argument("train_corpus", type=Path)
    parser.add_argument("dev", type=Path)
    parser.add_argument("dev_corpus", type=Path)
    parser.add_argument("--max-declined", type=float, default=0.25)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--features", nargs="+", choices=sorted(FEATURES), default=list(DEFAULT_FEATURES),
                        help="the evidence the model is fitted on (search/decide.py FEATURES)")  # fmt: skip
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="verbatim-fit-") as tmp:
        train = collect(args.train, args.train_corpus, Path(tmp) / "train")
        dev = collect(args.dev, args.dev_corpus, Path(tmp) / "dev")
    model = fit(train, names=tuple(args.features))
    threshold = choose_threshold(model, dev, args.max_declined)
    note = (
        f"fitted on {args.train.name} ({len(train)} questions about named people), threshold on "
        f"{args.dev.name} ({len(dev)}): fewest errors, declined and answered weighed alike, at most "
        f"{args.max_declined:.0%} of answerable ones declined"
    )
    model = replace(model, threshold=threshold, note=note)
    args.out.write_text(model.to_json() + "\n", encoding="utf-8")
    weights = np.round(model.weights, 3).tolist()
    print(f"wrote {args.out}: weights {weights}, threshold {threshold:.3f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
