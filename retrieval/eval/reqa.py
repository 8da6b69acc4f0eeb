"""ReQA SQuAD: sentence-level retrieval measured through the normal pipeline.

Every SQuAD dev paragraph becomes one source file (``aNN/pNNN.txt`` in a corpus folder); the whole dev set
is indexed with ``build_index`` and every question is asked through ``Engine.ask``. The gold answer of a
question is the sentence that contains the start of one of its answers (any of them). Scores:

- P@1: the first result is a gold sentence;
- MRR@10: mean of 1/rank of the first gold sentence within the first 10 results (0 when none);
- R@5: a gold sentence is among the first 5.

"dense" ranks every sentence by cosine alone, "bm25" by the persisted BM25 alone, "pipeline" is
``Engine.ask(question, k=10)``. Articles are split in two halves: the first 24 are the only ones any
weight or threshold was tuned on; the last 24 are held out. Pure helpers here; the CLI prints the table.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.embed.base import Embedder
from retrieval.eval.lexical import LexicalIndex
from retrieval.index.reader import IndexData
from retrieval.index.store import StoreColumns
from retrieval.records import Citation
from retrieval.search.engine import Engine
from retrieval.search.rerank import FUSED_FEATURES
from retrieval.search.scoring import top_indices
from retrieval.settings import Settings

TUNING_ARTICLES = 24
CUTOFF = 10


@dataclass(frozen=True)
class ReqaQuestion:
    qid: str
    question: str
    article: int  # 0-based article number in the dev file
    source: str  # the paragraph's file, relative to the corpus folder
    answer_starts: tuple[int, ...]


@dataclass(frozen=True)
class ReqaSet:
    paragraphs: tuple[tuple[str, str], ...]  # (source, text)
    questions: tuple[ReqaQuestion, ...]
    n_articles: int


def source_name(article: int, paragraph: int) -> str:
    return f"a{article:02d}/p{paragraph:03d}.txt"


def load_squad(path: Path) -> ReqaSet:
    """The SQuAD v1.1 file as paragraphs (one source each) and questions with their answer offsets."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    paragraphs: list[tuple[str, str]] = []
    questions: list[ReqaQuestion] = []
    for a_no, article in enumerate(data):
        for p_no, para in enumerate(article["paragraphs"]):
            source = source_name(a_no, p_no)
            paragraphs.append((source, para["context"]))
            for qa in para["qas"]:
                starts = tuple(sorted({int(ans["answer_start"]) for ans in qa["answers"]}))
                questions.append(ReqaQuestion(qa["id"], qa["question"], a_no, source, starts))
    return ReqaSet(tuple(paragraphs), tuple(questions), len(data))


def write_corpus(reqa: ReqaSet, folder: Path) -> None:
    """Each paragraph as a UTF-8 file under ``folder`` (its text exactly, so offsets match)."""
    for source, text in reqa.paragraphs:
        path = folder / source
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


def sentence_ranges(index: IndexData) -> dict[str, tuple[int, int]]:
    """source -> (first sentence id, last sentence id + 1)."""
    out: dict[str, tuple[int, int]] = {}
    src = np.asarray(index.sent_source)
    for s_no, row in enumerate(index.sources):
        ids = np.flatnonzero(src == s_no)
        if len(ids):
            out[row.source] = (int(ids[0]), int(ids[-1]) + 1)
    return out


def gold_sentences(
    index: IndexData | StoreColumns, first: int, stop: int, answer_starts: Iterable[int]
) -> frozenset[int]:
    """Sentences first..stop-1 of one source that contain an answer start (or the next one after a gap)."""
    gold: set[int] = set()
    for a in answer_starts:
        for sid in range(first, stop):
            if a < int(index.sent_end[sid]):
                gold.add(sid)
                break
    return frozenset(gold)


def first_hit(ranked: Sequence[frozenset[int]], gold: frozenset[int]) -> int | None:
    """1-based rank of the first result that holds a gold sentence, or None."""
    for rank, ids in enumerate(ranked, 1):
        if ids & gold:
            return rank
    return None


@dataclass(frozen=True)
class Metrics:
    n: int
    p_at_1: float
    mrr_at_10: float
    r_at_5: float


def metrics(ranks: Sequence[int | None]) -> Metrics:
    n = len(ranks)
    if n == 0:
        return Metrics(0, 0.0, 0.0, 0.0)
    p1 = sum(1 for r in ranks if r == 1) / n
    mrr = sum(1.0 / r for r in ranks if r is not None and r <= CUTOFF) / n
    r5 = sum(1 for r in ranks if r is not None and r <= 5) / n
    return Metrics(n, p1, mrr, r5)


def citation_sentences(
    index: IndexData | StoreColumns, ranges: dict[str, tuple[int, int]], c: Citation
) -> frozenset[int]:
    """The sentence ids a citation covers."""
    first, stop = ranges[c.source]
    return frozenset(
        sid for sid in range(first, stop) if int(index.sent_start[sid]) >= c.start and int(index.sent_end[sid]) <= c.end
    )


@dataclass(frozen=True)
class MethodRanks:
    method: str
    ranks: tuple[int | None, ...]  # aligned with the questions


@dataclass(frozen=True)
class ReqaReport:
    questions: tuple[ReqaQuestion, ...]
    methods: tuple[MethodRanks, ...]
    n_sentences: int
    n_sources: int
    index_seconds: float
    query_ms: tuple[float, ...]  # Engine.ask latency per question, encode included
    n_articles: int
    backend: str = ""  # the embedding backend (torch, onnx, onnx-int8)

    def table(self) -> list[tuple[str, str, Metrics]]:
        """(split, method, metrics) rows: first half (tuning), second half (held out), all."""
        half = TUNING_ARTICLES
        splits: list[tuple[str, Callable[[ReqaQuestion], bool]]] = [
            (f"first {half} (tuning)", lambda q: q.article < half),
            (f"last {self.n_articles - half} (held out)", lambda q: q.article >= half),
            (f"all {self.n_articles}", lambda q: True),
        ]
        rows: list[tuple[str, str, Metrics]] = []
        for name, keep in splits:
            mask = [keep(q) for q in self.questions]
            for m in self.methods:
                rows.append((name, m.method, metrics([r for r, k in zip(m.ranks, mask, strict=True) if k])))
        return rows


def format_report(report: ReqaReport, command: str) -> str:
    lines = [
        "| Split | Method | Questions | P@1 | MRR@10 | R@5 |",
        "|---|---|---|---|---|---|",
    ]
    for split, method, m in report.table():
        lines.append(f"| {split} | {method} | {m.n} | {m.p_at_1:.3f} | {m.mrr_at_10:.3f} | {m.r_at_5:.3f} |")
    ms = sorted(report.query_ms)
    p50 = statistics.median(ms) if ms else 0.0
    p95 = ms[int(0.95 * (len(ms) - 1))] if ms else 0.0
    qps = 1000.0 * len(ms) / sum(ms) if ms and sum(ms) > 0 else 0.0
    lines += [
        "",
        f"Index: {report.n_sources} paragraphs, {report.n_sentences} sentences in {report.index_seconds:.1f} s "
        f"({report.n_sentences / max(report.index_seconds, 1e-9):.0f} sentences/s).",
        f"Queries (Engine.ask, k=10, question embedding included): p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
        f"{qps:.0f} questions/s, {len(ms)} questions.",
        f"Model backend: {report.backend or 'n/a'}. Machine: {platform.machine()}, "
        f"{platform.processor() or platform.system()}, {os.cpu_count()} cores, Python {platform.python_version()}. "
        f"Date: {time.strftime('%Y-%m-%d')}. Command: {command}",
    ]
    return "\n".join(lines)


def rank_questions(
    index: IndexData,
    engine: Engine,
    embedder: Embedder,
    questions: Sequence[ReqaQuestion],
    progress: Callable[[int], None] | None = None,
) -> tuple[tuple[MethodRanks, ...], tuple[float, ...]]:
    """Ranks of the gold sentence for dense alone, BM25 alone and the pipeline; pipeline latencies."""
    ranges = sentence_ranges(index)
    cols = index.columns()  # every sentence's offsets and text at once (a Milvus reader does not hold them)
    golds = [gold_sentences(cols, *ranges[q.source], q.answer_starts) for q in questions]
    vectors = embedder.encode([q.question for q in questions])
    spans = zip(cols.sent_source.tolist(), cols.sent_start.tolist(), cols.sent_end.tolist(), strict=True)
    texts = [cols.sources[s].text[a:b] for s, a, b in spans]
    bm25 = LexicalIndex.build(texts)  # the plain-BM25 baseline
    dense: list[int | None] = []
    lexical: list[int | None] = []
    pipeline: list[int | None] = []
    latency: list[float] = []
    for i, (q, gold) in enumerate(zip(questions, golds, strict=True)):
        _, d_ids = index.sentence_index.search(vectors[i], CUTOFF)
        dense.append(first_hit([frozenset({int(s)}) for s in d_ids[0] if s >= 0], gold))
        lex = bm25.scores(q.question)
        top = top_indices(lex, CUTOFF)
        lexical.append(first_hit([frozenset({int(s)}) for s in top if lex[s] > 0], gold))
        started = time.perf_counter()
        answer = engine.ask(q.question, k=CUTOFF)
        latency.append((time.perf_counter() - started) * 1000.0)
        results = [
            frozenset().union(*(citation_sentences(cols, ranges, c) for c in quote.citations))
            for quote in answer.quotes
        ]
        pipeline.append(first_hit(results, gold))
        if progress is not None:
            progress(1)
    methods = (
        MethodRanks("dense alone", tuple(dense)),
        MethodRanks("BM25 alone", tuple(lexical)),
        MethodRanks("Verbatim pipeline", tuple(pipeline)),
    )
    return methods, tuple(latency)


def run_reqa(
    path: Path,
    settings: Settings,
    workdir: Path,
    progress: Callable[[int], None] | None = None,
    max_questions: int | None = None,
) -> ReqaReport:
    """Index every paragraph of the SQuAD file under ``workdir`` with the normal build, then rank every
    question (or the first ``max_questions``, spread over all articles) through the normal Engine."""
    from retrieval.search.service import make_embedder, open_engine, reindex

    reqa = load_squad(path)
    corpus = workdir / "corpus"
    write_corpus(reqa, corpus)
    local = settings.model_copy(update={"corpus_dir": corpus, "index_dir": workdir / "index"})
    embedder = make_embedder(local)
    embedder.encode(["warm up"])  # model loading is not indexing
    started = time.perf_counter()
    reindex(local, embedder, rebuild=True)
    index_seconds = time.perf_counter() - started
    engine = open_engine(local, embedder)
    questions = reqa.questions
    if max_questions is not None and max_questions < len(questions):
        step = len(questions) / max_questions
        questions = tuple(questions[int(i * step)] for i in range(max_questions))
    methods, latency = rank_questions(engine.index, engine, embedder, questions, progress)
    return ReqaReport(questions, methods, engine.index.n_sentences, len(engine.index.sources), index_seconds,
                      latency, reqa.n_articles, local.embedding_backend)


def dump_features(
    path: Path, settings: Settings, workdir: Path, out: Path, articles: range, *, fused: bool = False,
    exclude: Collection[str] = (),
) -> int:
    """Candidate features and gold labels of the questions of ``articles``, for ``retrieval.eval.calibrate``.

    Uses an index built by ``run_reqa`` in ``workdir`` (or builds one). With ``fused``, the rows are the fused
    ranker's (search/rerank.py: the first stage's features and score and the cross-encoder's); questions in
    ``exclude`` (the cross-encoder's own training questions, whose scores it knows too well) are left out.
    Returns the number of questions.
    """
    from retrieval.search.service import make_embedder, open_engine, reindex

    reqa = load_squad(path)
    local = settings.model_copy(update={"corpus_dir": workdir / "corpus", "index_dir": workdir / "index"})
    if not (workdir / "corpus").is_dir():
        write_corpus(reqa, workdir / "corpus")
    embedder = make_embedder(local)
    reindex(local, embedder)
    engine = fused_engine(open_engine(local, embedder)) if fused else open_engine(local, embedder)
    ranges = sentence_ranges(engine.index)
    left_out = frozenset(exclude)
    questions = [q for q in reqa.questions if q.article in articles and q.question not in left_out]
    vectors = embedder.encode([q.question for q in questions])
    rows = [feature_rows(engine, q.question, vec, fused) for q, vec in zip(questions, vectors, strict=True)]
    golds = [gold_sentences(engine.index, *ranges[q.source], q.answer_starts) for q in questions]
    save_dump(out, [(x, np.isin(ids, sorted(g))) for (ids, x), g in zip(rows, golds, strict=True)])
    return len(questions)


def fused_engine(engine: Engine) -> Engine:
    """The engine with the cross-encoder on and a fused ranker that ranks as the first stage does: for
    collecting the fused features before a fused ranker is fitted."""
    from dataclasses import replace

    from retrieval.search.rerank import FIRST_STAGE_ONLY

    return Engine(engine.index, engine.embedder, replace(engine.config, fused_ranker=FIRST_STAGE_ONLY))


def feature_rows(engine: Engine, question: str, vector: np.ndarray, fused: bool) -> tuple[np.ndarray, np.ndarray]:
    """(candidate ids, feature rows) of one question: the first stage's rows, or the fused ranker's."""
    scored = engine.score(question, vector)
    rows = scored.fused if fused else scored.candidates.features
    if rows is None and len(scored.candidates.ids):
        raise ValueError("no fused features: the reranker model file is missing")
    return scored.candidates.ids, rows if rows is not None else np.zeros((0, len(FUSED_FEATURES)))


def save_dump(out: Path, groups: Sequence[tuple[np.ndarray, np.ndarray]]) -> None:
    """(feature rows, gold flags) per question, as the .npz that ``retrieval.eval.calibrate`` reads."""
    bounds = np.cumsum([0] + [len(g) for _, g in groups])
    features = np.vstack([x.astype(np.float32) for x, _ in groups]) if groups else np.zeros((0, 0), np.float32)
    gold = np.concatenate([g for _, g in groups]) if groups else np.zeros(0, bool)
    np.savez(out, features=features, gold=gold, bounds=bounds)
