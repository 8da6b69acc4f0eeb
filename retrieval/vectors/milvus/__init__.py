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

from retrieval.vectors.milvus.client import (
    BACKEND,
    COMMIT_ROLE,
    DEFAULT_EXACT_MAX,
    DEFAULT_PREFIX,
    FORMAT,
    ROLES,
    Client,
    MilvusBackendError,
    alias_name,
    check_uri,
    collection_name,
    connect,
    lite_path,
    release,
)
from retrieval.vectors.milvus.generations import GenerationBuild, MilvusGeneration, build_generation, published
from retrieval.vectors.milvus.index import MilvusVectorIndex, backend_of, open_collection, read_reference
from retrieval.vectors.milvus.rows import (
    SENTENCE_FIELDS,
    DocumentRows,
    PassageRows,
    Rows,
    SentenceRecord,
    SentenceRows,
    index_type_for,
)

__all__ = [
    "BACKEND",
    "COMMIT_ROLE",
    "DEFAULT_EXACT_MAX",
    "DEFAULT_PREFIX",
    "FORMAT",
    "ROLES",
    "SENTENCE_FIELDS",
    "Client",
    "DocumentRows",
    "GenerationBuild",
    "MilvusBackendError",
    "MilvusGeneration",
    "MilvusVectorIndex",
    "PassageRows",
    "Rows",
    "SentenceRecord",
    "SentenceRows",
    "alias_name",
    "backend_of",
    "build_generation",
    "check_uri",
    "collection_name",
    "connect",
    "index_type_for",
    "lite_path",
    "open_collection",
    "published",
    "read_reference",
    "release",
]
