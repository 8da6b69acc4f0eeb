"""Child: start as the bot does (service functions), answer one question, then time many, one at a time.

    python -m benchmarks.serve_child QUESTIONS.json N [--recall]

Settings come from the environment (INDEX_DIR, EMBEDDING_BACKEND, ...). Prints one JSON line with the
wall-clock time (time.time()) of the first answer and of the end of the engine's background warm-up,
per-question latencies of Engine.ask + answer_text
(embedding, search, sentence selection and formatting), the embedding part alone, and with --recall the
recall@10 of the sentence vector index against exact search over the stored vectors.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int, chunk: int = 200_000) -> np.ndarray:
    """Exact top-k ids by inner product, scanning the (memory-mapped) vectors in chunks."""
    best_s = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(queries), 0), dtype=np.int64)
    for lo in range(0, len(vectors), chunk):
        block = np.asarray(vectors[lo : lo + chunk], dtype=np.float32)
        scores = queries @ block.T
        top = np.argpartition(-scores, min(k, scores.shape[1] - 1), axis=1)[:, :k]
        s = np.concatenate([best_s, np.take_along_axis(scores, top, axis=1)], axis=1)
        i = np.concatenate([best_i, top + lo], axis=1)
        keep = np.argsort(-s, axis=1)[:, :k]
        best_s, best_i = np.take_along_axis(s, keep, axis=1), np.take_along_axis(i, keep, axis=1)
    return best_i


def recall_with_ties(vectors: np.ndarray, queries: np.ndarray, found: np.ndarray, truth: np.ndarray) -> float:
    """Recall@k where a found id counts when its exact score reaches the k-th exact score (equal vectors
    make any of them a right answer)."""
    hits = 0
    for q, f, t in zip(queries, found, truth, strict=True):
        kth = float(np.min(np.asarray(vectors[np.sort(t)]) @ q))
        f = f[f >= 0]
        scores = np.asarray(vectors[np.sort(f)]) @ q if len(f) else np.zeros(0)
        hits += min(len(t), int(np.sum(scores >= kth - 1e-5)))
    return hits / truth.size


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM). Not getrusage: on Linux its ru_maxrss keeps the high-water
    mark of the forking parent across exec, so a child started by a big parent reports the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_mb() -> float:
    """This process's resident set now (VmRSS)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    questions: list[str] = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    n = int(sys.argv[2])
    from retrieval.cli.render import answer_text
    from retrieval.search.service import make_embedder, open_engine
    from retrieval.settings import Settings

    settings = Settings()  # type: ignore[call-arg]  # from the environment
    embedder = make_embedder(settings)
    engine = open_engine(settings, embedder)
    loaded = time.time()
    rss_loaded = rss_mb()  # the model is loaded on first use: this is the index and the engine
    answer_text(engine.ask(questions[0], k=settings.top_k))
    first = time.time()
    # Latency is that of a running server: measured once the background warm-up (page cache, people) is
    # done; cold start above is to the first answer, which does not wait for it.
    engine.wait_until_warm(timeout=300)
    warm = time.time()
    rss_warm = rss_mb()

    asked = questions[1 : n + 1]
    latencies = []
    for q in asked:
        t0 = time.perf_counter()
        answer_text(engine.ask(q, k=settings.top_k))
        latencies.append((time.perf_counter() - t0) * 1000)
    rss_asked = rss_mb()
    embed_ms = []
    vectors = []
    for q in asked:
        t0 = time.perf_counter()
        vectors.append(embedder.encode([q])[0])
        embed_ms.append((time.perf_counter() - t0) * 1000)
    out = {
        "loaded_at": loaded, "first_answer_at": first, "warm_at": warm, "latency_ms": latencies, "embed_ms": embed_ms,
        "n_sentences": engine.index.n_sentences, "ann": engine.index.manifest.ann,
        "backend": engine.index.manifest.backend, "vectors": engine.index.manifest.vectors,
        "rss_loaded_mb": rss_loaded, "rss_warm_mb": rss_warm, "rss_after_mb": rss_asked,
    }
    out["peak_rss_mb"] = peak_rss_mb()  # serving only (before the recall check below)
    if "--recall" in sys.argv:
        queries = np.asarray(vectors, dtype=np.float32)
        _, found = engine.index.sentence_index.search(queries, 10)
        truth = exact_top(engine.index.vectors, queries, 10)
        out["recall_at_10"] = recall_with_ties(engine.index.vectors, queries, found, truth)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
