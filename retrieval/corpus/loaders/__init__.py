"""Article loaders: one per file format, chosen by the file name's suffix (case-insensitive).

``load(name, data, limits)`` returns a ``Loaded`` (the text that is indexed and quoted, plus title, URL,
date, author and text encoding) or raises ``Unloadable`` with a ``Reason``. Every failure of a file,
including a library's own exception or a hostile file that would exhaust memory or recursion, ends as
``Unloadable``; nothing else escapes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import PurePosixPath
from types import MappingProxyType

from retrieval.corpus.loaders.base import Loaded, LoadLimits, Reason, Unloadable
from retrieval.corpus.loaders.docx import load_docx
from retrieval.corpus.loaders.html import load_html
from retrieval.corpus.loaders.markdown import load_markdown
from retrieval.corpus.loaders.pdf import load_pdf
from retrieval.corpus.loaders.text import CERTAIN_ENCODINGS, load_text

__all__ = [
    "CERTAIN_ENCODINGS",
    "LOADERS",
    "LoadLimits",
    "Loaded",
    "Loader",
    "Reason",
    "Unloadable",
    "load",
    "loader_for",
    "suffix_of",
    "supported_suffixes",
]

Loader = Callable[[bytes, LoadLimits], Loaded]

LOADERS: Mapping[str, Loader] = MappingProxyType(
    {
        ".txt": load_text,
        ".md": load_markdown,
        ".markdown": load_markdown,
        ".html": load_html,
        ".htm": load_html,
        ".pdf": load_pdf,
        ".docx": load_docx,
    }
)


def supported_suffixes() -> frozenset[str]:
    """The suffixes (lower case, with the dot) that ``load`` reads."""
    return frozenset(LOADERS)


def suffix_of(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def loader_for(name: str) -> Loader | None:
    return LOADERS.get(suffix_of(name))


def load(name: str, data: bytes, limits: LoadLimits | None = None) -> Loaded:
    """The article in ``data``, read by the loader for ``name``'s suffix. Raises only Unloadable."""
    limits = limits or LoadLimits()
    loader = loader_for(name)
    if loader is None:
        raise Unloadable(Reason.UNSUPPORTED, f"{suffix_of(name) or 'no suffix'} files are not read")
    if len(data) > limits.max_bytes:
        raise Unloadable(Reason.TOO_LARGE, f"{len(data)} bytes, more than {limits.max_bytes}")
    if not data.strip():
        raise Unloadable(Reason.EMPTY, "no bytes but white space")
    try:
        return loader(data, limits)
    except Unloadable:
        raise
    except RecursionError as exc:  # a document nested deeper than Python's stack (a hostile file)
        raise Unloadable(Reason.UNREADABLE, "nested too deeply to read") from exc
    except MemoryError as exc:
        raise Unloadable(Reason.TOO_LARGE, "needs too much memory to read") from exc
    except Exception as exc:  # a library's error on a damaged file: the file's fault, not ours
        detail = f"damaged or not a {suffix_of(name)} file ({exc.__class__.__name__})"
        raise Unloadable(Reason.UNREADABLE, detail) from exc
