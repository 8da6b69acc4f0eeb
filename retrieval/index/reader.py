"""Loading the live index generation for answering, with every check a reader needs.

``load_index`` resolves CURRENT once, checks the manifest against the settings (refusing an index built
with another model, format or segmentation), and loads every file. Any missing or damaged file becomes an
IndexCorruptError that names the file and the fix; no traceback, and never a half-loaded index.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.vectors.base import VectorIndex, rows_of, window_means
from retrieval.vectors.factory import load_vectors
from retrieval.index.layout import (
    PASSAGE_FAISS,
    SENTENCE_FAISS,
    STORE_NAME,
    VECTORS_NAME,
    index_command,
    shown_dir,
)
from retrieval.errors import IndexCorruptError, IndexMismatchError, IndexMissingError, VerbatimError
from retrieval.index.generations import current_generation
from retrieval.index.manifest import Manifest, check_compatible, read_manifest
from retrieval.records import Citation, Sentence
from retrieval.corpus.segment import SegmentationSettings
from retrieval.index.store import read_columns, read_people
from retrieval.records import SourceRow
from retrieval.index.tables import IndexTables, TablesError, load_tables


@dataclass(frozen=True)
class IndexData:
    """Everything answering needs, in memory (vectors memory-mapped)."""

    folder: Path
    manifest: Manifest
    built_at: str
    sources: tuple[SourceRow, ...]
    # per sentence, aligned with vector rows
    sent_source: np.ndarray
    sent_start: np.ndarray
    sent_end: np.ndarray
    sent_line: np.ndarray
    sent_paragraph: np.ndarray
    speakers: tuple[str | None, ...]
    mentions: tuple[str, ...]  # JSON per sentence (attribution.py)
    vectors: np.ndarray
    # per passage
    pass_first: np.ndarray
    pass_last: np.ndarray
    sentence_index: VectorIndex
    passage_index: VectorIndex
    tables: IndexTables

    @property
    def n_sentences(self) -> int:
        return len(self.sent_start)

    def text(self, sentence_id: int) -> str:
        src = self.sources[int(self.sent_source[sentence_id])]
        return src.text[int(self.sent_start[sentence_id]) : int(self.sent_end[sentence_id])]

    def sentence(self, sentence_id: int) -> Sentence:
        i = int(sentence_id)
        return Sentence(
            id=i,
            source=self.sources[int(self.sent_source[i])].source,
            start=int(self.sent_start[i]),
            end=int(self.sent_end[i]),
            line=int(self.sent_line[i]),
            paragraph=int(self.sent_paragraph[i]),
            text=self.text(i),
        )

    def people(self) -> dict[str, str]:
        """The corpus's people (key -> JSON), read from the store on demand (see attribution.py)."""
        path = self.folder / STORE_NAME
        try:
            return read_people(path)
        except (OSError, sqlite3.DatabaseError) as exc:
            raise _corrupt(path, exc) from exc

    def citation(self, first: int, last: int) -> Citation:
        """The citation of consecutive sentences first..last of one source."""
        src = self.sources[int(self.sent_source[first])]
        return Citation(
            src.source, int(self.sent_start[first]), int(self.sent_end[last]), int(self.sent_line[first]),
            src.title, src.url,
        )


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
    vector_backend: str | None = None, milvus_uri: str | None = None,
) -> IndexData:
    """Load the live generation; ``backend`` (when given) must be the embedding backend it was built with.
    ``vector_backend`` (VECTOR_BACKEND, when given): an index whose vectors are in Milvus is refused without it, and
    with it one whose vectors are not; ``milvus_uri``: where Milvus is (default: where it was built)."""
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
            f"{wanted}; rebuild it with {index_command(index_dir, rebuild=True)}, or set VECTOR_BACKEND={manifest.vectors}"
        )

    path = generation / STORE_NAME
    try:
        if not path.is_file():
            raise FileNotFoundError("no such file")
        store = read_columns(path)
    except (OSError, sqlite3.DatabaseError, ValueError) as exc:
        raise _corrupt(path, exc) from exc

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
    sentence_index.attach_exact(rows_of(vectors))
    passage_index.attach_exact(window_means(vectors, store.pass_first, store.pass_last))

    n = store.n_sentences
    checks = {
        VECTORS_NAME: vectors.shape == (n, manifest.dimension),
        SENTENCE_FAISS: sentence_index.count == n,
        PASSAGE_FAISS: passage_index.count == len(store.pass_first),
        STORE_NAME: manifest.sentences == n and manifest.sources == len(store.sources),
    }
    for name, ok in checks.items():
        if not ok:
            raise _corrupt(generation / name, ValueError("its size does not match the rest of the index"))
    try:
        tables = load_tables(generation, store.sent_source, store.sent_paragraph, len(store.sources),
                             manifest.dimension)
    except TablesError as exc:
        raise _corrupt(exc.path, exc) from exc

    return IndexData(
        folder=generation,
        manifest=manifest,
        built_at=store.info.get("built_at", manifest.built_at),
        sources=store.sources,
        sent_source=store.sent_source,
        sent_start=store.sent_start,
        sent_end=store.sent_end,
        sent_line=store.sent_line,
        sent_paragraph=store.sent_paragraph,
        speakers=store.speakers,
        mentions=store.mentions,
        vectors=vectors,
        pass_first=store.pass_first,
        pass_last=store.pass_last,
        sentence_index=sentence_index,
        passage_index=passage_index,
        tables=tables,
    )
