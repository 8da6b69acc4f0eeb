"""Connecting to Milvus (MILVUS_URI: a Milvus Lite path or a server), names, and the backend's constants and
errors. See the package docstring."""

from __future__ import annotations

import fcntl
import logging
import os
import re
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from retrieval.errors import VerbatimError

# pymilvus reads MILVUS_URI from the environment (and from a .env it finds, through python-dotenv) when it is
# imported, and refuses one that is not http(s)://: our MILVUS_URI may be a Milvus Lite path. Hidden as ""
# while it is imported (dotenv does not override a set variable; "" means "no default connection").
_saved_uri = os.environ.get("MILVUS_URI")
os.environ["MILVUS_URI"] = ""
try:
    from pymilvus import DataType as DataType  # (X as X: re-exported for rows.py)
    from pymilvus import Function as Function
    from pymilvus import FunctionType as FunctionType
    from pymilvus import MilvusClient as MilvusClient
except ImportError:  # the optional extra is not installed; connect() says how to install it
    MilvusClient = None
finally:
    if _saved_uri is None:
        del os.environ["MILVUS_URI"]
    else:
        os.environ["MILVUS_URI"] = _saved_uri

BACKEND: Final = "milvus"
FORMAT: Final = 2  # of the collections' schema; a reader refuses another (2: sentences keep their mentions)
ROLES: Final = ("sentences", "passages", "documents")
COMMIT_ROLE: Final = "sentences"  # its alias is switched last: the generation is published when it moves
DEFAULT_PREFIX: Final = "verbatim"
DEFAULT_EXACT_MAX: Final = 50_000  # as the FAISS backend: exact (FLAT) search up to this many vectors
INSERT_BATCH: Final = 1_000  # rows per insert: a 384-d row is ~2 KB, far under gRPC's 64 MB message limit
INDEX_WAIT_S: Final = 3_600.0  # a build gives up on Milvus's index building after this long
LONG_CALL_S: Final = 1_800.0  # insert, flush, create_index, load: may take minutes (connect's timeout is 10 s)
HNSW_BUILD: Final = {"M": 16, "efConstruction": 200}
HNSW_MIN_EF: Final = 128  # search-time ef: at least this, and at least k
TEXT_MAX: Final = 65_535  # VARCHAR max_length (bytes); a sentence is cut to fit (rows.fit)
NAME_MAX: Final = 4_096
SPEAKER_MAX: Final = 1_024
MENTIONS_MAX: Final = 65_535
PROP: Final = "verbatim."
_NAME_RE: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SCHEMES: Final = ("http", "https", "tcp")

# pymilvus logs every failed call with a traceback on stderr, and Milvus Lite logs why it could not open
# its folder; this module turns those failures into one-line MilvusBackendErrors instead.
for _name in ("pymilvus", "milvus_lite"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


class MilvusBackendError(VerbatimError):
    """Milvus cannot serve the index as configured; the message says how to fix it."""


Client = Any  # pymilvus.MilvusClient (untyped library)


def detail(exc: BaseException) -> str:
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
                f"cannot open Milvus Lite at {folder} ({detail(exc)}); check the folder, or set MILVUS_URI "
                "to another path"
            ) from exc
        raise MilvusBackendError(
            f"cannot reach the Milvus server at {uri} ({detail(exc)}); start it, or fix MILVUS_URI"
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


def check_prefix(prefix: str) -> str:
    if not _NAME_RE.match(prefix):
        raise MilvusBackendError(f"Milvus prefix {prefix!r} must be letters, digits and _, not starting with a digit")
    return prefix


def props(collection: Mapping[str, Any]) -> dict[str, str]:
    raw = collection.get("properties") or {}
    return {str(k): str(v) for k, v in dict(raw).items()}
