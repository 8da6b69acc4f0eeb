"""Loading the live index generation for answering, with every check a reader needs.

``load_index`` resolves CURRENT once, checks the manifest against the settings (refusing an index built
with another model, format or segmentation), and loads every file. Any missing or damaged file becomes an
IndexCorruptError that names the file and the fix; no traceback, and never a half-loaded index.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

import numpy as np

from retrieval.corpus.segment import SegmentationSettings
from retrieval.errors import IndexCorruptError, IndexMismatchError, IndexMissingError, VerbatimError
from retrieval.index.fields import DEFAULT_CACHE_SENTENCES, LocalSentences, Sentences
from retrieval.index.generations import current_generation
from retrieval.index.layout import (
    DOCUMENT_FAISS,
    PASSAGE_FAISS,
    SENTENCE_FAISS,
    STORE_NAME,
    TABLES_DIR,
    VECTORS_NAME,
    index_command,
    shown_dir,
)
from retrieval.index.manifest import Manifest, check_compatible, read_manifest
from retrieval.index.store import StoreColumns, StoreLayout, read_columns, read_layout, read_people
from retrieval.index.tables import IndexTables, TablesError, load_tables
from retrieval.records import Citation, Sentence, SourceRow
from retrieval.vectors.base import VectorIndex, rows_of, window_means
from retrieval.vectors.factory import load_vectors

if TYPE_CHECKING:
    from retrieval.vectors.milvus import MilvusVectorIndex


@dataclass(frozen=True)
class IndexData:
    """Everything answering needs. Per-sentence fields and vectors are read through ``sentences``: held by the
    process (LocalSentences: the store's columns, vectors memory-mapped) or fetched from Milvus by id through
    bounded caches (MilvusSentences, VECTOR_BACKEND=milvus)."""

    folder: Path
    manifest: Manifest
    built_at: str
    sources: tuple[SourceRow, ...]  # with VECTOR_BACKEND=milvus without their text (article() reads it)
    sent_source: np.ndarray  # per sentence, aligned with vector rows: its source number
    # per passage
    pass_first: np.ndarray
    pass_last: np.ndarray
    sentence_index: VectorIndex
    passage_index: VectorIndex
    tables: IndexTables
    sentences: Sentences

    @property
    def n_sentences(self) -> int:
        return len(self.sent_source)

    def text(self, sentence_id: int) -> str:
        return self.sentences.text(sentence_id)

    def speaker(self, sentence_id: int) -> str | None:
        return self.sentences.info(sentence_id).speaker

    def article(self, source_no: int) -> str:
        """The indexed text of a source."""
        return self.sentences.article(source_no)

    def vectors_of(self, ids: np.ndarray) -> np.ndarray:
        """The sentence vectors of ``ids`` (float32, normalised), in the order asked."""
        return self.sentences.vectors(ids)

    def sentence(self, sentence_id: int) -> Sentence:
        i = int(sentence_id)
        s = self.sentences.info(i)
        return Sentence(id=i, source=self.sources[s.source_no].source, start=s.start, end=s.end, line=s.line,
                        paragraph=s.paragraph, text=s.text)

    def people(self) -> dict[str, str]:
        """The corpus's people (key -> JSON), read from the store on demand (see attribution.py)."""
        path = self.folder / STORE_NAME
        try:
            return read_people(path)
        except (OSError, sqlite3.DatabaseError) as exc:
            raise _corrupt(path, exc) from exc

    def citation(self, first: int, last: int) -> Citation:
        """The citation of consecutive sentences first..last of one source."""
        a, b = self.sentences.infos([first, last])
        src = self.sources[a.source_no]
        return Citation(src.source, a.start, b.end, a.line, src.title, src.url)

    def columns(self) -> StoreColumns:
        """Every sentence's columns and every article's text at once: for evaluation and benchmarks, never
        for answering (with VECTOR_BACKEND=milvus they are read from the store here, not held)."""
        if isinstance(self.sentences, LocalSentences):
            return self.sentences.columns
        path = self.folder / STORE_NAME
        try:
            return read_columns(path)
        except (OSError, sqlite3.DatabaseError, ValueError) as exc:
            raise _corrupt(path, exc) from exc

    def _local(self) -> LocalSentences:
        if not isinstance(self.sentences, LocalSentences):
            raise ValueError("with VECTOR_BACKEND=milvus the sentences are in Milvus: use columns() or sentences")
        return self.sentences

    # The whole columns, for tests and benchmarks of the local backends.
    @property
    def sent_start(self) -> np.ndarray:
        return self._local().columns.sent_start

    @property
    def sent_end(self) -> np.ndarray:
        return self._local().columns.sent_end

    @property
    def sent_line(self) -> np.ndarray:
        return self._local().columns.sent_line

    @property
    def sent_paragraph(self) -> np.ndarray:
        return self._local().columns.sent_paragraph

    @property
    def speakers(self) -> tuple[str | None, ...]:
        return self._local().columns.speakers

    @property
    def mentions(self) -> tuple[str, ...]:
        return self._local().columns.mentions

    @property
    def vectors(self) -> np.ndarray:
        return self._local().vectors_array


def _corrupt(path: Path, exc: BaseException) -> IndexCorruptError:
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    # index files lie in INDEX_DIR/gen-*/ (or a folder below it)
    where = next((p.parent for p in path.parents if p.name.startswith("gen-")), path.parent)
    return IndexCorruptError(
        f"index file {path} is missing or damaged ({detail[:200]}). "
        f"Rebuild the index with {index_command(where, rebuild=True)}."
    )


def load_index(
    index_dir: Path, model: str, segmentation: SegmentationSettings, *, backend: str | None = None,
    vector_backend: str | None = None, milvus_uri: str | None = None, cache_sentences: int = DEFAULT_CACHE_SENTENCES,
) -> IndexData:
    """Load the live generation; ``backend`` (when given) must be the embedding backend it was built with.
    ``vector_backend`` (VECTOR_BACKEND, when given): an index whose vectors are in Milvus is refused without it, and
    with it one whose vectors are not; ``milvus_uri``: where Milvus is (default: where it was built);
    ``cache_sentences`` (MILVUS_CACHE_SENTENCES): how many sentences a Milvus reader keeps."""
    generation = current_generation(index_dir)
    if generation is None:
        raise IndexMissingError(
            f"there is no index in {shown_dir(index_dir)} yet. Build it with {index_command(index_dir)}."
        )
    manifest = read_manifest(generation)
    check_compatible(manifest, model, segmentation, index_dir, backend)
    wanted = vector_backend
    if wanted is not None and "milvus" in (wanted, manifest.vectors) and wanted != manifest.vectors:
        raise IndexMismatchError(
            f"the index in {index_dir} was built with VECTOR_BACKEND={manifest.vectors}, but VECTOR_BACKEND is "
            f"{wanted}; rebuild it with {index_command(index_dir, rebuild=True)}, "
            f"or set VECTOR_BACKEND={manifest.vectors}"
        )
    in_milvus = manifest.vectors == "milvus"

    path = generation / STORE_NAME
    try:
        if not path.is_file():
            raise FileNotFoundError("no such file")
        # With Milvus the sentences' fields and the articles stay out of memory: only the layout is read.
        store: StoreColumns | StoreLayout = read_layout(path) if in_milvus else read_columns(path)
    except (OSError, sqlite3.DatabaseError, ValueError) as exc:
        raise _corrupt(path, exc) from exc

    vectors: np.ndarray | None = None
    if not in_milvus:
        path = generation / VECTORS_NAME
        try:
            vectors = np.load(path, mmap_mode="r")
        except (OSError, ValueError) as exc:
            raise _corrupt(path, exc) from exc
    loaded: dict[str, VectorIndex] = {}
    for name in (SENTENCE_FAISS, PASSAGE_FAISS):
        path = generation / name
        try:
            if not path.exists():
                raise FileNotFoundError("no such file")
            loaded[name] = load_vectors(manifest.vectors, path, uri=milvus_uri)
        except VerbatimError:  # Milvus cannot serve it: its own message says why and what to do
            raise
        except Exception as exc:  # faiss raises RuntimeError: a damaged file
            raise _corrupt(path, exc) from exc
    sentence_index, passage_index = loaded[SENTENCE_FAISS], loaded[PASSAGE_FAISS]

    n = len(store.sent_source)
    checks = {
        SENTENCE_FAISS: sentence_index.count == n,
        PASSAGE_FAISS: passage_index.count == len(store.pass_first),
        STORE_NAME: manifest.sentences == n and manifest.sources == len(store.sources),
    }
    if vectors is not None:
        checks[VECTORS_NAME] = vectors.shape == (n, manifest.dimension)
    for name, ok in checks.items():
        if not ok:
            raise _corrupt(generation / name, ValueError("its size does not match the rest of the index"))
    try:
        tables = load_tables(generation, store.sent_source, store.sent_paragraph, len(store.sources),
                             manifest.dimension, vectors_elsewhere=in_milvus)
    except TablesError as exc:
        raise _corrupt(exc.path, exc) from exc

    sentences: Sentences
    if isinstance(store, StoreColumns) and vectors is not None:
        sentence_index.attach_exact(rows_of(vectors))
        passage_index.attach_exact(window_means(vectors, store.pass_first, store.pass_last))
        sentences = LocalSentences(store, vectors)
    else:
        from retrieval.index.milvus_fields import MilvusContext, MilvusSentences  # pymilvus only for Milvus

        collection = cast("MilvusVectorIndex", sentence_index)
        remote = MilvusSentences(collection, store.sources, tables.document_of, generation / STORE_NAME,
                                 cache_sentences)
        documents = collection.sibling("documents", len(store.sources))
        # Documents are searched where FAISS would have searched them (the build wrote an index: more than
        # ANN_EXACT_MAX), and wherever they are more than the cache holds; below, every one is scored, as FAISS.
        searched = (generation / TABLES_DIR / DOCUMENT_FAISS).exists() or len(store.sources) > cache_sentences
        tables = tables.with_remote_vectors(
            MilvusContext(remote, documents, tables.paragraph_of, cache_sentences), documents if searched else None
        )
        sentences = remote

    return IndexData(
        folder=generation,
        manifest=manifest,
        built_at=store.info.get("built_at", manifest.built_at),
        sources=store.sources,
        sent_source=store.sent_source,
        pass_first=store.pass_first,
        pass_last=store.pass_last,
        sentence_index=sentence_index,
        passage_index=passage_index,
        tables=tables,
        sentences=sentences,
    )
