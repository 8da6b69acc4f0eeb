"""`make bench`: Verbatim's speed and scale, measured on this machine, written to benchmarks/RESULTS.md.

    make bench                  # full: SQuAD dev (2,067 files), ~100k and ~1M sentences (~30 min on 2 cores)
    BENCH_QUICK=1 make bench    # quick: the same steps on small corpora (a few minutes), no RESULTS.md
                                # unless BENCH_WRITE=1
    BENCH_STEPS=scale .venv/bin/python -m benchmarks.run  # only the ~100k and ~1M rows, printed

Every timed step is a separate process, started the way a user or the bot starts it, so that process
start, imports and model loading are included where the target says so. The code measured is a snapshot
of the committed HEAD (BENCH_TREE=work: the working tree as it is). Work files go to BENCH_DIR
(default /tmp/verbatim-bench); SQuAD is read in place (SQUAD_DEV, default /work/shared/data/squad).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from benchmarks import milvus_serve, vectors_milvus
from benchmarks.corpora import Squad, load_squad, sample_questions, squad_files, variant_files, write_files
from benchmarks.procs import REPO, Run, bench_env, du_mb, python, run, verbatim

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
# BENCH_STEPS=scale: only the ~100k and ~1M rows (build, latency, recall), printed, RESULTS.md left as it is.
# BENCH_DIR is then kept, so an embedding cache put in BENCH_DIR/scale-100k-index/embedding-cache is reused.
SCALE_ONLY = os.environ.get("BENCH_STEPS", "") == "scale"
WORK = Path(os.environ.get("BENCH_DIR", "/tmp/verbatim-bench"))
OUT = Path(os.environ.get("BENCH_RESULTS_DIR", str(REPO / "benchmarks")))  # the checkout's benchmarks/
RESULTS = OUT / "RESULTS.md"
BACKEND = os.environ.get("BENCH_BACKEND", "onnx-int8")


@dataclass(frozen=True)
class Plan:
    squad_paragraphs: int | None  # None: all 2,067
    copies_100k: int  # rewritten copies of those paragraphs for the second scale
    copies_1m: int  # digit-shifted copies of the second scale for the third (generated vectors)
    latency_questions: int
    ask_questions: int
    reqa_questions: int | None  # None: every question of the indexed paragraphs


PLAN = Plan(400, 3, 4, 60, 50, 600) if QUICK else Plan(None, 10, 10, 300, 200, None)


@dataclass(frozen=True)
class ScaleRow:
    label: str
    sentences: int
    ann: str
    recall: float
    p50: float
    p95: float
    p99: float
    embed_p50: float
    cold: float  # process start to first answer, s
    loaded: float  # process start to engine loaded, s
    rss: float
    disk: float
    build: float
    build_rss: float
    build_note: str
    warm: float = float("nan")  # process start to the end of the engine's background warm-up, s


@dataclass
class Results:
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)  # measure, value, target, verdict
    scale: list[ScaleRow] = field(default_factory=list)
    reqa: list[tuple[str, float, float, float]] = field(default_factory=list)  # backend, P@1, MRR, enc/s
    notes: list[str] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)

    def add(self, measure: str, value: str, target: str = "", ok: bool | None = None) -> None:
        verdict = "" if ok is None else ("met" if ok else "MISSED")
        self.rows.append((measure, value, target, verdict))
        print(f"  {measure}: {value}" + (f"  [target {target}: {verdict}]" if target else ""), flush=True)


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def cmd_text(cmd: list[str], env: dict[str, str] | None = None, stdin: str = "") -> str:
    shown = " ".join(Path(c).name if c.startswith("/") and ("bin/" in c) else c for c in cmd)
    pre = " ".join(f"{k}={v}" for k, v in (env or {}).items())
    return (pre + " " if pre else "") + shown + (f" < {stdin}" if stdin else "")


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    flags = " ".join(f for f in ("avx2", "avx512_vnni", "avx_vnni") if f in Path("/proc/cpuinfo").read_text())
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, {flags}; Python {platform.python_version()}"


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


# --- steps -----------------------------------------------------------------------------------------


def build(corpus: Path, index: Path, res: Results, label: str, *extra: str) -> Run:
    env = bench_env(CORPUS_DIR=str(corpus), INDEX_DIR=str(index), EMBEDDING_BACKEND=BACKEND)
    cmd = verbatim("index", *extra)
    log(f"{label}: {cmd_text(cmd)}")
    r = run(cmd, env, cwd=WORK)
    res.commands.append(cmd_text(cmd, {"CORPUS_DIR": str(corpus), "INDEX_DIR": str(index)}) + f"   # {label}")
    print("   ", (r.stdout.strip().splitlines() or [""])[-1], flush=True)
    return r


def index_texts(index: Path) -> list[str]:
    from retrieval.corpus.segment import SegmentationSettings
    from retrieval.index.reader import load_index

    data = load_index(index, "sentence-transformers/all-MiniLM-L6-v2", SegmentationSettings())
    return [data.text(i) for i in range(data.n_sentences)]


def throughput(squad: Squad, res: Results) -> tuple[Path, Path, list[str], Run]:
    corpus, index = WORK / "squad", WORK / "squad-index"
    write_files(corpus, squad_files(squad, PLAN.squad_paragraphs))
    n_files = sum(1 for _ in corpus.rglob("*.txt"))
    full = build(corpus, index, res, "full build")
    texts = index_texts(index)
    n = len(texts)
    (WORK / "sentences.json").write_text(json.dumps(texts))
    log("plain sentence-transformers (PyTorch) on the same sentences")
    st_cmd = python("-m", "benchmarks.st_baseline", str(WORK / "sentences.json"), str(WORK / "torch-sentences.npy"))
    st = json.loads(run(st_cmd, bench_env(), cwd=REPO).stdout.strip().splitlines()[-1])
    res.commands.append(cmd_text(st_cmd) + "   # plain ST: model.encode(sentences), defaults")
    ours, theirs = n / full.seconds, n / st["encode_seconds"]
    res.add(f"Index build, {n_files} files / {n} sentences: whole `verbatim index` process",
            f"{full.seconds:.1f} s = {ours:.0f} sentences/s (peak RSS {full.peak_rss_mb:.0f} MB)")
    res.add("Plain sentence-transformers PyTorch `model.encode` of the same sentences (same run)",
            f"{st['encode_seconds']:.1f} s = {theirs:.0f} sentences/s "
            f"(model load {st['load_seconds']:.1f} s not counted)")
    res.add("Build throughput ratio (whole index process vs plain encode alone)", f"{ours / theirs:.2f}×",
            "≥ 2×", ours / theirs >= 2)
    return corpus, index, texts, full


def reindex_steps(corpus: Path, index: Path, res: Results) -> None:
    n_files = sum(1 for _ in corpus.rglob("*.txt"))
    noops = [build(corpus, index, res, f"no-op {i + 1}").seconds for i in range(3)]
    noop = statistics.median(noops)
    res.add(f"No-op `verbatim index` on {n_files} files (median of 3, process start included)",
            f"{noop:.2f} s", "≤ 6 s", noop <= 6)
    victim = sorted(corpus.rglob("*.txt"))[len(noops) * 7 % n_files]
    victim.write_text(victim.read_text() + "\nThis sentence was added by the benchmark. So was this one.\n")
    edit = build(corpus, index, res, "one changed file")
    from benchmarks.index_summary import index_counts  # here: the rest of run.py is edited elsewhere

    res.add("Reindex after changing 1 file", f"{edit.seconds:.2f} s ({index_counts(edit.stdout)})",
            f"≤ no-op + 2 s = {noop + 2:.2f} s", edit.seconds <= noop + 2)


def ask_marginal(squad: Squad, corpus: Path, index: Path, res: Results) -> None:
    """Two rows: the defaults, against issue 11's budget (40 ms: it allows a model), and VERIFY_TOP=0 (no
    cross-encoder), against issue 5's older 10 ms, which the cross-encoder's reading of each answer's best 3
    sentences for the not-found decision (session 6) does not fit in."""
    qs = [q.text for q in sample_questions(squad, PLAN.ask_questions + 1, seed=1)]
    (WORK / "ask-1.txt").write_text(qs[0] + "\n")
    (WORK / "ask-many.txt").write_text("\n".join(qs[1:]) + "\n")
    cmd = verbatim("ask")
    res.commands.append(cmd_text(cmd, stdin="ask-1.txt") + "   # 1 question, 3 runs (and again with VERIFY_TOP=0)")
    res.commands.append(cmd_text(cmd, stdin="ask-many.txt") + f"   # {len(qs) - 1} questions, 3 runs (same)")
    for label, extra, target, limit in (
        ("defaults: the cross-encoder reads each answer's best 3 for the not-found decision", {}, "≤ 40 ms (issue 11)",
         40.0),
        ("VERIFY_TOP=0: without the cross-encoder", {"VERIFY_TOP": "0"}, "≤ 10 ms (issue 5)", 10.0),
    ):
        env = bench_env(CORPUS_DIR=str(corpus), INDEX_DIR=str(index), EMBEDDING_BACKEND=BACKEND, **extra)
        one = [run(cmd, env, stdin=qs[0] + "\n", cwd=WORK).seconds for _ in range(3)]
        many = [run(cmd, env, stdin="\n".join(qs[1:]) + "\n", cwd=WORK).seconds for _ in range(3)]
        t1, tn = statistics.median(one), statistics.median(many)
        marginal = (tn - t1) / (len(qs) - 2) * 1000
        res.add(f"`verbatim ask` marginal time per question ({len(qs) - 1} questions vs 1, medians of 3 processes; "
                f"{label})", f"{marginal:.1f} ms (1 question: {t1:.2f} s, {len(qs) - 1}: {tn:.2f} s)", target,
                marginal <= limit)


def serve_latency(squad: Squad, label: str, corpus: Path, index: Path, res: Results, build_run: Run | None,
                  build_note: str) -> ScaleRow:
    qs = [q.text for q in sample_questions(squad, PLAN.latency_questions + 1, seed=2)]
    (WORK / "questions.json").write_text(json.dumps(qs))
    env = bench_env(CORPUS_DIR=str(corpus), INDEX_DIR=str(index), EMBEDDING_BACKEND=BACKEND)
    cmd = python("-m", "benchmarks.serve_child", str(WORK / "questions.json"), str(PLAN.latency_questions),
                 "--recall")
    log(f"{label}: latency and cold start through the bot's service functions")
    # Flush the build's writes first (gigabytes at 1M): the kernel writing them back during the measurement
    # is the build's cost, not the server's (it put a 57 ms p99 on a 21 ms one in a run without this).
    os.sync()
    r = run(cmd, env, cwd=WORK)
    out = json.loads(r.stdout.strip().splitlines()[-1])
    lat = out["latency_ms"]
    row = ScaleRow(
        label=label, sentences=int(out["n_sentences"]), ann=str(out["ann"]),
        recall=float(out.get("recall_at_10", float("nan"))),
        p50=pct(lat, 50), p95=pct(lat, 95), p99=pct(lat, 99), embed_p50=pct(out["embed_ms"], 50),
        cold=out["first_answer_at"] - r.started, loaded=out["loaded_at"] - r.started,
        warm=out.get("warm_at", float("nan")) - r.started,
        rss=float(out["peak_rss_mb"]), disk=du_mb(index.resolve() / (index / "CURRENT").read_text().strip()),
        build=build_run.seconds if build_run else float("nan"),
        build_rss=build_run.peak_rss_mb if build_run else float("nan"), build_note=build_note,
    )
    res.commands.append(cmd_text(cmd, {"INDEX_DIR": str(index)}) + f"   # {label}")
    res.scale.append(row)
    cache = index / "embedding-cache"
    if cache.is_dir():
        res.notes.append(f"{label}: the embedding cache beside the index takes {du_mb(cache):.0f} MB on disk "
                         "(not counted in 'index on disk').")
    print(f"    {row}", flush=True)
    return row


def reqa(squad: Squad, index: Path, texts: list[str], res: Results) -> None:
    """Dense-only ReQA on the indexed paragraphs: each backend embeds sentences and questions."""
    from retrieval.corpus.segment import SegmentationSettings
    from retrieval.index.reader import load_index

    data = load_index(index, "sentence-transformers/all-MiniLM-L6-v2", SegmentationSettings())
    by_source: dict[str, list[int]] = {}
    for sid in range(data.n_sentences):
        by_source.setdefault(data.sources[int(data.sent_source[sid])].source, []).append(sid)
    qs = [q for q in squad.questions if q.source in by_source]
    if PLAN.reqa_questions is not None:
        rng = np.random.default_rng(3)
        qs = [qs[int(i)] for i in rng.choice(len(qs), size=min(len(qs), PLAN.reqa_questions), replace=False)]
    gold: list[set[int]] = []
    for q in qs:
        ids = by_source[q.source]
        g = set()
        for a in q.answer_starts:
            hit = next((s for s in ids if a < int(data.sent_end[s])), None)
            if hit is not None:
                g.add(hit)
        gold.append(g)
    (WORK / "reqa-questions.json").write_text(json.dumps([q.text for q in qs]))
    sentence_vectors = {"torch": np.load(WORK / "torch-sentences.npy"), BACKEND: np.asarray(data.vectors)}
    for backend in ("torch", "onnx", "onnx-int8"):
        log(f"ReQA: {backend}")
        if backend not in sentence_vectors:
            run(python("-m", "benchmarks.encode_child", backend, str(WORK / "sentences.json"),
                       str(WORK / f"{backend}-sentences.npy")), bench_env(), cwd=REPO)
            sentence_vectors[backend] = np.load(WORK / f"{backend}-sentences.npy")
        enc = run(python("-m", "benchmarks.encode_child", backend, str(WORK / "reqa-questions.json"),
                         str(WORK / f"{backend}-questions.npy")), bench_env(), cwd=REPO)
        speed = json.loads(enc.stdout.strip().splitlines()[-1])
        qv = np.load(WORK / f"{backend}-questions.npy")
        scores = qv @ sentence_vectors[backend].T
        top = np.argsort(-scores, axis=1)[:, :10]
        p1 = float(np.mean([bool(top[i, 0] in gold[i]) for i in range(len(qs))]))
        mrr = float(np.mean([next((1 / (r + 1) for r, s in enumerate(top[i]) if s in gold[i]), 0.0)
                             for i in range(len(qs))]))
        res.reqa.append((backend, p1 * 100, mrr * 100, speed["n"] / speed["encode_seconds"]))
        print(f"    P@1 {p1 * 100:.2f}  MRR@10 {mrr * 100:.2f}  questions/s {speed['n'] / speed['encode_seconds']:.0f}")
    res.notes.append(f"ReQA (dense retrieval only, {len(qs)} SQuAD dev questions over {len(texts)} sentences of "
                     "the indexed paragraphs; gold = the sentence holding an answer start).")


def export_cost(res: Results) -> None:
    """Make sure the ONNX exports exist (made once, beside the model); report what a first use costs."""
    from retrieval.embed.base import FP32_FILE
    from retrieval.embed.onnx_export import cpu_flags, export_folder, int8_file, int8_target, model_folder

    folder = export_folder(model_folder("sentence-transformers/all-MiniLM-L6-v2"))
    kernel = int8_target(cpu_flags())
    missing = [f for f in (FP32_FILE, int8_file(kernel) if kernel else None) if f and not (folder / f).is_file()]
    (WORK / "two.json").write_text(json.dumps(["warm up", "the export"]))
    t0 = time.perf_counter()
    for backend in ("onnx", "onnx-int8"):
        run(python("-m", "benchmarks.encode_child", backend, str(WORK / "two.json"), str(WORK / "two.npy")),
            bench_env(), cwd=REPO)
    seconds = time.perf_counter() - t0
    what = f"made now in {seconds:.1f} s" if missing else "already made (cached)"
    res.notes.append(f"ONNX export in {folder}: {what}; int8 kernel for this CPU: {kernel or 'none (fp32 ONNX)'}.")


def lang_speed(res: Results) -> None:
    """The speaker analysis and the question parser (benchmarks/lang_speed.py): speed budgets that the
    tests no longer assert."""
    from benchmarks.lang_speed import PARSE_BUDGET, SPEAKER_BUDGET

    cmd = python("-m", "benchmarks.lang_speed")
    out = json.loads(run(cmd, bench_env(), cwd=REPO).stdout.strip().splitlines()[-1])
    res.commands.append(cmd_text(cmd) + "   # speaker analysis and question parsing speed")
    for key, what in (("corpus_sentences_per_s", "the 5 corpus/ articles"),
                      ("squad_sentences_per_s", "the paragraphs of 12 SQuAD dev articles")):
        if key in out:
            res.add(f"Speaker analysis speed, {what} (one thread, best of 3)", f"{out[key]:,.0f} sentences/s",
                    f"≥ {SPEAKER_BUDGET:,.0f} sentences/s", out[key] >= SPEAKER_BUDGET)
    res.add("Question parsing, slowest odd or hostile question (worst of 3)", f"{out['slowest_parse_s'] * 1000:.1f} ms",
            f"< {PARSE_BUDGET * 1000:.0f} ms", out["slowest_parse_s"] < PARSE_BUDGET)


def venv_size(res: Results) -> None:
    from retrieval.embed.onnx_export import export_folder, model_folder

    total = du_mb(Path(sys.prefix)) / 1000
    exports = export_folder(model_folder("sentence-transformers/all-MiniLM-L6-v2"))
    cached = du_mb(exports) / 1000 if exports.is_relative_to(sys.prefix) else 0.0
    onnx = sum(du_mb(Path(p)) for p in _package_dirs("onnxruntime", "onnx", "ml_dtypes", "flatbuffers")) / 1000
    res.add("Virtualenv size (files under .venv, dev tools included), without / with the ONNX exports cached "
            "beside the model", f"{total - cached:.2f} / {total:.2f} GB (onnxruntime + onnx add {onnx:.2f} GB)",
            "well under 2 GB", total < 1.9)


def _package_dirs(*names: str) -> list[str]:
    import importlib.util

    out = []
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            out.extend(spec.submodule_search_locations)
    return out


# --- report ----------------------------------------------------------------------------------------


def run_facts() -> dict[str, str]:
    """What the header says about the run: taken when it ends, saved with its results (rerender keeps them)."""
    return {"machine": machine(), "load": load_average(),
            "code": os.environ.get("BENCH_IN_SNAPSHOT") or "the working tree"}


def render(res: Results, started: str, seconds: float, facts: dict[str, str] | None = None) -> str:
    facts = facts or run_facts()
    lines = [
        "# Verbatim benchmark results",
        "",
        f"- Date: {started} (UTC); the whole run took {seconds / 60:.1f} min{' (QUICK mode)' if QUICK else ''}.",
        f"- Machine: {facts['machine']}.",
        f"- Load average at the end: {facts['load']} (the 2 cores are shared with other work: absolute times "
        "vary from run to run; ratios are taken within one run).",
        f"- Embedding backend: EMBEDDING_BACKEND={BACKEND}; ANN_EXACT_MAX default (50,000).",
        f"- Code measured: {facts['code']} (`make bench` measures a "
        "snapshot of the committed HEAD, so others' unfinished edits cannot change it; BENCH_TREE=work "
        "measures the working tree).",
        "",
        "## Targets",
        "",
        "| measure | value | target | verdict |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {m} | {v} | {t} | {k} |" for m, v, t, k in res.rows]
    lines += [
        "",
        "## Query latency and footprint by scale",
        "",
        "One question at a time through the bot's own service functions (`make_embedder`, `open_engine`, "
        "`Engine.ask` + `answer_text`): embedding, search, sentence selection and formatting. Cold start = "
        "process start to the first answer printed, in a new process started right after the build of that "
        "index (its writes flushed with `sync`): a cold process on a warm page cache (the index files just "
        "written are still in memory), not a start from disk; the 1M index had partly left the page cache by "
        "then (About this run, below). Warm = process start to the end of the "
        "engine's background warm-up (index files read into the page cache, people read); the latencies are "
        "measured after it, as in a running server (analysis below: the first seconds after a start on a "
        "dropped page cache). Recall@10 = the sentence vector index against exact search over the stored "
        "vectors, on the real question vectors.",
        "",
        "How each row's corpus was made (none is a corpus of that many distinct real sentences):",
        "",
        "- SQuAD dev: the 2,067 real paragraphs of SQuAD v1.1 dev, one file each; real `verbatim index`.",
        "- SQuAD ×N rewritten: N copies of every SQuAD dev paragraph; copy 0 is the original, the others "
        "have their digits shifted and every 7th word of 4+ letters swapped for another word of the same "
        "article (benchmarks/corpora.py `variant`): about N near-copies of each sentence; real `verbatim "
        "index` with real embeddings.",
        "- previous ×M altered, generated vectors: M copies of the previous corpus with digits shifted and the "
        "letters of every 5th word rotated (benchmarks/scale.py); the vectors are not embedded but generated "
        "from the stored vector of the sentence each copy was made from (cosine ≈ 0.97). About N×M near-copies "
        "of each SQuAD dev sentence, in tight clusters of vectors: likely easier for IVF recall and search "
        "than as many distinct sentences.",
        "",
        "| corpus | sentences | vector index | recall@10 | p50 ms | p95 ms | p99 ms | embedding p50 ms | "
        "cold start s | warm s | peak RSS MB (serve) | index on disk MB | build s | build peak RSS MB |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in res.scale:
        lines.append(
            f"| {r.label} | {r.sentences:,} | {r.ann} | {r.recall:.3f} | {r.p50:.1f} | {r.p95:.1f} | {r.p99:.1f} | "
            f"{r.embed_p50:.1f} | {r.cold:.2f} | {r.warm:.2f} | {r.rss:.0f} | {r.disk:.0f} | "
            f"{r.build:.0f} {r.build_note} | {r.build_rss:.0f} |"
        )
    if res.reqa:
        base = next((r for r in res.reqa if r[0] == "torch"), res.reqa[0])
        lines += ["", "## Embedding backends: quality (ReQA SQuAD, dense) and speed", "",
                  "| backend | P@1 | MRR@10 | ΔP@1 vs torch | ΔMRR vs torch | questions/s |",
                  "| --- | --- | --- | --- | --- | --- |"]
        lines += [f"| {b} | {p:.2f} | {m:.2f} | {p - base[1]:+.2f} | {m - base[2]:+.2f} | {s:.0f} |"
                  for b, p, m, s in res.reqa]
    vectors = vectors_milvus.SAVED  # FAISS and Milvus side by side (python -m benchmarks.vectors_milvus --save)
    if vectors.is_file():
        lines += ["", vectors_milvus.markdown(json.loads(vectors.read_text(encoding="utf-8"))["runs"])]
    served = milvus_serve.SAVED  # serve memory and ask latency, FAISS and Milvus (python -m benchmarks.milvus_serve)
    if served.is_file():
        lines += ["", milvus_serve.markdown(json.loads(served.read_text(encoding="utf-8")))]
    lines += ["", "## Notes", ""] + [f"- {n}" for n in res.notes]
    analysis = OUT / "analysis.md"
    if analysis.is_file():
        lines += ["", analysis.read_text(encoding="utf-8").strip()]
    load = OUT / "LOAD.md"  # the bot under load (python -m benchmarks.load), one heading level down
    if load.is_file():
        text = load.read_text(encoding="utf-8").strip()
        lines += ["", "\n".join("#" + ln if ln.startswith("#") else ln for ln in text.splitlines())]
    lines += ["", "## Commands (each one process, timed from its start to its exit)", "", "```"]
    lines += res.commands
    lines += ["```", ""]
    return "\n".join(lines)


def save(res: Results, started: str, seconds: float, facts: dict[str, str]) -> None:
    from dataclasses import asdict

    data = {"started": started, "seconds": seconds, "facts": facts, "rows": res.rows,
            "scale": [asdict(r) for r in res.scale], "reqa": res.reqa, "notes": res.notes, "commands": res.commands}
    (OUT / "results.json").write_text(json.dumps(data, indent=1), encoding="utf-8")


def rerender() -> None:
    """BENCH_RENDER=1: write RESULTS.md again from the last run's results.json (e.g. after editing analysis.md)."""
    data = json.loads((OUT / "results.json").read_text(encoding="utf-8"))
    res = Results([tuple(r) for r in data["rows"]], [ScaleRow(**r) for r in data["scale"]],
                  [tuple(r) for r in data["reqa"]], data["notes"], data["commands"])
    RESULTS.write_text(render(res, data["started"], data["seconds"], data.get("facts")), encoding="utf-8")


def run_on_committed_head() -> None:
    """Re-run this benchmark on a snapshot of HEAD (``git archive``), unless BENCH_TREE=work or already there.
    Children then import that code (PYTHONPATH comes before the editable install's finder)."""
    if os.environ.get("BENCH_TREE") == "work" or os.environ.get("BENCH_IN_SNAPSHOT"):
        return
    import subprocess
    import tempfile

    src = Path(tempfile.mkdtemp(prefix="verbatim-bench-src-"))
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=True).stdout.strip()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "HEAD", "retrieval", "bot", "benchmarks", "corpus"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
    env = {**os.environ, "PYTHONPATH": str(src), "BENCH_IN_SNAPSHOT": f"commit {commit}",
           "BENCH_RESULTS_DIR": str(OUT)}
    os.chdir(src)
    os.execve(sys.executable, [sys.executable, "-m", "benchmarks.run"], env)


def main() -> None:
    if os.environ.get("BENCH_RENDER"):
        rerender()
        return
    run_on_committed_head()
    t_start = time.perf_counter()
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")
    if WORK.exists() and not SCALE_ONLY:
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True, exist_ok=True)
    res = Results()
    log(f"benchmark {'QUICK' if QUICK else 'full'}{' (scale rows only)' if SCALE_ONLY else ''} in {WORK}; "
        f"machine: {machine()}; load {load_average()}")
    squad = load_squad()
    if not SCALE_ONLY:
        export_cost(res)
        lang_speed(res)
        corpus, index, texts, full = throughput(squad, res)
        reqa(squad, index, texts, res)
        reindex_steps(corpus, index, res)
        ask_marginal(squad, corpus, index, res)
        serve_latency(squad, "SQuAD dev", corpus, index, res, full, "(real `verbatim index`)")

    big_corpus, big_index = WORK / "scale-100k", WORK / "scale-100k-index"
    write_files(big_corpus, variant_files(squad, PLAN.copies_100k, PLAN.squad_paragraphs))
    big = build(big_corpus, big_index, res, "scale build (real pipeline)")
    row = serve_latency(squad, f"SQuAD ×{PLAN.copies_100k} rewritten", big_corpus, big_index, res, big,
                        "(real `verbatim index`)")
    res.add(f"Bot cold start to first answer at {row.sentences:,} sentences ({PLAN.copies_100k} near-copies of each "
            "SQuAD dev paragraph; a new process right after the build, index files still in the page cache)",
            f"{row.cold:.2f} s (engine loaded at {row.loaded:.2f} s)", "≤ 10 s at 100k", row.cold <= 10)

    huge_corpus, huge_index = WORK / "scale-1m", WORK / "scale-1m-index"
    cmd = python("-m", "benchmarks.scale", str(big_index), str(huge_corpus), str(huge_index), str(PLAN.copies_1m))
    log(f"1M scale: {cmd_text(cmd)}")
    huge = run(cmd, bench_env(EMBEDDING_BACKEND=BACKEND), cwd=REPO)
    res.commands.append(cmd_text(cmd) + "   # generated vectors, segmentation reused (see scale.py)")
    row = serve_latency(squad, f"previous ×{PLAN.copies_1m} altered, generated vectors", huge_corpus,
                        huge_index, res, huge, "(generated vectors)")
    res.add(f"Query latency at {row.sentences:,} sentences (p50 / p99; ~{PLAN.copies_100k * PLAN.copies_1m} "
            "near-copies of each SQuAD dev sentence, generated vectors; after the engine's warm-up)",
            f"{row.p50:.1f} / {row.p99:.1f} ms (issue 5's older p50 ≤ 20 ms: {'met' if row.p50 <= 20 else 'missed'})",
            "p50 ≤ 60 ms (issue 11), p99 ≤ 60 ms", row.p50 <= 60 and row.p99 <= 60)
    recalls = [r.recall for r in res.scale if r.ann.startswith("ivf")]
    if recalls:
        res.add(f"ANN recall@10 vs exact, real questions (IVF rows: ~{PLAN.copies_100k} and "
                f"~{PLAN.copies_100k * PLAN.copies_1m} near-copies of each SQuAD dev sentence, which likely "
                "flatters recall)", " / ".join(f"{x:.3f}" for x in recalls), "≥ 0.95", min(recalls) >= 0.95)
    res.notes.append(
        "The largest row's vectors are generated (the issue allows it for the search part): each copy's sentence "
        "gets the stored vector of the sentence it was made from turned by a fixed random amount (cosine ≈ 0.97); "
        "its segmentation and speaker analysis are reused from the 100k index; scan, store, passages, ranking tables, "
        "IVF and publish are the real builder's. Its questions are real SQuAD questions embedded by the real model.")
    venv_size(res)

    seconds = time.perf_counter() - t_start
    facts = run_facts()
    report = render(res, started, seconds, facts)
    print("\n" + report)
    if (not QUICK or os.environ.get("BENCH_WRITE")) and not SCALE_ONLY:
        RESULTS.write_text(report, encoding="utf-8")
        save(res, started, seconds, facts)
        log(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
