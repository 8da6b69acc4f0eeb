"""Milvus Lite against FAISS on the same random vectors: build time, single-query search p50/p95/p99 at
k=50, recall@10 against exact search, peak memory of the building and of the searching process, disk.

Each backend builds in one child process and is searched in another (as `verbatim serve` opens an index it
did not build), so each peak RSS is one process's own. The vectors are random unit vectors (seeded); the
queries are data vectors turned to cosine 0.5 of themselves (``probe_queries``, as the FAISS calibration).
The Milvus rows carry every per-sentence field of the real schema, and a synthetic ~20-word text with the
BM25 full-text index unless --no-bm25, so its disk size per sentence is the real one's.

    python -m benchmarks.vectors_milvus [N] [--no-bm25] [--exact-max N] [--backends faiss,milvus] [--save]

``--save`` merges the rows into benchmarks/vectors_milvus.json, whose table RESULTS.md shows (run.py).

``--exact-max`` is ANN_EXACT_MAX for both backends: exact search (FAISS flat, Milvus FLAT) up to that many
vectors, approximate above (FAISS IVF-SQ8 re-ranked, Milvus HNSW).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.procs import bench_env, du_mb, python, run
from retrieval.vectors.faiss import DEFAULT_EXACT_MAX

DIMENSION = 384
K = 50
QUERIES = 300
SEED = 7
VOCABULARY = 20_000
WORDS = 20
QUERIES_FILE = "queries.npz"
SAVED = Path(__file__).resolve().parent / "vectors_milvus.json"
MILVUS_NOTES = Path(__file__).resolve().parent / "vectors_milvus.md"


def random_unit(n: int, seed: int = SEED) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, DIMENSION), dtype=np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return v


def synthetic_texts(n: int, seed: int = SEED) -> list[str]:
    """Sentences of WORDS words drawn Zipf-like from a vocabulary of VOCABULARY made-up words."""
    rng = np.random.default_rng(seed)
    ranks = np.minimum(rng.zipf(1.2, size=(n, WORDS)), VOCABULARY) - 1
    vocab = [f"w{i:x}" for i in range(VOCABULARY)]
    return [" ".join(vocab[r] for r in row) for row in ranks]


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _percentiles(ms: list[float]) -> dict[str, float]:
    a = np.asarray(ms)
    return {f"p{p}": round(float(np.percentile(a, p)), 2) for p in (50, 95, 99)}


def _timed_search(index: Any, queries: np.ndarray, k: int) -> tuple[list[float], np.ndarray]:
    index.search(queries[:1], k)  # a first call pays for lazy set-up
    ms, found = [], []
    for q in queries:
        t = time.perf_counter()
        _, ids = index.search(q[None, :], k)
        ms.append((time.perf_counter() - t) * 1000)
        found.append(ids[0])
    return ms, np.asarray(found)


# --- children ---------------------------------------------------------------------------------------------


def child_build(backend: str, folder: Path, n: int, bm25: bool, exact_max: int) -> dict[str, Any]:
    vectors = random_unit(n)
    t0 = time.perf_counter()
    if backend == "faiss":
        from retrieval.vectors.faiss import FaissIndex

        np.save(folder / "vectors.npy", vectors)
        index = FaissIndex.build(vectors, exact_max)
        index.save(folder / "sentences.faiss")
        kind = index.kind
    else:
        from retrieval.vectors import milvus

        uri = str(folder / "milvus.db")
        client = milvus.connect(uri)
        ids = np.arange(n, dtype=np.int64)
        texts = synthetic_texts(n)
        with milvus.GenerationBuild(client, uri, "gen-bench", DIMENSION, bm25=bm25, exact_max=exact_max) as build:
            step = 10_000
            for lo in range(0, n, step):
                s = slice(lo, min(n, lo + step))
                build.add("sentences", milvus.SentenceRows(
                    ids[s], vectors[s], texts[s], [f"{i // 30:06d}.txt" for i in range(s.start, s.stop)],
                    ids[s] * 7, ids[s] * 7 + 140, ids[s] % 40 + 1, ids[s] % 40, [None] * (s.stop - s.start),
                    (ids[s] * 2_654_435_761).astype(np.uint64),
                ))
            generation = build.publish()
        kind = generation["sentences"].kind
    return {"build_s": round(time.perf_counter() - t0, 2), "kind": kind, "rss_after_build_mb": round(_rss_mb(), 1)}


def child_search(backend: str, folder: Path, n: int, bm25: bool, exact_max: int) -> dict[str, Any]:
    from retrieval.vectors.base import recall_at

    if not (folder / QUERIES_FILE).exists():
        save_queries(folder, n)
    with np.load(folder / QUERIES_FILE) as saved:
        queries, truth = saved["queries"], saved["truth"]
    base_rss = _rss_mb()
    t0 = time.perf_counter()
    if backend == "faiss":
        from retrieval.vectors.base import rows_of
        from retrieval.vectors.faiss import FaissIndex

        index: Any = FaissIndex.load(folder / "sentences.faiss")
        index.attach_exact(rows_of(np.load(folder / "vectors.npy", mmap_mode="r")))
        text_index = None
    else:
        from retrieval.vectors import milvus

        uri = str(folder / "milvus.db")
        generation = milvus.published(milvus.connect(uri), uri)
        assert generation is not None
        index = text_index = generation["sentences"]
    open_s = time.perf_counter() - t0
    loaded_rss = _rss_mb()
    ms, found = _timed_search(index, queries, K)
    out: dict[str, Any] = {
        "open_s": round(open_s, 2), "search_ms": _percentiles(ms),
        "recall_at_10": round(recall_at(found[:, :10], truth), 4),
        "rss_import_mb": round(base_rss, 1), "rss_loaded_mb": round(loaded_rss, 1),
        "rss_after_search_mb": round(_rss_mb(), 1),
    }
    if text_index is not None and bm25:
        words = [t.split()[:3] for t in synthetic_texts(QUERIES, seed=SEED + 2)]
        text_ms = []
        for q in words:
            t = time.perf_counter()
            text_index.text_search([" ".join(q)], K)
            text_ms.append((time.perf_counter() - t) * 1000)
        out["bm25_ms"] = _percentiles(text_ms)
    return out


# --- parent -----------------------------------------------------------------------------------------------


def save_queries(folder: Path, n: int) -> None:
    """The queries and their exact top 10, computed here so that the searching child's memory is its own."""
    from retrieval.vectors.base import probe_queries

    vectors = random_unit(n)
    queries = probe_queries(vectors, QUERIES, seed=SEED + 1)
    truth = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
    np.savez(folder / QUERIES_FILE, queries=queries, truth=truth)


def measure(
    n: int, bm25: bool = True, exact_max: int = DEFAULT_EXACT_MAX, backends: Sequence[str] = ("faiss", "milvus")
) -> list[dict[str, Any]]:
    rows = []
    for backend in backends:
        with tempfile.TemporaryDirectory(prefix=f"bench-{backend}-") as tmp:
            folder = Path(tmp)
            args = [backend, str(folder), str(n), "bm25" if bm25 else "no-bm25", str(exact_max)]
            built = run(python("-m", "benchmarks.vectors_milvus", "--child", "build", *args), bench_env())
            row: dict[str, Any] = {"backend": backend, "n": n, "exact_max": exact_max,
                                   "bm25": bm25 and backend == "milvus", **json.loads(built.stdout)}
            row["build_peak_rss_mb"] = round(built.peak_rss_mb, 1)
            row["disk_mb"] = round(du_mb(folder), 1)
            row["disk_bytes_per_vector"] = round(du_mb(folder) * 1e6 / n, 1)
            save_queries(folder, n)
            searched = run(python("-m", "benchmarks.vectors_milvus", "--child", "search", *args), bench_env())
            row.update(json.loads(searched.stdout))
            row["search_peak_rss_mb"] = round(searched.peak_rss_mb, 1)
            rows.append(row)
            print(backend, json.dumps(row), file=sys.stderr, flush=True)
    return rows


def _key(row: Mapping[str, Any]) -> tuple[str, int, str, bool]:
    return (str(row["backend"]), int(row["n"]), str(row["kind"]), bool(row.get("bm25")))


def merge(path: Path, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The rows saved in ``path`` with these added (a row of the same backend, size, index and BM25 replaced)."""
    old = json.loads(path.read_text(encoding="utf-8"))["runs"] if path.is_file() else []
    fresh = {_key(r) for r in rows}
    kept = [r for r in old if _key(r) not in fresh]
    out = sorted([*kept, *map(dict, rows)], key=lambda r: (r["n"], r["backend"] != "faiss", r["build_s"]))
    path.write_text(json.dumps({"runs": out}, indent=1) + "\n", encoding="utf-8")
    return out


def markdown(rows: Sequence[Mapping[str, Any]]) -> str:
    """The RESULTS.md section of these rows (benchmarks/run.py appends it)."""
    lines = [
        "## Vector backends: FAISS and Milvus Lite on the same vectors",
        "",
        f"`python -m benchmarks.vectors_milvus` ({DIMENSION}-d random unit vectors; {QUERIES} single queries at "
        f"k={K}, each a data vector turned to cosine 0.5; recall@10 against exact search). Each backend builds in "
        "one process and is searched in another: \"open\" is that process's RSS once the index is open, \"peak\" "
        "its peak (VmHWM). Milvus rows carry the whole sentence schema (text with the BM25 function when "
        "\"BM25\", source, offsets, line, paragraph, speaker, near-duplicate key); Milvus Lite runs inside the "
        "process, so its memory is the engine's. Disk: the index files (FAISS: vectors.npy and the .faiss file; "
        "Milvus: the Lite folder).",
        "",
        "| backend | vectors | index | BM25 | build s | vectors/s | search p50 / p95 / p99 ms | recall@10 | "
        "BM25 p50 / p95 ms | open RSS MB | peak RSS MB | build peak RSS MB | disk MB | disk B/vector |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        ms, bm = r["search_ms"], r.get("bm25_ms")
        bm25_ms = f"{bm['p50']} / {bm['p95']}" if bm else "–"
        lines.append(
            f"| {'Milvus Lite' if r['backend'] == 'milvus' else 'FAISS'} | {r['n']:,} | {r['kind']} | "
            f"{'yes' if r.get('bm25') else 'no'} | {r['build_s']:.1f} | {r['n'] / r['build_s']:,.0f} | "
            f"{ms['p50']} / {ms['p95']} / {ms['p99']} | {r['recall_at_10']:.3f} | "
            f"{bm25_ms} | "
            f"{r['rss_loaded_mb']:,.0f} | {r['search_peak_rss_mb']:,.0f} | {r['build_peak_rss_mb']:,.0f} | "
            f"{r['disk_mb']:,.0f} | {r['disk_bytes_per_vector']:,.0f} |"
        )
    notes = MILVUS_NOTES.read_text(encoding="utf-8").strip() if MILVUS_NOTES.is_file() else ""
    return "\n".join(lines) + ("\n\n" + notes if notes else "")


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        what, backend, folder, size, bm25, exact_max = argv[1:7]
        child = child_build if what == "build" else child_search
        print(json.dumps(child(backend, Path(folder), int(size), bm25 == "bm25", int(exact_max))))
        return

    def option(name: str, default: str) -> str:
        return argv[argv.index(name) + 1] if name in argv else default

    n = int(argv[0]) if argv and argv[0].isdigit() else 100_000
    rows = measure(
        n, bm25="--no-bm25" not in argv, exact_max=int(option("--exact-max", str(DEFAULT_EXACT_MAX))),
        backends=option("--backends", "faiss,milvus").split(","),
    )
    if "--save" in argv:  # into benchmarks/vectors_milvus.json, which RESULTS.md shows
        rows = merge(SAVED, rows)
    print(markdown(rows))


if __name__ == "__main__":
    main(sys.argv[1:])
