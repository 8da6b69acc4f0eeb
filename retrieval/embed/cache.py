"""The embedding cache: sentence vectors keyed by (model, backend) and text hash, beside the index.

A build asks the cache before it asks the model, so a sentence text is embedded once per model and backend,
whatever happens to the generations: a ``--rebuild``, a damaged generation, or a switch to another model
and back all reuse the vectors computed before. Layout::

    <index>/embedding-cache/<model key>/<stamp>.hashes.npy    text hashes, (n, 16) uint8 (the raw bytes)
    <index>/embedding-cache/<model key>/<stamp>.vectors.npy   float32 vectors, row i for hash i

A shard is written vectors first, hashes last (each via a temporary name and an atomic rename), so a shard
whose hashes file exists is complete; a damaged or mismatched shard is ignored and removed by the next
compaction. Only builds write, under the index's build lock. When shards pile up they are merged into one,
and entries that no live sentence uses are dropped once they outnumber the live ones.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

CACHE_FOLDER = "embedding-cache"
MAX_SHARDS = 8
SLACK_ENTRIES = 50_000  # entries beyond the live ones kept (switch-backs, edits undone)


def cache_key(model: str, backend: str) -> str:
    """A folder name for a model and backend: readable, and unique by a hash of the exact pair."""
    raw = f"{model}\n{backend}"
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{model}--{backend}" if backend else model).strip("_")[:80]
    return f"{readable}-{hashlib.blake2b(raw.encode('utf-8'), digest_size=6).hexdigest()}"


def _raw(hashes: Sequence[str]) -> np.ndarray:
    """Hex text hashes as an (n, 16) uint8 array (numpy's bytes dtype would drop trailing zero bytes)."""
    out = np.zeros((len(hashes), 16), dtype=np.uint8)
    for i, h in enumerate(hashes):
        out[i] = np.frombuffer(bytes.fromhex(h), dtype=np.uint8)
    return out


def _keys(raw: np.ndarray) -> list[bytes]:
    return [row.tobytes() for row in raw]


def _stamp() -> str:
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{time.monotonic_ns() % 10**9:09d}"


@dataclass(frozen=True)
class _Shard:
    stem: Path
    hashes: np.ndarray  # (n, 16) uint8
    vectors: np.ndarray  # (n, dim) float32, memory-mapped


class EmbeddingCache:
    def __init__(self, folder: Path, dimension: int | None = None) -> None:
        self.folder = folder
        self._dimension = dimension
        self._shards: list[_Shard] = []
        self._where: dict[bytes, tuple[int, int]] = {}
        self._broken: list[Path] = []
        self._load()

    @classmethod
    def open(cls, index_dir: Path, model: str, backend: str) -> EmbeddingCache:
        return cls(index_dir / CACHE_FOLDER / cache_key(model, backend))

    def _load(self) -> None:
        if not self.folder.is_dir():
            return
        for hashes_path in sorted(self.folder.glob("*.hashes.npy")):
            stem = hashes_path.with_name(hashes_path.name.removesuffix(".hashes.npy"))
            try:
                hashes = np.load(hashes_path)
                vectors = np.load(stem.with_name(stem.name + ".vectors.npy"), mmap_mode="r")
                ok = (
                    hashes.dtype == np.uint8 and hashes.ndim == 2 and hashes.shape[1] == 16
                    and vectors.dtype == np.float32 and vectors.ndim == 2
                    and len(hashes) == len(vectors)
                    and (self._dimension is None or vectors.shape[1] == self._dimension)
                )
            except (OSError, ValueError, EOFError):
                ok = False
            if not ok:
                self._broken.append(stem)
                continue
            if self._dimension is None and len(vectors):
                self._dimension = int(vectors.shape[1])
            shard_no = len(self._shards)
            self._shards.append(_Shard(stem, hashes, vectors))
            for row, h in enumerate(_keys(hashes)):
                self._where[h] = (shard_no, row)

    @property
    def dimension(self) -> int | None:
        """The dimension of the cached vectors (None while the cache is empty)."""
        return self._dimension

    def __len__(self) -> int:
        return len(self._where)

    def __contains__(self, text_hash: object) -> bool:
        return isinstance(text_hash, str) and bytes.fromhex(text_hash) in self._where

    def get(self, hashes: Sequence[str], dimension: int) -> tuple[np.ndarray, np.ndarray]:
        """(found, vectors): which hashes the cache has, and their vectors (rows of the others are zero)."""
        found = np.zeros(len(hashes), dtype=bool)
        out = np.zeros((len(hashes), dimension), dtype=np.float32)
        if self._dimension is not None and self._dimension != dimension:
            return found, out
        picks: dict[int, tuple[list[int], list[int]]] = {}
        for i, h in enumerate(hashes):
            hit = self._where.get(bytes.fromhex(h))
            if hit is not None:
                dest, rows = picks.setdefault(hit[0], ([], []))
                dest.append(i)
                rows.append(hit[1])
        for shard_no, (dest, rows) in picks.items():
            out[dest] = self._shards[shard_no].vectors[rows]
            found[dest] = True
        return found, out

    def put(self, hashes: Sequence[str], vectors: np.ndarray) -> None:
        """Add vectors for hashes the cache does not have yet (one new shard)."""
        keep = [i for i, h in enumerate(hashes) if bytes.fromhex(h) not in self._where]
        if not keep or (self._dimension is not None and vectors.shape[1] != self._dimension):
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = _stamp()
        raw = _raw([hashes[i] for i in keep])
        vecs = np.ascontiguousarray(vectors[keep], dtype=np.float32)
        self._write(self.folder / stamp, raw, vecs)
        self._dimension = int(vecs.shape[1])
        shard_no = len(self._shards)
        self._shards.append(_Shard(self.folder / stamp, raw, vecs))
        for row, h in enumerate(_keys(raw)):
            self._where[h] = (shard_no, row)

    @staticmethod
    def _write(stem: Path, hashes: np.ndarray, vectors: np.ndarray) -> None:
        for suffix, array in ((".vectors.npy", vectors), (".hashes.npy", hashes)):
            final = stem.with_name(stem.name + suffix)
            tmp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
            with open(tmp, "wb") as fh:
                np.save(fh, array)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, final)

    def compact(self, live: Collection[str]) -> None:
        """Merge shards into one when there are many, dropping unused entries when they dominate."""
        if len(self._shards) <= MAX_SHARDS and not self._broken:
            return
        live_raw = {bytes.fromhex(h) for h in live}
        drop_unused = len(self._where) > len(live_raw) + max(len(live_raw), SLACK_ENTRIES)
        keys = [h for h in self._where if not drop_unused or h in live_raw]
        old = [s.stem for s in self._shards] + self._broken
        if keys and self._dimension is not None:
            _, vectors = self.get([h.hex() for h in keys], self._dimension)
            stamp = _stamp() + "-merged"
            self._write(self.folder / stamp, _raw([h.hex() for h in keys]), vectors)
        for stem in old:
            for suffix in (".hashes.npy", ".vectors.npy"):  # hashes first: a shard without them is ignored
                stem.with_name(stem.name + suffix).unlink(missing_ok=True)
        self._shards, self._where, self._broken = [], {}, []
        self._load()
