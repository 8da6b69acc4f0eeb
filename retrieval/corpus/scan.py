"""Reading the corpus folder: which files are articles, and their text as their loaders give it.

Rules (documented in the README):
- Every file under the corpus folder is looked at, recursively; hidden files and folders (names starting
  with ".") are ignored. A file whose suffix has a loader (corpus/loaders: .txt, .md, .markdown, .html, .htm,
  .pdf, .docx, in any case) is read by it; any other file is skipped as "unsupported format", unread.
- A .txt file's text is its bytes decoded, character for character (loaders/text.py says how the encoding
  is found); other formats give the text their loader extracts, which is what quotes point into.
- Nothing is skipped silently: each file or folder not indexed is a Skipped with one reason of a small
  vocabulary (unsupported format, no text layer, too large, unreadable, empty, encrypted, outside the
  corpus) and a detail. A folder that cannot be listed is skipped as unreadable ("name/").
- Symlinks (to files or folders) are followed only when their target lies inside the corpus folder.
- A source's id is its path relative to the corpus folder, with "/" separators.
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from retrieval.corpus.loaders import (
    CERTAIN_ENCODINGS,
    LoadLimits,
    Reason,
    Unloadable,
    load,
    loader_for,
    suffix_of,
)
from retrieval.errors import CorpusMissingError
from retrieval.records import Document, Skipped

DEFAULT_MAX_BYTES = LoadLimits().max_bytes
FOLDER = "folder"  # the "suffix" a skipped folder is grouped under
OUTSIDE = "outside the corpus"  # the reason for a symlink that leaves the corpus folder


@dataclass(frozen=True)
class CorpusScan:
    documents: tuple[Document, ...]
    skipped: tuple[Skipped, ...]
    warnings: tuple[str, ...]  # one line each, naming the file (guessed encodings; skips are in ``skipped``)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def iter_article_paths(root: Path) -> Iterator[tuple[str, Path] | Skipped]:
    """Walk the corpus folder in a stable order, yielding (source id, path) of every file, or a Skipped
    symlink or unreadable folder."""
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
        except OSError as exc:
            rel = folder.relative_to(root).as_posix()
            yield Skipped(f"{rel}/", Reason.UNREADABLE.value, f"cannot list the folder ({_why(exc)})")
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
                    yield Skipped(rel, Reason.UNREADABLE.value, "broken symlink (its target does not exist)")
                    continue
                except (OSError, RuntimeError) as exc:  # a loop: RuntimeError, or OSError ELOOP (Python 3.13)
                    if isinstance(exc, RuntimeError) or exc.errno == errno.ELOOP:
                        detail = "symlink loop (it points to itself, directly or through others)"
                    else:
                        detail = f"symlink could not be followed ({_why(exc)})"
                    yield Skipped(rel, Reason.UNREADABLE.value, detail)
                    continue
                if not _inside(target, root):
                    yield Skipped(rel, OUTSIDE, "symlink pointing outside the corpus folder, not followed")
                    continue
            try:
                is_dir = entry.is_dir()
            except OSError as exc:
                yield Skipped(rel, Reason.UNREADABLE.value, _why(exc))
                continue
            if is_dir:
                stack.append(path)
            else:
                yield rel, path


def _why(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


def read_document(source: str, path: Path, limits: LoadLimits | None = None) -> Document | Skipped:
    """Read one article, or say why it is skipped. The warning for a guessed encoding is the caller's."""
    limits = limits or LoadLimits()
    if loader_for(source) is None:
        return Skipped(source, Reason.UNSUPPORTED.value)
    try:
        stat = path.stat()  # before reading: a change made while we read is seen as a change next time
        size = stat.st_size
        if size > limits.max_bytes:  # before reading it: the loader's own check would read it first
            detail = f"{_size(size)}, more than {max_file_mb(limits.max_bytes)}"
            return Skipped(source, Reason.TOO_LARGE.value, detail)
        raw = path.read_bytes()
    except OSError as exc:
        return Skipped(source, Reason.UNREADABLE.value, f"could not be read ({_why(exc)})")
    try:
        loaded = load(source, raw, limits)
    except Unloadable as exc:
        return Skipped(source, exc.reason.value, exc.detail)
    return Document(
        source=source,
        text=loaded.text,
        sha256=hashlib.sha256(raw).hexdigest(),
        encoding=loaded.encoding or "",
        title=loaded.title,
        url=loaded.url,
        date=loaded.date,
        author=loaded.author,
        size=stat.st_size,
        mtime_ns=stat.st_mtime_ns,
    )


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 // 10 else f"{n} bytes"


def max_file_mb(max_bytes: int) -> str:
    """The size limit as the setting that sets it: ``MAX_FILE_MB=10``."""
    return f"MAX_FILE_MB={max_bytes / 2**20:g}"


def require_corpus(root: Path) -> None:
    """Raise CorpusMissingError unless ``root`` is a folder."""
    if not root.is_dir():
        raise CorpusMissingError(
            f"the corpus folder {root} does not exist or is not a folder (set CORPUS_DIR or --corpus)"
        )


def scan_corpus(root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> CorpusScan:
    """Read every article under ``root``. Never raises for a bad file: it is skipped, with its reason."""
    require_corpus(root)
    limits = LoadLimits(max_bytes=max_bytes)
    documents: list[Document] = []
    skipped: list[Skipped] = []
    warnings: list[str] = []
    for item in iter_article_paths(root):
        result = item if isinstance(item, Skipped) else read_document(item[0], item[1], limits)
        if isinstance(result, Skipped):
            skipped.append(result)
            continue
        if result.encoding and result.encoding not in CERTAIN_ENCODINGS:
            warnings.append(f"{result.source!r} is not valid UTF-8 or UTF-16/32; decoded as {result.encoding}")
        documents.append(result)
    documents.sort(key=lambda d: d.source)
    skipped.sort(key=lambda s: s.source)
    return CorpusScan(tuple(documents), tuple(skipped), tuple(warnings))


def skipped_kind(item: Skipped) -> str:
    """What a skipped entry is, for grouping: its suffix (".pdf"), "folder", or "no suffix"."""
    if item.source.endswith("/"):
        return FOLDER
    return suffix_of(item.source) or "no suffix"


_REASON_ORDER = {reason.value: i for i, reason in enumerate(Reason)}


def group_skipped(skipped: Iterable[Skipped]) -> list[tuple[str, str, tuple[Skipped, ...]]]:
    """(reason, kind, entries) groups, in the order of the reason vocabulary, then by kind and source."""
    groups: dict[tuple[str, str], list[Skipped]] = {}
    for item in skipped:
        groups.setdefault((item.reason, skipped_kind(item)), []).append(item)
    ordered = sorted(groups, key=lambda key: (_REASON_ORDER.get(key[0], len(_REASON_ORDER)), key[0], key[1]))
    return [(reason, kind, tuple(sorted(groups[reason, kind], key=lambda s: s.source))) for reason, kind in ordered]
