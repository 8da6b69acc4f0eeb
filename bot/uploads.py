"""Articles that admins add from the chat, on the file side: checked, named safely, saved under uploads/.

Nothing here trusts what was sent: the file name is rebuilt from the sanitized base name plus a short hash of
the bytes (so the same bytes always get the same name and another file never overwrites one), the format is
checked by the same loaders the index uses before anything is written, and a removal only ever deletes a
regular file inside the corpus folder.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Final

from retrieval.corpus.loaders import Loaded, LoadLimits, load, suffix_of, supported_suffixes
from retrieval.records import SourceRow

UPLOADS: Final = "uploads"  # the folder inside the corpus that added articles go to
HASH_CHARS: Final = 12  # hex digits of the SHA-256 in a saved name (48 bits: no collision in a newsroom)
MAX_STEM_CHARS: Final = 60
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MIB: Final = 1024 * 1024


@dataclass(frozen=True)
class Article:
    """An article that passed the loaders' check, ready to be saved."""

    source: str  # where it will live, relative to the corpus folder ("uploads/report-0123456789ab.pdf")
    data: bytes
    sha256: str
    loaded: Loaded


def load_limits(max_file_mb: float) -> LoadLimits:
    """The limits the index's scan reads files under (MAX_FILE_MB): what passes here is indexed there."""
    return LoadLimits(max_bytes=int(max_file_mb * _MIB))


def safe_name(sent_name: str, sha256: str) -> str:
    """A file name for ``sent_name``'s bytes: its base name reduced to ``A-Z a-z 0-9 . _ -`` (never a path,
    never hidden), its suffix (one the loaders read) in lower case, and 12 hex digits of the bytes' SHA-256."""
    base = PurePosixPath(sent_name.replace("\\", "/")).name
    suffix = suffix_of(base)
    if suffix not in supported_suffixes():  # only a suffix the loaders read is kept as one
        suffix = ""
    stem = base[: len(base) - len(suffix)] if suffix else base
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    cleaned = _UNSAFE.sub("-", ascii_stem).strip(".-_")[:MAX_STEM_CHARS].strip(".-_")
    return f"{cleaned or 'article'}-{sha256[:HASH_CHARS]}{suffix}"


def check_article(sent_name: str, data: bytes, limits: LoadLimits) -> Article:
    """The article in ``data`` as it will be saved; raises ``Unloadable`` (from the loaders) when the index
    could not read it: an unsupported suffix, no text layer, a zip bomb, ..."""
    loaded = load(sent_name, data, limits)
    sha256 = hashlib.sha256(data).hexdigest()
    return Article(f"{UPLOADS}/{safe_name(sent_name, sha256)}", data, sha256, loaded)


def already_there(corpus: Path, sources: tuple[SourceRow, ...], article: Article) -> str | None:
    """The source that holds these very bytes already: an indexed file with the same hash, or the upload
    saved under the same name (the name carries the hash) and not indexed yet."""
    for row in sources:
        if row.sha256 == article.sha256:
            return row.source
    return article.source if (corpus / article.source).is_file() else None


def save(corpus: Path, article: Article) -> Path:
    """Write the article under <corpus>/uploads/ atomically (a temporary file renamed into place)."""
    target = corpus / article.source
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")  # hidden: the scan never reads it
    partial.write_bytes(article.data)
    os.replace(partial, target)
    return target


def supported_list() -> str:
    return " ".join(sorted(supported_suffixes()))


def corpus_file(corpus: Path, source: str) -> Path | None:
    """The regular file that ``source`` names inside the corpus folder, or None for anything else (a path
    that leaves the folder, a link pointing out of it, a folder, a file that is not there)."""
    if not source or "\x00" in source:
        return None
    root = corpus.resolve()
    candidate = (root / source).resolve()
    if candidate == root or not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate

