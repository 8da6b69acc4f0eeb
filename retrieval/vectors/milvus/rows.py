"""What a generation's collections hold: the rows written per role, their schemas and index types."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from retrieval.vectors.milvus.client import (
    HNSW_MIN_EF,
    MENTIONS_MAX,
    NAME_MAX,
    SPEAKER_MAX,
    TEXT_MAX,
    DataType,
    Function,
    FunctionType,
    MilvusClient,
)

# --- what a collection holds --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentenceRows:
    """Consecutive sentences: their ids, vectors, and the fields answering reads. Arrays of one length."""

    ids: np.ndarray  # int64
    vectors: np.ndarray  # float32 (n, dimension), L2-normalised
    texts: Sequence[str]
    sources: Sequence[str]
    start: np.ndarray
    end: np.ndarray
    line: np.ndarray
    paragraph: np.ndarray
    speakers: Sequence[str | None]
    dup_keys: np.ndarray  # uint64 (retrieval/lang/en/dedupe.py); stored as the int64 of the same bits
    mentions: Sequence[str] | None = None  # JSON per sentence (retrieval/index/attribution.py); None: "[]"

    def rows(self) -> list[dict[str, Any]]:
        keys = np.asarray(self.dup_keys, dtype=np.uint64).view(np.int64)
        return [
            {
                "id": int(self.ids[i]),
                "vector": self.vectors[i].tolist(),
                "text": fit(self.texts[i], TEXT_MAX),
                "source": self.sources[i],
                "start": int(self.start[i]),
                "end": int(self.end[i]),
                "line": int(self.line[i]),
                "paragraph": int(self.paragraph[i]),
                "speaker": self.speakers[i] or "",
                "dup_key": int(keys[i]),
                "mentions": fit_whole(self.mentions[i] if self.mentions is not None else "[]", MENTIONS_MAX),
            }
            for i in range(len(self.ids))
        ]


@dataclass(frozen=True)
class PassageRows:
    ids: np.ndarray
    vectors: np.ndarray
    first: np.ndarray  # first and last sentence id of each passage
    last: np.ndarray

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"id": int(self.ids[i]), "vector": self.vectors[i].tolist(), "first": int(self.first[i]),
             "last": int(self.last[i])}
            for i in range(len(self.ids))
        ]


@dataclass(frozen=True)
class DocumentRows:
    ids: np.ndarray
    vectors: np.ndarray
    sources: Sequence[str]

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"id": int(self.ids[i]), "vector": self.vectors[i].tolist(), "source": self.sources[i]}
            for i in range(len(self.ids))
        ]


@dataclass(frozen=True)
class SentenceRecord:
    """A sentence as stored in Milvus (``MilvusGeneration.sentences``)."""

    id: int
    text: str
    source: str
    start: int
    end: int
    line: int
    paragraph: int
    speaker: str | None
    dup_key: int  # as uint64
    mentions: str | None = "[]"  # JSON; None where it was too long for the field (read it from the store)


SENTENCE_FIELDS: Final = ("text", "source", "start", "end", "line", "paragraph", "speaker", "dup_key", "mentions")
Rows = SentenceRows | PassageRows | DocumentRows
ROWS: Final[Mapping[str, type]] = {"sentences": SentenceRows, "passages": PassageRows, "documents": DocumentRows}


def fit(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes (VARCHAR lengths are bytes). Only the BM25 field is cut:
    quotes are cut from the source text by offsets, never from this copy."""
    raw = text.encode("utf-8")
    return text if len(raw) <= limit else raw[:limit].decode("utf-8", errors="ignore")


def fit_whole(text: str, limit: int) -> str:
    """``text`` when it fits ``limit`` UTF-8 bytes, else "" (JSON must not be cut: the reader then reads the
    store's copy)."""
    return text if len(text.encode("utf-8")) <= limit else ""


def schema(role: str, dimension: int, bm25: bool) -> Any:
    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("id", DataType.INT64, is_primary=True)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dimension)
    if role == "sentences":
        # The standard analyzer (lower-cased words): the only one Milvus Lite has; a server has "english" too.
        schema.add_field("text", DataType.VARCHAR, max_length=TEXT_MAX, enable_analyzer=bm25)
        schema.add_field("source", DataType.VARCHAR, max_length=NAME_MAX)
        for name in ("start", "end"):
            schema.add_field(name, DataType.INT64)
        for name in ("line", "paragraph"):
            schema.add_field(name, DataType.INT32)
        # "" for no speaker: nullable fields are not in every Milvus (the C++ Milvus Lite 2.5 refuses them)
        schema.add_field("speaker", DataType.VARCHAR, max_length=SPEAKER_MAX)
        schema.add_field("dup_key", DataType.INT64)
        schema.add_field("mentions", DataType.VARCHAR, max_length=MENTIONS_MAX)
        if bm25:
            schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
            schema.add_function(
                Function(name="text_bm25", function_type=FunctionType.BM25, input_field_names=["text"],
                         output_field_names=["sparse"])
            )
    elif role == "passages":
        schema.add_field("first", DataType.INT64)
        schema.add_field("last", DataType.INT64)
    else:
        schema.add_field("source", DataType.VARCHAR, max_length=NAME_MAX)
    return schema


def index_type_for(count: int, exact_max: int) -> str:
    """FLAT (exact) up to ``exact_max`` vectors, as the FAISS backend; HNSW above: a graph whose hits are
    scored with the float vectors, so scores stay exact, and no calibration is needed (Milvus Lite and a
    server both have it; on a cluster, IVF_SQ8 or DISKANN trade memory for recall, docs/SCALE.md)."""
    return "FLAT" if count <= exact_max else "HNSW"


def search_params(index_type: str, k: int) -> dict[str, Any]:
    if index_type == "HNSW":
        return {"metric_type": "IP", "params": {"ef": max(HNSW_MIN_EF, k)}}
    return {"metric_type": "IP"}
