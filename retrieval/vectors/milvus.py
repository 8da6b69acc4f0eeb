"""The Milvus vector backend (VECTOR_BACKEND=milvus), through pymilvus's MilvusClient.

``MILVUS_URI`` is either a local path ending in ``.db`` (Milvus Lite: the engine runs inside this process,
in a data folder of that name; one process at a time may open it) or ``http(s)://host:19530`` (a Milvus
server or cluster). The same code serves both.

What lives in Milvus, per index generation, one collection per role:

- ``sentences``: id, vector, text (with Milvus's BM25 function: full-text search on the sentence), source,
  start, end, line, paragraph, speaker, near-duplicate key: what answering reads about a sentence;
- ``passages``: id, vector, first and last sentence id;
- ``documents``: id, vector, source.

Publishing a generation. A build creates NEW collections named ``<prefix>_<role>_<generation>``, inserts in
batches, flushes, indexes, loads, checks that every row is in, marks them ready, and only then points the
alias ``<prefix>_<role>`` of each role at its new collection. The sentences alias is switched last: it is
the commit point. A reader resolves the generation once, from that alias (``published``) or from the
generation folder's reference file (``MilvusVectorIndex.load``), then opens that generation's collections by
their own names, so it never mixes roles of two generations and never sees a collection before all its rows
are in. A build that fails drops what it created, and the aliases, so the old generation, stay as they
were. After publishing, the collections of all but the new and the previous generation are dropped (the
previous one stays for readers that still have it open, as with KEEP_GENERATIONS on disk). One index (one
prefix) has one builder at a time: the index folder's build lock.

Errors (a bad URI, a server that cannot be reached, an index built by the FAISS backend, a collection that
is gone) are ``MilvusBackendError``: one line with the fix.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import time
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np

from retrieval.errors import VerbatimError

# pymilvus reads MILVUS_URI from the environment (and from a .env it finds, through python-dotenv) when it is
# imported, and refuses one that is not http(s)://: our MILVUS_URI may be a Milvus Lite path. Hidden as ""
# while it is imported (dotenv does not override a set variable; "" means "no default connection").
_saved_uri = os.environ.get("MILVUS_URI")
os.environ["MILVUS_URI"] = ""
try:
    from pymilvus import DataType, Function, FunctionType, MilvusClient
except ImportError:  # the optional extra is not installed; connect() says how to install it
    MilvusClient = None
finally:
    if _saved_uri is None:
        del os.environ["MILVUS_URI"]
    else:
        os.environ["MILVUS_URI"] = _saved_uri

BACKEND: Final = "milvus"
FORMAT: Final = 1  # of the collections' schema; a reader refuses another
ROLES: Final = ("sentences", "passages", "documents")
COMMIT_ROLE: Final = "sentences"  # its alias is switched last: the generation is published when it moves
DEFAULT_PREFIX: Final = "verbatim"
DEFAULT_EXACT_MAX: Final = 50_000  # as the FAISS backend: exact (FLAT) search up to this many vectors
INSERT_BATCH: Final = 1_000  # rows per insert: a 384-d row is ~2 KB, far under gRPC's 64 MB message limit
INDEX_WAIT_S: Final = 3_600.0  # a build gives up on Milvus's index building after this long
HNSW_BUILD: Final = {"M": 16, "efConstruction": 200}
HNSW_MIN_EF: Final = 128  # search-time ef: at least this, and at least k
TEXT_MAX: Final = 65_535  # VARCHAR max_length (bytes); a sentence is cut to fit (see _fit)
NAME_MAX: Final = 4_096
SPEAKER_MAX: Final = 1_024
_PROP: Final = "verbatim."
_NAME_RE: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SCHEMES: Final = ("http", "https", "tcp")

# pymilvus logs every failed call with a traceback on stderr, and Milvus Lite logs why it could not open
# its folder; this module turns those failures into one-line MilvusBackendErrors instead.
for _name in ("pymilvus", "milvus_lite"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


class MilvusBackendError(VerbatimError):
    """Milvus cannot serve the index as configured; the message says how to fix it."""


Client = Any  # pymilvus.MilvusClient (untyped library)


def _detail(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc) or exc.__class__.__name__
    return str(message).strip().splitlines()[0][:200]


def lite_path(uri: str) -> Path | None:
    """The Milvus Lite data folder a URI names, or None for a server URI."""
    scheme = urllib.parse.urlsplit(uri).scheme.lower()
    return None if scheme in _SCHEMES else Path(uri).expanduser()


def _locked_by_other(folder: Path) -> bool:
    """Whether another process holds Milvus Lite's lock on ``folder`` (its LOCK file, flock)."""
    try:
        with open(folder / "LOCK", "a+") as fh:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
    except OSError:
        return False
    return False


def check_uri(uri: str) -> str:
    """The URI, stripped, if it has a form Milvus accepts; else MilvusBackendError saying what to set."""
    uri = uri.strip()
    example = "e.g. MILVUS_URI=index/milvus.db (Milvus Lite) or MILVUS_URI=http://localhost:19530 (a server)"
    if not uri:
        raise MilvusBackendError(f"MILVUS_URI is not set; set it to a local path ending in .db or a server, {example}")
    parts = urllib.parse.urlsplit(uri)
    if parts.scheme.lower() in _SCHEMES:
        if not parts.hostname:
            raise MilvusBackendError(f"MILVUS_URI {uri!r} names no host; {example}")
        return uri
    if "://" in uri:
        raise MilvusBackendError(f"MILVUS_URI {uri!r} is neither http(s)://host:port nor a local path; {example}")
    path = Path(uri).expanduser()
    if path.suffix != ".db":
        raise MilvusBackendError(f"MILVUS_URI {uri!r} is a local path that does not end in .db; {example}")
    if not path.parent.is_dir():
        raise MilvusBackendError(
            f"the folder {path.parent} of MILVUS_URI does not exist; create it (mkdir -p {path.parent}) "
            "or point MILVUS_URI into an existing folder"
        )
    if path.exists() and not path.is_dir():
        raise MilvusBackendError(
            f"MILVUS_URI {uri!r} is a file, not a Milvus Lite data folder (Milvus Lite 3 keeps a folder of that "
            "name; an older Milvus Lite wrote a file); remove it or choose another path"
        )
    return uri


def connect(uri: str, *, timeout: float = 10.0) -> Client:
    """A MilvusClient for ``uri`` (checked first); MilvusBackendError with the fix when it cannot be had."""
    uri = check_uri(uri)
    if MilvusClient is None:
        raise MilvusBackendError(
            "VECTOR_BACKEND=milvus needs pymilvus and milvus-lite: install them with `pip install -e '.[milvus]'` "
            "(make install does)"
        )
    folder = lite_path(uri)
    try:
        return MilvusClient(uri=uri, timeout=timeout)
    except Exception as exc:  # pymilvus raises MilvusException and its subclasses, grpc errors, OSError
        if folder is not None and _locked_by_other(folder):
            raise MilvusBackendError(
                f"the Milvus Lite folder {folder} is open in another process, and Milvus Lite serves one process "
                "at a time; stop that process, or run a Milvus server and set MILVUS_URI=http://host:19530"
            ) from exc
        if folder is not None:
            raise MilvusBackendError(
                f"cannot open Milvus Lite at {folder} ({_detail(exc)}); check the folder, or set MILVUS_URI "
                "to another path"
            ) from exc
        raise MilvusBackendError(
            f"cannot reach the Milvus server at {uri} ({_detail(exc)}); start it, or fix MILVUS_URI"
        ) from exc


def release(uri: str) -> None:
    """Stop the in-process Milvus Lite engine of a local URI and free its folder (nothing for a server)."""
    folder = lite_path(uri.strip())
    if folder is None or MilvusClient is None:
        return
    from milvus_lite.server_manager import server_manager_instance

    server_manager_instance.release_server(str(folder))


# --- names -------------------------------------------------------------------------------------------------


def alias_name(prefix: str, role: str) -> str:
    return f"{prefix}_{role}"


def collection_name(prefix: str, role: str, generation: str) -> str:
    """``<prefix>_<role>_<generation>``; characters Milvus does not allow in names become ``_``."""
    return f"{prefix}_{role}_{re.sub(r'[^A-Za-z0-9_]', '_', generation)}"


def _check_prefix(prefix: str) -> str:
    if not _NAME_RE.match(prefix):
        raise MilvusBackendError(f"Milvus prefix {prefix!r} must be letters, digits and _, not starting with a digit")
    return prefix


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

    def rows(self) -> list[dict[str, Any]]:
        keys = np.asarray(self.dup_keys, dtype=np.uint64).view(np.int64)
        return [
            {
                "id": int(self.ids[i]),
                "vector": self.vectors[i].tolist(),
                "text": _fit(self.texts[i], TEXT_MAX),
                "source": self.sources[i],
                "start": int(self.start[i]),
                "end": int(self.end[i]),
                "line": int(self.line[i]),
                "paragraph": int(self.paragraph[i]),
                "speaker": self.speakers[i] or "",
                "dup_key": int(keys[i]),
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


SENTENCE_FIELDS: Final = ("text", "source", "start", "end", "line", "paragraph", "speaker", "dup_key")
Rows = SentenceRows | PassageRows | DocumentRows
_ROWS: Final[Mapping[str, type]] = {"sentences": SentenceRows, "passages": PassageRows, "documents": DocumentRows}


def _fit(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes (VARCHAR lengths are bytes). Only the BM25 field is cut:
    quotes are cut from the source text by offsets, never from this copy."""
    raw = text.encode("utf-8")
    return text if len(raw) <= limit else raw[:limit].decode("utf-8", errors="ignore")


def _schema(role: str, dimension: int, bm25: bool) -> Any:
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


def _search_params(index_type: str, k: int) -> dict[str, Any]:
    if index_type == "HNSW":
        return {"metric_type": "IP", "params": {"ef": max(HNSW_MIN_EF, k)}}
    return {"metric_type": "IP"}


def _props(collection: Mapping[str, Any]) -> dict[str, str]:
    raw = collection.get("properties") or {}
    return {str(k): str(v) for k, v in dict(raw).items()}


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
            search_params=_search_params(self.index_type, k), output_fields=["id"],
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

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(self.client, method)(*args, **kwargs)
        except Exception as exc:  # MilvusException, grpc errors
            if "not exist" in _detail(exc) or "not found" in _detail(exc):
                raise MilvusBackendError(
                    f"the {self.role} of index generation {self.generation} are gone from Milvus at {self.uri} "
                    f"(collection {self.collection} was dropped); rebuild with `verbatim index --rebuild`"
                ) from exc
            raise MilvusBackendError(
                f"Milvus at {self.uri} failed a {method} ({_detail(exc)}); check that it is running"
            ) from exc

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
        speaker=str(speaker) if speaker else None, dup_key=key,
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
            f"index file {path} is damaged ({_detail(exc)}); rebuild with `verbatim index --rebuild`"
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
        if "not exist" in _detail(exc) or "not found" in _detail(exc):
            raise MilvusBackendError(
                f"the {role} collection {collection} of index generation {generation} is not in Milvus at {uri} "
                "(dropped, or another MILVUS_URI?); rebuild with `verbatim index --rebuild`"
            ) from exc
        raise MilvusBackendError(f"cannot read collection {collection} from Milvus at {uri} ({_detail(exc)})") from exc
    props = _props(desc)
    if props.get(_PROP + "backend") != BACKEND:
        raise MilvusBackendError(
            f"collection {collection} in Milvus at {uri} was not made by Verbatim; use another prefix or database"
        )
    if props.get(_PROP + "format") != str(FORMAT):
        raise MilvusBackendError(
            f"collection {collection} has format {props.get(_PROP + 'format')}, this version reads {FORMAT}; "
            "rebuild with `verbatim index --rebuild`"
        )
    stored = int(props.get(_PROP + "count", "-1"))
    if props.get(_PROP + "state") != "ready" or (count is not None and stored != count):
        raise MilvusBackendError(
            f"collection {collection} in Milvus at {uri} is not a complete build of generation {generation}; "
            "rebuild with `verbatim index --rebuild`"
        )
    try:
        # A server keeps collections loaded across clients; Milvus Lite loads them per process. Idempotent.
        if "Loaded" not in str(client.get_load_state(collection).get("state")):
            client.load_collection(collection)
    except Exception as exc:
        raise MilvusBackendError(f"cannot load collection {collection} in Milvus at {uri} ({_detail(exc)})") from exc
    dim = int(props.get(_PROP + "dimension", "0"))
    if dimension is not None and dim != dimension:
        raise MilvusBackendError(f"collection {collection} holds {dim}-d vectors, the index {dimension}-d; rebuild")
    return MilvusVectorIndex(
        client, uri, collection, generation=props.get(_PROP + "generation", generation), role=role, count=stored,
        dimension=dim, index_type=props.get(_PROP + "index_type", "FLAT"),
    )


# --- generations -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MilvusGeneration:
    """A published generation: one open collection per role."""

    generation: str
    indexes: Mapping[str, MilvusVectorIndex]

    def __getitem__(self, role: str) -> MilvusVectorIndex:
        return self.indexes[role]


def published(client: Client, uri: str, prefix: str = DEFAULT_PREFIX) -> MilvusGeneration | None:
    """The generation the aliases publish, resolved once from the commit alias; None if none was published."""
    _check_prefix(prefix)
    try:
        target = str(client.describe_alias(alias_name(prefix, COMMIT_ROLE))["collection_name"])
    except Exception as exc:
        if "not exist" in _detail(exc) or "not found" in _detail(exc):
            return None
        raise MilvusBackendError(f"cannot read aliases from Milvus at {uri} ({_detail(exc)})") from exc
    head = open_collection(client, uri, target, generation="?", role=COMMIT_ROLE)
    indexes = {COMMIT_ROLE: head}
    for role in ROLES:
        if role != COMMIT_ROLE:
            name = collection_name(prefix, role, head.generation)
            indexes[role] = open_collection(client, uri, name, generation=head.generation, role=role)
    return MilvusGeneration(head.generation, indexes)


class GenerationBuild:
    """Writes one generation into new collections; ``publish`` switches the aliases to it; leaving a ``with``
    block without publishing (an exception) drops the new collections and leaves the aliases as they were.

    ``bm25``: the sentences get Milvus's BM25 full-text index (the default)."""

    def __init__(
        self, client: Client, uri: str, generation: str, dimension: int, *, prefix: str = DEFAULT_PREFIX,
        exact_max: int = DEFAULT_EXACT_MAX, bm25: bool = True,
    ) -> None:
        self.client = client
        self.uri = uri
        self.generation = generation
        self.dimension = dimension
        self.prefix = _check_prefix(prefix)
        self.exact_max = exact_max
        self.bm25 = bm25
        self.names = {role: collection_name(prefix, role, generation) for role in ROLES}
        self.counts = dict.fromkeys(ROLES, 0)
        self.published = False
        self.sealed: MilvusGeneration | None = None
        self._created: list[str] = []
        for role, name in self.names.items():
            if self._admin("has_collection", name):  # the leftovers of a build of this generation that died
                self._admin("drop_collection", name)
            props = {
                _PROP + "backend": BACKEND, _PROP + "format": str(FORMAT), _PROP + "generation": generation,
                _PROP + "role": role, _PROP + "dimension": str(dimension), _PROP + "state": "building",
            }
            self._admin("create_collection", name, schema=_schema(role, dimension, bm25), properties=props)
            self._created.append(name)

    def __enter__(self) -> GenerationBuild:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.published:
            self.abort()

    def add(self, role: str, rows: Rows) -> None:
        """Insert rows of one role, in batches of INSERT_BATCH."""
        if not isinstance(rows, _ROWS[role]):
            raise TypeError(f"{role} take {_ROWS[role].__name__}, not {type(rows).__name__}")
        vectors = np.asarray(rows.vectors)
        if vectors.ndim != 2 or vectors.shape[1] != self.dimension or len(vectors) != len(rows.ids):
            raise ValueError(f"expected {len(rows.ids)} vectors of dimension {self.dimension}, got {vectors.shape}")
        records = rows.rows()
        for lo in range(0, len(records), INSERT_BATCH):
            self._admin("insert", self.names[role], records[lo : lo + INSERT_BATCH])
        self.counts[role] += len(records)

    def seal(self) -> MilvusGeneration:
        """Flush, index, load and check every collection and mark them ready: readers that name this
        generation's collections (its reference files) can use them; the aliases do not move yet."""
        if self.sealed is not None:
            return self.sealed
        indexes: dict[str, MilvusVectorIndex] = {}
        for role, name in self.names.items():
            self._admin("flush", name)
            index_type = index_type_for(self.counts[role], self.exact_max)
            params = self.client.prepare_index_params()
            vector_params = HNSW_BUILD if index_type == "HNSW" else {}
            params.add_index(field_name="vector", index_type=index_type, metric_type="IP", params=vector_params)
            if role == "sentences" and self.bm25:
                params.add_index(field_name="sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
            # sync=False, then our own wait: pymilvus's polls every 0.5 s, 1.5 s per generation even when
            # the index is done at once (Milvus Lite indexes at flush)
            self._admin("create_index", name, params, sync=False)
            self._wait_indexed(name, [str(n) for n in self._admin("list_indexes", name)])
            self._admin("load_collection", name)
            stored = int(self._admin("get_collection_stats", name).get("row_count", -1))
            if stored != self.counts[role]:
                raise MilvusBackendError(
                    f"Milvus at {self.uri} holds {stored} of the {self.counts[role]} {role} written to {name}; "
                    "the build was not published, the old index still serves"
                )
            self._admin("alter_collection_properties", name, properties={
                _PROP + "count": str(stored), _PROP + "index_type": index_type, _PROP + "state": "ready",
            })
            indexes[role] = MilvusVectorIndex(
                self.client, self.uri, name, generation=self.generation, role=role, count=stored,
                dimension=self.dimension, index_type=index_type,
            )
        self.sealed = MilvusGeneration(self.generation, indexes)
        return self.sealed

    def publish(self) -> MilvusGeneration:
        """Seal, then point the aliases at the new collections (the commit alias last), and drop the
        collections of generations before the previous one."""
        generation = self.seal()
        before = self._aliased_generation()
        for role in sorted(ROLES, key=lambda r: r == COMMIT_ROLE):  # the commit alias last
            self._point_alias(alias_name(self.prefix, role), self.names[role])
        self.published = True
        self._drop_old(keep={self.generation, *((before,) if before else ())})
        return generation

    def _wait_indexed(self, name: str, indexes: Sequence[str]) -> None:
        delay = 0.01
        deadline = time.monotonic() + INDEX_WAIT_S
        for index in indexes:
            while True:
                state = str(self._admin("describe_index", name, index).get("state", "Finished"))
                if state == "Finished":
                    break
                if state == "Failed" or time.monotonic() > deadline:
                    raise MilvusBackendError(
                        f"Milvus at {self.uri} did not build index {index} of {name} ({state}); the build was not "
                        "published, the old index still serves"
                    )
                time.sleep(delay)
                delay = min(1.0, delay * 2)

    def abort(self) -> None:
        """Drop the collections this build created (never one an alias points at)."""
        aliased = self._aliased()
        for name in self._created:
            if name not in aliased:
                with contextlib.suppress(MilvusBackendError):
                    self._admin("drop_collection", name)
        self._created.clear()

    def _point_alias(self, alias: str, name: str) -> None:
        try:
            self.client.describe_alias(alias)
        except Exception:
            self._admin("create_alias", name, alias)
            return
        self._admin("alter_alias", name, alias)

    def _aliased_generation(self) -> str | None:
        """The generation the commit alias names now (None if none); not checked: a damaged old generation
        must not stop a rebuild from replacing it."""
        try:
            target = self.client.describe_alias(alias_name(self.prefix, COMMIT_ROLE))["collection_name"]
            return _props(self.client.describe_collection(target)).get(_PROP + "generation")
        except Exception:
            return None

    def _aliased(self) -> set[str]:
        out: set[str] = set()
        for role in ROLES:
            with contextlib.suppress(Exception):
                out.add(str(self.client.describe_alias(alias_name(self.prefix, role))["collection_name"]))
        return out

    def _drop_old(self, keep: set[str]) -> None:
        """Drop this prefix's collections of generations not in ``keep`` (and never an aliased one)."""
        kept = {collection_name(self.prefix, role, g) for role in ROLES for g in keep}
        aliased = self._aliased()
        mine = tuple(f"{self.prefix}_{role}_" for role in ROLES)
        for name in self._admin("list_collections"):
            if str(name).startswith(mine) and name not in kept and name not in aliased:
                with contextlib.suppress(MilvusBackendError):
                    self._admin("drop_collection", name)

    def _admin(self, method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(self.client, method)(*args, **kwargs)
        except Exception as exc:
            raise MilvusBackendError(
                f"Milvus at {self.uri} refused {method} while building generation {self.generation} "
                f"({_detail(exc)}); the old index still serves"
            ) from exc


def build_generation(
    client: Client, uri: str, generation: str, dimension: int, parts: Mapping[str, Sequence[Rows]], *,
    prefix: str = DEFAULT_PREFIX, exact_max: int = DEFAULT_EXACT_MAX, bm25: bool = True,
) -> MilvusGeneration:
    """Build and publish a generation from rows per role, in one call; on failure nothing is published."""
    with GenerationBuild(client, uri, generation, dimension, prefix=prefix, exact_max=exact_max, bm25=bm25) as b:
        for role in ROLES:
            for rows in parts.get(role, ()):
                b.add(role, rows)
        return b.publish()

