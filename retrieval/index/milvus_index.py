"""Writing an index generation into Milvus (VECTOR_BACKEND=milvus), for the builder.

The generation's collections (retrieval/vectors/milvus.py) get what answering reads: sentences with their
vector, text (BM25), source, offsets, line, paragraph, speaker and near-duplicate key; passages with their
vector and sentence range; documents with their vector and source. The build is sealed (every row in, indexed,
loaded, checked) before the generation folder is published, and the aliases move only after it is: a failure
anywhere before drops the new collections, and what was published stays as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from retrieval.index.store import PassageRow, SentenceRow
from retrieval.records import SourceRow

if TYPE_CHECKING:  # pymilvus takes about a second to import: only builds for VECTOR_BACKEND=milvus pay it
    from retrieval.vectors.milvus import GenerationBuild, MilvusVectorIndex

DEFAULT_PREFIX = "verbatim"  # = retrieval.vectors.milvus.DEFAULT_PREFIX (checked by its tests)


@dataclass(frozen=True)
class MilvusTarget:
    uri: str  # MILVUS_URI (Settings.vector_uri)
    prefix: str = DEFAULT_PREFIX


def check_target(target: MilvusTarget) -> None:
    """Fail before any work when Milvus cannot be reached (MilvusBackendError, one line with the fix)."""
    from retrieval.vectors import milvus

    milvus.connect(target.uri)


def begin(target: MilvusTarget, generation: str, dimension: int, exact_max: int) -> GenerationBuild:
    """New collections for ``generation`` (the generation folder's name); use as a context manager."""
    from retrieval.vectors import milvus

    client = milvus.connect(target.uri)
    return milvus.GenerationBuild(client, target.uri, generation, dimension, prefix=target.prefix, exact_max=exact_max)


@dataclass(frozen=True)
class GenerationRows:
    sources: Sequence[SourceRow]
    sentences: Sequence[SentenceRow]
    texts: Sequence[str]
    vectors: np.ndarray  # per sentence
    dup_keys: np.ndarray  # per sentence (tables.dup_key)
    passages: Sequence[PassageRow]
    passage_vectors: np.ndarray
    document_vectors: np.ndarray  # per source


BATCH = 10_000  # sentences turned into rows at a time (GenerationBuild.add inserts them in smaller batches)


def write(build: GenerationBuild, rows: GenerationRows) -> tuple[MilvusVectorIndex, MilvusVectorIndex]:
    """Insert every row and seal the build; the sentence and passage indexes, whose ``save`` writes the
    generation folder's reference files."""
    from retrieval.vectors import milvus

    names = [s.source for s in rows.sources]
    n = len(rows.sentences)
    for lo in range(0, n, BATCH):
        part = rows.sentences[lo : lo + BATCH]
        build.add("sentences", milvus.SentenceRows(
            ids=np.fromiter((r.id for r in part), dtype=np.int64, count=len(part)),
            vectors=np.asarray(rows.vectors[lo : lo + len(part)], dtype=np.float32),
            texts=rows.texts[lo : lo + len(part)],
            sources=[names[r.source_id] for r in part],
            start=np.fromiter((r.start for r in part), dtype=np.int64, count=len(part)),
            end=np.fromiter((r.end for r in part), dtype=np.int64, count=len(part)),
            line=np.fromiter((r.line for r in part), dtype=np.int64, count=len(part)),
            paragraph=np.fromiter((r.paragraph for r in part), dtype=np.int64, count=len(part)),
            speakers=[r.speaker for r in part],
            dup_keys=np.asarray(rows.dup_keys[lo : lo + len(part)], dtype=np.uint64),
            mentions=[r.mentions for r in part],
        ))
    for lo in range(0, len(rows.passages), BATCH):
        chunk = rows.passages[lo : lo + BATCH]
        build.add("passages", milvus.PassageRows(
            ids=np.fromiter((p.id for p in chunk), dtype=np.int64, count=len(chunk)),
            vectors=np.asarray(rows.passage_vectors[lo : lo + len(chunk)], dtype=np.float32),
            first=np.fromiter((p.first_sentence for p in chunk), dtype=np.int64, count=len(chunk)),
            last=np.fromiter((p.last_sentence for p in chunk), dtype=np.int64, count=len(chunk)),
        ))
    if len(names):
        build.add("documents", milvus.DocumentRows(
            ids=np.arange(len(names), dtype=np.int64),
            vectors=np.asarray(rows.document_vectors, dtype=np.float32), sources=names,
        ))
    sealed = build.seal()
    return sealed["sentences"], sealed["passages"]

