"""Fitting the ranker (ranker.py) on the tuning half of ReQA SQuAD: listwise softmax, L-BFGS, numpy.

Each question is a group of candidate rows with 0/1 gold labels; the loss is the mean of
-log(sum of softmax probabilities of the gold candidates) plus an L2 penalty on the network's weights.
Only groups with a gold candidate take part. Run as ``python -m retrieval.eval.calibrate`` (see ``main``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.search.features import FEATURES
from retrieval.search.ranker import WEIGHTS_PATH, Ranker
from retrieval.search.rerank import FUSED_FEATURES, FUSED_PATH


@dataclass(frozen=True)
class Group:
    features: np.ndarray  # (candidates, FEATURES)
    gold: np.ndarray  # bool (candidates,)


def fit_ranker(groups: Sequence[Group], hidden: int = 16, l2: float = 1e-3, max_iter: int = 500,
               seed: int = 0, note: str = "", features: tuple[str, ...] = FEATURES) -> Ranker:
    from scipy.optimize import minimize

    used = [g for g in groups if g.gold.any()]
    if not used:
        raise ValueError("no group has a gold candidate")
    x_all = np.vstack([g.features for g in used]).astype(np.float64)
    mean = x_all.mean(axis=0)
    std = x_all.std(axis=0) + 1e-9
    x = (x_all - mean) / std
    y = np.concatenate([g.gold for g in used]).astype(np.float64)
    bounds = np.cumsum([0] + [len(g.gold) for g in used])
    starts = bounds[:-1]
    group_of = np.repeat(np.arange(len(used)), np.diff(bounds))
    d, h, n = x.shape[1], hidden, len(used)

    def unpack(p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return p[: d * h].reshape(d, h), p[d * h : d * h + h], p[d * h + h : d * h + 2 * h], p[d * h + 2 * h :]

    def loss_and_grad(p: np.ndarray) -> tuple[float, np.ndarray]:
        w1, b1, w2, v = unpack(p)
        hid = np.tanh(x @ w1 + b1)
        s = hid @ w2 + x @ v
        e = np.exp(s - np.maximum.reduceat(s, starts)[group_of])
        prob = e / np.add.reduceat(e, starts)[group_of]
        p_gold = np.add.reduceat(prob * y, starts)
        loss = float(-np.log(p_gold + 1e-300).mean() + l2 * (np.sum(w1 * w1) + np.sum(w2 * w2)))
        ds = (prob - prob * y / p_gold[group_of]) / n
        d_hid = np.outer(ds, w2) * (1.0 - hid * hid)
        grad = np.concatenate([
            (x.T @ d_hid + 2 * l2 * w1).ravel(), d_hid.sum(axis=0), hid.T @ ds + 2 * l2 * w2, x.T @ ds,
        ])
        return loss, grad

    rng = np.random.default_rng(seed)
    p0 = np.concatenate([rng.normal(0, 0.1, d * h), np.zeros(h), rng.normal(0, 0.1, h), np.zeros(d)])
    result = minimize(loss_and_grad, p0, jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    w1, b1, w2, v = unpack(np.asarray(result.x))
    return Ranker(features, mean, std, w1, b1, w2, v, note)


def rank_of_gold(scores: np.ndarray, gold: np.ndarray) -> int | None:
    """1-based rank of the best-ranked gold candidate (ties broken by candidate order), or None."""
    order = np.argsort(-scores, kind="stable")
    hits = np.flatnonzero(gold[order])
    return int(hits[0]) + 1 if len(hits) else None


def read_dump(path: Path) -> list[Group]:
    with np.load(path) as data:
        bounds, features, gold = data["bounds"], data["features"], data["gold"].astype(bool)
    return [
        Group(features[a:b], gold[a:b])
        for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Fit from feature dumps (``.npz`` made by ``retrieval.eval.reqa.dump_features`` or
    ``retrieval.eval.rerank_data.devset_dump``) and write ranker.json, or ranker_xenc.json for the fused
    features (the cross-encoder's, search/rerank.py)."""
    parser = argparse.ArgumentParser(prog="python -m retrieval.eval.calibrate")
    parser.add_argument("dumps", type=Path, nargs="+", help="feature dumps (.npz) of the tuning questions")
    parser.add_argument("--hidden", type=int, default=16)
    parser.add_argument("--l2", type=float, default=1e-3)
    parser.add_argument("--max-iter", type=int, default=500)
    parser.add_argument("--out", type=Path, default=None, help="default: the shipped file for the features")
    parser.add_argument("--note", default="ReQA SQuAD dev questions of the first 24 articles",
                        help="what the dumps hold (written into the file)")
    args = parser.parse_args(argv)
    groups = [g for path in args.dumps for g in read_dump(path)]
    width = groups[0].features.shape[1] if groups else 0
    if width not in (len(FEATURES), len(FUSED_FEATURES)):
        print(f"calibrate: the dumps have {width} features; expected {len(FEATURES)} or {len(FUSED_FEATURES)}",
              file=sys.stderr)
        return 2
    features = FEATURES if width == len(FEATURES) else FUSED_FEATURES
    out = args.out or (WEIGHTS_PATH if features == FEATURES else FUSED_PATH)
    note = f"listwise MLP, hidden={args.hidden}, l2={args.l2}, fitted on {len(groups)} questions: {args.note}"
    ranker = fit_ranker(groups, args.hidden, args.l2, args.max_iter, note=note, features=features)
    out.write_text(ranker.to_json() + "\n", encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
