"""Searching one role's collection of one generation, and the reference files a generation folder keeps."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.vectors.milvus.client import (
    BACKEND,
    FORMAT,
    PROP,
    Client,
    MilvusBackendError,
    collection_name,
    connect,
    detail,
    props,
)
from retrieval.vectors.milvus.rows import SENTENCE_FIELDS, SentenceRecord, search_params

QUERY_PAGE = 10_000  # rows a speaker query reads at a time (under Milvus's 16,384 window)

# --- searching ---------------------------------------------------------------------------------------------


class MilvusVectorIndex:
    """One role's collection of one generation, behind the vector index interface of the FAISS backend
    (search, count, kind, save, load). Only the generation's own collection is searched, never an alias."""

    def __init__(
        self, client: Client, uri: str, collection: str, *, generation: str, role: str, count: int,
        dimension: int, index_type: str,
    ) -> None:
        self.client = client
        self.uri = uri
        self.collection = collection
        self.generation = generation
        self.role = role
        self._count = count
        self.dimension = dimension
        self.index_type = index_type

    @property
    def count(self) -> int:
        return self._count

    def attach_exact(self, exact: Any) -> MilvusVectorIndex:
        """Nothing to attach: FLAT and HNSW both score their hits with the float vectors."""
        return self

    @property
    def kind(self) -> str:
        """"milvus-flat" or "milvus-hnsw"."""
        return f"milvus-{self.index_type.lower()}"

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids), each of shape (len(queries), min(k, count)); best first (ids -1 past the end)."""
        k = min(k, self.count)
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        if k <= 0 or len(queries) == 0:
            empty = np.zeros((len(queries), max(k, 0)))
            return empty.astype(np.float32), empty.astype(np.int64)
        hits = self._call(
            "search", self.collection, data=queries.tolist(), anns_field="vector", limit=k,
            search_params=search_params(self.index_type, k), output_fields=["id"],
        )
        return _hits_to_arrays(hits, k, lambda d: d)

    def text_search(self, texts: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        """Milvus BM25 full-text search over the sentences' text: (scores, ids), best first, ids -1 where
        fewer sentences share a word with the query. Only the sentences collection has it."""
        if self.role != "sentences":
            raise ValueError("full-text search is on the sentences collection")
        k = min(k, self.count)
        if k <= 0 or not texts:
            empty = np.zeros((len(texts), max(k, 0)))
            return empty.astype(np.float32), empty.astype(np.int64)
        hits = self._call(
            "search", self.collection, data=list(texts), anns_field="sparse", limit=k,
            search_params={"metric_type": "BM25"}, output_fields=["id"],
        )
        # A server reports BM25 scores (higher is better); Milvus Lite reports them negated, as distances.
        # Both list the best first, and a BM25 score is never negative, so its magnitude is the score.
        return _hits_to_arrays(hits, k, abs)

    def sentences(self, ids: Sequence[int]) -> list[SentenceRecord]:
        """The stored fields of these sentences, in the order asked (ids not stored are left out)."""
        if self.role != "sentences":
            raise ValueError("sentence fields are in the sentences collection")
        wanted = [int(i) for i in ids]
        if not wanted:
            return []
        rows = self._call("get", self.collection, ids=wanted, output_fields=["id", *SENTENCE_FIELDS])
        by_id = {int(r["id"]): r for r in rows}
        return [_record(by_id[i]) for i in wanted if i in by_id]

    def vectors(self, ids: Sequence[int]) -> np.ndarray:
        """The stored float vectors of these ids, in the order asked (float32, (len(ids), dimension)); an id
        not stored is a MilvusBackendError (the caller asks only for ids the generation has)."""
        wanted = [int(i) for i in ids]
        out = np.empty((len(wanted), self.dimension), dtype=np.float32)
        if not wanted:
            return out
        rows = self._call("get", self.collection, ids=wanted, output_fields=["id", "vector"])
        by_id = {int(r["id"]): r["vector"] for r in rows}
        missing = [i for i in wanted if i not in by_id]
        if missing:
            raise MilvusBackendError(
                f"collection {self.collection} in Milvus at {self.uri} has no vector for id {missing[0]}; "
                "rebuild with `verbatim index --rebuild`"
            )
        for row, i in enumerate(wanted):
            out[row] = np.asarray(by_id[i], dtype=np.float32)
        return out

    def spoken_by(self, speakers: Sequence[str]) -> np.ndarray:
        """The ids of the sentences whose stored speaker is one of ``speakers`` (sorted, int64)."""
        if self.role != "sentences":
            raise ValueError("speakers are in the sentences collection")
        names = sorted({s for s in speakers if s})
        if not names:
            return np.zeros(0, dtype=np.int64)
        found: list[int] = []
        # One query's result window is capped (16,384 rows in Milvus); the iterator reads past it in pages.
        pages = self._call(
            "query_iterator", self.collection, batch_size=QUERY_PAGE, filter=f"speaker in {string_list(names)}",
            output_fields=["id"],
        )
        try:
            while page := self._page(pages):
                found.extend(int(r["id"]) for r in page)
        finally:
            pages.close()
        return np.unique(np.asarray(found, dtype=np.int64))

    def _page(self, pages: Any) -> list[Any]:
        try:
            return list(pages.next())
        except Exception as exc:
            raise MilvusBackendError(
                f"Milvus at {self.uri} failed a query ({detail(exc)}); check that it is running"
            ) from exc

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(self.client, method)(*args, **kwargs)
        except Exception as exc:  # MilvusException, grpc errors
            if "not exist" in detail(exc) or "not found" in detail(exc):
                raise MilvusBackendError(
                    f"the {self.role} of index generation {self.generation} are gone from Milvus at {self.uri} "
                    f"(collection {self.collection} was dropped); rebuild with `verbatim index --rebuild`"
                ) from exc
            raise MilvusBackendError(
                f"Milvus at {self.uri} failed a {method} ({detail(exc)}); check that it is running"
            ) from exc

    def sibling(self, role: str, count: int) -> MilvusVectorIndex:
        """The same generation's collection of another ``role`` (its documents beside its sentences), opened
        and checked as ``load`` checks this one (ready, ``count`` rows, this dimension)."""
        own = collection_name("", self.role, self.generation)  # "_<role>_<generation>"
        if not self.collection.endswith(own):
            raise MilvusBackendError(
                f"collection {self.collection} in Milvus at {self.uri} is not named for generation "
                f"{self.generation}; rebuild with `verbatim index --rebuild`"
            )
        prefix = self.collection[: -len(own)]
        return open_collection(
            self.client, self.uri, collection_name(prefix, role, self.generation), generation=self.generation,
            role=role, count=count, dimension=self.dimension,
        )

    def reference(self) -> dict[str, Any]:
        return {
            "backend": BACKEND, "format": FORMAT, "uri": self.uri, "collection": self.collection,
            "generation": self.generation, "role": self.role, "count": self.count, "dimension": self.dimension,
            "index_type": self.index_type,
        }

    def save(self, path: Path) -> None:
        """Write the reference file of this collection (where it is; the vectors stay in Milvus)."""
        path.write_text(json.dumps(self.reference(), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path, *, uri: str | None = None, client: Client | None = None) -> MilvusVectorIndex:
        """Open the collection a reference file names, in Milvus at ``uri`` (default: the URI it was built
        with), after checking that it is that generation's ready collection with every row."""
        ref = read_reference(path)
        uri = uri or str(ref["uri"])
        client = client if client is not None else connect(uri)
        return open_collection(
            client, uri, str(ref["collection"]), generation=str(ref["generation"]), role=str(ref["role"]),
            count=int(ref["count"]), dimension=int(ref["dimension"]),
        )


def string_list(values: Sequence[str]) -> str:
    """A list of string literals for a Milvus filter: JSON's quoting (backslash escapes) is the filter's too
    (Milvus Lite has no filter templates, so the values go into the expression)."""
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"


def _hits_to_arrays(hits: Any, k: int, score: Any) -> tuple[np.ndarray, np.ndarray]:
    scores = np.full((len(hits), k), -np.inf, dtype=np.float32)
    ids = np.full((len(hits), k), -1, dtype=np.int64)
    for row, found in enumerate(hits):
        for col, hit in enumerate(list(found)[:k]):
            ids[row, col] = int(hit["id"])
            scores[row, col] = float(score(float(hit["distance"])))
    return scores, ids


def _record(row: Mapping[str, Any]) -> SentenceRecord:
    key = int(np.array([int(row["dup_key"])], dtype=np.int64).view(np.uint64)[0])
    speaker = row.get("speaker")
    return SentenceRecord(
        id=int(row["id"]), text=str(row["text"]), source=str(row["source"]), start=int(row["start"]),
        end=int(row["end"]), line=int(row["line"]), paragraph=int(row["paragraph"]),
        speaker=str(speaker) if speaker else None, dup_key=key, mentions=str(row["mentions"]) or None,
    )


def backend_of(path: Path) -> str:
    """Which backend wrote a vector index file: "milvus" (a JSON reference) or "faiss" (anything else)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
    except OSError:
        return "missing"
    return BACKEND if head.lstrip().startswith(b"{") and b'"backend"' in head else "faiss"


def read_reference(path: Path) -> dict[str, Any]:
    """A reference file's contents; MilvusBackendError when it is missing, another backend's, or damaged."""
    kind = backend_of(path)
    if kind == "missing":
        raise MilvusBackendError(f"index file {path} is missing; rebuild with `verbatim index --rebuild`")
    if kind != BACKEND:
        raise MilvusBackendError(
            f"the index in {path.parent} was built by the FAISS backend; set VECTOR_BACKEND=faiss, or rebuild it "
            "for Milvus with `VECTOR_BACKEND=milvus verbatim index --rebuild`"
        )
    try:
        ref = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(ref, dict) or ref.get("backend") != BACKEND:
            raise ValueError("not a Milvus reference")
        if int(ref.get("format", -1)) != FORMAT:
            raise ValueError(f"format {ref.get('format')}, this version reads {FORMAT}")
        for key in ("uri", "collection", "generation", "role", "count", "dimension"):
            if key not in ref:
                raise ValueError(f"no {key}")
    except (OSError, UnicodeDecodeError, ValueError, TypeError) as exc:
        raise MilvusBackendError(
            f"index file {path} is damaged ({detail(exc)}); rebuild with `verbatim index --rebuild`"
        ) from exc
    return ref


def open_collection(
    client: Client, uri: str, collection: str, *, generation: str, role: str, count: int | None = None,
    dimension: int | None = None,
) -> MilvusVectorIndex:
    """A ready collection of a generation, checked against what its reader expects."""
    try:
        desc = client.describe_collection(collection)
    except Exception as exc:
        if "not exist" in detail(exc) or "not found" in detail(exc):
            raise MilvusBackendError(
                f"the {role} collection {collection} of index generation {generation} is not in Milvus at {uri} "
                "(dropped, or another MILVUS_URI?); rebuild with `verbatim index --rebuild`"
            ) from exc
        raise MilvusBackendError(f"cannot read collection {collection} from Milvus at {uri} ({detail(exc)})") from exc
    found = props(desc)
    if found.get(PROP + "backend") != BACKEND:
        raise MilvusBackendError(
            f"collection {collection} in Milvus at {uri} was not made by Verbatim; use another prefix or database"
        )
    if found.get(PROP + "format") != str(FORMAT):
        raise MilvusBackendError(
            f"collection {collection} has format {found.get(PROP + 'format')}, this version reads {FORMAT}; "
            "rebuild with `verbatim index --rebuild`"
        )
    stored = int(found.get(PROP + "count", "-1"))
    if found.get(PROP + "state") != "ready" or (count is not None and stored != count):
        raise MilvusBackendError(
            f"collection {collection} in Milvus at {uri} is not a complete build of generation {generation}; "
            "rebuild with `verbatim index --rebuild`"
        )
    try:
        # A server keeps collections loaded across clients; Milvus Lite loads them per process. Idempotent.
        if "Loaded" not in str(client.get_load_state(collection).get("state")):
            client.load_collection(collection)
    except Exception as exc:
        raise MilvusBackendError(f"cannot load collection {collection} in Milvus at {uri} ({detail(exc)})") from exc
    dim = int(found.get(PROP + "dimension", "0"))
    if dimension is not None and dim != dimension:
        raise MilvusBackendError(f"collection {collection} holds {dim}-d vectors, the index {dimension}-d; rebuild")
    return MilvusVectorIndex(
        client, uri, collection, generation=found.get(PROP + "generation", generation), role=role, count=stored,
        dimension=dim, index_type=found.get(PROP + "index_type", "FLAT"),
    )
