"""Index generations on disk, published atomically.

Layout of the index folder::

    CURRENT            the name of the live generation (replaced atomically with os.replace)
    gen-<stamp>/       a complete generation: manifest.json, store.sqlite, vectors.npy, *.faiss, bm25-*/
    .tmp-<stamp>/      a generation being written; never read, removed by the next build
    .lock              held (flock) by the one reindex that may run at a time

A build writes a whole new generation into a temporary folder, fsyncs it, renames it to ``gen-*`` and only
then points CURRENT at it. A reader resolves CURRENT once and opens that folder, so it always sees one
complete generation; a build that dies half-way leaves CURRENT and the generation it names untouched.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from retrieval.errors import IndexBusyError, IndexCorruptError
from retrieval.index.layout import CURRENT, index_command

LOCK_NAME = ".lock"
KEEP_GENERATIONS = 2  # the live one and the one before it, for readers that still have it open


def current_generation(index_dir: Path) -> Path | None:
    """The live generation folder, or None when nothing was ever published."""
    pointer = index_dir / CURRENT
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise IndexCorruptError(
            f"index file {pointer} cannot be read ({exc}). Rebuild with {index_command(index_dir, rebuild=True)}."
        ) from exc
    folder = index_dir / name
    if not name.startswith("gen-") or "/" in name or not folder.is_dir():
        raise IndexCorruptError(
            f"index file {pointer} names a generation {name!r} that does not exist. "
            f"Rebuild with {index_command(index_dir, rebuild=True)}."
        )
    return folder


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        _fsync_path(path)
    _fsync_path(folder)


def new_workspace(index_dir: Path) -> Path:
    """A fresh temporary folder to write a generation into. Leftovers of dead builds are removed."""
    index_dir.mkdir(parents=True, exist_ok=True)
    for old in index_dir.glob(".tmp-*"):
        shutil.rmtree(old, ignore_errors=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
    folder = index_dir / f".tmp-{stamp}"
    folder.mkdir()
    return folder


def generation_name(workspace: Path) -> str:
    """The name the generation being written in ``workspace`` will have once published."""
    return "gen-" + workspace.name.removeprefix(".tmp-")


def publish(index_dir: Path, workspace: Path) -> Path:
    """Make a fully written workspace the live generation, atomically. Returns the generation folder."""
    _fsync_tree(workspace)
    generation = index_dir / generation_name(workspace)
    os.rename(workspace, generation)
    pointer_tmp = index_dir / (CURRENT + ".tmp")
    with open(pointer_tmp, "w", encoding="utf-8") as fh:
        fh.write(generation.name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(pointer_tmp, index_dir / CURRENT)
    _fsync_path(index_dir)
    prune(index_dir, generation)
    return generation


def prune(index_dir: Path, live: Path) -> None:
    """Remove all but the newest KEEP_GENERATIONS generations (never the live one)."""
    generations = sorted(index_dir.glob("gen-*"), key=lambda p: p.name, reverse=True)
    keep = {live.name, *(g.name for g in generations[:KEEP_GENERATIONS])}
    for folder in generations:
        if folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index's build lock, or raise IndexBusyError at once if another build has it. The lock file
    goes when the lock does, so that an index folder holds no leftover ``.lock``."""
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / LOCK_NAME
    while True:
        fh = open(path, "a+")  # noqa: SIM115 - held open until the lock is released below
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            fh.close()
            raise IndexBusyError(f"another reindex of {index_dir} is running; try again when it ends") from exc
        # The build before us may have removed the file after we opened it: then this lock guards nothing
        # that the next build will see, and we take it again on the file that is there now.
        try:
            held, there = os.fstat(fh.fileno()), os.stat(path)
            if (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino):
                break
        except FileNotFoundError:
            pass
        fh.close()
    try:
        yield
    finally:
        path.unlink(missing_ok=True)  # while still holding the lock (see above)
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        fh.close()


@contextlib.contextmanager
def no_empty_folder(index_dir: Path) -> Iterator[None]:
    """A first build that fails before writing anything (the lock file goes with the lock) leaves no empty
    index folder behind."""
    created = not index_dir.exists()
    try:
        yield
    except BaseException:
        if created:
            with contextlib.suppress(OSError):
                index_dir.rmdir()
        raise
