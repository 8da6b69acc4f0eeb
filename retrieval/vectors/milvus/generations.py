"""Index generations in Milvus: new collections written, sealed, then published by moving the aliases."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from retrieval.vectors.milvus.client import (
    BACKEND,
    COMMIT_ROLE,
    DEFAULT_EXACT_MAX,
    DEFAULT_PREFIX,
    FORMAT,
    HNSW_BUILD,
    INDEX_WAIT_S,
    INSERT_BATCH,
    LONG_CALL_S,
    PROP,
    ROLES,
    Client,
    MilvusBackendError,
    alias_name,
    check_prefix,
    collection_name,
    detail,
    props,
)
from retrieval.vectors.milvus.index import MilvusVectorIndex, open_collection
from retrieval.vectors.milvus.rows import ROWS, Rows, index_type_for, schema

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
    check_prefix(prefix)
    try:
        target = str(client.describe_alias(alias_name(prefix, COMMIT_ROLE))["collection_name"])
    except Exception as exc:
        if "not exist" in detail(exc) or "not found" in detail(exc):
            return None
        raise MilvusBackendError(f"cannot read aliases from Milvus at {uri} ({detail(exc)})") from exc
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
        self.prefix = check_prefix(prefix)
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
                PROP + "backend": BACKEND, PROP + "format": str(FORMAT), PROP + "generation": generation,
                PROP + "role": role, PROP + "dimension": str(dimension), PROP + "state": "building",
            }
            self._admin("create_collection", name, schema=schema(role, dimension, bm25), properties=props)
            self._created.append(name)

    def __enter__(self) -> GenerationBuild:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.published:
            self.abort()

    def add(self, role: str, rows: Rows) -> None:
        """Insert rows of one role, in batches of INSERT_BATCH."""
        if not isinstance(rows, ROWS[role]):
            raise TypeError(f"{role} take {ROWS[role].__name__}, not {type(rows).__name__}")
        vectors = np.asarray(rows.vectors)
        if vectors.ndim != 2 or vectors.shape[1] != self.dimension or len(vectors) != len(rows.ids):
            raise ValueError(f"expected {len(rows.ids)} vectors of dimension {self.dimension}, got {vectors.shape}")
        records = rows.rows()
        for lo in range(0, len(records), INSERT_BATCH):
            self._admin("insert", self.names[role], records[lo : lo + INSERT_BATCH], timeout=LONG_CALL_S)
        self.counts[role] += len(records)

    def seal(self) -> MilvusGeneration:
        """Flush, index, load and check every collection and mark them ready: readers that name this
        generation's collections (its reference files) can use them; the aliases do not move yet."""
        if self.sealed is not None:
            return self.sealed
        indexes: dict[str, MilvusVectorIndex] = {}
        for role, name in self.names.items():
            self._admin("flush", name, timeout=LONG_CALL_S)
            index_type = index_type_for(self.counts[role], self.exact_max)
            params = self.client.prepare_index_params()
            vector_params = HNSW_BUILD if index_type == "HNSW" else {}
            params.add_index(field_name="vector", index_type=index_type, metric_type="IP", params=vector_params)
            if role == "sentences" and self.bm25:
                params.add_index(field_name="sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
            # sync=False, then our own wait: pymilvus's polls every 0.5 s, 1.5 s per generation even when
            # the index is done at once (Milvus Lite indexes at flush)
            try:
                self._admin("create_index", name, params, sync=False, timeout=LONG_CALL_S)
            except MilvusBackendError as exc:
                # pymilvus repeats a call that timed out; the first may have made the index (Milvus Lite
                # builds it inside the call): then it is there, and is waited for like any other
                if "already exists" not in str(exc):
                    raise
            self._wait_indexed(name, [str(n) for n in self._admin("list_indexes", name)])
            self._admin("load_collection", name, timeout=LONG_CALL_S)
            stored = int(self._admin("get_collection_stats", name).get("row_count", -1))
            if stored != self.counts[role]:
                raise MilvusBackendError(
                    f"Milvus at {self.uri} holds {stored} of the {self.counts[role]} {role} written to {name}; "
                    "the build was not published, the old index still serves"
                )
            self._admin("alter_collection_properties", name, properties={
                PROP + "count": str(stored), PROP + "index_type": index_type, PROP + "state": "ready",
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
            return props(self.client.describe_collection(target)).get(PROP + "generation")
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
                f"({detail(exc)}); the old index still serves"
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
