"""Bringing a loaded index's files into the page cache, in the background.

Answering reads memory-mapped vectors and tables at random places. When their files are not in the page
cache (after a reboot, or when other work pushed them out) each such read waits for the disk: at 1M sentences
the first questions took 0.2–0.7 s instead of 15 ms. ``prefetch`` asks the kernel to read the files ahead
(``posix_fadvise(WILLNEED)``, which returns at once) and then reads them through in a daemon thread, largest
share of questions' reads first, so that the cache is warm seconds after start and nothing waits for it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path

from retrieval.index.layout import REMOTE_TABLES, TABLES_DIR, VECTORS_NAME

_CHUNK = 8 << 20


def _read_through(paths: Sequence[Path]) -> None:
    for path in paths:
        try:
            with path.open("rb", buffering=0) as f:
                while f.read(_CHUNK):
                    pass
        except OSError:
            continue  # a file that went away (a newer generation replaced this one): nothing to warm


def prefetch(paths: Sequence[Path], threads: int = 2) -> list[threading.Thread]:
    """Start warming ``paths`` into the page cache, each of ``threads`` daemon threads reading every
    ``threads``-th of them in order (so the first files of the list are read first, side by side)."""
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            if hasattr(os, "posix_fadvise"):
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(fd)
    out = []
    for k in range(max(1, threads)):
        t = threading.Thread(target=_read_through, args=(list(paths[k::threads]),), name="verbatim-prefetch",
                             daemon=True)
        t.start()
        out.append(t)
    return out


def index_files(generation: Path, vectors: bool = True) -> list[Path]:
    """The files of a generation that answering reads at random places, those read most per question first:
    the sentence vectors (hundreds of rows a question; ``vectors`` False: they are in Milvus and the reader never
    opens vectors.npy, nor the paragraph and document vectors of the tables), then the tables, smallest first."""
    skipped = set() if vectors else {f"{name}.npy" for name in REMOTE_TABLES}
    found = (p for p in (generation / TABLES_DIR).glob("*.npy") if p.name not in skipped)
    tables = sorted(found, key=lambda p: p.stat().st_size)
    return [generation / VECTORS_NAME, *tables] if vectors else tables
