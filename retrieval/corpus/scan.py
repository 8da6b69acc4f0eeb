"""Reading the corpus folder: which files are articles, and their text exactly as stored.

Rules (documented in the README):
- ``.txt`` and ``.md`` files anywhere under the corpus folder are articles; hidden files and folders
  (names starting with ".") are ignored.
- Text is decoded as UTF-8. A file that is not valid UTF-8 is decoded as Windows-1252 where that works,
  else as Latin-1 (which always works), with a warning naming the file. Nothing is normalised: the
  decoded text is kept character for character, so quote offsets point into it.
- A file that looks binary (a NUL byte, or mostly control characters, in its first 8 KiB) is skipped with
  a warning naming it. So is an empty file, a file larger than ``max_bytes`` (MAX_FILE_MB), and one that vanishes or
  cannot be read while we scan.
- Symlinks (to files or folders) are followed only when their target lies inside the corpus folder.
- A source's id is its path relative to the corpus folder, with "/" separators.
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from retrieval.errors import CorpusMissingError
from retrieval.records import Skipped, Document

ARTICLE_SUFFIXES = frozenset({".txt", ".md"})
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_SNIFF = 8192
_TEXT_CONTROLS = {9, 10, 12, 13, 27}


@dataclass(frozen=True)
class CorpusScan:
    documents: tuple[Document, ...]
    skipped: tuple[Skipped, ...]
    warnings: tuple[str, ...]  # one line each, naming the file


def looks_binary(head: bytes) -> bool:
    """True when the first bytes of a file are not text: a NUL byte, or over 10% control characters."""
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in _TEXT_CONTROLS)
    return controls / len(head) > 0.10


def decode_text(raw: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8, falling back to Windows-1252 and then Latin-1. Returns (text, encoding)."""
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def iter_article_paths(root: Path) -> Iterator[tuple[str, Path] | Skipped]:
    """Walk the corpus folder in a stable order, yielding (source id, path) or a Skipped symlink."""
    root = root.resolve()
    seen_dirs: set[Path] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        real = folder.resolve()
        if real in seen_dirs:
            continue
        seen_dirs.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name, reverse=True)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            rel = path.relative_to(root).as_posix()
            if entry.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except FileNotFoundError:
                    yield Skipped(rel, "broken symlink (its target does not exist)")
                    continue
                except (OSError, RuntimeError) as exc:  # a loop: RuntimeError, or OSError ELOOP (Python 3.13)
                    if isinstance(exc, RuntimeError) or exc.errno == errno.ELOOP:
                        yield Skipped(rel, "symlink loop (it points to itself, directly or through others)")
                    else:
                        yield Skipped(rel, f"symlink could not be followed ({exc.strerror or 'OSError'})")
                    continue
                if not _inside(target, root):
                    yield Skipped(rel, "symlink pointing outside the corpus folder, not followed")
                    continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                stack.append(path)
            elif path.suffix.lower() in ARTICLE_SUFFIXES:
                yield rel, path


def read_document(source: str, path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document | Skipped:
    """Read one article, or say why it is skipped. The warning for a fallback decoding is the caller's."""
    try:
        stat = path.stat()  # before reading: a change made while we read is seen as a change next time
        size = stat.st_size
        if size > max_bytes:
            return Skipped(source, f"larger than MAX_FILE_MB={max_bytes / 2**20:g} ({size / 2**20:.1f} MB)")
        raw = path.read_bytes()
    except OSError as exc:
        return Skipped(source, f"could not be read ({exc.strerror or exc.__class__.__name__})")
    if not raw.strip():
        return Skipped(source, "empty")
    if looks_binary(raw[:_SNIFF]):
        return Skipped(source, "binary file")
    text, encoding = decode_text(raw)
    return Document(source=source, text=text, sha256=hashlib.sha256(raw).hexdigest(), encoding=encoding,
                    size=stat.st_size, mtime_ns=stat.st_mtime_ns)


def require_corpus(root: Path) -> None:
    """Raise CorpusMissingError unless ``root`` is a folder."""
    if not root.is_dir():
        raise CorpusMissingError(
            f"the corpus folder {root} does not exist or is not a folder (set CORPUS_DIR or --corpus)"
        )


def scan_corpus(root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> CorpusScan:
    """Read every article under ``root``. Never raises for a bad file: it is skipped with a warning."""
    require_corpus(root)
    documents: list[Document] = []
    skipped: list[Skipped] = []
    warnings: list[str] = []
    for item in iter_article_paths(root):
        result = item if isinstance(item, Skipped) else read_document(item[0], item[1], max_bytes)
        if isinstance(result, Skipped):
            skipped.append(result)
            warnings.append(f"skipped {result.source!r}: {result.reason}")
            continue
        if result.encoding != "utf-8":
            warnings.append(f"{result.source!r} is not valid UTF-8; decoded as {result.encoding}")
        documents.append(result)
    documents.sort(key=lambda d: d.source)
    return CorpusScan(tuple(documents), tuple(skipped), tuple(warnings))
