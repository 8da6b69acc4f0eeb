"""`verbatim serve` memory and `ask` latency at ~100k sentences, FAISS vs Milvus Lite, and ReQA parity.

    .venv-milvus/bin/python -m benchmarks.milvus_serve [--copies 10] [--questions 60] [--reqa 1000] [--save]

The same corpus (SQuAD dev, ``copies`` rewritten copies of each paragraph: ~103k sentences, as `make bench`'s
100k row) is indexed with VECTOR_BACKEND=faiss and with VECTOR_BACKEND=milvus (Milvus Lite, a folder beside
the index). The embeddings are computed once: the Milvus build starts from the FAISS build's embedding cache,
and the FAISS index is rebuilt from it too, so both build rows time the same work (store, tables, vector
index) without the model. Then each backend answers the same questions in a fresh process started as the bot
does (benchmarks/serve_child.py): its RSS once the index is open, after the first answer and the warm-up,
after ``questions`` more; its peak; `ask` p50/p99. ``--reqa N``: ReQA on SQuAD dev (all paragraphs, N
questions spread over all articles) through the normal Engine with each backend: P@1 and MRR@10 must agree
within 0.005. ``--save`` writes benchmarks/milvus_serve.json, whose table RESULTS.md shows (run.py).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from benchmarks.corpora import load_squad, sample_questions, squad_path, variant_files, write_files
from benchmarks.procs import bench_env, du_mb, python, run

SAVED = Path(__file__).resolve().parent / "milvus_serve.json"
WORK = Path(os.environ.get("BENCH_DIR", "/tmp/verbatim-bench")) / "milvus-serve"
BACKEND = os.environ.get("BENCH_BACKEND", "onnx-int8")
PARITY = 0.005  # P@1 and MRR@10 of the two backends on ReQA may differ by at most this


def _env(backend: str, corpus: Path, index: Path) -> dict[str, str]:
    env = bench_env(CORPUS_DIR=str(corpus), INDEX_DIR=str(index), EMBEDDING_BACKEND=BACKEND, VECTOR_BACKEND=backend)
    env["MILVUS_URI"] = str(index / "milvus.db") if backend == "milvus" else ""
    return env


def _build(backend: str, corpus: Path, index: Path, *extra: str) -> dict[str, float]:
    r = run(python("-m", "retrieval.cli.main", "index", *extra), _env(backend, corpus, index))
    if "Indexed" not in r.stdout:
        raise SystemExit(f"{backend} build failed: {r.stderr.strip()[-500:]}")
    print(f"  {backend} build {' '.join(extra)}: {r.seconds:.1f} s, peak {r.peak_rss_mb:.0f} MB", flush=True)
    return {"seconds": r.seconds, "peak_rss_mb": r.peak_rss_mb}


def _serve(backend: str, corpus: Path, index: Path, questions: Path, n: int) -> dict[str, Any]:
    r = run(python("-m", "benchmarks.serve_child", str(questions), str(n)), _env(backend, corpus, index))
    lines = r.stdout.strip().splitlines()
    if r.stderr.strip() and not lines:
        raise SystemExit(f"{backend} serve failed: {r.stderr.strip()[-500:]}")
    out: dict[str, Any] = json.loads(lines[-1])
    lat = sorted(out["latency_ms"])
    generation = index / (index / "CURRENT").read_text().strip()
    engine_disk = du_mb(index / "milvus.db") if backend == "milvus" else 0.0
    row = {
        "backend": backend, "sentences": out["n_sentences"], "questions": len(lat),
        "p50_ms": lat[len(lat) // 2], "p99_ms": lat[min(len(lat) - 1, int(0.99 * len(lat)))],
        "embed_p50_ms": sorted(out["embed_ms"])[len(lat) // 2],
        "rss_open_mb": out["rss_loaded_mb"], "rss_warm_mb": out["rss_warm_mb"], "rss_after_mb": out["rss_after_mb"],
        "peak_rss_mb": out["peak_rss_mb"], "folder_mb": du_mb(generation), "engine_mb": engine_disk,
    }
    print(f"  {backend} serve: {row}", flush=True)
    return row


ENGINE_CHILD = """
import json, sys
from pathlib import Path
from retrieval.vectors.milvus import MilvusVectorIndex
generation = Path(sys.argv[1])
opened = [MilvusVectorIndex.load(generation / name) for name in ("sentences.faiss", "passages.faiss")]
rss = next(int(ln.split()[1]) / 1024 for ln in Path("/proc/self/status").read_text().splitlines()
           if ln.startswith("VmRSS:"))
print(json.dumps({"rss_mb": rss, "rows": sum(i.count for i in opened)}))
"""


def engine_alone(index: Path) -> float:
    """RSS of a process that only opens (loads) the generation's sentence and passage collections in Milvus
    Lite: the engine's part of a Milvus-backed serve process's memory."""
    generation = index / (index / "CURRENT").read_text().strip()
    r = run(python("-c", ENGINE_CHILD, str(generation)), bench_env())
    return float(json.loads(r.stdout.strip().splitlines()[-1])["rss_mb"])


def _reqa(backend: str, n: int, cache: Path | None) -> dict[str, Any]:
    from retrieval.eval.reqa import run_reqa
    from retrieval.settings import Settings

    work = WORK / f"reqa-{backend}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    if cache is not None:  # the other backend's embeddings: the same vectors, not computed twice
        shutil.copytree(cache, work / "index" / "embedding-cache")
    settings = Settings(embedding_backend=BACKEND, vector_backend=backend,  # type: ignore[call-arg, arg-type]
                        milvus_uri=str(work / "index" / "milvus.db") if backend == "milvus" else "")
    report = run_reqa(squad_path(), settings, work, max_questions=n)
    metrics = next(m for split, method, m in report.table()
                   if split.startswith("all") and method == "Verbatim pipeline")
    lat = sorted(report.query_ms)
    row = {"backend": backend, "questions": metrics.n, "p_at_1": metrics.p_at_1, "mrr_at_10": metrics.mrr_at_10,
           "sentences": report.n_sentences, "ask_p50_ms": lat[len(lat) // 2]}
    print(f"  ReQA {backend}: {row}", flush=True)
    if backend == "milvus":
        from retrieval.vectors import milvus

        milvus.release(settings.vector_uri)
    return row


def measure(copies: int, n_questions: int, n_reqa: int) -> dict[str, Any]:
    squad = load_squad()
    corpus = WORK / "corpus"
    if not corpus.is_dir():
        write_files(corpus, variant_files(squad, copies))
    qs = [q.text for q in sample_questions(squad, n_questions + 1, seed=2)]
    questions = WORK / "questions.json"
    questions.write_text(json.dumps(qs), encoding="utf-8")
    faiss_index, milvus_index = WORK / "faiss-index", WORK / "milvus-index"
    builds: dict[str, dict[str, float]] = {}
    if not (faiss_index / "CURRENT").is_file():
        builds["faiss-embedding"] = _build("faiss", corpus, faiss_index)
    builds["faiss"] = _build("faiss", corpus, faiss_index, "--rebuild")
    shutil.rmtree(milvus_index, ignore_errors=True)
    milvus_index.mkdir(parents=True)
    shutil.copytree(faiss_index / "embedding-cache", milvus_index / "embedding-cache")
    builds["milvus"] = _build("milvus", corpus, milvus_index)
    os.sync()
    indexes = (("faiss", faiss_index), ("milvus", milvus_index))
    serve = [_serve(b, corpus, i, questions, n_questions) for b, i in indexes]
    serve[1]["engine_alone_mb"] = engine_alone(milvus_index)
    for row in serve:
        row["build_s"] = builds[row["backend"]]["seconds"]
        row["build_peak_rss_mb"] = builds[row["backend"]]["peak_rss_mb"]
    reqa: list[dict[str, Any]] = []
    if n_reqa:
        reqa.append(_reqa("faiss", n_reqa, None))
        reqa.append(_reqa("milvus", n_reqa, WORK / "reqa-faiss" / "index" / "embedding-cache"))
    return {"measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "copies": copies, "serve": serve,
            "reqa": reqa, "first_build": builds.get("faiss-embedding")}


def markdown(data: Mapping[str, Any]) -> str:
    rows: Sequence[Mapping[str, Any]] = data["serve"]
    lines = [
        "## Serve process with each vector backend (same ~100k sentences)", "",
        "`.venv-milvus/bin/python -m benchmarks.milvus_serve --save` (measured "
        f"{data['measured']}; SQuAD dev ×{data['copies']} rewritten, the `make bench` 100k corpus). Each backend "
        "answers the same questions in a fresh process started as the bot does (benchmarks/serve_child.py). "
        "RSS: once the index is open (before the model), after the first answer and the warm-up (model "
        "loaded), after the timed questions; peak = VmHWM; engine alone: a process that only opens the "
        "generation's collections in Milvus Lite (which runs inside the serve process). Build: `verbatim "
        "index` from the embedding cache (no model work in either). Disk: the generation folder, and Milvus "
        "Lite's folder.", "",
        "| backend | sentences | build s | build peak MB | RSS open MB | RSS warm MB | RSS after N MB | peak RSS MB "
        "| engine alone MB | questions | ask p50 / p99 ms | folder MB | engine MB |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r['backend']} | {r['sentences']:,} | {r['build_s']:.1f} | {r['build_peak_rss_mb']:,.0f} "
            f"| {r['rss_open_mb']:,.0f} | {r['rss_warm_mb']:,.0f} | {r['rss_after_mb']:,.0f} "
            f"| {r['peak_rss_mb']:,.0f} | {_mb(r.get('engine_alone_mb'))} | {r['questions']} "
            f"| {r['p50_ms']:.1f} / {r['p99_ms']:.1f} "
            f"| {r['folder_mb']:,.0f} | {r['engine_mb']:,.0f} |"
        )
    if data.get("reqa"):
        lines += ["", "ReQA (SQuAD dev, every paragraph indexed; the Verbatim pipeline through the normal Engine; "
                  f"parity: P@1 and MRR@10 within {PARITY}):", "",
                  "| backend | sentences | questions | P@1 | MRR@10 | ask p50 ms |",
                  "| --- | --- | --- | --- | --- | --- |"]
        lines += [f"| {r['backend']} | {r['sentences']:,} | {r['questions']} | {r['p_at_1']:.4f} "
                  f"| {r['mrr_at_10']:.4f} | {r['ask_p50_ms']:.1f} |" for r in data["reqa"]]
    notes = SAVED.with_suffix(".md")
    if notes.is_file():
        lines += ["", notes.read_text(encoding="utf-8").strip()]
    return "\n".join(lines)


def _mb(value: float | None) -> str:
    return f"{value:,.0f}" if value is not None else "–"


def parity(data: Mapping[str, Any]) -> list[str]:
    """What differs by more than PARITY between the backends' ReQA rows (empty: parity holds)."""
    by = {r["backend"]: r for r in data.get("reqa", [])}
    if set(by) != {"faiss", "milvus"}:
        return []
    return [f"{m}: faiss {by['faiss'][m]:.4f}, milvus {by['milvus'][m]:.4f}" for m in ("p_at_1", "mrr_at_10")
            if abs(by["faiss"][m] - by["milvus"][m]) > PARITY]


def _arg(argv: list[str], name: str, default: int) -> int:
    return int(argv[argv.index(name) + 1]) if name in argv else default


def main(argv: list[str]) -> None:
    os.environ.setdefault("TMPDIR", tempfile.gettempdir())
    data = measure(_arg(argv, "--copies", 10), _arg(argv, "--questions", 60), _arg(argv, "--reqa", 1000))
    print(markdown(data))
    if "--save" in argv:
        SAVED.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    bad = parity(data)
    if bad:
        print("ReQA parity broken (more than 0.005): " + "; ".join(bad), file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
