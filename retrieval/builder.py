"""Building an index generation from the corpus folder, incrementally.

A build reads every article, compares content hashes with the live generation and:
- does nothing at all when no article was added, changed or removed (and says so);
- otherwise re-segments only new or changed articles and embeds only sentence texts that the live
  generation has no vector for (the embedding cache is the live generation, keyed by model and text
  hash), then writes and atomically publishes a complete new generation (see generations.py).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.ann import VectorIndex
from retrieval.embedder import Embedder
from retrieval.errors import VerbatimError
from retrieval.generations import build_lock, current_generation, new_workspace, publish
from retrieval.ingest import CorpusScan, Skipped, scan_corpus
from retrieval.lexical import LexicalIndex
from retrieval.manifest import FORMAT_VERSION, MANIFEST_NAME, Manifest, mismatch, read_manifest
from retrieval.records import Document, Span
from retrieval.segment import SegmentationSettings, passage_windows, segment
from retrieval.store import (
    PassageRow,
    SentenceRow,
    SourceRow,
    StoreContents,
    read_sources_brief,
    read_store,
    text_hash,
    write_store,
)

SpeakerFn = Callable[[str, Sequence[Span]], list[str | None]]

STORE_NAME = "store.sqlite"
VECTORS_NAME = "vectors.npy"
SENTENCE_FAISS = "sentences.faiss"
PASSAGE_FAISS = "passages.faiss"
SENTENCE_BM25 = "bm25-sentences"
PASSAGE_BM25 = "bm25-passages"


@dataclass(frozen=True)
class BuildProgress:
    phase: str  # "reading", "segmenting", "embedding", "writing"
    done: int
    total: int


@dataclass(frozen=True)
class BuildReport:
    noop: bool
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    skipped: tuple[Skipped, ...]
    warnings: tuple[str, ...]
    sources: int
    sentences: int
    embedded: int  # sentence texts sent to the model
    reused: int  # sentence vectors taken from the previous generation
    seconds: float
    generation: str | None  # folder name of the live generation after the build
    full_rebuild_reason: str | None = None


@dataclass(frozen=True)
class _Previous:
    store: StoreContents
    vectors: np.ndarray


ProgressFn = Callable[[BuildProgress], None]


def _no_progress(_: BuildProgress) -> None:
    return None


def _load_previous(generation: Path, model: str, seg: SegmentationSettings) -> tuple[_Previous | None, str | None]:
    """The previous generation's data when it can be reused, else (None, why a full rebuild happens)."""
    try:
        manifest = read_manifest(generation)
    except VerbatimError as exc:
        return None, f"previous index unreadable: {exc}"
    reason = mismatch(manifest, model, seg)
    if reason is not None:
        return None, f"previous index not reusable: {reason}"
    try:
        store = read_store(generation / STORE_NAME)
        vectors = np.load(generation / VECTORS_NAME, mmap_mode="r")
    except (OSError, ValueError, sqlite3.DatabaseError) as exc:
        return None, f"previous index unreadable ({exc.__class__.__name__}: {exc})"
    if vectors.shape[0] != len(store.sentences):
        return None, "previous index unreadable: vector and sentence counts differ"
    return _Previous(store, vectors), None


def _is_noop(generation: Path | None, scan: CorpusScan, model: str, seg: SegmentationSettings) -> bool:
    if generation is None:
        return False
    try:
        manifest = read_manifest(generation)
        if mismatch(manifest, model, seg) is not None:
            return False
        brief = read_sources_brief(generation / STORE_NAME)
    except (VerbatimError, sqlite3.DatabaseError, OSError):
        return False
    return brief == {d.source: d.sha256 for d in scan.documents}


def build_index(
    corpus_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    segmentation: SegmentationSettings,
    *,
    rebuild: bool = False,
    progress: ProgressFn = _no_progress,
    speakers: SpeakerFn | None = None,
) -> BuildReport:
    """Bring the index in ``index_dir`` up to date with ``corpus_dir``. See the module docstring."""
    started = time.perf_counter()
    with build_lock(index_dir):
        progress(BuildProgress("reading", 0, 1))
        scan = scan_corpus(corpus_dir)
        progress(BuildProgress("reading", 1, 1))
        try:
            live = current_generation(index_dir)
        except VerbatimError:
            live = None
        if not rebuild and _is_noop(live, scan, embedder.name, segmentation):
            assert live is not None
            n_sentences = read_manifest(live).sentences
            return BuildReport(
                noop=True, added=(), changed=(), removed=(), skipped=scan.skipped, warnings=scan.warnings,
                sources=len(scan.documents), sentences=n_sentences, embedded=0, reused=n_sentences,
                seconds=time.perf_counter() - started, generation=live.name,
            )
        previous, why_full = (None, "--rebuild asked for") if rebuild else (None, None)
        if live is not None and not rebuild:
            previous, why_full = _load_previous(live, embedder.name, segmentation)
        report = _build(scan, index_dir, embedder, segmentation, previous, progress, speakers)
        return BuildReport(
            noop=False,
            added=report.added,
            changed=report.changed,
            removed=report.removed,
            skipped=scan.skipped,
            warnings=scan.warnings,
            sources=len(scan.documents),
            sentences=report.sentences,
            embedded=report.embedded,
            reused=report.reused,
            seconds=time.perf_counter() - started,
            generation=report.generation,
            full_rebuild_reason=why_full if live is not None else None,
        )


@dataclass(frozen=True)
class _Built:
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    sentences: int
    embedded: int
    reused: int
    generation: str


def _sentences_of(doc: Document, seg: SegmentationSettings, speakers: SpeakerFn | None) -> list[tuple[Span, str | None]]:
    spans = segment(doc.text, seg.max_sentence_chars)
    who: list[str | None] = speakers(doc.text, spans) if speakers is not None else [None] * len(spans)
    return list(zip(spans, who, strict=True))


def _build(
    scan: CorpusScan,
    index_dir: Path,
    embedder: Embedder,
    seg: SegmentationSettings,
    previous: _Previous | None,
    progress: ProgressFn,
    speakers: SpeakerFn | None,
) -> _Built:
    prev_sources = {s.source: s for s in previous.store.sources} if previous else {}
    prev_by_source: dict[int, list[SentenceRow]] = {}
    prev_vector_of: dict[str, int] = {}
    if previous is not None:
        for row in previous.store.sentences:
            prev_by_source.setdefault(row.source_id, []).append(row)
            prev_vector_of.setdefault(row.text_hash, row.id)

    sources: list[SourceRow] = []
    sentences: list[SentenceRow] = []
    texts: list[str] = []
    added: list[str] = []
    changed: list[str] = []
    total_docs = len(scan.documents)
    for doc_no, doc in enumerate(scan.documents):
        source_id = len(sources)
        old = prev_sources.get(doc.source)
        if old is not None and old.sha256 == doc.sha256:
            items = [
                (Span(r.start, r.end, r.line, r.paragraph), r.speaker) for r in prev_by_source.get(old.id, [])
            ]
        else:
            (changed if old is not None else added).append(doc.source)
            items = _sentences_of(doc, seg, speakers)
        for span, speaker in items:
            text = doc.text[span.start : span.end]
            texts.append(text)
            sentences.append(
                SentenceRow(len(sentences), source_id, span.start, span.end, span.line, span.paragraph,
                            text_hash(text), speaker)
            )
        sources.append(SourceRow(source_id, doc.source, doc.sha256, doc.encoding, doc.text, len(items)))
        progress(BuildProgress("segmenting", doc_no + 1, total_docs))
    removed = sorted(set(prev_sources) - {d.source for d in scan.documents})

    vectors, embedded, reused = _vectors_for(sentences, texts, embedder, previous, prev_vector_of, progress)
    passages = _passages(sources, sentences, seg)

    progress(BuildProgress("writing", 0, 1))
    workspace = new_workspace(index_dir)
    dimension = int(vectors.shape[1])
    write_store(workspace / STORE_NAME, sources, sentences, passages, {"built_at": _now()})
    np.save(workspace / VECTORS_NAME, vectors)
    sentence_index = VectorIndex(dimension)
    sentence_index.index(vectors)
    sentence_index.save(workspace / SENTENCE_FAISS)
    passage_index = VectorIndex(dimension)
    passage_index.index(passage_vectors(vectors, passages))
    passage_index.save(workspace / PASSAGE_FAISS)
    LexicalIndex.build(texts).save(workspace / SENTENCE_BM25)
    LexicalIndex.build(
        [sources[p.source_id].text[sentences[p.first_sentence].start : sentences[p.last_sentence].end] for p in passages]
    ).save(workspace / PASSAGE_BM25)
    manifest = Manifest(
        format_version=FORMAT_VERSION,
        model=embedder.name,
        dimension=dimension,
        segmentation=seg,
        sentences=len(sentences),
        sources=len(sources),
        built_at=_now(),
    )
    (workspace / MANIFEST_NAME).write_text(manifest.to_json(), encoding="utf-8")
    generation = publish(index_dir, workspace)
    progress(BuildProgress("writing", 1, 1))
    return _Built(tuple(added), tuple(changed), tuple(removed), len(sentences), embedded, reused, generation.name)


def _vectors_for(
    sentences: list[SentenceRow],
    texts: list[str],
    embedder: Embedder,
    previous: _Previous | None,
    prev_vector_of: dict[str, int],
    progress: ProgressFn,
) -> tuple[np.ndarray, int, int]:
    """A vector per sentence: reused from the previous generation by text hash, else embedded (once per text)."""
    to_embed: dict[str, int] = {}  # text hash -> index of a sentence with that text
    for row in sentences:
        if row.text_hash not in prev_vector_of and row.text_hash not in to_embed:
            to_embed[row.text_hash] = row.id
    hashes = list(to_embed)
    done = 0
    total = len(hashes)

    def tick(n: int) -> None:
        nonlocal done
        done += n
        progress(BuildProgress("embedding", done, total))

    progress(BuildProgress("embedding", 0, total))
    fresh = embedder.encode([texts[to_embed[h]] for h in hashes], progress=tick) if hashes else None
    if previous is not None and len(previous.vectors):
        dimension = int(previous.vectors.shape[1])
    elif fresh is not None:
        dimension = int(fresh.shape[1])
    else:
        dimension = embedder.dimension
    if fresh is not None and fresh.shape[1] != dimension:
        raise VerbatimError("the model returned vectors of another dimension than the index; use --rebuild")
    out = np.empty((len(sentences), dimension), dtype=np.float32)
    fresh_row = {h: i for i, h in enumerate(hashes)}
    reused = 0
    for row in sentences:
        j = fresh_row.get(row.text_hash)
        if j is not None and fresh is not None:
            out[row.id] = fresh[j]
        else:
            assert previous is not None
            out[row.id] = previous.vectors[prev_vector_of[row.text_hash]]
            reused += 1
    return out, len(hashes), reused


def _passages(sources: list[SourceRow], sentences: list[SentenceRow], seg: SegmentationSettings) -> list[PassageRow]:
    first_of: dict[int, int] = {}
    for row in sentences:
        first_of.setdefault(row.source_id, row.id)
    out: list[PassageRow] = []
    for src in sources:
        base = first_of.get(src.id)
        if base is None:
            continue
        for first, last in passage_windows(src.n_sentences, seg.passage_sentences, seg.passage_stride):
            out.append(PassageRow(len(out), src.id, base + first, base + last))
    return out


def passage_vectors(vectors: np.ndarray, passages: Sequence[PassageRow]) -> np.ndarray:
    """A passage's vector: the L2-normalised mean of its sentences' vectors."""
    dimension = vectors.shape[1] if vectors.ndim == 2 else 0
    out = np.zeros((len(passages), dimension), dtype=np.float32)
    if not len(passages):
        return out
    cums = np.vstack([np.zeros((1, dimension), dtype=np.float64), np.cumsum(vectors, axis=0, dtype=np.float64)])
    firsts = np.fromiter((p.first_sentence for p in passages), dtype=np.int64)
    lasts = np.fromiter((p.last_sentence for p in passages), dtype=np.int64)
    sums = cums[lasts + 1] - cums[firsts]
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out[:] = sums / norms
    return out


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
