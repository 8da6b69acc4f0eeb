"""Has the corpus changed since the index was built? Said cheaply, without reading a single article.

A build records the size and modification time of every corpus file it saw (store.py, ``files``) and the
corpus folder it read (``info.corpus_dir``). Asking compares them with a walk of the corpus folder (one
``stat`` per file, no hashing): a file added, changed (other size or time) or removed since is named, so
that a quote from a file that changed or no longer exists does not pass unremarked. An index built before
this was recorded says nothing. A file whose time changed but whose content did not (``touch``) counts
until the next build, which records the new time without re-embedding anything.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from retrieval.corpus.scan import CorpusScan, iter_article_paths
from retrieval.index.layout import STORE_NAME
from retrieval.index.store import FileStat, read_files, read_info, refresh_files
from retrieval.records import Skipped

CORPUS_INFO = "corpus_dir"  # the store's info key for the corpus folder a build read (absolute)
NAMES_SHOWN = 3


def file_stat(path: Path) -> FileStat | None:
    """Size and modification time of a file (following symlinks), or None when it cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return FileStat(st.st_size, st.st_mtime_ns)


def corpus_files(corpus_dir: Path) -> dict[str, FileStat]:
    """Every entry of the corpus folder now, as the build's scan finds them (articles and what it skips),
    with its stat: the same set a build records (builder._file_stats)."""
    out: dict[str, FileStat] = {}
    for item in iter_article_paths(corpus_dir):
        source, path = (item.source, corpus_dir / item.source) if isinstance(item, Skipped) else item
        stat = file_stat(path)
        if stat is not None:
            out[source] = stat
    return out


def scanned_files(corpus_dir: Path, scan: CorpusScan) -> dict[str, FileStat]:
    """Size and time of every file the scan saw: an article's as it was when read, a skipped file's now."""
    out = {d.source: FileStat(d.size, d.mtime_ns) for d in scan.documents}
    for s in scan.skipped:
        stat = file_stat(corpus_dir / s.source)
        if stat is not None:
            out[s.source] = stat
    return out


def refresh_file_times(store: Path, files: dict[str, FileStat], corpus_dir: Path) -> None:
    """After a no-op build: record new file times (a ``touch``), so that asking stops calling the corpus
    changed. Nothing else of the published generation changes."""
    try:
        if read_files(store) != files:
            refresh_files(store, files, {CORPUS_INFO: str(corpus_dir.resolve())})
    except sqlite3.DatabaseError:
        pass  # the next full build records them


@dataclass(frozen=True)
class CorpusChanges:
    corpus_dir: Path  # the folder compared
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    built_from: Path | None = None  # set when the index was built from another folder than corpus_dir

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.built_from)

    def summary(self) -> str:
        """"2 files changed (a.txt, b.txt), 1 removed (c.txt)": what changed, a few names each."""
        if self.built_from is not None:
            return f"the index was built from {self.built_from}, not from {self.corpus_dir}"
        parts: list[str] = []
        for kind, names in (("changed", self.changed), ("removed", self.removed), ("added", self.added)):
            if names:
                shown = ", ".join(names[:NAMES_SHOWN]) + (f" and {len(names) - NAMES_SHOWN} more"
                                                          if len(names) > NAMES_SHOWN else "")
                noun = "" if parts else (" file" if len(names) == 1 else " files")
                parts.append(f"{len(names)}{noun} {kind} ({shown})")
        return ", ".join(parts)


def compare(recorded: dict[str, FileStat], now: dict[str, FileStat], corpus_dir: Path) -> CorpusChanges:
    """What differs between the files a build saw and the files there are now."""
    return CorpusChanges(
        corpus_dir,
        added=tuple(sorted(set(now) - set(recorded))),
        changed=tuple(sorted(s for s in now.keys() & recorded.keys() if now[s] != recorded[s])),
        removed=tuple(sorted(set(recorded) - set(now))),
    )


def recorded_corpus(generation: Path) -> str | None:
    """The corpus folder a generation was built from (absolute), when it was recorded."""
    try:
        return read_info(generation / STORE_NAME).get(CORPUS_INFO)
    except sqlite3.DatabaseError:
        return None


def corpus_changes(generation: Path, corpus_dir: Path | None) -> CorpusChanges | None:
    """How the corpus differs from what ``generation`` was built from; None when that cannot be told (an
    older index, no corpus folder). ``corpus_dir`` None: the folder the index was built from."""
    built_from = recorded_corpus(generation)
    if corpus_dir is None:
        if built_from is None:
            return None
        corpus_dir = Path(built_from)
    elif built_from is not None and Path(built_from) != corpus_dir.resolve():
        return CorpusChanges(corpus_dir, (), (), (), built_from=Path(built_from))
    if not corpus_dir.is_dir():
        return None
    try:
        recorded = read_files(generation / STORE_NAME)
    except sqlite3.DatabaseError:
        return None
    if recorded is None:
        return None
    return compare(recorded, corpus_files(corpus_dir), corpus_dir)
