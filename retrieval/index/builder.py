"""Building an index generation from the corpus folder, incrementally.

A build reads every article, compares content hashes with the live generation and:
- does nothing at all when no article was added, changed or removed (and says so);
- otherwise re-segments only new or changed articles and embeds only sentence texts that the live
  generation has no vector for (the embedding cache is the live generation, keyed by model and text
  hash), then writes and atomically publishes a complete new generation (see generations.py).

New vectors reach the embedding cache (embed/cache.py) while the build runs and whatever stops it
(embedding.py): an interrupted first build keeps what it embedded, and the next one embeds only the rest.
Each build also records the corpus files it saw, with their sizes and times, for the staleness hint of
``verbatim ask`` (freshness.py).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import pickle
import sqlite3
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from retrieval.embed.base import Embedder, embedder_backend, length_order
from retrieval.embed.cache import EmbeddingCache
from retrieval.errors import VerbatimError
from retrieval.index import milvus_index
from retrieval.index.attribution import Attribution, attribute, merge_people_json
from retrieval.index.embedding import EMBED_SLICE, embed_new
from retrieval.index.generations import (
    build_lock,
    current_generation,
    generation_name,
    new_workspace,
    no_empty_folder,
    publish,
)
from retrieval.index.milvus_index import MilvusTarget, check_target
from retrieval.vectors.base import VectorIndex
from retrieval.vectors.factory import build_vectors
from retrieval.vectors.faiss import DEFAULT_EXACT_MAX

if TYPE_CHECKING:
    from retrieval.vectors.milvus import GenerationBuild
from retrieval.corpus.scan import DEFAULT_MAX_BYTES, CorpusScan, require_corpus, scan_corpus
from retrieval.corpus.segment import SegmentationSettings, passage_windows, segment
from retrieval.index.freshness import CORPUS_INFO, refresh_file_times, scanned_files
from retrieval.index.layout import MANIFEST_NAME, PASSAGE_FAISS, SENTENCE_FAISS, STORE_NAME, VECTORS_NAME
from retrieval.index.manifest import FORMAT_VERSION, Manifest, mismatch, read_manifest
from retrieval.index.store import (
    FileStat,
    PassageRow,
    SentenceRow,
    StoreContents,
    read_sources_brief,
    read_store,
    text_hash,
    write_store,
)
from retrieval.index.tables import PerText, build_tables, per_text_tables, previous_per_text, save_tables
from retrieval.lang.en.speakers.version import ANALYSIS_VERSION
from retrieval.records import BuildProgress, BuildReport, Document, ProgressFn, SourceRow, Span

AnalyzeFn = Callable[[str, Sequence[Span]], Attribution]  # one article's speaker analysis (attribution.py)



@dataclass(frozen=True)
class _Previous:
    store: StoreContents
    vectors: np.ndarray
    per_text: PerText | None  # cues and duplicate keys per previous sentence (tables.py), when readable


def no_progress(_: BuildProgress) -> None:
    return None


def _load_previous(
    generation: Path, model: str, seg: SegmentationSettings, backend: str
) -> tuple[_Previous | None, str | None]:
    """The previous generation's data when it can be reused, else (None, why a full rebuild happens)."""
    try:
        manifest = read_manifest(generation)
    except VerbatimError as exc:
        return None, f"previous index unreadable: {exc}"
    reason = mismatch(manifest, model, seg, backend)
    if reason is not None:
        return None, f"previous index not reusable: {reason}"
    try:
        store = read_store(generation / STORE_NAME)
        vectors = np.load(generation / VECTORS_NAME, mmap_mode="r")
    except (OSError, ValueError, sqlite3.DatabaseError) as exc:
        return None, f"previous index unreadable ({exc.__class__.__name__}: {exc})"
    if vectors.shape[0] != len(store.sentences):
        return None, "previous index unreadable: vector and sentence counts differ"
    return _Previous(store, vectors, previous_per_text(generation, len(store.sentences))), None


def _is_noop(
    generation: Path | None, scan: CorpusScan, model: str, seg: SegmentationSettings, backend: str,
    vector_backend: str = "faiss",
) -> bool:
    if generation is None:
        return False
    try:
        manifest = read_manifest(generation)
        if mismatch(manifest, model, seg, backend) is not None or manifest.vectors != vector_backend:
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
    progress: ProgressFn = no_progress,
    analyze: AnalyzeFn = attribute,
    ann_exact_max: int = DEFAULT_EXACT_MAX,
    embedding_cache: bool = True,
    max_file_bytes: int = DEFAULT_MAX_BYTES,
    vector_backend: str = "faiss",
    milvus_target: MilvusTarget | None = None,
    embed_slice: int = EMBED_SLICE,
) -> BuildReport:
    """Bring the index in ``index_dir`` up to date with ``corpus_dir``. See the module docstring.

    Each new or changed article's sentences get their speaker analysis from ``analyze`` (the speakers,
    mentions and people of attribution.py). Vector search is exact up to ``ann_exact_max`` sentences,
    approximate (IVF) above. With
    ``embedding_cache`` vectors are also looked up in, and added to, the index's embedding cache, while
    they are made (``embed_slice`` texts per encode call).
    """
    started = time.perf_counter()
    backend = embedder_backend(embedder)
    if vector_backend == "milvus":
        if milvus_target is None:
            raise ValueError("VECTOR_BACKEND=milvus needs a MilvusTarget")
        check_target(milvus_target)  # a bad MILVUS_URI fails before any work
    require_corpus(corpus_dir)  # before the index folder is made: a wrong path leaves nothing behind
    with no_empty_folder(index_dir), build_lock(index_dir):
        progress(BuildProgress("reading", 0, 1))
        scan = scan_corpus(corpus_dir, max_file_bytes)
        files = scanned_files(corpus_dir, scan)
        progress(BuildProgress("reading", 1, 1))
        try:
            live = current_generation(index_dir)
        except VerbatimError:
            live = None
        if not rebuild and _is_noop(live, scan, embedder.name, segmentation, backend, vector_backend):
            assert live is not None
            refresh_file_times(live / STORE_NAME, files, corpus_dir)
            n_sentences = read_manifest(live).sentences
            return BuildReport(
                noop=True, added=(), changed=(), removed=(), skipped=scan.skipped, warnings=scan.warnings,
                sources=len(scan.documents), sentences=n_sentences, embedded=0, reused=n_sentences,
                seconds=time.perf_counter() - started, generation=live.name,
            )
        previous: _Previous | None = None
        why_full: str | None = "--rebuild asked for" if rebuild else None
        if live is not None and not rebuild:
            previous, why_full = _load_previous(live, embedder.name, segmentation, backend)
        cache = EmbeddingCache.open(index_dir, embedder.name, backend) if embedding_cache else None
        report = _build(
            scan, index_dir, embedder, segmentation, previous, progress, analyze,
            _Options(backend, ann_exact_max, cache, vector_backend, milvus_target, embed_slice),
            _Corpus(corpus_dir, files),
        )
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
class _Options:
    backend: str
    ann_exact_max: int
    cache: EmbeddingCache | None
    vectors: str = "faiss"  # VECTOR_BACKEND
    milvus: MilvusTarget | None = None  # where, when VECTOR_BACKEND=milvus
    embed_slice: int = EMBED_SLICE


@dataclass(frozen=True)
class _Corpus:
    folder: Path
    files: dict[str, FileStat]  # every file the scan saw, with its size and time


@dataclass(frozen=True)
class _Built:
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    sentences: int
    embedded: int
    reused: int
    generation: str


PARALLEL_MIN_CHARS = 400_000  # cut in worker processes when this much new text is to be segmented

@dataclass(frozen=True)
class Cut:
    """One article's sentences and their speaker analysis."""

    spans: list[Span]
    attribution: Attribution


def _cut(job: tuple[str, int, AnalyzeFn]) -> Cut:
    text, max_chars, analyze = job
    spans = segment(text, max_chars)
    return Cut(spans, analyze(text, spans))


def cut_all(
    docs: Sequence[Document],
    max_chars: int,
    analyze: AnalyzeFn = attribute,
    workers: int | None = None,
    tick: Callable[[int], None] | None = None,
) -> list[Cut]:
    """Sentences (and their speaker analysis) of each document; in worker processes when there is much text.

    ``analyze`` must then be a module-level function (it is sent to the workers by name); when it cannot
    be, the work is done here, serially.
    """
    workers = workers or min(os.cpu_count() or 1, 8)
    jobs = [(d.text, max_chars, analyze) for d in docs]
    much = sum(len(d.text) for d in docs) >= PARALLEL_MIN_CHARS
    parallel = workers >= 2 and len(docs) >= 2 * workers and much
    if parallel:
        try:
            pickle.dumps(analyze)
        except (pickle.PicklingError, AttributeError, TypeError):
            parallel = False
    out: list[Cut] = []
    if not parallel:
        for job in jobs:
            out.append(_cut(job))
            if tick is not None:
                tick(1)
        return out
    chunk = max(1, len(docs) // (workers * 16))
    context = multiprocessing.get_context("forkserver")
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for cut in pool.map(_cut, jobs, chunksize=chunk):
                out.append(cut)
                if tick is not None:
                    tick(1)
    except (BrokenProcessPool, OSError):  # e.g. a __main__ that cannot be re-imported by the workers
        return cut_all(docs, max_chars, analyze, workers=1, tick=None)
    return out


def _build(
    scan: CorpusScan,
    index_dir: Path,
    embedder: Embedder,
    seg: SegmentationSettings,
    previous: _Previous | None,
    progress: ProgressFn,
    analyze: AnalyzeFn,
    options: _Options,
    corpus: _Corpus,
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

    def unchanged(doc: Document) -> bool:
        # Same bytes and same text: a loader that now reads the same file differently (a library update)
        # must not leave the old sentence offsets pointing into the new text.
        old = prev_sources.get(doc.source)
        return old is not None and old.sha256 == doc.sha256 and old.text == doc.text

    fresh_docs = [d for d in scan.documents if not unchanged(d)]
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        progress(BuildProgress("segmenting", done, len(fresh_docs)))

    progress(BuildProgress("segmenting", 0, len(fresh_docs)))
    cuts = cut_all(fresh_docs, seg.max_sentence_chars, analyze, tick=tick)
    fresh_cuts = dict(zip((d.source for d in fresh_docs), cuts, strict=True))
    for doc in scan.documents:
        source_id = len(sources)
        old = prev_sources.get(doc.source)
        if old is not None and unchanged(doc):
            rows = prev_by_source.get(old.id, [])
            items = [(Span(r.start, r.end, r.line, r.paragraph), r.speaker, r.mentions) for r in rows]
            people = old.people
        else:
            (changed if old is not None else added).append(doc.source)
            cut = fresh_cuts[doc.source]
            a = cut.attribution
            items = list(zip(cut.spans, a.speakers, a.mentions, strict=True))
            people = a.people
        for span, speaker, mentioned in items:
            text = doc.text[span.start : span.end]
            texts.append(text)
            sentences.append(
                SentenceRow(len(sentences), source_id, span.start, span.end, span.line, span.paragraph,
                            text_hash(text), speaker, mentioned)
            )
        sources.append(SourceRow(source_id, doc.source, doc.sha256, doc.encoding, doc.text, len(items), people,
                                 doc.title, doc.url))
    removed = sorted(set(prev_sources) - {d.source for d in scan.documents})

    vectors, embedded, reused = _vectors_for(
        sentences, texts, embedder, previous, prev_vector_of, progress, options.cache, options.embed_slice
    )
    passages = _passages(sources, sentences, seg)

    progress(BuildProgress("tables", 0, 1))
    tables = build_tables(
        texts,
        np.fromiter((r.source_id for r in sentences), dtype=np.int64, count=len(sentences)),
        np.fromiter((r.paragraph for r in sentences), dtype=np.int64, count=len(sentences)),
        len(sources), vectors, options.ann_exact_max, _per_text_for(sentences, texts, previous, prev_vector_of),
    )
    progress(BuildProgress("tables", 1, 1))
    progress(BuildProgress("writing", 0, 1))
    workspace = new_workspace(index_dir)
    dimension = int(vectors.shape[1])
    write_store(workspace / STORE_NAME, sources, sentences, passages,
                {"built_at": _now(), CORPUS_INFO: str(corpus.folder.resolve())},
                merge_people_json(s.people for s in sources), corpus.files)
    save_tables(workspace, tables)
    np.save(workspace / VECTORS_NAME, vectors)
    milvus_build: GenerationBuild | None = None
    sentence_index: VectorIndex
    if options.vectors == "milvus":
        assert options.milvus is not None
        milvus_build = milvus_index.begin(options.milvus, generation_name(workspace), dimension, options.ann_exact_max)
        sentence_index, passage_index = _write_milvus(
            milvus_build, sources, sentences, texts, vectors, passages, tables.dup_key, tables.document_vectors
        )
    else:
        sentence_index = build_vectors(options.vectors, vectors, options.ann_exact_max, dimension)
        passage_index = build_vectors(
            options.vectors, passage_vectors(vectors, passages), options.ann_exact_max, dimension
        )
    del tables
    sentence_index.save(workspace / SENTENCE_FAISS)
    passage_index.save(workspace / PASSAGE_FAISS)
    del passage_index
    manifest = Manifest(
        format_version=FORMAT_VERSION,
        model=embedder.name,
        dimension=dimension,
        segmentation=seg,
        sentences=len(sentences),
        sources=len(sources),
        built_at=_now(),
        backend=options.backend,
        ann=sentence_index.kind,
        vectors=options.vectors,
        analysis=ANALYSIS_VERSION,
    )
    (workspace / MANIFEST_NAME).write_text(manifest.to_json(), encoding="utf-8")
    generation = _publish(index_dir, workspace, milvus_build)
    progress(BuildProgress("writing", 1, 1))
    return _Built(
        tuple(added), tuple(changed), tuple(removed), len(sentences), embedded, reused, generation.name
    )


def _write_milvus(
    build: GenerationBuild, sources: Sequence[SourceRow], sentences: Sequence[SentenceRow], texts: Sequence[str],
    vectors: np.ndarray, passages: Sequence[PassageRow], dup_keys: np.ndarray, document_vectors: np.ndarray,
) -> tuple[VectorIndex, VectorIndex]:
    """The generation's rows into its new Milvus collections, sealed (a failure drops them)."""
    try:
        return milvus_index.write(build, milvus_index.GenerationRows(
            sources, sentences, texts, vectors, dup_keys, passages, passage_vectors(vectors, passages),
            document_vectors,
        ))
    except BaseException:
        build.abort()
        raise


def _publish(index_dir: Path, workspace: Path, milvus_build: GenerationBuild | None) -> Path:
    """Publish the generation folder; with Milvus, then move its aliases. Until the folder is published a
    failure drops the new collections; after it, they are what CURRENT names and stay."""
    try:
        generation = publish(index_dir, workspace)
    except BaseException:
        if milvus_build is not None:
            milvus_build.abort()
        raise
    if milvus_build is not None:
        from retrieval.vectors.milvus import MilvusBackendError

        try:
            milvus_build.publish()
        except MilvusBackendError as exc:
            raise MilvusBackendError(
                f"index generation {generation.name} is published and serves, but its Milvus aliases were not "
                f"moved to it ({exc}); run `verbatim index --rebuild` when Milvus is back"
            ) from exc
    return generation


def _vectors_for(
    sentences: list[SentenceRow],
    texts: list[str],
    embedder: Embedder,
    previous: _Previous | None,
    prev_vector_of: dict[str, int],
    progress: ProgressFn,
    cache: EmbeddingCache | None = None,
    embed_slice: int = EMBED_SLICE,
) -> tuple[np.ndarray, int, int]:
    """A vector per sentence, by text hash: from the previous generation, else the embedding cache, else
    embedded (once per distinct text). New vectors, and any live ones the cache lacks, go into the cache."""
    to_embed: dict[str, int] = {}  # text hash -> index of a sentence with that text
    for row in sentences:
        if row.text_hash not in prev_vector_of and row.text_hash not in to_embed:
            to_embed[row.text_hash] = row.id
    cached_row: dict[str, int] = {}
    cached = np.zeros((0, 0), dtype=np.float32)
    if cache is not None and to_embed and len(cache):
        wanted = list(to_embed)
        dim_guess = int(previous.vectors.shape[1]) if previous is not None and len(previous.vectors) else None
        dim_guess = dim_guess or cache.dimension
        if dim_guess:
            found, cached = cache.get(wanted, dim_guess)
            cached_row = {h: i for i, h in enumerate(wanted) if found[i]}
            for h in cached_row:
                del to_embed[h]
    keys = list(to_embed)
    hashes = [keys[i] for i in length_order([texts[to_embed[h]] for h in keys])]
    fresh = embed_new([texts[to_embed[h]] for h in hashes], hashes, embedder, progress, cache, embed_slice)
    if previous is not None and len(previous.vectors):
        dimension = int(previous.vectors.shape[1])
    elif fresh is not None:
        dimension = int(fresh.shape[1])
    elif cached.size:
        dimension = int(cached.shape[1])
    else:
        dimension = embedder.dimension
    if fresh is not None and fresh.shape[1] != dimension:
        raise VerbatimError("the model returned vectors of another dimension than the index; use --rebuild")
    out = np.empty((len(sentences), dimension), dtype=np.float32)
    fresh_row = {h: i for i, h in enumerate(hashes)}
    from_fresh: tuple[list[int], list[int]] = ([], [])
    from_cache: tuple[list[int], list[int]] = ([], [])
    from_prev: tuple[list[int], list[int]] = ([], [])
    for row in sentences:
        j = fresh_row.get(row.text_hash)
        if j is not None:
            from_fresh[0].append(row.id)
            from_fresh[1].append(j)
        elif row.text_hash in prev_vector_of:
            from_prev[0].append(row.id)
            from_prev[1].append(prev_vector_of[row.text_hash])
        else:
            from_cache[0].append(row.id)
            from_cache[1].append(cached_row[row.text_hash])
    if fresh is not None:
        out[from_fresh[0]] = fresh[from_fresh[1]]
    if from_prev[0]:
        assert previous is not None
        out[from_prev[0]] = previous.vectors[from_prev[1]]
    if from_cache[0]:
        out[from_cache[0]] = cached[from_cache[1]]
    if cache is not None:
        first_of: dict[str, int] = {}
        for row in sentences:
            first_of.setdefault(row.text_hash, row.id)
        missing = [h for h in first_of if h not in cache]
        cache.put(missing, out[[first_of[h] for h in missing]])
        cache.compact(first_of)
    return out, len(hashes), len(sentences) - len(from_fresh[0])


def _per_text_for(
    sentences: list[SentenceRow], texts: list[str], previous: _Previous | None, prev_row_of: dict[str, int]
) -> PerText:
    """Cues and duplicate keys per sentence: the previous generation's for a text it had, made for new text."""
    cues = np.zeros((len(sentences), 4), dtype=np.float32)
    keys = np.zeros(len(sentences), dtype=np.uint64)
    prev = previous.per_text if previous is not None else None
    old: tuple[list[int], list[int]] = ([], [])
    new: list[int] = []
    for row in sentences:
        j = prev_row_of.get(row.text_hash) if prev is not None else None
        if j is None:
            new.append(row.id)
        else:
            old[0].append(row.id)
            old[1].append(j)
    if old[0]:
        assert prev is not None
        cues[old[0]] = prev.cues[old[1]]
        keys[old[0]] = prev.dup_key[old[1]]
    if new:
        fresh = per_text_tables([texts[i] for i in new])
        cues[new] = fresh.cues
        keys[new] = fresh.dup_key
    return PerText(cues, keys)


def _passages(
    sources: list[SourceRow], sentences: list[SentenceRow], seg: SegmentationSettings
) -> list[PassageRow]:
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
    cums = np.vstack(
        [np.zeros((1, dimension), dtype=np.float64), np.cumsum(vectors, axis=0, dtype=np.float64)]
    )
    firsts = np.fromiter((p.first_sentence for p in passages), dtype=np.int64)
    lasts = np.fromiter((p.last_sentence for p in passages), dtype=np.int64)
    sums = cums[lasts + 1] - cums[firsts]
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out[:] = sums / norms
    return out


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
