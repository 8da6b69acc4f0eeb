"""Training data for the cross-encoder reranker: one group per question, split by article.

Sources (both public; neither is copied into the repository, both are read by path):

- **ReQA SQuAD v1.1 dev, first 24 articles only** (CC BY-SA 4.0). The last 24 are ReQA's held-out half:
  only the first 24 articles are indexed here, so no sentence of a held-out article can enter a group.
- **The Wikinews development set, train split only** (CC BY 2.5; benchmarks/devset). Its dev and test splits
  are never read here.

A group is a question, its gold sentences (positives) and negatives: Verbatim's own best candidates that are
not gold (hard negatives, from ``Engine.score`` over the same articles) and a few random sentences of the
gold's article. Every sentence goes in as the reranker reads it at answering time (``search.rerank.passage_of``:
with its speaker label and, for a quotation, its neighbour).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from retrieval.eval.gold_text import occurrences
from retrieval.eval.questionset import DevQuestion, question_from_json, read_jsonl
from retrieval.eval.reqa import (
    TUNING_ARTICLES,
    ReqaSet,
    feature_rows,
    fused_engine,
    gold_sentences,
    load_squad,
    save_dump,
    sentence_ranges,
    write_corpus,
)
from retrieval.index.reader import IndexData
from retrieval.search.engine import Engine
from retrieval.search.rerank import passage_of
from retrieval.search.scoring import top_indices
from retrieval.search.service import make_embedder, open_engine, reindex
from retrieval.settings import Settings


@dataclass(frozen=True)
class Group:
    question: str
    positives: tuple[str, ...]
    negatives: tuple[str, ...]  # hard ones first, then the random ones
    article: str  # "squad:aNN" or "wikinews:<file>": what the split is by
    n_hard: int


@dataclass(frozen=True)
class Mining:
    hard: int = 6  # best-ranked non-gold candidates per question
    random: int = 2  # random sentences of the gold's article
    seed: int = 0


def squad_articles(source: str) -> str:
    return "squad:" + source.split("/", 1)[0]


def _engine(corpus: Path, work: Path) -> Engine:
    settings = Settings(corpus_dir=corpus, index_dir=work)
    embedder = make_embedder(settings)
    reindex(settings, embedder)
    return open_engine(settings, embedder)


def _source_ids(index: IndexData) -> dict[str, np.ndarray]:
    return {src: np.arange(a, b) for src, (a, b) in sentence_ranges(index).items()}


def mine(
    engine: Engine, question: str, gold: frozenset[int], pool: np.ndarray, article: str, m: Mining, rng: random.Random
) -> Group | None:
    """A group for one question: ``pool`` holds the sentences random negatives are drawn from."""
    if not gold:
        return None
    index = engine.index
    scored = engine.score(question, engine.embedder.encode([question])[0])
    order = top_indices(scored.scores, len(scored.scores))
    hard = [int(scored.candidates.ids[i]) for i in order if int(scored.candidates.ids[i]) not in gold][: m.hard]
    rest = [int(s) for s in pool.tolist() if int(s) not in gold and int(s) not in hard]
    randoms = rng.sample(rest, min(m.random, len(rest)))
    return Group(
        question,
        tuple(passage_of(index, s) for s in sorted(gold)),
        tuple(passage_of(index, s) for s in hard + randoms),
        article,
        len(hard),
    )


def squad_groups(squad: Path, work: Path, m: Mining, progress: Callable[[int], None] | None = None) -> list[Group]:
    """Groups for the questions of SQuAD dev's first ``TUNING_ARTICLES`` articles, over an index of those
    articles alone."""
    reqa = load_squad(squad)
    train = [(s, t) for s, t in reqa.paragraphs if int(s[1:3]) < TUNING_ARTICLES]
    corpus = work / "corpus"
    if not corpus.is_dir():
        write_corpus(ReqaSet(tuple(train), (), TUNING_ARTICLES), corpus)
    engine = _engine(corpus, work / "index")
    ranges = sentence_ranges(engine.index)
    by_article: dict[str, list[np.ndarray]] = {}
    for src, (a, b) in ranges.items():
        by_article.setdefault(squad_articles(src), []).append(np.arange(a, b))
    pools = {k: np.concatenate(v) for k, v in by_article.items()}
    rng = random.Random(m.seed)
    out: list[Group] = []
    for q in reqa.questions:
        if q.article >= TUNING_ARTICLES:
            continue
        gold = gold_sentences(engine.index, *ranges[q.source], q.answer_starts)
        g = mine(engine, q.question, gold, pools[squad_articles(q.source)], squad_articles(q.source), m, rng)
        if g is not None:
            out.append(g)
        if progress is not None:
            progress(1)
    return out


def gold_ids(index: IndexData, ids: np.ndarray, text: str, gold_text: str) -> set[int]:
    """The sentences among ``ids`` (one source, file text ``text``) that overlap a place the gold text stands."""
    spans = occurrences(text, gold_text)
    return {
        int(s) for s in ids.tolist()
        if any(sp.start < int(index.sent_end[s]) and int(index.sent_start[s]) < sp.end for sp in spans)
    }


def question_gold(index: IndexData, ids_of: dict[str, np.ndarray], q: DevQuestion) -> frozenset[int]:
    """The index's sentences that hold one of a development-set question's gold sentences."""
    texts = {row.source: row.text for row in index.sources}
    gold: set[int] = set()
    for g in q.gold:
        if g.source in ids_of:
            gold |= gold_ids(index, ids_of[g.source], texts[g.source], g.text)
    return frozenset(gold)


def devset_groups(questions: Path, corpus: Path, work: Path, m: Mining) -> list[Group]:
    """Groups for the answerable questions of one Wikinews split (the train split: see the module doc)."""
    engine = _engine(corpus, work)
    index = engine.index
    ids_of = _source_ids(index)
    rng = random.Random(m.seed)
    out: list[Group] = []
    for row in read_jsonl(questions):
        q = question_from_json(row)
        if q.unanswerable:
            continue
        gold = question_gold(index, ids_of, q)
        source = q.gold[0].source if q.gold else ""
        group = mine(engine, q.question, gold, ids_of.get(source, np.zeros(0, dtype=np.int64)),
                     "wikinews:" + source, m, rng)
        if group is not None:
            out.append(group)
    return out


def devset_dump(questions: Path, corpus: Path, work: Path, out: Path, *, fused: bool = False) -> int:
    """The ranker's feature dump (``reqa.save_dump``) for the answerable questions of one Wikinews split, for
    ``retrieval.eval.calibrate`` beside the SQuAD one (the train split only: see the module doc)."""
    engine = _engine(corpus, work)
    if fused:
        engine = fused_engine(engine)
    index = engine.index
    ids_of = _source_ids(index)
    groups: list[tuple[np.ndarray, np.ndarray]] = []
    for row in read_jsonl(questions):
        q = question_from_json(row)
        if q.unanswerable:
            continue
        gold = question_gold(index, ids_of, q)
        ids, x = feature_rows(engine, q.question, engine.embedder.encode([q.question])[0], fused)
        groups.append((x, np.isin(ids, sorted(gold))))
    save_dump(out, groups)
    return len(groups)


def write_groups(groups: Iterable[Group], path: Path) -> None:
    path.write_text("".join(json.dumps(asdict(g), ensure_ascii=False) + "\n" for g in groups), encoding="utf-8")


def read_groups(path: Path) -> list[Group]:
    out: list[Group] = []
    for d in read_jsonl(path):
        out.append(Group(d["question"], tuple(d["positives"]), tuple(d["negatives"]), d["article"], int(d["n_hard"])))
    return out


def articles_of(groups: Sequence[Group]) -> frozenset[str]:
    return frozenset(g.article for g in groups)
